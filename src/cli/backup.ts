/**
 * The `backup` commands: make a verified backup, verify one again, restore one into an empty
 * database (drills), list them. The database is DATABASE_URL, else the embedded server; the
 * command runs as an operator (a superuser: it creates and drops the scratch database of the
 * verification), pg_dump as supply_ledger_backup.
 */
import path from 'node:path';
import { type BackupRecord, createBackup, listBackups, restoreBackup, verifyBackup } from '../backup/backup.ts';
import { withConnection } from '../db/database.ts';
import { redact } from '../db/connect.ts';
import { positiveInteger } from './args.ts';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

/** Where archives go: --dir, else SUPPLY_LEDGER_BACKUP_DIR, else ./backups. */
export function backupDir(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.SUPPLY_LEDGER_BACKUP_DIR ?? 'backups');
}

function onDatabase<T>(fn: Parameters<typeof withConnection<T>>[0]): Promise<T> {
  return withConnection(fn, { applicationName: 'supply-ledger backup' });
}

/** `backup 3: /backups/db_....dump (1.2 MB, sha256 ab12...), verified: 25 tables, 1,234 rows restored`. */
export function describeBackup(record: BackupRecord): string {
  const rows = Object.values(record.rowCounts).reduce((sum, n) => sum + n, 0);
  const state = record.isValid === true ? 'verified' : record.isValid === false ? `INVALID (${record.verificationError})` : 'not verified';
  const before = record.migration ? `, before ${record.migration}` : '';
  return (
    `backup ${record.id ?? '(not recorded)'}: ${record.location} (${record.sizeBytes.toLocaleString('en-US')} bytes, sha256 ${record.sha256.slice(0, 12)}...${before}), ` +
    `${state}: ${Object.keys(record.rowCounts).length} tables, ${rows.toLocaleString('en-US')} rows`
  );
}

/** `backup [--dir DIR] [--json]`. */
export async function backupCreate(flags: { dir?: string; json?: boolean }, io: Io): Promise<void> {
  const record = await onDatabase((client, database) =>
    createBackup(client, database.url, {
      dir: backupDir(flags.dir),
      migration: null,
      log: flags.json ? undefined : (line) => io.out(line),
    }),
  );
  io.out(flags.json ? JSON.stringify({ event: 'backup', ...record }) : describeBackup(record));
}

/** `backup verify ID`. */
export async function backupVerify(id: string | undefined, flags: { json?: boolean }, io: Io): Promise<void> {
  const backupId = requiredId(id);
  const record = await onDatabase((client, database) => verifyBackup(client, database.url, backupId));
  io.out(flags.json ? JSON.stringify({ event: 'backup', ...record }) : describeBackup(record));
}

/** `backup restore ID --into URL`. */
export async function backupRestore(id: string | undefined, flags: { into?: string; json?: boolean }, io: Io): Promise<void> {
  const backupId = requiredId(id);
  if (flags.into === undefined) throw new UsageError('backup restore needs --into URL (an empty database)');
  const into = flags.into;
  const { rowCounts } = await onDatabase((client) => restoreBackup(client, backupId, into));
  const rows = Object.values(rowCounts).reduce((sum, n) => sum + n, 0);
  io.out(
    flags.json
      ? JSON.stringify({ event: 'restore', id: backupId, into: redact(into), rowCounts })
      : `restored backup ${backupId} into ${redact(into)}: ${Object.keys(rowCounts).length} tables, ${rows.toLocaleString('en-US')} rows, every count as recorded`,
  );
}

/** `backup list`. */
export async function backupList(flags: { json?: boolean }, io: Io): Promise<void> {
  const records = await onDatabase((client) => listBackups(client));
  for (const record of records) io.out(flags.json ? JSON.stringify(record) : describeBackup(record));
  if (!flags.json && records.length === 0) io.out('no backups recorded');
}

function requiredId(id: string | undefined): number {
  if (id === undefined) throw new UsageError('give the backup id (backup list shows them)');
  return positiveInteger(id, 'the backup id')!;
}
