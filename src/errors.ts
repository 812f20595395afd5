/**
 * The errors supply-ledger throws on purpose. Each is a class whose fields say what went wrong in
 * terms a caller can act on; its message says the same in one line, for people. Library code only
 * throws; the command line (src/cli) alone turns an error into a printed line and an exit code.
 *
 * Errors of one domain live beside it (src/migrate/errors.ts, src/backfill/errors.ts,
 * src/traceability/errors.ts); src/index.ts exports them all.
 *
 * @example
 * try {
 *   await traceForward(db, 'TLC-404');
 * } catch (error) {
 *   if (error instanceof UnknownCodeError) return notFound(error.code);
 *   throw error;
 * }
 */
export abstract class SupplyLedgerError extends Error {
  /** The class's name, also after minification: `MigrationFailedError`, `UnknownCodeError`... */
  abstract override readonly name: string;
}

/** An argument given to a function (or a flag given to a command) is out of its domain. */
export class InvalidArgumentError extends SupplyLedgerError {
  override readonly name = 'InvalidArgumentError';

  constructor(
    /** The argument's name as the caller wrote it (`steps`, `--lock-timeout`). */
    readonly argument: string,
    /** What was given. */
    readonly value: unknown,
    /** What is accepted, as a phrase: `a whole number of at least 1`. */
    readonly expected: string,
    message = `${argument} must be ${expected}, got '${String(value)}'`,
  ) {
    super(message);
  }
}

/** An environment variable holds a value the project cannot use. */
export class ConfigurationError extends SupplyLedgerError {
  override readonly name = 'ConfigurationError';

  constructor(
    readonly variable: string,
    readonly value: string,
    /** What is accepted, as a phrase: `a port number (1-65535)`. */
    readonly expected: string,
  ) {
    super(`${variable} must be ${expected}, got '${value}'`);
  }
}

/** A PostgreSQL server could not be reached, or refused the connection. */
export class ConnectionError extends SupplyLedgerError {
  override readonly name = 'ConnectionError';

  constructor(
    /** `host:port` of the server. */
    readonly address: string,
    /** Why, in a few words: `connection refused (is the server running?)`, `unknown host`... */
    readonly reason: string,
    /** PostgreSQL's SQLSTATE, when the server answered (28P01: authentication, 3D000: no such database). */
    readonly sqlState?: string,
  ) {
    super(`cannot connect to PostgreSQL at ${address}: ${reason}`);
  }
}

/** The embedded PostgreSQL could not be set up, started or reached. */
export class EmbeddedServerError extends SupplyLedgerError {
  override readonly name = 'EmbeddedServerError';

  constructor(
    message: string,
    /** The server's log file, when it has one that tells more. */
    readonly logFile?: string,
  ) {
    super(message);
  }
}
