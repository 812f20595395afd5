/**
 * Running one migration's script, forwards (migration.sql) or backwards (down.sql), with the
 * runner's guarantees: the script and its `_prisma_migrations` row change together or not at all,
 * statements waiting on locks give up after `lock_timeout` and the attempt is retried, and a
 * statement-by-statement file records its progress after each statement so that an interrupted
 * run resumes where it stopped. Scripts (and validate.sql) run as the owner role once the database
 * has one (see {@link migrationRole}); the `_prisma_migrations` rows are written as the session user.
 */
import fs from 'node:fs';
import type pg from 'pg';
import { quoteIdent } from '../db/connect.ts';
import { isLockConflict, retryOnLockConflict } from '../db/retry.ts';
import { SupplyLedgerError } from '../errors.ts';
import type { LocalMigration } from './directory.ts';
import {
  type DatabaseFailure,
  LockTimeoutError,
  MigrationFailedError,
  MigrationStateError,
  MigrationValidationError,
  describeFailure,
} from './errors.ts';
import type { Direction, Emit, RunnerEvent } from './events.ts';
import { MigrationHistory, type MigrationRecord, failureLogs } from './history.ts';
import { LockWatcher } from './lock-watch.ts';
import { type ExecutionMode, executionMode } from './mode.ts';
import { rangeVarParts } from './nodes.ts';
import { DEFAULT_SETTINGS, type RunnerSettings } from './settings.ts';
import { type SqlStatement, autocommitReason, lineLocator } from './sql.ts';

/** What applying needs: the connection, the history table, settings, and where to report. */
export interface Runner {
  client: pg.Client;
  history: MigrationHistory;
  settings: RunnerSettings;
  serverVersionNum: number;
  emit: Emit;
  /** Reports lock waits while migrations run (deploy and rollback start it: {@link watchLocks}). */
  watcher?: LockWatcher | undefined;
}

/**
 * Runs `work` with a {@link LockWatcher} on `runner`'s session (settings.lockWatchMs; 0: none),
 * stopped afterwards.
 */
export async function watchLocks<T>(runner: Runner, work: () => Promise<T>): Promise<T> {
  runner.watcher = await LockWatcher.start(runner.client, runner.emit, runner.settings.lockWatchMs);
  try {
    return await work();
  } finally {
    await runner.watcher?.stop();
    runner.watcher = undefined;
  }
}

/** Reads what a {@link Runner} needs from the server (its version decides what runs in a transaction). */
export async function createRunner(
  client: pg.Client,
  options: { historySchema?: string | undefined; settings?: Partial<RunnerSettings> | undefined; emit?: Emit | undefined },
): Promise<Runner> {
  const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  return {
    client,
    history: new MigrationHistory(client, options.historySchema),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
    serverVersionNum: Number(rows[0]!.server_version_num),
    emit: options.emit ?? (() => {}),
  };
}

/**
 * The role a migration's scripts and checks run as: `ownerRole` (supply_ledger_owner) when it
 * exists, the session user may become it (a member of it, or a superuser) and it may create in this
 * database, which create_roles grants it; else undefined, and they run as the session user. The
 * last condition keeps the first migrations of a new database in a cluster that has the role (from
 * another database) with the session user, until create_roles gives their objects to the owner.
 * Asked before each migration, because create_roles changes the answer in the middle of a deploy.
 *
 * @example
 * const role = await migrationRole(client, 'supply_ledger_owner'); // 'supply_ledger_owner' once create_roles ran
 */
export async function migrationRole(client: pg.ClientBase, ownerRole: string | null): Promise<string | undefined> {
  if (ownerRole === null) return undefined;
  const { rows } = await client.query<{ usable: boolean }>(
    `SELECT CASE WHEN to_regrole($1) IS NULL THEN false
                 ELSE pg_has_role(session_user, to_regrole($1), 'MEMBER') AND has_database_privilege(to_regrole($1), current_database(), 'CREATE')
            END AS usable`,
    [quoteIdent(ownerRole)],
  );
  return rows[0]?.usable === true ? ownerRole : undefined;
}

/** How a migration's migration.sql runs (refusing, before anything runs, what cannot work). */
export function upMode(runner: Pick<Runner, 'serverVersionNum'>, migration: LocalMigration): Promise<ExecutionMode> {
  return executionMode({ migration: migration.name, file: 'migration.sql', text: migration.script }, runner.serverVersionNum);
}

/** The text of down.sql, and how it runs; refuses a migration that has none. */
export async function downScript(
  runner: Pick<Runner, 'serverVersionNum'>,
  migration: LocalMigration,
): Promise<{ script: string; mode: ExecutionMode }> {
  if (migration.downPath === undefined) {
    throw new MigrationStateError(`${migration.name} has no down.sql: it cannot be rolled back`, 'no-down-script', [migration.name]);
  }
  const script = fs.readFileSync(migration.downPath, 'utf8');
  return { script, mode: await executionMode({ migration: migration.name, file: 'down.sql', text: script }, runner.serverVersionNum) };
}

