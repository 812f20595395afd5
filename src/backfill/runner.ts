/**
 * The backfill runner: drives a batch function made by a migration, one batch per transaction, by
 * keyset (each batch starts after the last id of the one before), printing a `[progress]` line per
 * batch, and ends with the backfill's verification query. `--dry-run` rolls every batch back.
 * A run stopped at any point can start again (`--start-after` the last id printed, or from the
 * start: the batch functions are idempotent).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { UserError } from '../errors.ts';
import { DEFAULT_SETTINGS, retryDelayMs } from '../migrate/settings.ts';

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

/** SQLSTATEs after which a batch was undone and may run again: lock timeout, deadlock, serialization failure. */
const RETRYABLE = new Set(['55P03', '40P01', '40001']);

export async function runBackfill(client: pg.Client, backfill: BackfillDefinition, options: BackfillOptions): Promise<BackfillSummary> {
  const { rows } = await client.query<{ found: boolean }>('SELECT to_regproc($1) IS NOT NULL AS found', [backfill.batchFunction]);
  if (!rows[0]?.found) {
    throw new UserError(`backfill ${backfill.name} needs ${backfill.batchFunction}(), which migration ${backfill.migration} makes: deploy it first`);
  }
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
  options.report(`[start] backfill=${backfill.name} mode=${options.dryRun ? 'dry-run' : 'write'} batch_size=${options.batchSize} start_after=${options.startAfter}`);

  let cursor = options.startAfter;
  let batches = 0;
  let changed = 0;
  let finished = false;
  while (options.maxBatches === undefined || batches < options.maxBatches) {
    const batch = await runBatch(client, backfill, cursor, options);
    if (batch.lastId === null) {
      finished = true;
      break;
    }
    batches++;
    changed += batch.changed;
    cursor = batch.lastId;
    options.report(`[progress] backfill=${backfill.name} batch=${batches} last_id=${cursor} changed=${batch.changed} total_changed=${changed} elapsed=${elapsed()}s`);
  }

  const check = await client.query<{ problems: string; detail: string }>(backfill.verification);
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
  options.report(`[verify] ${problems === 0 ? 'ok' : `${problems} problem(s): ${check.rows[0]?.detail}`}${options.dryRun ? ' (before the dry run: nothing was written)' : ''}`);
  options.report(`[done] ${JSON.stringify(summary)}`);
  if (problems > 0 && finished && !options.dryRun) {
    throw new UserError(`backfill ${backfill.name} verification failed: ${problems} problem(s): ${check.rows[0]?.detail}`);
  }
  return summary;
}

/** One batch in its own transaction (rolled back for a dry run), retried when a lock gets in the way. */
async function runBatch(
  client: pg.Client,
  backfill: BackfillDefinition,
  after: number,
  options: BackfillOptions,
): Promise<{ lastId: number | null; changed: number }> {
  const { retry, lockTimeoutMs } = DEFAULT_SETTINGS;
  for (let attempt = 1; ; attempt++) {
    await client.query(`BEGIN; SET LOCAL lock_timeout = '${lockTimeoutMs}ms'`);
    try {
      const { rows } = await client.query<{ last_id: string | null; changed: string }>(
        `SELECT last_id, changed FROM ${backfill.batchFunction}($1, $2)`,
        [after, options.batchSize],
      );
      await client.query(options.dryRun ? 'ROLLBACK' : 'COMMIT');
      const row = rows[0];
      return { lastId: row?.last_id == null ? null : Number(row.last_id), changed: Number(row?.changed ?? 0) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (error as { code?: string }).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= retry.attempts) throw error;
      const delayMs = retryDelayMs(retry, attempt);
      options.report(`[retry] backfill=${backfill.name} after_id=${after} attempt=${attempt + 1} in=${delayMs}ms (${code})`);
      await sleep(delayMs);
    }
  }
}
