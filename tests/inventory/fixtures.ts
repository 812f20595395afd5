import type pg from 'pg';

let counter = 0;

/** A product and two warehouses with unique codes, for one test. */
export async function catalogFixture(
  client: pg.Pool | pg.ClientBase,
): Promise<{ productId: string; warehouseId: string; otherWarehouseId: string }> {
  counter++;
  const suffix = `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const product = await client.query<{ id: string }>(`INSERT INTO catalog.product (sku, name) VALUES ($1, $2) RETURNING id::text`, [
    `T-${suffix}`,
    `Test product ${suffix}`,
  ]);
  const warehouses = await client.query<{ id: string }>(
    `INSERT INTO catalog.warehouse (code, name) VALUES ($1, 'A'), ($2, 'B') RETURNING id::text`,
    [`WA-${suffix}`, `WB-${suffix}`],
  );
  return { productId: product.rows[0]!.id, warehouseId: warehouses.rows[0]!.id, otherWarehouseId: warehouses.rows[1]!.id };
}
