/**
 * `npm run bench:replenishment`: relief replenishment at the size issue 12 names, on a fresh
 * database with every migration of this repository deployed: one relief event in a SURGE served
 * by `warehouses` warehouses (50), `products` relief products (2,000), and a ledger of
 * `movementsPerLevel` movements (50) for every product in every warehouse: 5,000,000 movements.
 *
 * The ledger, at T = 2026-12-01 12:00 UTC: movement k (1 .. M) of every level at T - (M - k) x 2 h,
 * a receipt every fifth movement and issues between. Five hub warehouses receive 1,000 and issue 2
 * (they hold the surplus); in the others a tenth of the products (id divisible by 10) receive 40
 * and issue 10, so they run out every fifth movement (stockouts inside the demand window), the
 * rest receive 400 and issue 8 (no gap). Every field warehouse has inbound stock: 10 ordered
 * procurements of 20 lines, 5 dispatched transfers from a hub of 10 lines and 2 confirmed
 * donations of 10 lines, arriving over the next 48 hours. The SURGE's parameters are the defaults
 * (6 h demand window, 72 h planning, +50 %).
 *
 * The load measures nothing, so it takes the shortest path: INSERT ... SELECT over
 * generate_series per warehouse as the superuser with session_replication_role = replica (the
 * ledger trigger, foreign key checks and audit triggers off; the CHECKs still hold), the levels
 * set from the same closed form as the movements' qty_after, then VACUUM (ANALYZE): a ledger of
 * 5,000,000 movements built over weeks has been through autovacuum (insert-triggered) long since,
 * as bench/product-timing.ts says; without it autovacuum works through the fresh ledger while the
 * needs lists are computed, a third process on two cores.
 *
 * Measured as supply_ledger_app working for the client, under row-level security:
 * - every needs list of the event, one transaction per warehouse (compute_needs_list through
 *   computeEventNeedsLists, `concurrency` lists at a time: burn rates and expiry kept on the lines,
 *   claims on the hubs' surplus), in all (`--concurrency 1` in another run for one at a time: a
 *   second pass here would start from the first's 100,000 lines);
 * - v_stock_status of one random warehouse (all its products), p50 / p95 over `queries`, through
 *   the library's typed read (stockStatus: a named statement, as an application reads it);
 * - v_inbound_stock of one random warehouse (inboundStock), p50 / p95 over `queries`.
 */
import type pg from 'pg';
import { urlForRole } from '../src/db/connect.ts';
import { createClientPool } from '../src/db/tenancy.ts';
import { deploy } from '../src/migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import { DEFAULT_LIST_CONCURRENCY, computeEventNeedsLists } from '../src/replenishment/event-lists.ts';
import { inboundStock as readInboundStock, stockStatus as readStockStatus } from '../src/replenishment/views.ts';
import { seededRandom } from './random.ts';
import { APP_ROLE, loadAsClient, onFreshDatabase, percentile, rolePools } from './support.ts';

export interface ReplenishmentBenchOptions {
  serverUrl: string;
  warehouses: number;
  products: number;
  movementsPerLevel: number;
  queries: number;
  /** Lists computed at a time (computeEventNeedsLists' default when not given). */
  concurrency?: number | undefined;
  report: (line: string) => void;
}

export interface ReplenishmentBenchResult {
  warehouses: number;
  products: number;
  movements: number;
  loadMs: number;
  /** Every needs list of the event, in all, `concurrency` at a time. */
  needsListsMs: number;
  concurrency: number;
  needsListItems: number;
  itemsWithGap: number;
  claims: number;
  stockStatus: { p50Ms: number; p95Ms: number; rows: number };
  inboundStock: { p50Ms: number; p95Ms: number; rows: number };
}

const T = new Date('2026-12-01T12:00:00Z');
const HUBS = 5;

