import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_ENV } from './config-env.ts';

/**
 * Makes a Prisma 7 schema acceptable to the Prisma 6 CLI offline, changing nothing else: a
 * datasource without `url` (Prisma 7 takes it from prisma.config.ts only) or a generator without
 * `engineType = "client"` makes Prisma 6 download a native query engine. The `url` names the
 * variable the config's driver adapter connects with; Prisma 6 warns that it goes unused.
 */
function patchSchemaForPrisma6(text: string): string {
  return text
    .replace(/(datasource\s+\w+\s*\{)([^}]*)\}/g, (block, head: string, body: string) =>
      /\burl\s*=/.test(body) ? block : `${head}${body}  url = env("${CONFIG_ENV.DATABASE_URL}")\n}`,
    )
    .replace(/(generator\s+\w+\s*\{)([^}]*)\}/g, (block, head: string, body: string) =>
      /\bengineType\s*=/.test(body) ? block : `${head}${body}  engineType = "client"\n}`,
    );
}

/**
 * Copies the schema at `schemaPath` (a `.prisma` file, or a folder of them as `prisma/schema/`)
 * into `workDir`, patched by {@link patchSchemaForPrisma6}, and returns the copy's path: a folder
 * for a folder, a file for a file, since Prisma reads the two differently.
 */
export function copySchemaForPrisma6(schemaPath: string, workDir: string): string {
  const copy = path.join(workDir, 'schema', fs.statSync(schemaPath).isDirectory() ? '' : 'schema.prisma');
  fs.cpSync(schemaPath, copy, { recursive: true });
  for (const file of prismaFiles(path.join(workDir, 'schema'))) {
    fs.writeFileSync(file, patchSchemaForPrisma6(fs.readFileSync(file, 'utf8')));
  }
  return copy;
}

function prismaFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.prisma'))
    .map((name) => path.join(dir, name));
}
