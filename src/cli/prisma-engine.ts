import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../db/env.ts';
import { EXIT, UserError } from '../errors.ts';
import { writeEngineCopy } from '../migrate/engine-copy.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../project.ts';

/** The shared tool running Prisma's schema engine as WebAssembly (PRISMA_ENGINE_TOOL overrides the path). */
function toolPath(): string {
  const tool = process.env.PRISMA_ENGINE_TOOL || path.resolve(PROJECT_ROOT, '..', 'shared', 'tools', 'prisma-engine', 'prisma-engine');
  if (!fs.existsSync(tool)) throw new UserError(`Prisma's engine tool is not at ${tool}; set PRISMA_ENGINE_TOOL to its path`);
  return tool;
}

/**
 * `prisma-engine drift|diff|create NAME|deploy|status`: runs the shared prisma-engine tool on a
 * copy of the project whose migrations leave out what its WebAssembly describer cannot read
 * (see src/migrate/engine-copy.ts). `create` copies the new migration folder back.
 */
export async function runPrismaEngine(args: string[]): Promise<number> {
  const command = args[0];
  if (command === undefined) throw new UserError('prisma-engine needs a command: drift, diff, create NAME, deploy or status', EXIT.USAGE);
  const tool = toolPath();
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-engine-'));
  try {
    const migrations = path.join(copy, 'prisma', 'migrations');
    fs.cpSync(SCHEMA_PATH, path.join(copy, 'prisma', path.basename(SCHEMA_PATH)), { recursive: true });
    const removed = writeEngineCopy(MIGRATIONS_DIR, migrations);
    if (removed > 0) console.error(`prisma-engine: ${removed} CHECK/EXCLUDE constraint(s) and constraint trigger(s) left out for the WebAssembly engine`);
    const before = new Set(fs.readdirSync(migrations));
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(tool, ['--project', copy, ...args], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('close', (exit) => resolve(exit ?? EXIT.FAILURE));
    });
    if (command === 'create' && code === 0) {
      for (const name of fs.readdirSync(migrations).filter((entry) => !before.has(entry))) {
        fs.cpSync(path.join(migrations, name), path.join(MIGRATIONS_DIR, name), { recursive: true });
        console.log(`copied to ${path.relative(PROJECT_ROOT, path.join(MIGRATIONS_DIR, name))}`);
      }
    }
    return code;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
