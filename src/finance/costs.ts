/**
 * Inventory finance (add_financial_tracking): the monthly cost tracking refresh and budget variance.
 * The database computes everything (finance.refresh_cost_tracking, finance.v_budget_variance);
 * these functions give it typed inputs and return decimal strings, never floats.
 */
import type { ClientScoped } from '../db/tenancy.ts';

export interface CostTrackingOptions {
  /**
   * L of the safety stock, in days, for every product: an override (a what-if). Without it each
   * product's own `total_lead_days` is used, and a product without one gets safety stock NULL with
   * the reason. `lead_time_basis` on each row says which (PRODUCT or OVERRIDE).
   */
  leadTimeDays?: number | undefined;
  /** z of the service level (default 1.6449: 95 %). */
  serviceZ?: number | undefined;
}

/**
 * Recomputes the month of `month` (any date in it, 'YYYY-MM-DD') for the client `db` works for:
 * one row per product with ledger history, replaced when refreshed again. Returns the rows written.
 * Fails with SQLSTATE 42501 without a client, 22023 for a negative lead time or z.
 *
 * @example
 * await refreshCostTracking(clientPool, '2026-11-01'); // each product's own lead time
 * await refreshCostTracking(clientPool, '2026-11-01', { leadTimeDays: 30 }); // what if every lead time were 30 days?
 */
export async function refreshCostTracking(db: ClientScoped, month: string, options: CostTrackingOptions = {}): Promise<number> {
  const { rows } = await db.query<{ written: number }>(
    'SELECT finance.refresh_cost_tracking($1::date, $2, coalesce($3, 1.6449)) AS written',
    [month, options.leadTimeDays ?? null, options.serviceZ ?? null],
  );
  return rows[0]!.written;
}

/** A budget with the actual purchases of its period and variance = amount − actual. */
export interface BudgetVariance {
  budgetId: string;
  /** null: the budget covers all products. */
  productId: string | null;
  name: string;
  periodStart: string;
  periodEnd: string;
  amount: string;
  actual: string;
  variance: string;
  /** variance as a percentage of the amount; null for a zero budget. */
  variancePct: string | null;
}

/**
 * The budgets of the client `db` works for whose period overlaps [from, to], with their variance.
 *
 * @example
 * const rows = await budgetVariance(clientPool, '2026-01-01', '2026-12-31');
 */
export async function budgetVariance(db: ClientScoped, from: string, to: string): Promise<BudgetVariance[]> {
  const { rows } = await db.query<BudgetVariance>(
    `SELECT budget_id::text AS "budgetId", product_id::text AS "productId", name, period_start::text AS "periodStart",
            period_end::text AS "periodEnd", amount::text, actual::text, variance::text, variance_pct::text AS "variancePct"
       FROM finance.v_budget_variance
      WHERE period_start <= $2::date AND period_end >= $1::date
      ORDER BY period_start, budget_id`,
    [from, to],
  );
  return rows;
}
