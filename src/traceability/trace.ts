/**
 * Lot traceability queries. The database does the walking (traceability.trace_forward,
 * trace_backward, report_recall, export_fsma_records: add_trace_functions, add_shipment_trace_edges); these
 * functions resolve the codes people use (TLC, batch number, SSCC, pallet number, tracking number) and
 * return typed rows.
 * Quantities are decimal strings, never floats.
 */
import type { ClientScoped } from '../db/tenancy.ts';
import type {
  BatchStatus,
  LotStatus,
  PalletStatus,
  QualityStatus,
  ReferenceDocumentType,
  ShipmentStatus,
} from '../generated/prisma/enums.ts';
import { AmbiguousCodeError, UnknownCodeError } from './errors.ts';

/** The kinds of node of the genealogy (traceability.v_trace_node; tests/schema/types.test.ts pins the two together). */
export const NODE_KINDS = ['LOT', 'BATCH', 'PALLET', 'SHIPMENT'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** A node's status: a lot's, a batch's, a pallet's or a shipment's. */
export type NodeStatus = LotStatus | BatchStatus | PalletStatus | ShipmentStatus;

/** Where a shipment node went: its order, customer and carrier (traceability.v_trace_node). */
export interface ShipmentDetails {
  orderNumber: string;
  customerName: string;
  customerReference: string | null;
  shipToAddress: string | null;
  carrierCode: string;
  trackingNumber: string | null;
  /** When the stock left (null while the shipment is not posted). */
  shippedAt: Date | null;
  deliveredAt: Date | null;
}

/** A node of the genealogy, as a code resolves to it. */
export interface TraceNodeRef {
  kind: NodeKind;
  id: string;
  code: string;
}

interface TraceRowBase {
  depth: number;
  kind: NodeKind;
  id: string;
  /** TLC for a lot, batch number for a batch, SSCC (else pallet number) for a pallet, tracking number (else SHIPMENT-<id>) for a shipment. */
  code: string;
  /** How much of the start is in this node (forward), or of this node in the start (backward). */
  quantity: string | null;
  unitOfMeasure: string | null;
  qualityStatus: QualityStatus | null;
  status: NodeStatus | null;
  /** Paths from the start that reach the node. */
  paths: number;
  /** A cycle in the genealogy was cut at this node. */
  cycle: boolean;
  /** A shipment's order, customer and carrier; null for other kinds. */
  shipment: ShipmentDetails | null;
}

export interface ForwardRow extends TraceRowBase {
  /** The node it was reached from on a shortest path (null for the start). */
  parent: { kind: NodeKind; id: string } | null;
}

export interface BackwardRow extends TraceRowBase {
  /** The node it went into on a shortest path (null for the start). */
  child: { kind: NodeKind; id: string } | null;
  /** The lot's supplier. */
  supplier: { id: string; name: string } | null;
}

export interface RecallRow {
  depth: number;
  kind: NodeKind;
  id: string;
  code: string;
  tlc: string | null;
  qualityStatus: QualityStatus | null;
  status: NodeStatus | null;
  /** Quantity of the recalled lot or batch in this node (prorated). */
  recalledQuantity: string | null;
  unitOfMeasure: string | null;
  warehouseCode: string | null;
  /** Still on hand here: a lot's unused quantity, a batch's unpalletised rest, a pallet not shipped. */
  onHand: string | null;
  /** Used by later batches. */
  consumed: string | null;
  /** A shipment's order, customer and carrier; null for other kinds. */
  shipment: ShipmentDetails | null;
}

/** One row of the FSMA 204 sortable spreadsheet (21 CFR 1.1455): a critical tracking event with its KDEs. */
export interface FsmaRow {
  eventId: string;
  /** The critical tracking events this database records. */
  eventType: 'RECEIVING' | 'TRANSFORMATION' | 'SHIPPING';
  eventRole: 'INPUT' | 'OUTPUT' | null;
  traceabilityLotCode: string | null;
  productDescription: string | null;
  quantity: string | null;
  unitOfMeasure: string | null;
  eventDate: string | null;
  locationDescription: string | null;
  previousSourceDescription: string | null;
  /** Shipping: the location description of the immediate subsequent recipient (the customer, not the carrier). */
  subsequentRecipientDescription: string | null;
  tlcSourceDescription: string | null;
  tlcSourceReference: string | null;
  referenceDocumentType: ReferenceDocumentType | null;
  referenceDocumentNumber: string | null;
  isFtlFood: boolean;
  /** Required KDEs (for FTL foods) that the records do not hold. */
  missingKdes: string[];
}

/**
 * Finds the lot, batch, pallet or shipment a code names: a TLC (lot or batch), a batch number, an
 * SSCC, a pallet number, a tracking number or SHIPMENT-<id>. Throws {@link UnknownCodeError} when nothing has that code, and
 * {@link AmbiguousCodeError} when more than one thing has it.
 *
 * @example
 * const pallet = await resolveCode(pool, '106141411234567897', ['PALLET']); // { kind: 'PALLET', id: '3', code: '1061...' }
 */
export async function resolveCode(db: ClientScoped, code: string, kinds: readonly NodeKind[] = NODE_KINDS): Promise<TraceNodeRef> {
  const { rows } = await db.query<TraceNodeRef>(
    `SELECT 'LOT' AS kind, id::text, tlc AS code FROM traceability.ingredient_lot WHERE tlc = $1
     UNION
     SELECT 'BATCH', id::text, batch_number FROM traceability.batch WHERE tlc = $1 OR batch_number = $1
     UNION
     SELECT 'PALLET', id::text, coalesce(sscc, pallet_number) FROM traceability.pallet WHERE sscc = $1 OR pallet_number = $1
     UNION
     SELECT 'SHIPMENT', id::text, coalesce(tracking_number, 'SHIPMENT-' || id) FROM fulfillment.shipment
      WHERE tracking_number = $1 OR id = substring($1 FROM '^SHIPMENT-([0-9]{1,18})$')::bigint`,
    [code],
  );
  const matches = rows.filter((row) => kinds.includes(row.kind));
  if (matches.length === 0) throw new UnknownCodeError(code, kinds);
  if (matches.length > 1) throw new AmbiguousCodeError(code, matches);
  return matches[0]!;
}

const TRACE_COLUMNS = `depth, node_kind AS kind, node_id::text AS id, code, quantity::text, unit_of_measure AS "unitOfMeasure",
  quality_status AS "qualityStatus", status, paths::int, cycle`;

const SHIPMENT_COLUMNS = `order_number AS "orderNumber", customer_name AS "customerName", customer_reference AS "customerReference",
  ship_to_address AS "shipToAddress", carrier_code AS "carrierCode", tracking_number AS "trackingNumber", shipped_at AS "shippedAt",
  delivered_at AS "deliveredAt"`;

/**
 * The order, customer and carrier of the shipments among `rows`, on each shipment row (`shipment`,
 * null on the others). One query, by the shipments' keys, only when a trace reached shipments.
 */
async function withShipments<T extends { kind: NodeKind; id: string }>(
  db: ClientScoped,
  rows: T[],
): Promise<(T & { shipment: ShipmentDetails | null })[]> {
  const ids = rows.filter((row) => row.kind === 'SHIPMENT').map((row) => row.id);
  const details = new Map<string, ShipmentDetails>();
  if (ids.length > 0) {
    const { rows: found } = await db.query<ShipmentDetails & { id: string }>(
      `SELECT id::text, ${SHIPMENT_COLUMNS} FROM traceability.v_trace_node
        WHERE client_id = NULLIF(current_setting('app.client_id', true), '')::bigint AND kind = 'SHIPMENT' AND id = ANY($1::bigint[])`,
      [ids],
    );
    for (const { id, ...shipment } of found) details.set(id, shipment);
  }
  return rows.map((row) => ({ ...row, shipment: row.kind === 'SHIPMENT' ? (details.get(row.id) ?? null) : null }));
}

/**
 * Every batch, pallet and shipment a lot or batch reached, nearest first (forward trace, for
 * recalls), with how much of the start each holds and, for shipments, where they went.
 *
 * @example
 * const { start, rows } = await traceForward(pool, 'TLC-EGG-001');
 * const pallets = rows.filter((row) => row.kind === 'PALLET');
 */
export async function traceForward(
  db: ClientScoped,
  code: string,
  options: { maxDepth?: number } = {},
): Promise<{ start: TraceNodeRef; rows: ForwardRow[] }> {
  const start = await resolveCode(db, code, ['LOT', 'BATCH']);
  const { rows } = await db.query(`SELECT ${TRACE_COLUMNS}, parent_kind, parent_id::text FROM traceability.trace_forward($1, $2, $3)`, [
    start.kind,
    start.id,
    options.maxDepth ?? 50,
  ]);
  return {
    start,
    rows: await withShipments(
      db,
      rows.map(({ parent_kind, parent_id, ...row }) => ({
        ...row,
        parent: parent_kind === null ? null : { kind: parent_kind, id: parent_id },
      })),
    ),
  };
}

/**
 * Every pallet, batch and ingredient lot (with its supplier) a batch, pallet or shipment came from
 * (backward trace).
 *
 * @example
 * const { rows } = await traceBackward(pool, '106141411234567897');
 * const suppliers = new Set(rows.flatMap((row) => (row.supplier ? [row.supplier.name] : [])));
 */
export async function traceBackward(
  db: ClientScoped,
  code: string,
  options: { maxDepth?: number } = {},
): Promise<{ start: TraceNodeRef; rows: BackwardRow[] }> {
  const start = await resolveCode(db, code, ['BATCH', 'PALLET', 'SHIPMENT']);
  const { rows } = await db.query(
    `SELECT ${TRACE_COLUMNS}, child_kind, child_id::text, supplier_id::text, supplier_name FROM traceability.trace_backward($1, $2, $3)`,
    [start.kind, start.id, options.maxDepth ?? 50],
  );
  return {
    start,
    rows: await withShipments(
      db,
      rows.map(({ child_kind, child_id, supplier_id, supplier_name, ...row }) => ({
        ...row,
        child: child_kind === null ? null : { kind: child_kind, id: child_id },
        supplier: supplier_id === null ? null : { id: supplier_id, name: supplier_name },
      })),
    ),
  };
}

/**
 * What a recalled TLC reached, what of it is still on hand where, and which shipments took it to
 * which customers (each shipment once).
 *
 * @example
 * const stillOnHand = (await recallReport(pool, 'TLC-EGG-001')).filter((row) => row.onHand !== null && row.onHand !== '0.0000');
 */
export async function recallReport(db: ClientScoped, tlc: string): Promise<RecallRow[]> {
  const { rows } = await db.query<Omit<RecallRow, 'shipment'> & Partial<ShipmentDetails>>(
    `SELECT depth, node_kind AS kind, node_id::text AS id, code, tlc, quality_status AS "qualityStatus", status,
            recalled_quantity::text AS "recalledQuantity", unit_of_measure AS "unitOfMeasure", warehouse_code AS "warehouseCode",
            on_hand::text AS "onHand", consumed::text, ${SHIPMENT_COLUMNS}
       FROM traceability.report_recall($1)`,
    [tlc],
  );
  // A TLC the database knows reports at least itself: nothing back means an unknown code, said as such.
  if (rows.length === 0) await resolveCode(db, tlc, ['LOT', 'BATCH']);
  return rows.map(
    ({ orderNumber, customerName, customerReference, shipToAddress, carrierCode, trackingNumber, shippedAt, deliveredAt, ...row }) => ({
      ...row,
      shipment:
        row.kind === 'SHIPMENT'
          ? {
              orderNumber: orderNumber!,
              customerName: customerName!,
              customerReference: customerReference ?? null,
              shipToAddress: shipToAddress ?? null,
              carrierCode: carrierCode!,
              trackingNumber: trackingNumber ?? null,
              shippedAt: shippedAt ?? null,
              deliveredAt: deliveredAt ?? null,
            }
          : null,
    }),
  );
}

/**
 * The FSMA 204 records of a TLC between two dates (inclusive, either open): one row per critical
 * tracking event, with its key data elements and the required ones missing.
 *
 * @example
 * const csv = fsmaCsv(await fsmaExport(pool, 'TLC-EGG-001', { from: '2026-11-01', to: '2026-11-30' }));
 */
export async function fsmaExport(db: ClientScoped, tlc: string, range: { from?: string; to?: string } = {}): Promise<FsmaRow[]> {
  const { rows } = await db.query<FsmaRow>(
    `SELECT event_id AS "eventId", event_type AS "eventType", event_role AS "eventRole", traceability_lot_code AS "traceabilityLotCode",
            product_description AS "productDescription", quantity::text, unit_of_measure AS "unitOfMeasure", event_date::text AS "eventDate",
            location_description AS "locationDescription", previous_source_description AS "previousSourceDescription",
            subsequent_recipient_description AS "subsequentRecipientDescription",
            tlc_source_description AS "tlcSourceDescription", tlc_source_reference AS "tlcSourceReference",
            reference_document_type AS "referenceDocumentType", reference_document_number AS "referenceDocumentNumber",
            is_ftl_food AS "isFtlFood", missing_kdes AS "missingKdes"
       FROM traceability.export_fsma_records($1, $2::date, $3::date)`,
    [tlc, range.from ?? null, range.to ?? null],
  );
  // No records may mean no events in the range, or an unknown code: only the latter is an error.
  if (rows.length === 0) await resolveCode(db, tlc, ['LOT', 'BATCH']);
  return rows;
}
