/**
 * What tests saw statements fail with, recorded by `expectSqlError` for the census (census.ts): the
 * SQLSTATE, the constraint PostgreSQL named, and the PL/pgSQL functions the error passed through.
 * Each worker appends to a file of its own in a folder of the test run; the run's teardown reads them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_ENV } from './run.ts';

export interface Observation {
  code: string;
  constraint?: string;
  /** Qualified names of the PL/pgSQL functions in the error's context, innermost first. */
  functions: string[];
}

/** The folder where the test run of the Jest main process `runPid` keeps its observations. */
export function observationsFolder(runPid: number): string {
  return path.join(os.tmpdir(), `supply-ledger-observed-${runPid}`);
}

/** The PL/pgSQL functions an error's context (its `where` field) names. */
export function functionsIn(where: string | undefined): string[] {
  return [...(where ?? '').matchAll(/PL\/pgSQL function ([\w$.]+)\(/g)].map((match) => match[1]!);
}

/** Records what a test saw a statement fail with. */
export function recordObservation(error: { code?: string; constraint?: string; where?: string }): void {
  if (error.code === undefined) return;
  const folder = observationsFolder(Number(process.env[TEST_ENV.RUN_PID]));
  fs.mkdirSync(folder, { recursive: true });
  const observation: Observation = {
    code: error.code,
    functions: functionsIn(error.where),
    ...(error.constraint ? { constraint: error.constraint } : {}),
  };
  fs.appendFileSync(path.join(folder, `${process.pid}.jsonl`), `${JSON.stringify(observation)}\n`);
}

/** Every observation of the run, and removes them. */
export function takeObservations(runPid: number): Observation[] {
  const folder = observationsFolder(runPid);
  if (!fs.existsSync(folder)) return [];
  const observations = fs
    .readdirSync(folder)
    .flatMap((file) => fs.readFileSync(path.join(folder, file), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as Observation);
  fs.rmSync(folder, { recursive: true, force: true });
  return observations;
}
