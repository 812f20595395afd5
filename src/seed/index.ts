import type pg from 'pg';
import { catalogInventory } from './catalog-inventory.ts';
import type { SeedStep } from './step.ts';
import { traceability } from './traceability.ts';

/** The seed's steps, in order. Each domain adds its own. */
export const SEED_STEPS: SeedStep[] = [catalogInventory, traceability];

/** Whether the seed may run: never with NODE_ENV=production unless ALLOW_SEED=true says so. */
export function seedAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV !== 'production' || env.ALLOW_SEED === 'true';
}

/** Runs every seed step on `client`, reporting each by name. */
export async function seed(client: pg.Client, report: (line: string) => void): Promise<void> {
  for (const step of SEED_STEPS) {
    report(`[seed] ${step.name}`);
    await step.run(client);
  }
  report(`[seed] ${SEED_STEPS.length} step${SEED_STEPS.length === 1 ? '' : 's'} done`);
}
