import { DEFAULT_RETRY, type RetryPolicy } from '../db/retry.ts';

/** How the runner treats locks while it applies or rolls back migrations. */
export interface RunnerSettings {
  /** `lock_timeout` for migration statements, in ms: a statement waiting longer for a lock fails with 55P03. */
  lockTimeoutMs: number;
  /** `statement_timeout` for migration statements, in ms; 0 means none. */
  statementTimeoutMs: number;
  /** How long to wait for another run's migration lock (advisory lock 72707369), in ms. */
  lockWaitMs: number;
  /** Retries of a migration whose statement hit `lock_timeout` (SQLSTATE 55P03) or a deadlock (40P01). */
  retry: RetryPolicy;
  /**
   * The role migrations run as (SET LOCAL ROLE), once it exists in the cluster, the session user
   * may become it and it may create in the database (see `migrationRole`); null: always the
   * session user.
   */
  ownerRole: string | null;
  /** How often a second connection checks whether a migration statement waits for a lock (lock-watch.ts), in ms; 0: never. */
  lockWatchMs: number;
}

/**
 * Defaults: a 2 s `lock_timeout` keeps a migration from queueing every other session behind it for
 * long, and {@link DEFAULT_RETRY} rides out locks held for up to about 40 s. Prisma's own lock
 * wait is 10 s; a deploy elsewhere may need longer. Migrations run as supply_ledger_owner, the
 * owner of every object (create_roles, docs/design/tenancy.md), once a database has it.
 */
export const DEFAULT_SETTINGS: RunnerSettings = {
  lockTimeoutMs: 2_000,
  statementTimeoutMs: 0,
  lockWaitMs: 60_000,
  retry: DEFAULT_RETRY,
  ownerRole: 'supply_ledger_owner',
  lockWatchMs: 500,
};
