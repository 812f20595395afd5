/**
 * `npm run bench:fulfillment`: carrier event ingest and shipment status reads (issue 11).
 *
 * Three cases, each on a fresh database with every migration deployed: this file's carrier events,
 * bench/benchmark-snapshot.ts and bench/product-timing.ts; {@link benchFulfillmentCases} runs them.
 *
 * - Ingest: `events` carrier events for `events / 10` shipments (UPS codes: label, pickup, transit
 *   scans, out for delivery, delivered; one shipment in 20 has an exception before delivery, one in 10
 *   is not delivered yet, half of those ending on an exception), with
 *   10 % of deliveries duplicated (the same event again, as a redelivered webhook) and 5 % out of
 *   order (swapped with the next), sent in batches of `batchSize` through
 *   `fulfillment.ingest_carrier_events` as the application role, against a plain INSERT of the same
 *   batches into a table of the same columns without keys, indexes or triggers (the superuser, same
 *   connection kind; the three writes of each batch one after the other), and against the same INSERT ... ON CONFLICT DO NOTHING into a copy of
 *   carrier_event with its keys, indexes, generated fingerprint and CHECK but no foreign keys,
 *   row-level security or triggers (what the rules beyond the keys cost), and against a plain INSERT
 *   (no ON CONFLICT) of each batch's new events only (its distinct events not sent before) into
 *   another such copy: the same rows into the same table structure; and a plain INSERT of those new
 *   events, with the status their code maps to, into `fulfillment.carrier_event` itself as the
 *   application role, for a twin client with the same shipments: the same rows into the same table,
 *   its foreign keys, row-level security, status trigger and audit included, so that the ratio is
 *   what the ingest path adds (what this repository reads the issue's "plain INSERT of the same
 *   rows" as; docs/design/fulfillment.md, "Benchmark"). Reported: the throughputs (events delivered per second, duplicates
 *   included, for every path) and the ingest's ratio to each, events stored (must be the
 *   distinct ones: 0 duplicates stored) and shipments whose final status differs from a reference
 *   computed here in TypeScript with the same rules (must be 0).
 * - Reads, as the application role at that size: a shipment's current status and its event history
 *   through the library (`shipmentState`, `shipmentHistory`: named statements on one connection),
 *   p50/p95 over `queries` random shipments.
 */
import os from 'node:os';
import type pg from 'pg';
import { SHIPMENT_HISTORY_SQL, SHIPMENT_STATE_SQL, shipmentHistory, shipmentState } from '../src/fulfillment/shipments.ts';
import { deploy } from '../src/migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import { type SnapshotBenchResult, benchSnapshots } from './benchmark-snapshot.ts';
import { type TimingBenchResult, benchProductTiming } from './product-timing.ts';
import { seededRandom } from './random.ts';
import { loadAsClient, onFreshDatabase, percentile, rolePools } from './support.ts';

export interface FulfillmentBenchOptions {
  serverUrl: string;
  /** Carrier events delivered in all (duplicates included). */
  events: number;
  queries: number;
  batchSize: number;
  report: (line: string) => void;
}

export interface FulfillmentBenchResult {
  events: number;
  distinctEvents: number;
  duplicatesSent: number;
  outOfOrder: number;
  shipments: number;
  ingestMs: number;
  plainMs: number;
  keyedMs: number;
  sameMs: number;
  tableMs: number;
  ingestPerSecond: number;
  plainPerSecond: number;
  keyedPerSecond: number;
  samePerSecond: number;
  tablePerSecond: number;
  /** ingest throughput ÷ plain INSERT throughput (keyless table). */
  ratio: number;
  /** ingest throughput ÷ the keyed copy's (keys and indexes, no foreign keys, row-level security or triggers). */
  ratioKeyed: number;
  /** ingest throughput ÷ the plain INSERT of the new events into a copy of the same structure (keys, indexes, fingerprint, CHECK). */
  ratioSame: number;
  /**
   * ingest throughput ÷ the plain INSERT of the new events, with their mapped status, into
   * fulfillment.carrier_event itself as the application role (a twin client with the same
   * shipments): the table's keys, foreign keys, row-level security, status trigger and audit on
   * both sides, so the ratio is what the ingest path adds (idempotency, code mapping, JSON).
   */
  ratioTable: number;
  stored: number;
  duplicatesStored: number;
  statusMismatches: number;
  /** The twin's final statuses (the same events by plain INSERT, through the status trigger) differing from the reference. */
  twinStatusMismatches: number;
  statusP50Ms: number;
  statusP95Ms: number;
  historyP50Ms: number;
  historyP95Ms: number;
  /** The scans of the two reads' plans (application role), e.g. 'Index Scan shipment_pkey'. */
  statusPlan: string;
  historyPlan: string;
  /** The 1-minute load average before the ingest and before the reads. */
  loadBeforeIngest: number;
  loadBeforeReads: number;
}