export async function load(
  client: pg.Client,
  clientId: string,
  o: ReplenishmentBenchOptions,
): Promise<{ event: string; warehouses: string[] }> {
  const started = performance.now();
  await client.query(
    `INSERT INTO catalog.warehouse (code, name) SELECT 'W' || lpad(i::text, 3, '0'), 'Relief warehouse ' || i FROM generate_series(1, $1) i`,
    [o.warehouses],
  );
  await client.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('TRANSIT', 'In transit')`);
  await client.query(`INSERT INTO catalog.supplier (code, name) VALUES ('SUP', 'Relief supplier')`);
  await client.query(
    `INSERT INTO catalog.product (sku, name) SELECT 'R' || lpad(i::text, 5, '0'), 'Relief item ' || i FROM generate_series(1, $1) i`,
    [o.products],
  );
  const { rows: event } = await client.query<{ id: string }>(
    `INSERT INTO replenishment.event (code, name, event_type, started_at, phase_changed_at) VALUES ('BENCH', 'Bench event', 'HURRICANE', $1, $1) RETURNING id::text`,
    [new Date(T.getTime() - 500 * 3_600_000)],
  );
  await client.query(`UPDATE replenishment.event SET current_phase = 'SURGE', phase_changed_at = $1 WHERE code = 'BENCH'`, [
    new Date(T.getTime() - 100 * 3_600_000),
  ]);
  await client.query(
    `INSERT INTO replenishment.warehouse_setting (warehouse_id, event_id, min_stock_threshold, last_observed_at, last_synced_at)
     SELECT w.id, $1, 10, $2, $2 FROM catalog.warehouse w WHERE w.code <> 'TRANSIT'`,
    [event[0]!.id, new Date(T.getTime() - 3_600_000)],
  );
  await client.query(
    `INSERT INTO replenishment.item_setting (product_id, baseline_burn_rate, min_stock_threshold) SELECT id, 0.5, 10 FROM catalog.product`,
  );
  const { rows: warehouses } = await client.query<{ id: string; code: string }>(
    `SELECT id::text, code FROM catalog.warehouse WHERE code <> 'TRANSIT' ORDER BY code`,
  );
  const M = o.movementsPerLevel;
  // Receipt quantity, issue quantity of a level: hubs, short products elsewhere, the rest.
  const kind = `CASE WHEN $2 THEN 1000 WHEN p.id % 10 = 0 THEN 40 ELSE 400 END AS rq, CASE WHEN $2 THEN 2 WHEN p.id % 10 = 0 THEN 10 ELSE 8 END AS iq`;
  await client.query('SET session_replication_role = replica');
  try {
    for (const [index, w] of warehouses.entries()) {
      const hub = index < HUBS;
      await client.query(
        `INSERT INTO inventory.stock_movement (client_id, movement_type, product_id, warehouse_id, quantity, unit_cost, qty_after, level_sequence,
                                               occurred_at, posted_at, reference_type, actor)
         SELECT $4, CASE WHEN (k - 1) % 5 = 0 THEN 'RECEIPT' ELSE 'ISSUE' END::inventory.movement_type, p.id, $1,
                CASE WHEN (k - 1) % 5 = 0 THEN q.rq ELSE -q.iq END, CASE WHEN (k - 1) % 5 = 0 THEN 1 END,
                q.rq * ((k - 1) / 5 + 1) - q.iq * (k - ((k - 1) / 5 + 1)), k,
                $5::timestamptz - ($3 - k) * interval '2 hours', $5::timestamptz - ($3 - k) * interval '2 hours', 'MANUAL', 'bench'
           FROM catalog.product p CROSS JOIN LATERAL (SELECT ${kind}) q CROSS JOIN generate_series(1, $3) k`,
        [w.id, hub, M, clientId, T],
      );
      await client.query(
        `INSERT INTO inventory.stock_level (client_id, product_id, warehouse_id, qty_on_hand, cost_price, cost_method, movement_count, last_movement_at)
         SELECT $4, p.id, $1, q.rq * (($3 - 1) / 5 + 1) - q.iq * ($3 - (($3 - 1) / 5 + 1)), 1, 'WEIGHTED_AVERAGE', $3, $5
           FROM catalog.product p CROSS JOIN LATERAL (SELECT ${kind}) q`,
        [w.id, hub, M, clientId, T],
      );
      if ((index + 1) % 10 === 0)
        o.report(`[progress] ledger warehouses=${index + 1}/${warehouses.length} ${((performance.now() - started) / 1000).toFixed(0)}s`);
    }
  } finally {
    await client.query('RESET session_replication_role');
  }
  // Inbound for every field warehouse: procurements, transfers from a hub in transit, donations.
  const random = seededRandom(12);
  const transit = (await client.query<{ id: string }>(`SELECT id::text FROM catalog.warehouse WHERE code = 'TRANSIT'`)).rows[0]!.id;
  const productIds = (await client.query<{ id: string }>('SELECT id::text FROM catalog.product ORDER BY id')).rows.map((r) => r.id);
  const pick = (n: number) =>
    Array.from({ length: n }, () => productIds[Math.floor(random() * productIds.length)]!).filter((id, i, all) => all.indexOf(id) === i);
  const eta = () => new Date(T.getTime() + Math.floor(1 + random() * 47) * 3_600_000);
  for (const [index, w] of warehouses.entries()) {
    if (index < HUBS) continue;
    for (let i = 0; i < 10; i++) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO replenishment.procurement (procurement_no, event_id, supplier_id, warehouse_id, status_code, ordered_at, expected_arrival)
         SELECT $1, $2, s.id, $3, 'ORDERED', $4, $5 FROM catalog.supplier s WHERE s.code = 'SUP' RETURNING id::text`,
        [`PO-${w.code}-${i}`, event[0]!.id, w.id, T, eta()],
      );
      await client.query(
        `INSERT INTO replenishment.procurement_item (procurement_id, product_id, ordered_qty) SELECT $1, unnest($2::bigint[]), 100`,
        [rows[0]!.id, pick(20)],
      );
    }
    for (let i = 0; i < 5; i++) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id, status, dispatched_at, dispatched_by,
                                             expected_arrival, transit_warehouse_id)
         VALUES ($1, $2, $3, $4, 'DISPATCHED', $5, 'bench', $6, $7) RETURNING id::text`,
        [`TR-${w.code}-${i}`, event[0]!.id, warehouses[i % HUBS]!.id, w.id, T, eta(), transit],
      );
      await client.query(
        `INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity) SELECT $1, unnest($2::bigint[]), 50`,
        [rows[0]!.id, pick(10)],
      );
    }
    for (let i = 0; i < 2; i++) {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO replenishment.donation (donation_no, event_id, warehouse_id, donor_name, status, expected_arrival)
         VALUES ($1, $2, $3, 'donor', 'CONFIRMED', $4) RETURNING id::text`,
        [`DN-${w.code}-${i}`, event[0]!.id, w.id, eta()],
      );
      await client.query(
        `INSERT INTO replenishment.donation_item (donation_id, product_id, quantity) SELECT $1, unnest($2::bigint[]), 30`,
        [rows[0]!.id, pick(10)],
      );
    }
  }
  await client.query('VACUUM (ANALYZE)');
  return { event: event[0]!.id, warehouses: warehouses.map((w) => w.id) };
}

