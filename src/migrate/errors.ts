/**
 * Errors of the migration runner. Every refusal happens before anything runs, so an error's class
 * also says what state the database is in: a {@link MigrationFailedError} of `migration.sql` is
 * recorded as failed (as Prisma records it), a {@link LockTimeoutError} left nothing of its
 * migration behind, and the other errors changed nothing.
 */
import { SupplyLedgerError } from '../errors.ts';

/** Which script of a migration folder an error is about. */
export type MigrationFile = 'migration.sql' | 'down.sql' | 'validate.sql';

/** The migrations folder cannot be used: unreadable, a folder without migration.sql, another provider. */
export class MigrationsFolderError extends SupplyLedgerError {
  override readonly name = 'MigrationsFolderError';

  constructor(
    message: string,
    readonly folder: string,
    /** The migration folder at fault, when one is. */
    readonly migration?: string,
  ) {
    super(message);
  }
}

/**
 * A script is refused before anything runs: SQL PostgreSQL's parser rejects, transaction control
 * the runner already does, or a statement that cannot run inside a transaction in a file that runs
 * in one.
 */
export class MigrationScriptError extends SupplyLedgerError {
  override readonly name = 'MigrationScriptError';

  constructor(
    readonly migration: string,
    readonly file: MigrationFile,
    /** 1-based line of the offending statement or token. */
    readonly line: number,
    /** What is wrong there: the parser's message, or the runner's reason. */
    readonly reason: string,
  ) {
    super(`${migration}/${file} line ${line}: ${reason}`);
  }
}

/** What PostgreSQL said when a statement of a migration failed. */
export interface DatabaseFailure {
  /** PostgreSQL's message. */
  message: string;
  /** The SQLSTATE, when the error came from the server. */
  sqlState?: string | undefined;
  /** 1-based line in the script that the error points at, when it points at one. */
  line?: number | undefined;
}

/**
 * A migration's script failed in the database. Forwards (`migration.sql`), the attempt is recorded
 * as failed in `_prisma_migrations` and blocks later deploys until it is resolved, as in Prisma;
 * backwards (`down.sql`), the rollback was undone and the migration stays applied.
 */
export class MigrationFailedError extends SupplyLedgerError {
  override readonly name = 'MigrationFailedError';

  constructor(
    readonly migration: string,
    readonly file: Extract<MigrationFile, 'migration.sql' | 'down.sql'>,
    readonly failure: DatabaseFailure,
    /** 0-based statement of a statement-by-statement script; undefined when the file ran as one transaction. */
    readonly statementIndex?: number,
    /** The statement's text, for a statement-by-statement script. */
    readonly statement?: string,
  ) {
    super(failedMessage(migration, file, failure, statementIndex));
  }

  /** SQLSTATE of the failure, when the server gave one. */
  get sqlState(): string | undefined {
    return this.failure.sqlState;
  }

  /** 1-based line of `file` the failure points at, when it points at one. */
  get line(): number | undefined {
    return this.failure.line;
  }
}

/**
 * A migration gave up waiting for a lock (lock_timeout, or a deadlock) after every attempt: each
 * attempt was undone, nothing is recorded as failed, and running again is safe.
 */
export class LockTimeoutError extends SupplyLedgerError {
  override readonly name = 'LockTimeoutError';

  constructor(
    readonly migration: string,
    readonly file: Extract<MigrationFile, 'migration.sql' | 'down.sql'>,
    readonly attempts: number,
    readonly failure: DatabaseFailure,
    /** 0-based statement of a statement-by-statement script: those before it stay applied, and the next run resumes there. */
    readonly statementIndex?: number,
  ) {
    const statement = statementIndex === undefined ? '' : ` (statement ${statementIndex + 1})`;
    const done =
      statementIndex === undefined
        ? 'nothing of it was applied'
        : `statements before ${statementIndex + 1} stay applied and the next run resumes there`;
    super(
      `${migration}/${file}${statement} could not get its locks after ${attempts} attempts (${describeFailure(failure)}); ${done}. Run again when the lock holder has finished`,
    );
  }
}

/** What became of a migration whose validate.sql failed right after it ran (`deploy --verify`). */
export type ValidationOutcome = 'undone' | 'rolled back' | 'still applied';

/** A migration applied by `deploy --verify` failed its validate.sql. */
export class MigrationValidationError extends SupplyLedgerError {
  override readonly name = 'MigrationValidationError';

  constructor(
    readonly migration: string,
    /** The failing assertion, as validate.sql raised it. */
    readonly problem: string,
    /** `undone`: its transaction never committed; `rolled back`: its down.sql ran; `still applied`: it has no down.sql. */
    readonly outcome: ValidationOutcome,
  ) {
    const consequence = {
      undone: 'the migration was undone (nothing of it is applied)',
      'rolled back': 'it was rolled back with its down.sql',
      'still applied': 'it has no down.sql, so it stays applied',
    }[outcome];
    super(`${migration} failed its validate.sql: ${problem}; ${consequence}`);
  }
}

/** Why the history refuses what was asked; each reason has its message at the throwing site. */
export type MigrationStateReason =
  /** A failed migration blocks deploys and rollbacks until it is resolved (Prisma's P3009). */
  | 'failed-migration'
  /** No history, yet tables where the migrations would create theirs (Prisma's P3005). */
  | 'database-not-empty'
  /** The migration is not in the migrations folder. */
  | 'unknown-migration'
  /** The migration is applied in the database but missing from the folder. */
  | 'missing-locally'
  | 'not-applied'
  | 'already-applied'
  /** `resolve --rolled-back` of a migration that never ran, or never failed. */
  | 'not-failed'
  | 'nothing-to-roll-back'
  | 'no-down-script';

/** What was asked does not fit the database's migration history; nothing was changed. */
export class MigrationStateError extends SupplyLedgerError {
  override readonly name = 'MigrationStateError';

  constructor(
    message: string,
    readonly reason: MigrationStateReason,
    /** The migrations concerned. */
    readonly migrations: string[],
  ) {
    super(message);
  }
}

/** Another run held the migration lock (Prisma's advisory lock) for longer than the runner would wait. */
export class MigrationLockBusyError extends SupplyLedgerError {
  override readonly name = 'MigrationLockBusyError';

  constructor(
    readonly lockKey: number,
    readonly waitedMs: number,
  ) {
    super(`another migration run holds the migration lock (advisory lock ${lockKey}); gave up after ${Math.round(waitedMs / 1000)} s`);
  }
}

/** A database failure as one line: message, SQLSTATE, line. */
export function describeFailure({ message, sqlState, line }: DatabaseFailure): string {
  return [message, ...(sqlState ? [`SQLSTATE ${sqlState}`] : []), ...(line === undefined ? [] : [`line ${line}`])].join(', ');
}

function failedMessage(
  migration: string,
  file: 'migration.sql' | 'down.sql',
  failure: DatabaseFailure,
  statementIndex: number | undefined,
): string {
  const statement = statementIndex === undefined ? '' : ` (statement ${statementIndex + 1})`;
  if (file === 'down.sql') return `rolling back ${migration} failed${statement}: ${describeFailure(failure)}`;
  const resolve =
    `fix the cause, then run \`npm run migrate -- resolve --rolled-back ${migration}\` ` +
    `(or \`npx prisma migrate resolve --rolled-back ${migration}\`) and deploy again`;
  return `migration ${migration} failed${statement}: ${describeFailure(failure)}. It is recorded as failed and blocks further deploys; ${resolve}`;
}
