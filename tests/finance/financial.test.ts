/**
 * Financial tracking (add_financial_tracking): product costs, budgets and their variance, monthly
 * cost tracking from the ledger with EOQ and safety stock, each rule broken on purpose.
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientTransaction } from '../../src/db/tenancy.ts';
import { budgetVariance, refreshCostTracking } from '../../src/finance/costs.ts';
import { withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { catalogFixture } from '../inventory/fixtures.ts';

async function costed(tx: ClientTransaction) {
  const fixture = await catalogFixture(tx);
  await tx.query(`UPDATE catalog.product SET unit_cost = 10, reorder_cost = 50, holding_cost_rate = 0.25 WHERE id = $1`, [
    fixture.productId,
  ]);
  return fixture;
}

async function move(
  tx: ClientTransaction,
  f: { productId: string; warehouseId: string },
  type: string,
  quantity: number,
  at: string,
  cost?: number,
) {
  await tx.query(
    `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [type, f.productId, f.warehouseId, quantity, cost ?? null, at],
  );
}

async function tracking(tx: ClientTransaction, productId: string, period: string) {
  const { rows } = await tx.query<Record<string, string | number | null>>(
    `SELECT purchases_qty::text, purchases_value::text, issued_qty::text, cogs_value::text, opening_value::text, closing_value::text,
            average_inventory_value::text, holding_cost::text, order_count, ordering_cost::text, annual_demand::text,
            order_cost_per_order::text, holding_cost_per_unit::text, demand_window_days, eoq::text, eoq_null_reason,
            daily_demand_mean::text, daily_demand_stddev::text, lead_time_days, lead_time_basis, safety_stock::text, reorder_point::text,
            safety_stock_null_reason
       FROM finance.cost_tracking WHERE product_id = $1 AND period = $2`,
    [productId, period],
  );
  return rows;
}

describe('product costs', () => {
  it('refuses a negative cost, price, reorder cost or holding rate', async () => {
    await withRollback(async (tx) => {
      const f = await catalogFixture(tx);
      for (const column of ['unit_cost', 'unit_price', 'reorder_cost', 'holding_cost_rate']) {
        await expectSqlError(
          tx,
          () => tx.query(`UPDATE catalog.product SET ${column} = -1 WHERE id = $1`, [f.productId]),
          '23514',
          'product_costs_not_negative_check',
        );
      }
    });
  });
});

describe('budgets', () => {
  it('refuses an inverted period, a negative amount, overlapping periods of one product, a missing product', async () => {
    await withRollback(async (tx) => {
      const f = await catalogFixture(tx);
      const insert = (product: string | null, start: string, end: string, amount = 100) =>
        tx.query(`INSERT INTO finance.budget (product_id, name, period_start, period_end, amount) VALUES ($1, 'b', $2, $3, $4)`, [
          product,
          start,
          end,
          amount,
        ]);
      await expectSqlError(tx, () => insert(f.productId, '2026-02-01', '2026-01-31'), '23514', 'budget_period_check');
      await expectSqlError(tx, () => insert(f.productId, '2026-01-01', '2026-01-31', -1), '23514', 'budget_amount_not_negative_check');
      await expectSqlError(tx, () => insert('-1', '2026-01-01', '2026-01-31'), '23503', 'budget_product_id_fkey');
      await insert(f.productId, '2026-01-01', '2026-01-31');
      await expectSqlError(tx, () => insert(f.productId, '2026-01-31', '2026-02-28'), '23P01', 'budget_no_overlapping_period_excl');
      // All products (NULL) is a budget of its own; two of those overlap too.
      await insert(null, '2026-01-01', '2026-03-31');
      await expectSqlError(tx, () => insert(null, '2026-03-01', '2026-03-31'), '23P01', 'budget_no_overlapping_period_excl');
      await insert(f.productId, '2026-02-01', '2026-02-28');
    });
  });

  it('reports actual purchases in the budget period and variance = budget - actual', async () => {
    await withRollback(async (tx) => {
      const f = await costed(tx);
      await move(tx, f, 'RECEIPT', 30, '2026-03-05 10:00+00', 12.5);
      await move(tx, f, 'RECEIPT', 10, '2026-04-01 00:00+00', 12.5);
      await tx.query(
        `INSERT INTO finance.budget (product_id, name, period_start, period_end, amount) VALUES ($1, 'p', '2026-03-01', '2026-03-31', 500)`,
        [f.productId],
      );
      const { rows } = await tx.query(
        `SELECT actual::text, variance::text, variance_pct::text FROM finance.v_budget_variance WHERE product_id = $1`,
        [f.productId],
      );
      expect(rows).toEqual([{ actual: '375.0000', variance: '125.0000', variance_pct: '25.00' }]);
    });
  });
});

describe('cost tracking', () => {
  it('aggregates a month from the ledger, computes EOQ and safety stock from stored inputs, and a second refresh changes nothing', async () => {
    await withRollback(async (tx) => {
      const f = await costed(tx);
      await move(tx, f, 'RECEIPT', 400, '2026-01-01 08:00+00', 10);
      await move(tx, f, 'ISSUE', -100, '2026-01-10 08:00+00');
      await move(tx, f, 'RECEIPT', 100, '2026-02-02 08:00+00', 13);
      await move(tx, f, 'ISSUE', -50, '2026-02-03 08:00+00');
      await move(tx, f, 'ISSUE', -10, '2026-02-27 08:00+00');
      const { rows: written } = await tx.query(`SELECT finance.refresh_cost_tracking('2026-02-14', 4) AS n`);
      expect(written).toEqual([{ n: 1 }]);
      const first = await tracking(tx, f.productId, '2026-02-01');
      await tx.query(`SELECT finance.refresh_cost_tracking('2026-02-01', 4)`);
      expect(await tracking(tx, f.productId, '2026-02-01')).toEqual(first);
      // Opening 300 at 10 = 3000; +100 at 13 → 400 at 10.75 (4300); -50 and -10 at 10.75 (645) → 340, 3655.
      // Window 2026-01-01 .. 2026-02-28 = 59 days, 160 issued: D = 160 * 365 / 59 = 989.8305; H = 2.5; S = 50.
      // Daily demand: 100, 50 and 10 on three days, 0 on 56: mean 2.7119, sample stddev 14.0005 (rounded).
      expect(first).toEqual([
        {
          purchases_qty: '100.0000',
          purchases_value: '1300.0000',
          issued_qty: '60.0000',
          cogs_value: '645.0000',
          opening_value: '3000.0000',
          closing_value: '3655.0000',
          average_inventory_value: '3327.5000',
          holding_cost: '69.3229',
          order_count: 1,
          ordering_cost: '50.0000',
          annual_demand: '989.8305',
          order_cost_per_order: '50.0000',
          holding_cost_per_unit: '2.500000',
          demand_window_days: 59,
          eoq: expect.any(String),
          eoq_null_reason: null,
          daily_demand_mean: '2.7119',
          daily_demand_stddev: expect.any(String),
          lead_time_days: 4,
          lead_time_basis: 'OVERRIDE',
          safety_stock: expect.any(String),
          reorder_point: expect.any(String),
          safety_stock_null_reason: null,
        },
      ]);
      const row = first[0]!;
      expect(Number(row.eoq)).toBeCloseTo(Math.sqrt((2 * 989.8305 * 50) / 2.5), 3);
      const daily = [100, 50, 10, ...Array<number>(56).fill(0)];
      const mean = daily.reduce((a, b) => a + b, 0) / daily.length;
      const sd = Math.sqrt(daily.reduce((a, b) => a + (b - mean) ** 2, 0) / (daily.length - 1));
      expect(Number(row.daily_demand_stddev)).toBeCloseTo(sd, 4);
      expect(Number(row.safety_stock)).toBeCloseTo(1.6449 * sd * 2, 3);
      expect(Number(row.reorder_point)).toBeCloseTo(mean * 4 + 1.6449 * sd * 2, 3);
    });
  });

  it('leaves EOQ and safety stock NULL with the reason when an input is missing or zero, never 0', async () => {
    await withRollback(async (tx) => {
      const f = await costed(tx);
      await move(tx, f, 'RECEIPT', 10, '2026-05-31 08:00+00', 10);
      await tx.query(`SELECT finance.refresh_cost_tracking('2026-05-01')`);
      expect(await tracking(tx, f.productId, '2026-05-01')).toEqual([
        expect.objectContaining({
          eoq: null,
          eoq_null_reason: 'no demand in the demand window',
          safety_stock: null,
          safety_stock_null_reason: 'lead time unknown (no argument, and the product has no total_lead_days)',
        }),
      ]);
      await move(tx, f, 'ISSUE', -1, '2026-05-31 09:00+00');
      await tx.query(`SELECT finance.refresh_cost_tracking('2026-05-01', 3)`);
      expect(await tracking(tx, f.productId, '2026-05-01')).toEqual([
        expect.objectContaining({
          demand_window_days: 1,
          safety_stock: null,
          safety_stock_null_reason: 'too little history (fewer than 2 days of demand)',
        }),
      ]);
      for (const [set, reason] of [
        ['reorder_cost = 0', 'reorder_cost is zero'],
        ['reorder_cost = NULL', 'reorder_cost not set'],
        ['reorder_cost = 5, holding_cost_rate = NULL', 'holding_cost_rate not set'],
        ['holding_cost_rate = 0', 'holding cost per unit is zero'],
      ] as const) {
        await tx.query(`UPDATE catalog.product SET ${set} WHERE id = $1`, [f.productId]);
        await tx.query(`SELECT finance.refresh_cost_tracking('2026-05-01')`);
        expect(await tracking(tx, f.productId, '2026-05-01')).toEqual([expect.objectContaining({ eoq: null, eoq_null_reason: reason })]);
      }
    });
  });

  it("uses each product's own lead time (total_lead_days) unless told one for all, and says which", async () => {
    await withRollback(async (tx) => {
      // Three products with the same demand: lead times of 4 and 16 days, and none.
      const products = [];
      for (const lead of [4, 16, null]) {
        const f = await costed(tx);
        await tx.query(`UPDATE catalog.product SET supplier_lead_days = $2 WHERE id = $1`, [f.productId, lead]);
        await move(tx, f, 'RECEIPT', 400, '2026-03-01 08:00+00', 10);
        for (const [quantity, day] of [
          [-20, '03'],
          [-50, '10'],
          [-5, '21'],
        ] as const) {
          await move(tx, f, 'ISSUE', quantity, `2026-03-${day} 08:00+00`);
        }
        products.push(f.productId);
      }
      const [short, long, none] = products as [string, string, string];
      await refreshCostTracking(tx, '2026-03-01');
      const [a, b, c] = [
        (await tracking(tx, short, '2026-03-01'))[0]!,
        (await tracking(tx, long, '2026-03-01'))[0]!,
        (await tracking(tx, none, '2026-03-01'))[0]!,
      ];
      expect([a.lead_time_days, a.lead_time_basis, b.lead_time_days, b.lead_time_basis]).toEqual([4, 'PRODUCT', 16, 'PRODUCT']);
      expect(a.daily_demand_stddev).toBe(b.daily_demand_stddev);
      // z·σ·√16 = 2 × z·σ·√4 (each rounded to 4 decimals).
      expect(Math.abs(Number(b.safety_stock) - 2 * Number(a.safety_stock))).toBeLessThanOrEqual(0.0001);
      expect(Number(a.safety_stock)).toBeGreaterThan(0);
      expect(c).toMatchObject({
        lead_time_days: null,
        lead_time_basis: null,
        safety_stock: null,
        reorder_point: null,
        safety_stock_null_reason: 'lead time unknown (no argument, and the product has no total_lead_days)',
      });

      // An explicit lead time overrides every product's, and is recorded as such.
      await refreshCostTracking(tx, '2026-03-01', { leadTimeDays: 9 });
      for (const id of products) {
        expect((await tracking(tx, id, '2026-03-01'))[0]).toMatchObject({
          lead_time_days: 9,
          lead_time_basis: 'OVERRIDE',
          safety_stock_null_reason: null,
        });
      }
      // A basis without a lead time is refused.
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `UPDATE finance.cost_tracking SET lead_time_days = NULL, safety_stock = NULL, reorder_point = NULL, safety_stock_null_reason = 'x' WHERE product_id = $1`,
            [short],
          ),
        '23514',
        'cost_tracking_lead_time_basis_check',
      );
    });
  });

  it('refuses refreshing without a client (42501) and negative inputs (22023)', async () => {
    await withRollback(async (tx) => {
      await expectSqlError(tx, () => tx.query(`SELECT finance.refresh_cost_tracking('2026-01-01', -1)`), '22023');
      await tx.query(`SELECT set_config('app.client_id', '', true)`);
      await expectSqlError(tx, () => tx.query(`SELECT finance.refresh_cost_tracking('2026-01-01')`), '42501');
    });
  });

  it('refuses rows that break its rules', async () => {
    await withRollback(async (tx) => {
      const f = await catalogFixture(tx);
      const insert = (
        period: string,
        window: number,
        eoq: string | null,
        reason: string | null,
        ss: string | null = null,
        ssReason: string | null = 'x',
      ) =>
        tx.query(
          `INSERT INTO finance.cost_tracking (product_id, period, demand_window_days, eoq, eoq_null_reason, safety_stock, reorder_point, safety_stock_null_reason)
           VALUES ($1, $2, $3, $4, $5, $6, $6, $7)`,
          [f.productId, period, window, eoq, reason, ss, ssReason],
        );
      await expectSqlError(tx, () => insert('2026-01-02', 30, null, 'x'), '23514', 'cost_tracking_period_first_day_check');
      await expectSqlError(tx, () => insert('2026-01-01', 0, null, 'x'), '23514', 'cost_tracking_demand_window_check');
      await expectSqlError(tx, () => insert('2026-01-01', 30, null, null), '23514', 'cost_tracking_eoq_reason_check');
      await expectSqlError(tx, () => insert('2026-01-01', 30, '5', 'x'), '23514', 'cost_tracking_eoq_reason_check');
      await expectSqlError(tx, () => insert('2026-01-01', 30, null, 'x', null, null), '23514', 'cost_tracking_safety_stock_reason_check');
      await expectSqlError(tx, () => insert('2026-01-01', 30, null, 'x', '1', 'x'), '23514', 'cost_tracking_safety_stock_reason_check');
    });
  });
});

describe('the library', () => {
  it('refreshes a month and reads budget variance through typed functions', async () => {
    await withRollback(async (tx) => {
      const f = await costed(tx);
      await move(tx, f, 'RECEIPT', 20, '2026-07-03 10:00+00', 10);
      await tx.query(
        `INSERT INTO finance.budget (product_id, name, period_start, period_end, amount) VALUES ($1, 'July', '2026-07-01', '2026-07-31', 150)`,
        [f.productId],
      );
      expect(await refreshCostTracking(tx, '2026-07-20', { leadTimeDays: 2 })).toBeGreaterThanOrEqual(1);
      expect((await tracking(tx, f.productId, '2026-07-01'))[0]).toMatchObject({ purchases_value: '200.0000', lead_time_days: 2 });
      const variance = await budgetVariance(tx, '2026-07-01', '2026-07-31');
      expect(variance.filter((row) => row.productId === f.productId)).toEqual([
        expect.objectContaining({ name: 'July', amount: '150.0000', actual: '200.0000', variance: '-50.0000', variancePct: '-33.33' }),
      ]);
    });
  });
});
