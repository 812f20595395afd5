/**
 * Stress tests (files named `*.stress.test.ts`) run at two strengths: quick in `npm test`, enough
 * to catch a regression within a budget that holds on a loaded 2-core machine; full in
 * `npm run test:stress` (SUPPLY_LEDGER_STRESS=1), which CI runs after `npm test`.
 */
export const FULL_STRENGTH = process.env.SUPPLY_LEDGER_STRESS === '1';

/** The value for the strength this run has. */
export function strength<T>(levels: { quick: T; full: T }): T {
  return FULL_STRENGTH ? levels.full : levels.quick;
}
