/**
 * The two relief views as typed reads for one warehouse (issue 12): replenishment.v_stock_status
 * and replenishment.v_inbound_stock, for the client the connection works for. Each is a named
 * statement: the connection keeps its plan, and planning the view (five joins and a lateral
 * lookup) took about 4 ms of the 12 ms a warehouse's 2,000 rows took as an unnamed one
 * (bench:replenishment's data, PostgreSQL 15: p50 12.3 -> 8.3 ms).
 */
import type { ClientScoped } from '../db/tenancy.ts';
import { compareIds, type Id } from '../inventory/ledger.ts';

/** A product's stock status in a relief warehouse (v_stock_status). Quantities are decimal strings. */
export interface StockStatus {
  productId: string;
  /** The event the warehouse serves, and its phase; null for a warehouse serving none. */
  eventId: string | null;
  currentPhase: 'SURGE' | 'STABILIZED' | 'BASELINE' | null;
  availableQty: string;
  minStockThreshold: string;
  /** Units an hour: the latest needs list's, else the product's baseline rate; null without either. */
  burnRate: string | null;
  burnRateMethod: 'OBSERVED' | 'STOCKOUT_ADJUSTED' | 'BASELINE_FALLBACK' | 'NO_DATA';
  /** When the latest needs list computed the rate; null for a baseline or no rate. */
  burnRateAt: Date | null;
  /** Available stock over the burn rate; null when nothing is burnt. */
  hoursToStockout: string | null;
  stockStatus: 'OUT_OF_STOCK' | 'NO_DEMAND' | 'CRITICAL' | 'WARNING' | 'WATCH' | 'OK';
  /** Graded now from the warehouse's two clocks and the phase's thresholds. */
  dataFreshnessLevel: 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
  syncStatus: 'ONLINE' | 'STALE' | 'OFFLINE' | 'UNKNOWN';
  lastObservedAt: Date | null;
  lastSyncedAt: Date | null;
}

/** The columns of v_stock_status that are the same on every row of a warehouse. */
type WarehouseFigures = Pick<
  StockStatus,
  'eventId' | 'currentPhase' | 'dataFreshnessLevel' | 'syncStatus' | 'lastObservedAt' | 'lastSyncedAt'
>;

/** A row of STOCK_STATUS_SQL: a product's figures, or (productId null) the warehouse's. */
type StockStatusPart = { [K in keyof StockStatus]: StockStatus[K] | null };

/**
 * v_stock_status of one warehouse in one statement (one snapshot): the warehouse's figures once,
 * in a row of their own (product_id NULL), then each product's own columns. Six of the view's
 * fourteen columns are the warehouse's, repeated on each of its 2,000 rows; sent once, the read
 * took 5.5 ms against 8.3 ms at p50 and 8.5 against 12.2 ms at p95 (bench:replenishment's data,
 * embedded PostgreSQL 18, alternating): three timestamps a row cost the server about 2 ms to
 * format, and the client about as much to take apart.
 */
const STOCK_STATUS_SQL = `
(SELECT NULL::bigint AS "productId", NULL::numeric AS "availableQty", NULL::numeric AS "minStockThreshold", NULL::numeric AS "burnRate",
        NULL::text AS "burnRateMethod", NULL::timestamptz AS "burnRateAt", NULL::numeric AS "hoursToStockout", NULL::text AS "stockStatus",
        event_id AS "eventId", current_phase AS "currentPhase", data_freshness_level AS "dataFreshnessLevel", sync_status AS "syncStatus",
        last_observed_at AS "lastObservedAt", last_synced_at AS "lastSyncedAt"
   FROM replenishment.v_stock_status WHERE warehouse_id = $1 LIMIT 1)
UNION ALL
SELECT product_id, available_qty, min_stock_threshold, burn_rate, burn_rate_method, burn_rate_at, hours_to_stockout, stock_status,
       NULL, NULL, NULL, NULL, NULL, NULL
  FROM replenishment.v_stock_status WHERE warehouse_id = $1`;

/**
 * The stock status of every product of a relief warehouse, as of now, in product id order: every
 * column of v_stock_status but the client and the warehouse.
 *
 * @example
 * const critical = (await stockStatus(pool, warehouseId)).filter((row) => row.stockStatus === 'CRITICAL');
 */
export async function stockStatus(db: ClientScoped, warehouseId: Id): Promise<StockStatus[]> {
  const { rows } = await db.query<StockStatusPart>({
    name: 'supply-ledger replenishment.v_stock_status',
    text: STOCK_STATUS_SQL,
    values: [String(warehouseId)],
  });
  const warehouse = rows.find((row) => row.productId === null) as WarehouseFigures | undefined;
  if (warehouse === undefined) return [];
  const { eventId, currentPhase, dataFreshnessLevel, syncStatus, lastObservedAt, lastSyncedAt } = warehouse;
  const products: StockStatus[] = [];
  for (const row of rows) {
    if (row.productId === null) continue;
    // A Date of its own per row: a caller changing one row's must not change the others'.
    products.push({
      ...(row as StockStatus),
      eventId,
      currentPhase,
      dataFreshnessLevel,
      syncStatus,
      lastObservedAt: lastObservedAt && new Date(lastObservedAt),
      lastSyncedAt: lastSyncedAt && new Date(lastSyncedAt),
    });
  }
  // Sorted here: ORDER BY in the statement cost 2-3 ms of the 12 ms a warehouse's 2,000 rows took
  // (p50 and p95, embedded PostgreSQL 18, bench:replenishment's data); this sort, a fraction of one.
  return products.sort((a, b) => compareIds(a.productId, b.productId));
}

/** A line still due to a warehouse (v_inbound_stock): what is left of it, once. */
export interface InboundStock {
  productId: string;
  sourceType: 'TRANSFER' | 'PROCUREMENT' | 'DONATION';
  sourceId: string;
  sourceNo: string;
  expectedArrival: Date | null;
  /** What is still due: ordered, dispatched or confirmed, less what was received. */
  quantity: string;
}

/**
 * What is on its way to a warehouse: in-transit transfers, open procurement and confirmed
 * donations, each line once at what is still due, soonest first.
 *
 * @example
 * const dueToday = (await inboundStock(pool, warehouseId)).filter((line) => line.expectedArrival! < endOfDay);
 */
export async function inboundStock(db: ClientScoped, warehouseId: Id): Promise<InboundStock[]> {
  const { rows } = await db.query<InboundStock>({
    name: 'supply-ledger replenishment.v_inbound_stock',
    text: `SELECT product_id AS "productId", source_type AS "sourceType", source_id AS "sourceId", source_no AS "sourceNo",
                  expected_arrival AS "expectedArrival", quantity
             FROM replenishment.v_inbound_stock WHERE warehouse_id = $1 ORDER BY expected_arrival, source_no, product_id`,
    values: [String(warehouseId)],
  });
  return rows;
}
