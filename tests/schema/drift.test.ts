/**
 * Prisma's own schema engine (tools/prisma6) finds that the migrations produce exactly
 * prisma/schema, and would notice if they did not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { connect } from '../../src/db/connect.ts';
import { MIGRATIONS_DIR, SCHEMA_PATH } from '../../src/project.ts';
import { DEFAULT_TIMEOUT_MS, createMigration, drift } from '../../tools/prisma6/prisma6.ts';
import { serverUrl } from '../harness/db.ts';

/** A model that no migration creates, and the SQL that Prisma renders for it. */
const EXTRA_MODEL = `
model DriftProbe {
  id BigInt @id @default(autoincrement())

  @@map("drift_probe")
  @@schema("catalog")
}
`;
const EXTRA_MODEL_SQL = `-- CreateTable
CREATE TABLE "catalog"."drift_probe" (
    "id" BIGSERIAL NOT NULL,

    CONSTRAINT "drift_probe_pkey" PRIMARY KEY ("id")
);
`;

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of `source` (a folder) in a temporary folder removed after this file. */
function copyOf(source: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-drift-'));
  temporaryDirs.push(dir);
  const copy = path.join(dir, path.basename(source));
  fs.cpSync(source, copy, { recursive: true });
  return copy;
}

/** prisma/schema with {@link EXTRA_MODEL} added as a file of its own. */
function schemaWithExtraModel(): string {
  const schema = copyOf(SCHEMA_PATH);
  fs.writeFileSync(path.join(schema, 'drift_probe.prisma'), EXTRA_MODEL);
  return schema;
}

// Room for a Prisma call to reach prisma6's own timeout, whose message says which call hung, before Jest's.
const TEST_TIMEOUT_MS = DEFAULT_TIMEOUT_MS + 30_000;

// Each Prisma call takes 2-3 s; the tests run concurrently.
describe('the migrations and prisma/schema', () => {
  it.concurrent(
    'agree: Prisma finds no SQL missing',
    async () => {
      expect(await drift({ serverUrl: serverUrl() })).toEqual({ missingSql: '' });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'a model that no migration creates is drift, reported with the SQL that creates it',
    async () => {
      const schemaPath = schemaWithExtraModel();
      expect(await drift({ serverUrl: serverUrl(), schemaPath })).toEqual({ missingSql: EXTRA_MODEL_SQL });
    },
    TEST_TIMEOUT_MS,
  );

  it.concurrent(
    'createMigration writes that SQL as a new migration',
    async () => {
      const migrationsDir = copyOf(MIGRATIONS_DIR);
      const schemaPath = schemaWithExtraModel();
      const { file, empty } = await createMigration('add_drift_probe', { serverUrl: serverUrl(), migrationsDir, schemaPath });

      expect(path.relative(migrationsDir, file)).toMatch(/^\d{14}_add_drift_probe\/migration\.sql$/);
      expect({ sql: fs.readFileSync(file, 'utf8'), empty }).toEqual({ sql: EXTRA_MODEL_SQL, empty: false });
    },
    TEST_TIMEOUT_MS,
  );

  it('createMigration refuses a name that is not snake_case before it touches a database', async () => {
    const unreachable = 'postgresql://nobody@127.0.0.1:1/none';
    const attempt = createMigration('Add Drift Probe', { serverUrl: unreachable, migrationsDir: copyOf(MIGRATIONS_DIR) });
    await expect(attempt).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'name',
      value: 'Add Drift Probe',
      expected: 'snake_case',
    });
  });

  it('a Prisma call that overruns its timeout is stopped and fails, saying so', async () => {
    // No `run`: the CLI was stopped before it ended.
    await expect(drift({ serverUrl: serverUrl(), timeoutMs: 1 })).rejects.toMatchObject({
      name: 'Prisma6Error',
      command: 'prisma migrate diff',
      run: undefined,
    });
  });

  it('leaves no scratch database behind, also after a timeout', async () => {
    const admin = await connect(serverUrl());
    try {
      const { rows } = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`prisma6_scratch_${process.pid}_%`]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
