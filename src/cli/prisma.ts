import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../db/env.ts';
import { EXIT, UsageError } from './errors.ts';
import type { Io } from './io.ts';

/** Prisma commands that only read the schema: they never call the schema engine. */
const ENGINE_FREE_COMMANDS = new Set(['generate', 'validate', 'format']);

/** Stand-in engine path for those commands, so that Prisma does not try to download the real one. */
const ENGINE_STAND_IN = path.join(PROJECT_ROOT, 'scripts', 'schema-engine-unavailable');

/**
 * Runs `prisma generate|validate|format` so that it works without internet: Prisma wants a
 * schema engine binary even for commands that never call it, and downloads one when none is
 * installed. Pointing PRISMA_SCHEMA_ENGINE_BINARY at a stand-in (unless the user set it) skips
 * the download. Every other Prisma command is left to `npx prisma`, untouched.
 */
export async function runPrisma(args: string[], io: Io): Promise<number> {
  const command = args[0];
  if (command === undefined || !ENGINE_FREE_COMMANDS.has(command)) {
    throw new UsageError(
      `supply-ledger prisma runs only ${[...ENGINE_FREE_COMMANDS].join(', ')}; run other commands with \`npx prisma ${command ?? '<command>'}\``,
    );
  }
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || ENGINE_STAND_IN };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: PROJECT_ROOT, env, stdio: ['inherit', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.writeErr(chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? EXIT.FAILURE));
  });
}
