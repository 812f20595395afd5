import type pg from 'pg';

/**
 * One step of the seed. Steps run in the order of SEED_STEPS (index.ts), and each must be
 * idempotent (upserts, "insert if missing"), because `db:setup` runs the seed on every call.
 */
export interface SeedStep {
  name: string;
  run(client: pg.Client): Promise<void>;
}
