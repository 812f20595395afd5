/**
 * Errors of backups (src/backup). Each says what was refused or failed in one line; none leaves a
 * database changed (a failed verification leaves its record, with is_valid false and the reason).
 */
import { SupplyLedgerError } from '../errors.ts';

/** No PostgreSQL client tool (pg_dump, pg_restore) at least as new as the server was found. */
export class PgToolVersionError extends SupplyLedgerError {
  override readonly name = 'PgToolVersionError';

  constructor(
    readonly tool: string,
    /** The server's version (`18.1`). */
    readonly serverVersion: string,
    /** The newest one found, when any: its version and path. */
    readonly found: { version: string; path: string } | undefined,
  ) {
    super(
      found === undefined
        ? `${tool} not found (looked in PG_BIN and PATH); it must be at least the server's version, PostgreSQL ${serverVersion}`
        : `${tool} ${found.version} (${found.path}) is older than the server, PostgreSQL ${serverVersion}: ` +
            `${tool} must be at least the server's version; set PG_BIN to the bin directory of PostgreSQL ${serverVersion.split('.')[0]} or later client tools`,
    );
  }
}

/** pg_dump or pg_restore failed. */
export class BackupToolError extends SupplyLedgerError {
  override readonly name = 'BackupToolError';

  constructor(
    readonly tool: string,
    readonly exitCode: number | null,
    /** The last line the tool wrote on stderr. */
    readonly detail: string,
  ) {
    super(`${tool} failed (exit code ${exitCode ?? 'none'}): ${detail}`);
  }
}

/** A backup archive failed verification (read in full, restored, row counts compared). */
export class BackupVerificationError extends SupplyLedgerError {
  override readonly name = 'BackupVerificationError';

  constructor(
    /** Its ops.migration_backup id, when it is recorded. */
    readonly backupId: number | undefined,
    readonly location: string,
    /** What failed: the tool's error, or the tables whose counts differ. */
    readonly reason: string,
  ) {
    super(`backup ${backupId === undefined ? '' : `${backupId} `}(${location}) failed verification: ${reason}`);
  }
}

/** A backup cannot be found, or restored where asked. */
export class BackupStateError extends SupplyLedgerError {
  override readonly name = 'BackupStateError';

  constructor(
    message: string,
    readonly reason: 'unknown-backup' | 'no-backup-table' | 'archive-changed' | 'target-not-empty' | 'not-valid',
  ) {
    super(message);
  }
}
