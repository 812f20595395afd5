/**
 * `npm run bench:trace`: lot traceability at production size, on a fresh database with every
 * migration of this repository deployed. The SQL functions (trace_forward, trace_backward,
 * report_recall: add_trace_functions) against the peer to beat, the walk Odoo's and ERPNext's
 * traceability reports do: one query per node visited, from the application.
 *
 * The genealogy is a bakery's, in time order, one batch every SLOT:
 * - One recipe of RECIPE.length ingredients. Each ingredient's lots (of equal size) are used
 *   first in, first out: a batch takes its share from the lot in use and, when that runs out
 *   mid-batch, from the next one too. So every batch has RECIPE.length or a few more lot inputs
 *   (fan-in, about 7.7 at the default sizes) and every lot goes into the consecutive batches of
 *   its time in use (about 11.5). The ingredients' lots run out at staggered points, not together.
 *   The first lot of each ingredient was partly used before the period (that use is not on
 *   record, so it stays IN_USE), the last one is not used up yet. Lot ids interleave the
 *   ingredients (id - 1 = lot number * RECIPE.length + ingredient), so a lot's place follows
 *   from its id alone.
 * - Rework: 2 batches in 5 also take REWORK_QUANTITY of one batch produced among the
 *   REWORK_WINDOW before it (pseudo-random), so rework chains several batches deep exist.
 * - Pallets: BATCHES_PER_PALLET batches to a pallet, each with what rework left of it; the
 *   latest 1 % of the batches are not palletised yet, the newest tenth of the pallets is STORED
 *   and the rest SHIPPED. One production run per RUN_SIZE batches, in WAREHOUSES warehouses.
 * At the defaults (400,000 lots, 600,000 batches): 297,000 pallets, 4,599,992 lot-to-batch,
 * 239,999 rework and 594,000 batch-to-pallet edges (4,839,991 consumption edges, 5,433,991 in
 * all); rework chains reach about 12 batches at a tenth of that size.
 * Quantities are exact decimals (whole ten-thousandths of a kg, kept as bigint while computed):
 * no lot gives more than it received, no batch more than it produced (the CHECK constraints hold
 * the counters to that when they are set).
 *
 * The load measures nothing, so it takes the shortest path: INSERT ... SELECT over
 * generate_series in chunks with session_replication_role = replica, which turns off the
 * consumption, pallet, audit and updated_at triggers and the foreign key checks (so it needs a
 * superuser, as the embedded server's is). The usage counters are then set from the edges with
 * set-based UPDATEs, and the checks of the load stand in for the foreign keys and the triggers:
 * ids run from 1, codes match ids, inputs are used between receipt (or production) and expiry,
 * and every edge count is the one the plan computes on its own.
 *
 * Measured over `queries` pseudo-random starting points (seeded), after two warm-up runs, the
 * SQL function and the peer on the same start, alternating which goes first:
 * - forward trace of a lot: trace_forward('LOT', id) against the per-hop walk,
 * - backward trace of a batch: trace_backward('BATCH', id) against the per-hop walk,
 * - recall report of a lot's TLC: report_recall(tlc) against finding the lot by TLC and walking
 *   forward per hop (each hop's query fetches what the report shows: status, warehouse, on hand).
 * The peer walks breadth-first with a visited set, one query per node for its next hop (a
 * prepared statement each: its best case), skipping the nodes no table records a next hop for
 * (pallets forward until shipments exist, lots backward: their source is on the lot). Every run
 * of both is compared: the same nodes at the same least depth, or the bench throws. The SQL
 * functions also prorate quantities over every path, which the peer does not: the comparison
 * favours the peer. The SQL side is sent as src/traceability/trace.ts sends it (unnamed): the
 * entry points are PL/pgSQL that keep one generic plan per session, so a call runs the walk
 * without planning it again.
 *
 * The genealogy belongs to one client (core.client), loaded by the superuser working for it; both
 * sides of the comparison run as `supply_ledger_app` working for that client, as an application
 * does, under row-level security. What row-level security costs is measured first, on two fresh
 * connections and other seeded starts: each SQL function as the application role against the
 * superuser working for the same client (row-level security bypassed), alternating which goes
 * first, both reaching the same nodes from every start.
 */
import type pg from 'pg';
import { deploy } from '../src/migrate/deploy.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';
import { seededRandom } from './random.ts';
import {
  type RlsOverhead,
  loadAsClient,
  onFreshDatabase,
  percentile,
  rlsOverhead,
  rlsOverheadLine,
  rolePools,
  timeAsBoth,
} from './support.ts';

export interface TraceBenchOptions {
  /** A URL on the server to benchmark on; a database is created and dropped there. */
  serverUrl: string;
  /** Ingredient lots in the genealogy (see {@link genealogySizeProblem}). */
  lots: number;
  batches: number;
  /** Random starting points per measure. */
  queries: number;
  report: (line: string) => void;
}

export interface Genealogy {
  lots: number;
  batches: number;
  pallets: number;
  productionRuns: number;
  /** batch_ingredient rows with an ingredient lot. */
  lotEdges: number;
  /** batch_ingredient rows with an input batch. */
  reworkEdges: number;
  /** pallet_content rows. */
  palletEdges: number;
}

export interface Comparison {
  sqlP50Ms: number;
  sqlP95Ms: number;
  peerP50Ms: number;
  peerP95Ms: number;
  /** Median nodes a walk reached, start included. */
  nodesP50: number;
  nodesMax: number;
  /** Median queries the peer sent per walk. */
  peerQueriesP50: number;
  /** Starts from which both found the same nodes at the same least depths: all of them, or the bench throws. */
  agreed: number;
}

