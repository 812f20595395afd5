import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { quoteIdent } from '../db/connect.ts';

/** One row of `_prisma_migrations`. */
export interface MigrationRecord {
  id: string;
  checksum: string;
  finishedAt: Date | null;
  migrationName: string;
  logs: string | null;
  rolledBackAt: Date | null;
  startedAt: Date;
  appliedStepsCount: number;
}

/** Prisma's timestamps have millisecond precision; the runner's match them. */
const NOW_MS = "date_trunc('milliseconds', clock_timestamp())";

/**
 * Prisma's migration table, read and written as Prisma's schema engine does
 * (prisma-engines: flavour/postgres.rs `create_migrations_table`, sql_migration_persistence.rs,
 * commands/mark_migration_applied.rs): a UUIDv4 id per attempt, the script's checksum,
 * `applied_steps_count`, `finished_at` set on success, `logs` on failure, `rolled_back_at` to
 * retire a row. No unique name constraint: a rolled-back row and its successor coexist.
 */
export class MigrationHistory {
  readonly #client: pg.Client;
  readonly #schema: string;

  /** @param schema the connection's default schema (the URL's `schema` parameter, else public), where Prisma keeps the table */
  constructor(client: pg.Client, schema = 'public') {
    this.#client = client;
    this.#schema = schema;
  }

  /** The table's qualified name, for SQL the runner composes. */
  get table(): string {
    return `${quoteIdent(this.#schema)}."_prisma_migrations"`;
  }

  async exists(): Promise<boolean> {
    const { rows } = await this.#client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [this.table]);
    return rows[0]?.found === true;
  }

  /** Creates the table with Prisma's exact definition when it does not exist yet. */
  async ensureTable(): Promise<void> {
    if (!(await this.exists())) await this.createTable();
  }

  /** Creates the table with Prisma's exact definition (it must not exist yet). */
  async createTable(): Promise<void> {
    if (this.#schema !== 'public') await this.#client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.#schema)}`);
    await this.#client.query(`
      CREATE TABLE ${this.table} (
          id                      VARCHAR(36) PRIMARY KEY NOT NULL,
          checksum                VARCHAR(64) NOT NULL,
          finished_at             TIMESTAMPTZ,
          migration_name          VARCHAR(255) NOT NULL,
          logs                    TEXT,
          rolled_back_at          TIMESTAMPTZ,
          started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
          applied_steps_count     INTEGER NOT NULL DEFAULT 0
      )`);
  }

  /** Every row in the order Prisma lists them (by start time); empty when the table does not exist. */
  async records(): Promise<MigrationRecord[]> {
    try {
      const { rows } = await this.#client.query<MigrationRecord>(`
        SELECT id, checksum, finished_at AS "finishedAt", migration_name AS "migrationName", logs,
               rolled_back_at AS "rolledBackAt", started_at AS "startedAt", applied_steps_count AS "appliedStepsCount"
          FROM ${this.table}
         ORDER BY started_at ASC, finished_at ASC NULLS LAST`);
      return rows;
    } catch (error) {
      if ((error as { code?: string }).code === '42P01') return []; // undefined_table
      throw error;
    }
  }

  /** Inserts the row of an attempt that starts now (statement-by-statement mode) and returns its id. */
  async recordStarted(migrationName: string, checksum: string): Promise<string> {
    const id = randomUUID();
    await this.#client.query(`INSERT INTO ${this.table} (id, checksum, started_at, migration_name) VALUES ($1, $2, ${NOW_MS}, $3)`, [
      id,
      checksum,
      migrationName,
    ]);
    return id;
  }

  async recordAppliedSteps(id: string, steps: number): Promise<void> {
    await this.#client.query(this.appliedStepsSql(id, steps));
  }

  /** SQL that records `steps` finished statements, to run in the same transaction as the last of them. */
  appliedStepsSql(id: string, steps: number): string {
    return `UPDATE ${this.table} SET applied_steps_count = ${Math.trunc(steps)} WHERE id = ${this.#client.escapeLiteral(id)}`;
  }

  async recordFinished(id: string): Promise<void> {
    await this.#client.query(`UPDATE ${this.table} SET finished_at = ${NOW_MS} WHERE id = $1`, [id]);
  }

  async recordFailedStep(id: string, logs: string): Promise<void> {
    await this.#client.query(`UPDATE ${this.table} SET logs = $1 WHERE id = $2`, [logs, id]);
  }

  /** The row Prisma leaves for an attempt that failed: started, never finished, with the error in `logs`. */
  async recordFailure(migrationName: string, checksum: string, startedAt: Date, logs: string): Promise<void> {
    await this.#client.query(
      `INSERT INTO ${this.table} (id, checksum, started_at, migration_name, logs) VALUES ($1, $2, date_trunc('milliseconds', $3::timestamptz), $4, $5)`,
      [randomUUID(), checksum, startedAt, migrationName, logs],
    );
  }

  /**
   * SQL that inserts the row of a successful attempt, to run inside the migration's own transaction
   * so that script and row commit together: started at the transaction's start, finished now.
   */
  finishedRowSql(migrationName: string, checksum: string): string {
    const values = [randomUUID(), checksum, migrationName].map((value) => this.#client.escapeLiteral(value));
    return (
      `INSERT INTO ${this.table} (id, checksum, started_at, finished_at, migration_name, applied_steps_count) ` +
      `VALUES (${values[0]}, ${values[1]}, date_trunc('milliseconds', now()), ${NOW_MS}, ${values[2]}, 1)`
    );
  }

  /** SQL that marks the applied rows of `migrationName` rolled back, to run in the rollback's transaction. */
  rolledBackSql(migrationName: string): string {
    return (
      `UPDATE ${this.table} SET rolled_back_at = ${NOW_MS} ` +
      `WHERE migration_name = ${this.#client.escapeLiteral(migrationName)} AND finished_at IS NOT NULL AND rolled_back_at IS NULL`
    );
  }

  /** Retires the rows with these ids (`resolve`). */
  async markRolledBack(ids: string[]): Promise<void> {
    await this.#client.query(`UPDATE ${this.table} SET rolled_back_at = ${NOW_MS} WHERE id = ANY($1)`, [ids]);
  }

  /** The row `prisma migrate resolve --applied` inserts: started and finished at the same instant, empty logs, no steps. */
  async recordMarkedApplied(migrationName: string, checksum: string): Promise<void> {
    await this.#client.query(
      `INSERT INTO ${this.table} (id, checksum, logs, started_at, finished_at, migration_name)
       SELECT $1, $2, '', t, t, $3 FROM (SELECT ${NOW_MS} AS t) AS now`,
      [randomUUID(), checksum, migrationName],
    );
  }
}

/** Rows that count as applied for Prisma: every row not rolled back (a failed row blocks deploys). */
export function isCounted(record: MigrationRecord): boolean {
  return record.rolledBackAt === null;
}

/** A finished, not rolled-back row: the migration is applied. */
export function isApplied(record: MigrationRecord): boolean {
  return record.finishedAt !== null && record.rolledBackAt === null;
}

/** A failed attempt: started, neither finished nor rolled back. Prisma refuses to deploy while one exists (P3009). */
export function isFailed(record: MigrationRecord): boolean {
  return record.finishedAt === null && record.rolledBackAt === null;
}

/** The `logs` Prisma's engine stores for a failed script: migration name, SQLSTATE and the server's message. */
export function failureLogs(name: string, error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return `Migration name: ${name}\n\nDatabase error code: ${code ?? 'unknown'}\n\nDatabase error:\n${message ?? String(error)}\n`;
}
