/**
 * A builder for lot genealogies in tests: suppliers, warehouses, ingredients, lots, batches,
 * consumption edges and pallets, with unique codes so that tests sharing a database never collide.
 * Times are whole hours after a fixed day, so that the temporal rules are easy to follow.
 */
import type pg from 'pg';

let counter = 0;

export const DAY = '2026-03-02T00:00:00Z';
/** The instant `hours` hours after the start of DAY. */
export const at = (hours: number) => new Date(Date.parse(DAY) + hours * 3_600_000).toISOString();

type Db = pg.Pool | pg.ClientBase;

export interface LotOptions {
  /** The lot's TLC (default: a unique one); two clients may use the same. */
  tlc?: string;
  quantity?: number;
  unit?: string;
  receivedHour?: number;
  expiry?: string;
  quality?: string;
  ftl?: boolean;
  warehouseId?: string | null;
  supplierId?: string;
  reference?: [type: string, number: string] | null;
  tlcSource?: string | null;
}

export interface BatchOptions {
  quantity?: number;
  producedHour?: number | null;
  status?: string;
  quality?: string;
  warehouseId?: string | null;
  productId?: string | null;
}

/** A genealogy builder bound to one connection (usually a rolled-back transaction). */
export function genealogy(db: Db) {
  // The counter restarts with each test file, and a worker runs several files against one database
  // that keeps what some of them commit: the random part keeps codes apart across files.
  const run = `${++counter}${Math.random().toString(36).slice(2, 6)}`;
  const unique = (name: string) => `${name}-${process.pid}-${run}`;
  let made = 0;
  const next = (name: string) => unique(`${name}${++made}`);
  const one = async (sql: string, params: unknown[]) => (await db.query<{ id: string }>(sql, params)).rows[0]!.id;

  const build = {
    unique,
    async supplier(name = 'Supplier', details: { address?: string; phone?: string } = { address: '1 Mill Road', phone: '+1 555 0100' }) {
      return one(`INSERT INTO catalog.supplier (code, name, address, phone) VALUES ($1, $2, $3, $4) RETURNING id::text`, [
        next('S'),
        name,
        details.address ?? null,
        details.phone ?? null,
      ]);
    },
    async warehouse(name = 'Bakery', details: { address?: string | null; phone?: string | null } = {}) {
      return one(`INSERT INTO catalog.warehouse (code, name, address, phone) VALUES ($1, $2, $3, $4) RETURNING id::text`, [
        next('W'),
        name,
        details.address === undefined ? '5 Oven Street' : details.address,
        details.phone === undefined ? '+1 555 0199' : details.phone,
      ]);
    },
    async product(name = 'Product') {
      return one(`INSERT INTO catalog.product (sku, name) VALUES ($1, $2) RETURNING id::text`, [next('P'), name]);
    },
    defaultSupplier: undefined as string | undefined,
    defaultWarehouse: undefined as string | undefined,
    recipeId: undefined as string | undefined,

    /** An ingredient lot, PASSED unless told otherwise; returns its id and TLC. */
    async lot(options: LotOptions = {}): Promise<{ id: string; tlc: string }> {
      build.defaultSupplier ??= await build.supplier();
      build.defaultWarehouse ??= await build.warehouse();
      const tlc = options.tlc ?? next('TLC-L');
      const ingredient = await one(`INSERT INTO traceability.ingredient (name, is_ftl_food) VALUES ($1, $2) RETURNING id::text`, [
        next('Ingredient '),
        options.ftl ?? false,
      ]);
      const reference = options.reference === undefined ? ['INVOICE', next('INV')] : options.reference;
      const id = await one(
        `INSERT INTO traceability.ingredient_lot (ingredient_id, supplier_id, warehouse_id, supplier_lot_code, tlc, tlc_source_location,
           received_quantity, unit_of_measure, received_at, expiry_date, reference_document_type, reference_document_number)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id::text`,
        [
          ingredient,
          options.supplierId ?? build.defaultSupplier,
          options.warehouseId === undefined ? build.defaultWarehouse : options.warehouseId,
          next('SL'),
          tlc,
          options.tlcSource === undefined ? 'Packer Ltd, 9 Field Road, +1 555 0123' : options.tlcSource,
          options.quantity ?? 100,
          options.unit ?? 'kg',
          at(options.receivedHour ?? 0),
          options.expiry ?? null,
          reference?.[0] ?? null,
          reference?.[1] ?? null,
        ],
      );
      if ((options.quality ?? 'PASSED') !== 'PENDING') {
        await db.query(`UPDATE traceability.ingredient_lot SET quality_status = $2 WHERE id = $1`, [id, options.quality ?? 'PASSED']);
      }
      return { id, tlc };
    },

    /** A batch of its own production run, COMPLETED at `producedHour` (default 10) unless told otherwise. */
    async batch(options: BatchOptions = {}): Promise<{ id: string; batchNumber: string; tlc: string }> {
      build.defaultWarehouse ??= await build.warehouse();
      build.recipeId ??= await one(`INSERT INTO traceability.recipe (name, created_by) VALUES ($1, 'tests') RETURNING id::text`, [
        next('Recipe '),
      ]);
      const runId = await one(
        `INSERT INTO traceability.production_run (recipe_id, warehouse_id, status) VALUES ($1, $2, 'COMPLETED') RETURNING id::text`,
        [build.recipeId, options.warehouseId === undefined ? build.defaultWarehouse : options.warehouseId],
      );
      const batchNumber = next('B');
      const producedHour = options.producedHour === undefined ? 10 : options.producedHour;
      const id = await one(
        `INSERT INTO traceability.batch (production_run_id, product_id, batch_number, tlc, planned_quantity, actual_quantity, status, quality_status, produced_at)
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) RETURNING id::text`,
        [
          runId,
          options.productId ?? null,
          batchNumber,
          `TLC-${batchNumber}`,
          options.quantity ?? 100,
          options.status ?? 'COMPLETED',
          options.quality ?? 'PASSED',
          producedHour === null ? null : at(producedHour),
        ],
      );
      return { id, batchNumber, tlc: `TLC-${batchNumber}` };
    },

    /** batch consumed `quantity` of a lot (or, with `{ batch }`, of an earlier batch) at `hour` (default 5). */
    async consume(batch: { id: string }, input: { lot: { id: string } } | { batch: { id: string } }, quantity: number, hour = 5) {
      const [column, id] = 'lot' in input ? ['ingredient_lot_id', input.lot.id] : ['input_batch_id', input.batch.id];
      return one(
        `INSERT INTO traceability.batch_ingredient (batch_id, ${column}, quantity_used, consumed_at) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [batch.id, id, quantity, at(hour)],
      );
    },

    /** A pallet (STORED unless told otherwise), optionally with an SSCC. */
    async pallet(options: { warehouseId?: string; status?: string; sscc?: string } = {}): Promise<{ id: string; palletNumber: string }> {
      build.defaultWarehouse ??= await build.warehouse();
      const palletNumber = next('PAL');
      const id = await one(
        `INSERT INTO traceability.pallet (pallet_number, sscc, warehouse_id, status) VALUES ($1, $2, $3, $4) RETURNING id::text`,
        [palletNumber, options.sscc ?? null, options.warehouseId ?? build.defaultWarehouse, options.status ?? 'STORED'],
      );
      return { id, palletNumber };
    },

    async palletise(pallet: { id: string }, batch: { id: string }, quantity: number) {
      return one(`INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity) VALUES ($1, $2, $3) RETURNING id::text`, [
        pallet.id,
        batch.id,
        quantity,
      ]);
    },
  };
  return build;
}

/** A valid SSCC for `serial` (17 data digits, then the GS1 mod-10 check digit). */
export function sscc(serial: number): string {
  const data = `1${String(serial).padStart(16, '0')}`;
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += Number(data[data.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${data}${(10 - (sum % 10)) % 10}`;
}
