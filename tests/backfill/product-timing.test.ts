/**
 * Lead times and the stockout projection (add_product_lead_times): total_lead_days kept by the
 * database, the rules broken on purpose, and `backfill product-timing` (batched, resumable,
 * --dry-run, progress) on a scratch database with both test clients' products.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { BACKFILLS } from '../../src/backfill/definitions.ts';
import { runBackfill } from '../../src/backfill/runner.ts';
import { UnknownProductError } from '../../src/catalog/errors.ts';
import { productTiming } from '../../src/catalog/timing.ts';
import { createPool, urlForRole } from '../../src/db/connect.ts';
import { withClient } from '../../src/db/tenancy.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { runCli } from '../harness/cli.ts';
import { APP_ROLE, scratchDatabase, templateName, withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { catalogFixture } from '../inventory/fixtures.ts';

const definition = BACKFILLS.find((backfill) => backfill.name === 'product-timing')!;

describe('lead times', () => {
  it('keep total_lead_days the sum of the components whatever is written (tg_product__calculate_total_lead_days), and refuse negative days', async () => {
    await withRollback(async (tx) => {
      const f = await catalogFixture(tx);
      const total = async () =>
        (await tx.query(`SELECT total_lead_days FROM catalog.product WHERE id = $1`, [f.productId])).rows[0].total_lead_days;
      expect(await total()).toBeNull();
      await tx.query(
        `UPDATE catalog.product SET supplier_lead_days = 5, shipping_lead_days = 2, lead_time_source = 'SUPPLIER_QUOTE' WHERE id = $1`,
        [f.productId],
      );
      expect(await total()).toBe(7);
      await tx.query(`UPDATE catalog.product SET total_lead_days = 1, processing_lead_days = 1, safety_buffer_days = 3 WHERE id = $1`, [
        f.productId,
      ]);
      expect(await total()).toBe(11);
      for (const column of ['supplier_lead_days', 'shipping_lead_days', 'processing_lead_days', 'safety_buffer_days']) {
        await expectSqlError(
          tx,
          () => tx.query(`UPDATE catalog.product SET ${column} = -1 WHERE id = $1`, [f.productId]),
          '23514',
          'product_lead_days_not_negative_check',
        );
      }
      await expectSqlError(
        tx,
        () =>
          tx.query(`UPDATE catalog.product SET projection_status = 'PROJECTED', timing_last_calculated = now() WHERE id = $1`, [
            f.productId,
          ]),
        '23514',
        'product_projection_status_check',
      );
    });
    await withAdminRollback(async (tx) => {
      // The CHECK behind the trigger, for a writer that gets past it.
      const f = await catalogFixture(tx);
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE catalog.product SET supplier_lead_days = 3, total_lead_days = 4 WHERE id = $1`, [f.productId]),
        '23514',
        'product_total_lead_days_check',
      );
    });
  });

  it('keep the batch function from the application role (42501)', async () => {
    await withRollback(async (tx) => {
      await expectSqlError(tx, () => tx.query(`SELECT * FROM catalog.backfill_product_timing(0, 10)`), '42501');
    });
  });
});

describe('backfill product-timing', () => {
  let url: string;
  let client: pg.Client;
  let appPool: pg.Pool;

  beforeAll(async () => {
    ({ url, client } = await scratchDatabase({ template: templateName() }));
    appPool = createPool(urlForRole(url, APP_ROLE));
    // For each test client: P1 with 60 issued over 60 days and 40 left (lead 10), P2 without demand,
    // P3 received 3 days ago (too little history), P4 issued to nothing left, P5..P8 with demand.
    for (const who of [TEST_CLIENTS.A, TEST_CLIENTS.B]) {
      await withClient(appPool, who.id, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO catalog.warehouse (code, name) VALUES ('PT', 'Timing') RETURNING id::text`,
        );
        const warehouse = rows[0]!.id;
        for (let i = 1; i <= 8; i++) {
          const product = await tx.query<{ id: string }>(
            `INSERT INTO catalog.product (sku, name, supplier_lead_days, shipping_lead_days) VALUES ($1, 'Timing', 7, 3) RETURNING id::text`,
            [`PT-${i}`],
          );
          const id = product.rows[0]!.id;
          const move = (type: string, quantity: number, daysAgo: number) =>
            tx.query(
              `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
               VALUES ($1, $2, $3, $4, $5, now() - make_interval(days => $6))`,
              [type, id, warehouse, quantity, type === 'RECEIPT' ? 1 : null, daysAgo],
            );
          if (i === 3) await move('RECEIPT', 10, 3);
          else await move('RECEIPT', 100, 60);
          if (i === 1 || i >= 5) await move('ISSUE', -60, 30);
          if (i === 4) await move('ISSUE', -100, 10);
        }
      });
    }
  });
  afterAll(() => appPool.end());

  const projection = async (code: string) =>
    (
      await client.query(
        `SELECT p.sku, p.projection_status::text AS status, p.projected_stockout_date - current_date AS stockout_in,
                p.last_order_by_date - current_date AS order_by_in, p.average_daily_demand::text AS adu, p.demand_window_days AS window
           FROM catalog.product p JOIN core.client c ON c.id = p.client_id
          WHERE c.code = $1 AND p.sku LIKE 'PT-%' ORDER BY p.sku`,
        [code],
      )
    ).rows;

  it('dry run: batches and progress, nothing written', async () => {
    const cli = await runCli(['backfill', 'product-timing', '--dry-run', '--batch-size', '3'], { DATABASE_URL: url });
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(cli.stdout).toMatch(/\[start\] backfill=product-timing mode=dry-run batch_size=3/);
    expect(cli.stdout).toMatch(/\[progress\] backfill=product-timing client=\S+ batch=1 /);
    expect((await projection(TEST_CLIENTS.A.code)).every((row) => row.status === null)).toBe(true);
    expect(cli.stdout).not.toMatch(/\[vacuum\]/);
    // Without --batch-size: the size its definition chose by measurement.
    const sized = await runCli(['backfill', 'product-timing', '--dry-run', '--max-batches', '1'], { DATABASE_URL: url });
    expect(sized.stdout).toMatch(/\[start\] backfill=product-timing mode=dry-run batch_size=5000 /);
  });

  it('stops after a number of batches, resumes where it stopped, projects with reasons, and a second run writes nothing', async () => {
    const lines: string[] = [];
    const options = { dryRun: false, batchSize: 3, report: (line: string) => lines.push(line) };
    const vacuumed = async () =>
      (
        await client.query<{ at: Date | null }>(
          `SELECT last_vacuum AS at FROM pg_stat_user_tables WHERE relid = 'catalog.product'::regclass`,
        )
      ).rows[0]!.at;
    const before = await vacuumed();
    const stopped = await runBackfill(client, definition, { ...options, maxBatches: 2 });
    expect(stopped.finished).toBe(false);
    expect(lines.some((line) => line.startsWith('[stopped] backfill=product-timing'))).toBe(true);
    // A run that wrote rows vacuums the table it rewrote (vacuumAfter), as the owner.
    expect(lines.filter((line) => line.startsWith('[vacuum] backfill=product-timing table=catalog.product in '))).toHaveLength(1);
    const after = await vacuumed();
    expect(after).not.toBeNull();
    expect(after!.getTime()).toBeGreaterThan(before?.getTime() ?? 0);
    const resumed = await runBackfill(client, definition, {
      ...options,
      maxBatches: undefined,
      fromClient: stopped.lastClient ?? undefined,
      startAfter: stopped.lastId ?? undefined,
    });
    expect(resumed).toMatchObject({ finished: true, problems: 0 });
    for (const who of [TEST_CLIENTS.A, TEST_CLIENTS.B]) {
      expect(await projection(who.code)).toEqual([
        // 60 issued over 60 days: 1 a day; 40 available: out in 40 days, order by 10 days before.
        { sku: 'PT-1', status: 'PROJECTED', stockout_in: 40, order_by_in: 30, adu: '1.0000', window: 60 },
        { sku: 'PT-2', status: 'NO_DEMAND', stockout_in: null, order_by_in: null, adu: '0.0000', window: 60 },
        { sku: 'PT-3', status: 'INSUFFICIENT_HISTORY', stockout_in: null, order_by_in: null, adu: '0.0000', window: 3 },
        { sku: 'PT-4', status: 'STOCKED_OUT', stockout_in: null, order_by_in: null, adu: '1.6667', window: 60 },
        ...[5, 6, 7, 8].map((i) => ({ sku: `PT-${i}`, status: 'PROJECTED', stockout_in: 40, order_by_in: 30, adu: '1.0000', window: 60 })),
      ]);
    }
    lines.length = 0;
    const again = await runBackfill(client, definition, { ...options, maxBatches: undefined });
    expect(again).toMatchObject({ finished: true, changed: 0, problems: 0 });
    expect(lines.some((line) => line.startsWith('[vacuum]'))).toBe(false);
  });

  it("reads one product's projection on demand (productTiming, catalog.product_timing) as the application role: what the backfill stores", async () => {
    const stored = await client.query<{
      id: string;
      client_id: string;
      status: string;
      adu: string | null;
      window: number | null;
      stockout: string | null;
      order_by: string | null;
    }>(
      `SELECT p.id::text, p.client_id::text, p.projection_status::text AS status, p.average_daily_demand::text AS adu, p.demand_window_days AS window,
              to_char(p.projected_stockout_date, 'YYYY-MM-DD') AS stockout, to_char(p.last_order_by_date, 'YYYY-MM-DD') AS order_by
         FROM catalog.product p WHERE p.sku LIKE 'PT-%' AND p.client_id = $1 ORDER BY p.sku`,
      [TEST_CLIENTS.A.id],
    );
    expect(stored.rows).toHaveLength(8);
    await withClient(appPool, TEST_CLIENTS.A.id, async (tx) => {
      for (const row of stored.rows) {
        expect(await productTiming(tx, row.id)).toEqual({
          status: row.status,
          averageDailyDemand: row.adu,
          demandWindowDays: row.window,
          projectedStockoutDate: row.stockout,
          lastOrderByDate: row.order_by,
        });
      }
    });
    // Another client's product is not this client's to read.
    await withClient(appPool, TEST_CLIENTS.B.id, async (tx) => {
      await expect(productTiming(tx, stored.rows[0]!.id)).rejects.toBeInstanceOf(UnknownProductError);
    });
  });
});

describe('the set-based batch (speed_up_product_timing_backfill)', () => {
  it('stores and reads what the earlier per-product functions (its down.sql, word for word) computed, for every status and edge of the window', async () => {
    const down = fs.readFileSync(path.join(MIGRATIONS_DIR, '20261207110000_speed_up_product_timing_backfill', 'down.sql'), 'utf8');
    await withAdminRollback(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO catalog.warehouse (code, name) VALUES ('SB-1', 'One'), ('SB-2', 'Two') RETURNING id::text`,
      );
      const [one, two] = rows.map((row) => row.id);
      // Days ago, or the start of the window (90 days before today, UTC) and a second before it.
      const windowStart = `(((now() AT TIME ZONE 'UTC')::date - 90)::timestamp AT TIME ZONE 'UTC')`;
      const cases: [string, number | null, [string, string, number, string][]][] = [
        // sku, lead days, movements (type, warehouse, quantity, when): in time order, as the ledger takes them.
        [
          'SB-OLD',
          7,
          [
            ['RECEIPT', one!, 200, "now() - interval '120 days'"],
            ['ISSUE', one!, -30, "now() - interval '100 days'"],
            ['ISSUE', one!, -20, "now() - interval '50 days'"],
            ['RECEIPT', two!, 15, "now() - interval '20 days'"],
            ['ISSUE', one!, -11, "now() - interval '5 days'"],
          ],
        ],
        [
          'SB-EDGE',
          3,
          [
            ['RECEIPT', one!, 50, `${windowStart} - interval '1 second'`],
            ['ISSUE', one!, -7, `${windowStart} - interval '1 second'`],
            ['ISSUE', one!, -9, windowStart],
          ],
        ],
        [
          'SB-40D',
          null,
          [
            ['RECEIPT', one!, 80, "now() - interval '40 days'"],
            ['ISSUE', one!, -13, "now() - interval '39 days'"],
          ],
        ],
        [
          'SB-14D',
          2,
          [
            ['RECEIPT', one!, 30, "now() - interval '14 days'"],
            ['ISSUE', one!, -3, "now() - interval '2 days'"],
          ],
        ],
        [
          'SB-13D',
          2,
          [
            ['RECEIPT', one!, 30, "now() - interval '13 days'"],
            ['ISSUE', one!, -3, "now() - interval '2 days'"],
          ],
        ],
        ['SB-NODEMAND', 4, [['RECEIPT', two!, 9, "now() - interval '200 days'"]]],
        [
          'SB-OLDDEMAND',
          4,
          [
            ['RECEIPT', two!, 9, "now() - interval '200 days'"],
            ['ISSUE', two!, -4, "now() - interval '100 days'"],
          ],
        ],
        [
          'SB-OUT',
          5,
          [
            ['RECEIPT', one!, 12, "now() - interval '60 days'"],
            ['ISSUE', one!, -12, "now() - interval '1 day'"],
          ],
        ],
        ['SB-NONE', 5, []],
      ];
      for (const [sku, lead, movements] of cases) {
        const product = await tx.query<{ id: string }>(
          `INSERT INTO catalog.product (sku, name, supplier_lead_days) VALUES ($1, 'Set-based', $2) RETURNING id::text`,
          [sku, lead],
        );
        for (const [type, warehouse, quantity, when] of movements) {
          await tx.query(
            `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
             VALUES ($1, $2, $3, $4, $5, ${when})`,
            [type, product.rows[0]!.id, warehouse, quantity, quantity > 0 ? 1 : null],
          );
        }
      }
      // Every product of client A (the template's too), in batches of 3, then what each function reads for it.
      const projections = async () => {
        await tx.query(`UPDATE catalog.product SET projection_status = NULL, average_daily_demand = NULL, demand_window_days = NULL,
                               projected_stockout_date = NULL, last_order_by_date = NULL, timing_last_calculated = NULL`);
        for (let after = '0'; ;) {
          const batch = await tx.query<{ last_id: string | null }>(`SELECT last_id::text FROM catalog.backfill_product_timing($1, 3)`, [
            after,
          ]);
          if (batch.rows[0]!.last_id === null) break;
          after = batch.rows[0]!.last_id;
        }
        return (
          await tx.query(
            `SELECT p.sku, p.projection_status::text AS status, p.average_daily_demand::text AS adu, p.demand_window_days AS window,
                    p.projected_stockout_date - current_date AS stockout_in, p.last_order_by_date - current_date AS order_by_in,
                    p.timing_last_calculated IS NOT NULL AS calculated, to_jsonb(t) AS read
               FROM catalog.product p CROSS JOIN LATERAL catalog.product_timing(p.id) t ORDER BY p.id`,
          )
        ).rows;
      };
      const now = await projections();
      await tx.query(down);
      const before = await projections();
      // Without any movement the earlier functions gave a window of 90 days and an ADU of 0.0000;
      // fix_product_timing_window_without_history gives neither (the documented NULL).
      const corrected = before.map((row, i) =>
        now[i]!.window === null && row.window === 90 && row.adu === '0.0000'
          ? { ...row, window: null, adu: null, read: { ...row.read, demand_window_days: null, average_daily_demand: null } }
          : row,
      );
      expect(now).toEqual(corrected);
      const mine = now.filter((row) => row.sku.startsWith('SB-'));
      expect(mine.map((row) => [row.sku, row.status])).toEqual([
        ['SB-OLD', 'PROJECTED'],
        ['SB-EDGE', 'PROJECTED'],
        ['SB-40D', 'PROJECTED'],
        ['SB-14D', 'PROJECTED'],
        ['SB-13D', 'INSUFFICIENT_HISTORY'],
        ['SB-NODEMAND', 'NO_DEMAND'],
        ['SB-OLDDEMAND', 'NO_DEMAND'],
        ['SB-OUT', 'STOCKED_OUT'],
        ['SB-NONE', 'STOCKED_OUT'],
      ]);
      // 31 issued in the window (the issue 100 days ago is not), 154 available over two warehouses.
      expect(mine[0]).toMatchObject({ adu: '0.3444', window: 90, stockout_in: 447, order_by_in: 440, calculated: true });
      // The issue at the window's first instant counts, the one a second before does not.
      expect(mine[1]).toMatchObject({ adu: '0.1000', window: 90, stockout_in: 340 });
      expect(mine[2]).toMatchObject({ window: 40, order_by_in: null });
      expect(mine[8]).toMatchObject({ window: null, adu: null, stockout_in: null, order_by_in: null, calculated: true });
      expect(mine[8]!.read).toMatchObject({ demand_window_days: null, average_daily_demand: null });
      expect(mine.every((row) => row.read.projection_status === row.status)).toBe(true);
    });
  });
});
