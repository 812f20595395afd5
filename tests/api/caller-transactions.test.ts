/**
 * Transactions belong to the caller: every API that writes inside a caller's transaction writes
 * nothing once that transaction rolls back (none commits early), and the APIs that open
 * transactions of their own refuse a connection that is inside one.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { BACKFILLS } from '../../src/backfill/definitions.ts';
import { runBackfill } from '../../src/backfill/runner.ts';
import { createPool, urlForRole } from '../../src/db/connect.ts';
import { type ClientTransaction, withClient } from '../../src/db/tenancy.ts';
import { transaction } from '../../src/db/transaction.ts';
import { postMovement, postTransfer } from '../../src/inventory/ledger.ts';
import { refreshInventoryViews } from '../../src/inventory/views.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { catalogInventory } from '../../src/seed/catalog-inventory.ts';
import { seed } from '../../src/seed/index.ts';
import { DEMO_CLIENTS } from '../../src/seed/step.ts';
import { traceability } from '../../src/seed/traceability.ts';
import { APP_ROLE, scratchDatabase, templateName } from '../harness/db.ts';
import { dataFingerprint } from '../harness/fingerprint.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { catalogFixture } from '../inventory/fixtures.ts';

/** The application role's pool and the superuser's (for what only an operator may do), on the scratch database. */
let appPool: pg.Pool;
let operatorPool: pg.Pool;
/** The superuser's connection, which sees every client's rows: what is left behind, whoever wrote it. */
let client: pg.Client;

beforeAll(async () => {
  // A database of its own: the seed steps must find nothing of theirs there, or they write nothing.
  const database = await scratchDatabase({ template: templateName() });
  client = database.client;
  appPool = createPool(urlForRole(database.url, APP_ROLE));
  operatorPool = createPool(database.url);
});

afterAll(() => Promise.all([appPool.end(), operatorPool.end()]));

type Fixture = Awaited<ReturnType<typeof catalogFixture>>;

/**
 * Each API that writes inside the caller's transaction, with what it needs prepared in that
 * transaction, and who calls it: the application role, or an operator for what only an operator
 * may do (refreshing the materialized views, which hold every client's rows).
 */
const WRITE_APIS: [string, 'application' | 'operator', (tx: ClientTransaction) => Promise<unknown>][] = [
  ['postMovement', 'application', async (tx) => postMovement(tx, receipt(await catalogFixture(tx)))],
  [
    'postTransfer',
    'application',
    async (tx) => {
      const f = await catalogFixture(tx);
      await postMovement(tx, receipt(f));
      return postTransfer(tx, {
        productId: f.productId,
        fromWarehouseId: f.warehouseId,
        toWarehouseId: f.otherWarehouseId,
        quantity: '3',
        transferId: randomUUID(),
      });
    },
  ],
  [
    'refreshInventoryViews',
    'operator',
    async (tx) => {
      await postMovement(tx, receipt(await catalogFixture(tx)));
      return refreshInventoryViews(tx);
    },
  ],
  ['seed step: catalog and inventory demo data', 'application', (tx) => catalogInventory.run(tx, DEMO_CLIENTS[0]!)],
  [
    'seed step: traceability demo genealogy',
    'application',
    async (tx) => {
      await catalogInventory.run(tx, DEMO_CLIENTS[0]!);
      return traceability.run(tx, DEMO_CLIENTS[0]!);
    },
  ],
];

function receipt(f: Fixture) {
  return { type: 'RECEIPT' as const, productId: f.productId, warehouseId: f.warehouseId, quantity: '10', unitCost: '2.50' };
}

/**
 * {@link dataFingerprint} of what the role of `db` may read (the application role: its client's
 * rows of the tables, no materialized view): each relation's row count and a hash of its rows.
 */
async function readableFingerprint(db: pg.ClientBase): Promise<Record<string, string>> {
  const { rows: relations } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'public', 'backup')
        AND n.nspname NOT LIKE 'pg\\_%' AND has_table_privilege(c.oid, 'SELECT')
      ORDER BY 1`,
  );
  const fingerprint: Record<string, string> = {};
  for (const { name } of relations) {
    const { rows } = await db.query<{ summary: string }>(
      `SELECT count(*) || ' rows, ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') AS summary FROM ${name} t`,
    );
    fingerprint[name] = rows[0]!.summary;
  }
  return fingerprint;
}

describe("APIs that write inside the caller's transaction", () => {
  it.each(WRITE_APIS)('%s (as the %s) leaves nothing behind when the caller rolls back', async (_name, who, write) => {
    const before = await dataFingerprint(client);
    const db = who === 'application' ? appPool : operatorPool;
    const callersView = (tx: pg.ClientBase) => (who === 'application' ? readableFingerprint(tx) : dataFingerprint(tx));
    const seenBefore = await withClient(db, TEST_CLIENTS.A.id, callersView);
    let inside: Record<string, string> | undefined;
    const callerChangesItsMind = new Error('the caller rolls back');
    await expect(
      withClient(db, TEST_CLIENTS.A.id, async (tx) => {
        await write(tx);
        inside = await callersView(tx);
        throw callerChangesItsMind;
      }),
    ).rejects.toBe(callerChangesItsMind);
    // It did write, inside the transaction: otherwise this test could not fail.
    expect(inside).not.toEqual(seenBefore);
    expect(await dataFingerprint(client)).toEqual(before);
  });
});

describe('APIs that open transactions of their own', () => {
  const inTransaction = async (fn: (tx: pg.Client) => Promise<unknown>) => {
    await client.query('BEGIN');
    try {
      return await fn(client);
    } finally {
      await client.query('ROLLBACK');
    }
  };
  const refusal = { name: 'InvalidArgumentError', value: 'a connection inside a transaction' };

  it.each([
    ['deploy', (c: pg.Client) => deploy(c, { migrationsDir: MIGRATIONS_DIR })],
    ['rollback', (c: pg.Client) => rollback(c, { migrationsDir: MIGRATIONS_DIR })],
    ['verify', (c: pg.Client) => verify(c, { migrationsDir: MIGRATIONS_DIR })],
    [
      'runBackfill',
      (c: pg.Client) => runBackfill(c, BACKFILLS[0]!, { dryRun: true, batchSize: 10, startAfter: 0, maxBatches: 1, report: () => {} }),
    ],
    ['seed', (c: pg.Client) => seed(c, () => {})],
    ['transaction', (c: pg.Client) => transaction(c, async () => {})],
    ['withClient', (c: pg.Client) => withClient(c, TEST_CLIENTS.A.id, async () => {})],
  ])('%s refuses a connection inside a transaction, which its COMMIT would end', async (_name, call) => {
    await expect(inTransaction(call)).rejects.toMatchObject(refusal);
  });
});
