/**
 * The stockout projection case of `npm run bench:fulfillment` (issue 11): `products` products of one
 * client in one warehouse with lead times (7 days), each with a year of ledger: a receipt 365 days
 * ago and issues 300, 200, 80, 45 and 10 days ago (one product in 20 issues all it received: stocked
 * out; one in 20 never issues: no demand).
 *
 * The load measures nothing, so it takes the shortest path (as bench/replenishment.ts does): INSERT
 * ... SELECT over generate_series as the superuser with session_replication_role = replica (the
 * ledger trigger, foreign key checks and the lead-time trigger off: total_lead_days is written with
 * the sum its CHECK holds), the levels from the same closed form as the movements, then VACUUM
 * (ANALYZE): a year of ledger has been through autovacuum (insert-triggered) long since, its pages
 * all-visible, so that the projection reads the movements from their index alone, as it would there.
 *
 * Measured:
 * - `backfill product-timing` through the backfill runner (src/backfill/runner.ts, batches of
 *   `batchSize`, one transaction each, as the owner role), in all;
 * - one product's projection as the application role working for the client (productTiming,
 *   catalog.product_timing), p50 / p95 over `queries` random products: right after the run, then on
 *   the settled server. A run rewrites every product row: its VACUUM (the definition's
 *   `vacuumAfter`) prunes the dead versions, but the shared buffers stay full of dirty pages until
 *   the next checkpoint (at most checkpoint_timeout, 5 min, later), and a read that evicts one
 *   writes it first. The aim is read on the settled server, after a CHECKPOINT; the first figure
 *   is reported beside it.
 */
import type pg from 'pg';
import { BACKFILLS } from '../src/backfill/definitions.ts';
import { runBackfill } from '../src/backfill/runner.ts';
import { productTiming } from '../src/catalog/timing.ts';
import type { ClientPool } from '../src/db/tenancy.ts';
import { seededRandom } from './random.ts';
import { percentile } from './support.ts';

export interface TimingBenchOptions {
  products: number;
  batchSize: number;
  queries: number;
  report: (line: string) => void;
}

export interface TimingBenchResult {
  products: number;
  movements: number;
  loadMs: number;
  batchSize: number;
  batches: number;
  /** The backfill run, start to verification. */
  backfillMs: number;
  changed: number;
  problems: number;
  /** Products per projection status after the run. */
  statuses: Record<string, number>;
  /** One product right after the run: the shared buffers still full of the run's dirty pages. */
  afterRunP50Ms: number;
  afterRunP95Ms: number;
  /** One product on the settled server (after a CHECKPOINT), other random products. */
  singleP50Ms: number;
  singleP95Ms: number;
}

const ISSUE_DAYS_AGO = [300, 200, 80, 45, 10];

async function load(client: pg.Client, clientId: string, products: number): Promise<number> {
  await client.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('TIMING', 'Timing')`);
  await client.query('SET session_replication_role = replica');
  try {
    await client.query(
      `INSERT INTO catalog.product (client_id, sku, name, supplier_lead_days, shipping_lead_days, total_lead_days, lead_time_source)
       SELECT $1, 'T-' || g, 'Timed product ' || g, 5, 2, 7, 'SUPPLIER_QUOTE' FROM generate_series(1, $2) g`,
      [clientId, products],
    );
    // Receipt R = 100 + id % 50; issue I = 5 + id % 7 (id % 20 = 0: R / 5, all of it issued; id % 20 = 1: no issues).
    const kind = `(SELECT CASE WHEN p.id % 20 = 0 THEN 5 * (5 + p.id % 7) ELSE 100 + p.id % 50 END AS r,
                          CASE WHEN p.id % 20 = 1 THEN 0 ELSE 5 + p.id % 7 END AS i) q`;
    await client.query(
      `INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, value_delta, qty_after,
                                             avg_cost_after, value_after, level_sequence, occurred_at, posted_at, reference_type, actor)
       SELECT p.client_id, CASE WHEN k = 0 THEN 'RECEIPT' ELSE 'ISSUE' END::inventory.movement_type, p.id, w.id,
              CASE WHEN k = 0 THEN q.r ELSE -q.i END, CASE WHEN k = 0 THEN 1 END, CASE WHEN k = 0 THEN q.r ELSE -q.i END,
              q.r - k * q.i, 1, q.r - k * q.i, k + 1,
              now() - make_interval(days => CASE WHEN k = 0 THEN 365 ELSE ($3::int[])[k] END),
              now() - make_interval(days => CASE WHEN k = 0 THEN 365 ELSE ($3::int[])[k] END), 'MANUAL', 'bench'
         FROM catalog.product p JOIN catalog.warehouse w ON w.client_id = p.client_id AND w.code = 'TIMING'
        CROSS JOIN LATERAL ${kind} CROSS JOIN generate_series(0, $2) k
        WHERE p.client_id = $1 AND (k = 0 OR q.i > 0)`,
      [clientId, ISSUE_DAYS_AGO.length, ISSUE_DAYS_AGO],
    );
    await client.query(
      `INSERT INTO inventory.stock_level (client_id, product_id, warehouse_id, qty_on_hand, cost_price, cost_method, movement_count, last_movement_at)
       SELECT m.client_id, m.product_id, m.warehouse_id, m.qty_after, 1, 'WEIGHTED_AVERAGE', m.level_sequence, m.occurred_at
         FROM (SELECT DISTINCT ON (client_id, product_id, warehouse_id) * FROM inventory.stock_movement WHERE client_id = $1
                ORDER BY client_id, product_id, warehouse_id, level_sequence DESC) m`,
      [clientId],
    );
  } finally {
    await client.query('RESET session_replication_role');
  }
  await client.query('VACUUM (ANALYZE)');
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM inventory.stock_movement WHERE client_id = $1`, [
    clientId,
  ]);
  return rows[0]!.n;
}

