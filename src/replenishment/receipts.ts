/**
 * Procurement and donation receipts through the inventory ledger (issue 12): each line received by
 * the database (replenishment.receive_procurement, replenishment.receive_donation) in the caller's
 * transaction, exactly once per receipt key, never above what was ordered or confirmed. Quantities
 * are decimal strings.
 */
import type { ClientTransaction } from '../db/tenancy.ts';
import { compareIds, type Decimal, type Id } from '../inventory/ledger.ts';
import { ReliefReceiptError, type ReliefReceiptRefusal } from './errors.ts';

export interface ReceiptLine {
  productId: Id;
  quantity: Decimal;
}

export interface ReceiptInput {
  lines: ReceiptLine[];
  /** The receipt's own key (a goods received note): the same key posted twice posts once. */
  receiptKey: string;
  receivedBy: string;
  receivedAt?: Date;
}

/** What a receipt did: lines posted now, and lines this key had already posted (nothing done for them). */
export interface ReceiptResult {
  posted: number;
  alreadyPosted: number;
}

/** The database's refusals, by the rule it named (SQLSTATE 23514 check_violation, P0002 no_data_found). */
const REFUSALS: Record<string, ReliefReceiptRefusal> = {
  procurement_receipt_document: 'no-such-document',
  procurement_receipt_line: 'no-such-line',
  donation_receipt_document: 'no-such-document',
  donation_receipt_line: 'no-such-line',
  procurement_receipt_open: 'not-open',
  procurement_receipt_within_ordered: 'over-receipt',
  donation_receipt_open: 'not-open',
  donation_receipt_within_confirmed: 'over-receipt',
  relief_receipt_needs_warehouse: 'no-warehouse',
  relief_receipt_needs_cost: 'no-cost',
};

/**
 * Receives (part of) an ordered procurement: each line's received quantity grows (two receipts at
 * once are serialised by the database and the second re-checks: never above ordered), a RECEIPT
 * movement is posted to the procurement's warehouse at the line's unit cost (or `unitCost`), and
 * the procurement becomes PARTIAL_RECEIVED or RECEIVED; v_inbound_stock then counts only what is
 * still due. Throws {@link ReliefReceiptError}; the caller's transaction is then to be rolled back.
 *
 * @example
 * await withClient(pool, clientId, (tx) =>
 *   receiveProcurement(tx, { procurementId, lines: [{ productId, quantity: '40' }], receiptKey: 'GRN-17', receivedBy: 'store keeper' }));
 */
export async function receiveProcurement(
  tx: ClientTransaction,
  input: ReceiptInput & { procurementId: Id; lines: (ReceiptLine & { unitCost?: Decimal })[] },
): Promise<ReceiptResult> {
  return receive(tx, 'procurement', String(input.procurementId), input, (line) => [
    'SELECT replenishment.receive_procurement($1, $2, $3, $4, $5, $6, $7) AS posted',
    line.unitCost === undefined ? null : String(line.unitCost),
  ]);
}

/**
 * Receives (part of) a confirmed donation: each line's received quantity grows (never above the
 * confirmed quantity), a RECEIPT movement at cost 0 is posted to the donation's intake warehouse
 * (a pool donation names `warehouseId`), and the donation becomes RECEIVED when every line is.
 * Throws {@link ReliefReceiptError}; the caller's transaction is then to be rolled back.
 *
 * @example
 * await withClient(pool, clientId, (tx) =>
 *   receiveDonation(tx, { donationId, lines: [{ productId, quantity: '30' }], receiptKey: 'DN-RCV-3', receivedBy: 'store keeper' }));
 */
export async function receiveDonation(
  tx: ClientTransaction,
  input: ReceiptInput & { donationId: Id; warehouseId?: Id },
): Promise<ReceiptResult> {
  return receive(tx, 'donation', String(input.donationId), input, () => [
    'SELECT replenishment.receive_donation($1, $2, $3, $4, $5, $6, $7) AS posted',
    input.warehouseId === undefined ? null : String(input.warehouseId),
  ]);
}

/**
 * A receipt's lines in product order: two receipts of one document then lock its lines in the same
 * order (no deadlock between them).
 */
function inProductOrder<L extends { productId: Id }>(lines: readonly L[]): L[] {
  return [...lines].sort((a, b) => compareIds(a.productId, b.productId));
}

async function receive<L extends ReceiptLine>(
  tx: ClientTransaction,
  document: 'procurement' | 'donation',
  documentId: string,
  input: ReceiptInput & { lines: L[] },
  call: (line: L) => [sql: string, last: string | null],
): Promise<ReceiptResult> {
  return receiveLines(
    input.lines,
    async (line) => {
      const [sql, last] = call(line);
      const { rows } = await tx.query<{ posted: boolean }>(sql, [
        documentId,
        String(line.productId),
        String(line.quantity),
        input.receiptKey,
        input.receivedAt ?? new Date(),
        input.receivedBy,
        last,
      ]);
      return rows[0]!.posted;
    },
    (constraint, line) => {
      const reason = REFUSALS[constraint];
      return reason && new ReliefReceiptError(document, documentId, String(line.productId), String(line.quantity), reason);
    },
  );
}

/**
 * Receives `lines` one at a time, in product order, through `post` (one database call per line:
 * true when it posted, false when the receipt key had already posted it), and counts both; a
 * refusal the database names by constraint becomes `refusal`'s error when it knows the rule.
 * Shared by the procurement, donation and transfer receipts.
 */
export async function receiveLines<L extends ReceiptLine>(
  lines: readonly L[],
  post: (line: L) => Promise<boolean>,
  refusal: (constraint: string, line: L) => Error | undefined,
): Promise<ReceiptResult> {
  const result: ReceiptResult = { posted: 0, alreadyPosted: 0 };
  for (const line of inProductOrder(lines)) {
    try {
      if (await post(line)) result.posted++;
      else result.alreadyPosted++;
    } catch (error) {
      const refused = refusal((error as { constraint?: string }).constraint ?? '', line);
      if (refused) throw refused;
      throw error;
    }
  }
  return result;
}
