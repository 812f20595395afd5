/**
 * `npm run bench:deploy-under-load [-- --levels N --genealogy N --rate R --clients C --window S --url URL --json]`:
 * a deploy that changes a table the application writes, at production size, while pgbench drives
 * the application's paths as supply_ledger_app at a fixed rate (issue 13, seed 002's "< 1 minute
 * per phase, performance degradation < 5 %", anchors-operations §4).
 *
 * A fresh database gets every migration and one client, and, loaded for that client (app.client_id)
 * by the superuser with triggers off:
 * - `--levels` stock levels (1,000,000 by default: `--levels / 10` products in 10 warehouses), the
 *   table the deploy changes;
 * - a bakery's genealogy of `--genealogy` lots and batches (default `--levels`; 40 % lots, 60 %
 *   batches, with their consumption and pallet edges: bench:trace's, `loadGenealogy`), plus 300
 *   open lots (received yesterday, PASSED, plenty left) of three ingredients and one open
 *   production run, for the consumption path;
 * - `--levels / 10` shipments (UPS), for the carrier events path.
 *
 * pgbench (the system's, PG_BIN first) runs SCRIPTS for that client, each transaction setting
 * app.client_id inside BEGIN ... COMMIT, at `--rate` transactions per second (-R) over `--clients`
 * connections, logging every transaction (--log, no aggregation: exact percentiles, per script).
 * Three runs of pgbench, in one process:
 *
 * 1. before: the load alone, the baseline;
 * 2. safe: the change written for a live table, deployed by the runner: a new column (instant),
 *    its backfill in batches of 10,000 rows (a statement-by-statement file, each batch its own
 *    transaction), an index CREATE INDEX CONCURRENTLY, a foreign key added NOT VALID and then
 *    VALIDATEd;
 * 3. naive: the same change as one would write it first: the column, one UPDATE of every row, a
 *    plain CREATE INDEX, a foreign key validated as it is added, in one transaction.
 *
 * For each: transactions, failed transactions, aborted clients, seconds with no transaction ended,
 * throughput against the baseline, and the exact p50/p95/p99/max latency (all scripts and per
 * script) of the transactions due in the window. Where the tail comes from, sampled every 200 ms
 * (ActivitySampler): what the application's active sessions wait for (a lock, I/O, an LWLock, or
 * nothing: on a CPU or waiting for one), the longest lock wait, autovacuum workers, runnable
 * processes on the machine (/proc/loadavg: more than its cores means CPU contention); the
 * checkpoints each pgbench run saw; and how many of the transactions over 250 ms overlapped a lock
 * wait of the application.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { toolVersion } from '../src/backup/tools.ts';
import { UsageError } from '../src/cli/errors.ts';
import { connect, urlForRole } from '../src/db/connect.ts';
import { deploy } from '../src/migrate/deploy.ts';
import type { RunnerEvent } from '../src/migrate/events.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import {
  type Transaction,
  type WindowSummary,
  abortedClients,
  parseTransactionLog,
  scriptLines,
  summarizeWindow,
  summaryLine,
  throughputLossPercent,
} from './pgbench-report.ts';
import { APP_ROLE, loadAsClient, onFreshDatabase } from './support.ts';
import { genealogySizeProblem, loadGenealogy } from './trace.ts';

export const USAGE = `usage: npm run bench:deploy-under-load -- [--levels N (default 1000000)] [--genealogy N (default: --levels)]
       [--rate R (default 200)] [--clients C (default 4)] [--window S (default 90)] [--baseline S (default 15)] [--url URL] [--json]

Deploys a change of inventory.stock_level (N rows) twice, written safely and naively, while
pgbench drives the application as supply_ledger_app at R transactions per second (stock
movements and level reads, lot consumption, carrier events, traces and recalls over a genealogy
of --genealogy lots and batches), and reports failed transactions, aborted clients, seconds
without throughput, exact latency percentiles (per script too), throughput against the load
alone, and what the slow transactions waited for. pgbench comes from PG_BIN, else PATH.`;

const WAREHOUSES = 10;
const BACKFILL_BATCH = 10_000;
/** Open lots for the consumption path: three ingredients, a third of them each. */
const OPEN_LOTS = 300;
/** The latency aim (issue 13): the tail analysis looks at the transactions above it. */
export const P99_AIM_MS = 250;

