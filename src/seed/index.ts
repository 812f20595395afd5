import type pg from 'pg';
import { transaction } from '../db/transaction.ts';
import { catalogInventory } from './catalog-inventory.ts';
import type { SeedStep } from './step.ts';
import { traceability } from './traceability.ts';

/** The seed's steps, in order. Each domain adds its own. */
export const SEED_STEPS: SeedStep[] = [catalogInventory, traceability];

/** Whether the seed may run: never with NODE_ENV=production unless ALLOW_SEED=true says so. */
export function seedAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV !== 'production' || env.ALLOW_SEED === 'true';
}

/**
 * Runs every seed step, each in a transaction of its own on `db` (a pool, or a connection outside
 * any transaction), reporting each by name; returns how many ran.
 *
 * @example
 * await seed(pool, console.log);
 */
export async function seed(db: pg.Pool | pg.Client, report: (line: string) => void): Promise<number> {
  for (const step of SEED_STEPS) {
    report(`[seed] ${step.name}`);
    await transaction(db, (tx) => step.run(tx));
  }
  report(`[seed] ${SEED_STEPS.length} step${SEED_STEPS.length === 1 ? '' : 's'} done`);
  return SEED_STEPS.length;
}
