/**
 * The backfill runner: drives a batch function made by a migration, one batch per transaction, by
 * keyset (each batch starts after the last id of the one before), printing a `[progress]` line per
 * batch, and ends with the backfill's verification query. `--dry-run` rolls every batch back.
 *
 * On a database of clients (`core.client` exists, since `create_client`) the batch functions go
 * through one client's rows, the client `app.client_id` names (since `swap_tenant_keys`): the runner
 * runs the backfill for each client in id order, every batch transaction working for its client
 * (`withClient`), as an operator: as `supply_ledger_owner` when the session may become it (a
 * superuser, or a member), which row-level security does not hold back, so that the verification
 * counts every client's rows. On a database deployed only up to earlier migrations it runs once,
 * without a client, as before.
 *
 * A run stopped at any point can start again: from the start (the batch functions are idempotent),
 * or where it stopped, with `fromClient` (the client of the last `[progress]` line) and
 * `startAfter` (its `last_id`): that client resumes after that id, and the clients after it in id
 * order follow from their start.
 */
import type pg from 'pg';
import { quoteIdent } from '../db/connect.ts';
import { retryOnLockConflict } from '../db/retry.ts';
import { withClient } from '../db/tenancy.ts';
import { type Transaction, type TransactionOptions, assertOutsideTransaction, transaction } from '../db/transaction.ts';
import { migrationRole } from '../migrate/apply.ts';
import { DEFAULT_SETTINGS } from '../migrate/settings.ts';
import { BackfillClientError, BackfillNotDeployedError, BackfillRoleError, BackfillVerificationError } from './errors.ts';

export interface BackfillDefinition {
  name: string;
  summary: string;
  /**
   * A SQL function `(after_id bigint, batch_size integer) RETURNS TABLE (last_id bigint, changed bigint)`
   * made by a migration: handles the batch of rows with id above `after_id` (of the client
   * `app.client_id` names, since `swap_tenant_keys`) and returns the last id covered (NULL when none
   * is left) and how many rows it changed.
   */
  batchFunction: string;
  /** The migration that makes `batchFunction`, named when it is missing. */
  migration: string;
  /** A query returning one row `{ problems, detail }`: rows the backfill should have handled and did not. */
  verification: string;
  /** Rows per batch when the command line names none (1000 otherwise): a size chosen by measurement. */
  batchSize?: number;
  /**
   * The table the batches rewrite in full, `VACUUM (ANALYZE)`d after a run that wrote rows: every
   * row rewritten leaves a dead version that the first reader of each page would otherwise prune
   * (a write, and a WAL record, inside a read), until autovacuum comes round.
   */
  vacuumAfter?: string;
}

export interface BackfillOptions {
  dryRun: boolean;
  batchSize: number;
  /**
   * Resume after this id (default 0: from the start), in the first client the run goes through:
   * `fromClient`, or the only client there is. On a database of several clients it needs
   * `fromClient` ({@link BackfillClientError} otherwise): ids are per client's run.
   */
  startAfter?: number | undefined;
  /** Start at the client with this code (then the clients after it, in id order); default: the first. */
  fromClient?: string | undefined;
  /** Stop after this many batches in all. */
  maxBatches: number | undefined;
  report: (line: string) => void;
}

/** What a run did for one client. */
export interface ClientBackfillSummary {
  /** The client's code. */
  client: string;
  clientId: string;
  batches: number;
  changed: number;
  /** The last id its last batch covered; null when no batch ran. */
  lastId: number | null;
  /** Its rows were gone through to the end. */
  finished: boolean;
}

export interface BackfillSummary {
  backfill: string;
  dryRun: boolean;
  batches: number;
  changed: number;
  /** The last id the last batch covered (of `lastClient`'s rows); null when no batch ran. */
  lastId: number | null;
  /** The code of the client of the last batch: with `lastId`, where to resume (null without clients or batches). */
  lastClient: string | null;
  /** Every row (of every client) was gone through. */
  finished: boolean;
  /** How many clients the run went through, fully or in part (0 on a database without clients). */
  clients: number;
  /** Each of them, in the order the run went through them. */
  byClient: ClientBackfillSummary[];
  problems: number;
  elapsedSeconds: number;
}

/** `lock_timeout` of a batch: a batch waiting longer undoes itself and is retried, instead of queueing writers behind it. */
const BATCH_LOCK_TIMEOUT_MS = 2_000;

/** A client the run goes through. */
interface RunClient {
  id: string;
  code: string;
}

