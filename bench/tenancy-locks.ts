/**
 * `npx tsx bench/tenancy-locks.ts [-- --rows N]`: what the tenancy migrations of issue 10
 * (create_client ... add_schema_integrity_check, docs/design/tenancy.md) cost on a database
 * holding `--rows` products, stock levels, goods receipts and stock movements (1,000,000 each by
 * default), deployed by the runner as an operator deploys them, while two writers (other
 * connections, no lock_timeout, as an application) update one product and one stock level every
 * 10 ms without changing them. Reports, per migration, how long it took and the longest wait of
 * each writer while it ran: the figures of the migrations' headers. Then the same for their
 * rollback, newest first, down to the database as it was before them.
 *
 * The rows are loaded after the migrations before the tenancy ones, directly (movements without
 * their trigger): what the tables hold matters here, not what it means. The database is created
 * on the server of --url, DATABASE_URL or the embedded server, and dropped afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { UsageError } from '../src/cli/errors.ts';
import { connect } from '../src/db/connect.ts';
import { withDatabase } from '../src/db/database.ts';
import { deploy } from '../src/migrate/deploy.ts';
import { copyMigrationsThrough } from '../src/migrate/directory.ts';
import type { Direction, RunnerEvent } from '../src/migrate/events.ts';
import { rollback } from '../src/migrate/rollback.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import { benchCommand } from './command.ts';
import { onFreshDatabase } from './support.ts';

const USAGE = `usage: npx tsx bench/tenancy-locks.ts [--rows N (default 1000000)] [--url postgresql://...] [--json]

Deploys the tenancy migrations of issue 10 on a database holding N products, stock levels, goods
receipts and stock movements, then rolls them back, and reports each migration's duration and how
long an application writer of a product and of a stock level waited while it ran.`;

/** The last migration before the tenancy ones. */
const BEFORE_TENANCY = '20261121113500_add_trace_functions';
const WAREHOUSES = 10;
const WRITER_PAUSE_MS = 10;

interface MigrationResult {
  name: string;
  direction: Direction;
  ms: number;
  productWriterMaxMs: number;
  levelWriterMaxMs: number;
}

/** A copy of the repository's migrations, up to and including `last`. */
function migrationsThrough(last: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bench-tenancy-'));
  copyMigrationsThrough(MIGRATIONS_DIR, last, dir);
  return dir;
}

async function load(client: pg.Client, rows: number, report: (line: string) => void): Promise<void> {
  const chunk = 100_000;
  await client.query(
    `INSERT INTO catalog.warehouse (code, name) SELECT 'WH-' || w, 'Warehouse ' || w FROM generate_series(1, ${WAREHOUSES}) AS w`,
  );
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await client.query(
      `INSERT INTO catalog.product (sku, name, brand) SELECT 'SKU-' || lpad(i::text, 8, '0'), 'Product ' || i, 'Brand ' || i % 500
         FROM generate_series($1::bigint, $2::bigint) AS i ORDER BY i`,
      [from, to],
    );
    // Levels of the first rows / 10 products in every warehouse, a receipt and a movement per level.
    await client.query(
      `BEGIN; SET LOCAL supply_ledger.ledger_backfill = on; SET LOCAL session_replication_role = replica;
       INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand, cost_price, cost_method, movement_count)
       SELECT 1 + (i - 1) / ${WAREHOUSES}, 1 + (i - 1) % ${WAREHOUSES}, i % 100, 2.5, 'WEIGHTED_AVERAGE', 1
         FROM generate_series(${from}::bigint, ${to}::bigint) AS i ORDER BY i;
       INSERT INTO inventory.goods_receipt (product_id, warehouse_id, quantity, unit_cost)
       SELECT 1 + (i - 1) / ${WAREHOUSES}, 1 + (i - 1) % ${WAREHOUSES}, 1 + i % 100, 2.5
         FROM generate_series(${from}::bigint, ${to}::bigint) AS i ORDER BY i;
       INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, qty_after, avg_cost_after, level_sequence, idempotency_key)
       SELECT 'RECEIPT', 1 + (i - 1) / ${WAREHOUSES}, 1 + (i - 1) % ${WAREHOUSES}, 1 + i % 100, 2.5, 1 + i % 100, 2.5, 1, 'bench-' || i
         FROM generate_series(${from}::bigint, ${to}::bigint) AS i ORDER BY i;
       COMMIT`,
    );
    report(`[progress] ${to}/${rows} rows of each table`);
  }
  await client.query('VACUUM ANALYZE');
}

