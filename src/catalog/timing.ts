/**
 * A product's stockout and order-by projection, computed now (catalog.product_timing, migration
 * add_product_timing_function): the formula `backfill product-timing` stores for every product,
 * for one product on demand (a stale stored projection, an operator's screen). Reads only.
 */
import type { ClientScoped } from '../db/tenancy.ts';
import type { ProjectionStatus } from '../generated/prisma/enums.ts';
import type { Id } from '../inventory/ledger.ts';
import { UnknownProductError } from './errors.ts';

export type { ProjectionStatus };

/** The projection of one product; the dates are null unless `status` is PROJECTED (the status says why). */
export interface ProductTiming {
  status: ProjectionStatus;
  /** Units issued per day over the demand window (4 decimals, as text); null without a window. */
  averageDailyDemand: string | null;
  /** Days of the window: 90, or since the product's first movement when later; null without history. */
  demandWindowDays: number | null;
  /** 'YYYY-MM-DD' (UTC). */
  projectedStockoutDate: string | null;
  /** The stockout date minus the product's total lead days; null without lead times. */
  lastOrderByDate: string | null;
}

/**
 * The projection of a product of the client `db` works for, as of now. Throws
 * {@link UnknownProductError} when the client has no such product.
 *
 * @example
 * const { status, lastOrderByDate } = await productTiming(pool, productId);
 */
export async function productTiming(db: ClientScoped, productId: Id): Promise<ProductTiming> {
  // A named statement: the connection keeps its plan. Planning the inlined function (three lateral
  // lookups) costs about 1 ms, five times what running it does.
  const { rows } = await db.query<ProductTiming>({
    name: 'supply-ledger catalog.product_timing',
    text: `SELECT projection_status AS status, average_daily_demand::text AS "averageDailyDemand", demand_window_days AS "demandWindowDays",
            to_char(projected_stockout_date, 'YYYY-MM-DD') AS "projectedStockoutDate", to_char(last_order_by_date, 'YYYY-MM-DD') AS "lastOrderByDate"
       FROM catalog.product_timing($1)`,
    values: [String(productId)],
  });
  if (rows[0] === undefined) throw new UnknownProductError(String(productId));
  return rows[0];
}
