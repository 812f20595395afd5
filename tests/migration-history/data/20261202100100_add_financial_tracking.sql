-- Financial tracking: costs on two products, a budget of all products, and the cost tracking of
-- the first ledger month refreshed for the first client. Idempotent: the history test loads it
-- again after each rollback and re-apply.
UPDATE catalog.product SET unit_cost = 10, unit_price = 14, reorder_cost = 50, holding_cost_rate = 0.25, cost_source = 'MANUAL'
 WHERE id IN (SELECT id FROM catalog.product ORDER BY id LIMIT 2);
INSERT INTO finance.budget (client_id, name, period_start, period_end, amount)
SELECT id, 'History budget', '2026-01-01', '2026-12-31', 100000 FROM core.client c
 WHERE NOT EXISTS (SELECT 1 FROM finance.budget b WHERE b.client_id = c.id AND b.name = 'History budget')
 ORDER BY id LIMIT 1;
SELECT set_config('app.client_id', (SELECT min(id)::text FROM core.client), false);
SELECT finance.refresh_cost_tracking(coalesce((SELECT min(occurred_at)::date FROM inventory.stock_movement), current_date), 7);
SELECT set_config('app.client_id', '', false);
