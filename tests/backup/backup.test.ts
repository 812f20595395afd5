/**
 * Verified backups (issue 13). pg_dump must be at least the server's version: on the system
 * PostgreSQL 15 (TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres) the system's
 * pg_dump 15 makes real backups, which these tests verify, corrupt, truncate and restore; on the
 * embedded PostgreSQL 18, where only pg_dump 15 exists, the tests check the refusal instead (one
 * line naming both versions, nothing deployed). Which set runs is decided by the tools found, and
 * said in the test names.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { backupTools, createBackup, restoreBackup, serverVersion, verifyArchive } from '../../src/backup/backup.ts';
import { deployWithBackup } from '../../src/backup/deploy.ts';
import { BackupVerificationError, PgToolVersionError } from '../../src/backup/errors.ts';
import { runTool } from '../../src/backup/tools.ts';
import { connect } from '../../src/db/connect.ts';
import { MigrationValidationError } from '../../src/migrate/errors.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { expectOneLine, runCli } from '../harness/cli.ts';
import { createScratchDatabase, dropScratchDatabase, scratchDatabase, serverUrl, templateName } from '../harness/db.ts';
import { migrationsThrough } from '../harness/fixtures.ts';
import { TEST_CLIENTS } from '../harness/template.ts';

const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-backups-'));
afterAll(() => fs.rmSync(backupDir, { recursive: true, force: true }));

const LAST_MIGRATION = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((name) => /^\d{14}_/.test(name))
  .sort()
  .at(-1)!;

/** The project's migrations plus one more, pending on a clone of the template. */
function withPendingMigration(validate?: string): { dir: string; name: string } {
  const dir = migrationsThrough(LAST_MIGRATION);
  const name = '29990101000000_add_backup_probe';
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), 'CREATE TABLE catalog.backup_probe (id bigint);');
  fs.writeFileSync(path.join(dir, name, 'down.sql'), 'DROP TABLE catalog.backup_probe;');
  if (validate !== undefined) fs.writeFileSync(path.join(dir, name, 'validate.sql'), validate);
  return { dir, name };
}

async function tableExists(client: pg.ClientBase, table: string): Promise<boolean> {
  return (await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table])).rows[0]!.found;
}

/** Rows per tenant table and client, for every table with client_id. */
async function rowsByClient(client: pg.ClientBase): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT c.oid::regclass::text AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'client_id' AND NOT a.attisdropped
      WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text NOT IN ('backup', 'public') ORDER BY 1`,
  );
  const counts: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ client_id: string; n: string }>(
      `SELECT client_id::text, count(*)::text AS n FROM ${name} GROUP BY 1 ORDER BY 1`,
    );
    for (const row of rows) counts[`${name} client ${row.client_id}`] = row.n;
  }
  return counts;
}

/** Rows for both test clients (the superuser bypasses row-level security; the defaults read app.client_id). */
async function addClientRows(client: pg.ClientBase): Promise<void> {
  for (const { id, code } of Object.values(TEST_CLIENTS)) {
    await client.query('BEGIN');
    await client.query("SELECT set_config('app.client_id', $1, true)", [id]);
    await client.query(`INSERT INTO catalog.brand (name) SELECT '${code} brand ' || g FROM generate_series(1, 3) g`);
    await client.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('${code}-WH', 'warehouse of ${code}')`);
    await client.query(`INSERT INTO catalog.product (sku, name) SELECT '${code}-SKU-' || g, 'product ' || g FROM generate_series(1, 5) g`);
    await client.query('COMMIT');
  }
}

async function toolsFor(): Promise<'real' | PgToolVersionError> {
  const client = await connect(serverUrl());
  try {
    await backupTools(client);
    return 'real';
  } catch (error) {
    if (error instanceof PgToolVersionError) return error;
    throw error;
  } finally {
    await client.end();
  }
}

const tools = await toolsFor();

