/**
 * Verified backups before a deploy (issue 13, seed 002 "Backup Strategy"): a custom-format pg_dump
 * as supply_ledger_backup (BYPASSRLS and SELECT on everything, so that row-level security hides no
 * row), the row count of every table taken in the dump's own snapshot, then a verification that
 * reads the whole archive (pg_restore to /dev/null: `pg_restore --list` reads only the table of
 * contents at its start, and passes on a truncated or corrupted file) and restores it into a
 * scratch database whose per-table row counts must equal the source's. Each backup is recorded in
 * ops.migration_backup (location, size, sha256, the migration it preceded, counts, created and
 * verified times, is_valid).
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { connect, databaseName, quoteIdent, urlForDatabase, urlForRole } from '../db/connect.ts';
import { BackupStateError, BackupToolError, BackupVerificationError } from './errors.ts';
import { type PgTool, findPgTool, runTool } from './tools.ts';

/** The role pg_dump logs in as (create_roles): BYPASSRLS, SELECT on every table. */
export const BACKUP_ROLE = 'supply_ledger_backup';

/** Rows of every table, by `schema.table` (quoted as needed). */
export type RowCounts = Record<string, number>;

/** One backup, as ops.migration_backup records it. */
export interface BackupRecord {
  /** Its ops.migration_backup id; undefined when the database has no such table (before add_migration_backup). */
  id: number | undefined;
  /** The migration it preceded: the first pending one when it was made, else null. */
  migration: string | null;
  databaseName: string;
  location: string;
  sizeBytes: number;
  sha256: string;
  serverVersion: string;
  pgDumpVersion: string;
  rowCounts: RowCounts;
  createdAt: Date;
  verifiedAt: Date | null;
  isValid: boolean | null;
  verificationError: string | null;
}

export interface ServerVersion {
  versionNum: number;
  /** `18.1`, `15.20 (Debian 15.20-0+deb12u1)` */
  version: string;
}

export async function serverVersion(client: pg.ClientBase): Promise<ServerVersion> {
  const { rows } = await client.query<{ num: string; version: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
  );
  return { versionNum: Number(rows[0]!.num), version: rows[0]!.version };
}

/** pg_dump and pg_restore at least as new as the server of `client` (PgToolVersionError otherwise). */
export async function backupTools(
  client: pg.ClientBase,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ pgDump: PgTool; pgRestore: PgTool }> {
  const server = await serverVersion(client);
  return { pgDump: await findPgTool('pg_dump', server, env), pgRestore: await findPgTool('pg_restore', server, env) };
}

/**
 * The row count of every table pg_dump dumps the data of (ordinary tables of every schema but
 * PostgreSQL's, not temporary, not an extension's), in `client`'s current snapshot.
 */
