/**
 * The `migrate` commands: deploy, status, resolve, rollback, verify. Each resolves the database
 * (DATABASE_URL, else the embedded server), works on one connection, prints lines of text or,
 * with --json, one JSON object per line.
 */
import type pg from 'pg';
import { withConnection } from '../db/database.ts';
import { readEnvironment } from '../db/env.ts';
import { deployWithBackup } from '../backup/deploy.ts';
import { DEFAULT_RETRY } from '../db/retry.ts';
import { type DeployResult, deploy } from '../migrate/deploy.ts';
import type { Emit, RunnerEvent } from '../migrate/events.ts';
import { type DeployPlan, planDeploy } from '../migrate/plan.ts';
import { resolveApplied, resolveRolledBack } from '../migrate/resolve.ts';
import { rollback } from '../migrate/rollback.ts';
import type { RunnerSettings } from '../migrate/settings.ts';
import { describeObjectDrift } from '../migrate/fingerprint.ts';
import { migrationStatus } from '../migrate/status.ts';
import type { MigrationTarget } from '../migrate/target.ts';
import { SCHEMA_INTEGRITY_FUNCTION, type VerifyResult, verify } from '../migrate/verify.ts';
import { projectMigrationTarget } from '../project.ts';
import { type ParsedArgs, parseDuration, positiveInteger } from './args.ts';
import { EXIT, UsageError } from './errors.ts';
import { backupDir, describeBackup } from './backup.ts';
import type { Io } from './io.ts';

/** Flags shared by the commands that run migration SQL. */
export const TIMEOUT_FLAGS = {
  'lock-timeout': 'string',
  'statement-timeout': 'string',
  'lock-wait': 'string',
  attempts: 'string',
} as const;

type TimeoutFlags = ParsedArgs<typeof TIMEOUT_FLAGS>['flags'];

/** Runner settings from flags, else MIGRATE_* variables, else the defaults. */
function settingsFrom(flags: TimeoutFlags): Partial<RunnerSettings> {
  const env = readEnvironment();
  const settings: Partial<RunnerSettings> = {};
  const lockTimeout = flags['lock-timeout'] ?? env.migrateLockTimeout;
  if (lockTimeout !== undefined) settings.lockTimeoutMs = parseDuration(lockTimeout, '--lock-timeout');
  const statementTimeout = flags['statement-timeout'] ?? env.migrateStatementTimeout;
  if (statementTimeout !== undefined) settings.statementTimeoutMs = parseDuration(statementTimeout, '--statement-timeout');
  const lockWait = flags['lock-wait'] ?? env.migrateLockWait;
  if (lockWait !== undefined) settings.lockWaitMs = parseDuration(lockWait, '--lock-wait');
  const attempts = positiveInteger(flags.attempts, '--attempts');
  if (attempts !== undefined) settings.retry = { ...DEFAULT_RETRY, attempts };
  return settings;
}

/** Runs `fn` on one connection to the resolved database, with the project's migrations as they apply to it. */
function onDatabase<T>(fn: (client: pg.Client, target: MigrationTarget) => Promise<T>): Promise<T> {
  return withConnection((client, database) => fn(client, projectMigrationTarget(database.url)), {
    applicationName: 'supply-ledger migrate',
  });
}

/** Where events go: JSON lines, or readable lines. */
function reporter(json: boolean, io: Io): Emit {
  return json ? (event) => io.out(JSON.stringify(roundDurations(event))) : eventPrinter(io);
}

