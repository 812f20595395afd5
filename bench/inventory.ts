/**
 * `npm run bench:inventory`: the inventory schema under production-sized data, on a fresh
 * database with every migration of this repository deployed.
 *
 * - Ledger ingest: the same movements go into inventory.stock_movement (with its trigger) and
 *   into an identical table without triggers, chunk by chunk, alternating which goes first; the
 *   difference per movement is what the trigger costs (seed 000 accepts about 1 ms).
 * - Valuation by warehouse from mv_inventory_valuation over `levels` stock levels, against the
 *   seed's live aggregation of the levels (seed: under 50 ms for 10,000 records).
 * - Substring product search (searchProducts) over `products` products: p50/p95 over a mix of
 *   codes, words and phrases, and p95 of each (seed: under 10 ms, for a word).
 * - refresh_all_inventory_views(): the three views refreshed CONCURRENTLY.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { searchProducts } from '../src/catalog/search.ts';
import { deploy } from '../src/migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import { refreshInventoryViews, valuationByWarehouse } from '../src/inventory/views.ts';
import { median, onFreshDatabase, percentile } from './support.ts';

export interface InventoryBenchOptions {
  /** A URL on the server to benchmark on; a database is created and dropped there. */
  serverUrl: string;
  movements: number;
  /** Stock levels the movements spread over: products x WAREHOUSES. */
  levels: number;
  /** Products in the catalog (at least levels / WAREHOUSES). */
  products: number;
  /** Movements per INSERT statement (each its own transaction). */
  chunk: number;
  /** Timed repetitions of each query. */
  queries: number;
  report: (line: string) => void;
}

export interface InventoryBenchResult {
  movements: number;
  levels: number;
  products: number;
  ingest: { withTriggerMs: number; withoutTriggerMs: number; triggerUsPerMovement: number; ratio: number };
  valuation: { matviewP50Ms: number; matviewP95Ms: number; liveP50Ms: number; liveP95Ms: number };
  search: { p50Ms: number; p95Ms: number; terms: number; p95MsByKind: Record<TermKind, number> };
  refreshAllMs: number;
}

export const WAREHOUSES = 10;

/** Word lists product names are made of: "<adjective> <noun> <size> <code>". */
const ADJECTIVES = [
  'Heavy-duty',
  'Compact',
  'Organic',
  'Stainless',
  'Galvanised',
  'Premium',
  'Economy',
  'Industrial',
  'Food-grade',
  'Insulated',
  'Reinforced',
  'Lightweight',
  'Refined',
  'Wholegrain',
  'Coated',
  'Sterile',
  'Recycled',
  'Frozen',
  'Dried',
  'Flexible',
];
const NOUNS = [
  'bolt',
  'washer',
  'cake flour',
  'caster sugar',
  'pallet wrap',
  'nitrile glove',
  'ball valve',
  'garden hose',
  'roller bearing',
  'cable tie',
  'safety boot',
  'hand soap',
  'water filter',
  'coffee bean',
  'olive oil',
  'rice',
  'canned beans',
  'tent',
  'blanket',
  'first aid kit',
  'solar lamp',
  'jerrycan',
  'tarpaulin',
  'rope',
  'bucket',
  'toothpaste',
  'baby formula',
  'oral rehydration salt',
  'mosquito net',
  'generator',
  'fuel pump',
  'brake pad',
  'air filter',
  'spark plug',
  'wiper blade',
  'drill bit',
  'saw blade',
  'paint roller',
  'sealant',
  'gasket',
];
const SIZES = [
  'M6',
  'M8',
  'M10',
  'M12',
  '1 kg',
  '5 kg',
  '25 kg',
  '500 ml',
  '1 l',
  '20 l',
  'size 9',
  'size 11',
  'pack of 10',
  'pack of 100',
  '2 m',
  '10 m',
];

