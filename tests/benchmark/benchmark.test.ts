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
});
