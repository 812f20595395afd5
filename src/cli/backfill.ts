import { withPool } from '../db/database.ts';
import { BACKFILLS } from '../backfill/definitions.ts';
import { runBackfill } from '../backfill/runner.ts';
import { positiveInteger } from './args.ts';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

/** `backfill NAME [--dry-run] [--batch-size N] [--start-after ID] [--max-batches N]`, or `backfill --list`. */
export async function backfill(
  name: string | undefined,
  flags: { 'dry-run'?: boolean; 'batch-size'?: string; 'start-after'?: string; 'max-batches'?: string; list?: boolean },
  io: Io,
): Promise<void> {
  if (flags.list || name === undefined) {
    for (const definition of BACKFILLS) io.out(`${definition.name.padEnd(20)} ${definition.summary}`);
    if (name === undefined && !flags.list) throw new UsageError('backfill needs the name of a backfill (listed above)');
    return;
  }
  const definition = BACKFILLS.find((candidate) => candidate.name === name);
  if (!definition) throw new UsageError(`no backfill named '${name}'; run \`npm run backfill -- --list\``);
  const startAfter = flags['start-after'] === undefined ? 0 : Number(flags['start-after']);
  if (!Number.isInteger(startAfter) || startAfter < 0) throw new UsageError('--start-after must be an id (a whole number)');
  const options = {
    dryRun: flags['dry-run'] === true,
    batchSize: positiveInteger(flags['batch-size'], '--batch-size') ?? 1000,
    startAfter,
    maxBatches: positiveInteger(flags['max-batches'], '--max-batches'),
    report: (line: string) => io.out(line),
  };
  await withPool((pool) => runBackfill(pool, definition, options), { applicationName: `supply-ledger backfill ${name}`, max: 1 });
}
