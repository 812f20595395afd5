/**
 * Posting to the stock ledger. The database does the work (inventory.stock_movement's trigger
 * values each movement and maintains stock_level); these functions give it typed inputs and
 * return what the trigger recorded. Quantities and money are decimal strings, never floats.
 */
import type pg from 'pg';

export type MovementType =
  | 'RECEIPT'
  | 'ISSUE'
  | 'TRANSFER_OUT'
  | 'TRANSFER_IN'
  | 'ADJUSTMENT_IN'
  | 'ADJUSTMENT_OUT'
  | 'RETURN_FROM_CUSTOMER'
  | 'RETURN_TO_SUPPLIER'
  | 'PRODUCTION_CONSUME'
  | 'PRODUCTION_OUTPUT'
  | 'WRITE_OFF';

export type ReferenceType =
  | 'PURCHASE_ORDER'
  | 'GOODS_RECEIPT'
  | 'SALES_ORDER'
  | 'SHIPMENT'
  | 'TRANSFER'
  | 'STOCK_COUNT'
  | 'PRODUCTION_RUN'
  | 'RETURN'
  | 'MANUAL'
  | 'MIGRATION';

/** Ids are bigint in the database: pass them as strings or numbers. */
export type Id = string | number | bigint;
/** An exact decimal: a string such as '12.5000', or a number that is exactly representable. */
export type Decimal = string | number;

export interface MovementInput {
  type: MovementType;
  productId: Id;
  warehouseId: Id;
  /** Signed: positive for inbound types, negative otherwise (the opposite for a reversal). */
  quantity: Decimal;
  /** Required for inbound movements (except transfers in and returns, which take the original cost). */
  unitCost?: Decimal | undefined;
  transferId?: string | undefined;
  reversesMovementId?: Id | undefined;
  returnsMovementId?: Id | undefined;
  referenceType?: ReferenceType | undefined;
  referenceId?: string | undefined;
  reason?: string | undefined;
  /** Posting the same key again posts nothing and returns the movement posted the first time. */
  idempotencyKey?: string | undefined;
  occurredAt?: Date | undefined;
}

/** A posted movement, with the level state the trigger recorded on it. */
export interface PostedMovement {
  id: string;
  type: MovementType;
  quantity: string;
  unitCost: string | null;
  valueDelta: string | null;
  qtyAfter: string;
  avgCostAfter: string | null;
  valueAfter: string | null;
  levelSequence: string;
  /** False when the idempotency key had been posted already (this is that earlier movement). */
  created: boolean;
}

const RETURNED_COLUMNS = `id::text, movement_type AS type, quantity::text, unit_cost::text AS "unitCost", value_delta::text AS "valueDelta",
  qty_after::text AS "qtyAfter", avg_cost_after::text AS "avgCostAfter", value_after::text AS "valueAfter",
  level_sequence::text AS "levelSequence"`;

/**
 * Posts one movement. Errors are PostgreSQL's, with their SQLSTATE: 23514 (check_violation) for
 * a broken rule (not enough stock, wrong sign, missing cost...), 23503 for unknown product or
 * warehouse.
 *
 * @example
 * await postMovement(pool, { type: 'RECEIPT', productId: 7, warehouseId: 1, quantity: '10', unitCost: '50.00' });
 */
export async function postMovement(db: pg.Pool | pg.ClientBase, input: MovementInput): Promise<PostedMovement> {
  const { rows } = await db.query<Omit<PostedMovement, 'created'>>(
    `INSERT INTO inventory.stock_movement
       (movement_type, product_id, warehouse_id, quantity, unit_cost, transfer_id, reverses_movement_id, returns_movement_id,
        reference_type, reference_id, reason, idempotency_key, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, coalesce($13, now()))
     RETURNING ${RETURNED_COLUMNS}`,
    [
      input.type,
      String(input.productId),
      String(input.warehouseId),
      String(input.quantity),
      input.unitCost === undefined ? null : String(input.unitCost),
      input.transferId ?? null,
      input.reversesMovementId === undefined ? null : String(input.reversesMovementId),
      input.returnsMovementId === undefined ? null : String(input.returnsMovementId),
      input.referenceType ?? null,
      input.referenceId ?? null,
      input.reason ?? null,
      input.idempotencyKey ?? null,
      input.occurredAt ?? null,
    ],
  );
  if (rows[0]) return { ...rows[0], created: true };
  // The trigger skipped the row: its idempotency key was posted before.
  const earlier = input.idempotencyKey === undefined ? undefined : await movementByKey(db, input.idempotencyKey);
  if (!earlier) throw new Error('stock movement was neither posted nor found by its idempotency key');
  return earlier;
}

