/**
 * The benchmark snapshot case of `npm run bench:fulfillment` (issue 11): `clients` participating
 * clients in 12 cohorts (4 industries × 3 size bands), each with `productsPerClient` products in one
 * warehouse, a ledger of a receipt and three issues per product and month, and 10 to 29 order
 * requests a month, over `months` months and the month before (the forecast of the first month).
 *
 * The load measures nothing, so it takes the shortest path (as bench/replenishment.ts does): the
 * clients and their participation through their triggers, the rest by INSERT ... SELECT over
 * generate_series as the superuser with session_replication_role = replica (ledger, foreign key
 * and audit triggers off; the CHECKs hold), each movement's running quantity and value in closed
 * form, then ANALYZE.
 *
 * Measured, as the operator (the owner role the functions belong to): the metrics of every month
 * by benchmark.compute_client_metrics(first month, last month) (one pass over the ledger), then
 * benchmark.publish_snapshots(month) for each month in order.
 */
import type pg from 'pg';

export interface SnapshotBenchOptions {
  clients: number;
  months: number;
  productsPerClient: number;
  report: (line: string) => void;
}

export interface SnapshotBenchResult {
  clients: number;
  months: number;
  products: number;
  movements: number;
  orders: number;
  loadMs: number;
  /** compute_client_metrics over every month. */
  computeMs: number;
  /** Per month, in order: publish_snapshots. */
  publishMs: number[];
  /** compute + publish of every month. */
  totalMs: number;
  metricsRows: number;
  snapshotsPublished: number;
}

/** The first month measured; the ledger starts a month earlier. */
const FIRST_MONTH = '2026-01-01';
const INDUSTRIES = `ARRAY['FOOD', 'PHARMA', 'RETAIL', 'INDUSTRIAL']`;

/** Loads the participants and their data on `client` (a superuser connection to a deployed database). */
export async function loadSnapshotCase(
  client: pg.Client,
  o: Omit<SnapshotBenchOptions, 'report'>,
): Promise<{ products: number; movements: number; orders: number }> {
  await client.query(
    `INSERT INTO core.client (code, name) SELECT 'BM-' || g, 'Benchmark participant ' || g FROM generate_series(1, $1) g`,
    [o.clients],
  );
  await client.query(
    `INSERT INTO benchmark.benchmark_participation (client_id, industry, size_band, joined_at)
     SELECT c.id, (${INDUSTRIES})[1 + c.id % 4], (ARRAY['SMALL', 'MEDIUM', 'LARGE'])[1 + (c.id / 4) % 3]::benchmark.size_band, '2025-01-01'
       FROM core.client c WHERE c.code LIKE 'BM-%'`,
  );
  await client.query('SET session_replication_role = replica');
  try {
    await client.query(
      `INSERT INTO catalog.warehouse (client_id, code, name) SELECT id, 'MAIN', 'Main' FROM core.client WHERE code LIKE 'BM-%'`,
    );
    await client.query(
      `INSERT INTO catalog.product (client_id, sku, name) SELECT c.id, 'SKU-' || k, 'Product ' || k
         FROM core.client c CROSS JOIN generate_series(1, $1) k WHERE c.code LIKE 'BM-%'`,
      [o.productsPerClient],
    );
    // Per product: issue I = 5 .. 15 a week, three a month; receipt R = 3I (one product in 5 runs out
    // every month) or 3I + 10 .. 26 (stock grows). Month j (0 = the month before the first), step k.
    const kind = `(SELECT 5 + (p.client_id + p.id) % 11 AS i, CASE WHEN p.id % 5 = 0 THEN 0 ELSE 10 + p.client_id % 17 END AS extra) q`;
    const qtyAfter = `(j * q.extra + (3 - k) * q.i + q.extra)`;
    await client.query(
      `INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, value_delta, qty_after,
                                             avg_cost_after, value_after, level_sequence, occurred_at, posted_at, reference_type, actor)
       SELECT p.client_id, CASE WHEN k = 0 THEN 'RECEIPT' ELSE 'ISSUE' END::inventory.movement_type, p.id, w.id,
              CASE WHEN k = 0 THEN 3 * q.i + q.extra ELSE -q.i END, CASE WHEN k = 0 THEN 2 END,
              2 * CASE WHEN k = 0 THEN 3 * q.i + q.extra ELSE -q.i END, ${qtyAfter}, 2, 2 * ${qtyAfter}, j * 4 + k + 1,
              ($2::date - interval '1 month' + j * interval '1 month' + k * interval '7 days' + interval '9 hours'),
              ($2::date - interval '1 month' + j * interval '1 month' + k * interval '7 days' + interval '9 hours'), 'MANUAL', 'bench'
         FROM catalog.product p JOIN catalog.warehouse w ON w.client_id = p.client_id
        CROSS JOIN LATERAL ${kind} CROSS JOIN generate_series(0, $1) j CROSS JOIN generate_series(0, 3) k`,
      [o.months, FIRST_MONTH],
    );
    await client.query(
      `INSERT INTO inventory.stock_level (client_id, product_id, warehouse_id, qty_on_hand, cost_price, cost_method, movement_count, last_movement_at)
       SELECT m.client_id, m.product_id, m.warehouse_id, m.qty_after, 2, 'WEIGHTED_AVERAGE', m.level_sequence, m.occurred_at
         FROM (SELECT DISTINCT ON (client_id, product_id, warehouse_id) * FROM inventory.stock_movement
                ORDER BY client_id, product_id, warehouse_id, level_sequence DESC) m`,
    );
    await client.query(
      `INSERT INTO fulfillment.order_request (client_id, order_number, customer_name, warehouse_id, status, requested_at)
       SELECT w.client_id, 'BM-' || j || '-' || n, 'Customer ' || n, w.id, 'SUBMITTED',
              $2::date + j * interval '1 month' + n * interval '1 day'
         FROM catalog.warehouse w CROSS JOIN generate_series(0, $1 - 1) j CROSS JOIN LATERAL generate_series(1, 10 + w.client_id % 20) n
        WHERE w.code = 'MAIN'`,
      [o.months, FIRST_MONTH],
    );
  } finally {
    await client.query('RESET session_replication_role');
  }
  await client.query('ANALYZE');
  const { rows } = await client.query<{ products: number; movements: number; orders: number }>(
    `SELECT (SELECT count(*) FROM catalog.product)::int AS products, (SELECT count(*) FROM inventory.stock_movement)::int AS movements,
            (SELECT count(*) FROM fulfillment.order_request)::int AS orders`,
  );
  return rows[0]!;
}

