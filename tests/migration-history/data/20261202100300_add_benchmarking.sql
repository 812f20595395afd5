-- Benchmarking: the first client opts in and its metrics for November 2026 are computed (its cohort
-- of one is not published). Idempotent: one participation per client, the metrics replaced.
INSERT INTO benchmark.benchmark_participation (client_id, industry, size_band, joined_at)
SELECT id, 'FOOD', 'SMALL', '2026-01-01' FROM core.client ORDER BY id LIMIT 1
ON CONFLICT (client_id) DO NOTHING;
SELECT benchmark.compute_client_metrics('2026-11-01');
SELECT benchmark.publish_snapshots('2026-11-01');
