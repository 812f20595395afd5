/**
 * Relief replenishment (issue 12, docs/design/replenishment.md): needs lists computed by the
 * database (replenishment.compute_needs_list) in the caller's transaction, and transfers that move
 * stock through the inventory ledger via a transit warehouse. Quantities are decimal strings.
 */
import { randomUUID } from 'node:crypto';
import type { ClientScoped, ClientTransaction } from '../db/tenancy.ts';
import { postTransfer, type Decimal, type Id } from '../inventory/ledger.ts';
import { TransferReceiptError, UnknownReliefObjectError } from './errors.ts';
import { type ReceiptResult, receiveLines } from './receipts.ts';

export interface NeedsListItem {
  productId: string;
  sku: string;
  burnRate: string;
  burnRateMethod: 'OBSERVED' | 'STOCKOUT_ADJUSTED' | 'BASELINE_FALLBACK' | 'NO_DATA';
  /** Issued over the demand window; null on lines computed before the figures were kept on the line. */
  issuedQty: string | null;
  /** Hours of the demand window out of stock; null as issuedQty. */
  stockoutHours: string | null;
  availableQty: string;
  inboundQty: string;
  /** Stock on hand expiring before the projected stockout (netted from the gap). */
  expiringQty: string;
  requiredQty: string;
  gapQty: string;
  hoursToStockout: string | null;
  transferQty: string;
  donationQty: string;
  procurementQty: string;
}

export interface NeedsList {
  id: string;
  needsListNo: string;
  eventId: string;
  warehouseId: string;
  eventPhase: 'SURGE' | 'STABILIZED' | 'BASELINE';
  calculatedAt: Date;
  demandWindowHours: number;
  planningWindowHours: number;
  safetyFactor: string;
  dataFreshnessLevel: 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
  statusCode: string;
  items: NeedsListItem[];
}

/** The id of the client's event with this code (or id), else {@link UnknownReliefObjectError}. */
export async function eventIdByCode(db: ClientScoped, code: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM replenishment.event WHERE code = $1 OR id::text = $1 ORDER BY code = $1 DESC LIMIT 1`,
    [code],
  );
  if (!rows[0]) throw new UnknownReliefObjectError('event', code);
  return rows[0].id;
}

/** The id of the client's warehouse with this code (or id), else {@link UnknownReliefObjectError}. */
export async function warehouseIdByCode(db: ClientScoped, code: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM catalog.warehouse WHERE code = $1 OR id::text = $1 ORDER BY code = $1 DESC LIMIT 1`,
    [code],
  );
  if (!rows[0]) throw new UnknownReliefObjectError('warehouse', code);
  return rows[0].id;
}

/**
 * Computes a warehouse's needs list for an event as a new DRAFT (superseding the previous DRAFT),
 * in the caller's transaction: burn rates from the ledger, the gap netted of stock, of inbound
 * that arrives before the projected stockout and of stock that expires before it, covered by
 * surplus transfers, then donations, then procurement (claims checked by the database; claims of
 * other lists count while those lists are open and within their planning window, less what their
 * transfers dispatched). `at` defaults to now.
 *
 * @example
 * const list = await withClient(pool, clientId, (tx) => computeNeedsList(tx, { eventId, warehouseId, actor: 'planner' }));
 */
export async function computeNeedsList(
  tx: ClientTransaction,
  input: { eventId: Id; warehouseId: Id; at?: Date; actor?: string },
): Promise<NeedsList> {
  const { rows } = await tx.query<{ id: string }>('SELECT replenishment.compute_needs_list($1, $2, $3, $4)::text AS id', [
    String(input.eventId),
    String(input.warehouseId),
    input.at ?? new Date(),
    input.actor ?? null,
  ]);
  return (await needsList(tx, rows[0]!.id))!;
}

/**
 * A needs list with its items, or undefined.
 *
 * @example
 * const list = await needsList(pool, '42');
 */
export async function needsList(db: ClientScoped, id: Id): Promise<NeedsList | undefined> {
  const { rows } = await db.query<Omit<NeedsList, 'items'>>(
    `SELECT id::text, needs_list_no AS "needsListNo", event_id::text AS "eventId", warehouse_id::text AS "warehouseId", event_phase AS "eventPhase",
            calculation_dtime AS "calculatedAt", demand_window_hours AS "demandWindowHours", planning_window_hours AS "planningWindowHours",
            safety_factor::text AS "safetyFactor", data_freshness_level AS "dataFreshnessLevel", status_code AS "statusCode"
       FROM replenishment.needs_list WHERE id = $1`,
    [String(id)],
  );
  if (!rows[0]) return undefined;
  const { rows: items } = await db.query<NeedsListItem>(
    `SELECT i.product_id::text AS "productId", p.sku, i.burn_rate::text AS "burnRate", i.burn_rate_method AS "burnRateMethod",
            i.issued_qty::text AS "issuedQty", i.stockout_hours::text AS "stockoutHours", i.available_qty::text AS "availableQty",
            i.inbound_qty::text AS "inboundQty", i.expiring_qty::text AS "expiringQty", i.required_qty::text AS "requiredQty",
            i.gap_qty::text AS "gapQty", i.hours_to_stockout::text AS "hoursToStockout", i.transfer_qty::text AS "transferQty",
            i.donation_qty::text AS "donationQty", i.procurement_qty::text AS "procurementQty"
       FROM replenishment.needs_list_item i JOIN catalog.product p ON p.client_id = i.client_id AND p.id = i.product_id
      WHERE i.needs_list_id = $1 ORDER BY p.sku`,
    [String(id)],
  );
  return { ...rows[0], items };
}

