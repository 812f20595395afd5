import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { PROJECT_ROOT } from '../../src/db/env.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { migrationStatus } from '../../src/migrate/status.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { scratchDatabase } from '../harness/db.ts';

/** Prisma's own schema engine (WebAssembly build), shipped beside the project in ../shared. */
const PRISMA_ENGINE = path.resolve(PROJECT_ROOT, '..', 'shared', 'tools', 'prisma-engine', 'prisma-engine');

async function prismaEngine(command: 'deploy' | 'status', databaseUrl: string) {
  if (!fs.existsSync(PRISMA_ENGINE)) throw new Error(`Prisma's engine tool is missing: ${PRISMA_ENGINE}`);
  return promisify(execFile)(PRISMA_ENGINE, [command], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

/** The parts of each row that must not depend on which tool wrote it. */
async function rowValues(client: pg.Client) {
  const { rows } = await client.query(`
    SELECT migration_name, checksum, logs, applied_steps_count, rolled_back_at IS NOT NULL AS rolled_back,
           finished_at IS NOT NULL AS finished, length(id) AS id_length, finished_at >= started_at AS ordered
      FROM _prisma_migrations ORDER BY started_at, migration_name`);
  return rows;
}

const migrations = readMigrations(MIGRATIONS_DIR);

// Each engine call takes about 11 s, mostly the tool's Node process idling until its pg pool times
// out, so the two directions run concurrently.
describe("interchangeability with Prisma's own engine", () => {
  it.concurrent('a database deployed and rolled back by the runner is what Prisma expects, and Prisma continues from it', async () => {
    const { client, url } = await scratchDatabase();
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    expect((await prismaEngine('status', url)).stdout).toContain('Database schema is up to date!');

    await rollback(client, { migrationsDir: MIGRATIONS_DIR, steps: migrations.length });
    const { stdout } = await prismaEngine('deploy', url);
    expect(stdout).toContain('All migrations have been successfully applied.');
    expect(await migrationStatus(client, { migrationsDir: MIGRATIONS_DIR })).toMatchObject({ upToDate: true });
    const rows = await rowValues(client);
    expect(rows.filter((row) => row.rolled_back)).toHaveLength(migrations.length);
    expect(rows.filter((row) => !row.rolled_back).map((row) => row.migration_name)).toEqual(migrations.map((m) => m.name));
  });

  it.concurrent('a database deployed by `prisma migrate deploy` has nothing pending for the runner, with rows like the runner writes', async () => {
    const prismaDb = await scratchDatabase();
    await prismaEngine('deploy', prismaDb.url);
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
  });
});
