/**
 * Seed step: the demo client opts in to benchmarking in the FOOD × SMALL cohort. Its metrics and
 * the cohort's snapshot are the operator's to compute and publish (benchmark.compute_client_metrics,
 * benchmark.publish_snapshots: the seed runs them after the steps); with the two demo clients alone
 * the cohort stays below 5 participants and is not published, which is the point. Idempotent: one
 * participation per client.
 */
import type { SeedStep } from './step.ts';

export const benchmark: SeedStep = {
  name: 'benchmark opt-in',
  async run(client) {
    await client.query(`
      INSERT INTO benchmark.benchmark_participation (industry, size_band, joined_at) VALUES ('FOOD', 'SMALL', '2026-01-01')
      ON CONFLICT (client_id) DO NOTHING`);
  },
};