interface BenchEvent {
  shipment_id: string;
  event_id: string;
  carrier_status_code: string;
  location: string;
  occurred_at: string;
}

const SEED = 11;
/** UPS codes and the normalized status they map to (add_shipment_tracking). */
const STATUS_OF: Record<string, string> = {
  MP: 'INFO_RECEIVED',
  P: 'IN_TRANSIT',
  I: 'IN_TRANSIT',
  O: 'OUT_FOR_DELIVERY',
  X: 'EXCEPTION',
  D: 'DELIVERED',
};
const RANK: Record<string, number> = {
  PENDING: 0,
  INFO_RECEIVED: 10,
  IN_TRANSIT: 20,
  AVAILABLE_FOR_PICKUP: 30,
  OUT_FOR_DELIVERY: 30,
  DELIVERED: 100,
  RETURNED_TO_SENDER: 100,
};

/** The delivery stream: every shipment's events, with duplicates and swaps, in arrival order. */
export function eventStream(
  firstShipmentId: number,
  shipments: number,
  events: number,
): { stream: BenchEvent[]; distinct: number; duplicates: number; swaps: number } {
  const random = seededRandom(SEED);
  const duplicates = Math.round(events * 0.1);
  const distinctWanted = events - duplicates;
  const perShipment = Math.max(1, Math.floor(distinctWanted / shipments));
  const base = Date.parse('2026-11-01T00:00:00Z');
  const distinct: BenchEvent[] = [];
  for (let s = 0; s < shipments; s++) {
    const id = String(firstShipmentId + s);
    const count = s === shipments - 1 ? distinctWanted - perShipment * (shipments - 1) : perShipment;
    const exception = s % 20 === 7;
    let at = base + s * 60_000;
    for (let k = 0; k < count; k++) {
      // label, pickup, transit scans..., [exception], out for delivery, delivered
      // label, pickup, transit scans..., [exception], out for delivery, delivered; one shipment in 10 not
      // delivered yet (one in 20 of all ending on an exception).
      const undelivered = s % 10 === 3;
      const code =
        k === 0
          ? 'MP'
          : k === 1
            ? 'P'
            : !undelivered && k === count - 1
              ? 'D'
              : !undelivered && k === count - 2
                ? 'O'
                : (exception && k === count - 3) || (s % 20 === 13 && k === count - 1)
                  ? 'X'
                  : 'I';
      at += 3_600_000 + Math.floor(random() * 3_600_000);
      distinct.push({
        shipment_id: id,
        event_id: `evt-${id}-${k}`,
        carrier_status_code: code,
        location: `HUB-${k}`,
        occurred_at: new Date(at).toISOString(),
      });
    }
  }
  // Arrival in carrier time across shipments, then 5 % swapped with the next, then 10 % redelivered later.
  distinct.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
  let swaps = 0;
  const target = Math.round(events * 0.05);
  for (let i = 0; i + 1 < distinct.length && swaps < target; i += 1 + Math.floor(random() * 18)) {
    [distinct[i], distinct[i + 1]] = [distinct[i + 1]!, distinct[i]!];
    swaps++;
  }
  // Each redelivery goes right after a random event of the stream; built in one pass (inserting
  // into the growing array took minutes at 1,000,000 events).
  const redeliveriesAfter = new Map<number, BenchEvent[]>();
  for (let d = 0; d < duplicates; d++) {
    const original = distinct[Math.floor(random() * distinct.length)]!;
    const after = Math.floor(random() * distinct.length);
    const queued = redeliveriesAfter.get(after);
    if (queued === undefined) redeliveriesAfter.set(after, [{ ...original }]);
    else queued.push({ ...original });
  }
  const stream: BenchEvent[] = [];
  for (const [index, event] of distinct.entries()) {
    stream.push(event);
    const queued = redeliveriesAfter.get(index);
    if (queued !== undefined) stream.push(...queued);
  }
  return { stream, distinct: distinct.length, duplicates, swaps };
}

