/**
 * A relief world for the replenishment tests, made inside the caller's rolled-back transaction as
 * the application role: warehouses with relief settings serving one event, relief products, and
 * helpers to post stock through the ledger at chosen times.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export const T0 = new Date('2026-12-01T00:00:00Z');
/** T0 plus `hours`. */
export const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

export interface World {
  event: string;
  supplier: string;
  warehouses: string[];
  products: string[];
}

async function one(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await client.query<{ id: string }>(sql, params);
  return rows[0]!.id;
}

/** `warehouses` warehouses and `products` relief products, all serving one new event. */
export async function reliefWorld(client: pg.ClientBase, options: { warehouses?: number; products?: number } = {}): Promise<World> {
  const tag = randomUUID().slice(0, 8);
  const event = await one(
    client,
    `INSERT INTO replenishment.event (code, name, event_type, started_at, phase_changed_at) VALUES ($1, 'test event', 'FLOOD', $2, $2) RETURNING id::text`,
    [`EV-${tag}`, at(-1000)],
  );
  const supplier = await one(client, `INSERT INTO catalog.supplier (code, name) VALUES ($1, 'relief supplier') RETURNING id::text`, [
    `S-${tag}`,
  ]);
  const warehouses: string[] = [];
  for (let i = 0; i < (options.warehouses ?? 2); i++) {
    const id = await one(client, `INSERT INTO catalog.warehouse (code, name) VALUES ($1, 'relief test') RETURNING id::text`, [
      `W${i}-${tag}`,
    ]);
    await client.query('INSERT INTO replenishment.warehouse_setting (warehouse_id, event_id) VALUES ($1, $2)', [id, event]);
    warehouses.push(id);
  }
  const products: string[] = [];
  for (let i = 0; i < (options.products ?? 1); i++) {
    const id = await one(client, `INSERT INTO catalog.product (sku, name) VALUES ($1, 'relief item') RETURNING id::text`, [`P${i}-${tag}`]);
    await client.query('INSERT INTO replenishment.item_setting (product_id) VALUES ($1)', [id]);
    products.push(id);
  }
  return { event, supplier, warehouses, products };
}

/** Posts a movement through the ledger at `when`. */
export async function move(
  client: pg.ClientBase,
  type: 'RECEIPT' | 'ISSUE',
  product: string,
  warehouse: string,
  quantity: number,
  when: Date,
): Promise<void> {
  await client.query(
    `INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [type, product, warehouse, type === 'RECEIPT' ? quantity : -quantity, type === 'RECEIPT' ? '1.00' : null, when],
  );
}
