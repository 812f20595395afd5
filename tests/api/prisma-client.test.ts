/**
 * The Prisma client working for one client (src/db/prisma.ts `forClient`), as the application role:
 * single queries, interactive and batch transactions run with the client set, see only its rows,
 * and roll back as a whole; and its documented limit holds as documented.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { createPrismaClient } from '../../src/db/prisma.ts';
import { APP_ROLE, adminPool, pool, prisma, workerUrlAs } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';

/** A brand name no other test uses. */
const name = () => `Prisma probe ${randomUUID()}`;
const made: string[] = [];

/** Brands of that name, whichever client they belong to (counted as the superuser). */
async function brandsNamed(brand: string): Promise<{ client_id: string }[]> {
  return (await adminPool().query<{ client_id: string }>('SELECT client_id::text FROM catalog.brand WHERE name = $1', [brand])).rows;
}

afterEach(async () => {
  await adminPool().query('DELETE FROM catalog.brand WHERE name = ANY ($1)', [made.splice(0)]);
});

describe('forClient(prisma, clientId)', () => {
  it("writes rows of its client and reads only its client's rows", async () => {
    const brand = name();
    made.push(brand);
    await prisma().brand.create({ data: { name: brand } });
    await pool(TEST_CLIENTS.B).query('INSERT INTO catalog.brand (name) VALUES ($1)', [brand]);
    expect((await brandsNamed(brand)).map((row) => row.client_id).sort()).toEqual([TEST_CLIENTS.A.id, TEST_CLIENTS.B.id]);
    const seen = await prisma().brand.findMany({ where: { name: brand } });
    expect(seen.map((row) => String(row.clientId))).toEqual([TEST_CLIENTS.A.id]);
    expect(await prisma().brand.count({ where: { clientId: BigInt(TEST_CLIENTS.B.id) } })).toBe(0);
  });

  it('runs an interactive transaction with the client set, and rolls all of it back when it throws', async () => {
    const brand = name();
    made.push(brand);
    const failing = prisma().$transaction(async (tx) => {
      await tx.brand.create({ data: { name: brand } });
      const setting = await tx.$queryRaw<{ client: string }[]>`SELECT current_setting('app.client_id') AS client`;
      expect(setting).toEqual([{ client: TEST_CLIENTS.A.id }]);
      expect(await tx.brand.count({ where: { name: brand } })).toBe(1);
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    expect(await brandsNamed(brand)).toEqual([]);
    const committed = await prisma().$transaction(async (tx) => tx.brand.create({ data: { name: brand } }));
    expect(String(committed.clientId)).toBe(TEST_CLIENTS.A.id);
    expect(await brandsNamed(brand)).toEqual([{ client_id: TEST_CLIENTS.A.id }]);
  });

  it('runs a batch transaction with the client set, atomically', async () => {
    const brand = name();
    made.push(brand);
    // The second create breaks brand_client_id_name_key: the first goes with it.
    const failing = prisma().$transaction([
      prisma().brand.create({ data: { name: brand } }),
      prisma().brand.create({ data: { name: brand } }),
    ]);
    await expect(failing).rejects.toMatchObject({ code: 'P2002' });
    expect(await brandsNamed(brand)).toEqual([]);
    const [created, count] = await prisma().$transaction([
      prisma().brand.create({ data: { name: brand } }),
      prisma().brand.count({ where: { name: brand } }),
    ]);
    expect([String(created.clientId), count]).toEqual([TEST_CLIENTS.A.id, 1]);
  });

  it('(its limit) runs a query made on the scoped client inside the callback, not on tx, outside the transaction', async () => {
    const [inside, outside] = [name(), name()];
    made.push(inside, outside);
    const scoped = prisma();
    const failing = scoped.$transaction(async (tx) => {
      await tx.brand.create({ data: { name: inside } });
      await scoped.brand.create({ data: { name: outside } });
      throw new Error('roll back');
    });
    await expect(failing).rejects.toThrow('roll back');
    expect(await brandsNamed(inside)).toEqual([]);
    // It ran with the client set all the same, in a transaction of its own that committed.
    expect(await brandsNamed(outside)).toEqual([{ client_id: TEST_CLIENTS.A.id }]);
  });

  it('without forClient, the application role sees nothing and may write nothing', async () => {
    const unscoped = createPrismaClient(workerUrlAs(APP_ROLE));
    try {
      const brand = name();
      made.push(brand);
      await prisma().brand.create({ data: { name: brand } });
      expect(await unscoped.brand.count({ where: { name: brand } })).toBe(0);
      // No client: the default client_id is NULL and the policy refuses the row (42501).
      await expect(unscoped.brand.create({ data: { name: name() } })).rejects.toThrow(/row-level security|42501/);
    } finally {
      await unscoped.$disconnect();
    }
  });
});
