import { BackfillClientError } from '../backfill/errors.ts';
import { withPool } from '../db/database.ts';
import { BACKFILLS } from '../backfill/definitions.ts';
import { runBackfill } from '../backfill/runner.ts';
import { positiveInteger } from './args.ts';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

/**
 * `backfill NAME [--dry-run] [--batch-size N] [--from-client CODE] [--start-after ID] [--max-batches N]`,
 * or `backfill --list`. On a database of clients it goes through each client in id order (from
 * `--from-client CODE` on); `--start-after ID` resumes that first client after an id, and needs
 * `--from-client` when there are several clients.
 */
export async function backfill(
  name: string | undefined,
  flags: {
    'dry-run'?: boolean;
    'batch-size'?: string;
    'from-client'?: string;
    'start-after'?: string;
    'max-batches'?: string;
    list?: boolean;
  },
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
    batchSize: positiveInteger(flags['batch-size'], '--batch-size') ?? definition.batchSize ?? 1000,
    startAfter,
    fromClient: flags['from-client'],
    maxBatches: positiveInteger(flags['max-batches'], '--max-batches'),
    report: (line: string) => io.out(line),
  };
  try {
    await withPool((pool) => runBackfill(pool, definition, options), { applicationName: `supply-ledger backfill ${name}`, max: 1 });
  } catch (error) {
    if (error instanceof BackfillClientError) throw new UsageError(clientMistake(error));
    throw error;
  }
}

/** The command line's words for a resume point the database cannot place. */
function clientMistake(error: BackfillClientError): string {
  const clients = error.clients.length === 0 ? 'the database has no clients' : `the clients are ${error.clients.join(', ')}`;
  return error.reason === 'unknown-client'
    ? `--from-client: no client has the code '${error.fromClient}' (${clients})`
    : `--start-after needs --from-client CODE on a database of ${error.clients.length} clients (${error.clients.join(', ')}): ` +
        'the client whose [progress] line printed that last_id';
}
