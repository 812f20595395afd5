/**
 * `npm run bench:backfill-locks [-- --rows N]`: how long the data backfills of the migration
 * history keep rows locked, done inside the deploy's transaction or in batches, at production size.
 *
 * Three backfills, each on its own table of `--rows` legacy rows shaped like
 * tests/migration-history/data/*.sql (brand names typed by hand, on-hand without cost and the goods
 * receipts that priced it, loose supplier phones and emails):
 *
 * - product-brands (catalog.product): backfill_product_brands + finalize_product_brands.
 * - opening-balances (inventory.stock_level, 10 warehouses): add_stock_ledger, whose loop is cut
 *   out of the migration to measure the batched choice.
 * - supplier-contacts (catalog.supplier): backfill_supplier_contacts + finalize_supplier_contacts.
 *
 * Each backfill is split into its expand part (the migration up to the backfill) and its finalize
 * part (the loop that drives the batch function to the end, and the VALIDATEs), read from the
 * repository's migration files. On a copy of the same database each time, three scenarios:
 *
 * 1. in-migration: expand and finalize in one transaction, as one migration (the deploy holds
 *    every row it touched until it commits);
 * 2. batched: expand; then the batch function, one transaction per batch of `--batch-size` as
 *    `npm run backfill` runs it (BEGIN; SET LOCAL lock_timeout; the batch; COMMIT); then the
 *    finalize part, which finds nothing left;
 * 3. finalize without the backfill: expand, then the finalize part, which does everything.
 *
 * Meanwhile a writer (another connection, no lock_timeout, as an application) updates one row of
 * the table every 10 ms without changing it: the first row the backfill changes in the
 * in-migration and finalize scenarios (locked from the first batch to the commit), the first row
 * the batch in progress changes while batching. Its longest wait is what an application write of
 * such a row waits.
 *
 * The migrations are sent as one query each, as Prisma sends a migration file: one implicit
 * transaction. Databases are created on the server of `--url`, DATABASE_URL or the embedded
 * server, and dropped afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { connect, quoteIdent, urlForDatabase } from '../src/db/connect.ts';
import { withDatabase } from '../src/db/database.ts';
import { cleanUpOnInterrupt, percentile } from './support.ts';

const MIGRATIONS_DIR = path.join(import.meta.dirname, '..', 'prisma', 'migrations');
const BASELINE = '20261121103714_create_catalog_inventory_baseline';
const WAREHOUSES = 10;
const WRITER_PAUSE_MS = 10;

const USAGE = `usage: npm run bench:backfill-locks -- [--rows N (default 1000000)] [--batch-size N (default 1000)]
  [--only product-brands,opening-balances,supplier-contacts] [--url postgresql://...] [--json]

Measures, for each data backfill of the migration history, how long rows stay locked when it runs
inside the deploy's transaction and when it runs in batches, on --rows legacy rows. The server is
--url, else DATABASE_URL, else the embedded PostgreSQL; databases are created there and dropped.`;

/** A failure to report in one line (exit code 1), or a usage mistake (exit code 2). */
class BenchError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface Backfill {
  name: 'product-brands' | 'opening-balances' | 'supplier-contacts';
  /** The table whose rows it changes, and what they are called. */
  table: string;
  noun: string;
  batchFunction: string;
  /** The migration the backfill starts with: everything before it is deployed first. */
  expandMigration: string;
  /** The migration that finishes it; absent when the loop runs inside expandMigration. */
  finalizeMigration?: string;
  /** Loads `rows` legacy rows at the baseline. */
  load(client: pg.Client, rows: number, report: Report): Promise<void>;
  /** A column the writer sets to itself (an application write that changes nothing). */
  writtenColumn: string;
  /** The legacy rows the backfill changes (and so locks), by their legacy columns. */
  changes: string;
}

type Report = (line: string) => void;

interface Timed {
  ms: number;
  /** The longest wait of the writer while it ran. */
  writerMaxMs: number;
  writerAttempts: number;
}

