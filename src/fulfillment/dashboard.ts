/**
 * Dashboard layouts (add_dashboard_personalization): saves are optimistic. A save names the version
 * it read; the database refuses it when the layout moved on meanwhile (a stale save is refused, not
 * lost), and refuses a layout whose shape is wrong.
 */
import type { ClientTransaction } from '../db/tenancy.ts';
import type { Id } from '../inventory/ledger.ts';
import { StaleLayoutError } from './errors.ts';

/** One widget on the grid. */
export interface Widget {
  id: string;
  type: string;
  x: number;
  y: number;
  w: number;
  h: number;
  settings?: Record<string, unknown>;
}

/**
 * Saves a layout's widgets over the version `expectedVersion` read, in the caller's transaction,
 * and returns the new version. Throws {@link StaleLayoutError} when the stored version is another;
 * a wrong shape fails with SQLSTATE 23514 (dashboard_layout_shape_check).
 *
 * @example
 * const version = await saveDashboardLayout(tx, layoutId, 3, [{ id: 'stock', type: 'chart', x: 0, y: 0, w: 12, h: 4 }]);
 */
export async function saveDashboardLayout(
  tx: ClientTransaction,
  layoutId: Id,
  expectedVersion: number,
  widgets: readonly Widget[],
): Promise<number> {
  const { rows } = await tx.query<{ version: number }>(
    `UPDATE fulfillment.dashboard_layout SET layout = jsonb_build_object('widgets', $3::jsonb), version = $2 + 1
      WHERE id = $1 AND version = $2 RETURNING version`,
    [String(layoutId), expectedVersion, JSON.stringify(widgets)],
  );
  if (rows[0] !== undefined) return rows[0].version;
  const current = await tx.query<{ version: number }>('SELECT version FROM fulfillment.dashboard_layout WHERE id = $1', [String(layoutId)]);
  throw new StaleLayoutError(String(layoutId), expectedVersion, current.rows[0]?.version ?? null);
}
