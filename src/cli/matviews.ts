import { withConnection } from '../db/database.ts';
import { refreshInventoryViews } from '../inventory/views.ts';
import { CommandError } from './errors.ts';
import type { Io } from './io.ts';

/**
 * `matviews refresh`: refreshes the inventory materialized views concurrently. An operator's
 * command: the views hold every client's rows, and only their owner (supply_ledger_owner, or a
 * login that is its member) or a superuser may refresh them; any other role gets one line saying so.
 */
export async function matviewsRefresh(io: Io): Promise<void> {
  const ms = await withConnection(
    async (client) => {
      const { rows } = await client.query<{ found: boolean; allowed: boolean | null; role: string }>(
        `SELECT to_regprocedure('inventory.refresh_all_inventory_views()') IS NOT NULL AS found,
                has_function_privilege(to_regprocedure('inventory.refresh_all_inventory_views()'), 'EXECUTE') AS allowed,
                current_user AS role`,
      );
      const { found, allowed, role } = rows[0]!;
      if (!found)
        throw new CommandError(
          'the inventory views are missing: deploy the migrations first (migration 20261121105100_add_inventory_views makes them)',
        );
      if (!allowed)
        throw new CommandError(
          `refreshing the materialized views is an operator's: connect as a superuser or a member of supply_ledger_owner (connected as ${role})`,
        );
      return refreshInventoryViews(client);
    },
    { applicationName: 'supply-ledger matviews' },
  );
  io.out(`refreshed mv_inventory_valuation, mv_product_stock_summary and mv_low_stock_alerts concurrently in ${Math.round(ms)} ms`);
}
