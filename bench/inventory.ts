/**
 * `npm run bench:inventory`: the inventory schema under production-sized data, on a fresh
 * database with every migration of this repository deployed, the data loaded by the superuser for
 * one client (core.client), as an operator's import would.
 *
 * - Ledger ingest: the same movements go into inventory.stock_movement (with its trigger) and
 *   into an identical table without triggers, chunk by chunk, alternating which goes first; the
 *   difference per movement is what the trigger costs (seed 000 accepts about 1 ms).
 * - Valuation by warehouse from mv_inventory_valuation (through valuation_by_warehouse()) over
 *   `levels` stock levels, against the seed's live aggregation of the levels (seed: under 50 ms
 *   for 10,000 records).
 * - Substring product search (searchProducts) over `products` products: p50/p95 over a mix of
 *   codes, words and phrases, and p95 of each (seed: under 10 ms, for a word).
 * - refresh_all_inventory_views(): the three views refreshed CONCURRENTLY, by the superuser (the
 *   operator's).
 * - What row-level security costs: both valuations, search, a stock level lookup (stockLevel) and
 *   posting a movement (postMovement), each as `supply_ledger_app` working for the client (row-level
 *   security on, as an application) and as the superuser working for it (bypassed), alternating.
 *   The valuation and search figures above are the application role's.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { searchProducts } from '../src/catalog/search.ts';
import { postMovement, stockLevel } from '../src/inventory/ledger.ts';
import { refreshInventoryViews, valuationByWarehouse } from '../src/inventory/views.ts';
import { deploy } from '../src/migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import {
  type RlsOverhead,
  loadAsClient,
  median,
  onFreshDatabase,
  percentile,
  rlsOverhead,
  rlsOverheadLine,
  rolePools,
  timeAsBoth,
} from './support.ts';

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
  /** The application role against the superuser, on the same queries. */
  rls: { valuation: RlsOverhead; liveValuation: RlsOverhead; search: RlsOverhead; stockLevel: RlsOverhead; postMovement: RlsOverhead };
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
  // Identical columns, defaults, checks, indexes and (composite, client_id first) foreign keys; no trigger.
  await client.query(`CREATE SCHEMA bench;
    CREATE TABLE bench.stock_movement_plain (LIKE inventory.stock_movement INCLUDING ALL);
    ALTER TABLE bench.stock_movement_plain
      ADD FOREIGN KEY (client_id) REFERENCES core.client (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      ADD FOREIGN KEY (client_id, product_id) REFERENCES catalog.product (client_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      ADD FOREIGN KEY (client_id, warehouse_id) REFERENCES catalog.warehouse (client_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      ADD FOREIGN KEY (client_id, reverses_movement_id) REFERENCES bench.stock_movement_plain (client_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      ADD FOREIGN KEY (client_id, returns_movement_id) REFERENCES bench.stock_movement_plain (client_id, id) ON DELETE RESTRICT ON UPDATE RESTRICT`);
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

/** Level `level` of the workload's: product 1 + level / WAREHOUSES in warehouse 1 + level mod WAREHOUSES. */
function levelOf(level: number): { productId: number; warehouseId: number } {
  return { productId: 1 + Math.floor(level / WAREHOUSES), warehouseId: 1 + (level % WAREHOUSES) };
}