interface BackfillResult {
  backfill: Backfill['name'];
  rows: number;
  batchSize: number;
  inMigration: Timed;
  batched: {
    expand: Timed;
    batches: number;
    batchP50Ms: number;
    batchP95Ms: number;
    batchMaxMs: number;
    totalMs: number;
    writerMaxMs: number;
    writerAttempts: number;
    finalize: Timed;
  };
  finalizeWithoutBackfill: Timed;
}

const WORDS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Wonka',
  'Tyrell',
  'Soylent',
  'Hooli',
  'Vandelay',
  'Cyberdyne',
  'Gringotts',
  'Oscorp',
  'Monarch',
  'Duff',
  'Krusty',
  'Nakatomi',
  'Zorg',
  'Virtucon',
];

/** `rows` products in chunks, brand names as people type them (tests/migration-history/data, create_catalog_inventory_baseline). */
async function loadProducts(client: pg.Client, rows: number, brands: number, report: Report): Promise<void> {
  const chunk = 100_000;
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    await client.query(
      `INSERT INTO catalog.product (sku, name, brand, unit_of_measure)
       SELECT 'SKU-' || lpad(i::text, 8, '0'), 'Product ' || i,
              CASE i % 12
                WHEN 6 THEN NULL WHEN 7 THEN '' WHEN 8 THEN '   '    -- 3 in 12 without a brand, as in the sample
                ELSE CASE (i / 12) % 4 WHEN 0 THEN b WHEN 1 THEN ' ' || lower(b) || ' ' WHEN 2 THEN upper(b) ELSE b || ' ' END
              END,
              (ARRAY['EA', 'KG', 'BOX', 'PR'])[1 + i % 4]
         FROM generate_series($1::bigint, $2::bigint) AS i,
              LATERAL (SELECT ($3::text[])[1 + k % cardinality($3::text[])] || ' ' || (1 + k / cardinality($3::text[])) AS b
                         FROM (SELECT (i * 7919) % $4 AS k) AS pick) AS brand
        ORDER BY i`,
      [from, to, WORDS, brands],
    );
    report(`[progress] products ${to}/${rows}`);
  }
}

