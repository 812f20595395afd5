/**
 * Running the command line for tests: in-process through `main` (fast: no Node and tsx start-up,
 * which costs about a second per command), or as a user would, in a process of its own, for the
 * few tests that are about the process itself (exit codes, background servers, start-up failures).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { expect } from '@jest/globals';
import { main } from '../../src/cli/main.ts';
import { PROJECT_ROOT } from '../../src/db/env.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs `supply-ledger ARGS` in a process of its own through tsx. DATABASE_URL is set to '' unless
 * given, which the project reads as unset (and which a developer's .env cannot override).
 */
export function runCliProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
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

/**
 * Runs `supply-ledger ARGS` in this process, with `env` applied to process.env for the command's
 * duration (DATABASE_URL '' unless given, as {@link runCliProcess}). Commands of one test file run
 * one at a time, so the environment of one never leaks into another.
 */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const started = performance.now();
  const stdout: string[] = [];
  const stderr: string[] = [];
  const restore = withEnvironment({ DATABASE_URL: '', ...env });
  try {
    const code = await main(args, {
      out: (line) => stdout.push(`${line}\n`),
      err: (line) => stderr.push(`${line}\n`),
      write: (text) => stdout.push(text),
      writeErr: (text) => stderr.push(text),
    });
    return { code, stdout: stdout.join(''), stderr: stderr.join(''), ms: performance.now() - started };
  } finally {
    restore();
  }
}

/** Sets `variables` in process.env and returns the function that puts the previous values back. */
function withEnvironment(variables: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** A user mistake is reported as one line on stderr, never with a stack trace. */
export function expectOneLine(run: CliRun): void {
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}