export async function countRows(client: pg.ClientBase): Promise<RowCounts> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND c.relpersistence <> 't' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1`,
  );
  if (tables.length === 0) return {};
  const sql = tables.map((table, i) => `SELECT ${i} AS i, count(*) AS n FROM ${table.name}`).join('\nUNION ALL\n');
  const { rows } = await client.query<{ i: number; n: string }>(sql);
  const counts: RowCounts = {};
  for (const row of rows.sort((a, b) => a.i - b.i)) counts[tables[row.i]!.name] = Number(row.n);
  return counts;
}

/** What differs between the source's counts and a restore's, one phrase per table; empty when they match. */
export function compareRowCounts(source: RowCounts, restored: RowCounts): string[] {
  const problems: string[] = [];
  for (const [table, rows] of Object.entries(source)) {
    const got = restored[table];
    if (got === undefined) problems.push(`${table} missing from the restore`);
    else if (got !== rows) problems.push(`${table}: ${rows} rows in the source, ${got} restored`);
  }
  for (const table of Object.keys(restored)) if (!(table in source)) problems.push(`${table} restored but not in the source`);
  return problems;
}

/** sha256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface VerifyArchiveOptions {
  /** A superuser's connection to the server the scratch database is made on (the source's). */
  operator: pg.ClientBase;
  /** Its URL. */
  operatorUrl: string;
  pgRestore: PgTool;
}

/**
 * Verifies an archive against the row counts of its source: reads all of it (pg_restore to
 * /dev/null), restores it into a scratch database (dropped afterwards) and compares every table's
 * row count. Returns what failed, or undefined when it is valid.
 */
export async function verifyArchive(file: string, expected: RowCounts, options: VerifyArchiveOptions): Promise<string | undefined> {
  const { operator, operatorUrl, pgRestore } = options;
  try {
    await runTool(pgRestore, ['--file=/dev/null', file]);
  } catch (error) {
    if (error instanceof BackupToolError) return `reading the whole archive failed: ${error.detail}`;
    throw error;
  }
  const scratch = `${databaseName(operatorUrl).slice(0, 40)}_verify_${randomUUID().slice(0, 8)}`;
  await operator.query(`CREATE DATABASE ${quoteIdent(scratch)} TEMPLATE template0`);
  try {
    const scratchUrl = urlForDatabase(operatorUrl, scratch);
    try {
      await runTool(pgRestore, ['--exit-on-error', '--no-password', `--dbname=${scratchUrl}`, file]);
    } catch (error) {
      if (error instanceof BackupToolError) return `restoring into a scratch database failed: ${error.detail}`;
      throw error;
    }
    const restored = await connect(scratchUrl, 'supply-ledger backup verify');
    let counts: RowCounts;
    try {
      counts = await countRows(restored);
    } finally {
      await restored.end();
    }
    const problems = compareRowCounts(expected, counts);
    return problems.length === 0 ? undefined : `row counts differ after a restore: ${problems.join('; ')}`;
  } finally {
    await operator.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
  }
}

export interface CreateBackupOptions {
  /** Where the archive goes (created when missing). */
  dir: string;
  /** The migration the backup precedes (null: none pending). */
  migration?: string | null | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Progress lines for people. */
  log?: ((line: string) => void) | undefined;
}

/**
 * Backs up the database of `operator` (a superuser's connection, or a member of the owner role
 * that may create databases, on `operatorUrl`): pg_dump -Fc as supply_ledger_backup in a snapshot
 * whose row counts are taken, recorded in ops.migration_backup, then verified and the record
 * updated. Throws {@link BackupVerificationError} when verification fails (the record says so),
 * {@link PgToolVersionError} when no pg_dump is recent enough (nothing is made).
 */
export async function createBackup(operator: pg.ClientBase, operatorUrl: string, options: CreateBackupOptions): Promise<BackupRecord> {
  const log = options.log ?? (() => {});
  const server = await serverVersion(operator);
  const { pgDump, pgRestore } = await backupTools(operator, options.env);
  const database = databaseName(operatorUrl);
  fs.mkdirSync(options.dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '_');
  const location = path.resolve(options.dir, `${database}_${stamp}${options.migration ? `_before_${options.migration}` : ''}.dump`);

  // The counts and the dump share one snapshot, exported by the backup role's own transaction.
  const reader = await connect(urlForRole(operatorUrl, BACKUP_ROLE), 'supply-ledger backup');
  let rowCounts: RowCounts;
  try {
    await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await reader.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot');
    rowCounts = await countRows(reader);
    log(`pg_dump ${pgDump.version} as ${BACKUP_ROLE} to ${location}`);
    await runTool(pgDump, [
      '--format=custom',
      `--snapshot=${rows[0]!.snapshot}`,
      '--no-password',
      `--file=${location}`,
      `--dbname=${urlForRole(operatorUrl, BACKUP_ROLE)}`,
    ]);
    await reader.query('COMMIT');
  } finally {
    await reader.end();
  }
  const record: BackupRecord = {
    id: undefined,
    migration: options.migration ?? null,
    databaseName: database,
    location,
    sizeBytes: fs.statSync(location).size,
    sha256: await sha256File(location),
    serverVersion: server.version,
    pgDumpVersion: pgDump.version,
    rowCounts,
    createdAt: new Date(),
    verifiedAt: null,
    isValid: null,
    verificationError: null,
  };
  record.id = await insertRecord(operator, record);
  log(`verifying: the whole archive read, restored into a scratch database, ${Object.keys(rowCounts).length} tables counted`);
  const problem = await verifyArchive(location, rowCounts, { operator, operatorUrl, pgRestore });
  Object.assign(record, { verifiedAt: new Date(), isValid: problem === undefined, verificationError: problem ?? null });
  if (record.id !== undefined) await updateVerification(operator, record);
  if (problem !== undefined) throw new BackupVerificationError(record.id, location, problem);
  return record;
}

/**
 * Verifies a recorded backup again: its file unchanged (sha256), read in full, restored and
 * counted against the counts recorded at dump time; the record's verified_at and is_valid are
 * updated. Throws {@link BackupVerificationError} when it fails.
 */
export async function verifyBackup(
  operator: pg.ClientBase,
  operatorUrl: string,
  id: number,
  env?: NodeJS.ProcessEnv,
): Promise<BackupRecord> {
  const record = await readRecord(operator, id);
  const { pgRestore } = await backupTools(operator, env);
  let problem: string | undefined;
  if (!fs.existsSync(record.location)) problem = `${record.location} does not exist`;
  else {
    const sha256 = await sha256File(record.location);
    const changed =
      sha256 === record.sha256 ? undefined : `the archive changed since it was written (sha256 ${sha256}, recorded ${record.sha256})`;
    const unreadable = await verifyArchive(record.location, record.rowCounts, { operator, operatorUrl, pgRestore });
    problem = [changed, unreadable].filter(Boolean).join('; ') || undefined;
  }
  Object.assign(record, { verifiedAt: new Date(), isValid: problem === undefined, verificationError: problem ?? null });
  await updateVerification(operator, record);
  if (problem !== undefined) throw new BackupVerificationError(id, record.location, problem);
  return record;
}

/**
 * Restores recorded backup `id` (valid, its file unchanged) into the empty database at `intoUrl`
 * (a superuser's URL), gives that database the privileges create_roles gives a database when the
 * roles exist, and compares every table's row count with the record's. Returns the counts.
 */
export async function restoreBackup(
  operator: pg.ClientBase,
  id: number,
  intoUrl: string,
  env?: NodeJS.ProcessEnv,
): Promise<{ record: BackupRecord; rowCounts: RowCounts }> {
  const record = await readRecord(operator, id);
  if (record.isValid !== true) {
    throw new BackupStateError(
      `backup ${id} is not verified valid (${record.verificationError ?? 'never verified'}): run backup verify ${id} first`,
      'not-valid',
    );
  }
  const sha256 = fs.existsSync(record.location) ? await sha256File(record.location) : 'missing';
  if (sha256 !== record.sha256) {
    throw new BackupStateError(
      `backup ${id}: ${record.location} is missing or changed since it was verified (sha256 ${sha256}, recorded ${record.sha256})`,
      'archive-changed',
    );
  }
  const target = await connect(intoUrl, 'supply-ledger backup restore');
  try {
    const { pgRestore } = await backupTools(target, env);
    const existing = await countRows(target);
    if (Object.keys(existing).length > 0) {
      throw new BackupStateError(
        `backup restore: the target database ${databaseName(intoUrl)} is not empty (${Object.keys(existing).slice(0, 3).join(', ')}...): restore into a new database`,
        'target-not-empty',
      );
    }
    await runTool(pgRestore, ['--exit-on-error', '--no-password', `--dbname=${intoUrl}`, record.location]);
    await target.query(`DO $$
      BEGIN
        IF to_regrole('supply_ledger_owner') IS NOT NULL THEN
          EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
          EXECUTE format('GRANT CONNECT ON DATABASE %I TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup', current_database());
          EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO supply_ledger_owner', current_database());
        END IF;
      END
      $$`);
    const rowCounts = await countRows(target);
    const problems = compareRowCounts(record.rowCounts, rowCounts);
    if (problems.length > 0)
      throw new BackupVerificationError(id, record.location, `row counts differ after the restore: ${problems.join('; ')}`);
    return { record, rowCounts };
  } finally {
    await target.end();
  }
}

/** Recorded backups, newest first. */
export async function listBackups(operator: pg.ClientBase): Promise<BackupRecord[]> {
  await assertBackupTable(operator);
  const { rows } = await operator.query<RecordRow>(`${SELECT_RECORD} ORDER BY id DESC`);
  return rows.map(fromRow);
}

/** Whether the database has ops.migration_backup (add_migration_backup). */
export async function hasBackupTable(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>("SELECT to_regclass('ops.migration_backup') IS NOT NULL AS found");
  return rows[0]?.found === true;
}

async function assertBackupTable(client: pg.ClientBase): Promise<void> {
  if (!(await hasBackupTable(client))) {
    throw new BackupStateError(
      'this database has no ops.migration_backup (migration 20261204100000_add_migration_backup): deploy it first',
      'no-backup-table',
    );
  }
}

/** Records `record` (not yet verified) and returns its id; undefined when the database has no backup table. */
export async function insertRecord(client: pg.ClientBase, record: BackupRecord): Promise<number | undefined> {
  if (!(await hasBackupTable(client))) return undefined;
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO ops.migration_backup (migration, database_name, backup_location, backup_size_bytes, checksum_sha256, server_version,
                                       pg_dump_version, row_counts, created_at, verified_at, is_valid, verification_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      record.migration,
      record.databaseName,
      record.location,
      record.sizeBytes,
      record.sha256,
      record.serverVersion,
      record.pgDumpVersion,
      JSON.stringify(record.rowCounts),
      record.createdAt,
      record.verifiedAt,
      record.isValid,
      record.verificationError,
    ],
  );
  return Number(rows[0]!.id);
}

async function updateVerification(client: pg.ClientBase, record: BackupRecord): Promise<void> {
  await client.query('UPDATE ops.migration_backup SET verified_at = $2, is_valid = $3, verification_error = $4 WHERE id = $1', [
    record.id,
    record.verifiedAt,
    record.isValid,
    record.verificationError,
  ]);
}

const SELECT_RECORD = `SELECT id, migration, database_name, backup_location, backup_size_bytes, checksum_sha256, server_version, pg_dump_version,
                              row_counts, created_at, verified_at, is_valid, verification_error
                         FROM ops.migration_backup`;

interface RecordRow {
  id: string;
  migration: string | null;
  database_name: string;
  backup_location: string;
  backup_size_bytes: string;
  checksum_sha256: string;
  server_version: string;
  pg_dump_version: string;
  row_counts: RowCounts;
  created_at: Date;
  verified_at: Date | null;
  is_valid: boolean | null;
  verification_error: string | null;
}

function fromRow(row: RecordRow): BackupRecord {
  return {
    id: Number(row.id),
    migration: row.migration,
    databaseName: row.database_name,
    location: row.backup_location,
    sizeBytes: Number(row.backup_size_bytes),
    sha256: row.checksum_sha256,
    serverVersion: row.server_version,
    pgDumpVersion: row.pg_dump_version,
    rowCounts: row.row_counts,
    createdAt: row.created_at,
    verifiedAt: row.verified_at,
    isValid: row.is_valid,
    verificationError: row.verification_error,
  };
}

async function readRecord(client: pg.ClientBase, id: number): Promise<BackupRecord> {
  await assertBackupTable(client);
  const { rows } = await client.query<RecordRow>(`${SELECT_RECORD} WHERE id = $1`, [id]);
  if (rows.length === 0) throw new BackupStateError(`no backup ${id} in ops.migration_backup`, 'unknown-backup');
  return fromRow(rows[0]!);
}
