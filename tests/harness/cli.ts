/** Running the command line as a user would, for tests. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { expect } from '@jest/globals';
import { PROJECT_ROOT } from '../../src/db/env.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `supply-ledger ARGS` through tsx. DATABASE_URL is set to '' unless given, which the project
 * reads as unset (and which a developer's .env cannot override).
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(PROJECT_ROOT, 'scripts', 'supply-ledger.ts'), ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

/** A user mistake is reported as one line on stderr, never with a stack trace. */
export function expectOneLine(run: CliRun): void {
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}
