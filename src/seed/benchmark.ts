/**
 * Seed steps of benchmarking. Every demo client opts in to the FOOD × SMALL cohort; so do the
 * small benchmark peers ({@link DEMO_BENCHMARK_PEERS}), each with a little data of its own, so that
 * the cohort has the 5 participants a published snapshot needs. Metrics and snapshots are the
 * operator's to compute and publish (benchmark.compute_client_metrics, benchmark.publish_snapshots:
 * the seed runs them after the steps), under the database's privacy rules, which the seed does not
 * bend: 5 participants publish P25 and P50, P75 and P90 wait for 10. Idempotent: one participation
 * per client, natural keys upsert, movements carry idempotency keys.
 */
import type { ClientTransaction } from '../db/tenancy.ts';
import { postMovement } from '../inventory/ledger.ts';
import type { DemoClient, SeedStep } from './step.ts';

/** The cohort every demo participant joins. */
async function optIn(tx: ClientTransaction): Promise<void> {
  await tx.query(`
    INSERT INTO benchmark.benchmark_participation (industry, size_band, joined_at) VALUES ('FOOD', 'SMALL', '2026-01-01')
    ON CONFLICT (client_id) DO NOTHING`);
}

export const benchmark: SeedStep = {
  name: 'benchmark opt-in',
  run: optIn,
};

/**
 * A benchmark peer's little data: a warehouse, 2 + scale products, a receipt and an issue of the
 * first one this month (so its stock, turnover and demand are real), one order request, and the
 * opt-in. Different scales give the cohort different values to take percentiles of.
 */
export const benchmarkPeer: SeedStep = {
  name: 'benchmark peer',
  async run(tx, peer: DemoClient) {
    const one = async (sql: string, params: unknown[] = []) => (await tx.query<{ id: string }>(sql, params)).rows[0]!.id;
    await tx.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('MAIN', 'Main store') ON CONFLICT (client_id, code) DO NOTHING`);
    const warehouseId = await one(`SELECT id::text FROM catalog.warehouse WHERE code = 'MAIN'`);
    for (let i = 1; i <= 2 + peer.scale; i++) {
      await tx.query(`INSERT INTO catalog.product (sku, name) VALUES ($1, $2) ON CONFLICT (client_id, sku) DO NOTHING`, [
        `PEER-00${i}`,
        `Pantry item ${i}`,
      ]);
    }
    const productId = await one(`SELECT id::text FROM catalog.product WHERE sku = 'PEER-001'`);
    await postMovement(tx, {
      type: 'RECEIPT',
      productId,
      warehouseId,
      quantity: String(40 * peer.scale),
      unitCost: '12.50',
      idempotencyKey: 'seed-peer-grn-1',
    });
    await postMovement(tx, { type: 'ISSUE', productId, warehouseId, quantity: String(-15 * peer.scale), idempotencyKey: 'seed-peer-so-1' });
    await tx.query(
      `INSERT INTO fulfillment.order_request (order_number, customer_name, status, warehouse_id)
       VALUES ('PEER-ORD-1', 'Walk-in customer', 'APPROVED', $1) ON CONFLICT (client_id, order_number) DO NOTHING`,
      [warehouseId],
    );
    await optIn(tx);
  },
};
