/**
 * The backfill runner: drives a batch function made by a migration, one batch per transaction, by
 * keyset (each batch starts after the last id of the one before), printing a `[progress]` line per
 * batch, and ends with the backfill's verification query. `--dry-run` rolls every batch back.
 * A run stopped at any point can start again (`--start-after` the last id printed, or from the
 * start: the batch functions are idempotent).
 */
import type pg from 'pg';
import { retryOnLockConflict } from '../db/retry.ts';
import { transaction } from '../db/transaction.ts';
import { BackfillNotDeployedError, BackfillVerificationError } from './errors.ts';

export interface BackfillDefinition {
  name: string;
  summary: string;
  /**
   * A SQL function `(after_id bigint, batch_size integer) RETURNS TABLE (last_id bigint, changed bigint)`
   * made by a migration: handles the batch of rows with id above `after_id` and returns the last id
   * covered (NULL when none is left) and how many rows it changed.
   */
  batchFunction: string;
  /** The migration that makes `batchFunction`, named when it is missing. */
  migration: string;
  /** A query returning one row `{ problems, detail }`: rows the backfill should have handled and did not. */
  verification: string;
}

export interface BackfillOptions {
  dryRun: boolean;
  batchSize: number;
  /** Start after this id (resume). */
  startAfter: number;
  /** Stop after this many batches. */
  maxBatches: number | undefined;
  report: (line: string) => void;
}

export interface BackfillSummary {
  backfill: string;
  dryRun: boolean;
  batches: number;
  changed: number;
  lastId: number | null;
  finished: boolean;
  problems: number;
  elapsedSeconds: number;
}

/** `lock_timeout` of a batch: a batch waiting longer undoes itself and is retried, instead of queueing writers behind it. */
const BATCH_LOCK_TIMEOUT_MS = 2_000;

/**
 * Runs `backfill` to the end (or `maxBatches`), each batch in a transaction of its own on `db` (a
 * pool, or a connection outside any transaction), then its verification. Throws
 * {@link BackfillVerificationError} when a finished, written run leaves rows behind.
 *
 * @example
 * const summary = await runBackfill(pool, BACKFILLS[0]!, { dryRun: false, batchSize: 1000, startAfter: 0, maxBatches: undefined, report: console.log });
 */
export async function runBackfill(
  db: pg.Pool | pg.Client,
  backfill: BackfillDefinition,
  options: BackfillOptions,
): Promise<BackfillSummary> {
  const { rows } = await db.query<{ found: boolean }>('SELECT to_regproc($1) IS NOT NULL AS found', [backfill.batchFunction]);
  if (!rows[0]?.found) throw new BackfillNotDeployedError(backfill.name, backfill.batchFunction, backfill.migration);
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
  options.report(
    `[start] backfill=${backfill.name} mode=${options.dryRun ? 'dry-run' : 'write'} batch_size=${options.batchSize} start_after=${options.startAfter}`,
  );

  let cursor = options.startAfter;
  let batches = 0;
  let changed = 0;
  let finished = false;
  while (options.maxBatches === undefined || batches < options.maxBatches) {
    const batch = await runBatch(db, backfill, cursor, options);
    if (batch.lastId === null) {
      finished = true;
      break;
    }
    batches++;
    changed += batch.changed;
    cursor = batch.lastId;
    options.report(
      `[progress] backfill=${backfill.name} batch=${batches} last_id=${cursor} changed=${batch.changed} total_changed=${changed} elapsed=${elapsed()}s`,
    );
  }

  const check = await db.query<{ problems: string; detail: string }>(backfill.verification);
  const problems = Number(check.rows[0]?.problems ?? 0);
  const summary: BackfillSummary = {
    backfill: backfill.name,
    dryRun: options.dryRun,
    batches,
    changed,
    lastId: batches === 0 ? null : cursor,
    finished,
    problems,
    elapsedSeconds: elapsed(),
  };
  options.report(
    `[verify] ${problems === 0 ? 'ok' : `${problems} problem(s): ${check.rows[0]?.detail}`}${options.dryRun ? ' (before the dry run: nothing was written)' : ''}`,
  );
  options.report(`[done] ${JSON.stringify(summary)}`);
  if (problems > 0 && finished && !options.dryRun) {
    throw new BackfillVerificationError(backfill.name, problems, check.rows[0]?.detail ?? '');
  }
  return summary;
}

/** One batch in its own transaction (rolled back for a dry run), retried when a lock gets in the way. */
function runBatch(
  db: pg.Pool | pg.Client,
  backfill: BackfillDefinition,
  after: number,
  options: BackfillOptions,
): Promise<{ lastId: number | null; changed: number }> {
  const batch = () =>
    transaction(
      db,
      async (tx) => {
        const { rows } = await tx.query<{ last_id: string | null; changed: string }>(
          `SELECT last_id, changed FROM ${backfill.batchFunction}($1, $2)`,
          [after, options.batchSize],
        );
        const row = rows[0];
        return { lastId: row?.last_id == null ? null : Number(row.last_id), changed: Number(row?.changed ?? 0) };
      },
      { rollback: options.dryRun, lockTimeoutMs: BATCH_LOCK_TIMEOUT_MS },
    );
  return retryOnLockConflict(batch, {
    onRetry: (retry) =>
      options.report(`[retry] backfill=${backfill.name} after_id=${after} attempt=${retry.attempt} in=${retry.delayMs}ms (${retry.code})`),
  });
}