/**
 * Loads the case for `clientId` on `client` (a superuser connection working for it, on a deployed
 * database), runs the backfill on `client` and reads single products through `app`.
 */
export async function benchProductTiming(
  client: pg.Client,
  app: ClientPool,
  clientId: string,
  o: TimingBenchOptions,
): Promise<TimingBenchResult> {
  const loadStarted = performance.now();
  const movements = await load(client, clientId, o.products);
  const loadMs = performance.now() - loadStarted;
  o.report(`[progress] projection case loaded: ${o.products} products, ${movements} movements in ${(loadMs / 1000).toFixed(1)} s`);

  const definition = BACKFILLS.find((backfill) => backfill.name === 'product-timing')!;
  let lines = 0;
  const started = performance.now();
  const summary = await runBackfill(client, definition, {
    dryRun: false,
    batchSize: o.batchSize,
    maxBatches: undefined,
    // One progress line in 100 batches: the runner's own lines, thinned.
    report: (line) => {
      if (!line.startsWith('[progress]') || ++lines % 100 === 0) o.report(line);
    },
  });
  const backfillMs = performance.now() - started;
  const { rows: statusRows } = await client.query<{ status: string; n: number }>(
    `SELECT projection_status::text AS status, count(*)::int AS n FROM catalog.product WHERE client_id = $1 GROUP BY 1 ORDER BY 1`,
    [clientId],
  );
  const { rows: ids } = await client.query<{ first: string; last: string }>(
    `SELECT min(id)::text AS first, max(id)::text AS last FROM catalog.product WHERE client_id = $1`,
    [clientId],
  );
  const [first, last] = [Number(ids[0]!.first), Number(ids[0]!.last)];
  const sample = async (seed: number) => {
    const random = seededRandom(seed);
    const times: number[] = [];
    for (let q = -2; q < o.queries; q++) {
      const id = first + Math.floor(random() * (last - first + 1));
      const at = performance.now();
      await productTiming(app, id);
      if (q >= 0) times.push(performance.now() - at);
    }
    return times;
  };
  const afterRun = await sample(21);
  // Settled: the run's dirty pages written out, as the checkpointer does within checkpoint_timeout.
  await client.query('CHECKPOINT');
  const settled = await sample(22);
  return {
    products: o.products,
    movements,
    loadMs,
    batchSize: o.batchSize,
    batches: summary.batches,
    backfillMs,
    changed: summary.changed,
    problems: summary.problems,
    statuses: Object.fromEntries(statusRows.map((row) => [row.status, row.n])),
    afterRunP50Ms: percentile(afterRun, 50),
    afterRunP95Ms: percentile(afterRun, 95),
    singleP50Ms: percentile(settled, 50),
    singleP95Ms: percentile(settled, 95),
  };
}
