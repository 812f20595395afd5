import type pg from 'pg';
import { withClient } from '../db/tenancy.ts';
import { assertOutsideTransaction } from '../db/transaction.ts';
import { refreshInventoryViews } from '../inventory/views.ts';
import { benchmark, benchmarkPeer } from './benchmark.ts';
import { catalogInventory } from './catalog-inventory.ts';
import { replenishment } from './replenishment.ts';
import { DEMO_BENCHMARK_PEERS, DEMO_CLIENTS, type DemoClient, type SeedStep } from './step.ts';
import { finance } from './finance.ts';
import { fulfillment } from './fulfillment.ts';
import { traceability } from './traceability.ts';

/** The seed's steps, run for each demo client, in order. Each domain adds its own. */
export const SEED_STEPS: SeedStep[] = [catalogInventory, traceability, fulfillment, finance, benchmark, replenishment];

/** Whether the seed may run: never with NODE_ENV=production unless ALLOW_SEED=true says so. */
export function seedAllowed(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV !== 'production' || env.ALLOW_SEED === 'true';
}

/**
 * Seeds the demo clients ({@link DEMO_CLIENTS}), each with its own catalog, stock history and
 * genealogy, so that isolation can be seen (`trace forward DEMO-TLC-EGG-001 --client DEMO-BAKERY`
 * and `--client DEMO-DELI` answer differently), and the small benchmark peers
 * ({@link DEMO_BENCHMARK_PEERS}) that make their benchmark cohort large enough to publish. Creating the clients needs an operator's role (a
 * superuser or the owner); each step then runs as the application role (`supply_ledger_app`), in a
 * transaction of its own working for one client, so that row-level security decides what it sees
 * and writes, as for an application. Returns how many steps ran.
 *
 * @example
 * await seed(adminPool, console.log);
 */
export async function seed(db: pg.Pool | pg.Client, report: (line: string) => void): Promise<number> {
  // Refused before the clients are created: the seed opens transactions of its own.
  if (!('totalCount' in db)) assertOutsideTransaction(db, 'seed');
  let steps = 0;
  const runs: [DemoClient, SeedStep[]][] = [
    ...DEMO_CLIENTS.map((client): [DemoClient, SeedStep[]] => [client, SEED_STEPS]),
    ...DEMO_BENCHMARK_PEERS.map((peer): [DemoClient, SeedStep[]] => [peer, [benchmarkPeer]]),
  ];
  for (const [client, clientSteps] of runs) {
    const id = await ensureClient(db, client);
    for (const step of clientSteps) {
      report(`[seed] ${client.code}: ${step.name}`);
      await withClient(db, id, async (tx) => {
        await tx.query('SET LOCAL ROLE supply_ledger_app');
        await step.run(tx, client);
      });
      steps++;
    }
  }
  // Benchmark metrics read every participant: computing them (and publishing what passes the
  // privacy rules) is the operator's, for the current month.
  await db.query('SELECT benchmark.compute_client_metrics(current_date), benchmark.publish_snapshots(current_date)');
  // The materialized views cover every client; refreshing them is the operator's.
  await refreshInventoryViews(db);
  report(`[seed] ${steps} step${steps === 1 ? '' : 's'} done`);
  return steps;
}

/** The demo client's id, created when missing. */
async function ensureClient(db: pg.Pool | pg.Client, client: DemoClient): Promise<string> {
  await db.query('INSERT INTO core.client (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING', [client.code, client.name]);
  const { rows } = await db.query<{ id: string }>('SELECT id::text FROM core.client WHERE code = $1', [client.code]);
  return rows[0]!.id;
}
