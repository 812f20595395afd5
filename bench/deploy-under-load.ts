/**
 * `npm run bench:deploy-under-load [-- --levels N --rate R --clients C --window S --url URL --json]`:
 * a deploy that changes a table the application writes, at production size, while pgbench drives
 * the application's paths as supply_ledger_app at a fixed rate (issue 13, seed 002's "< 1 minute
 * per phase, performance degradation < 5 %", anchors-operations §4).
 *
 * A fresh database gets every migration, one client and `--levels` stock levels (1,000,000 by
 * default: `--levels / 10` products in 10 warehouses). pgbench (the system's, PG_BIN first) runs
 * its scripts for that client, each transaction setting app.client_id inside BEGIN ... COMMIT, at
 * `--rate` transactions per second (-R) over `--clients` connections, logging per-second aggregates
 * (--log --aggregate-interval=1). Three runs of pgbench, in one process:
 *
 * 1. before: the load alone, the baseline;
 * 2. safe: the change written for a live table, deployed by the runner: a new column (instant),
 *    its backfill in batches of 10,000 rows (a statement-by-statement file, each batch its own
 *    transaction), an index CREATE INDEX CONCURRENTLY, a foreign key added NOT VALID and then
 *    VALIDATEd;
 * 3. naive: the same change as one would write it first: the column, one UPDATE of every row, a
 *    plain CREATE INDEX, a foreign key validated as it is added, in one transaction.
 *
 * For each: transactions, failed transactions, aborted clients, seconds with no transaction, mean
 * and max latency and a bound of the p99 (from the per-second maxima), throughput against the
 * baseline, the most application sessions seen waiting for a lock at once and the longest such
 * wait (pg_stat_activity every 200 ms), the runner's lock retries.
 *
 * The paths driven: posting a stock movement (the ledger trigger updates the level: the table the
 * deploy changes) and reading a product's levels. Consuming lots, tracing a lot and ingesting
 * carrier events are not driven yet: add their scripts to SCRIPTS (with what they need loaded in
 * `load`) when their data is loaded here; carrier events come with the fulfillment domain.
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
  type WindowSummary,
  abortedClients,
  mergeIntervals,
  parseAggregateLog,
  summarizeWindow,
  summaryLine,
  throughputLossPercent,
} from './pgbench-report.ts';
import { APP_ROLE, onFreshDatabase } from './support.ts';

export const USAGE = `usage: npm run bench:deploy-under-load -- [--levels N (default 1000000)] [--rate R (default 200)]
       [--clients C (default 4)] [--window S (default 90)] [--baseline S (default 15)] [--url URL] [--json]

Deploys a change of inventory.stock_level (N rows) twice, written safely and naively, while
pgbench drives the application as supply_ledger_app at R transactions per second, and reports
failed transactions, aborted clients, seconds without throughput, latency and throughput against
the load alone. pgbench comes from PG_BIN, else PATH.`;

const WAREHOUSES = 10;
const BACKFILL_BATCH = 10_000;

/** The pgbench scripts, with their weights: the application's paths for one client. */
export const SCRIPTS: { name: string; weight: number; sql: string }[] = [
  {
    name: 'post_movement',
    weight: 7,
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
    weight: 3,
    sql: `\\set product random(1, :products)
BEGIN;
SELECT set_config('app.client_id', :client_id::text, true);
SELECT warehouse_id, qty_on_hand, cost_price FROM inventory.stock_level WHERE product_id = :product;
COMMIT;
`,
  },
  // Consume lots, trace a lot, ingest carrier events: not driven yet (see the header).
];

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

async function load(client: pg.Client, clientId: string, levels: number, report: (line: string) => void): Promise<number> {
  const products = Math.ceil(levels / WAREHOUSES);
  const chunk = 20_000;
  const asClient = `BEGIN; SELECT set_config('app.client_id', '${clientId}', true); SET LOCAL session_replication_role = replica;`;
  await client.query(
    `${asClient} INSERT INTO catalog.warehouse (code, name) SELECT 'WH-' || w, 'Warehouse ' || w FROM generate_series(1, ${WAREHOUSES}) w; COMMIT`,
  );
  for (let from = 1; from <= products; from += chunk) {
    const to = Math.min(products, from + chunk - 1);
    await client.query(
      `${asClient}
       INSERT INTO catalog.product (sku, name) SELECT 'SKU-' || lpad(p::text, 8, '0'), 'Product ' || p FROM generate_series(${from}, ${to}) p ORDER BY p;
       INSERT INTO inventory.stock_level (product_id, warehouse_id)
       SELECT p, w FROM generate_series(${from}, ${to}) p, generate_series(1, ${WAREHOUSES}) w ORDER BY p, w;
       COMMIT`,
    );
    if (to === products || (to / chunk) % 10 === 0) report(`[progress] ${to * WAREHOUSES}/${products * WAREHOUSES} stock levels`);
  }
  await client.query('VACUUM ANALYZE');
  return products;
}