/** The movement posted with `idempotencyKey`, if any. */
async function movementByKey(db: pg.Pool | pg.ClientBase, idempotencyKey: string): Promise<PostedMovement | undefined> {
  const { rows } = await db.query<Omit<PostedMovement, 'created'>>(
    `SELECT ${RETURNED_COLUMNS} FROM inventory.stock_movement WHERE idempotency_key = $1`,
    [idempotencyKey],
  );
  return rows[0] && { ...rows[0], created: false };
}

/**
 * Moves stock between warehouses: a TRANSFER_OUT and its TRANSFER_IN (at the cost it left with),
 * in one transaction on `client`, which must not be inside one already. The two levels are locked
 * in warehouse order, the order every multi-level writer should use, so that no two transfers
 * deadlock.
 */
export async function postTransfer(
  client: pg.ClientBase,
  transfer: {
    productId: Id;
    fromWarehouseId: Id;
    toWarehouseId: Id;
    quantity: Decimal;
    transferId: string;
    referenceId?: string;
    /** Posting the same key again posts nothing and returns the two movements posted the first time. */
    idempotencyKey?: string;
  },
): Promise<{ out: PostedMovement; in: PostedMovement }> {
  const quantity = String(transfer.quantity);
  const common = { productId: transfer.productId, transferId: transfer.transferId, referenceType: 'TRANSFER' as const, referenceId: transfer.referenceId };
  const key = (half: string) => (transfer.idempotencyKey === undefined ? undefined : `${transfer.idempotencyKey}:${half}`);
  await client.query('BEGIN');
  try {
    // Lock both levels first, lower warehouse id first, then post OUT before IN as the ledger requires.
    await client.query(
      `SELECT 1 FROM inventory.stock_level WHERE product_id = $1 AND warehouse_id = ANY($2::bigint[]) ORDER BY warehouse_id FOR UPDATE`,
      [String(transfer.productId), [String(transfer.fromWarehouseId), String(transfer.toWarehouseId)]],
    );
    const out = await postMovement(client, { ...common, type: 'TRANSFER_OUT', warehouseId: transfer.fromWarehouseId, quantity: `-${quantity}`, idempotencyKey: key('out') });
    // A transfer posted before under this key: its IN is already there too.
    const into =
      (!out.created && (await movementByKey(client, key('in')!))) ||
      (await postMovement(client, { ...common, type: 'TRANSFER_IN', warehouseId: transfer.toWarehouseId, quantity, idempotencyKey: key('in') }));
    await client.query('COMMIT');
    return { out, in: into };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** The stock level of one product in one warehouse, or undefined when it never had stock. */
export interface StockLevel {
  qtyOnHand: string;
  qtyReserved: string;
  costPrice: string | null;
  costMethod: 'WEIGHTED_AVERAGE' | 'LAST_RECEIPT' | null;
  totalValue: string | null;
  movementCount: string;
}

export async function stockLevel(db: pg.Pool | pg.ClientBase, productId: Id, warehouseId: Id): Promise<StockLevel | undefined> {
  const { rows } = await db.query<StockLevel>(
    `SELECT qty_on_hand::text AS "qtyOnHand", qty_reserved::text AS "qtyReserved", cost_price::text AS "costPrice",
            cost_method AS "costMethod", total_value::text AS "totalValue", movement_count::text AS "movementCount"
       FROM inventory.stock_level WHERE product_id = $1 AND warehouse_id = $2`,
    [String(productId), String(warehouseId)],
  );
  return rows[0];
}