export async function benchInventory(options: InventoryBenchOptions): Promise<InventoryBenchResult> {
  if (options.products * WAREHOUSES < options.levels) throw new Error(`--products must be at least levels / ${WAREHOUSES}`);
  return onFreshDatabase(options.serverUrl, async (client, url) => {
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    const clientId = await loadAsClient(client);
    await loadCatalog(client, options.products, options.report);
    const ingested = await ingest(client, options);
    await client.query('VACUUM ANALYZE inventory.stock_level');

    const refreshes = await repeat(3, () => refreshInventoryViews(client));
    options.report(`[progress] refresh_all_inventory_views median=${median(refreshes).toFixed(0)}ms`);

    const dbs = rolePools(url, clientId);
    try {
      const matview = await timeAsBoth(options.queries, dbs, (db) => valuationByWarehouse(db), sameAnswer('valuation'));
      const live = await timeAsBoth(
        options.queries,
        dbs,
        async (db) => {
          const { rows } = await db.query(
            'SELECT warehouse_id, sum(total_value) AS total FROM inventory.stock_level WHERE qty_on_hand > 0 GROUP BY warehouse_id ORDER BY 1',
          );
          return rows;
        },
        sameAnswer('live valuation'),
      );
      options.report(
        `[progress] valuation matview p95=${percentile(matview.app, 95).toFixed(2)}ms live p95=${percentile(live.app, 95).toFixed(1)}ms`,
      );

      const terms = searchTerms(options.queries, options.products);
      const searches = await timeAsBoth(
        terms.length,
        dbs,
        (db, i) => searchProducts(db, terms[i]!.term),
        // Past `candidates` matches, each orders the first it meets, which its plan decides; short of them, the same names.
        (app, superuser, i) => {
          const names = (search: typeof app) => JSON.stringify([search.more, search.more ? [] : search.products.map((p) => p.name)]);
          if (names(app) !== names(superuser))
            throw new Error(`bench: the search for '${terms[i]!.term}' found other products as the application role than as the superuser`);
        },
      );
      const byKind = (kind: TermKind) =>
        percentile(
          searches.app.filter((_, i) => terms[i]!.kind === kind),
          95,
        );
      const p95MsByKind = { code: byKind('code'), word: byKind('word'), phrase: byKind('phrase') };
      options.report(
        `[progress] search p95=${percentile(searches.app, 95).toFixed(2)}ms over ${terms.length} terms (code ${p95MsByKind.code.toFixed(2)}, word ${p95MsByKind.word.toFixed(2)}, phrase ${p95MsByKind.phrase.toFixed(2)})`,
      );

      const levels = Math.min(options.levels, options.movements);
      const lookups = await timeAsBoth(
        options.queries,
        dbs,
        (db, i) => {
          const { productId, warehouseId } = levelOf((i * 7919) % levels);
          return stockLevel(db, productId, warehouseId);
        },
        sameAnswer('stock level'),
      );
      const posts = await timeAsBoth(options.queries, dbs, (db, i) =>
        postMovement(db, { type: 'RECEIPT', ...levelOf((i * 104_729) % levels), quantity: 1, unitCost: `${1 + (i % 50)}.25` }),
      );

      const rls = {
        valuation: rlsOverhead(matview),
        liveValuation: rlsOverhead(live),
        search: rlsOverhead(searches),
        stockLevel: rlsOverhead(lookups),
        postMovement: rlsOverhead(posts),
      };
      for (const [query, overhead] of Object.entries(rls)) options.report(rlsOverheadLine(query, overhead));

      return {
        movements: options.movements,
        levels: options.levels,
        products: options.products,
        ingest: ingested,
        valuation: {
          matviewP50Ms: percentile(matview.app, 50),
          matviewP95Ms: percentile(matview.app, 95),
          liveP50Ms: percentile(live.app, 50),
          liveP95Ms: percentile(live.app, 95),
        },
        search: { p50Ms: percentile(searches.app, 50), p95Ms: percentile(searches.app, 95), terms: terms.length, p95MsByKind },
        refreshAllMs: median(refreshes),
        rls,
      };
    } finally {
      await Promise.all([dbs.app.end(), dbs.superuser.end()]);
    }
  });
}

/** Throws unless the application role and the superuser, both working for the client, got the same answer. */
function sameAnswer(what: string) {
  return (app: unknown, superuser: unknown, i: number) => {
    if (JSON.stringify(app) !== JSON.stringify(superuser))
      throw new Error(
        `bench: ${what} #${i} differs as the application role (${JSON.stringify(app)}) and as the superuser (${JSON.stringify(superuser)})`,
      );
  };
}
