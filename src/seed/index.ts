import type pg from 'pg';

/**
 * One step of the seed. Steps run in the order of {@link SEED_STEPS}, and each must be idempotent
 * (upserts, "insert if missing"), because `db:setup` runs the seed on every call.
 */
export interface SeedStep {
  name: string;
  run(client: pg.Client): Promise<void>;
}

/** The seed's steps, in order. Domain issues add theirs here; the foundation has none yet. */
export const SEED_STEPS: SeedStep[] = [];

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
