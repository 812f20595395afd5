/**
 * Benchmarking (add_benchmarking): privacy enforced in the database. The application role cannot
 * read raw metrics or write snapshots; no snapshot of fewer than 5 participants can exist; and the
 * attacks of anchors-fulfillment.md §2.3 fail: recovering the top participant from P75/P90 at small
 * n, differencing two periods when one participant joins or leaves, combining overlapping cohorts.
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientTransaction } from '../../src/db/tenancy.ts';
import { withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { orderFixture } from '../fulfillment/fixtures.ts';
import { catalogFixture } from '../inventory/fixtures.ts';

let cohortCounter = 0;

/** `values.length` participants of a new cohort with the given product counts for `period` (as the operator). */
async function cohort(
  tx: ClientTransaction,
  values: number[],
  period: string,
  sizeBand = 'SMALL',
  industry = `ATTACK_${++cohortCounter}_${process.pid}`,
) {
  const clients: string[] = [];
  for (const value of values) clients.push(await participant(tx, industry, sizeBand, period, value));
  return { industry, clients };
}

async function participant(tx: ClientTransaction, industry: string, sizeBand: string, period: string, productCount: number) {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO core.client (code, name) VALUES ('bench-' || gen_random_uuid(), 'benchmark test') RETURNING id::text`,
  );
  const id = rows[0]!.id;
  await tx.query(
    `INSERT INTO benchmark.benchmark_participation (client_id, industry, size_band, joined_at) VALUES ($1, $2, $3, '2025-01-01')`,
    [id, industry, sizeBand],
  );
  await metric(tx, id, period, productCount);
  return id;
}

async function metric(tx: ClientTransaction, clientId: string, period: string, productCount: number) {
  await tx.query(`INSERT INTO benchmark.benchmark_client_metric (client_id, period, product_count) VALUES ($1, $2, $3)`, [
    clientId,
    period,
    productCount,
  ]);
}

async function snapshots(tx: ClientTransaction, industry: string) {
  const { rows } = await tx.query<Record<string, string | number | null>>(
    `SELECT period::text, size_band::text, participant_count, product_count_p25::float8 AS p25, product_count_p50::float8 AS p50,
            product_count_p75::float8 AS p75, product_count_p90::float8 AS p90
       FROM benchmark.benchmark_snapshot WHERE industry = $1 ORDER BY period, size_band`,
    [industry],
  );
  return rows;
}

describe('what the application role may do', () => {
  it('opts its own client in and out, and reads snapshots, but cannot read raw metrics, write snapshots or publish (42501)', async () => {
    await withRollback(async (tx) => {
      await tx.query(
        `INSERT INTO benchmark.benchmark_participation (industry, size_band) VALUES ('FOOD', 'MEDIUM') ON CONFLICT (client_id) DO NOTHING`,
      );
      await tx.query(`UPDATE benchmark.benchmark_participation SET is_participating = false, left_at = now()`);
      await tx.query(`SELECT count(*) FROM benchmark.benchmark_snapshot`);
      await expectSqlError(tx, () => tx.query(`SELECT * FROM benchmark.benchmark_client_metric`), '42501');
      await expectSqlError(tx, () => tx.query(`INSERT INTO benchmark.benchmark_client_metric (period) VALUES ('2026-01-01')`), '42501');
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO benchmark.benchmark_snapshot (industry, size_band, period, participant_count) VALUES ('X', 'SMALL', '2026-01-01', 50)`,
          ),
        '42501',
      );
      await expectSqlError(tx, () => tx.query(`UPDATE benchmark.benchmark_snapshot SET participant_count = 5`), '42501');
      await expectSqlError(tx, () => tx.query(`SELECT benchmark.publish_snapshots('2026-01-01')`), '42501');
      await expectSqlError(tx, () => tx.query(`SELECT benchmark.compute_client_metrics('2026-01-01')`), '42501');
      await expectSqlError(tx, () => tx.query(`SELECT benchmark.compute_client_metrics('2026-01-01', '2026-12-01')`), '42501');
    });
  });

  it('keeps participation rules', async () => {
    await withRollback(async (tx) => {
      await tx.query(`DELETE FROM benchmark.benchmark_participation`);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO benchmark.benchmark_participation (industry, size_band) VALUES ('food & drink', 'SMALL')`),
        '23514',
        'benchmark_participation_industry_check',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO benchmark.benchmark_participation (industry, size_band, is_participating) VALUES ('FOOD', 'SMALL', false)`),
        '23514',
        'benchmark_participation_left_check',
      );
      await tx.query(`INSERT INTO benchmark.benchmark_participation (industry, size_band) VALUES ('FOOD', 'SMALL')`);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO benchmark.benchmark_participation (industry, size_band) VALUES ('FOOD', 'LARGE')`),
        '23505',
        'benchmark_participation_client_id_key',
      );
    });
  });
});

describe('snapshots, enforced by constraints', () => {
  it('never hold fewer than 5 participants, outer percentiles only from 10, periods on the first day', async () => {
    await withAdminRollback(async (tx) => {
      const insert = (count: number, p90: number | null, period = '2026-01-01') =>
        tx.query(
          `INSERT INTO benchmark.benchmark_snapshot (industry, size_band, period, participant_count, product_count_p90) VALUES ('CHECK', 'SMALL', $3, $1, $2)`,
          [count, p90, period],
        );
      await expectSqlError(tx, () => insert(4, null), '23514', 'benchmark_snapshot_min_participants_check');
      await expectSqlError(tx, () => insert(9, 100), '23514', 'benchmark_snapshot_outer_percentiles_check');
      await expectSqlError(tx, () => insert(10, 100, '2026-01-02'), '23514', 'benchmark_snapshot_period_first_day_check');
      await insert(10, 100);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO benchmark.benchmark_client_metric (period) VALUES ('2026-01-15')`),
        '23514',
        'benchmark_client_metric_period_first_day_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO benchmark.benchmark_client_metric (period, snapshot_id) VALUES ('2026-01-01', -1)`),
        '23503',
        'benchmark_client_metric_snapshot_id_fkey',
      );
    });
  });
});