/** The catalog: `products` products with generated names, WAREHOUSES warehouses. */
async function loadCatalog(client: pg.Client, products: number, report: (line: string) => void): Promise<void> {
  await client.query(
    `INSERT INTO catalog.warehouse (code, name) SELECT 'WH-' || w, 'Warehouse ' || w FROM generate_series(1, ${WAREHOUSES}) AS w`,
  );
  // As a bulk import would: the trigram index is built once after the load, with its own definition.
  const { rows: index } = await client.query<{ definition: string }>(
    `SELECT pg_get_indexdef('catalog.product_name_trgm_idx'::regclass) AS definition`,
  );
  await client.query('DROP INDEX catalog.product_name_trgm_idx');
  const batch = 100_000;
  for (let start = 1; start <= products; start += batch) {
    const end = Math.min(products, start + batch - 1);
    await client.query(
      `INSERT INTO catalog.product (sku, name, reorder_point, reorder_qty, safety_stock)
       SELECT 'SKU-' || lpad(i::text, 8, '0'),
              ($1::text[])[1 + i % cardinality($1)] || ' ' || ($2::text[])[1 + (i / 7) % cardinality($2)] || ' ' ||
              ($3::text[])[1 + (i / 13) % cardinality($3)] || ' ' || upper(substr(md5(i::text), 1, 6)),
              25, 50, 5
         FROM generate_series($4::int, $5::int) AS i`,
      [ADJECTIVES, NOUNS, SIZES, start, end],
    );
    report(`[progress] catalog products=${end}/${products}`);
  }
  const started = performance.now();
  await client.query(index[0]!.definition);
  report(`[progress] catalog trigram index built in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  const { rows } = await client.query('SELECT min(id)::int AS first, max(id)::int AS last FROM catalog.product');
  if (rows[0].first !== 1 || rows[0].last !== products)
    throw new Error('bench: product ids are expected to run from 1 on a fresh database');
  await client.query('VACUUM ANALYZE catalog.product');
}

/**
 * Movement `i` of the workload: level i mod levels, in rounds over all levels. Rounds 0-2 of
 * every 5 receive 10 at a cost that varies, rounds 3-4 issue 5: stock never runs out, and every
 * level blends several costs.
 */
const MOVEMENTS_SQL = (table: string, computed: boolean) => `
  INSERT INTO ${table} (movement_type, product_id, warehouse_id, quantity, unit_cost, reference_type, reference_id${computed ? ', qty_after, avg_cost_after, value_after, level_sequence' : ''})
  SELECT CASE WHEN receipt THEN 'RECEIPT' ELSE 'ISSUE' END::inventory.movement_type,
         1 + (level / ${WAREHOUSES}), 1 + level % ${WAREHOUSES},
         CASE WHEN receipt THEN 10 ELSE -5 END,
         CASE WHEN receipt THEN 1 + (i * 7919) % 10000 / 100.0 END,
         'GOODS_RECEIPT', 'BENCH-' || i
         ${computed ? ', 10, 1, 10, round_no + 1' : ''}
    FROM (SELECT i, i % $3 AS level, i / $3 AS round_no, (i / $3) % 5 < 3 AS receipt FROM generate_series($1::bigint, $2::bigint) AS i) AS m
   ORDER BY i`;

async function ingest(client: pg.Client, options: InventoryBenchOptions) {
  // Identical columns, defaults, checks, indexes and foreign keys; no trigger.
  await client.query(`CREATE SCHEMA bench;
    CREATE TABLE bench.stock_movement_plain (LIKE inventory.stock_movement INCLUDING ALL);
    ALTER TABLE bench.stock_movement_plain
      ADD FOREIGN KEY (product_id) REFERENCES catalog.product (id) ON DELETE RESTRICT ON UPDATE CASCADE,
      ADD FOREIGN KEY (warehouse_id) REFERENCES catalog.warehouse (id) ON DELETE RESTRICT ON UPDATE CASCADE,
      ADD FOREIGN KEY (reverses_movement_id) REFERENCES bench.stock_movement_plain (id) ON DELETE RESTRICT ON UPDATE CASCADE,
      ADD FOREIGN KEY (returns_movement_id) REFERENCES bench.stock_movement_plain (id) ON DELETE RESTRICT ON UPDATE CASCADE`);
  let withTriggerMs = 0;
  let withoutTriggerMs = 0;
  const timed = async (sql: string, from: number, to: number) => {
    const started = performance.now();
    await client.query(sql, [from, to, options.levels]);
    return performance.now() - started;
  };
  const chunks = Math.ceil(options.movements / options.chunk);
  for (let k = 0; k < chunks; k++) {
    const from = k * options.chunk;
    const to = Math.min(options.movements, from + options.chunk) - 1;
    // Alternate which goes first, so that a drift of the machine's speed hits both alike.
    if (k % 2 === 0) {
      withTriggerMs += await timed(MOVEMENTS_SQL('inventory.stock_movement', false), from, to);
      withoutTriggerMs += await timed(MOVEMENTS_SQL('bench.stock_movement_plain', true), from, to);
    } else {
      withoutTriggerMs += await timed(MOVEMENTS_SQL('bench.stock_movement_plain', true), from, to);
      withTriggerMs += await timed(MOVEMENTS_SQL('inventory.stock_movement', false), from, to);
    }
    if ((k + 1) % 10 === 0 || k + 1 === chunks) {
      options.report(
        `[progress] ingest movements=${to + 1}/${options.movements} with_trigger=${(withTriggerMs / 1000).toFixed(1)}s without=${(withoutTriggerMs / 1000).toFixed(1)}s`,
      );
    }
  }
  // The two tables must hold the same movements, and the trigger must have made every level.
  const { rows } = await client.query(`SELECT (SELECT count(*) FROM inventory.stock_movement)::int AS ledger,
    (SELECT count(*) FROM bench.stock_movement_plain)::int AS plain, (SELECT count(*) FROM inventory.stock_level)::int AS levels`);
  const expected = { ledger: options.movements, plain: options.movements, levels: Math.min(options.levels, options.movements) };
  if (JSON.stringify(rows[0]) !== JSON.stringify(expected)) {
    throw new Error(`bench: ingest produced ${JSON.stringify(rows[0])}, expected ${JSON.stringify(expected)}`);
  }
  return {
    withTriggerMs,
    withoutTriggerMs,
    triggerUsPerMovement: ((withTriggerMs - withoutTriggerMs) * 1000) / options.movements,
    ratio: withTriggerMs / withoutTriggerMs,
  };
}

/** Times `fn` `times` times (after two untimed warm-up runs) and returns the durations in ms. */
async function repeat(times: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  await fn(0);
  await fn(1);
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn(i);
    durations.push(performance.now() - started);
  }
  return durations;
}

export type TermKind = 'code' | 'word' | 'phrase';

/**
 * Search terms, in lower case as users type them, a third of each kind: a product's code (1
 * match), a word (a noun: about products / 40 matches), a phrase (noun and size, several words:
 * about products / 640 matches).
 */
export function searchTerms(count: number, products: number): { term: string; kind: TermKind }[] {
  const terms: { term: string; kind: TermKind }[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + ((i * 104_729) % products);
    if (i % 3 === 0) terms.push({ kind: 'code', term: createHash('md5').update(String(n)).digest('hex').slice(0, 6) });
    else if (i % 3 === 1)
      terms.push({
        kind: 'phrase',
        term: `${NOUNS[Math.floor(n / 7) % NOUNS.length]} ${SIZES[Math.floor(n / 13) % SIZES.length]}`.toLowerCase(),
      });
    else terms.push({ kind: 'word', term: NOUNS[i % NOUNS.length]! });
  }
  return terms;
}

export async function benchInventory(options: InventoryBenchOptions): Promise<InventoryBenchResult> {
  if (options.products * WAREHOUSES < options.levels) throw new Error(`--products must be at least levels / ${WAREHOUSES}`);
  return onFreshDatabase(options.serverUrl, async (client) => {
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    await loadCatalog(client, options.products, options.report);
    const ingested = await ingest(client, options);
    await client.query('VACUUM ANALYZE inventory.stock_level');

    const refreshes = await repeat(3, () => refreshInventoryViews(client));
    options.report(`[progress] refresh_all_inventory_views median=${median(refreshes).toFixed(0)}ms`);

    const matview = await repeat(options.queries, () => valuationByWarehouse(client));
    const live = await repeat(options.queries, () =>
      client.query('SELECT warehouse_id, sum(total_value) AS total FROM inventory.stock_level WHERE qty_on_hand > 0 GROUP BY warehouse_id'),
    );
    options.report(
      `[progress] valuation matview p95=${percentile(matview, 95).toFixed(2)}ms live p95=${percentile(live, 95).toFixed(1)}ms`,
    );

    const terms = searchTerms(options.queries, options.products);
    const searches = await repeat(terms.length, (i) => searchProducts(client, terms[i % terms.length]!.term));
    const byKind = (kind: TermKind) =>
      percentile(
        searches.filter((_, i) => terms[i]!.kind === kind),
        95,
      );
    const p95MsByKind = { code: byKind('code'), word: byKind('word'), phrase: byKind('phrase') };
    options.report(
      `[progress] search p95=${percentile(searches, 95).toFixed(2)}ms over ${terms.length} terms (code ${p95MsByKind.code.toFixed(2)}, word ${p95MsByKind.word.toFixed(2)}, phrase ${p95MsByKind.phrase.toFixed(2)})`,
    );

    return {
      movements: options.movements,
      levels: options.levels,
      products: options.products,
      ingest: ingested,
      valuation: {
        matviewP50Ms: percentile(matview, 50),
        matviewP95Ms: percentile(matview, 95),
        liveP50Ms: percentile(live, 50),
        liveP95Ms: percentile(live, 95),
      },
      search: { p50Ms: percentile(searches, 50), p95Ms: percentile(searches, 95), terms: terms.length, p95MsByKind },
      refreshAllMs: median(refreshes),
    };
  });
}
