import { connect } from '../db/connect.ts';
import { withResolvedDatabase } from '../db/resolve.ts';
import { EXIT, UserError } from '../errors.ts';
import { BACKFILLS } from '../backfill/definitions.ts';
import { runBackfill } from '../backfill/runner.ts';
import { positiveInteger } from './args.ts';
import type { Io } from './io.ts';

/** `backfill NAME [--dry-run] [--batch-size N] [--start-after ID] [--max-batches N]`, or `backfill --list`. */
export async function backfill(
  name: string | undefined,
  flags: { 'dry-run'?: boolean; 'batch-size'?: string; 'start-after'?: string; 'max-batches'?: string; list?: boolean },
  io: Io,
): Promise<void> {
  if (flags.list || name === undefined) {
    for (const definition of BACKFILLS) io.out(`${definition.name.padEnd(20)} ${definition.summary}`);
    if (name === undefined && !flags.list) throw new UserError('backfill needs the name of a backfill (listed above)', EXIT.USAGE);
    return;
  }
  const definition = BACKFILLS.find((candidate) => candidate.name === name);
  if (!definition) throw new UserError(`no backfill named '${name}'; run \`npm run backfill -- --list\``, EXIT.USAGE);
  const startAfter = flags['start-after'] === undefined ? 0 : Number(flags['start-after']);
  if (!Number.isInteger(startAfter) || startAfter < 0) throw new UserError('--start-after must be an id (a whole number)', EXIT.USAGE);
  const options = {
    dryRun: flags['dry-run'] === true,
    batchSize: positiveInteger(flags['batch-size'], '--batch-size') ?? 1000,
    startAfter,
    maxBatches: positiveInteger(flags['max-batches'], '--max-batches'),
    report: (line: string) => io.out(line),
  };
  await withResolvedDatabase(async (url) => {
    const client = await connect(url, `supply-ledger backfill ${name}`);
    try {
      await runBackfill(client, definition, options);
    } finally {
      await client.end();
    }
  });
}
