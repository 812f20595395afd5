/**
 * Lot traceability queries. The database does the walking (traceability.trace_forward,
 * trace_backward, report_recall, export_fsma_records: add_trace_functions); these functions resolve the
 * codes people use (TLC, batch number, SSCC, pallet number) and return typed rows.
 * Quantities are decimal strings, never floats.
 */
import type pg from 'pg';
import { UserError } from '../errors.ts';

export type NodeKind = 'LOT' | 'BATCH' | 'PALLET';

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
  /** TLC for a lot, batch number for a batch, SSCC (else pallet number) for a pallet. */
  code: string;
  /** How much of the start is in this node (forward), or of this node in the start (backward). */
  quantity: string | null;
  unitOfMeasure: string | null;
  qualityStatus: string | null;
  status: string | null;
  /** Paths from the start that reach the node. */
  paths: number;
  /** A cycle in the genealogy was cut at this node. */
  cycle: boolean;
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
  qualityStatus: string | null;
  status: string | null;
  /** Quantity of the recalled lot or batch in this node (prorated). */
  recalledQuantity: string | null;
  unitOfMeasure: string | null;
  warehouseCode: string | null;
  /** Still on hand here: a lot's unused quantity, a batch's unpalletised rest, a pallet not shipped. */
  onHand: string | null;
  /** Used by later batches. */
  consumed: string | null;
}

/** One row of the FSMA 204 sortable spreadsheet (21 CFR 1.1455): a critical tracking event with its KDEs. */
export interface FsmaRow {
  eventId: string;
  eventType: 'RECEIVING' | 'TRANSFORMATION' | 'SHIPPING';
  eventRole: 'INPUT' | 'OUTPUT' | null;
  traceabilityLotCode: string | null;
  productDescription: string | null;
  quantity: string | null;
  unitOfMeasure: string | null;
  eventDate: string | null;
  locationDescription: string | null;
  previousSourceDescription: string | null;
  tlcSourceDescription: string | null;
  tlcSourceReference: string | null;
  referenceDocumentType: string | null;
  referenceDocumentNumber: string | null;
  isFtlFood: boolean;
  /** Required KDEs (for FTL foods) that the records do not hold. */
  missingKdes: string[];
}

type Db = pg.Pool | pg.ClientBase;

/**
 * Finds the lot, batch or pallet a code names: a TLC (lot or batch), a batch number, an SSCC or a
 * pallet number. Throws a UserError when nothing, or more than one thing, has that code.
 */
export async function resolveCode(db: Db, code: string, kinds: readonly NodeKind[] = ['LOT', 'BATCH', 'PALLET']): Promise<TraceNodeRef> {
  const { rows } = await db.query<TraceNodeRef>(
    `SELECT 'LOT' AS kind, id::text, tlc AS code FROM traceability.ingredient_lot WHERE tlc = $1
     UNION
     SELECT 'BATCH', id::text, batch_number FROM traceability.batch WHERE tlc = $1 OR batch_number = $1
     UNION
     SELECT 'PALLET', id::text, coalesce(sscc, pallet_number) FROM traceability.pallet WHERE sscc = $1 OR pallet_number = $1`,
    [code],
  );
  const matches = rows.filter((row) => kinds.includes(row.kind));
  const names = kinds.map((kind) => kind.toLowerCase());
  const wanted = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
  if (matches.length === 0) throw new UserError(`no ${wanted} has the code '${code}'`);
  if (matches.length > 1) throw new UserError(`'${code}' names ${matches.map((m) => `${m.kind.toLowerCase()} ${m.code}`).join(' and ')}; use a more specific code`);
  return matches[0]!;
}

const TRACE_COLUMNS = `depth, node_kind AS kind, node_id::text AS id, code, quantity::text, unit_of_measure AS "unitOfMeasure",
  quality_status AS "qualityStatus", status, paths::int, cycle`;

/** Every batch and pallet a lot or batch reached, nearest first (forward trace, for recalls). */
export async function traceForward(db: Db, code: string, options: { maxDepth?: number } = {}): Promise<{ start: TraceNodeRef; rows: ForwardRow[] }> {
  const start = await resolveCode(db, code, ['LOT', 'BATCH']);
  const { rows } = await db.query(
    `SELECT ${TRACE_COLUMNS}, parent_kind, parent_id::text FROM traceability.trace_forward($1, $2, $3)`,
    [start.kind, start.id, options.maxDepth ?? 50],
  );
  return {
    start,
    rows: rows.map(({ parent_kind, parent_id, ...row }) => ({ ...row, parent: parent_kind === null ? null : { kind: parent_kind, id: parent_id } })),
  };
}

/** Every batch and ingredient lot (with its supplier) a batch or pallet came from (backward trace). */
export async function traceBackward(db: Db, code: string, options: { maxDepth?: number } = {}): Promise<{ start: TraceNodeRef; rows: BackwardRow[] }> {
  const start = await resolveCode(db, code, ['BATCH', 'PALLET']);
  const { rows } = await db.query(
    `SELECT ${TRACE_COLUMNS}, child_kind, child_id::text, supplier_id::text, supplier_name FROM traceability.trace_backward($1, $2, $3)`,
    [start.kind, start.id, options.maxDepth ?? 50],
  );
  return {
    start,
    rows: rows.map(({ child_kind, child_id, supplier_id, supplier_name, ...row }) => ({
      ...row,
      child: child_kind === null ? null : { kind: child_kind, id: child_id },
      supplier: supplier_id === null ? null : { id: supplier_id, name: supplier_name },
    })),
  };
}

/** What a recalled TLC reached and what of it is still on hand where. */
export async function recallReport(db: Db, tlc: string): Promise<RecallRow[]> {
  const { rows } = await db.query<RecallRow>(
    `SELECT depth, node_kind AS kind, node_id::text AS id, code, tlc, quality_status AS "qualityStatus", status,
            recalled_quantity::text AS "recalledQuantity", unit_of_measure AS "unitOfMeasure", warehouse_code AS "warehouseCode",
            on_hand::text AS "onHand", consumed::text
       FROM traceability.report_recall($1)`,
    [tlc],
  );
  // A TLC the database knows reports at least itself: nothing back means an unknown code, said as such.
  if (rows.length === 0) await resolveCode(db, tlc, ['LOT', 'BATCH']);
  return rows;
}

/** The FSMA 204 records of a TLC between two dates (inclusive, either open). */
export async function fsmaExport(db: Db, tlc: string, range: { from?: string; to?: string } = {}): Promise<FsmaRow[]> {
  const { rows } = await db.query<FsmaRow>(
    `SELECT event_id AS "eventId", event_type AS "eventType", event_role AS "eventRole", traceability_lot_code AS "traceabilityLotCode",
            product_description AS "productDescription", quantity::text, unit_of_measure AS "unitOfMeasure", event_date::text AS "eventDate",
            location_description AS "locationDescription", previous_source_description AS "previousSourceDescription",
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