/**
 * Runs `backfill` to the end (or `maxBatches`), each batch in a transaction of its own on `db` (a
 * pool, or a connection outside any transaction), client by client on a database of clients, then
 * its verification. Throws {@link BackfillVerificationError} when a finished, written run leaves
 * rows behind, {@link BackfillClientError} when `fromClient` or `startAfter` cannot be placed, and
 * {@link BackfillRoleError} when the connection's role is not an operator's on a database of clients.
 *
 * @example
 * // Interrupted after a [progress] line naming client=DEMO-DELI and last_id=4200: resume there.
 * const summary = await runBackfill(adminPool, BACKFILLS[0]!, {
 *   dryRun: false, batchSize: 1000, fromClient: 'DEMO-DELI', startAfter: 4200, maxBatches: undefined, report: console.log,
 * });
 */
export async function runBackfill(
  db: pg.Pool | pg.Client,
  backfill: BackfillDefinition,
  options: BackfillOptions,
): Promise<BackfillSummary> {
  if (!('totalCount' in db)) {
    assertOutsideTransaction(db, 'runBackfill');
    return runOnConnection(db, backfill, options);
  }
  // One connection of the pool for the whole run: its role is asked once, and its batches follow one another.
  const connection = await db.connect();
  try {
    return await runOnConnection(connection as unknown as pg.Client, backfill, options);
  } finally {
    connection.release();
  }
}

async function runOnConnection(db: pg.Client, backfill: BackfillDefinition, options: BackfillOptions): Promise<BackfillSummary> {
  const { rows } = await db.query<{ found: boolean; tenancy: boolean; bypasses_rls: boolean; role: string }>(
    `SELECT to_regproc($1) IS NOT NULL AS found, to_regclass('core.client') IS NOT NULL AS tenancy,
            coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), false) AS bypasses_rls,
            current_user AS role`,
    [backfill.batchFunction],
  );
  const { found, tenancy, bypasses_rls: bypassesRls, role: currentRole } = rows[0]!;
  if (!found) throw new BackfillNotDeployedError(backfill.name, backfill.batchFunction, backfill.migration);
  // The role migrations run as, when the session may become it; else the session's own.
  const role = await migrationRole(db, DEFAULT_SETTINGS.ownerRole);
  if (tenancy && role === undefined && !bypassesRls) throw new BackfillRoleError(backfill.name, currentRole);
  const asOperator = <T>(fn: (tx: Transaction) => Promise<T>, clientId: string | undefined, txOptions: TransactionOptions) => {
    const run = async (tx: Transaction) => {
      if (role !== undefined) await tx.query(`SET LOCAL ROLE ${quoteIdent(role)}`);
      return fn(tx);
    };
    return clientId === undefined ? transaction(db, run, txOptions) : withClient(db, clientId, run, txOptions);
  };

  if (!tenancy && options.fromClient !== undefined) throw new BackfillClientError(backfill.name, 'unknown-client', [], options.fromClient);
  const clients = tenancy ? await clientsToRun(backfill, options, (fn) => asOperator(fn, undefined, { rollback: true })) : [undefined];
  const startAfter = options.startAfter ?? 0;
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
  options.report(
    `[start] backfill=${backfill.name} mode=${options.dryRun ? 'dry-run' : 'write'} batch_size=${options.batchSize}` +
      (tenancy ? ` clients=${clients.length} from_client=${clients[0]?.code ?? '-'}` : '') +
      ` start_after=${startAfter}`,
  );

  const byClient: ClientBackfillSummary[] = [];
  let batches = 0;
  let changed = 0;
  let lastId: number | null = null;
  let lastClient: string | null = null;
  let finished = true;
  for (const [index, client] of clients.entries()) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) {
      finished = false;
      break;
    }
    const figures: ClientBackfillSummary | undefined = client && {
      client: client.code,
      clientId: client.id,
      batches: 0,
      changed: 0,
      lastId: null,
      finished: false,
    };
    if (figures) byClient.push(figures);
    const where = client ? ` client=${client.code}` : '';
    let cursor = index === 0 ? startAfter : 0;
    let clientFinished = false;
    while (options.maxBatches === undefined || batches < options.maxBatches) {
      const batch = await retryOnLockConflict(
        () =>
          asOperator(
            async (tx) => {
              const { rows: result } = await tx.query<{ last_id: string | null; changed: string }>(
                `SELECT last_id, changed FROM ${backfill.batchFunction}($1, $2)`,
                [cursor, options.batchSize],
              );
              const row = result[0];
              return { lastId: row?.last_id == null ? null : Number(row.last_id), changed: Number(row?.changed ?? 0) };
            },
            client?.id,
            { rollback: options.dryRun, lockTimeoutMs: BATCH_LOCK_TIMEOUT_MS },
          ),
        {
          onRetry: (retry) =>
            options.report(
              `[retry] backfill=${backfill.name}${where} after_id=${cursor} attempt=${retry.attempt} in=${retry.delayMs}ms (${retry.code})`,
            ),
        },
      );
      if (batch.lastId === null) {
        clientFinished = true;
        break;
      }
      batches++;
      changed += batch.changed;
      cursor = batch.lastId;
      lastId = cursor;
      lastClient = client?.code ?? null;
      if (figures) {
        figures.batches++;
        figures.changed += batch.changed;
        figures.lastId = cursor;
      }
      options.report(
        `[progress] backfill=${backfill.name}${where} batch=${batches} last_id=${cursor} changed=${batch.changed} total_changed=${changed} elapsed=${elapsed()}s`,
      );
    }
    if (figures) figures.finished = clientFinished;
    if (!clientFinished) {
      finished = false;
      break;
    }
    if (figures)
      options.report(
        `[client] backfill=${backfill.name} client=${figures.client} finished batches=${figures.batches} changed=${figures.changed}`,
      );
  }
  if (!finished && lastId !== null) {
    options.report(
      `[stopped] backfill=${backfill.name} after ${batches} batch(es): resume with${lastClient === null ? '' : ` --from-client ${lastClient}`} --start-after ${lastId}`,
    );
  }

  if (backfill.vacuumAfter !== undefined && changed > 0 && !options.dryRun) await vacuum(db, backfill, role, options.report);

  // As the operator: every client's rows (row-level security does not hold the owner back).
  const check = await asOperator((tx) => tx.query<{ problems: string; detail: string }>(backfill.verification), undefined, {
    rollback: true,
  });
  const problems = Number(check.rows[0]?.problems ?? 0);
  const summary: BackfillSummary = {
    backfill: backfill.name,
    dryRun: options.dryRun,
    batches,
    changed,
    lastId,
    lastClient,
    finished,
    clients: byClient.length,
    byClient,
    problems,
    elapsedSeconds: elapsed(),
  };
  options.report(
    `[verify] ${problems === 0 ? 'ok' : `${problems} problem(s): ${check.rows[0]?.detail}`}${options.dryRun ? ' (before the dry run: nothing was written)' : ''}`,
  );
  // The per-client figures are in the [client] lines: thousands of clients would make one huge line.
  options.report(`[done] ${JSON.stringify({ ...summary, byClient: undefined })}`);
  if (problems > 0 && finished && !options.dryRun) {
    throw new BackfillVerificationError(backfill.name, problems, check.rows[0]?.detail ?? '');
  }
  return summary;
}

