import { SupplyLedgerError } from '../errors.ts';

/** Exit codes of every supply-ledger command (documented in the README). */
export const EXIT = {
  OK: 0,
  /** The operation failed for a reason the message explains (unreachable database, failed migration...). */
  FAILURE: 1,
  /** The command line itself is wrong (unknown command or flag, missing or malformed argument). */
  USAGE: 2,
} as const;

/** The command line is wrong: an unknown command or flag, a missing or malformed argument. Exit code 2. */
export class UsageError extends SupplyLedgerError {
  override readonly name = 'UsageError';
}

/** A command cannot do what it was asked, for a reason only the command line knows (exit code 1). */
export class CommandError extends SupplyLedgerError {
  override readonly name = 'CommandError';
}
