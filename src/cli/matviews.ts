import { connect } from '../db/connect.ts';
import { withResolvedDatabase } from '../db/resolve.ts';
import { refreshInventoryViews } from '../inventory/views.ts';

/** `matviews refresh`: refreshes the inventory materialized views concurrently. */
export async function matviewsRefresh(): Promise<void> {
  const ms = await withResolvedDatabase(async (url) => {
    const client = await connect(url, 'supply-ledger matviews');
    try {
      return await refreshInventoryViews(client);
    } finally {
      await client.end();
    }
  });
  console.log(`refreshed mv_inventory_valuation, mv_product_stock_summary and mv_low_stock_alerts concurrently in ${Math.round(ms)} ms`);
}