/** `VACUUM (ANALYZE)` of the table `backfill` rewrote, as the operator (VACUUM runs outside any transaction). */
async function vacuum(
  db: pg.Client,
  backfill: BackfillDefinition,
  role: string | undefined,
  report: (line: string) => void,
): Promise<void> {
  const started = performance.now();
  if (role !== undefined) await db.query(`SET ROLE ${quoteIdent(role)}`);
  try {
    await db.query(`VACUUM (ANALYZE) ${backfill.vacuumAfter}`);
  } finally {
    if (role !== undefined) await db.query('RESET ROLE');
  }
  report(`[vacuum] backfill=${backfill.name} table=${backfill.vacuumAfter} in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}

/**
 * The clients to go through, in id order: from `options.fromClient` (or the first) on. Refuses a
 * code no client has, and `startAfter` without `fromClient` when there are several clients.
 */
async function clientsToRun(
  backfill: BackfillDefinition,
  options: BackfillOptions,
  read: (fn: (tx: Transaction) => Promise<RunClient[]>) => Promise<RunClient[]>,
): Promise<RunClient[]> {
  const all = await read(async (tx) => {
    const { rows } = await tx.query<RunClient>('SELECT id::text, code::text FROM core.client ORDER BY id');
    return rows;
  });
  const codes = all.map((client) => client.code);
  if (options.fromClient === undefined) {
    if ((options.startAfter ?? 0) > 0 && all.length > 1) throw new BackfillClientError(backfill.name, 'ambiguous-start', codes, undefined);
    return all;
  }
  // Codes are citext: compared without regard to case.
  const wanted = options.fromClient.toLowerCase();
  const at = all.findIndex((client) => client.code.toLowerCase() === wanted);
  if (at === -1) throw new BackfillClientError(backfill.name, 'unknown-client', codes, options.fromClient);
  return all.slice(at);
}