/** `migrate deploy`. */
export async function migrateDeploy(
  flags: TimeoutFlags & { 'dry-run'?: boolean; json?: boolean; verify?: boolean; backup?: boolean; 'backup-dir'?: string },
  io: Io,
): Promise<void> {
  const json = flags.json === true;
  const settings = settingsFrom(flags);
  if (flags['backup-dir'] !== undefined && !flags.backup) throw new UsageError('--backup-dir goes with --backup');
  if (flags.backup && flags['dry-run']) throw new UsageError('--backup and --dry-run do not go together: a dry run changes nothing');
  if (flags.backup) {
    const result = await withConnection(
      async (client, database) => {
        const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
        const deployed = await deployWithBackup(client, database.url, projectMigrationTarget(database.url), {
          settings,
          verify: flags.verify === true,
          emit: reporter(json, io),
          backup: { dir: backupDir(flags['backup-dir']), log: json ? undefined : (line) => io.out(line) },
        });
        return { ...deployed, serverVersion: rows[0]?.server_version ?? 'unknown' };
      },
      { applicationName: 'supply-ledger migrate' },
    );
    if (json) io.out(JSON.stringify({ event: 'result', status: 'ok', ...result }));
    else {
      if (result.backup) io.out(describeBackup(result.backup));
      io.out(deploySummary(result));
    }
    return;
  }
  if (flags['dry-run']) {
    const plan = await onDatabase((client, target) => planDeploy(client, target, { settings }));
    io.out(json ? JSON.stringify({ event: 'plan', ...plan }) : renderPlan(plan));
    return;
  }
  try {
    const result = await onDatabase((client, target) =>
      deployWithVersion(client, target, { settings, verify: flags.verify === true, emit: reporter(json, io) }),
    );
    io.out(json ? JSON.stringify({ event: 'result', status: 'ok', ...result }) : deploySummary(result));
  } catch (error) {
    if (json) io.out(JSON.stringify({ event: 'result', status: 'failed', error: (error as Error).message }));
    throw error;
  }
}

/** Deploys `target` on `client` and says which server it was; also used by `db setup`. */
export async function deployWithVersion(
  client: pg.Client,
  target: MigrationTarget,
  options: { settings?: Partial<RunnerSettings>; verify?: boolean; emit: Emit },
): Promise<DeployResult & { serverVersion: string }> {
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  const result = await deploy(client, target, options);
  return { ...result, serverVersion: rows[0]?.server_version ?? 'unknown' };
}

export function deploySummary(result: DeployResult): string {
  const appliedNow = result.applied.length;
  return `${appliedNow} migration${appliedNow === 1 ? '' : 's'} applied now, ${result.total} applied in total, 0 pending`;
}

/** `migrate status`: exit code 1 when the database is not up to date, as `prisma migrate status`. */
export async function migrateStatus(flags: { json?: boolean }, io: Io): Promise<number> {
  const status = await onDatabase((client, target) => migrationStatus(client, target));
  if (flags.json) {
    io.out(JSON.stringify(status));
  } else {
    const width = Math.max(0, ...status.migrations.map((m) => m.name.length));
    for (const m of status.migrations) {
      const when = m.at ? `  ${m.at.toISOString().replace('T', ' ').slice(0, 19)}` : '';
      const extra = [m.edited ? 'edited after it was applied (checksum differs)' : '', m.error ?? ''].filter(Boolean).join('; ');
      io.out(`${m.name.padEnd(width)}  ${m.state.padEnd(15)}${when}${extra ? `  ${extra}` : ''}`);
    }
    if (!status.historyExists) io.out('_prisma_migrations does not exist: no migration was ever applied to this database');
    const drift = status.schemaDrift;
    const drifted = drift.state === 'checked' ? drift.objects : [];
    if (drift.state === 'not recorded')
      io.out('no schema fingerprint recorded yet (deployed by Prisma?): objects changed by hand cannot be told');
    if (drifted.length > 0) {
      io.out(`changed outside the migrations (${plural(drifted.length, 'object')}):`);
      for (const object of drifted) io.out(`  ${describeObjectDrift(object)}`);
    }
    const problems = [
      ...(status.migrations.some((m) => m.state !== 'applied') || !status.historyExists
        ? [statusProblems(status.migrations.map((m) => m.state))]
        : []),
      ...(drifted.length > 0 ? [`${plural(drifted.length, 'object')} changed outside the migrations`] : []),
    ];
    io.out(status.upToDate ? 'Database is up to date.' : `Database is not up to date: ${problems.join('; ')}.`);
  }
  return status.upToDate ? EXIT.OK : EXIT.FAILURE;
}

function statusProblems(states: string[]): string {
  const counts = new Map<string, number>();
  for (const state of states) if (state !== 'applied') counts.set(state, (counts.get(state) ?? 0) + 1);
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ') || 'no migration history';
}