/** Loads the case on `client` (a superuser connection to a freshly deployed database) and times the snapshots of every month. */
export async function benchSnapshots(client: pg.Client, o: SnapshotBenchOptions): Promise<SnapshotBenchResult> {
  const loadStarted = performance.now();
  const sizes = await loadSnapshotCase(client, o);
  const loadMs = performance.now() - loadStarted;
  o.report(
    `[progress] snapshot case loaded: ${o.clients} participants, ${sizes.products} products, ${sizes.movements} movements, ${sizes.orders} orders in ${(loadMs / 1000).toFixed(1)} s`,
  );
  await client.query('SET ROLE supply_ledger_owner');
  const publishMs: number[] = [];
  let computeMs: number;
  let metricsRows: number;
  let snapshotsPublished = 0;
  const month = (m: number) => `($1::date + ${m} * interval '1 month')::date`;
  try {
    let started = performance.now();
    const computed = await client.query<{ n: number }>(
      `SELECT benchmark.compute_client_metrics(${month(0)}, ${month(o.months - 1)}) AS n`,
      [FIRST_MONTH],
    );
    computeMs = performance.now() - started;
    metricsRows = computed.rows[0]!.n;
    o.report(`[progress] compute ${o.months} months: ${computeMs.toFixed(0)} ms (${metricsRows} participant-months)`);
    for (let m = 0; m < o.months; m++) {
      started = performance.now();
      const published = await client.query<{ n: number }>(`SELECT benchmark.publish_snapshots(${month(m)}) AS n`, [FIRST_MONTH]);
      publishMs.push(performance.now() - started);
      snapshotsPublished += published.rows[0]!.n;
      o.report(`[progress] month ${m + 1}/${o.months}: publish ${publishMs[m]!.toFixed(0)} ms (${published.rows[0]!.n} snapshots)`);
    }
  } finally {
    await client.query('RESET ROLE');
  }
  return {
    clients: o.clients,
    months: o.months,
    ...sizes,
    loadMs,
    computeMs,
    publishMs,
    totalMs: computeMs + publishMs.reduce((a, b) => a + b, 0),
    metricsRows,
    snapshotsPublished,
  };
}