/**
 * The pgbench scripts, with their weights (of 20): the application's paths for one client. The
 * variables come from `loadBenchData` (-D): client_id, products, warehouses, lots (of the genealogy, ids
 * 1..lots, TLC LOT-<id>), first_open_lot, open_lots, open_run, first_shipment, shipments.
 */
export const SCRIPTS: { name: string; weight: number; sql: string }[] = [
  {
    // The ledger trigger values the movement and updates the stock level: the table the deploy changes.
    name: 'post_movement',
    weight: 8,
    sql: `\\set product random(1, :products)
\\set warehouse random(1, :warehouses)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost) VALUES ('RECEIPT', :product, :warehouse, 1, 2.5);
COMMIT;
`,
  },
  {
    name: 'read_levels',
    weight: 4,
    sql: `\\set product random(1, :products)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
SELECT warehouse_id, qty_on_hand, cost_price FROM inventory.stock_level WHERE product_id = :product;
COMMIT;
`,
  },
  {
    // A batch starts and consumes three supplier lots (one of each ingredient, in id order: the
    // consumption trigger locks each lot's row, so every consumer locks them in the same order).
    name: 'consume_lots',
    weight: 3,
    sql: `\\set third :open_lots / 3
\\set lot1 :first_open_lot + random(0, :third - 1)
\\set lot2 :first_open_lot + :third + random(0, :third - 1)
\\set lot3 :first_open_lot + 2 * :third + random(0, :third - 1)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, status) VALUES (:open_run, 'PGB-' || txid_current(), 'TLC-PGB-' || txid_current(), 1000, 'IN_PROGRESS') RETURNING id AS batch \\gset
INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used) VALUES (:batch, :lot1, 0.3), (:batch, :lot2, 0.015), (:batch, :lot3, 0.025);
COMMIT;
`,
  },
  {
    // A webhook delivery of three events of one shipment, one of them twice (a redelivery): the
    // same event is stored once. Event k of a shipment is always the same event, so a shipment
    // drawn again redelivers some of its events too.
    name: 'ingest_carrier_events',
    weight: 3,
    sql: `\\set shipment :first_shipment + random(0, :shipments - 1)
\\set k1 random(1, 4)
\\set k2 random(5, 8)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
SELECT fulfillment.ingest_carrier_events(jsonb_agg(jsonb_build_object('shipment_id', :shipment, 'event_id', 'pgbench-' || :shipment || '-' || k, 'carrier_status_code', CASE k WHEN 1 THEN 'MP' WHEN 2 THEN 'P' ELSE 'I' END, 'location', 'HUB-' || k, 'occurred_at', timestamptz '2026-11-01 00:00:00+00' + k * interval '1 hour'))) FROM unnest(ARRAY[:k1, :k2, :k1]) AS k;
COMMIT;
`,
  },
  {
    name: 'trace_lot',
    weight: 1,
    sql: `\\set lot random(1, :lots)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
SELECT count(*), max(depth) FROM traceability.trace_forward('LOT', :lot);
COMMIT;
`,
  },
  {
    name: 'recall_lot',
    weight: 1,
    sql: `\\set lot random(1, :lots)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
SELECT count(*) FROM traceability.report_recall('LOT-' || :lot);
COMMIT;
`,
  },
];

/** `post_movement 40 %, read_levels 20 %, ...`: the mix the report states. */
export function scriptMix(): string {
  const total = SCRIPTS.reduce((sum, script) => sum + script.weight, 0);
  return SCRIPTS.map((script) => `${script.name} ${((script.weight / total) * 100).toFixed(0)} %`).join(', ');
}

