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

/**
 * Where to start a backfill on a database of clients cannot be told: `fromClient` names no client,
 * or `startAfter` (an id of one client's rows) is given without `fromClient` on a database of
 * several clients.
 */
export class BackfillClientError extends SupplyLedgerError {
  override readonly name = 'BackfillClientError';

  constructor(
    readonly backfill: string,
    /** `unknown-client`: no client has the code `fromClient`; `ambiguous-start`: `startAfter` without `fromClient`, several clients. */
    readonly reason: 'unknown-client' | 'ambiguous-start',
    /** The codes of the database's clients, in id order (none on a database deployed before `create_client`). */
    readonly clients: string[],
    /** The client code given, if any. */
    readonly fromClient: string | undefined,
  ) {
    super(
      reason === 'unknown-client'
        ? `backfill ${backfill}: no client has the code '${fromClient}' (${clients.length === 0 ? 'the database has no clients' : `clients: ${clients.join(', ')}`})`
        : `backfill ${backfill}: an id to start after belongs to one client's rows, and the database has ${clients.length} clients (${clients.join(', ')}): name the client to start at`,
    );
  }
}

/**
 * A backfill asked of a role that may not run it: on a database of clients the batch functions are
 * the operator's (a superuser, or a member of supply_ledger_owner), which row-level security does
 * not hold back and whose verification therefore counts every client's rows.
 */
export class BackfillRoleError extends SupplyLedgerError {
  override readonly name = 'BackfillRoleError';

  constructor(
    readonly backfill: string,
    /** The role the connection works as. */
    readonly role: string,
  ) {
    super(
      `backfill ${backfill} runs as an operator (a superuser or a member of supply_ledger_owner), not as ${role}, which row-level security holds to one client`,
    );
  }
}