/** Updates one row every few ms without changing it, recording when each attempt started and how long it waited. */
class Writer {
  readonly attempts: { at: number; ms: number }[] = [];
  #running = true;
  readonly #done: Promise<void>;

  constructor(client: pg.Client, sql: string) {
    this.#done = (async () => {
      while (this.#running) {
        const at = performance.now();
        await client.query(sql);
        this.attempts.push({ at, ms: performance.now() - at });
        await new Promise((resolve) => setTimeout(resolve, WRITER_PAUSE_MS));
      }
    })();
  }

  /** The longest wait of an attempt that overlapped [from, to]. */
  maxWait(from: number, to: number): number {
    return Math.max(0, ...this.attempts.filter((a) => a.at <= to && a.at + a.ms >= from).map((a) => a.ms));
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }
}

async function measure(url: string, client: pg.Client, rows: number, report: (line: string) => void): Promise<MigrationResult[]> {
  await deploy(client, { migrationsDir: migrationsThrough(BEFORE_TENANCY) });
  await load(client, rows, report);
  const [productClient, levelClient] = [await connect(url, 'bench writer'), await connect(url, 'bench writer')];
  const started = new Map<string, number>();
  const ran: { name: string; direction: Direction; ms: number; from: number; to: number }[] = [];
  const product = new Writer(productClient, 'UPDATE catalog.product SET is_active = is_active WHERE id = 1');
  const level = new Writer(levelClient, 'UPDATE inventory.stock_level SET qty_reserved = qty_reserved WHERE id = 1');
  try {
    const emit = (event: RunnerEvent) => {
      if (event.event === 'migration-start') started.set(`${event.direction} ${event.name}`, performance.now());
      if (event.event === 'migration-finish') {
        const { name, direction } = event;
        ran.push({ name, direction, ms: event.durationMs, from: started.get(`${direction} ${name}`)!, to: performance.now() });
        report(`[progress] ${direction} ${name}: ${(event.durationMs / 1000).toFixed(2)} s`);
      }
    };
    await deploy(client, { migrationsDir: MIGRATIONS_DIR }, { emit });
    await rollback(client, { migrationsDir: MIGRATIONS_DIR }, { to: BEFORE_TENANCY, emit });
    // A writer's attempt still waiting when the last migration ended finishes now.
    await new Promise((resolve) => setTimeout(resolve, 100));
  } finally {
    await Promise.all([product.stop(), level.stop()]);
    await Promise.all([productClient.end(), levelClient.end()]);
  }
  return ran.map(({ name, direction, ms, from, to }) => ({
    name,
    direction,
    ms,
    productWriterMaxMs: product.maxWait(from, to),
    levelWriterMaxMs: level.maxWait(from, to),
  }));
}

function table(version: string, rows: number, results: MigrationResult[]): string {
  const ms = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);
  return [
    `PostgreSQL ${version}, ${rows.toLocaleString('en')} products, stock levels, goods receipts and stock movements`,
    '',
    '| Migration | Direction | Duration | Product writer waited up to | Stock level writer waited up to |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${r.direction} | ${ms(r.ms)} | ${ms(r.productWriterMaxMs)} | ${ms(r.levelWriterMaxMs)} |`),
  ].join('\n');
}

await benchCommand('bench/tenancy-locks.ts', USAGE, { rows: 'string', url: 'string', json: 'boolean' }, async (flags) => {
  const rows = flags.rows === undefined ? 1_000_000 : Number(flags.rows);
  if (!Number.isInteger(rows) || rows < WAREHOUSES) throw new UsageError(`--rows must be a whole number of at least ${WAREHOUSES}`);
  const report = (line: string) => console.error(line);
  await withDatabase(
    (database) =>
      onFreshDatabase(database.url, async (client, url) => {
        const { rows: version } = await client.query<{ server_version: string }>('SHOW server_version');
        const results = await measure(url, client, rows, report);
        const date = new Date().toISOString().slice(0, 10);
        const server = version[0]!.server_version;
        console.log(flags.json === true ? JSON.stringify({ server, date, rows, results }) : table(server, rows, results));
      }),
    flags.url === undefined ? {} : { url: flags.url },
  );
});
