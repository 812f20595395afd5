import type { ClientTransaction } from '../db/tenancy.ts';

/** A client the seed creates, and what makes its demo data its own. */
export interface DemoClient {
  code: string;
  name: string;
  /** Multiplies the demo quantities, so that the two clients' stock and traces visibly differ. */
  scale: number;
}

/** The two demo clients: the same codes in each (isolation, not naming, keeps them apart). */
export const DEMO_CLIENTS: readonly DemoClient[] = [
  { code: 'DEMO-BAKERY', name: 'Harbour Bakery (demo)', scale: 1 },
  { code: 'DEMO-DELI', name: 'Hillside Deli (demo)', scale: 2 },
];

/**
 * Small demo clients that only take part in benchmarking, beside the two demo clients, so that their
 * FOOD × SMALL cohort reaches the 5 participants a published snapshot needs (the database refuses
 * fewer: benchmark_snapshot's CHECK). A few products, a warehouse, a receipt and an issue, an order
 * each; nothing else of theirs is demo data.
 */
export const DEMO_BENCHMARK_PEERS: readonly DemoClient[] = [
  { code: 'DEMO-PEER-1', name: 'Riverside Pantry (demo benchmark peer)', scale: 1 },
  { code: 'DEMO-PEER-2', name: 'Valley Creamery (demo benchmark peer)', scale: 2 },
  { code: 'DEMO-PEER-3', name: 'Coastal Provisions (demo benchmark peer)', scale: 3 },
];

/**
 * One step of the seed. Steps run in the order of SEED_STEPS (index.ts), for each demo client, in
 * a transaction working for that client, and each must be idempotent (upserts, "insert if
 * missing"), because `db:setup` runs the seed on every call.
 */
export interface SeedStep {
  name: string;
  run(tx: ClientTransaction, client: DemoClient): Promise<void>;
}