/** The change, written for a live table: one migration per step, the backfill batch by batch. */
function safeMigrations(levels: number): Record<string, string> {
  const batches: string[] = [];
  for (let from = 1; from <= levels; from += BACKFILL_BATCH) {
    batches.push(
      `UPDATE inventory.stock_level SET bench_safe_tag = 'tagged' WHERE id BETWEEN ${from} AND ${from + BACKFILL_BATCH - 1} AND bench_safe_tag IS NULL;`,
    );
  }
  return {
    '20991201000000_bench_safe_add_column': 'ALTER TABLE inventory.stock_level ADD COLUMN bench_safe_tag text;\n',
    '20991201000100_bench_safe_backfill': `-- supply-ledger: no-transaction\n${batches.join('\n')}\n`,
    '20991201000200_bench_safe_index':
      'CREATE INDEX CONCURRENTLY stock_level_bench_safe_tag_idx ON inventory.stock_level (client_id, bench_safe_tag);\n',
    '20991201000300_bench_safe_fk_not_valid':
      'ALTER TABLE inventory.stock_level ADD CONSTRAINT stock_level_bench_safe_product_fkey FOREIGN KEY (client_id, product_id) REFERENCES catalog.product (client_id, id) NOT VALID;\n',
    '20991201000400_bench_safe_fk_validate': 'ALTER TABLE inventory.stock_level VALIDATE CONSTRAINT stock_level_bench_safe_product_fkey;\n',
  };
}

/** The same change as first written: one transaction holding ACCESS EXCLUSIVE from its first statement. */
const NAIVE_MIGRATIONS: Record<string, string> = {
  '20991201000500_bench_naive_change': `ALTER TABLE inventory.stock_level ADD COLUMN bench_naive_tag text;
UPDATE inventory.stock_level SET bench_naive_tag = 'tagged';
CREATE INDEX stock_level_bench_naive_tag_idx ON inventory.stock_level (client_id, bench_naive_tag);
ALTER TABLE inventory.stock_level ADD CONSTRAINT stock_level_bench_naive_product_fkey FOREIGN KEY (client_id, product_id) REFERENCES catalog.product (client_id, id);
`,
};

