/**
 * Finding pg_dump and pg_restore. A dump made by an older pg_dump than the server may miss what
 * the newer server has (pg_dump refuses a newer server outright), so the tools must be at least
 * the server's major version: looked for in PG_BIN, then on PATH; the first recent enough is used.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BackupToolError, PgToolVersionError } from './errors.ts';

const execFileAsync = promisify(execFile);

/** A PostgreSQL client tool: where it is and its version. */
export interface PgTool {
  path: string;
  /** `15.20` */
  version: string;
  major: number;
}

/** The candidates for `name`: PG_BIN's, then every PATH directory's, executable files only, without repeats. */
function candidates(name: string, env: NodeJS.ProcessEnv): string[] {
  const dirs = [...(env.PG_BIN ? [env.PG_BIN] : []), ...(env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  const seen = new Set<string>();
  const found: string[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    let real: string;
    try {
      fs.accessSync(file, fs.constants.X_OK);
      real = fs.realpathSync(file);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    found.push(file);
  }
  return found;
}

/** The version a tool prints (`pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)`). */
export async function toolVersion(file: string): Promise<{ version: string; major: number }> {
  const { stdout } = await execFileAsync(file, ['--version']);
  const match = /\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
  if (!match) throw new BackupToolError(file, 0, `cannot read its version from '${stdout.trim()}'`);
  return { version: match[2] === undefined ? match[1]! : `${match[1]}.${match[2]}`, major: Number(match[1]) };
}

/**
 * The first `name` (pg_dump, pg_restore) in PG_BIN, then PATH, whose major version is at least
 * `serverVersionNum`'s (SHOW server_version_num); else a {@link PgToolVersionError} naming the
 * newest one found and the server's version.
 */
export async function findPgTool(
  name: 'pg_dump' | 'pg_restore',
  server: { versionNum: number; version: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<PgTool> {
  const serverMajor = Math.floor(server.versionNum / 10_000);
  let newest: PgTool | undefined;
  for (const file of candidates(name, env)) {
    const { version, major } = await toolVersion(file);
    if (major >= serverMajor) return { path: file, version, major };
    if (newest === undefined || major > newest.major) newest = { path: file, version, major };
  }
  throw new PgToolVersionError(name, server.version.split(' ')[0]!, newest && { version: newest.version, path: newest.path });
}

/** Runs a tool; a non-zero exit becomes a {@link BackupToolError} with its last line of stderr. */
export async function runTool(tool: PgTool, args: string[]): Promise<void> {
  const name = path.basename(tool.path);
  try {
    await execFileAsync(tool.path, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PGAPPNAME: `supply-ledger ${name}` } });
  } catch (error) {
    const { code, stderr } = error as { code?: number | string; stderr?: string };
    const lines = (stderr ?? String(error)).trim().split('\n').filter(Boolean);
    const detail = lines.filter((line) => /error|fatal|could not/i.test(line)).at(-1) ?? lines.at(-1) ?? 'no message';
    throw new BackupToolError(name, typeof code === 'number' ? code : null, detail.replace(/^pg_\w+: /, ''));
  }
}
