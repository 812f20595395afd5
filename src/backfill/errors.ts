import { SupplyLedgerError } from '../errors.ts';

/** The batch function a backfill drives does not exist: the migration that makes it is not deployed. */
export class BackfillNotDeployedError extends SupplyLedgerError {
  override readonly name = 'BackfillNotDeployedError';

  constructor(
    readonly backfill: string,
    readonly batchFunction: string,
    /** The migration that makes `batchFunction`. */
    readonly migration: string,
  ) {
    super(`backfill ${backfill} needs ${batchFunction}(), which migration ${migration} makes: deploy it first`);
  }
}

/** A backfill ran to the end, yet its verification query still finds rows it should have handled. */
export class BackfillVerificationError extends SupplyLedgerError {
  override readonly name = 'BackfillVerificationError';

  constructor(
    readonly backfill: string,
    /** How many rows the verification found. */
    readonly problems: number,
    /** What they are, as the backfill's verification query describes them. */
    readonly detail: string,
  ) {
    super(`backfill ${backfill} verification failed: ${problems} problem(s): ${detail}`);
  }
}
