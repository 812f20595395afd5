/**
 * Seed step: product costs and lead times, a budget for the current month (one product and all products) and the
 * month's cost tracking refreshed from the demo ledger, for each demo client. Idempotent: costs are
 * set, budgets inserted only when missing, the refresh replaces the month's rows.
 */
import type { SeedStep } from './step.ts';

export const finance: SeedStep = {
  name: 'finance demo budgets and cost tracking',
  async run(client) {
    await client.query(`
      UPDATE catalog.product SET unit_cost = v.cost::numeric, unit_price = v.price::numeric, reorder_cost = 75, holding_cost_rate = 0.25,
                                 cost_source = 'SUPPLIER_PRICE_LIST', last_cost_update = coalesce(last_cost_update, now()),
                                 supplier_lead_days = 7, shipping_lead_days = 2, processing_lead_days = 1, safety_buffer_days = 2,
                                 lead_time_source = 'SUPPLIER_QUOTE'
        FROM (VALUES ('DEMO-001', 320, 420), ('DEMO-002', 540, 690), ('DEMO-003', 89.9, 129), ('DEMO-004', 42, 65)) AS v(sku, cost, price)
       WHERE product.sku = v.sku`);
    await client.query(`
      INSERT INTO finance.budget (product_id, name, period_start, period_end, amount)
      SELECT p.id, v.name, date_trunc('month', current_date)::date, (date_trunc('month', current_date) + interval '1 month - 1 day')::date, v.amount
        FROM (VALUES ('DEMO-001', 'Flour purchases', 50000), (NULL, 'All purchases', 250000)) AS v(sku, name, amount)
        LEFT JOIN catalog.product p ON p.sku = v.sku
       WHERE NOT EXISTS (SELECT 1 FROM finance.budget b WHERE b.name = v.name AND b.period_start = date_trunc('month', current_date)::date)`);
    await client.query(`SELECT finance.refresh_cost_tracking(current_date, 14)`);
  },
};