export interface TraceBenchResult {
  genealogy: Genealogy & {
    edges: number;
    /** Batches by the length of the rework chain behind them (index 0: no rework input). */
    reworkDepths: number[];
    loadMs: number;
  };
  queries: number;
  forward: Comparison;
  backward: Comparison;
  recall: Comparison;
  /** Each SQL function as the application role against the superuser, from the same starts. */
  rls: { forward: RlsOverhead; backward: RlsOverhead; recall: RlsOverhead };
}

/** The recipe: what one batch (about 1,000 loaves) uses of each ingredient, in kg. */
const RECIPE = [
  { name: 'Wheat flour T55', type: 'FLOUR', kgPerBatch: 300, isFtlFood: false },
  { name: 'Caster sugar', type: 'SUGAR', kgPerBatch: 15, isFtlFood: false },
  { name: 'Butter', type: 'FAT', kgPerBatch: 20, isFtlFood: false },
  { name: 'Shell eggs', type: 'EGG', kgPerBatch: 25, isFtlFood: true },
  { name: 'Fresh yeast', type: 'LEAVENING', kgPerBatch: 6, isFtlFood: false },
  { name: 'Sea salt', type: 'SALT', kgPerBatch: 5.5, isFtlFood: false },
  { name: 'Bread bag film', type: 'PACKAGING', kgPerBatch: 12.5, isFtlFood: false },
] as const;
const SUPPLIERS = 4;
const WAREHOUSES = 3;
const RUN_SIZE = 10;
const BATCHES_PER_PALLET = 2;
const REWORK_WINDOW = 40;
/** Units a reworked batch gives; REWORK_WINDOW takers at most stay below the smallest batch (950). */
const REWORK_QUANTITY = 20;
const PERIOD_START = `'2024-01-01T06:00:00Z'::timestamptz`;
const SLOT = `interval '3 minutes'`;
/** Ingredients arrive this long before they are first used. */
const LEAD_TIME = `interval '2 days'`;
const LOT_SHELF_DAYS = 30;
const BATCH_SHELF_DAYS = 14;
/** The trace functions' depth cap (report_recall's too), which the peer keeps as well. */
const MAX_DEPTH = 50;
const ROWS_PER_INSERT = 100_000;
const BATCHES_PER_EDGE_INSERT = 25_000;
const SEED = 20261121;

/** numeric(18,4): quantities are computed in whole ten-thousandths, exactly. */
const UNITS_PER_KG = 10_000;

interface IngredientPlan {
  lots: number;
  /** In units (ten-thousandths of a kg). */
  perBatch: bigint;
  lotSize: bigint;
  /** How much of the first lot was used before the period. */
  phase: bigint;
}