/**
 * Applies `migration`. With `verify`, its validate.sql runs right after it, and a failure undoes it:
 * a transactional migration is rolled back before it commits; a statement-by-statement one is
 * rolled back with its down.sql.
 */
export async function applyMigration(
  runner: Runner,
  migration: LocalMigration,
  options: { mode: ExecutionMode; resume?: MigrationRecord; verify: boolean },
): Promise<void> {
  const { mode, resume } = options;
  const role = await migrationRole(runner.client, runner.settings.ownerRole);
  const start = { name: migration.name, direction: 'up' as const, mode: mode.kind, statements: mode.statements.length, ...asRole(role) };
  await reported(runner, resume ? { ...start, resumeAt: resume.appliedStepsCount } : start, async () => {
    if (mode.kind === 'transaction') {
      await applyInTransaction(runner, migration, role, options.verify);
    } else {
      await applyStatements(runner, migration, role, mode.statements, resume);
      if (options.verify) await verifyOrUndo(runner, migration, role);
    }
  });
}

/** Rolls `migration` back with its down.sql and marks its applied rows rolled back, in one transaction when it can. */
export async function revertMigration(runner: Runner, migration: LocalMigration): Promise<void> {
  const { script, mode } = await downScript(runner, migration);
  const role = await migrationRole(runner.client, runner.settings.ownerRole);
  const start = { name: migration.name, direction: 'down' as const, mode: mode.kind, statements: mode.statements.length, ...asRole(role) };
  await reported(runner, start, async () => {
    if (mode.kind === 'transaction') {
      const prefix = transactionPrefix(runner.settings, role);
      const sql = `${prefix}${script}\n;\n${resetRole(role)}${runner.history.rolledBackSql(migration.name)};\nCOMMIT;`;
      await withRetries(runner, migration.name, 'down', () => runInTransaction(runner.client, sql)).catch((error: unknown) => {
        throw failure(runner, migration.name, 'down', error, { script, offset: prefix.length });
      });
    } else {
      for (const [index, statement] of mode.statements.entries()) {
        await runStatement(runner, migration.name, 'down', role, script, statement, index, { retried: false });
      }
      await runner.client.query(runner.history.rolledBackSql(migration.name));
    }
  });
}

/** Runs `work` between a migration-start event and a migration-finish (or migration-fail) event. */
async function reported(
  runner: Runner,
  start: Omit<Extract<RunnerEvent, { event: 'migration-start' }>, 'event'>,
  work: () => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const { name, direction } = start;
  runner.emit({ event: 'migration-start', ...start });
  if (runner.watcher) runner.watcher.work = { name, direction };
  try {
    await work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    runner.emit({ event: 'migration-fail', name, direction, durationMs: performance.now() - started, message });
    throw error;
  } finally {
    if (runner.watcher) runner.watcher.work = undefined;
  }
  runner.emit({ event: 'migration-finish', name, direction, durationMs: performance.now() - started });
}

/**
 * Runs `migration`'s validate.sql in a transaction that is always rolled back (or, inside the
 * migration's own transaction, under a savepoint that is), as `role` when given (the role the
 * migration ran as: see {@link migrationRole}). Returns the failure message, if any.
 */
export async function validateMigration(
  client: pg.Client,
  migration: LocalMigration,
  options: { insideTransaction?: boolean; role?: string | undefined } = {},
): Promise<string | undefined> {
  if (migration.validatePath === undefined) return undefined;
  const script = fs.readFileSync(migration.validatePath, 'utf8');
  const [open, close] = options.insideTransaction
    ? ['SAVEPOINT supply_ledger_verify', 'ROLLBACK TO SAVEPOINT supply_ledger_verify']
    : [`BEGIN;${setLocalRole(options.role)}`, 'ROLLBACK'];
  await client.query(open);
  try {
    await client.query(script);
    return undefined;
  } catch (error) {
    return describeFailure(databaseFailure(error, { script, offset: 0 }));
  } finally {
    await client.query(close);
  }
}

