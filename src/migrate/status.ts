/**
 * `status`: how the database's migration history compares with prisma/migrations, read-only.
 * Up to date means what `prisma migrate status` means by it (exit code 0): the history table
 * exists, nothing is pending, nothing failed, and nothing applied is missing locally. A migration
 * edited after it was applied is reported but, as in Prisma, does not make the database out of date.
 * Beyond Prisma: an object Prisma cannot see (a function, trigger, policy, view, constraint or
 * grant) changed outside the migrations makes it out of date too.
 */
import type pg from 'pg';
import { checksumMatches } from './checksum.ts';
import { readMigrations } from './directory.ts';
import { type SchemaDrift, schemaDrift } from './fingerprint.ts';
import { MigrationHistory, type MigrationRecord, isApplied, isFailed } from './history.ts';
import type { MigrationTarget } from './target.ts';

export interface MigrationState {
  name: string;
  state: 'applied' | 'pending' | 'failed' | 'rolled back' | 'missing locally';
  /** Applied with a checksum that no longer matches the file. */
  edited?: boolean;
  /** When it was applied, failed or rolled back (the latest row). */
  at?: Date;
  /** For failed migrations, the last line of the error Prisma logged. */
  error?: string;
}

export interface HistoryStatus {
  historyExists: boolean;
  migrations: MigrationState[];
  /**
   * Functions, triggers, policies, views, constraints and privileges changed, dropped or created
   * outside the migrations, compared with the fingerprint the runner recorded (fingerprint.ts).
   */
  schemaDrift: SchemaDrift;
  /** Every migration applied, and no object changed outside the migrations. */
  upToDate: boolean;
}

/**
 * How the database's migration history compares with `target`'s folder (read-only).
 *
 * @example
 * const { upToDate, migrations } = await migrationStatus(client, target);
 */
export async function migrationStatus(client: pg.Client, target: MigrationTarget): Promise<HistoryStatus> {
  const local = readMigrations(target.migrationsDir);
  const history = new MigrationHistory(client, target.historySchema);
  const historyExists = await history.exists();
  const records = await history.records();
  const byName = new Map<string, MigrationRecord[]>();
  for (const record of records) byName.set(record.migrationName, [...(byName.get(record.migrationName) ?? []), record]);

  const states: MigrationState[] = local.map(({ name, script }) => {
    const rows = byName.get(name) ?? [];
    const applied = rows.findLast(isApplied);
    if (applied) {
      const edited = !checksumMatches(applied.checksum, script);
      return { name, state: 'applied', at: applied.finishedAt!, ...(edited ? { edited } : {}) };
    }
    const failed = rows.findLast(isFailed);
    if (failed) return { name, state: 'failed', at: failed.startedAt, ...errorOf(failed) };
    const rolledBack = rows.findLast((row) => row.rolledBackAt !== null);
    if (rolledBack) return { name, state: 'rolled back', at: rolledBack.rolledBackAt! };
    return { name, state: 'pending' };
  });
  const localNames = new Set(local.map((migration) => migration.name));
  for (const [name, rows] of byName) {
    const applied = rows.findLast(isApplied);
    if (!localNames.has(name) && applied) states.push({ name, state: 'missing locally', at: applied.finishedAt! });
  }
  const drift = await schemaDrift(client);
  const upToDate =
    historyExists && states.every((state) => state.state === 'applied') && !(drift.state === 'checked' && drift.objects.length > 0);
  return { historyExists, migrations: states, schemaDrift: drift, upToDate };
}

function errorOf(record: MigrationRecord): { error?: string } {
  const error = record.logs?.trim().split('\n').filter(Boolean).at(-1);
  return error === undefined ? {} : { error };
}
