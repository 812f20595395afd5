import { randomUUID } from 'node:crypto';
import type pg from 'pg';

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

/**
 * Prisma's migration table, read and written exactly as Prisma's schema engine does
 * (prisma-engines: flavour/postgres.rs `create_migrations_table`, sql_migration_persistence.rs):
 * a UUIDv4 id per attempt, the script's checksum, `applied_steps_count` incremented on success,
 * `finished_at` set last, `logs` filled on failure. No unique name constraint: a rolled-back row and
 * its re-applied successor coexist.
 */
export class MigrationHistory {
  readonly #client: pg.Client;
  readonly #schema: string;

  /** @param schema the connection's default schema (the URL's `schema` parameter, else public), where Prisma keeps the table */
  constructor(client: pg.Client, schema = 'public') {
    this.#client = client;
    this.#schema = schema;
  }

  get #table(): string {
    return `${quoteIdent(this.#schema)}."_prisma_migrations"`;
  }

  async exists(): Promise<boolean> {
    const { rows } = await this.#client.query<{ found: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AS found`,
      [this.#table],
    );
    return rows[0]?.found === true;
  }

  /** Creates the table with Prisma's exact definition when it does not exist yet. */
  async ensureTable(): Promise<void> {
    if (await this.exists()) return;
    if (this.#schema !== 'public') await this.#client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.#schema)}`);
    await this.#client.query(`
      CREATE TABLE ${this.#table} (
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
    if (!(await this.exists())) return [];
    const { rows } = await this.#client.query<MigrationRecord>(`
      SELECT id, checksum, finished_at AS "finishedAt", migration_name AS "migrationName", logs,
             rolled_back_at AS "rolledBackAt", started_at AS "startedAt", applied_steps_count AS "appliedStepsCount"
        FROM ${this.#table}
       ORDER BY started_at ASC`);
    return rows;
  }

  /** Inserts the row of a new attempt and returns its id. */
  async recordStarted(migrationName: string, checksum: string): Promise<string> {
    const id = randomUUID();
    await this.#client.query(
      `INSERT INTO ${this.#table} (id, checksum, started_at, migration_name) VALUES ($1, $2, date_trunc('milliseconds', clock_timestamp()), $3)`,
      [id, checksum, migrationName],
    );
    return id;
  }

  async recordSuccessfulStep(id: string): Promise<void> {
    await this.#client.query(`UPDATE ${this.#table} SET applied_steps_count = applied_steps_count + 1 WHERE id = $1`, [id]);
  }

  async recordFinished(id: string): Promise<void> {
    await this.#client.query(`UPDATE ${this.#table} SET finished_at = date_trunc('milliseconds', clock_timestamp()) WHERE id = $1`, [id]);
  }

  async recordFailedStep(id: string, logs: string): Promise<void> {
    await this.#client.query(`UPDATE ${this.#table} SET logs = $1 WHERE id = $2`, [logs, id]);
  }
}

/** Rows that count as applied for Prisma: every row not rolled back (a failed row blocks deploys). */
export function isCounted(record: MigrationRecord): boolean {
  return record.rolledBackAt === null;
}

/** A failed attempt: started, neither finished nor rolled back. Prisma refuses to deploy while one exists (P3009). */
export function isFailed(record: MigrationRecord): boolean {
  return record.finishedAt === null && record.rolledBackAt === null;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