/**
 * Dispatches a DRAFT transfer: each line leaves the source for the transit warehouse through the
 * ledger (a ledger transfer), and the transfer records who, when and the expected arrival (from
 * lead_time_config's TRANSFER lead time when not given).
 *
 * @example
 * await dispatchTransfer(tx, { transferId, transitWarehouseId, dispatchedBy: 'driver 7' });
 */
export async function dispatchTransfer(
  tx: ClientTransaction,
  input: { transferId: Id; transitWarehouseId: Id; dispatchedBy: string; dispatchedAt?: Date; expectedArrival?: Date },
): Promise<void> {
  const { rows } = await tx.query<{ from: string; to: string; status: string }>(
    `SELECT from_warehouse_id::text AS from, to_warehouse_id::text AS to, status FROM replenishment.transfer WHERE id = $1 FOR UPDATE`,
    [String(input.transferId)],
  );
  const transfer = rows[0];
  if (!transfer || transfer.status !== 'DRAFT') throw new TransferReceiptError(String(input.transferId), '', '0', 'not-in-transit');
  const { rows: lines } = await tx.query<{ productId: string; quantity: string }>(
    `SELECT product_id::text AS "productId", quantity::text FROM replenishment.transfer_item WHERE transfer_id = $1 ORDER BY product_id`,
    [String(input.transferId)],
  );
  for (const line of lines) {
    await postTransfer(tx, {
      productId: line.productId,
      fromWarehouseId: transfer.from,
      toWarehouseId: input.transitWarehouseId,
      quantity: line.quantity,
      transferId: randomUUID(),
      referenceId: `relief-transfer:${String(input.transferId)}`,
      idempotencyKey: `relief-dispatch:${String(input.transferId)}:${line.productId}`,
    });
  }
  await tx.query(
    `UPDATE replenishment.transfer
        SET status = 'DISPATCHED', dispatched_at = $2::timestamptz, dispatched_by = $3, transit_warehouse_id = $4,
            expected_arrival = coalesce($5::timestamptz, $2::timestamptz + make_interval(hours => coalesce(replenishment.lead_time_hours('TRANSFER', NULL, from_warehouse_id, to_warehouse_id, NULL), 8)))
      WHERE id = $1`,
    [
      String(input.transferId),
      input.dispatchedAt ?? new Date(),
      input.dispatchedBy,
      String(input.transitWarehouseId),
      input.expectedArrival ?? null,
    ],
  );
}

/**
 * Receives (part of) a dispatched transfer: each line is received by the database
 * (replenishment.receive_transfer) in the caller's transaction: its received quantity grows (never
 * above what was dispatched: two receipts at once are serialised and the second re-checks), and
 * the stock moves from the transit warehouse to the destination through the ledger, exactly once
 * per `receiptKey` and product: the same receipt posted twice posts once, and the same key with
 * other lines takes only the lines it had not taken. The transfer becomes RECEIVED when every line
 * is. Throws {@link TransferReceiptError}; the caller's transaction is then to be rolled back.
 *
 * @example
 * await receiveTransfer(tx, { transferId, lines: [{ productId, quantity: '15' }], receivedBy: 'store keeper', receiptKey: 'GRN-881' });
 */
export async function receiveTransfer(
  tx: ClientTransaction,
  input: { transferId: Id; lines: { productId: Id; quantity: Decimal }[]; receivedBy: string; receiptKey: string; receivedAt?: Date },
): Promise<ReceiptResult & { complete: boolean }> {
  const transferId = String(input.transferId);
  const result = await receiveLines(
    input.lines,
    async (line) => {
      const { rows } = await tx.query<{ posted: boolean }>('SELECT replenishment.receive_transfer($1, $2, $3, $4, $5, $6) AS posted', [
        transferId,
        String(line.productId),
        String(line.quantity),
        input.receiptKey,
        input.receivedAt ?? new Date(),
        input.receivedBy,
      ]);
      return rows[0]!.posted;
    },
    (constraint, line) => {
      const reason = TRANSFER_REFUSALS[constraint];
      return reason && new TransferReceiptError(transferId, String(line.productId), String(line.quantity), reason);
    },
  );
  return { ...result, complete: await isComplete(tx, transferId) };
}

/** The database's refusals of a transfer receipt, by the rule it named. */
const TRANSFER_REFUSALS: Record<string, TransferReceiptError['reason']> = {
  transfer_receipt_document: 'not-in-transit',
  transfer_receipt_in_transit: 'not-in-transit',
  transfer_receipt_line: 'no-such-line',
  transfer_receipt_within_dispatched: 'over-receipt',
};

async function isComplete(tx: ClientTransaction, transferId: string): Promise<boolean> {
  const { rows } = await tx.query<{ open: boolean }>(
    'SELECT bool_or(received_qty < quantity) AS open FROM replenishment.transfer_item WHERE transfer_id = $1',
    [transferId],
  );
  return rows[0]?.open === false;
}