const BACKFILLS: Backfill[] = [
  {
    name: 'product-brands',
    table: 'catalog.product',
    noun: 'products',
    batchFunction: 'catalog.backfill_product_brands',
    expandMigration: '20261121104349_backfill_product_brands',
    finalizeMigration: '20261121111600_finalize_product_brands',
    // One brand for about 200 products.
    load: (client, rows, report) => loadProducts(client, rows, Math.max(5, Math.round(rows / 200)), report),
    writtenColumn: 'is_active',
    changes: `btrim(brand) <> ''`,
  },
  {
    name: 'opening-balances',
    table: 'inventory.stock_level',
    noun: 'stock levels',
    batchFunction: 'inventory.backfill_opening_balances',
    expandMigration: '20261121104716_add_stock_ledger',
    async load(client, rows, report) {
      const products = Math.ceil(rows / WAREHOUSES);
      await loadProducts(client, products, Math.max(5, Math.round(products / 200)), report);
      await client.query(
        `INSERT INTO catalog.warehouse (code, name) SELECT 'WH-' || lpad(w::text, 2, '0'), 'Warehouse ' || w FROM generate_series(1, ${WAREHOUSES}) AS w`,
      );
      const chunk = 10_000; // products per statement
      for (let from = 1; from <= products; from += chunk) {
        const to = Math.min(products, from + chunk - 1);
        // On hand with fractions, 1 in 12 empty, a few reserved; ids follow (product, warehouse).
        await client.query(
          `INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand, qty_reserved)
           SELECT p, w, CASE WHEN (p + w) % 12 = 5 THEN 0 ELSE ((p * 31 + w * 17) % 2000) / 4.0 + 0.25 END,
                  CASE WHEN (p + w) % 7 = 0 THEN 1 ELSE 0 END
             FROM generate_series($1::bigint, $2::bigint) AS p, generate_series(1, ${WAREHOUSES}) AS w
            WHERE (p - 1) * ${WAREHOUSES} + w <= $3
            ORDER BY p, w`,
          [from, to, rows],
        );
        // Goods receipts: 3 levels in 4 have one, every other product's a second; the rest are
        // priced by a receipt of the product elsewhere, as the backfill's rule allows.
        await client.query(
          `INSERT INTO inventory.goods_receipt (product_id, warehouse_id, quantity, unit_cost, received_at, reference)
           SELECT p, w, 10 + (p + w) % 50, 1 + ((p * 7919 + w * 104729 + r * 31) % 100000) / 100.0,
                  timestamptz '2025-01-01 08:00+00' + ((p * 13 + w * 7 + r * 97) % 300) * interval '1 day',
                  'GRN-' || p || '-' || w || '-' || r
             FROM generate_series($1::bigint, $2::bigint) AS p, generate_series(1, ${WAREHOUSES}) AS w, generate_series(1, 2) AS r
            WHERE (p - 1) * ${WAREHOUSES} + w <= $3 AND (p * ${WAREHOUSES} + w) % 4 <> 3 AND (r = 1 OR p % 2 = 0)`,
          [from, to, rows],
        );
        report(`[progress] stock levels ${Math.min(rows, to * WAREHOUSES)}/${rows}`);
      }
    },
    writtenColumn: 'qty_reserved',
    // Every level of a batch is locked (FOR UPDATE), whatever its quantity.
    changes: 'true',
  },
  {
    name: 'supplier-contacts',
    table: 'catalog.supplier',
    noun: 'suppliers',
    batchFunction: 'catalog.backfill_supplier_contacts',
    expandMigration: '20261121104845_backfill_supplier_contacts',
    finalizeMigration: '20261121111700_finalize_supplier_contacts',
    async load(client, rows, report) {
      const chunk = 100_000;
      for (let from = 1; from <= rows; from += chunk) {
        const to = Math.min(rows, from + chunk - 1);
        // Phones with stray spaces, 3 in 10 without (one of them blank); emails in mixed case,
        // 2 in 9 without (one of them blank).
        await client.query(
          `INSERT INTO catalog.supplier (code, name, phone, email)
           SELECT 'SUP-' || lpad(i::text, 8, '0'), 'Supplier ' || i,
                  CASE i % 10 WHEN 0 THEN NULL WHEN 1 THEN NULL WHEN 2 THEN ''
                    ELSE CASE WHEN i % 3 = 0 THEN ' ' ELSE '' END || '0' || (11 + i % 80) || ' 555 ' || lpad((i % 10000)::text, 4, '0')
                         || CASE WHEN i % 4 = 0 THEN ' ' ELSE '' END END,
                  CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN ' '
                    ELSE CASE WHEN i % 2 = 0 THEN 'Orders@Supplier' ELSE ' sales@supplier' END || i || '.example' END
             FROM generate_series($1::bigint, $2::bigint) AS i
            ORDER BY i`,
          [from, to],
        );
        report(`[progress] suppliers ${to}/${rows}`);
      }
    },
    writtenColumn: 'name',
    changes: `btrim(phone) <> '' OR btrim(email) <> ''`,
  },
];

