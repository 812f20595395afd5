import { SupplyLedgerError } from '../errors.ts';

/** No shipment of the client the connection works for has the id. */
export class UnknownShipmentError extends SupplyLedgerError {
  override readonly name = 'UnknownShipmentError';

  constructor(
    /** The shipment id as given. */
    readonly shipmentId: string,
  ) {
    super(`no shipment ${shipmentId} (of the client this connection works for)`);
  }
}

/** Shipping would take more of an order item than it asks for (order_request_item_shipped_within_quantity_check). */
export class OverShippingError extends SupplyLedgerError {
  override readonly name = 'OverShippingError';

  constructor(
    /** The order item shipped from. */
    readonly orderRequestItemId: string,
    /** The quantity the refused shipment item asked for. */
    readonly quantity: string,
  ) {
    super(`shipping ${quantity} more of order item ${orderRequestItemId} would ship more than it asks for`);
  }
}

/** A layout save named a version that is no longer the stored one (someone saved meanwhile), or the layout is gone. */
export class StaleLayoutError extends SupplyLedgerError {
  override readonly name = 'StaleLayoutError';

  constructor(
    readonly layoutId: string,
    /** The version the save was based on. */
    readonly expectedVersion: number,
    /** The stored version; null when the layout does not exist (for this client). */
    readonly currentVersion: number | null,
  ) {
    super(`dashboard layout ${layoutId}: saved over version ${expectedVersion}, but it is at ${currentVersion ?? 'nothing (gone)'}`);
  }
}