/** PG_BIN's pgbench, else PATH's. */
function pgbenchPath(): string {
  const dirs = [...(process.env.PG_BIN ? [process.env.PG_BIN] : []), ...(process.env.PATH ?? '').split(path.delimiter)];
  for (const dir of dirs) {
    const file = path.join(dir, 'pgbench');
    if (fs.existsSync(file)) return file;
  }
  throw new UsageError('pgbench not found in PG_BIN or PATH (Debian: apt-get install postgresql-client)');
}

interface LoadRun {
  /** Resolves when pgbench exits: its output (stdout and stderr) and exit code. */
  done: Promise<{ output: string; code: number | null }>;
  prefix: string;
}

function startPgbench(
  pgbench: string,
  options: {
    url: string;
    work: string;
    label: string;
    seconds: number;
    rate: number;
    clients: number;
    vars: Record<string, string | number>;
  },
): LoadRun {
  const prefix = path.join(options.work, `pgbench_${options.label}`);
  const scripts = SCRIPTS.map((script) => {
    const file = path.join(options.work, `${script.name}.sql`);
    fs.writeFileSync(file, script.sql);
    return ['-f', `${file}@${script.weight}`];
  }).flat();
  const args = [
    '-n',
    `--client=${options.clients}`,
    `--jobs=${Math.min(2, options.clients)}`,
    `--rate=${options.rate}`,
    `--time=${options.seconds}`,
    '--log',
    `--log-prefix=${prefix}`,
    '--aggregate-interval=1',
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

function readLogs(prefix: string): ReturnType<typeof mergeIntervals> {
  const dir = path.dirname(prefix);
  const base = path.basename(prefix);
  const files = fs.readdirSync(dir).filter((name) => name.startsWith(`${base}.`));
  return mergeIntervals(files.map((name) => parseAggregateLog(fs.readFileSync(path.join(dir, name), 'utf8'))));
}

/** Samples the application's sessions waiting for a lock. */
class LockWaitSampler {
  maxWaiting = 0;
  longestWaitMs = 0;
  samplesWithWaits = 0;
  #running = true;
  readonly #done: Promise<void>;

  constructor(client: pg.Client) {
    this.#done = (async () => {
      while (this.#running) {
        const { rows } = await client.query<{ waiting: number; longest: number | null }>(
          `SELECT count(*)::int AS waiting, max(extract(epoch FROM clock_timestamp() - query_start) * 1000)::float8 AS longest
             FROM pg_stat_activity WHERE usename = $1 AND wait_event_type = 'Lock'`,
          [APP_ROLE],
        );
        const { waiting, longest } = rows[0]!;
        if (waiting > 0) this.samplesWithWaits++;
        this.maxWaiting = Math.max(this.maxWaiting, waiting);
        this.longestWaitMs = Math.max(this.longestWaitMs, longest ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }
}

export interface PhaseResult {
  label: string;
  window: WindowSummary;
  after?: WindowSummary | undefined;
  deploySeconds?: number | undefined;
  migrations?: { name: string; seconds: number }[] | undefined;
  retries?: number | undefined;
  lockWaits?: { maxSessions: number; longestMs: number } | undefined;
  abortedClients: number;
  pgbenchExit: number | null;
  /** The deploy outlasted pgbench's run: the window's end was not measured. */
  truncated?: boolean | undefined;
}

export interface DeployUnderLoadResult {
  server: string;
  pgbench: string;
  levels: number;
  rate: number;
  clients: number;
  phases: PhaseResult[];
}

export async function benchDeployUnderLoad(options: {
  serverUrl: string;
  levels: number;
  rate: number;
  clients: number;
  windowSeconds: number;
  baselineSeconds: number;
  report: (line: string) => void;
}): Promise<DeployUnderLoadResult> {
  const { levels, rate, clients, report } = options;
  const pgbench = pgbenchPath();
  const { version } = await toolVersion(pgbench);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bench-load-'));
  try {
    return await onFreshDatabase(options.serverUrl, async (client, url) => {
      await deploy(client, { migrationsDir: MIGRATIONS_DIR });
      const server = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
      const clientId = (
        await client.query<{ id: string }>("INSERT INTO core.client (code, name) VALUES ('BENCH', 'deploy under load') RETURNING id")
      ).rows[0]!.id;
      const products = await load(client, clientId, levels, report);
      const vars = { client_id: clientId, products, warehouses: WAREHOUSES };
      const phases: PhaseResult[] = [];

      report(`[progress] before: the load alone for ${options.baselineSeconds} s`);
      const baseline = startPgbench(pgbench, { url, work, label: 'before', seconds: options.baselineSeconds, rate, clients, vars });
      const baselineStart = Date.now() / 1000;
      const baselineRun = await baseline.done;
      const before = summarizeWindow(readLogs(baseline.prefix), baselineStart + 1, baselineStart + options.baselineSeconds - 1);
      phases.push({ label: 'before', window: before, abortedClients: abortedClients(baselineRun.output), pgbenchExit: baselineRun.code });
      report(summaryLine('before', before));

      const watcher = await connect(url, 'bench lock sampler');
      try {
        for (const [label, extra] of [
          ['safe', safeMigrations(levels)],
          ['naive', { ...safeMigrations(levels), ...NAIVE_MIGRATIONS }],
        ] as const) {
          const dir = migrationsWith(work, label, extra);
          report(`[progress] ${label}: deploying under load (pgbench for ${options.windowSeconds} s)`);
          const run = startPgbench(pgbench, { url, work, label, seconds: options.windowSeconds, rate, clients, vars });
          const runStart = Date.now() / 1000;
          await new Promise((resolve) => setTimeout(resolve, 3_000));
          const sampler = new LockWaitSampler(watcher);
          const migrations: { name: string; seconds: number }[] = [];
          let retries = 0;
          const emit = (event: RunnerEvent) => {
            if (event.event === 'migration-finish') migrations.push({ name: event.name, seconds: event.durationMs / 1000 });
            if (event.event === 'retry') retries++;
          };
          const deployStart = Date.now() / 1000;
          await deploy(client, { migrationsDir: dir }, { emit });
          const deployEnd = Date.now() / 1000;
          await sampler.stop();
          const finished = await run.done;
          const runEnd = runStart + options.windowSeconds;
          const intervals = readLogs(run.prefix);
          const window = summarizeWindow(intervals, deployStart, Math.min(deployEnd, runEnd));
          const after = deployEnd + 2 < runEnd - 1 ? summarizeWindow(intervals, deployEnd + 1, runEnd - 1) : undefined;
          const phase: PhaseResult = {
            label: `${label} deploy`,
            window,
            after,
            deploySeconds: deployEnd - deployStart,
            migrations: label === 'naive' ? migrations.filter((m) => m.name in NAIVE_MIGRATIONS) : migrations,
            retries,
            lockWaits: { maxSessions: sampler.maxWaiting, longestMs: sampler.longestWaitMs },
            abortedClients: abortedClients(finished.output),
            pgbenchExit: finished.code,
            truncated: deployEnd > runEnd,
          };
          phases.push(phase);
          for (const line of phaseLines(phase, before)) report(line);
        }
      } finally {
        await watcher.end();
      }
      return { server, pgbench: version, levels, rate, clients, phases };
    });
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function phaseLines(phase: PhaseResult, before: WindowSummary): string[] {
  const lines = [summaryLine(phase.label, phase.window, before)];
  if (phase.lockWaits) {
    lines.push(
      `${''.padEnd(14)} deploy ${phase.deploySeconds!.toFixed(1)} s; app sessions waiting for a lock: at most ${phase.lockWaits.maxSessions} at once, ` +
        `longest ${(phase.lockWaits.longestMs / 1000).toFixed(2)} s; runner lock retries ${phase.retries}; aborted clients ${phase.abortedClients}` +
        `${phase.truncated ? '; the deploy outlasted the load window: raise --window' : ''}`,
    );
  }
  for (const m of phase.migrations ?? []) lines.push(`${''.padEnd(14)}   ${m.name}: ${m.seconds.toFixed(2)} s`);
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
      `p99 <= ${w.p99AtMostMs.toFixed(0)} ms (aim 250)`,
      `throughput ${loss >= 0 ? '-' : '+'}${Math.abs(loss).toFixed(1)} % (aim > -5 %)`,
    ];
    const met = w.failures === 0 && phase.abortedClients === 0 && w.zeroThroughputSeconds === 0 && w.p99AtMostMs <= 250 && loss < 5;
    return `${phase.label}: ${met ? 'meets' : 'misses'} the aims: ${aims.join(', ')}`;
  });
}
