import type { Transaction } from '../db/transaction.ts';

/**
 * One step of the seed. Steps run in the order of SEED_STEPS (index.ts), each in a transaction of
 * its own, and each must be idempotent (upserts, "insert if missing"), because `db:setup` runs the
 * seed on every call.
 */
export interface SeedStep {
  name: string;
  run(tx: Transaction): Promise<void>;
}
