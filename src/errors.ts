/**
 * An error the user can fix (bad input, unreachable server, a migration to resolve).
 * The CLI prints its message as one line, without a stack trace, and exits with `exitCode`.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILURE,
  ) {
    super(message);
  }
}

/** Exit codes of every supply-ledger command (documented in the README). */
export const EXIT = {
  OK: 0,
  /** The operation failed for a reason the message explains (unreachable database, failed migration...). */
  FAILURE: 1,
  /** The command line itself is wrong (unknown command or flag, missing argument). */
  USAGE: 2,
} as const;
