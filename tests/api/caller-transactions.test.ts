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
import { createPool } from '../../src/db/connect.ts';
import { type Transaction, transaction } from '../../src/db/transaction.ts';
import { postMovement, postTransfer } from '../../src/inventory/ledger.ts';
import { refreshInventoryViews } from '../../src/inventory/views.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { catalogInventory } from '../../src/seed/catalog-inventory.ts';
import { seed } from '../../src/seed/index.ts';
import { traceability } from '../../src/seed/traceability.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';
import { dataFingerprint } from '../harness/fingerprint.ts';
import { catalogFixture } from '../inventory/fixtures.ts';

let pool: pg.Pool;
let client: pg.Client;

beforeAll(async () => {
  // A database of its own: the seed steps must find nothing of theirs there, or they write nothing.
  const database = await scratchDatabase({ template: templateName() });
  client = database.client;
  pool = createPool(database.url);
});

afterAll(() => pool.end());

type Fixture = Awaited<ReturnType<typeof catalogFixture>>;

/** Each API that writes inside the caller's transaction, with what it needs prepared in that transaction. */
const WRITE_APIS: [string, (tx: Transaction) => Promise<unknown>][] = [
  ['postMovement', async (tx) => postMovement(tx, receipt(await catalogFixture(tx)))],
  [
    'postTransfer',
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
    async (tx) => {
      await postMovement(tx, receipt(await catalogFixture(tx)));
      return refreshInventoryViews(tx);
    },
  ],
  ['seed step: catalog and inventory demo data', (tx) => catalogInventory.run(tx)],
  [
    'seed step: traceability demo genealogy',
    async (tx) => {
      await catalogInventory.run(tx);
      return traceability.run(tx);
    },
  ],
];

function receipt(f: Fixture) {
  return { type: 'RECEIPT' as const, productId: f.productId, warehouseId: f.warehouseId, quantity: '10', unitCost: '2.50' };
}

describe("APIs that write inside the caller's transaction", () => {
  it.each(WRITE_APIS)('%s leaves nothing behind when the caller rolls back', async (_name, write) => {
    const before = await dataFingerprint(client);
    let inside: Record<string, string> | undefined;
    const callerChangesItsMind = new Error('the caller rolls back');
    await expect(
      transaction(pool, async (tx) => {
        await write(tx);
        inside = await dataFingerprint(tx);
        throw callerChangesItsMind;
      }),
    ).rejects.toBe(callerChangesItsMind);
    // It did write, inside the transaction: otherwise this test could not fail.
    expect(inside).not.toEqual(before);
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
  ])('%s refuses a connection inside a transaction, which its COMMIT would end', async (_name, call) => {
    await expect(inTransaction(call)).rejects.toMatchObject(refusal);
  });
});
