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

// The two reads run as named statements: the connection keeps their plans. Planning either (the
// row-level security predicate included) takes several times as long as running it, one index scan
// (docs/design/fulfillment.md, "Reads"). Exported for bench/fulfillment.ts, not by the library.
export const SHIPMENT_STATE_SQL = `SELECT id::text, status, progress_status AS "progressStatus", progress_at AS "progressAt", exception_at AS "exceptionAt",
       exception_reason AS "exceptionReason", delivered_at AS "deliveredAt", shipped_at AS "shippedAt"
  FROM fulfillment.shipment WHERE id = $1`;
// Ordered by e.id, the bigint: a bare `id` would name the output column, its text ('10' before '9').
export const SHIPMENT_HISTORY_SQL = `SELECT e.id::text, e.status, e.carrier_status_code AS "carrierStatusCode", e.description, e.location,
       e.occurred_at AS "occurredAt", e.received_at AS "receivedAt"
  FROM fulfillment.carrier_event e WHERE e.shipment_id = $1 ORDER BY e.occurred_at, e.id`;

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
  const { rows } = await db.query<ShipmentState>({
    name: 'supply-ledger fulfillment.shipment state',
    text: SHIPMENT_STATE_SQL,
    values: [String(shipmentId)],
  });
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
  const { rows } = await db.query<TrackingEvent>({
    name: 'supply-ledger fulfillment.carrier_event history',
    text: SHIPMENT_HISTORY_SQL,
    values: [String(shipmentId)],
  });
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