if (tools === 'real') {
  describe('backups with pg_dump at least as new as the server', () => {
    it('backs up a database with two clients, verifies it and restores every row of both', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      await addClientRows(client);
      const source = await rowsByClient(client);
      expect(Object.keys(source).some((key) => key.endsWith(`client ${TEST_CLIENTS.A.id}`))).toBe(true);
      expect(Object.keys(source).some((key) => key.endsWith(`client ${TEST_CLIENTS.B.id}`))).toBe(true);

      const record = await createBackup(client, url, { dir: backupDir });
      expect(record).toMatchObject({ isValid: true, verificationError: null, migration: null });
      expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(record.rowCounts['catalog.product']).toBe(10);
      const { rows } = await client.query(
        'SELECT backup_location, backup_size_bytes::int AS size, is_valid, verified_at > created_at AS later FROM ops.migration_backup WHERE id = $1',
        [record.id],
      );
      expect(rows).toEqual([{ backup_location: record.location, size: fs.statSync(record.location).size, is_valid: true, later: true }]);

      const into = await createScratchDatabase();
      try {
        await restoreBackup(client, record.id!, into);
        const restored = await connect(into);
        try {
          expect(await rowsByClient(restored)).toEqual(source);
        } finally {
          await restored.end();
        }
      } finally {
        await dropScratchDatabase(into);
      }
    });

    it('works from the command line: backup, backup list, backup restore --into, deploy --backup with nothing pending', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      await addClientRows(client);
      const made = await runCli(['backup', '--dir', backupDir], { DATABASE_URL: url });
      expect(made.stderr).toBe('');
      expect(made.code).toBe(0);
      expect(made.stdout).toMatch(
        /^backup (\d+): .+\.dump \([\d,]+ bytes, sha256 [0-9a-f]{12}\.\.\.\), verified: \d+ tables, [\d,]+ rows$/m,
      );
      const id = /^backup (\d+):/m.exec(made.stdout)![1]!;
      expect((await runCli(['backup', 'list'], { DATABASE_URL: url })).stdout).toContain(`backup ${id}: `);

      const into = await createScratchDatabase();
      try {
        const restored = await runCli(['backup', 'restore', id, '--into', into], { DATABASE_URL: url });
        expect(restored.stdout).toMatch(
          new RegExp(`^restored backup ${id} into .+: \\d+ tables, [\\d,]+ rows, every count as recorded$`, 'm'),
        );
        expect(restored.code).toBe(0);
        const again = await runCli(['backup', 'restore', id, '--into', into], { DATABASE_URL: url });
        expect(again.code).toBe(1);
        expectOneLine(again);
        expect(again.stderr).toContain('is not empty');
      } finally {
        await dropScratchDatabase(into);
      }

      const deployed = await runCli(['migrate', 'deploy', '--backup', '--backup-dir', backupDir], { DATABASE_URL: url });
      expect(deployed.stdout).toContain('nothing pending: no backup made');
      expect(deployed.code).toBe(0);
    });

    it('fails a truncated and a corrupted archive, which pg_restore --list accepts', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      await addClientRows(client);
      // Enough data that the archive is mostly data blocks after its table of contents, as a real one is.
      await client.query(`BEGIN;
        SELECT set_config('app.client_id', '${TEST_CLIENTS.A.id}', true);
        INSERT INTO catalog.brand (name) SELECT 'bulk ' || md5(g::text) FROM generate_series(1, 40000) g;
        COMMIT`);
      const record = await createBackup(client, url, { dir: backupDir });
      const { pgRestore } = await backupTools(client);
      const whole = fs.readFileSync(record.location);

      const truncated = path.join(backupDir, 'truncated.dump');
      fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
      const corrupted = path.join(backupDir, 'corrupted.dump');
      const copy = Buffer.from(whole);
      const at = Math.floor(copy.length * 0.6);
      for (let i = 0; i < 4; i++) copy[at + i] = copy[at + i]! ^ 0xff;
      fs.writeFileSync(corrupted, copy);

      for (const file of [truncated, corrupted]) {
        await expect(runTool(pgRestore, ['--list', file])).resolves.toBeUndefined();
        expect(await verifyArchive(file, record.rowCounts, { operator: client, operatorUrl: url, pgRestore })).toMatch(/failed/);
      }

      // The recorded backup, corrupted in place: backup verify says so, exits 1 and records it invalid.
      fs.writeFileSync(record.location, copy);
      const run = await runCli(['backup', 'verify', String(record.id)], { DATABASE_URL: url });
      expect(run.code).toBe(1);
      expectOneLine(run);
      expect(run.stderr).toContain(
        `backup ${record.id} (${record.location}) failed verification: the archive changed since it was written`,
      );
      const { rows } = await client.query('SELECT is_valid FROM ops.migration_backup WHERE id = $1', [record.id]);
      expect(rows).toEqual([{ is_valid: false }]);
    });

    it('dumps the backup tables a superuser made by rolling back', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      await client.query("SELECT backup.preserve('superuser_probe', 'SELECT 1 AS n')");
      await client.query('CREATE TABLE backup.by_hand AS SELECT 2 AS n');
      const record = await createBackup(client, url, { dir: backupDir });
      expect(record.isValid).toBe(true);
      expect(record.rowCounts).toMatchObject({ 'backup.superuser_probe': 1, 'backup.by_hand': 1 });
    });

    it('leaves the backup recorded when the deploy after it fails its validate.sql and is undone', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      const { dir, name } = withPendingMigration("DO $$ BEGIN RAISE EXCEPTION 'probe: always fails'; END $$;");
      await expect(deployWithBackup(client, url, { migrationsDir: dir }, { verify: true, backup: { dir: backupDir } })).rejects.toThrow(
        MigrationValidationError,
      );
      expect(await tableExists(client, 'catalog.backup_probe')).toBe(false);
      const { rows } = await client.query('SELECT migration, is_valid FROM ops.migration_backup');
      expect(rows).toEqual([{ migration: name, is_valid: true }]);
    });

    it('stops a deploy before anything changes when the backup fails verification', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      // A CHECK whose function reads a table without its schema: pg_restore runs with an empty
      // search_path, so the restore fails although pg_dump succeeded.
      await client.query(`CREATE TABLE public.probe_limit (n integer);
        INSERT INTO public.probe_limit VALUES (10);
        CREATE FUNCTION public.probe_ok(value integer) RETURNS boolean LANGUAGE sql AS 'SELECT value <= (SELECT max(n) FROM probe_limit)';
        CREATE TABLE public.probe_checked (n integer CHECK (public.probe_ok(n)));
        INSERT INTO public.probe_checked VALUES (1);
        GRANT SELECT ON public.probe_limit, public.probe_checked TO supply_ledger_backup`);
      const { dir, name } = withPendingMigration();
      const error = await deployWithBackup(client, url, { migrationsDir: dir }, { backup: { dir: backupDir } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupVerificationError);
      expect((error as BackupVerificationError).reason).toMatch(/^restoring into a scratch database failed: .*probe_limit/);
      expect(await tableExists(client, 'catalog.backup_probe')).toBe(false);
      const { rows } = await client.query(
        'SELECT migration, is_valid, verification_error IS NOT NULL AS has_reason FROM ops.migration_backup',
      );
      expect(rows).toEqual([{ migration: name, is_valid: false, has_reason: true }]);
    });
  });
} else {
  describe(`backups refused: ${tools.message}`, () => {
    it("backup refuses in one line naming pg_dump's version and the server's", async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      const server = await serverVersion(client);
      const run = await runCli(['backup', '--dir', backupDir], { DATABASE_URL: url });
      expect(run.code).toBe(1);
      expectOneLine(run);
      expect(run.stderr).toMatch(
        new RegExp(
          `pg_dump \\d+\\.\\d+ \\(.+\\) is older than the server, PostgreSQL ${server.version.split(' ')[0]!.replace('.', '\\.')}`,
        ),
      );
      expect(fs.readdirSync(backupDir)).toEqual([]);
    });

    it('deploy --backup changes nothing when no pg_dump is recent enough', async () => {
      const { url, client } = await scratchDatabase({ template: templateName() });
      const { dir } = withPendingMigration();
      await expect(deployWithBackup(client, url, { migrationsDir: dir }, { backup: { dir: backupDir } })).rejects.toThrow(
        PgToolVersionError,
      );
      expect(await tableExists(client, 'catalog.backup_probe')).toBe(false);
      expect((await client.query('SELECT count(*)::int AS n FROM ops.migration_backup')).rows).toEqual([{ n: 0 }]);
    });
  });
}