/** The repository's migrations, in Prisma's order. */
function migrationNames(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_/.test(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

function migrationSql(name: string): string {
  const file = path.join(MIGRATIONS_DIR, name, 'migration.sql');
  if (!fs.existsSync(file))
    throw new BenchError(`migration ${name} is not in ${MIGRATIONS_DIR}: this benchmark names the backfills' migrations`);
  return fs.readFileSync(file, 'utf8');
}

/**
 * The expand and finalize parts of a backfill: two migrations, or one migration cut before the
 * `DO` block that drives the batch function to the end (the finalize part is that block and what
 * follows it, the VALIDATEs).
 */
function parts(backfill: Backfill): { expand: string; finalize: string } {
  const expand = migrationSql(backfill.expandMigration);
  if (backfill.finalizeMigration !== undefined) return { expand, finalize: migrationSql(backfill.finalizeMigration) };
  const call = expand.lastIndexOf(`${backfill.batchFunction}(`);
  const loop = expand.lastIndexOf('DO $$', call);
  if (call === -1 || loop === -1 || expand.indexOf('CREATE OR REPLACE FUNCTION', loop) !== -1) {
    throw new BenchError(
      `cannot find the loop over ${backfill.batchFunction}() in ${backfill.expandMigration}: has the migration changed shape?`,
    );
  }
  return { expand: expand.slice(0, loop), finalize: expand.slice(loop) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const session = (url: string, label: string) => connect(url, `bench:backfill-locks ${label}`);

/**
 * Every WRITER_PAUSE_MS until stopped, writes the first row after id `after()` that the backfill
 * changes (without changing it), timing each write.
 */
class Writer {
  private stopped = false;
  private readonly waits: number[] = [];
  private readonly loop: Promise<void>;

  constructor(client: pg.Client, backfill: Backfill, after: () => number) {
    const { table, writtenColumn: column, changes } = backfill;
    const sql = `UPDATE ${table} SET ${column} = ${column} WHERE id = (SELECT min(id) FROM ${table} WHERE id > $1 AND (${changes}))`;
    this.loop = (async () => {
      while (!this.stopped) {
        const started = performance.now();
        await client.query(sql, [after()]);
        this.waits.push(performance.now() - started);
        await sleep(WRITER_PAUSE_MS);
      }
    })();
  }

  /** Stops after the write in flight (which waits for the locks it met) and returns the waits. */
  async stop(): Promise<{ writerMaxMs: number; writerAttempts: number }> {
    this.stopped = true;
    await this.loop;
    return { writerMaxMs: Math.max(0, ...this.waits), writerAttempts: this.waits.length };
  }
}

/**
 * Runs `sql` as one query (one implicit transaction, as Prisma applies a migration) while the
 * writer writes the first row the backfill changes.
 */
async function timedWithWriter(client: pg.Client, writerClient: pg.Client, backfill: Backfill, sql: string): Promise<Timed> {
  const started = performance.now();
  const running = client.query(sql);
  const writer = new Writer(writerClient, backfill, () => 0);
  const outcome = await running.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  const ms = performance.now() - started;
  const waits = await writer.stop();
  if (outcome !== undefined) throw outcome.error;
  return { ms, ...waits };
}

class Server {
  private count = 0;
  private readonly databases = new Set<string>();

  constructor(
    readonly url: string,
    private readonly admin: pg.Client,
  ) {}

  static async open(url: string): Promise<Server> {
    return new Server(url, await session(url, 'admin'));
  }

  async create(template?: string): Promise<string> {
    const name = `sl_bench_locks_${process.pid}_${this.count++}`;
    await this.admin.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)} STRATEGY FILE_COPY` : ''}`);
    this.databases.add(name);
    return name;
  }

  async drop(name: string): Promise<void> {
    await this.admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    this.databases.delete(name);
  }

  async version(): Promise<string> {
    const { rows } = await this.admin.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return rows[0]!.v;
  }

  /** Flushes dirty buffers so that a scenario does not pay the previous one's checkpoint. */
  async checkpoint(): Promise<void> {
    await this.admin.query('CHECKPOINT').catch(() => {});
  }

  async close(): Promise<void> {
    for (const name of [...this.databases]) await this.drop(name).catch(() => {});
    await this.admin.end().catch(() => {});
  }
}

/** A database holding the backfill's legacy rows, deployed up to its expand migration; a template for the scenarios. */
async function prepare(server: Server, backfill: Backfill, rows: number, report: Report): Promise<string> {
  const name = await server.create();
  const client = await session(urlForDatabase(server.url, name), 'prepare');
  try {
    const migrations = migrationNames();
    const first = migrations.indexOf(backfill.expandMigration);
    if (first === -1) throw new BenchError(`migration ${backfill.expandMigration} is not in ${MIGRATIONS_DIR}`);
    for (const migration of migrations.slice(0, first)) {
      await client.query(migrationSql(migration));
      if (migration === BASELINE) {
        const started = performance.now();
        await backfill.load(client, rows, report);
        await client.query('VACUUM ANALYZE');
        report(`[progress] ${backfill.name}: ${rows} ${backfill.noun} loaded in ${((performance.now() - started) / 1000).toFixed(1)}s`);
      }
    }
    await client.query('VACUUM ANALYZE');
    const { rows: ids } = await client.query<{ first: string; last: string; n: string }>(
      `SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM ${backfill.table}`,
    );
    if (Number(ids[0]!.first) !== 1 || Number(ids[0]!.last) !== rows || Number(ids[0]!.n) !== rows) {
      throw new BenchError(`${backfill.table} holds ids ${ids[0]!.first}..${ids[0]!.last} (${ids[0]!.n} rows), expected 1..${rows}`);
    }
  } finally {
    await client.end();
  }
  return name;
}

/** Runs `fn` on a fresh copy of `template`, with a second connection for the writer. */
async function onCopy<T>(server: Server, template: string, fn: (client: pg.Client, writer: pg.Client) => Promise<T>): Promise<T> {
  const name = await server.create(template);
  const url = urlForDatabase(server.url, name);
  const client = await session(url, 'migration');
  const writer = await session(url, 'writer');
  try {
    await server.checkpoint();
    return await fn(client, writer);
  } finally {
    await writer.end().catch(() => {});
    await client.end().catch(() => {});
    await server.drop(name);
  }
}

async function measure(server: Server, backfill: Backfill, rows: number, batchSize: number, report: Report): Promise<BackfillResult> {
  const { expand, finalize } = parts(backfill);
  const template = await prepare(server, backfill, rows, report);
  try {
    const seconds = (timed: Timed) => `${(timed.ms / 1000).toFixed(2)}s (writer waited up to ${(timed.writerMaxMs / 1000).toFixed(2)}s)`;

    const inMigration = await onCopy(server, template, (client, writer) =>
      timedWithWriter(client, writer, backfill, `${expand}\n${finalize}`),
    );
    report(`[progress] ${backfill.name}: in-migration ${seconds(inMigration)}`);

    const batched = await onCopy(server, template, async (client, writerClient) => {
      const expandTimed = await timedWithWriter(client, writerClient, backfill, expand);
      let cursor = 0;
      const durations: number[] = [];
      const writer = new Writer(writerClient, backfill, () => cursor);
      const started = performance.now();
      const batching = (async () => {
        for (;;) {
          const batchStarted = performance.now();
          await client.query(`BEGIN; SET LOCAL lock_timeout = '2000ms'`);
          const { rows: result } = await client.query<{ last_id: string | null }>(`SELECT last_id FROM ${backfill.batchFunction}($1, $2)`, [
            cursor,
            batchSize,
          ]);
          await client.query('COMMIT');
          const lastId = result[0]?.last_id;
          if (lastId == null) return;
          durations.push(performance.now() - batchStarted);
          cursor = Number(lastId);
          if (durations.length % 100 === 0) report(`[progress] ${backfill.name}: batch ${durations.length}, last id ${cursor}`);
        }
      })();
      const outcome = await batching.then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      const totalMs = performance.now() - started;
      const waits = await writer.stop();
      if (outcome !== undefined) throw outcome.error;
      const finalizeTimed = await timedWithWriter(client, writerClient, backfill, finalize);
      return {
        expand: expandTimed,
        batches: durations.length,
        batchP50Ms: durations.length === 0 ? 0 : percentile(durations, 50),
        batchP95Ms: durations.length === 0 ? 0 : percentile(durations, 95),
        batchMaxMs: Math.max(0, ...durations),
        totalMs,
        ...waits,
        finalize: finalizeTimed,
      };
    });
    report(
      `[progress] ${backfill.name}: batched ${batched.batches} batches p50/p95/max ${batched.batchP50Ms.toFixed(1)}/${batched.batchP95Ms.toFixed(1)}/${batched.batchMaxMs.toFixed(1)} ms, ` +
        `total ${(batched.totalMs / 1000).toFixed(1)}s, finalize after it ${seconds(batched.finalize)}`,
    );

    const finalizeWithoutBackfill = await onCopy(server, template, async (client, writer) => {
      await client.query(expand);
      return timedWithWriter(client, writer, backfill, finalize);
    });
    report(`[progress] ${backfill.name}: finalize without the backfill ${seconds(finalizeWithoutBackfill)}`);

    return { backfill: backfill.name, rows, batchSize, inMigration, batched, finalizeWithoutBackfill };
  } finally {
    await server.drop(template);
  }
}

function table(version: string, results: BackfillResult[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const m = (ms: number) => `${ms.toFixed(1)} ms`;
  const lines = [
    `PostgreSQL ${version}`,
    '',
    '| Backfill | Rows | In the migration: duration / writer waits | Expand | Batches (size) | Batch p50 / p95 / max | Batched total / writer waits | Finalize after the backfill / writer waits | Finalize without it / writer waits |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.backfill} | ${r.rows.toLocaleString('en')} | ${s(r.inMigration.ms)} / ${s(r.inMigration.writerMaxMs)} | ${s(r.batched.expand.ms)} | ` +
        `${r.batched.batches} (${r.batchSize}) | ${m(r.batched.batchP50Ms)} / ${m(r.batched.batchP95Ms)} / ${m(r.batched.batchMaxMs)} | ` +
        `${s(r.batched.totalMs)} / ${m(r.batched.writerMaxMs)} | ${s(r.batched.finalize.ms)} / ${m(r.batched.finalize.writerMaxMs)} | ` +
        `${s(r.finalizeWithoutBackfill.ms)} / ${s(r.finalizeWithoutBackfill.writerMaxMs)} |`,
    );
  }
  return lines.join('\n');
}

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new BenchError(`${flag} must be a whole number of at least 1, got '${value}'`, 2);
  return number;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        rows: { type: 'string' },
        'batch-size': { type: 'string' },
        only: { type: 'string' },
        url: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BenchError(`${(error as Error).message.split('\n')[0]}; see --help`, 2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const rows = positive(values.rows, '--rows', 1_000_000);
  const batchSize = positive(values['batch-size'], '--batch-size', 1000);
  const names = values.only === undefined ? BACKFILLS.map((backfill) => backfill.name) : values.only.split(',').map((name) => name.trim());
  const selected = names.map((name) => {
    const backfill = BACKFILLS.find((candidate) => candidate.name === name);
    if (backfill === undefined) throw new BenchError(`--only: no backfill named '${name}' (${BACKFILLS.map((b) => b.name).join(', ')})`, 2);
    return backfill;
  });
  for (const backfill of selected) parts(backfill); // refuse a changed migration before loading anything

  const report: Report = (line) => console.error(line);
  // --url, else DATABASE_URL, else the embedded server (started for this run when none is running).
  await withDatabase(
    async (database) => {
      const server = await Server.open(database.url);
      try {
        await cleanUpOnInterrupt(
          () => server.close(),
          async () => {
            const version = await server.version();
            const results: BackfillResult[] = [];
            for (const backfill of selected) results.push(await measure(server, backfill, rows, batchSize, report));
            if (values.json) console.log(JSON.stringify({ server: version, date: new Date().toISOString().slice(0, 10), results }));
            else console.log(table(version, results));
          },
        );
      } finally {
        await server.close();
      }
    },
    values.url === undefined ? {} : { url: values.url },
  );
}

try {
  await main();
} catch (error) {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  console.error(`bench:backfill-locks: ${message.split('\n')[0]}${code && !(error instanceof BenchError) ? ` (SQLSTATE ${code})` : ''}`);
  process.exitCode = error instanceof BenchError ? error.exitCode : 1;
}