/** The final status of each shipment by the rules of add_shipment_tracking, folding the stream in arrival order. */
export function referenceStatuses(stream: readonly BenchEvent[]): Map<string, string> {
  const state = new Map<string, { progress: string; rank: number; at: number; exceptionAt: number; seen: Set<string> }>();
  for (const event of stream) {
    let s = state.get(event.shipment_id);
    if (s === undefined) {
      s = { progress: 'PENDING', rank: 0, at: -Infinity, exceptionAt: -Infinity, seen: new Set() };
      state.set(event.shipment_id, s);
    }
    if (s.seen.has(event.event_id)) continue;
    s.seen.add(event.event_id);
    if (s.rank >= 100) continue;
    const status = STATUS_OF[event.carrier_status_code] ?? 'UNKNOWN';
    const at = Date.parse(event.occurred_at);
    if (status === 'EXCEPTION') s.exceptionAt = Math.max(s.exceptionAt, at);
    else if (status !== 'UNKNOWN') {
      const rank = RANK[status]!;
      if (rank > s.rank || (rank === s.rank && at > s.at)) Object.assign(s, { progress: status, rank, at });
    }
  }
  return new Map([...state].map(([id, s]) => [id, s.rank < 100 && s.exceptionAt > s.at ? 'EXCEPTION' : s.progress]));
}

/**
 * The baselines' INSERT of a batch of events ($1, JSON) into `table`: every event IN_TRANSIT, or
 * with its own status (`ownStatus`: the twin's rows carry the status their code maps to); ON
 * CONFLICT DO NOTHING with `onConflict`.
 */
function insertEventsSql(table: string, options: { ownStatus?: boolean; onConflict?: boolean } = {}): string {
  return `INSERT INTO ${table} (shipment_id, event_id, carrier_status_code, status, location, occurred_at)
          SELECT e.shipment_id, e.event_id, e.carrier_status_code, ${options.ownStatus ? 'e.status' : "'IN_TRANSIT'"}, e.location, e.occurred_at
            FROM jsonb_to_recordset($1::jsonb)
                 AS e(shipment_id bigint, event_id text, carrier_status_code text, status fulfillment.shipment_status, location text, occurred_at timestamptz)
          ${options.onConflict ? 'ON CONFLICT DO NOTHING' : ''}`;
}

/**
 * A warehouse, an order request and `count` UPS shipments for the client `client` (a superuser:
 * no row-level security, hence the filters) works for; the first shipment's id.
 */
