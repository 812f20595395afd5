/**
 * The runner and Prisma's own `prisma migrate deploy/status` (Prisma 6.19's schema engine run as
 * WebAssembly, tools/prisma6) continue each other's work on the same `_prisma_migrations`.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { deploy } from '../../src/migrate/deploy.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { migrationStatus } from '../../src/migrate/status.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import * as prisma6 from '../../tools/prisma6/prisma6.ts';
import { scratchDatabase } from '../harness/db.ts';

/** The parts of each row that must not depend on which tool wrote it. */
async function rowValues(client: pg.Client) {
  const { rows } = await client.query(`
    SELECT migration_name, checksum, logs, applied_steps_count, rolled_back_at IS NOT NULL AS rolled_back,
           finished_at IS NOT NULL AS finished, length(id) AS id_length, finished_at >= started_at AS ordered
      FROM _prisma_migrations ORDER BY started_at, migration_name`);
  return rows;
}

const migrations = readMigrations(MIGRATIONS_DIR);

// A test makes at most two Prisma calls in turn: room for both to reach prisma6's own timeout,
// whose message says which call hung, before Jest's.
const TEST_TIMEOUT_MS = 2 * prisma6.DEFAULT_TIMEOUT_MS + 30_000;

// A Prisma call takes 2-3 s, so the two directions run concurrently.
describe("interchangeability with Prisma's own engine", () => {
  it.concurrent(
    'a database deployed and rolled back by the runner is what Prisma expects, and Prisma continues from it',
    async () => {
      const { client, url } = await scratchDatabase();
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      expect(await prisma6.status(url)).toMatchObject({ exitCode: 0, stdout: expect.stringContaining('Database schema is up to date!') });

      await rollback(client, { migrationsDir: MIGRATIONS_DIR }, { steps: migrations.length });
      expect(await prisma6.deploy(url)).toMatchObject({
        exitCode: 0,
        stdout: expect.stringContaining('All migrations have been successfully applied.'),
      });
      expect(await migrationStatus(client, { migrationsDir: MIGRATIONS_DIR })).toMatchObject({ upToDate: true });
      const rows = await rowValues(client);
      expect(rows.filter((row) => row.rolled_back)).toHaveLength(migrations.length);
      expect(rows.filter((row) => !row.rolled_back).map((row) => row.migration_name)).toEqual(migrations.map((m) => m.name));
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'a database deployed by `prisma migrate deploy` has nothing pending for the runner, with rows like the runner writes',
    async () => {
      const prismaDb = await scratchDatabase();
      expect(await prisma6.deploy(prismaDb.url)).toMatchObject({ exitCode: 0 });
      const result = await deploy(prismaDb.client, { migrationsDir: MIGRATIONS_DIR });
      expect(result.applied).toEqual([]);

      const runnerDb = await scratchDatabase();
      await deploy(runnerDb.client, { migrationsDir: MIGRATIONS_DIR });
      const expected = migrations.map((m) => ({
        migration_name: m.name,
        checksum: m.checksum,
        logs: null,
        applied_steps_count: 1,
        rolled_back: false,
        finished: true,
        id_length: 36,
        ordered: true,
      }));
      expect(await rowValues(prismaDb.client)).toEqual(expected);
      expect(await rowValues(runnerDb.client)).toEqual(expected);
    },
    TEST_TIMEOUT_MS,
  );
});
