import fs from 'node:fs';
import path from 'node:path';

/**
 * The PostgreSQL schemas the Prisma schema manages: the datasource's `schemas` list, read from the
 * `.prisma` file(s) at `schemaPath` (a file or a folder searched recursively). Empty when the
 * datasource lists none (Prisma then manages the connection's default schema only).
 */
export function datasourceSchemas(schemaPath: string): string[] {
  const files = fs.statSync(schemaPath).isDirectory()
    ? fs
        .readdirSync(schemaPath, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.prisma'))
        .map((entry) => path.join(entry.parentPath, entry.name))
    : [schemaPath];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
    const datasource = /datasource\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1];
    if (datasource === undefined) continue;
    const list = /\bschemas\s*=\s*\[([^\]]*)\]/.exec(datasource)?.[1];
    return list === undefined ? [] : [...list.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
  }
  return [];
}