async function loadShipments(client: pg.Client, count: number): Promise<number> {
  const { rows: warehouse } = await client.query<{ id: string }>(
    `INSERT INTO catalog.warehouse (code, name) VALUES ('BENCH', 'Bench') RETURNING id::text`,
  );
  const { rows: order } = await client.query<{ id: string }>(
    `INSERT INTO fulfillment.order_request (order_number, customer_name, warehouse_id) VALUES ('BENCH-1', 'Bench', $1) RETURNING id::text`,
    [warehouse[0]!.id],
  );
  const { rows } = await client.query<{ first: string }>(
    `WITH inserted AS (
       INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number)
       SELECT $2, c.id, 'BENCH-' || g FROM fulfillment.carrier c, generate_series(1, $1) g WHERE c.code = 'UPS'
       RETURNING id)
     SELECT min(id)::text AS first FROM inserted`,
    [count, order[0]!.id],
  );
  return Number(rows[0]!.first);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export async function benchFulfillment(options: FulfillmentBenchOptions): Promise<FulfillmentBenchResult> {
  return onFreshDatabase(options.serverUrl, async (client, url) => {
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    const shipments = Math.max(1, Math.floor(options.events / 10));
    // The twin client gets the same shipments: the events' plain INSERT into carrier_event itself
    // goes there, so that it meets the same table without colliding with the ingest's rows.
    const twinId = (
      await client.query<{ id: string }>(
        `INSERT INTO core.client (code, name) VALUES ('BENCH-TWIN', 'Benchmark twin client') RETURNING id::text`,
      )
    ).rows[0]!.id;
    await client.query(`SELECT set_config('app.client_id', $1, false)`, [twinId]);
    const twinFirst = await loadShipments(client, shipments);
    const clientId = await loadAsClient(client);
    const first = await loadShipments(client, shipments);
    const { stream, distinct, duplicates, swaps } = eventStream(first, shipments, options.events);
    const reference = referenceStatuses(stream);
    options.report(
      `[progress] ${shipments} shipments, ${stream.length} events (${distinct} distinct, ${duplicates} duplicates, ${swaps} swapped)`,
    );
    await client.query(`CREATE TABLE public.bench_plain_event (shipment_id bigint, event_id text, carrier_status_code text, status text, description text,
                          location text, occurred_at timestamptz, raw_payload jsonb)`);
    await client.query(`CREATE TABLE public.bench_keyed_event (LIKE fulfillment.carrier_event INCLUDING ALL)`);
    await client.query(`CREATE TABLE public.bench_same_event (LIKE fulfillment.carrier_event INCLUDING ALL)`);
    await client.query('ANALYZE');

    // Each batch, its events not sent before (what a plain INSERT of the same rows writes), and those
    // as the twin client's rows, with the status the carrier's code maps to.
    const batches: { all: string; fresh: string; twin: string }[] = [];
    const sent = new Set<string>();
    for (let i = 0; i < stream.length; i += options.batchSize) {
      const batch = stream.slice(i, i + options.batchSize);
      const fresh = batch.filter((event) => {
        const key = `${event.shipment_id}/${event.event_id}`;
        if (sent.has(key)) return false;
        sent.add(key);
        return true;
      });
      const twin = fresh.map((event) => ({
        ...event,
        shipment_id: String(Number(event.shipment_id) - first + twinFirst),
        status: STATUS_OF[event.carrier_status_code] ?? 'UNKNOWN',
      }));
      batches.push({ all: JSON.stringify(batch), fresh: JSON.stringify(fresh), twin: JSON.stringify(twin) });
    }
    const pools = rolePools(url, clientId);
    const twinApp = rolePools(url, twinId).app;
    try {
      const app = await pools.app.connect();
      const superuser = await pools.superuser.connect();
      const twin = await twinApp.connect();
      // Batch by batch, the five writes of the same batch one after the other, so that a change in
      // the machine's load (it is shared) weighs on all five alike.
      const loadBeforeIngest = os.loadavg()[0]!;
      let [plainMs, keyedMs, sameMs, tableMs, ingestMs, stored] = [0, 0, 0, 0, 0, 0];
      try {
        for (const [index, { all: batch, fresh, twin: twinRows }] of batches.entries()) {
          plainMs += await timed(() => superuser.query(insertEventsSql('public.bench_plain_event'), [batch]));
          keyedMs += await timed(() => superuser.query(insertEventsSql('public.bench_keyed_event', { onConflict: true }), [batch]));
          sameMs += await timed(() => superuser.query(insertEventsSql('public.bench_same_event'), [fresh]));
          tableMs += await timed(() => twin.query(insertEventsSql('fulfillment.carrier_event', { ownStatus: true }), [twinRows]));
          ingestMs += await timed(async () => {
            const result = await app.query<{ n: number }>('SELECT fulfillment.ingest_carrier_events($1::jsonb) AS n', [batch]);
            stored += result.rows[0]!.n;
          });
          if (index % 10 === 9)
            options.report(
              `[progress] ${Math.min(stream.length, (index + 1) * options.batchSize)} events: ingest ${(ingestMs / 1000).toFixed(1)} s, carrier_event (twin) ${(tableMs / 1000).toFixed(1)} s, same structure ${(sameMs / 1000).toFixed(1)} s, keyed copy ${(keyedMs / 1000).toFixed(1)} s, plain ${(plainMs / 1000).toFixed(1)} s`,
            );
        }
      } finally {
        // The reads below go through the library on the application pool's one connection.
        app.release();
        superuser.release();
        twin.release();
      }
      const counts = await client.query<{ stored: number; duplicates: number }>(
        `SELECT count(*)::int AS stored, (count(*) - count(DISTINCT (shipment_id, event_id)))::int AS duplicates FROM fulfillment.carrier_event
          WHERE client_id = $1`,
        [clientId],
      );
      const statuses = await client.query<{ id: string; status: string; twin: boolean }>(
        `SELECT id::text, status::text, client_id = $1 AS twin FROM fulfillment.shipment`,
        [twinId],
      );
      const mismatches = (twin: boolean) =>
        statuses.rows.filter(
          (row) =>
            row.twin === twin && (reference.get(twin ? String(Number(row.id) - twinFirst + first) : row.id) ?? 'PENDING') !== row.status,
        ).length;
      const statusMismatches = mismatches(false);
      const twinStatusMismatches = mismatches(true);
      await client.query('ANALYZE fulfillment.carrier_event, fulfillment.shipment');

      const statusPlan = await scans(pools.app, SHIPMENT_STATE_SQL, String(first));
      const historyPlan = await scans(pools.app, SHIPMENT_HISTORY_SQL, String(first));
      const loadBeforeReads = os.loadavg()[0]!;
      const random = seededRandom(SEED + 1);
      const ids = Array.from({ length: options.queries }, () => String(first + Math.floor(random() * shipments)));
      const statusTimes: number[] = [];
      const historyTimes: number[] = [];
      for (const id of ids) {
        statusTimes.push(await timed(() => shipmentState(pools.app, id)));
        historyTimes.push(await timed(() => shipmentHistory(pools.app, id)));
      }
      const ingestPerSecond = (stream.length / ingestMs) * 1000;
      const plainPerSecond = (stream.length / plainMs) * 1000;
      const keyedPerSecond = (stream.length / keyedMs) * 1000;
      const samePerSecond = (stream.length / sameMs) * 1000;
      const tablePerSecond = (stream.length / tableMs) * 1000;
      const result: FulfillmentBenchResult = {
        events: stream.length,
        distinctEvents: distinct,
        duplicatesSent: duplicates,
        outOfOrder: swaps,
        shipments,
        ingestMs,
        plainMs,
        keyedMs,
        sameMs,
        tableMs,
        ingestPerSecond,
        plainPerSecond,
        keyedPerSecond,
        samePerSecond,
        tablePerSecond,
        ratio: ingestPerSecond / plainPerSecond,
        ratioKeyed: ingestPerSecond / keyedPerSecond,
        ratioSame: ingestPerSecond / samePerSecond,
        ratioTable: ingestPerSecond / tablePerSecond,
        stored,
        duplicatesStored: counts.rows[0]!.duplicates + (counts.rows[0]!.stored - distinct > 0 ? counts.rows[0]!.stored - distinct : 0),
        statusMismatches,
        twinStatusMismatches,
        statusP50Ms: percentile(statusTimes, 50),
        statusP95Ms: percentile(statusTimes, 95),
        historyP50Ms: percentile(historyTimes, 50),
        historyP95Ms: percentile(historyTimes, 95),
        statusPlan,
        historyPlan,
        loadBeforeIngest,
        loadBeforeReads,
      };
      options.report(`[result] ${JSON.stringify(result)}`);
      return result;
    } finally {
      await Promise.all([pools.app.end(), pools.superuser.end(), twinApp.end()]);
    }
  });
}

/** The scan nodes of `sql`'s plan for `parameter` (e.g. 'Index Scan shipment_pkey'), joined by ' + '. */
async function scans(db: pg.Pool, sql: string, parameter: string): Promise<string> {
  const { rows } = await db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, [parameter]);
  const found: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Node Type'].includes('Scan')) found.push(`${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(rows[0]!['QUERY PLAN'][0].Plan);
  return found.join(' + ');
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export type FulfillmentCase = 'ingest' | 'snapshot' | 'timing';

export interface FulfillmentCasesOptions extends FulfillmentBenchOptions {
  cases: readonly FulfillmentCase[];
  /** Snapshot case: participating clients, months, products per client. */
  clients: number;
  months: number;
  productsPerClient: number;
  /** Projection case: products, backfill batch size, single-product reads. */
  products: number;
  timingBatchSize: number;
  timingQueries: number;
}

export interface FulfillmentCasesResult {
  ingest?: FulfillmentBenchResult;
  snapshot?: SnapshotBenchResult & { loadBefore: number };
  timing?: TimingBenchResult & { loadBefore: number };
}

/** Runs the chosen cases of `npm run bench:fulfillment`, each on a fresh database. */
export async function benchFulfillmentCases(options: FulfillmentCasesOptions): Promise<FulfillmentCasesResult> {
  const result: FulfillmentCasesResult = {};
  if (options.cases.includes('ingest')) result.ingest = await benchFulfillment(options);
  if (options.cases.includes('snapshot')) {
    result.snapshot = await onFreshDatabase(options.serverUrl, async (client) => {
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      const loadBefore = os.loadavg()[0]!;
      const snapshot = await benchSnapshots(client, { ...options, report: options.report });
      options.report(`[result] ${JSON.stringify(snapshot)}`);
      return { ...snapshot, loadBefore };
    });
  }
  if (options.cases.includes('timing')) {
    result.timing = await onFreshDatabase(options.serverUrl, async (client, url) => {
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      const clientId = await loadAsClient(client);
      const pools = rolePools(url, clientId);
      try {
        const loadBefore = os.loadavg()[0]!;
        const timing = await benchProductTiming(client, pools.app, clientId, {
          products: options.products,
          batchSize: options.timingBatchSize,
          queries: options.timingQueries,
          report: options.report,
        });
        options.report(`[result] ${JSON.stringify(timing)}`);
        return { ...timing, loadBefore };
      } finally {
        await Promise.all([pools.app.end(), pools.superuser.end()]);
      }
    });
  }
  return result;
}
