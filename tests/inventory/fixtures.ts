import type { ClientScoped } from '../../src/db/tenancy.ts';

let counter = 0;

/** A suffix no other fixture of this test run has. */
export function uniqueSuffix(): string {
  counter++;
  return `${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * A product and two warehouses of the client `db` works for, for one test: codes unique to the
 * call, or made of `suffix` (so that two clients can be given the same SKU and warehouse codes).
 */
export async function catalogFixture(
  db: ClientScoped,
  suffix = uniqueSuffix(),
): Promise<{ productId: string; warehouseId: string; otherWarehouseId: string; sku: string }> {
  const sku = `T-${suffix}`;
  const product = await db.query<{ id: string }>(`INSERT INTO catalog.product (sku, name) VALUES ($1, $2) RETURNING id::text`, [
    sku,
    `Test product ${suffix}`,
  ]);
  const warehouses = await db.query<{ id: string }>(
    `INSERT INTO catalog.warehouse (code, name) VALUES ($1, 'A'), ($2, 'B') RETURNING id::text`,
    [`WA-${suffix}`, `WB-${suffix}`],
  );
  return { productId: product.rows[0]!.id, warehouseId: warehouses.rows[0]!.id, otherWarehouseId: warehouses.rows[1]!.id, sku };
}