/** p50 and p95 of `times` runs of `fn` after two warm-ups, with the most rows one returned. */
async function timed(times: number, fn: (i: number) => Promise<number>): Promise<{ p50Ms: number; p95Ms: number; rows: number }> {
  for (let i = 0; i < 2; i++) await fn(i);
  const durations: number[] = [];
  let rows = 0;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    rows = Math.max(rows, await fn(i));
    durations.push(performance.now() - started);
  }
  return { p50Ms: percentile(durations, 50), p95Ms: percentile(durations, 95), rows };
}

export async function benchReplenishment(o: ReplenishmentBenchOptions): Promise<ReplenishmentBenchResult> {
  return onFreshDatabase(o.serverUrl, async (client, url) => {
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    const clientId = await loadAsClient(client);
    const started = performance.now();
    const world = await load(client, clientId, o);
    const loadMs = performance.now() - started;
    const movements = o.warehouses * o.products * o.movementsPerLevel;
    o.report(`[progress] loaded ${movements} movements in ${(loadMs / 1000).toFixed(0)}s`);
    const { app } = rolePools(url, clientId);
    const { superuser } = rolePools(url, clientId);
    await superuser.end();
    try {
      const concurrency = o.concurrency ?? DEFAULT_LIST_CONCURRENCY;
      // A connection per list computed at a time (app is a single connection).
      const lists = createClientPool(urlForRole(url, APP_ROLE), clientId, {
        applicationName: 'supply-ledger bench needs lists',
        max: concurrency,
      });
      const computeStarted = performance.now();
      try {
        await computeEventNeedsLists(lists, clientId, { eventId: world.event, at: T, actor: 'bench', concurrency });
      } finally {
        await lists.end();
      }
      const needsListsMs = performance.now() - computeStarted;
      const { rows: counts } = await app.query<{ items: number; gaps: number; claims: number }>(
        `SELECT (SELECT count(*)::int FROM replenishment.needs_list_item) AS items,
                (SELECT count(*)::int FROM replenishment.needs_list_item WHERE gap_qty > 0) AS gaps,
                (SELECT count(*)::int FROM replenishment.supply_claim) AS claims`,
      );
      o.report(`[result] needs_lists=${world.warehouses.length} concurrency=${concurrency} total=${needsListsMs.toFixed(0)}ms`);
      const random = seededRandom(7);
      const any = () => world.warehouses[Math.floor(random() * world.warehouses.length)]!;
      const stockStatus = await timed(o.queries, async () => (await readStockStatus(app, any())).length);
      o.report(
        `[result] v_stock_status p50=${stockStatus.p50Ms.toFixed(2)}ms p95=${stockStatus.p95Ms.toFixed(2)}ms rows=${stockStatus.rows}`,
      );
      const inboundStock = await timed(o.queries, async () => (await readInboundStock(app, any())).length);
      o.report(
        `[result] v_inbound_stock p50=${inboundStock.p50Ms.toFixed(2)}ms p95=${inboundStock.p95Ms.toFixed(2)}ms rows=${inboundStock.rows}`,
      );
      return {
        warehouses: o.warehouses,
        products: o.products,
        movements,
        loadMs,
        needsListsMs,
        concurrency,
        needsListItems: counts[0]!.items,
        itemsWithGap: counts[0]!.gaps,
        claims: counts[0]!.claims,
        stockStatus,
        inboundStock,
      };
    } finally {
      await app.end();
    }
  });
}
