import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { connect } from '../../src/db/connect.ts';
import { PROJECT_ROOT } from '../../src/db/env.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { createScratchDatabase, dropScratchDatabase } from '../harness/db.ts';

/** Prisma's own schema engine (WebAssembly build), shipped beside the project in ../shared. */
const PRISMA_ENGINE = path.resolve(PROJECT_ROOT, '..', 'shared', 'tools', 'prisma-engine', 'prisma-engine');

async function prismaEngine(command: 'deploy' | 'status', databaseUrl: string) {
  if (!fs.existsSync(PRISMA_ENGINE)) throw new Error(`Prisma's engine tool is missing: ${PRISMA_ENGINE}`);
  return promisify(execFile)(PRISMA_ENGINE, [command], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

const scratch: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map(dropScratchDatabase));
});

// Each engine call takes about 11 s, mostly the tool's Node process idling until its pg pool times
// out, so the two directions run concurrently.
describe("interchangeability with Prisma's own engine", () => {
  it.concurrent('a database deployed by the runner is up to date for `prisma migrate status`', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const client = await connect(url);
    try {
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    } finally {
      await client.end();
    }
    const { stdout } = await prismaEngine('status', url);
    expect(stdout).toContain('Database schema is up to date!');
  });

  it.concurrent('a database deployed by `prisma migrate deploy` has nothing pending for the runner, with the same checksums', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    await prismaEngine('deploy', url);
    const client = await connect(url);
    try {
      const result = await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      expect(result.applied).toEqual([]);
      const { rows } = await client.query('SELECT migration_name, checksum FROM _prisma_migrations ORDER BY migration_name');
      expect(rows).toEqual(readMigrations(MIGRATIONS_DIR).map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    } finally {
      await client.end();
    }
  });
});
