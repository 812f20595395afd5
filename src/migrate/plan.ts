/**
 * `deploy --dry-run`: what deploy would do, read without writing or locking anything: each pending
 * migration, how it runs, its statements, the lock each takes and the current size of the table
 * it takes it on. A deploy that would be refused is refused here too, with the same message.
 */
import type pg from 'pg';
import { createRunner, upMode } from './apply.ts';
import { type DeployOptions, assertNoUserTables, pendingMigrations } from './deploy.ts';
import { readMigrations } from './directory.ts';
import { type LockMode, type RelationLock, type RelationSize, relationSizes, statementLocks } from './lock-analysis.ts';
import type { RunnerSettings } from './settings.ts';
import type { MigrationTarget } from './target.ts';
import type { SqlStatement } from './sql.ts';

export interface PlannedLock {
  relation: string;
  mode: LockMode;
  size: RelationSize;
}

export interface PlannedStatement {
  line: number;
  /** The statement's first line, shortened. */
  summary: string;
  locks: PlannedLock[];
  notes: string[];
  /** Why the locks are not known from the text, when they are not. */
  unknown?: string;
}

/** What the plan says of a statement from its text alone, before looking at the database. */
export interface StatementAnalysis extends Omit<PlannedStatement, 'locks'> {
  locks: RelationLock[];
}

export interface PlannedMigration {
  name: string;
  mode: 'transaction' | 'statements';
  /** 0-based statement an interrupted run resumes at. */
  resumeAt?: number;
  statements: PlannedStatement[];
}

export interface DeployPlan {
  settings: RunnerSettings;
  /** Whether `_prisma_migrations` exists yet (deploy would create it). */
  historyExists: boolean;
  pending: PlannedMigration[];
  total: number;
}

/**
 * What `deploy` would do on `client`'s database, read without writing or locking anything.
 *
 * @example
 * const plan = await planDeploy(client, target);
 * for (const migration of plan.pending) console.log(migration.name, migration.statements.length);
 */
export async function planDeploy(
  client: pg.Client,
  target: MigrationTarget,
  options: Pick<DeployOptions, 'settings'> = {},
): Promise<DeployPlan> {
  const migrations = readMigrations(target.migrationsDir);
  const runner = await createRunner(client, { historySchema: target.historySchema, ...options });
  const historyExists = await runner.history.exists();
  if (!historyExists) await assertNoUserTables(client, target);
  const pending = await pendingMigrations(runner, migrations, await runner.history.records());
  const planned: PlannedMigration[] = [];
  for (const { migration, resume } of pending) {
    const mode = await upMode(runner, migration);
    const statements: PlannedStatement[] = [];
    for (const statement of mode.statements) {
      const analysis = analyseStatement(statement);
      const sizes = await relationSizes(client, analysis.locks);
      const locks = analysis.locks.map((lock) => ({ relation: lock.relation, mode: lock.mode, size: sizes.get(lock.relation)! }));
      statements.push({ ...analysis, locks });
    }
    planned.push({ name: migration.name, mode: mode.kind, ...(resume ? { resumeAt: resume.appliedStepsCount } : {}), statements });
  }
  return { settings: runner.settings, historyExists, pending: planned, total: migrations.length };
}

/** A statement's line, summary, locks and notes: the part of its plan that needs no database (static). */
export function analyseStatement(statement: SqlStatement): StatementAnalysis {
  const { locks, notes, unknown } = statementLocks(statement);
  return { line: statement.line, summary: summarize(statement.text), locks, notes, ...(unknown === undefined ? {} : { unknown }) };
}

function summarize(statement: string): string {
  const firstLine = statement.split('\n')[0]!.trim();
  const short = firstLine.length > 90 ? `${firstLine.slice(0, 87)}...` : firstLine;
  return statement.includes('\n') && short === firstLine ? `${short} ...` : short;
}