async function applyInTransaction(runner: Runner, migration: LocalMigration, role: string | undefined, verify: boolean): Promise<void> {
  const prefix = transactionPrefix(runner.settings, role);
  const finish = `${resetRole(role)}${runner.history.finishedRowSql(migration.name, migration.checksum)};\nCOMMIT;`;
  const attemptStarted = new Date();
  // One round trip per migration: the script, its row and the commit travel together.
  const attempt = verify
    ? async () => {
        await runInTransaction(runner.client, `${prefix}${migration.script}\n;`);
        const problem = await validateMigration(runner.client, migration, { insideTransaction: true });
        runner.emit({ event: 'verify', name: migration.name, ...verifyResult(migration, problem) });
        if (problem !== undefined) {
          await runner.client.query('ROLLBACK');
          throw new MigrationValidationError(migration.name, problem, 'undone');
        }
        await runInTransaction(runner.client, finish);
      }
    : () => runInTransaction(runner.client, `${prefix}${migration.script}\n;\n${finish}`);
  try {
    await withRetries(runner, migration.name, 'up', attempt);
  } catch (error) {
    if (error instanceof SupplyLedgerError) throw error;
    // Running out of lock attempts applied nothing: no failed row, so the next deploy just runs it.
    if (!isLockConflict(error)) {
      await runner.history.recordFailure(migration.name, migration.checksum, attemptStarted, failureLogs(migration.name, error));
    }
    throw failure(runner, migration.name, 'up', error, { script: migration.script, offset: prefix.length });
  }
}

async function applyStatements(
  runner: Runner,
  migration: LocalMigration,
  role: string | undefined,
  statements: SqlStatement[],
  resume?: MigrationRecord,
): Promise<void> {
  const { history } = runner;
  const id = resume?.id ?? (await history.recordStarted(migration.name, migration.checksum));
  const from = resume?.appliedStepsCount ?? 0;
  for (let index = from; index < statements.length; index++) {
    try {
      await runStatement(runner, migration.name, 'up', role, migration.script, statements[index]!, index, {
        retried: resume !== undefined && index === from,
        progress: { id, steps: index + 1 },
      });
    } catch (error) {
      // A lock that never came leaves the run resumable; any other error blocks deploys until resolved, as in Prisma.
      if (!(error instanceof LockTimeoutError)) {
        await history.recordFailedStep(id, `Migration name: ${migration.name}\n\nStatement ${index + 1}: ${(error as Error).message}\n`);
      }
      throw error;
    }
  }
  await history.recordFinished(id);
}

/**
 * Runs one statement of a statement-by-statement script, as `role` when given. A statement
 * PostgreSQL accepts in a transaction runs in one together with the progress update; one it refuses
 * there runs alone, and the progress is recorded right after it. `retried` says an earlier attempt
 * of this very statement may have run (an interrupted run), so that an index it built is not built
 * twice.
 */
async function runStatement(
  runner: Runner,
  name: string,
  direction: Direction,
  role: string | undefined,
  script: string,
  statement: SqlStatement,
  index: number,
  options: { retried: boolean; progress?: { id: string; steps: number } },
): Promise<void> {
  const { client, history, settings } = runner;
  const started = performance.now();
  const autocommit = autocommitReason(statement, runner.serverVersionNum) !== undefined;
  let skipped: string | undefined;
  let attempts = 0;
  const attempt = async () => {
    attempts++;
    if (autocommit) {
      if (options.retried || attempts > 1) skipped = await settleInterruptedIndexBuild(client, statement);
      if (skipped === undefined) {
        const setRole = role === undefined ? '' : `; SET ROLE ${quoteIdent(role)}`;
        await client.query(
          `SET lock_timeout = '${settings.lockTimeoutMs}ms'; SET statement_timeout = '${settings.statementTimeoutMs}ms'${setRole}`,
        );
        try {
          await client.query(statement.text);
        } finally {
          await client.query(`RESET lock_timeout; RESET statement_timeout${role === undefined ? '' : '; RESET ROLE'}`);
        }
      }
      if (options.progress) await history.recordAppliedSteps(options.progress.id, options.progress.steps);
    } else {
      const progress = options.progress
        ? `${resetRole(role)}${history.appliedStepsSql(options.progress.id, options.progress.steps)};\n`
        : '';
      await runInTransaction(client, `${transactionPrefix(settings, role)}${statement.text}\n;\n${progress}COMMIT;`);
    }
  };
  if (runner.watcher)
    runner.watcher.work = { name, direction, statement: { index, line: statement.line, text: summarize(statement.text) } };
  try {
    await withRetries(runner, name, direction, attempt);
  } catch (error) {
    if (error instanceof SupplyLedgerError) throw error;
    const prefixLength = autocommit ? 0 : transactionPrefix(settings, role).length;
    throw failure(runner, name, direction, error, { script, offset: prefixLength - statement.start }, { index, text: statement.text });
  }
  runner.emit({
    event: 'statement',
    name,
    direction,
    index,
    line: statement.line,
    durationMs: performance.now() - started,
    ...(skipped === undefined ? {} : { skipped }),
  });
}

