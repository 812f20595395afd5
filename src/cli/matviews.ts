import { withConnection } from '../db/database.ts';
import { refreshInventoryViews } from '../inventory/views.ts';
import { CommandError } from './errors.ts';
import type { Io } from './io.ts';

/** `matviews refresh`: refreshes the inventory materialized views concurrently. */
export async function matviewsRefresh(io: Io): Promise<void> {
  const ms = await withConnection(
    async (client) => {
      const { rows } = await client.query<{ found: boolean }>(
        `SELECT to_regproc('inventory.refresh_all_inventory_views') IS NOT NULL AS found`,
      );
      if (!rows[0]?.found)
        throw new CommandError(
          'the inventory views are missing: deploy the migrations first (migration 20261121105100_add_inventory_views makes them)',
        );
      return refreshInventoryViews(client);
    },
    { applicationName: 'supply-ledger matviews' },
  );
  io.out(`refreshed mv_inventory_valuation, mv_product_stock_summary and mv_low_stock_alerts concurrently in ${Math.round(ms)} ms`);
}
