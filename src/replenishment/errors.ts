import { SupplyLedgerError } from '../errors.ts';

/** No relief event or warehouse of the client has the code or id given. */
export class UnknownReliefObjectError extends SupplyLedgerError {
  override readonly name = 'UnknownReliefObjectError';

  constructor(
    /** What was looked up: `event` or `warehouse`. */
    readonly kind: 'event' | 'warehouse',
    /** The code or id as given. */
    readonly key: string,
  ) {
    super(`no ${kind} '${key}' for this client`);
  }
}

/** A receipt would take a transfer line above what was dispatched, or the transfer is not in transit. */
export class TransferReceiptError extends SupplyLedgerError {
  override readonly name = 'TransferReceiptError';

  constructor(
    readonly transferId: string,
    readonly productId: string,
    /** What the receipt asked for. */
    readonly quantity: string,
    /** Why: `not-in-transit`, `over-receipt` or `no-such-line`. */
    readonly reason: 'not-in-transit' | 'over-receipt' | 'no-such-line',
  ) {
    super(`transfer ${transferId}, product ${productId}: receipt of ${quantity} refused (${reason})`);
  }
}

/** Why a procurement or donation receipt was refused (the rule the database named). */
export type ReliefReceiptRefusal = 'no-such-document' | 'no-such-line' | 'not-open' | 'over-receipt' | 'no-warehouse' | 'no-cost';

/** A procurement or donation receipt was refused: nothing of it was posted. */
export class ReliefReceiptError extends SupplyLedgerError {
  override readonly name = 'ReliefReceiptError';

  constructor(
    readonly document: 'procurement' | 'donation',
    readonly documentId: string,
    readonly productId: string,
    /** What the receipt asked for. */
    readonly quantity: string,
    readonly reason: ReliefReceiptRefusal,
  ) {
    super(`${document} ${documentId}, product ${productId}: receipt of ${quantity} refused (${reason})`);
  }
}