/** `migrate resolve --applied NAME | --rolled-back NAME`. */
export async function migrateResolve(flags: { applied?: string; 'rolled-back'?: string; 'lock-wait'?: string }, io: Io): Promise<void> {
  const applied = flags.applied;
  const rolledBack = flags['rolled-back'];
  if ((applied === undefined) === (rolledBack === undefined)) {
    throw new UsageError('give exactly one of --applied NAME or --rolled-back NAME');
  }
  const options = { lockWaitMs: settingsFrom({ 'lock-wait': flags['lock-wait'] }).lockWaitMs };
  await onDatabase(async (client, target) => {
    if (applied !== undefined) await resolveApplied(client, target, applied, options);
    else await resolveRolledBack(client, target, rolledBack!, options);
  });
  io.out(applied !== undefined ? `recorded ${applied} as applied` : `recorded ${rolledBack} as rolled back; deploy will apply it again`);
}

/** `migrate rollback [--steps N | --to NAME]`. */
export async function migrateRollback(flags: TimeoutFlags & { steps?: string; to?: string; json?: boolean }, io: Io): Promise<void> {
  const steps = positiveInteger(flags.steps, '--steps');
  const settings = settingsFrom(flags);
  const result = await onDatabase((client, target) =>
    rollback(client, target, { steps, to: flags.to, settings, emit: reporter(flags.json === true, io) }),
  );
  const count = result.rolledBack.length;
  io.out(
    flags.json
      ? JSON.stringify({ event: 'result', status: 'ok', rolledBack: result.rolledBack })
      : `rolled back ${count} migration${count === 1 ? '' : 's'}: ${result.rolledBack.join(', ')}`,
  );
}

/** `migrate verify [NAME]`: exit code 1 when an assertion fails. */
export async function migrateVerify(name: string | undefined, flags: { json?: boolean }, io: Io): Promise<number> {
  const results = await onDatabase((client, target) => verify(client, target, { name }));
  for (const result of results) {
    if (flags.json) io.out(JSON.stringify({ event: 'verify', ...result }));
    else io.out(`${result.result.padEnd(15)} ${result.name}${result.message ? `: ${result.message}` : ''}`);
  }
  const failed = results.filter((result) => result.result === 'failed').length;
  if (!flags.json) io.out(verifySummary(results));
  return failed === 0 ? EXIT.OK : EXIT.FAILURE;
}

/**
 * `N migrations verified, schema integrity: 15 checks passed`, or what failed of each: the
 * migrations' validate.sql results and those of `core.validate_schema_integrity()` (a passed
 * result saying how many checks passed, or one failed result per failing check) counted apart.
 */