/** The repository's migrations plus `extra`, in a temporary folder. */
function migrationsWith(work: string, label: string, extra: Record<string, string>): string {
  const dir = path.join(work, label);
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

/** What `loadBenchData` loaded: the pgbench variables. */
export interface LoadedData {
  client_id: string;
  products: number;
  warehouses: number;
  /** Lots of the genealogy (ids 1..lots). */
  lots: number;
  first_open_lot: number;
  open_lots: number;
  open_run: number;
  first_shipment: number;
  shipments: number;
}

/** Lots and batches of a genealogy of `nodes` (bench:trace's proportions). */
function genealogySize(nodes: number): { lots: number; batches: number } {
  return { lots: Math.round(nodes * 0.4), batches: nodes - Math.round(nodes * 0.4) };
}

async function one(client: pg.Client, sql: string): Promise<number> {
  return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
}

/**
 * Loads the data of every script, for one new client: `client` (the superuser's) works for it for
 * the rest of its session (on a database whose catalog and traceability tables are empty: ids run
 * from 1); each bulk insert turns triggers and foreign key checks off for its
 * transaction only (replica), as bench:trace does, and the counters they would keep start at zero.
 */
export async function loadBenchData(
  client: pg.Client,
  levels: number,
  genealogyNodes: number,
  report: (line: string) => void,
): Promise<LoadedData> {
  const clientId = await loadAsClient(client);
  const { lots, batches } = genealogySize(genealogyNodes);
  await loadGenealogy(client, { lots, batches, report });

  // The genealogy made warehouses 1..3: the stock levels spread over 1..WAREHOUSES.
  await client.query(
    `INSERT INTO catalog.warehouse (code, name) SELECT 'WH-' || w, 'Warehouse ' || w
       FROM generate_series((SELECT count(*) FROM catalog.warehouse) + 1, ${WAREHOUSES}) w ORDER BY w`,
  );
  if ((await one(client, 'SELECT max(id)::text AS n FROM catalog.warehouse')) !== WAREHOUSES) {
    throw new Error(`bench: warehouse ids do not run 1..${WAREHOUSES}`);
  }
  const products = Math.ceil(levels / WAREHOUSES);
  const chunk = 20_000;
  for (let from = 1; from <= products; from += chunk) {
    const to = Math.min(products, from + chunk - 1);
    await client.query(
      `BEGIN; SET LOCAL session_replication_role = replica;
       INSERT INTO catalog.product (sku, name) SELECT 'SKU-' || lpad(p::text, 8, '0'), 'Product ' || p FROM generate_series(${from}, ${to}) p ORDER BY p;
       INSERT INTO inventory.stock_level (product_id, warehouse_id)
       SELECT p, w FROM generate_series(${from}, ${to}) p, generate_series(1, ${WAREHOUSES}) w ORDER BY p, w;
       COMMIT`,
    );
    if (to === products || (to / chunk) % 10 === 0) report(`[progress] ${to * WAREHOUSES}/${products * WAREHOUSES} stock levels`);
  }
  if ((await one(client, 'SELECT max(id)::text AS n FROM catalog.product')) !== products) {
    throw new Error(`bench: product ids do not run 1..${products}`);
  }

  // Open lots, fresh and released, of the recipe's first three ingredients; an open production run; shipments.
  const shipments = Math.max(1, Math.floor(levels / 10));
  await client.query('BEGIN');
  await client.query('SET LOCAL session_replication_role = replica');
  const firstOpenLot = await one(
    client,
    `WITH inserted AS (
       INSERT INTO traceability.ingredient_lot (ingredient_id, supplier_id, warehouse_id, supplier_lot_code, tlc, received_quantity, unit_of_measure,
              received_at, expiry_date, quality_status, reference_document_type, reference_document_number)
       SELECT 1 + (n - 1) / ${OPEN_LOTS / 3}, 1, 1, 'OPEN-SL-' || n, 'OPEN-LOT-' || n, 1000000, 'kg', now() - interval '1 day',
              current_date + 365, 'PASSED', 'BILL_OF_LADING', 'OPEN-BOL-' || n
         FROM generate_series(1, ${OPEN_LOTS}) n ORDER BY n
       RETURNING id)
     SELECT min(id)::text AS n FROM inserted`,
  );
  const openRun = await one(
    client,
    `INSERT INTO traceability.production_run (recipe_id, warehouse_id, status, actual_start_time) VALUES (1, 1, 'IN_PROGRESS', now()) RETURNING id::text AS n`,
  );
  await client.query(`INSERT INTO fulfillment.order_request (order_number, customer_name, warehouse_id) VALUES ('BENCH-LOAD', 'Bench', 1)`);
  const firstShipment = await one(
    client,
    `WITH inserted AS (
       INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number)
       SELECT o.id, c.id, 'BENCH-' || g FROM fulfillment.order_request o, fulfillment.carrier c, generate_series(1, ${shipments}) g
        WHERE c.code = 'UPS' ORDER BY g
       RETURNING id)
     SELECT min(id)::text AS n FROM inserted`,
  );
  await client.query('COMMIT');
  report(`[progress] ${OPEN_LOTS} open lots, ${shipments} shipments`);
  await client.query('VACUUM ANALYZE');
  return {
    client_id: clientId,
    products,
    warehouses: WAREHOUSES,
    lots,
    first_open_lot: firstOpenLot,
    open_lots: OPEN_LOTS,
    open_run: openRun,
    first_shipment: firstShipment,
    shipments,
  };
}

/** PG_BIN's pgbench, else PATH's. */
export function pgbenchPath(): string {
  const dirs = [...(process.env.PG_BIN ? [process.env.PG_BIN] : []), ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    const file = path.join(dir, 'pgbench');
    if (fs.existsSync(file)) return file;
  }
  throw new UsageError('pgbench not found in PG_BIN or PATH (Debian: apt-get install postgresql-client)');
}

export interface LoadRun {
  /** Resolves when pgbench exits: its output (stdout and stderr) and exit code. */
  done: Promise<{ output: string; code: number | null }>;
  prefix: string;
}

/**
 * Starts pgbench as the application role on `url` with `scripts` (default SCRIPTS, weighted) and
 * `vars`, logging every transaction (at 200 tx/s about 1 MB a minute: no sampling needed) under
 * `work`: for `seconds` at a fixed `rate`, or `transactions` per client (a smoke run).
 */
export function startPgbench(
  pgbench: string,
  options: {
    url: string;
    work: string;
    label: string;
    clients: number;
    vars: LoadedData;
    scripts?: typeof SCRIPTS;
    run: { seconds: number; rate: number } | { transactions: number };
  },
): LoadRun {
  const prefix = path.join(options.work, `pgbench_${options.label}`);
  const scripts = (options.scripts ?? SCRIPTS).flatMap((script) => {
    const file = path.join(options.work, `${script.name}.sql`);
    fs.writeFileSync(file, script.sql);
    return ['-f', `${file}@${script.weight}`];
  });
  const run = options.run;
  const args = [
    '-n',
    `--client=${options.clients}`,
    `--jobs=${Math.min(2, options.clients)}`,
    ...('transactions' in run ? [`--transactions=${run.transactions}`] : [`--rate=${run.rate}`, `--time=${run.seconds}`]),
    '--log',
    `--log-prefix=${prefix}`,
    ...Object.entries(options.vars).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
    ...scripts,
    urlForRole(options.url, APP_ROLE),
  ];
  const child = spawn(pgbench, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ output: string; code: number | null }>((resolve) => child.on('close', (code) => resolve({ output, code })));
  return { done, prefix };
}

/** The transactions of every thread's log file of one pgbench run. */
export function readLogs(prefix: string): Transaction[] {
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  const files = fs.readdirSync(dir).filter((name) => name.startsWith(`${base}.`));
  return files.flatMap((name) => parseTransactionLog(fs.readFileSync(path.join(dir, name), 'utf8')));
}

/** One look at the server and the machine. */
export interface ActivitySample {
  atMs: number;
  /** Active application sessions by what they wait for (`Lock:transactionid`, `IO:DataFileRead`, `CPU`: no wait event). */
  events: Record<string, number>;
  /** Application sessions waiting for a lock, and the longest such wait so far. */
  lockWaiting: number;
  longestLockMs: number;
  autovacuumWorkers: number;
  /** Processes running or runnable on the machine (/proc/loadavg), undefined where there is none. */
  runnable: number | undefined;
}

/** What the application's sessions and the machine did during a window. */
export interface ActivitySummary {
  samples: number;
  /** Share of the active-session samples per wait event, largest first (at most 5). */
  waits: { event: string; share: number }[];
  lockMaxSessions: number;
  lockLongestMs: number;
  samplesWithAutovacuum: number;
  runnableMean: number | undefined;
  runnableMax: number | undefined;
}

function runnableProcesses(): number | undefined {
  try {
    // "0.61 0.52 0.40 3/512 4242": running/total; the reading process is one of the running.
    const fields = fs.readFileSync('/proc/loadavg', 'utf8').split(' ');
    return Number(fields[3]!.split('/')[0]) - 1;
  } catch {
    return undefined;
  }
}

/** Samples the application's sessions, autovacuum and the machine's run queue every 200 ms. */
class ActivitySampler {
  readonly samples: ActivitySample[] = [];
  #running = true;
  readonly #done: Promise<void>;

  constructor(client: pg.Client) {
    this.#done = (async () => {
      while (this.#running) {
        const { rows } = await client.query<{ event: string; sessions: number; longest_ms: number | null }>(
          `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS event, count(*)::int AS sessions,
                  max(extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS longest_ms
             FROM pg_stat_activity WHERE usename = $1 AND state = 'active' AND datname = current_database() GROUP BY 1
           UNION ALL
           SELECT 'autovacuum', count(*)::int, NULL FROM pg_stat_activity WHERE backend_type = 'autovacuum worker' AND datname = current_database()`,
          [APP_ROLE],
        );
        const events: Record<string, number> = {};
        let lockWaiting = 0;
        let longestLockMs = 0;
        let autovacuumWorkers = 0;
        for (const row of rows) {
          if (row.event === 'autovacuum') autovacuumWorkers = row.sessions;
          else events[row.event] = row.sessions;
          if (row.event.startsWith('Lock:')) {
            lockWaiting += row.sessions;
            longestLockMs = Math.max(longestLockMs, row.longest_ms ?? 0);
          }
        }
        this.samples.push({ atMs: Date.now(), events, lockWaiting, longestLockMs, autovacuumWorkers, runnable: runnableProcesses() });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }

  /** The samples of [fromSec, toSec). */
  between(fromSec: number, toSec: number): ActivitySample[] {
    return this.samples.filter((s) => s.atMs >= fromSec * 1000 && s.atMs < toSec * 1000);
  }
}

export function summarizeActivity(samples: readonly ActivitySample[]): ActivitySummary {
  const totals = new Map<string, number>();
  for (const sample of samples) for (const [event, n] of Object.entries(sample.events)) totals.set(event, (totals.get(event) ?? 0) + n);
  const all = [...totals.values()].reduce((sum, n) => sum + n, 0);
  const runnable = samples.flatMap((s) => (s.runnable === undefined ? [] : [s.runnable]));
  return {
    samples: samples.length,
    waits: [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([event, n]) => ({ event, share: n / all })),
    lockMaxSessions: Math.max(0, ...samples.map((s) => s.lockWaiting)),
    lockLongestMs: Math.max(0, ...samples.map((s) => s.longestLockMs)),
    samplesWithAutovacuum: samples.filter((s) => s.autovacuumWorkers > 0).length,
    runnableMean: runnable.length === 0 ? undefined : runnable.reduce((sum, n) => sum + n, 0) / runnable.length,
    runnableMax: runnable.length === 0 ? undefined : Math.max(...runnable),
  };
}

/** The transactions over the aim, and how many of them were running while an application session waited for a lock. */
export interface Tail {
  overAim: number;
  duringLockWaits: number;
}

export function tailAgainstLockWaits(
  transactions: readonly Transaction[],
  samples: readonly ActivitySample[],
  fromSec: number,
  toSec: number,
): Tail {
  const lockTimes = samples.filter((s) => s.lockWaiting > 0).map((s) => s.atMs * 1000);
  const slow = transactions.filter((t) => {
    if (t.latencyUs === undefined || t.latencyUs <= P99_AIM_MS * 1000) return false;
    const due = (t.endUs - t.latencyUs) / 1_000_000;
    return due >= fromSec && due < toSec;
  });
  const duringLockWaits = slow.filter((t) => lockTimes.some((at) => at >= t.endUs - t.latencyUs! && at <= t.endUs)).length;
  return { overAim: slow.length, duringLockWaits };
}

/** Checkpoints the server has completed so far, timed and requested (pg_stat_checkpointer since PostgreSQL 17). */
async function checkpoints(client: pg.Client): Promise<{ timed: number; requested: number }> {
  const version = Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v);
  const sql =
    version >= 170000
      ? 'SELECT num_timed::int AS timed, num_requested::int AS requested FROM pg_stat_checkpointer'
      : 'SELECT checkpoints_timed::int AS timed, checkpoints_req::int AS requested FROM pg_stat_bgwriter';
  return (await client.query<{ timed: number; requested: number }>(sql)).rows[0]!;
}

export interface PhaseResult {
  label: string;
  window: WindowSummary;
  after?: WindowSummary | undefined;
  deploySeconds?: number | undefined;
  migrations?: { name: string; seconds: number }[] | undefined;
  retries?: number | undefined;
  /** The sessions and the machine during the window (the deploy's, or the baseline's). */
  activity: ActivitySummary;
  tail: Tail;
  /** Checkpoints during the whole pgbench run of the phase. */
  checkpoints: { timed: number; requested: number };
  /** The machine's 1-minute load average when the phase ended (the machine is shared). */
  loadAverage: number;
  abortedClients: number;
  pgbenchExit: number | null;
  /** The deploy outlasted pgbench's run: the window's end was not measured. */
  truncated?: boolean | undefined;
}

export interface DeployUnderLoadResult {
  server: string;
  pgbench: string;
  levels: number;
  genealogy: { lots: number; batches: number };
  shipments: number;
  rate: number;
  clients: number;
  mix: string;
  phases: PhaseResult[];
  /** After the runs: carrier events stored and how many of them twice (idempotency: must be 0); batches pgbench started. */
  integrity: { carrierEvents: number; duplicateCarrierEvents: number; batchesStarted: number; lotsConsumed: number };
}

export async function benchDeployUnderLoad(options: {
  serverUrl: string;
  levels: number;
  genealogy: number;
  rate: number;
  clients: number;
  windowSeconds: number;
  baselineSeconds: number;
  report: (line: string) => void;
}): Promise<DeployUnderLoadResult> {
  const { levels, rate, clients, report } = options;
  const problem = genealogySizeProblem(genealogySize(options.genealogy).lots, genealogySize(options.genealogy).batches);
  if (problem !== undefined) throw new UsageError(`--genealogy: ${problem}`);
  const pgbench = pgbenchPath();
  const { version } = await toolVersion(pgbench);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bench-load-'));
  try {
    return await onFreshDatabase(options.serverUrl, async (client, url) => {
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      const server = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
      const vars = await loadBenchData(client, levels, options.genealogy, report);
      const watcher = await connect(url, 'bench activity sampler');
      try {
        /** One pgbench run of `seconds`, with `dir`'s migrations deployed 3 s into it (none: the baseline). */
        const phase = async (
          label: string,
          seconds: number,
          dir?: string,
          onlyMigrations?: Record<string, string>,
        ): Promise<PhaseResult> => {
          const checkpointsBefore = await checkpoints(watcher);
          const run = startPgbench(pgbench, { url, work, label, clients, vars, run: { seconds, rate } });
          const runStart = Date.now() / 1000;
          const runEnd = runStart + seconds;
          const sampler = new ActivitySampler(watcher);
          const migrations: { name: string; seconds: number }[] = [];
          let retries = 0;
          let deployed: { start: number; end: number } | undefined;
          if (dir !== undefined) {
            await new Promise((resolve) => setTimeout(resolve, 3_000));
            const emit = (event: RunnerEvent) => {
              if (event.event === 'migration-finish') migrations.push({ name: event.name, seconds: event.durationMs / 1000 });
              if (event.event === 'retry') retries++;
            };
            const start = Date.now() / 1000;
            await deploy(client, { migrationsDir: dir }, { emit });
            deployed = { start, end: Date.now() / 1000 };
          }
          const finished = await run.done;
          await sampler.stop();
          const checkpointsAfter = await checkpoints(watcher);
          const transactions = readLogs(run.prefix);
          // The baseline: its whole seconds but the first and last; a deploy: its own seconds, then what followed.
          const [from, to] = deployed === undefined ? [runStart + 1, runEnd - 1] : [deployed.start, Math.min(deployed.end, runEnd)];
          const after =
            deployed !== undefined && deployed.end + 2 < runEnd - 1
              ? summarizeWindow(transactions, deployed.end + 1, runEnd - 1)
              : undefined;
          return {
            label: deployed === undefined ? label : `${label} deploy`,
            window: summarizeWindow(transactions, from, to),
            after,
            deploySeconds: deployed === undefined ? undefined : deployed.end - deployed.start,
            migrations:
              deployed === undefined ? undefined : migrations.filter((m) => onlyMigrations === undefined || m.name in onlyMigrations),
            retries: deployed === undefined ? undefined : retries,
            activity: summarizeActivity(sampler.between(from, to)),
            tail: tailAgainstLockWaits(transactions, sampler.samples, from, to),
            checkpoints: {
              timed: checkpointsAfter.timed - checkpointsBefore.timed,
              requested: checkpointsAfter.requested - checkpointsBefore.requested,
            },
            loadAverage: os.loadavg()[0]!,
            abortedClients: abortedClients(finished.output),
            pgbenchExit: finished.code,
            truncated: deployed !== undefined && deployed.end > runEnd,
          };
        };

        report(`[progress] before: the load alone for ${options.baselineSeconds} s`);
        const before = await phase('before', options.baselineSeconds);
        for (const line of phaseLines(before, before.window)) report(line);
        const phases = [before];
        for (const [label, extra, only] of [
          ['safe', safeMigrations(levels), undefined],
          ['naive', { ...safeMigrations(levels), ...NAIVE_MIGRATIONS }, NAIVE_MIGRATIONS],
        ] as const) {
          report(`[progress] ${label}: deploying under load (pgbench for ${options.windowSeconds} s)`);
          const result = await phase(label, options.windowSeconds, migrationsWith(work, label, extra), only);
          phases.push(result);
          for (const line of phaseLines(result, before.window)) report(line);
        }
        const integrity = (
          await client.query<DeployUnderLoadResult['integrity']>(
            `SELECT (SELECT count(*) FROM fulfillment.carrier_event)::int AS "carrierEvents",
                    (SELECT count(*) - count(DISTINCT (shipment_id, event_id)) FROM fulfillment.carrier_event)::int AS "duplicateCarrierEvents",
                    (SELECT count(*) FROM traceability.batch WHERE batch_number LIKE 'PGB-%')::int AS "batchesStarted",
                    (SELECT count(*) FROM traceability.batch_ingredient bi JOIN traceability.batch b ON b.id = bi.batch_id
                      WHERE b.batch_number LIKE 'PGB-%')::int AS "lotsConsumed"`,
          )
        ).rows[0]!;
        return {
          server,
          pgbench: version,
          levels,
          genealogy: genealogySize(options.genealogy),
          shipments: vars.shipments,
          rate,
          clients,
          mix: scriptMix(),
          phases,
          integrity,
        };
      } finally {
        await watcher.end();
      }
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const percent = (share: number) => `${(share * 100).toFixed(0)} %`;

export function phaseLines(phase: PhaseResult, before: WindowSummary): string[] {
  const indent = ''.padEnd(14);
  const lines = [summaryLine(phase.label, phase.window, phase.label === 'before' ? undefined : before)];
  lines.push(
    ...scriptLines(
      phase.window,
      SCRIPTS.map((s) => s.name),
    ),
  );
  if (phase.deploySeconds !== undefined) {
    lines.push(
      `${indent} deploy ${phase.deploySeconds.toFixed(1)} s; runner lock retries ${phase.retries}; aborted clients ${phase.abortedClients}` +
        `${phase.truncated ? '; the deploy outlasted the load window: raise --window' : ''}`,
    );
    for (const m of phase.migrations ?? []) lines.push(`${indent}   ${m.name}: ${m.seconds.toFixed(2)} s`);
  }
  const a = phase.activity;
  lines.push(
    `${indent} app sessions waiting for a lock: at most ${a.lockMaxSessions} at once, longest ${(a.lockLongestMs / 1000).toFixed(2)} s; ` +
      `over ${P99_AIM_MS} ms: ${phase.tail.overAim} transactions, ${phase.tail.duringLockWaits} of them during a lock wait`,
  );
  lines.push(
    `${indent} active app sessions (${a.samples} samples): ${a.waits.map((w) => `${w.event} ${percent(w.share)}`).join(', ')}; ` +
      `autovacuum in ${a.samplesWithAutovacuum} samples; runnable processes ${a.runnableMean?.toFixed(1) ?? '?'} mean, ${a.runnableMax ?? '?'} max; ` +
      `checkpoints ${phase.checkpoints.timed} timed, ${phase.checkpoints.requested} requested; load average ${phase.loadAverage.toFixed(2)}`,
  );
  if (phase.after) lines.push(summaryLine('  after', phase.after, before));
  return lines;
}

export function verdict(result: DeployUnderLoadResult): string[] {
  const before = result.phases[0]!.window;
  return result.phases.slice(1).map((phase) => {
    const w = phase.window;
    const loss = throughputLossPercent(w, before);
    const aims = [
      w.failures === 0 && phase.abortedClients === 0 ? '0 failed' : `${w.failures} failed, ${phase.abortedClients} aborted`,
      w.zeroThroughputSeconds === 0 ? 'no second without throughput' : `${w.zeroThroughputSeconds} s without throughput`,
      `p99 ${w.latency.p99Ms.toFixed(0)} ms (aim ${P99_AIM_MS}; before the deploy ${before.latency.p99Ms.toFixed(0)} ms)`,
      `throughput ${loss >= 0 ? '-' : '+'}${Math.abs(loss).toFixed(1)} % (aim > -5 %)`,
    ];
    const met =
      w.failures === 0 && phase.abortedClients === 0 && w.zeroThroughputSeconds === 0 && w.latency.p99Ms <= P99_AIM_MS && loss < 5;
    return `${phase.label}: ${met ? 'meets' : 'misses'} the aims: ${aims.join(', ')}`;
  });
}