describe('the attacks of anchors-fulfillment.md §2.3, which fail', () => {
  it('publishes nothing for 4 participants', async () => {
    await withAdminRollback(async (tx) => {
      const { industry } = await cohort(tx, [10, 20, 30, 40], '2026-01-01');
      await tx.query(`SELECT benchmark.publish_snapshots('2026-01-01')`);
      expect(await snapshots(tx, industry)).toEqual([]);
    });
  });

  it('top participant from P75/P90 at small n: not published below 10, coarsened above', async () => {
    await withAdminRollback(async (tx) => {
      // {10, 20, 30, 40, 95}: percentile_cont P75/P90 = 40/73 give x5 = P75 + (P90 - P75)/0.6 = 95 exactly.
      const five = await cohort(tx, [10, 20, 30, 40, 95], '2026-01-01');
      await tx.query(`SELECT benchmark.publish_snapshots('2026-01-01')`);
      expect(await snapshots(tx, five.industry)).toEqual([
        { period: '2026-01-01', size_band: 'SMALL', participant_count: 5, p25: 20, p50: 30, p75: null, p90: null },
      ]);
      // Ten participants, the top one 400; an insider who knows x9 = 95 solves P90 = x9 + 0.1 (x10 - x9) for x10.
      const ten = await cohort(tx, [10, 20, 30, 40, 50, 60, 70, 80, 95, 400], '2026-01-01');
      await tx.query(`SELECT benchmark.publish_snapshots('2026-01-01')`);
      const [published] = await snapshots(tx, ten.industry);
      const exactP90 = 95 + 0.1 * (400 - 95);
      expect(published!.p90).not.toBe(exactP90);
      const recovered = 95 + ((published!.p90 as number) - 95) / 0.1;
      expect(Math.abs(recovered - 400)).toBeGreaterThanOrEqual(10);
    });
  });

  it('differencing two periods: a cohort that one participant joined or left is not published for the later period', async () => {
    await withAdminRollback(async (tx) => {
      const { industry, clients } = await cohort(tx, [10, 20, 30, 40, 50, 60], '2026-01-01');
      await tx.query(`SELECT benchmark.publish_snapshots('2026-01-01')`);
      // February: the same six and one more. Its value would be the difference between the two months.
      for (const [i, client] of clients.entries()) await metric(tx, client, '2026-02-01', 10 * (i + 1));
      await participant(tx, industry, 'SMALL', '2026-02-01', 1000);
      await tx.query(`SELECT benchmark.publish_snapshots('2026-02-01')`);
      // March: one of the first six leaves.
      for (const [i, client] of clients.entries()) if (i > 0) await metric(tx, client, '2026-03-01', 10 * (i + 1));
      await tx.query(`UPDATE benchmark.benchmark_participation SET is_participating = false, left_at = now() WHERE client_id = $1`, [
        clients[0],
      ]);
      await tx.query(`SELECT benchmark.publish_snapshots('2026-03-01')`);
      expect((await snapshots(tx, industry)).map((row) => row.period)).toEqual(['2026-01-01']);
      // April: five new participants join at once (6 - 1 + 5 = 10, 5 changed since January): published.
      for (const [i, client] of clients.entries()) if (i > 0) await metric(tx, client, '2026-04-01', 10 * (i + 1));
      for (const value of [70, 80, 90, 100, 110]) await participant(tx, industry, 'SMALL', '2026-04-01', value);
      await tx.query(
        `UPDATE benchmark.benchmark_participation SET is_participating = false, left_at = now() WHERE industry = $1 AND client_id IN (
                        SELECT client_id FROM benchmark.benchmark_client_metric WHERE period = '2026-02-01' AND product_count = 1000)`,
        [industry],
      );
      await tx.query(`SELECT benchmark.publish_snapshots('2026-04-01')`);
      expect((await snapshots(tx, industry)).map((row) => [row.period, row.participant_count])).toEqual([
        ['2026-01-01', 6],
        ['2026-04-01', 10],
      ]);
    });
  });

  it('overlapping cohorts: only industry × size band is published, never a coarser cohort to combine it with', async () => {
    await withAdminRollback(async (tx) => {
      const small = await cohort(tx, [10, 20, 30, 40, 50], '2026-01-01', 'SMALL');
      await cohort(tx, [60, 70, 80, 90, 100], '2026-01-01', 'MEDIUM', small.industry);
      await tx.query(`SELECT benchmark.publish_snapshots('2026-01-01')`);
      expect((await snapshots(tx, small.industry)).map((row) => [row.size_band, row.participant_count])).toEqual([
        ['MEDIUM', 5],
        ['SMALL', 5],
      ]);
      // An industry-wide cohort (size band left out) cannot even be stored.
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO benchmark.benchmark_snapshot (industry, period, participant_count) VALUES ($1, '2026-01-01', 10)`, [
            small.industry,
          ]),
        '23502',
      );
    });
  });
});

describe('client metrics', () => {
  it("come from the client's own data: products, orders of the month, ledger stockouts, turnover and a naive forecast's accuracy", async () => {
    await withAdminRollback(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO core.client (code, name) VALUES ('bench-' || gen_random_uuid(), 'metrics') RETURNING id::text`,
      );
      await tx.query(`SELECT set_config('app.client_id', $1, true)`, [rows[0]!.id]);
      const order = await orderFixture(tx);
      await tx.query(`UPDATE fulfillment.order_request SET requested_at = '2031-03-10' WHERE id = $1`, [order.orderId]);
      const move = (type: string, quantity: number, at: string) =>
        tx.query(
          `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [type, order.productId, order.warehouseId, quantity, type === 'RECEIPT' ? 10 : null, at],
        );
      await move('RECEIPT', 100, '2031-01-15');
      await move('ISSUE', -20, '2031-02-10');
      await move('ISSUE', -30, '2031-03-10');
      await tx.query(
        `INSERT INTO benchmark.benchmark_participation (industry, size_band, joined_at) VALUES ('FOOD', 'SMALL', '2030-01-01')`,
      );
      await tx.query(`SELECT benchmark.compute_client_metrics('2031-03-01')`);
      const metric = await tx.query(
        `SELECT product_count::float8, order_frequency::float8, stockout_rate::float8, forecast_accuracy::float8, inventory_turnover::float8
           FROM benchmark.benchmark_client_metric WHERE client_id = $1 AND period = '2031-03-01'`,
        [rows[0]!.id],
      );
      // 1 product, 1 order in March, 0 of 1 level out of stock; forecast 20 (February) for 30: 1 - 10/30;
      // COGS 300 × 12 / ((800 + 500) / 2) = 5.5385.
      expect(metric.rows).toEqual([
        { product_count: 1, order_frequency: 1, stockout_rate: 0, forecast_accuracy: 0.666667, inventory_turnover: 5.5385 },
      ]);
    });
  });

  it('over a range of months equal an independent computation of each month: backdated movements, stockouts, quiet months, a late joiner', async () => {
    await withAdminRollback(async (tx) => {
      const client = async (joinedAt: string) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO core.client (code, name) VALUES ('bench-' || gen_random_uuid(), 'range') RETURNING id::text`,
        );
        await tx.query(`SELECT set_config('app.client_id', $1, true)`, [rows[0]!.id]);
        await tx.query(`INSERT INTO benchmark.benchmark_participation (industry, size_band, joined_at) VALUES ('FOOD', 'SMALL', $1)`, [
          joinedAt,
        ]);
        return rows[0]!.id;
      };
      const move = (productId: string, warehouseId: string, type: string, quantity: number, at: string, unitCost?: number) =>
        tx.query(
          `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
          [type, productId, warehouseId, quantity, unitCost ?? null, at],
        );
      // A: one product in two warehouses (its issues add up across them) and another product; no
      // movement at all in April and August; stockouts in May and June; an order in March.
      const a = await client('2030-01-01');
      const order = await orderFixture(tx);
      await tx.query(`UPDATE fulfillment.order_request SET requested_at = '2031-03-10' WHERE id = $1`, [order.orderId]);
      const other = await catalogFixture(tx);
      await move(order.productId, order.warehouseId, 'RECEIPT', 100, '2031-01-15', 10);
      await move(order.productId, order.otherWarehouseId, 'RECEIPT', 10, '2031-02-01', 7);
      await move(order.productId, order.warehouseId, 'ISSUE', -20, '2031-02-10');
      await move(order.productId, order.warehouseId, 'ISSUE', -30, '2031-03-10');
      await move(order.productId, order.otherWarehouseId, 'ISSUE', -4, '2031-03-05');
      await move(order.productId, order.warehouseId, 'ISSUE', -50, '2031-05-20');
      await move(other.productId, other.warehouseId, 'RECEIPT', 5, '2030-12-20', 3);
      await move(other.productId, other.warehouseId, 'ISSUE', -5, '2031-06-15');
      await move(order.productId, order.warehouseId, 'RECEIPT', 40, '2031-07-01', 12);
      // Backdated: posted after July's receipt, occurred in March. It is the level's last posting
      // before the end of March to July (qty_after 30: after July's receipt), as the ledger reads.
      await move(order.productId, order.warehouseId, 'ISSUE', -10, '2031-03-25');
      // B: joins in mid-May, with stock from before.
      const b = await client('2031-05-15');
      const own = await catalogFixture(tx);
      await move(own.productId, own.warehouseId, 'RECEIPT', 20, '2031-02-01', 4);
      await move(own.productId, own.warehouseId, 'ISSUE', -5, '2031-06-10');

      const metricsOf = async () =>
        (
          await tx.query(
            `SELECT client_id::text, period::text, product_count::float8, order_frequency::float8, stockout_rate::float8,
                    forecast_accuracy::float8, inventory_turnover::float8
               FROM benchmark.benchmark_client_metric m WHERE client_id IN ($1, $2) ORDER BY m.client_id, period`,
            [a, b],
          )
        ).rows;
      expect(await tx.query(`SELECT benchmark.compute_client_metrics('2031-01-17', '2031-08-31') AS n`)).toMatchObject({
        rows: [{ n: expect.any(Number) }],
      });
      const range = await metricsOf();
      await tx.query(`DELETE FROM benchmark.benchmark_client_metric WHERE client_id IN ($1, $2)`, [a, b]);
      for (let m = 1; m <= 8; m++) await tx.query(`SELECT benchmark.compute_client_metrics($1)`, [`2031-0${m}-01`]);
      expect(await metricsOf()).toEqual(range);
      expect(range).toEqual(await independentMetrics(tx, [a, b], 2031, 8));
      // Spot checks of the reference itself: B only from May; in June only A's second product is out
      // (the backdated issue, posted after July's receipt, is its first level's last posting before July).
      expect(range.filter((r) => r.client_id === b).map((r) => r.period)).toEqual(['2031-05-01', '2031-06-01', '2031-07-01', '2031-08-01']);
      expect(range.find((r) => r.client_id === a && r.period === '2031-03-01')).toMatchObject({ order_frequency: 1, stockout_rate: 0 });
      expect(range.find((r) => r.client_id === a && r.period === '2031-06-01')).toMatchObject({ stockout_rate: 0.333333 });

      await expectSqlError(tx, () => tx.query(`SELECT benchmark.compute_client_metrics('2031-08-01', '2031-07-01')`), '22023');
    });
  });
});

/**
 * The metrics of `clients` for each month of `year` from January to month `months`, computed here
 * from their rows (docs/design/fulfillment.md, "How the metrics are computed"), as the reference.
 */
async function independentMetrics(tx: ClientTransaction, clients: string[], year: number, months: number) {
  const movements = (
    await tx.query<{
      client_id: string;
      level: string;
      product_id: string;
      level_sequence: number;
      occurred_at: Date;
      movement_type: string;
      quantity: number;
      qty_after: number;
      value_after: number | null;
      value_delta: number | null;
    }>(
      `SELECT client_id::text, product_id || '/' || warehouse_id AS level, product_id::text, level_sequence::int, occurred_at, movement_type::text,
              quantity::float8, qty_after::float8, value_after::float8, value_delta::float8
         FROM inventory.stock_movement WHERE client_id = ANY($1::bigint[])`,
      [clients],
    )
  ).rows;
  const participants = (
    await tx.query<{ client_id: string; joined_at: Date; products: number }>(
      `SELECT p.client_id::text, p.joined_at, (SELECT count(*)::int FROM catalog.product pr WHERE pr.client_id = p.client_id AND pr.is_active) AS products
         FROM benchmark.benchmark_participation p WHERE p.client_id = ANY($1::bigint[]) AND p.is_participating`,
      [clients],
    )
  ).rows;
  const orders = (
    await tx.query<{ client_id: string; requested_at: Date }>(
      `SELECT client_id::text, requested_at FROM fulfillment.order_request WHERE client_id = ANY($1::bigint[])`,
      [clients],
    )
  ).rows;
  const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  const rows = [];
  for (const p of [...participants].sort((x, y) => Number(x.client_id) - Number(y.client_id))) {
    for (let m = 0; m < months; m++) {
      const [previous, start, end] = [m - 1, m, m + 1].map((k) => new Date(Date.UTC(year, k, 1)).getTime()) as [number, number, number];
      if (p.joined_at.getTime() >= end) continue;
      const own = movements.filter((x) => x.client_id === p.client_id);
      const lastBefore = (level: string, at: number) =>
        own
          .filter((x) => x.level === level && x.occurred_at.getTime() < at)
          .reduce<(typeof own)[number] | undefined>((best, x) => (best && best.level_sequence > x.level_sequence ? best : x), undefined);
      let levels = 0;
      let out = 0;
      let opening = 0;
      let closing = 0;
      for (const level of new Set(own.map((x) => x.level))) {
        const atEnd = lastBefore(level, end);
        if (!atEnd) continue;
        levels++;
        if (atEnd.qty_after <= 0) out++;
        closing += atEnd.value_after ?? 0;
        opening += lastBefore(level, start)?.value_after ?? 0;
      }
      const issued = (product: string, from: number, to: number, field: 'quantity' | 'value_delta') =>
        own
          .filter(
            (x) =>
              x.product_id === product && x.movement_type === 'ISSUE' && x.occurred_at.getTime() >= from && x.occurred_at.getTime() < to,
          )
          .reduce((sum, x) => sum - (x[field] ?? 0), 0);
      let actual = 0;
      let error = 0;
      let cogs = 0;
      for (const product of new Set(own.map((x) => x.product_id))) {
        const month = issued(product, start, end, 'quantity');
        actual += month;
        error += Math.abs(month - issued(product, previous, start, 'quantity'));
        cogs += issued(product, start, end, 'value_delta');
      }
      rows.push({
        client_id: p.client_id,
        period: new Date(start).toISOString().slice(0, 10),
        product_count: p.products,
        order_frequency: orders.filter(
          (o) => o.client_id === p.client_id && o.requested_at.getTime() >= start && o.requested_at.getTime() < end,
        ).length,
        stockout_rate: levels > 0 ? round(out / levels, 6) : null,
        forecast_accuracy: actual > 0 ? round(Math.max(0, 1 - error / actual), 6) : null,
        inventory_turnover: opening + closing > 0 ? round((cogs * 12) / ((opening + closing) / 2), 4) : null,
      });
    }
  }
  return rows;
}