export function verifySummary(results: VerifyResult[]): string {
  const isIntegrity = (result: VerifyResult) =>
    result.name === SCHEMA_INTEGRITY_FUNCTION || result.name.startsWith(`${SCHEMA_INTEGRITY_FUNCTION}: `);
  const migrations = results.filter((result) => !isIntegrity(result));
  const failedMigrations = migrations.filter((result) => result.result === 'failed').length;
  const parts = [
    failedMigrations === 0
      ? `${plural(migrations.length, 'migration')} verified`
      : `${failedMigrations} of ${plural(migrations.length, 'migration')} failed verification`,
  ];
  const integrity = results.filter(isIntegrity);
  const failedChecks = integrity.filter((result) => result.result === 'failed').length;
  if (failedChecks > 0) parts.push(`schema integrity: ${plural(failedChecks, 'check')} failed`);
  else if (integrity.length > 0) parts.push(`schema integrity: ${integrity[0]!.message ?? 'passed'}`);
  return parts.join(', ');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Prints runner events as readable lines; the lock wait is said once per printer. */
export function eventPrinter(io: Io): Emit {
  let lockWaitReported = false;
  return (event) => {
    const verb = (up: string, down: string) => ('direction' in event && event.direction === 'down' ? down : up);
    switch (event.event) {
      case 'lock-wait':
        if (!lockWaitReported) io.out('waiting for another migration run to release the migration lock...');
        lockWaitReported = true;
        break;
      case 'migration-start': {
        const how =
          event.mode === 'transaction'
            ? `in one transaction (${event.statements} statements)`
            : `statement by statement (${event.statements} statements)`;
        const resume = event.resumeAt === undefined ? '' : `, resuming at statement ${event.resumeAt + 1}`;
        io.out(`${verb('applying', 'rolling back')} ${event.name} ${how}${resume}`);
        break;
      }
      case 'statement':
        io.out(
          `  statement ${event.index + 1} (line ${event.line}) ${event.skipped ? `skipped: ${event.skipped}` : `in ${ms(event.durationMs)}`}`,
        );
        break;
      case 'retry':
        io.out(`  ${event.code} ${event.message}; attempt ${event.attempt} in ${ms(event.delayMs)}`);
        break;
      case 'migration-finish':
        io.out(`${verb('applied', 'rolled back')} ${event.name} in ${ms(event.durationMs)}`);
        break;
      case 'migration-fail':
        io.out(`${verb('failed', 'rollback failed')} ${event.name} after ${ms(event.durationMs)}`);
        break;
      case 'verify':
        io.out(`  verify: ${event.result}${event.message ? `: ${event.message}` : ''}`);
        break;
      case 'lock-blocked': {
        const where = event.statement
          ? ` (statement ${event.statement.index + 1}, line ${event.statement.line}: ${event.statement.text})`
          : '';
        const blockers = event.blockers
          .map((b) => {
            const open = b.transactionMs === null ? '' : `, transaction open ${ms(b.transactionMs)}`;
            return `pid ${b.pid} (${b.application || b.user}, ${b.state ?? 'unknown state'}${open}: ${b.query})`;
          })
          .join('; ');
        io.out(`  ${event.name}${where} waiting ${ms(event.waitedMs)} for ${event.lock}, blocked by ${blockers || 'an unknown session'}`);
        break;
      }
      case 'warning':
        io.err(`warning: ${event.message}`);
        break;
    }
  };
}

function renderPlan(plan: DeployPlan): string {
  const { settings } = plan;
  const lines = [
    `Dry run, nothing changed: ${plan.pending.length} of ${plan.total} migration(s) pending; ` +
      `lock_timeout ${ms(settings.lockTimeoutMs)}, ${settings.retry.attempts} attempt(s), ` +
      `statement_timeout ${settings.statementTimeoutMs === 0 ? 'none' : ms(settings.statementTimeoutMs)}`,
  ];
  if (!plan.historyExists) lines.push('_prisma_migrations does not exist yet: deploy will create it');
  for (const migration of plan.pending) {
    const how = migration.mode === 'transaction' ? 'one transaction' : 'statement by statement, outside a transaction';
    const resume = migration.resumeAt === undefined ? '' : `, resumes at statement ${migration.resumeAt + 1}`;
    lines.push('', `${migration.name} (${how}${resume})`);
    for (const statement of migration.statements) {
      lines.push(`  line ${String(statement.line).padEnd(5)} ${statement.summary}`);
      const indent = ' '.repeat(13);
      for (const lock of statement.locks) lines.push(`${indent}${lock.mode} on ${lock.relation} (${describeSize(lock.size)})`);
      if (statement.unknown) lines.push(`${indent}locks unknown: ${statement.unknown}`);
      if (statement.locks.length === 0 && !statement.unknown) lines.push(`${indent}no table lock`);
      for (const note of statement.notes) lines.push(`${indent}note: ${note}`);
    }
  }
  return lines.join('\n');
}

function describeSize(size: DeployPlan['pending'][number]['statements'][number]['locks'][number]['size']): string {
  if (!size.exists) return 'created here or not existing yet';
  const rows = size.rows === undefined ? 'rows unknown' : `${size.estimated ? '~' : ''}${size.rows.toLocaleString('en-US')} rows`;
  const on = size.table ? `table ${size.table}: ` : '';
  return `${on}${rows}, ${formatBytes(size.bytes ?? 0)}`;
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function roundDurations(event: RunnerEvent): RunnerEvent {
  const copy: Record<string, unknown> = { ...event };
  for (const key of ['durationMs', 'waitedMs', 'delayMs']) {
    if (typeof copy[key] === 'number') copy[key] = Math.round((copy[key] as number) * 10) / 10;
  }
  return copy as RunnerEvent;
}