/** A statement on one line, cut at 120 characters, for reports. */
function summarize(text: string): string {
  const line = text
    .replace(/--[^\n]*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/**
 * Before re-running `CREATE INDEX CONCURRENTLY name ON table ...` that may have run already: a
 * valid index of that name means the build completed (the statement is skipped, and the reason
 * returned); an invalid one is what an interrupted build leaves, and is dropped so that the build
 * starts over.
 */
async function settleInterruptedIndexBuild(client: pg.Client, statement: SqlStatement): Promise<string | undefined> {
  const { node } = statement;
  if (!('IndexStmt' in node) || !node.IndexStmt.concurrent) return undefined;
  const { idxname, relation } = node.IndexStmt;
  if (idxname === undefined || relation === undefined) return undefined; // no index name to look for
  const { rows } = await client.query<{ valid: boolean; qualified: string }>(
    `SELECT i.indisvalid AS valid, format('%I.%I', n.nspname, c.relname) AS qualified
       FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass($2))`,
    [idxname, rangeVarParts(relation).map(quoteIdent).join('.')],
  );
  const found = rows[0];
  if (!found) return undefined;
  if (found.valid) return `index ${found.qualified} was already built by an interrupted run`;
  await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${found.qualified}`);
  return undefined;
}

async function verifyOrUndo(runner: Runner, migration: LocalMigration, role: string | undefined): Promise<void> {
  const problem = await validateMigration(runner.client, migration, { role });
  runner.emit({ event: 'verify', name: migration.name, ...verifyResult(migration, problem) });
  if (problem === undefined) return;
  if (migration.downPath === undefined) throw new MigrationValidationError(migration.name, problem, 'still applied');
  await revertMigration(runner, migration);
  throw new MigrationValidationError(migration.name, problem, 'rolled back');
}

function verifyResult(migration: LocalMigration, problem: string | undefined) {
  if (migration.validatePath === undefined) return { result: 'no validate.sql' as const };
  return problem === undefined ? { result: 'passed' as const } : { result: 'failed' as const, message: problem };
}

/** BEGIN plus the runner's timeouts and the migration's role, local to the transaction. */
function transactionPrefix(settings: RunnerSettings, role: string | undefined): string {
  return (
    `BEGIN;\nSET LOCAL lock_timeout = '${settings.lockTimeoutMs}ms';\nSET LOCAL statement_timeout = '${settings.statementTimeoutMs}ms';\n` +
    setLocalRole(role)
  );
}

/** `SET LOCAL ROLE` to `role` (a line of its own), or nothing. */
function setLocalRole(role: string | undefined): string {
  return role === undefined ? '' : `SET LOCAL ROLE ${quoteIdent(role)};\n`;
}

/** Back to the session's own role before the runner writes `_prisma_migrations`, or nothing. */
function resetRole(role: string | undefined): string {
  return role === undefined ? '' : 'RESET ROLE;\n';
}

/** The migration-start event's `role`, when the migration does not run as the session user. */
function asRole(role: string | undefined): { role?: string } {
  return role === undefined ? {} : { role };
}

/** Sends SQL that opens (or continues) an explicit transaction; on error the transaction is rolled back. */
async function runInTransaction(client: pg.Client, sql: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** Runs `attempt` again after a growing pause while it loses a lock conflict, reporting each retry. */
function withRetries(runner: Runner, name: string, direction: Direction, attempt: () => Promise<void>): Promise<void> {
  return retryOnLockConflict(attempt, {
    policy: runner.settings.retry,
    onRetry: (retry) => runner.emit({ event: 'retry', name, direction, ...retry }),
  });
}

/** Turns a database error from a script into the error deploy and rollback throw. */
function failure(
  runner: Runner,
  name: string,
  direction: Direction,
  error: unknown,
  source: { script: string; offset: number },
  statement?: { index: number; text: string },
): LockTimeoutError | MigrationFailedError {
  const file = direction === 'up' ? 'migration.sql' : 'down.sql';
  const failed = databaseFailure(error, source);
  if (isLockConflict(error)) return new LockTimeoutError(name, file, runner.settings.retry.attempts, failed, statement?.index);
  return new MigrationFailedError(name, file, failed, statement?.index, statement?.text);
}

/**
 * What PostgreSQL said about a script: message, SQLSTATE, and the line of `script` it points at.
 * `offset` is where the script's text stands in the query that was sent, minus where that query's
 * text starts in the script (so that query position - offset = script position).
 */
function databaseFailure(error: unknown, source: { script: string; offset: number }): DatabaseFailure {
  const { code, message, position } = error as { code?: string; message?: string; position?: string };
  const at = position === undefined ? -1 : Number(position) - 1 - source.offset;
  return {
    message: message ?? String(error),
    sqlState: code,
    line: at >= 0 && at <= source.script.length ? lineLocator(source.script)(at) : undefined,
  };
}