/** Why the bench cannot build a genealogy of this size, or undefined when it can. */
export function genealogySizeProblem(lots: number, batches: number): string | undefined {
  if (lots < 2 * RECIPE.length)
    return `--lots must be at least ${2 * RECIPE.length} (two lots of each of the recipe's ${RECIPE.length} ingredients)`;
  if (lots > batches) return '--lots must be at most --batches (a lot lasts at least one batch)';
  return undefined;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function ingredientPlans(lots: number, batches: number): IngredientPlan[] {
  return RECIPE.map((ingredient, i) => {
    const lotCount = Math.floor((lots - 1 - i) / RECIPE.length) + 1;
    const perBatch = BigInt(Math.round(ingredient.kgPerBatch * UNITS_PER_KG));
    // One lot more than the period needs absorbs the phase, which staggers the ingredients' lot changes.
    const lotSize = ceilDiv(perBatch * BigInt(batches), BigInt(lotCount - 1));
    return { lots: lotCount, perBatch, lotSize, phase: (lotSize * BigInt(2 * i + 1)) / BigInt(2 * RECIPE.length) };
  });
}

function isRework(batch: number): boolean {
  return batch > 1 && (batch % 5 === 1 || batch % 5 === 3);
}

function palletisedBatches(batches: number): number {
  return batches - Math.floor(batches / 100);
}

/**
 * What the load must produce, counted lot by lot (the load generates the lot edges batch by
 * batch, so a mistake in either shows).
 */
export function plannedGenealogy(lots: number, batches: number): Genealogy {
  let lotEdges = 0;
  for (const { lots: lotCount, perBatch, lotSize, phase } of ingredientPlans(lots, batches)) {
    const consumedTo = phase + perBatch * BigInt(batches);
    for (let j = 0n; j < BigInt(lotCount); j++) {
      const from = j * lotSize > phase ? j * lotSize : phase;
      const to = (j + 1n) * lotSize < consumedTo ? (j + 1n) * lotSize : consumedTo;
      if (to > from) lotEdges += Number(ceilDiv(to - phase, perBatch) - (from - phase) / perBatch);
    }
  }
  let reworkEdges = 0;
  for (let batch = 1; batch <= batches; batch++) if (isRework(batch)) reworkEdges++;
  const palletised = palletisedBatches(batches);
  return {
    lots,
    batches,
    pallets: Math.ceil(palletised / BATCHES_PER_PALLET),
    productionRuns: Math.ceil(batches / RUN_SIZE),
    lotEdges,
    reworkEdges,
    palletEdges: palletised,
  };
}

/** Arrays of the ingredients' numbers for SQL, in units, as text (pg sends no bigint). */
function planArrays(plans: IngredientPlan[]): [string[], string[], string[]] {
  return [plans.map((p) => String(p.perBatch)), plans.map((p) => String(p.lotSize)), plans.map((p) => String(p.phase))];
}

async function loadMasterData(client: pg.Client): Promise<void> {
  await client.query(
    `INSERT INTO catalog.supplier (code, name) SELECT 'SUP-' || s, 'Supplier ' || s FROM generate_series(1, ${SUPPLIERS}) AS s`,
  );
  await client.query(
    `INSERT INTO catalog.warehouse (code, name) SELECT 'WH-' || w, 'Warehouse ' || w FROM generate_series(1, ${WAREHOUSES}) AS w`,
  );
  await client.query(
    `INSERT INTO traceability.ingredient (name, type, unit_of_measure, is_ftl_food)
     SELECT name, type::traceability.ingredient_type, 'kg', is_ftl_food
       FROM unnest($1::text[], $2::text[], $3::boolean[]) WITH ORDINALITY AS i(name, type, is_ftl_food, ordinal) ORDER BY ordinal`,
    [RECIPE.map((r) => r.name), RECIPE.map((r) => r.type), RECIPE.map((r) => r.isFtlFood)],
  );
  await client.query(
    `INSERT INTO traceability.recipe (name, created_by, yield_quantity, unit_of_measure) VALUES ('White loaf', 'bench', 1000, 'units')`,
  );
  await client.query(
    `INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure)
     SELECT 1, ordinal, kg / 1000, 'kg' FROM unnest($1::numeric[]) WITH ORDINALITY AS i(kg, ordinal)`,
    [RECIPE.map((r) => String(r.kgPerBatch))],
  );
}

/** Lots $1..$2; $3-$5 the ingredients' per batch, lot size and phase, $6 the batches. */
const LOTS_SQL = `
  WITH lot AS (
    SELECT n, (n - 1) % ${RECIPE.length} AS i, (n - 1) / ${RECIPE.length} AS j, p.per_batch, p.lot_size, p.phase
      FROM generate_series($1::bigint, $2::bigint) AS n
      JOIN unnest($3::bigint[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS p(per_batch, lot_size, phase, ordinal)
        ON p.ordinal = (n - 1) % ${RECIPE.length} + 1
  ), span AS (
    SELECT lot.*, greatest(j * lot_size, phase) AS used_from, least((j + 1) * lot_size, phase + $6::bigint * per_batch) AS used_to FROM lot
  ), used AS (
    SELECT span.*, least((used_from - phase) / per_batch + 1, $6::bigint) AS first_batch FROM span
  )
  INSERT INTO traceability.ingredient_lot (ingredient_id, supplier_id, warehouse_id, supplier_lot_code, tlc, received_quantity, unit_of_measure,
         received_at, expiry_date, quality_status, reference_document_type, reference_document_number)
  SELECT i + 1, 1 + (i + j) % ${SUPPLIERS}, 1 + j % ${WAREHOUSES}, 'SL-' || n, 'LOT-' || n, lot_size * ${1 / UNITS_PER_KG}, 'kg',
         ${PERIOD_START} + (first_batch - 1) * ${SLOT} - ${LEAD_TIME},
         ((${PERIOD_START} + greatest((used_to - phase + per_batch - 1) / per_batch, first_batch) * ${SLOT}) AT TIME ZONE 'UTC')::date + ${LOT_SHELF_DAYS},
         'PASSED', 'BILL_OF_LADING', 'BOL-' || n
    FROM used
   ORDER BY n`;

const RUNS_SQL = `
  INSERT INTO traceability.production_run (recipe_id, warehouse_id, status, actual_start_time, actual_end_time)
  SELECT 1, 1 + (r - 1) % ${WAREHOUSES}, 'COMPLETED', ${PERIOD_START} + (r - 1) * ${RUN_SIZE} * ${SLOT},
         ${PERIOD_START} + least(r * ${RUN_SIZE}, $1::bigint) * ${SLOT}
    FROM generate_series(1, ceil($1::numeric / ${RUN_SIZE})::bigint) AS r
   ORDER BY r`;

/** Batches $1..$2: batch b is produced at the end of slot b. */
const BATCHES_SQL = `
  INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, actual_quantity, status, quality_status,
         produced_at, expiry_date, created_at)
  SELECT (b - 1) / ${RUN_SIZE} + 1, 'B-' || b, 'TLC-B' || b, 1000, 950 + (b * 7919) % 100, 'COMPLETED', 'PASSED',
         produced_at, (produced_at AT TIME ZONE 'UTC')::date + ${BATCH_SHELF_DAYS}, produced_at - ${SLOT}
    FROM generate_series($1::bigint, $2::bigint) AS b, LATERAL (SELECT ${PERIOD_START} + b * ${SLOT} AS produced_at) AS t
   ORDER BY b`;

/**
 * What batches $1..$2 consumed, at their start: the overlap of each ingredient's share with every
 * lot it falls in ($3-$5 as in LOTS_SQL), and the rework. The rework input's offset is the high
 * half of a multiplicative hash (the low bits of one cycle with short periods).
 */
const EDGES_SQL = `
  INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, input_batch_id, quantity_used, unit_of_measure, consumed_at, created_at)
  SELECT b, lot_id, input_batch_id, quantity, unit_of_measure, started_at, started_at
    FROM generate_series($1::bigint, $2::bigint) AS b
   CROSS JOIN LATERAL (SELECT ${PERIOD_START} + (b - 1) * ${SLOT} AS started_at) AS t
   CROSS JOIN LATERAL (
     SELECT j * ${RECIPE.length} + p.ordinal AS lot_id, NULL::bigint AS input_batch_id,
            (least(p.phase + b * p.per_batch, (j + 1) * p.lot_size) - greatest(p.phase + (b - 1) * p.per_batch, j * p.lot_size)) * ${1 / UNITS_PER_KG} AS quantity,
            'kg' AS unit_of_measure
       FROM unnest($3::bigint[], $4::bigint[], $5::bigint[]) WITH ORDINALITY AS p(per_batch, lot_size, phase, ordinal)
      CROSS JOIN LATERAL generate_series((p.phase + (b - 1) * p.per_batch) / p.lot_size,
                                         (p.phase + b * p.per_batch + p.lot_size - 1) / p.lot_size - 1) AS j
     UNION ALL
     SELECT NULL, b - 1 - (b * 2654435761 % 4294967296 / 65536) % least(${REWORK_WINDOW}, b - 1), ${REWORK_QUANTITY}, 'units'
      WHERE b > 1 AND b % 5 IN (1, 3)
   ) AS input
   ORDER BY b, lot_id`;

/** Pallet p holds batches BATCHES_PER_PALLET * (p - 1) + 1 onwards; $1 the palletised batches, $2 the pallets. */
const PALLETS_SQL = `
  INSERT INTO traceability.pallet (production_run_id, pallet_number, warehouse_id, status, created_at)
  SELECT r.id, 'PAL-' || p, r.warehouse_id,
         CASE WHEN p <= $2::bigint * 9 / 10 THEN 'SHIPPED' ELSE 'STORED' END::traceability.pallet_status,
         ${PERIOD_START} + least(p * ${BATCHES_PER_PALLET}, $1::bigint) * ${SLOT}
    FROM generate_series(1, $2::bigint) AS p
    JOIN traceability.production_run r ON r.id = (p - 1) * ${BATCHES_PER_PALLET} / ${RUN_SIZE} + 1
   ORDER BY p`;

/** Batches $1..$2 onto their pallets with what rework left of them (every rework edge is loaded by now). */
const PALLET_CONTENT_SQL = `
  INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity, created_at)
  SELECT (b.id - 1) / ${BATCHES_PER_PALLET} + 1, b.id, b.actual_quantity - coalesce(r.reworked, 0), b.produced_at
    FROM traceability.batch b
    LEFT JOIN (SELECT input_batch_id, sum(quantity_used) AS reworked FROM traceability.batch_ingredient
                WHERE input_batch_id BETWEEN $1 AND $2 GROUP BY input_batch_id) AS r ON r.input_batch_id = b.id
   WHERE b.id BETWEEN $1 AND $2
   ORDER BY b.id`;

/** The usage counters, as the consumption and pallet triggers would have kept them. */
const COUNTERS_SQL = [
  `UPDATE traceability.ingredient_lot l
      SET consumed_quantity = u.used,
          status = CASE WHEN u.used >= l.received_quantity THEN 'DEPLETED' ELSE 'IN_USE' END::traceability.lot_status
     FROM (SELECT ingredient_lot_id, sum(quantity_used) AS used FROM traceability.batch_ingredient
            WHERE ingredient_lot_id IS NOT NULL GROUP BY ingredient_lot_id) AS u
    WHERE l.id = u.ingredient_lot_id`,
  `UPDATE traceability.batch b
      SET consumed_quantity = coalesce(u.reworked, 0), palletised_quantity = coalesce(u.palletised, 0)
     FROM (SELECT coalesce(r.id, p.id) AS id, r.reworked, p.palletised
             FROM (SELECT input_batch_id AS id, sum(quantity_used) AS reworked FROM traceability.batch_ingredient
                    WHERE input_batch_id IS NOT NULL GROUP BY input_batch_id) AS r
             FULL JOIN (SELECT batch_id AS id, sum(quantity) AS palletised FROM traceability.pallet_content GROUP BY batch_id) AS p
               ON p.id = r.id) AS u
    WHERE b.id = u.id`,
];

/**
 * What was loaded. With the foreign keys off, contiguous ids from 1 and edge ends within them
 * stand in for the foreign key checks; codes made from the ids show the ids follow the plan. With
 * the consumption trigger off, its time rules are checked here (its quantity rules are CHECK
 * constraints, which held when the counters were set).
 */
const LOADED_SQL = `
  SELECT (SELECT count(*) FROM catalog.supplier)::int AS suppliers, (SELECT max(id) FROM catalog.supplier)::int AS last_supplier,
         (SELECT count(*) FROM catalog.warehouse)::int AS warehouses, (SELECT max(id) FROM catalog.warehouse)::int AS last_warehouse,
         (SELECT count(*) FROM traceability.ingredient)::int AS ingredients, (SELECT max(id) FROM traceability.ingredient)::int AS last_ingredient,
         (SELECT max(id) FROM traceability.recipe)::int AS last_recipe,
         (SELECT count(*) FILTER (WHERE min_id = 1 AND max_id = row_count) FROM (
            SELECT min(id) AS min_id, max(id) AS max_id, count(*) AS row_count FROM traceability.ingredient_lot
            UNION ALL SELECT min(id), max(id), count(*) FROM traceability.batch
            UNION ALL SELECT min(id), max(id), count(*) FROM traceability.pallet
            UNION ALL SELECT min(id), max(id), count(*) FROM traceability.production_run) AS t)::int AS contiguous,
         (SELECT count(*) FROM traceability.ingredient_lot)::int AS lots,
         (SELECT count(*) FROM traceability.ingredient_lot WHERE tlc <> 'LOT-' || id)::int AS lot_codes_off,
         (SELECT count(*) FROM traceability.batch)::int AS batches,
         (SELECT count(*) FROM traceability.batch WHERE batch_number <> 'B-' || id)::int AS batch_codes_off,
         (SELECT count(*) FROM traceability.pallet)::int AS pallets,
         (SELECT count(*) FROM traceability.production_run)::int AS runs,
         (SELECT count(*) FROM traceability.batch_ingredient WHERE ingredient_lot_id IS NOT NULL)::int AS lot_edges,
         (SELECT count(*) FROM traceability.batch_ingredient WHERE input_batch_id IS NOT NULL)::int AS rework_edges,
         (SELECT count(*) FROM traceability.pallet_content)::int AS pallet_edges,
         (SELECT min(least(batch_id, input_batch_id, ingredient_lot_id)) >= 1
             AND max(greatest(batch_id, input_batch_id)) <= (SELECT count(*) FROM traceability.batch)
             AND max(ingredient_lot_id) <= (SELECT count(*) FROM traceability.ingredient_lot) FROM traceability.batch_ingredient) AS edges_in_range,
         (SELECT min(least(batch_id, pallet_id)) >= 1 AND max(batch_id) <= (SELECT count(*) FROM traceability.batch)
             AND max(pallet_id) <= (SELECT count(*) FROM traceability.pallet) FROM traceability.pallet_content) AS pallet_edges_in_range,
         (SELECT min(production_run_id) >= 1 AND max(production_run_id) <= (SELECT count(*) FROM traceability.production_run)
            FROM traceability.batch) AS runs_in_range,
         (SELECT count(*) FROM traceability.batch_ingredient bi
            JOIN traceability.ingredient_lot l ON l.id = bi.ingredient_lot_id
            JOIN traceability.batch b ON b.id = bi.batch_id
           WHERE bi.consumed_at < l.received_at OR (bi.consumed_at AT TIME ZONE 'UTC')::date > l.expiry_date
              OR bi.consumed_at > b.produced_at)::int AS lot_uses_out_of_time,
         (SELECT count(*) FROM traceability.batch_ingredient bi
            JOIN traceability.batch ib ON ib.id = bi.input_batch_id
            JOIN traceability.batch b ON b.id = bi.batch_id
           WHERE bi.consumed_at < ib.produced_at OR bi.consumed_at > b.produced_at)::int AS reworks_out_of_time`;

async function inChunks(
  total: number,
  size: number,
  fn: (first: number, last: number) => Promise<unknown>,
  progress: (last: number) => void,
) {
  for (let first = 1; first <= total; first += size) {
    const last = Math.min(total, first + size - 1);
    await fn(first, last);
    progress(last);
  }
}

/**
 * Loads the genealogy of `plannedGenealogy(lots, batches)` and checks it; returns what it holds.
 * `client` is a superuser's (the load turns triggers off) working for one client, on a database
 * whose traceability and catalog tables are still empty (ids run from 1).
 */
export async function loadGenealogy(
  client: pg.Client,
  options: Pick<TraceBenchOptions, 'lots' | 'batches' | 'report'>,
): Promise<Genealogy> {
  const { lots, batches, report } = options;
  const planned = plannedGenealogy(lots, batches);
  const arrays = planArrays(ingredientPlans(lots, batches));
  const seconds = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)}s`;
  const started = performance.now();
  await client.query('SET session_replication_role = replica');
  try {
    await loadMasterData(client);
    await inChunks(
      lots,
      ROWS_PER_INSERT,
      (first, last) => client.query(LOTS_SQL, [first, last, ...arrays, batches]),
      (last) => report(`[progress] genealogy lots=${last}/${lots} ${seconds(started)}`),
    );
    await client.query(RUNS_SQL, [batches]);
    await inChunks(
      batches,
      ROWS_PER_INSERT,
      (first, last) => client.query(BATCHES_SQL, [first, last]),
      (last) => report(`[progress] genealogy batches=${last}/${batches} ${seconds(started)}`),
    );
    await inChunks(
      batches,
      BATCHES_PER_EDGE_INSERT,
      (first, last) => client.query(EDGES_SQL, [first, last, ...arrays]),
      (last) => {
        if (last % (4 * BATCHES_PER_EDGE_INSERT) === 0 || last === batches)
          report(`[progress] genealogy inputs of batches=${last}/${batches} ${seconds(started)}`);
      },
    );
    await client.query(PALLETS_SQL, [planned.palletEdges, planned.pallets]);
    await inChunks(
      planned.palletEdges,
      ROWS_PER_INSERT,
      (first, last) => client.query(PALLET_CONTENT_SQL, [first, last]),
      (last) => report(`[progress] genealogy palletised batches=${last}/${planned.palletEdges} ${seconds(started)}`),
    );
    for (const sql of COUNTERS_SQL) await client.query(sql);
    report(`[progress] genealogy usage counters set ${seconds(started)}`);
  } finally {
    await client.query('RESET session_replication_role');
  }
  const { rows } = await client.query(LOADED_SQL);
  const loaded = rows[0];
  report(`[progress] genealogy checked ${seconds(started)}`);
  const expected = {
    suppliers: SUPPLIERS,
    last_supplier: SUPPLIERS,
    warehouses: WAREHOUSES,
    last_warehouse: WAREHOUSES,
    ingredients: RECIPE.length,
    last_ingredient: RECIPE.length,
    last_recipe: 1,
    contiguous: 4,
    lots,
    lot_codes_off: 0,
    batches,
    batch_codes_off: 0,
    pallets: planned.pallets,
    runs: planned.productionRuns,
    lot_edges: planned.lotEdges,
    rework_edges: planned.reworkEdges,
    pallet_edges: planned.palletEdges,
    edges_in_range: true,
    pallet_edges_in_range: true,
    runs_in_range: true,
    lot_uses_out_of_time: 0,
    reworks_out_of_time: 0,
  };
  if (JSON.stringify(loaded) !== JSON.stringify(expected)) {
    throw new Error(`bench: the genealogy loaded is ${JSON.stringify(loaded)}, expected ${JSON.stringify(expected)}`);
  }
  await client.query(`VACUUM ANALYZE catalog.supplier, catalog.warehouse, traceability.ingredient, traceability.recipe, traceability.production_run,
    traceability.ingredient_lot, traceability.batch, traceability.batch_ingredient, traceability.pallet, traceability.pallet_content`);
  report(`[progress] genealogy vacuumed and analysed ${seconds(started)}`);
  return planned;
}

/** Batches by the number of batch-to-batch hops behind them, from the rework edges loaded. */
async function reworkDepths(client: pg.Client, batches: number): Promise<number[]> {
  const { rows } = await client.query<{ batch: number; input: number }>(
    `SELECT batch_id::int AS batch, input_batch_id::int AS input FROM traceability.batch_ingredient WHERE input_batch_id IS NOT NULL ORDER BY batch_id`,
  );
  // An input batch is always older (lower id), so its depth is known when its taker comes.
  const depth = new Int32Array(batches + 1);
  for (const { batch, input } of rows) depth[batch] = Math.max(depth[batch]!, depth[input]! + 1);
  const histogram: number[] = [];
  for (let batch = 1; batch <= batches; batch++) histogram[depth[batch]!] = (histogram[depth[batch]!] ?? 0) + 1;
  return Array.from(histogram, (count) => count ?? 0);
}

type NodeKind = 'LOT' | 'BATCH' | 'PALLET';

/** A node a walk reached, at its least depth. */
interface Reached {
  kind: NodeKind;
  id: string;
  depth: number;
}

/** A query the peer prepares once and runs per node. */
interface Statement {
  name: string;
  text: string;
}

/** What a batch or pallet shows in a recall: what the forward hops fetch for each node they reach. */
const FORWARD_BATCH_COLUMNS = `'BATCH' AS kind, b.id::text AS id, b.batch_number AS code, b.quality_status::text AS quality_status, b.status::text AS status,
  bi.quantity_used::text AS quantity, w.code AS warehouse,
  (coalesce(b.actual_quantity, 0) - b.consumed_quantity - b.palletised_quantity)::text AS on_hand`;
const FORWARD_BATCH_JOINS = `JOIN traceability.batch b ON b.id = bi.batch_id
  JOIN traceability.production_run r ON r.id = b.production_run_id
  LEFT JOIN catalog.warehouse w ON w.id = r.warehouse_id`;

/** Per-hop queries of the peer, by the kind of node whose next hop they fetch. */
const FORWARD_HOPS: Partial<Record<NodeKind, Statement>> = {
  LOT: {
    name: 'bench_trace_lot_used_in',
    text: `SELECT ${FORWARD_BATCH_COLUMNS} FROM traceability.batch_ingredient bi ${FORWARD_BATCH_JOINS} WHERE bi.ingredient_lot_id = $1`,
  },
  BATCH: {
    name: 'bench_trace_batch_used_in',
    text: `SELECT ${FORWARD_BATCH_COLUMNS} FROM traceability.batch_ingredient bi ${FORWARD_BATCH_JOINS} WHERE bi.input_batch_id = $1
           UNION ALL
           SELECT 'PALLET', p.id::text, coalesce(p.sscc, p.pallet_number), NULL, p.status::text, pc.quantity::text, w.code,
                  (CASE WHEN p.status IN ('BUILDING', 'STORED')
                        THEN (SELECT sum(c.quantity) FROM traceability.pallet_content c WHERE c.pallet_id = p.id) ELSE 0 END)::text
             FROM traceability.pallet_content pc
             JOIN traceability.pallet p ON p.id = pc.pallet_id
             LEFT JOIN catalog.warehouse w ON w.id = p.warehouse_id
            WHERE pc.batch_id = $1`,
  },
};
const BACKWARD_HOPS: Partial<Record<NodeKind, Statement>> = {
  BATCH: {
    name: 'bench_trace_batch_inputs',
    text: `SELECT CASE WHEN bi.ingredient_lot_id IS NULL THEN 'BATCH' ELSE 'LOT' END AS kind,
                  coalesce(bi.ingredient_lot_id, bi.input_batch_id)::text AS id, coalesce(l.tlc, ib.batch_number) AS code,
                  coalesce(l.quality_status, ib.quality_status)::text AS quality_status, bi.quantity_used::text AS quantity, s.name AS supplier
             FROM traceability.batch_ingredient bi
             LEFT JOIN traceability.ingredient_lot l ON l.id = bi.ingredient_lot_id
             LEFT JOIN catalog.supplier s ON s.id = l.supplier_id
             LEFT JOIN traceability.batch ib ON ib.id = bi.input_batch_id
            WHERE bi.batch_id = $1`,
  },
};
/** How the peer reads its starting node: by id for a trace, by TLC for a recall. */
const LOT_COLUMNS = `'LOT' AS kind, id::text, tlc, quality_status::text, (received_quantity - consumed_quantity)::text AS on_hand`;
const LOT_BY_ID: Statement = {
  name: 'bench_trace_lot_by_id',
  text: `SELECT ${LOT_COLUMNS} FROM traceability.ingredient_lot WHERE id = $1`,
};
const LOT_BY_TLC: Statement = {
  name: 'bench_trace_lot_by_tlc',
  text: `SELECT ${LOT_COLUMNS} FROM traceability.ingredient_lot WHERE tlc = $1`,
};
const BATCH_BY_ID: Statement = {
  name: 'bench_trace_batch_by_id',
  text: `SELECT 'BATCH' AS kind, id::text, batch_number, quality_status::text FROM traceability.batch WHERE id = $1`,
};

/**
 * The peer: reads the start, then walks breadth-first, one query per node for its next hop, as
 * Odoo's and ERPNext's traceability reports do from Python; returns the nodes and the queries sent.
 */
async function walkPerHop(client: pg.ClientBase, start: Statement, value: string, hops: Partial<Record<NodeKind, Statement>>) {
  const { rows } = await client.query<{ kind: NodeKind; id: string }>({ ...start, values: [value] });
  let queries = 1;
  const reached = new Map<string, Reached>(rows.map((row) => [`${row.kind} ${row.id}`, { kind: row.kind, id: row.id, depth: 0 }]));
  let frontier = [...reached.values()];
  for (let depth = 1; depth <= MAX_DEPTH && frontier.length > 0; depth++) {
    const next: Reached[] = [];
    for (const node of frontier) {
      const hop = hops[node.kind];
      if (hop === undefined) continue;
      const children = await client.query<{ kind: NodeKind; id: string }>({ ...hop, values: [node.id] });
      queries++;
      for (const child of children.rows) {
        const key = `${child.kind} ${child.id}`;
        if (reached.has(key)) continue;
        const found = { kind: child.kind, id: child.id, depth };
        reached.set(key, found);
        next.push(found);
      }
    }
    frontier = next;
  }
  return { nodes: [...reached.values()], queries };
}

/** The rows of a trace function or the recall report, reduced to what the peer can be compared on. */
async function viaSql(client: pg.ClientBase, sql: string, values: unknown[]): Promise<Reached[]> {
  const { rows } = await client.query<{ depth: number; node_kind: NodeKind; node_id: string }>(sql, values);
  return rows.map((row) => ({ kind: row.node_kind, id: String(row.node_id), depth: row.depth }));
}

function sameNodes(a: Reached[], b: Reached[]): string | undefined {
  const keys = (nodes: Reached[]) => new Set(nodes.map((n) => `${n.kind} ${n.id} at depth ${n.depth}`));
  const [left, right] = [keys(a), keys(b)];
  const onlyLeft = [...left].find((key) => !right.has(key));
  const onlyRight = [...right].find((key) => !left.has(key));
  if (onlyLeft === undefined && onlyRight === undefined && left.size === right.size) return undefined;
  return `the SQL function reached ${left.size} nodes, the per-hop walk ${right.size}${onlyLeft ? `; only SQL: ${onlyLeft}` : ''}${onlyRight ? `; only per hop: ${onlyRight}` : ''}`;
}

async function timed<R>(fn: () => Promise<R>): Promise<[R, number]> {
  const began = performance.now();
  const result = await fn();
  return [result, performance.now() - began];
}

/**
 * Runs the SQL function and the peer from every start (the first two twice more, untimed, as a
 * warm-up), alternating which goes first so that a drift of the machine's speed or of the cache
 * hits both alike, and throws when they disagree on a start.
 */
async function compare<T>(
  label: string,
  starts: T[],
  sql: (start: T) => Promise<Reached[]>,
  peer: (start: T) => Promise<{ nodes: Reached[]; queries: number }>,
): Promise<Comparison> {
  const sqlMs: number[] = [];
  const peerMs: number[] = [];
  const nodes: number[] = [];
  const queries: number[] = [];
  const warmUps = starts.slice(0, 2);
  for (const [run, start] of [...warmUps, ...starts].entries()) {
    let viaFunction: [Reached[], number];
    let perHop: [{ nodes: Reached[]; queries: number }, number];
    if (run % 2 === 0) {
      viaFunction = await timed(() => sql(start));
      perHop = await timed(() => peer(start));
    } else {
      perHop = await timed(() => peer(start));
      viaFunction = await timed(() => sql(start));
    }
    const difference = sameNodes(viaFunction[0], perHop[0].nodes);
    if (difference !== undefined) throw new Error(`bench: ${label} from ${JSON.stringify(start)}: ${difference}`);
    if (run < warmUps.length) continue;
    sqlMs.push(viaFunction[1]);
    peerMs.push(perHop[1]);
    nodes.push(viaFunction[0].length);
    queries.push(perHop[0].queries);
  }
  return {
    sqlP50Ms: percentile(sqlMs, 50),
    sqlP95Ms: percentile(sqlMs, 95),
    peerP50Ms: percentile(peerMs, 50),
    peerP95Ms: percentile(peerMs, 95),
    nodesP50: percentile(nodes, 50),
    nodesMax: Math.max(...nodes),
    peerQueriesP50: percentile(queries, 50),
    agreed: sqlMs.length,
  };
}

const FORWARD_SQL = 'SELECT * FROM traceability.trace_forward($1, $2, $3)';
const BACKWARD_SQL = 'SELECT * FROM traceability.trace_backward($1, $2, $3)';
const RECALL_SQL = 'SELECT * FROM traceability.report_recall($1)';

/** Each SQL function as the application role and as the superuser, `queries` starts each (see the header). */
async function rlsOverheads(
  dbs: { app: pg.ClientBase; superuser: pg.ClientBase },
  options: TraceBenchOptions,
): Promise<TraceBenchResult['rls']> {
  const random = seededRandom(SEED + 1);
  const pick = (count: number) => Array.from({ length: options.queries }, () => String(1 + Math.floor(random() * count)));
  const measure = async (label: string, starts: string[], sql: string, values: (start: string) => unknown[]) => {
    const overhead = rlsOverhead(
      await timeAsBoth(
        starts.length,
        dbs,
        (db, i) => viaSql(db, sql, values(starts[i]!)),
        (app, superuser, i) => {
          const difference = sameNodes(app, superuser);
          if (difference !== undefined)
            throw new Error(`bench: ${label} from ${starts[i]} as the application role and as the superuser: ${difference}`);
        },
      ),
    );
    options.report(rlsOverheadLine(label, overhead));
    return overhead;
  };
  return {
    forward: await measure('trace_forward', pick(options.lots), FORWARD_SQL, (id) => ['LOT', id, MAX_DEPTH]),
    backward: await measure('trace_backward', pick(options.batches), BACKWARD_SQL, (id) => ['BATCH', id, MAX_DEPTH]),
    // The load checked that every lot's TLC is LOT-<id>.
    recall: await measure('report_recall', pick(options.lots), RECALL_SQL, (id) => [`LOT-${id}`]),
  };
}

/** Loads the genealogy on a fresh database, then times each trace against its per-hop peer (see the header). */
export async function benchTrace(options: TraceBenchOptions): Promise<TraceBenchResult> {
  const problem = genealogySizeProblem(options.lots, options.batches);
  if (problem !== undefined) throw new Error(problem);
  return onFreshDatabase(options.serverUrl, async (client, url) => {
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    const clientId = await loadAsClient(client);
    const started = performance.now();
    const genealogy = await loadGenealogy(client, options);
    const loadMs = performance.now() - started;
    const depths = await reworkDepths(client, options.batches);
    const edges = genealogy.lotEdges + genealogy.reworkEdges + genealogy.palletEdges;
    options.report(
      `[progress] genealogy edges=${edges} (lot ${genealogy.lotEdges}, rework ${genealogy.reworkEdges}, pallet ${genealogy.palletEdges}) deepest rework chain=${depths.length - 1}`,
    );

    const pools = rolePools(url, clientId);
    const [app, superuser] = await Promise.all([pools.app.connect(), pools.superuser.connect()]);
    try {
      const rls = await rlsOverheads({ app, superuser }, options);

      const random = seededRandom(SEED);
      const pick = (count: number) => Array.from({ length: options.queries }, () => String(1 + Math.floor(random() * count)));
      const ms = (value: number) => `${value.toFixed(2)}ms`;
      const progress = (label: string, c: Comparison) =>
        options.report(
          `[progress] ${label} p95 SQL=${ms(c.sqlP95Ms)} per hop=${ms(c.peerP95Ms)} over ${options.queries} starts, ${c.nodesP50} nodes at p50`,
        );

      const forward = await compare(
        'forward trace',
        pick(options.lots),
        (id) => viaSql(app, FORWARD_SQL, ['LOT', id, MAX_DEPTH]),
        (id) => walkPerHop(app, LOT_BY_ID, id, FORWARD_HOPS),
      );
      progress('forward trace', forward);
      const backward = await compare(
        'backward trace',
        pick(options.batches),
        (id) => viaSql(app, BACKWARD_SQL, ['BATCH', id, MAX_DEPTH]),
        (id) => walkPerHop(app, BATCH_BY_ID, id, BACKWARD_HOPS),
      );
      progress('backward trace', backward);
      const recallIds = pick(options.lots);
      const { rows } = await app.query<{ id: string; tlc: string }>(
        'SELECT id::text, tlc FROM traceability.ingredient_lot WHERE id = ANY($1::bigint[])',
        [recallIds],
      );
      const tlcs = new Map(rows.map((row) => [row.id, row.tlc]));
      const recall = await compare(
        'recall report',
        recallIds.map((id) => tlcs.get(id)!),
        (tlc) => viaSql(app, RECALL_SQL, [tlc]),
        (tlc) => walkPerHop(app, LOT_BY_TLC, tlc, FORWARD_HOPS),
      );
      progress('recall report', recall);

      return {
        genealogy: { ...genealogy, edges, reworkDepths: depths, loadMs },
        queries: options.queries,
        forward,
        backward,
        recall,
        rls,
      };
    } finally {
      app.release();
      superuser.release();
      await Promise.all([pools.app.end(), pools.superuser.end()]);
    }
  });
}
