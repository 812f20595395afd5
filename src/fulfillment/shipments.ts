/**
 * Shipments and carrier tracking (add_shipment_tracking). The database does the work: carrier
 * events are stored once each (fulfillment.ingest_carrier_events) and move a shipment's status
 * forward only; posting a shipment (fulfillment.post_shipment) issues its stock through the ledger
 * once. These functions give it typed inputs; the caller owns the transaction.
 */
import type { ClientScoped, ClientTransaction } from '../db/tenancy.ts';
import type { ShipmentStatus } from '../generated/prisma/enums.ts';
import type { Decimal, Id } from '../inventory/ledger.ts';
import { OverShippingError, UnknownShipmentError } from './errors.ts';

export type { ShipmentStatus };

/** One carrier event as a webhook or a poll delivers it. */
export interface CarrierEventInput {
  shipmentId: Id;
  /** The provider's webhook event id, when it has one (a redelivery carries the same). */
  eventId?: string | undefined;
  /** The carrier's own code (UPS 'D', FedEx 'DL'...), mapped in the database. */
  carrierStatusCode: string;
  description?: string | undefined;
  location?: string | undefined;
  /** The carrier's time, with its offset. */
  occurredAt: Date | string;
  /** The raw payload, kept as received. */
  raw?: unknown;
}

/**
 * Stores carrier events for the client `db` works for, each once whatever how often it is sent.
 * Returns how many were new.
 *
 * @example
 * await ingestCarrierEvents(pool, [{ shipmentId, eventId: 'evt_1', carrierStatusCode: 'D', occurredAt: '2026-12-01T10:00:00+02:00' }]);
 */
export async function ingestCarrierEvents(db: ClientScoped, events: readonly CarrierEventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const payload = events.map((event) => ({
    shipment_id: String(event.shipmentId),
    event_id: event.eventId ?? null,
    carrier_status_code: event.carrierStatusCode,
    description: event.description ?? null,
    location: event.location ?? null,
    occurred_at: event.occurredAt instanceof Date ? event.occurredAt.toISOString() : event.occurredAt,
    raw: event.raw ?? null,
  }));
  const { rows } = await db.query<{ stored: number }>('SELECT fulfillment.ingest_carrier_events($1::jsonb) AS stored', [
    JSON.stringify(payload),
  ]);
  return rows[0]!.stored;
}

/** A shipment's derived tracking state. */
export interface ShipmentState {
  id: string;
  status: ShipmentStatus;
  progressStatus: ShipmentStatus;
  progressAt: Date | null;
  exceptionAt: Date | null;
  exceptionReason: string | null;
  deliveredAt: Date | null;
  shippedAt: Date | null;
}

/**
 * The current status of a shipment of the client `db` works for.
 *
 * @example
 * const { status } = await shipmentState(pool, shipmentId);
 */
export async function shipmentState(db: ClientScoped, shipmentId: Id): Promise<ShipmentState> {
  const { rows } = await db.query<ShipmentState>(
    `SELECT id::text, status, progress_status AS "progressStatus", progress_at AS "progressAt", exception_at AS "exceptionAt",
            exception_reason AS "exceptionReason", delivered_at AS "deliveredAt", shipped_at AS "shippedAt"
       FROM fulfillment.shipment WHERE id = $1`,
    [String(shipmentId)],
  );
  if (rows[0] === undefined) throw new UnknownShipmentError(String(shipmentId));
  return rows[0];
}

/** One stored carrier event. */
export interface TrackingEvent {
  id: string;
  status: ShipmentStatus;
  carrierStatusCode: string;
  description: string | null;
  location: string | null;
  occurredAt: Date;
  receivedAt: Date;
}

/**
 * A shipment's events in carrier time.
 *
 * @example
 * const history = await shipmentHistory(pool, shipmentId);
 */
export async function shipmentHistory(db: ClientScoped, shipmentId: Id): Promise<TrackingEvent[]> {
  const { rows } = await db.query<TrackingEvent>(
    `SELECT id::text, status, carrier_status_code AS "carrierStatusCode", description, location, occurred_at AS "occurredAt", received_at AS "receivedAt"
       FROM fulfillment.carrier_event WHERE shipment_id = $1 ORDER BY occurred_at, id`,
    [String(shipmentId)],
  );
  return rows;
}

/**
 * Adds a quantity of an order item to a shipment, in the caller's transaction. Throws
 * {@link OverShippingError} when the order item would ship more than it asks for.
 *
 * @example
 * await addShipmentItem(tx, { shipmentId, orderRequestItemId, productId, quantity: '4' });
 */
export async function addShipmentItem(
  tx: ClientTransaction,
  item: { shipmentId: Id; orderRequestItemId: Id; productId: Id; quantity: Decimal; batchId?: Id; palletId?: Id },
): Promise<string> {
  await tx.query('SAVEPOINT add_shipment_item');
  try {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity, batch_id, pallet_id)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text`,
      [
        String(item.shipmentId),
        String(item.orderRequestItemId),
        String(item.productId),
        String(item.quantity),
        item.batchId === undefined ? null : String(item.batchId),
        item.palletId === undefined ? null : String(item.palletId),
      ],
    );
    await tx.query('RELEASE SAVEPOINT add_shipment_item');
    return rows[0]!.id;
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT add_shipment_item');
    if ((error as { constraint?: string }).constraint === 'order_request_item_shipped_within_quantity_check') {
      throw new OverShippingError(String(item.orderRequestItemId), String(item.quantity));
    }
    throw error;
  }
}

/**
 * Posts a shipment: one ledger ISSUE per item (reference SHIPMENT), shipped_at, the order's status.
 * Posting it again posts nothing and returns 0. Throws {@link UnknownShipmentError}.
 *
 * @example
 * await transaction(pool, (tx) => postShipment(tx, shipmentId));
 */
export async function postShipment(tx: ClientTransaction, shipmentId: Id): Promise<number> {
  await tx.query('SAVEPOINT post_shipment');
  try {
    const { rows } = await tx.query<{ posted: number }>('SELECT fulfillment.post_shipment($1) AS posted', [String(shipmentId)]);
    await tx.query('RELEASE SAVEPOINT post_shipment');
    return rows[0]!.posted;
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT post_shipment');
    if ((error as { code?: string }).code === 'P0002') throw new UnknownShipmentError(String(shipmentId));
    throw error;
  }
}
