/**
 * The backfill runner on a database of clients: the legacy rows are written by the application
 * role for each of the test clients A and B (as an older application version left them); the
 * backfills run as an operator (the superuser of the scratch database), client by client, which is
 * what they need: the batch functions are the operator's, and the verification counts every
 * client's rows. A database deployed before the clients existed (one run, no client) is
 * tests/migration-history/backfill-finalize.test.ts's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { BACKFILLS } from '../../src/backfill/definitions.ts';
import { type BackfillOptions, runBackfill } from '../../src/backfill/runner.ts';
import { connect, createPool, quoteIdent, urlForRole } from '../../src/db/connect.ts';
import { withClient } from '../../src/db/tenancy.ts';
import { transaction } from '../../src/db/transaction.ts';
import { BackfillClientError, BackfillNotDeployedError, BackfillRoleError, BackfillVerificationError } from '../../src/backfill/errors.ts';
import { expectOneLine, runCli } from '../harness/cli.ts';
import { APP_ROLE, createScratchDatabase, dropScratchDatabase, scratchDatabase, serverUrl, templateName } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { TEST_CLIENTS, type TestClient } from '../harness/template.ts';

const definition = (name: string) => BACKFILLS.find((backfill) => backfill.name === name)!;
const { A, B } = TEST_CLIENTS;

/** Runs a backfill, collecting what it reports. */
async function run(client: pg.Client, name: string, options: Partial<Omit<BackfillOptions, 'report'>> = {}) {
  const lines: string[] = [];
  const summary = await runBackfill(client, definition(name), {
    dryRun: false,
    batchSize: 1000,
    maxBatches: undefined,
    ...options,
    report: (line) => lines.push(line),
  });
  return { summary, lines };
}

const progress = (lines: string[]) => lines.filter((line) => line.startsWith('[progress]'));

/** Products as the previous application version still writes them: a legacy brand name, no link. */
const LEGACY_PRODUCTS = [
  ['BF-01', 'Zenith'],
  ['BF-02', ' zenith '],
  ['BF-03', 'ZENITH'],
  ['BF-04', 'Nadir'],
  ['BF-05', ''],
  ['BF-06', null],
  ['BF-07', 'nadir'],
  ['BF-08', 'Apex'],
  ['BF-09', 'Acme'], // the brand ACME exists already: linked to it, not created again
  ['BF-10', 'apex'],
  ['BF-11', 'Meridian'],
  ['BF-12', 'Meridian '],
];

const LINKED = [
  ['BF-01', 'Zenith'],
  ['BF-02', 'Zenith'],
  ['BF-03', 'Zenith'],
  ['BF-04', 'Nadir'],
  ['BF-05', null],
  ['BF-06', null],
  ['BF-07', 'Nadir'],
  ['BF-08', 'Apex'],
  ['BF-09', 'ACME'],
  ['BF-10', 'Apex'],
  ['BF-11', 'Meridian'],
  ['BF-12', 'Meridian'],
];

describe('backfills, client by client', () => {
  let url: string;
  /** The superuser's connection: the operator who runs the backfills. */
  let client: pg.Client;
  /** The application role's pool, for the rows each client writes and reads. */
  let appPool: pg.Pool;
  /** The superuser's pool, for what only an operator may write (around the ledger). */
  let operatorPool: pg.Pool;
  const as = <T>(who: TestClient, fn: (tx: pg.ClientBase) => Promise<T>) => withClient(appPool, who.id, fn);

  beforeAll(async () => {
    ({ url, client } = await scratchDatabase({ template: templateName() }));
    appPool = createPool(urlForRole(url, APP_ROLE));
    operatorPool = createPool(url);
  });
  afterAll(() => Promise.all([appPool.end(), operatorPool.end()]));

  beforeEach(async () => {
    // Each client's legacy products, the same SKUs in both, written by the application role.
    for (const who of [A, B]) {
      await as(who, async (tx) => {
        await tx.query(`DELETE FROM catalog.product WHERE sku LIKE 'BF-%'; DELETE FROM catalog.brand; DELETE FROM catalog.supplier`);
        await tx.query(`INSERT INTO catalog.brand (name) VALUES ('ACME')`);
        await tx.query(
          `INSERT INTO catalog.product (sku, name, brand) SELECT sku, 'Product ' || sku, brand FROM unnest($1::text[], $2::text[]) AS t(sku, brand) ORDER BY sku`,
          [LEGACY_PRODUCTS.map(([sku]) => sku), LEGACY_PRODUCTS.map(([, brand]) => brand)],
        );
      });
    }
  });

  /** A client's products and the brand each is linked to, as that client sees them. */
  const links = (who: TestClient) =>
    as(who, async (tx) =>
      (
        await tx.query(
          `SELECT p.sku, b.name::text AS brand FROM catalog.product p LEFT JOIN catalog.brand b ON b.id = p.brand_id WHERE p.sku LIKE 'BF-%' ORDER BY p.sku`,
        )
      ).rows.map((row) => [row.sku, row.brand]),
    );
  const linkedSkus = async (who: TestClient) => (await links(who)).filter(([, brand]) => brand !== null).map(([sku]) => sku);
  const brands = (who: TestClient) => as(who, async (tx) => (await tx.query('SELECT count(*)::int AS n FROM catalog.brand')).rows[0].n);
  const productId = (who: TestClient, sku: string) =>
    as(who, async (tx) => Number((await tx.query('SELECT id FROM catalog.product WHERE sku = $1', [sku])).rows[0].id));

  it('product-brands: fills every client, each on its own, names the client of each batch, then changes nothing', async () => {
    const first = await run(client, 'product-brands', { batchSize: 5 });
    expect(first.summary).toMatchObject({ finished: true, batches: 6, changed: 20, problems: 0, clients: 2, lastClient: B.code });
    expect(first.summary.byClient).toEqual([
      { client: A.code, clientId: A.id, batches: 3, changed: 10, lastId: await productId(A, 'BF-12'), finished: true },
      { client: B.code, clientId: B.id, batches: 3, changed: 10, lastId: await productId(B, 'BF-12'), finished: true },
    ]);
    // Each client's products linked to that client's brands, merged as before.
    expect(await links(A)).toEqual(LINKED);
    expect(await links(B)).toEqual(LINKED);
    expect(
      progress(first.lines).map((line) => /^\[progress\] backfill=product-brands client=(\S+) batch=(\d+) /.exec(line)?.slice(1)),
    ).toEqual([
      [A.code, '1'],
      [A.code, '2'],
      [A.code, '3'],
      [B.code, '4'],
      [B.code, '5'],
      [B.code, '6'],
    ]);
    expect(first.lines.filter((line) => line.startsWith('[client]'))).toEqual([
      `[client] backfill=product-brands client=${A.code} finished batches=3 changed=10`,
      `[client] backfill=product-brands client=${B.code} finished batches=3 changed=10`,
    ]);
    expect(first.lines.at(-2)).toBe('[verify] ok');
    expect(JSON.parse(first.lines.at(-1)!.replace(/^\[done\] /, ''))).toMatchObject({ clients: 2, lastClient: B.code, finished: true });

    const again = await run(client, 'product-brands', { batchSize: 5 });
    expect(again.summary).toMatchObject({ finished: true, changed: 0, problems: 0, clients: 2 });
    expect([await brands(A), await brands(B)]).toEqual([5, 5]);
  });

  it('--dry-run reports what it would change in every client, and writes nothing', async () => {
    const before = [await links(A), await links(B)];
    const dry = await run(client, 'product-brands', { dryRun: true, batchSize: 5 });
    // The verification counts both clients' products: the operator is not held to one client.
    expect(dry.summary).toMatchObject({ dryRun: true, finished: true, changed: 20, problems: 20, clients: 2 });
    expect(dry.lines.at(-2)).toMatch(/^\[verify\] 20 problem\(s\): .* \(before the dry run: nothing was written\)$/);
    expect([await links(A), await links(B)]).toEqual(before);
    expect([await brands(A), await brands(B)]).toEqual([1, 1]);
  });

  it('stops after --max-batches within a client and resumes there: that client after the id, the clients after it from their start', async () => {
    const stopped = await run(client, 'product-brands', { batchSize: 4, maxBatches: 2 });
    expect(stopped.summary).toMatchObject({ finished: false, batches: 2, clients: 1, lastClient: A.code });
    const lastId = stopped.summary.lastId!;
    expect(lastId).toBe(await productId(A, 'BF-08'));
    expect(progress(stopped.lines)).toEqual([
      expect.stringContaining(`client=${A.code} batch=1 `),
      expect.stringContaining(` last_id=${lastId} `),
    ]);
    expect(stopped.lines).toContain(
      `[stopped] backfill=product-brands after 2 batch(es): resume with --from-client ${A.code} --start-after ${lastId}`,
    );
    expect(await linkedSkus(A)).toEqual(['BF-01', 'BF-02', 'BF-03', 'BF-04', 'BF-07', 'BF-08']);
    expect(await linkedSkus(B)).toEqual([]);

    const resumed = await run(client, 'product-brands', { batchSize: 4, fromClient: A.code, startAfter: lastId });
    expect(resumed.summary).toMatchObject({ finished: true, batches: 4, problems: 0, clients: 2 });
    expect(resumed.summary.byClient.map((figures) => [figures.client, figures.batches, figures.finished])).toEqual([
      [A.code, 1, true],
      [B.code, 3, true],
    ]);
    expect(await links(A)).toEqual(LINKED);
    expect(await links(B)).toEqual(LINKED);
  });

  it('stops between clients and resumes at the next one (a code in any case, as core.client compares them)', async () => {
    const stopped = await run(client, 'product-brands', { batchSize: 4, maxBatches: 4 });
    // A's three batches, then B's first.
    expect(stopped.summary).toMatchObject({ finished: false, batches: 4, clients: 2, lastClient: B.code });
    expect(stopped.summary.byClient.map((figures) => [figures.client, figures.batches, figures.finished])).toEqual([
      [A.code, 3, true],
      [B.code, 1, false],
    ]);
    expect(await linkedSkus(B)).toEqual(['BF-01', 'BF-02', 'BF-03', 'BF-04']);

    const resumed = await run(client, 'product-brands', {
      batchSize: 4,
      fromClient: B.code.toLowerCase(),
      startAfter: stopped.summary.lastId!,
    });
    expect(resumed.summary).toMatchObject({ finished: true, batches: 2, clients: 1, problems: 0 });
    expect(resumed.lines[0]).toBe(
      `[start] backfill=product-brands mode=write batch_size=4 clients=1 from_client=${B.code} start_after=${stopped.summary.lastId}`,
    );
    expect(await links(B)).toEqual(LINKED);
  });

  it('fails its verification, as a user error, when it finished yet left work undone', async () => {
    const attempt = run(client, 'product-brands', { fromClient: A.code, startAfter: await productId(A, 'BF-04') });
    await expect(attempt).rejects.toBeInstanceOf(BackfillVerificationError);
    await expect(attempt).rejects.toMatchObject({
      backfill: 'product-brands',
      problems: 4,
      detail: 'products with a legacy brand name but no brand',
    });
    // B's run was whole: only A's first four products are left.
    expect(await linkedSkus(B)).toEqual(LINKED.filter(([, brand]) => brand !== null).map(([sku]) => sku));
  });

  it('refuses a start it cannot place: an id without its client when there are several, a client code nobody has', async () => {
    await expect(run(client, 'product-brands', { startAfter: 5 })).rejects.toMatchObject({
      name: 'BackfillClientError',
      reason: 'ambiguous-start',
      clients: [A.code, B.code],
    });
    const unknown = run(client, 'product-brands', { fromClient: 'NO-SUCH-CLIENT' });
    await expect(unknown).rejects.toBeInstanceOf(BackfillClientError);
    await expect(unknown).rejects.toMatchObject({ reason: 'unknown-client', fromClient: 'NO-SUCH-CLIENT', clients: [A.code, B.code] });
    expect([await linkedSkus(A), await linkedSkus(B)]).toEqual([[], []]);
  });

  it('refuses the application role: row-level security would hold it to one client', async () => {
    const app = await connect(urlForRole(url, APP_ROLE));
    try {
      const attempt = run(app, 'product-brands');
      await expect(attempt).rejects.toBeInstanceOf(BackfillRoleError);
      await expect(attempt).rejects.toMatchObject({ backfill: 'product-brands', role: APP_ROLE });
    } finally {
      await app.end();
    }
  });

  it('runs for a login that is a member of supply_ledger_owner as the owner: every client, verified across clients', async () => {
    // A login role of this test run's own (roles belong to the cluster): made and dropped by the superuser.
    const operator = `sl_test_operator_${process.pid}`;
    const admin = await connect(serverUrl());
    await admin.query(`CREATE ROLE ${quoteIdent(operator)} LOGIN NOSUPERUSER NOBYPASSRLS IN ROLE supply_ledger_owner`);
    try {
      const member = await connect(urlForRole(url, operator));
      try {
        // Its own session is held to row-level security (it sees no client), the owner's is not.
        expect((await member.query('SELECT count(*)::int AS n FROM core.client')).rows[0].n).toBe(0);
        const dry = await run(member, 'product-brands', { dryRun: true });
        expect(dry.summary).toMatchObject({ clients: 2, changed: 20, problems: 20 });
        const written = await run(member, 'product-brands');
        expect(written.summary).toMatchObject({ finished: true, clients: 2, changed: 20, problems: 0 });
      } finally {
        await member.end();
      }
      expect([await links(A), await links(B)]).toEqual([LINKED, LINKED]);
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(operator)}`);
      await admin.end();
    }
  });

  it('each batch function refuses to run without a client (42501), even for the superuser, who may execute it', async () => {
    await transaction(
      client,
      async (tx) => {
        for (const { batchFunction } of BACKFILLS) {
          await expectSqlError(tx, () => tx.query(`SELECT * FROM ${batchFunction}(0, 10)`), '42501');
        }
        // With one, it goes through that client's rows only.
        await tx.query(`SET LOCAL app.client_id = '${A.id}'`);
        expect((await tx.query('SELECT last_id::int, changed::int FROM catalog.backfill_product_brands(0, 100)')).rows).toEqual([
          { last_id: await productId(A, 'BF-12'), changed: 10 },
        ]);
      },
      { rollback: true },
    );
  });

  it('supplier-contacts: fills the contact fields and one primary contact per supplier of each client, once', async () => {
    const suppliers: Record<string, [string, string | null, string | null][]> = {
      [A.code]: [
        ['BF-S1', ' 011 555 0001 ', ' Sales@One.example '],
        ['BF-S2', null, null],
        ['BF-S3', '', 'x@three.example'],
      ],
      [B.code]: [['BF-S1', '021 555 0002', null]],
    };
    for (const who of [A, B]) {
      await as(who, (tx) =>
        tx.query(
          `INSERT INTO catalog.supplier (code, name, phone, email) SELECT code, 'Supplier ' || code, phone, email FROM unnest($1::text[], $2::text[], $3::text[]) AS t(code, phone, email)`,
          [
            suppliers[who.code]!.map(([code]) => code),
            suppliers[who.code]!.map(([, phone]) => phone),
            suppliers[who.code]!.map(([, , email]) => email),
          ],
        ),
      );
    }
    expect((await run(client, 'supplier-contacts')).summary).toMatchObject({ finished: true, changed: 6, problems: 0, clients: 2 });
    const contacts = (who: TestClient) =>
      as(
        who,
        async (tx) =>
          (
            await tx.query(`SELECT s.code, s.contact_phone, s.contact_email, c.phone, c.email, c.is_primary
              FROM catalog.supplier s LEFT JOIN catalog.supplier_contact c ON c.supplier_id = s.id ORDER BY s.code`)
          ).rows,
      );
    expect(await contacts(A)).toEqual([
      {
        code: 'BF-S1',
        contact_phone: '011 555 0001',
        contact_email: 'sales@one.example',
        phone: '011 555 0001',
        email: 'sales@one.example',
        is_primary: true,
      },
      { code: 'BF-S2', contact_phone: null, contact_email: null, phone: null, email: null, is_primary: null },
      { code: 'BF-S3', contact_phone: null, contact_email: 'x@three.example', phone: null, email: 'x@three.example', is_primary: true },
    ]);
    expect(await contacts(B)).toEqual([
      { code: 'BF-S1', contact_phone: '021 555 0002', contact_email: null, phone: '021 555 0002', email: null, is_primary: true },
    ]);
    expect((await run(client, 'supplier-contacts')).summary).toMatchObject({ changed: 0, problems: 0 });
  });

  it('opening-balances: posts on-hand the ledger does not know yet at the latest receipt cost, once', async () => {
    // Levels written around the ledger, as an operator's import with the backfill's own switch
    // would leave them (the switch is the owner's and superusers' only).
    await as(A, async (tx) => {
      await tx.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('OB-W', 'Opening balances')`);
      await tx.query(`INSERT INTO catalog.product (sku, name) VALUES ('OB-01', 'Received before'), ('OB-02', 'Never received')`);
    });
    await withClient(operatorPool, A.id, async (tx) => {
      await tx.query(`SET LOCAL supply_ledger.ledger_backfill = on`);
      await tx.query(
        `INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand)
        SELECT p.id, w.id, 7 FROM catalog.product p, catalog.warehouse w
        WHERE p.client_id = $1 AND w.client_id = $1 AND p.sku IN ('OB-01', 'OB-02') AND w.code = 'OB-W'`,
        [A.id],
      );
    });
    await as(A, async (tx) => {
      await tx.query(`INSERT INTO inventory.goods_receipt (product_id, warehouse_id, quantity, unit_cost, received_at, reference)
        SELECT p.id, w.id, 7, v.cost, v.at, 'OB-GRN-' || v.cost FROM catalog.product p, catalog.warehouse w,
          (VALUES (3.5, '2026-01-01'::timestamptz), (4.25, '2026-02-01')) AS v(cost, at) WHERE p.sku = 'OB-01' AND w.code = 'OB-W'`);
    });
    expect((await run(client, 'opening-balances')).summary).toMatchObject({ finished: true, changed: 2, problems: 0 });
    const { rows } = await as(A, (tx) =>
      tx.query(`SELECT p.sku, l.qty_on_hand::text, l.cost_price::text, l.cost_method::text, m.movement_type::text, m.reason
        FROM inventory.stock_level l JOIN catalog.product p ON p.id = l.product_id
        JOIN inventory.stock_movement m ON m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id ORDER BY p.sku`),
    );
    expect(rows).toEqual([
      {
        sku: 'OB-01',
        qty_on_hand: '7.0000',
        cost_price: '4.250000',
        cost_method: 'LAST_RECEIPT',
        movement_type: 'ADJUSTMENT_IN',
        reason: 'opening balance at the latest receipt cost',
      },
      {
        sku: 'OB-02',
        qty_on_hand: '7.0000',
        cost_price: null,
        cost_method: null,
        movement_type: 'ADJUSTMENT_IN',
        reason: 'opening balance, cost unknown (no goods receipt)',
      },
    ]);
    expect((await run(client, 'opening-balances')).summary).toMatchObject({ changed: 0, problems: 0 });
  });

  it('names the migration to deploy when its batch function is missing', async () => {
    const empty = await createScratchDatabase();
    const other = await connect(empty);
    try {
      const attempt = run(other, 'product-brands');
      await expect(attempt).rejects.toBeInstanceOf(BackfillNotDeployedError);
      await expect(attempt).rejects.toMatchObject({
        backfill: 'product-brands',
        batchFunction: 'catalog.backfill_product_brands',
        migration: '20261121104349_backfill_product_brands',
      });
    } finally {
      await other.end();
      await dropScratchDatabase(empty);
    }
  });

  it('runs from the command line with [progress] lines naming each client, and refuses bad input in one line', async () => {
    const cli = (args: string[], databaseUrl = url) => runCli(['backfill', ...args], { DATABASE_URL: databaseUrl });
    const dry = await cli(['product-brands', '--dry-run', '--batch-size', '6']);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    const { rows } = await client.query<{ code: string; batches: number }>(
      `SELECT c.code::text, ceil(count(p.id) / 6.0)::int AS batches FROM core.client c JOIN catalog.product p ON p.client_id = c.id
        GROUP BY c.id, c.code ORDER BY c.id`,
    );
    const clientsOfProgress = dry.stdout
      .split('\n')
      .flatMap((line) => /^\[progress\] backfill=product-brands client=(\S+) batch=/.exec(line)?.slice(1) ?? []);
    expect(clientsOfProgress).toEqual(rows.flatMap(({ code, batches }) => Array<string>(batches).fill(code)));

    const resumed = await cli(['product-brands', '--dry-run', '--from-client', B.code, '--start-after', '0']);
    expect(resumed.stdout).toContain(
      `[start] backfill=product-brands mode=dry-run batch_size=1000 clients=1 from_client=${B.code} start_after=0`,
    );

    for (const [args, message] of [
      [['nope'], "no backfill named 'nope'; run `npm run backfill -- --list`"],
      [['product-brands', '--batch-size', '0'], '--batch-size must be a whole number of at least 1'],
      [['product-brands', '--start-after', 'x'], '--start-after must be an id (a whole number)'],
      [
        ['product-brands', '--start-after', '5'],
        `--start-after needs --from-client CODE on a database of 2 clients (${A.code}, ${B.code}): the client whose [progress] line printed that last_id`,
      ],
      [['product-brands', '--from-client', 'NOPE'], `--from-client: no client has the code 'NOPE' (the clients are ${A.code}, ${B.code})`],
    ] as const) {
      const bad = await cli([...args]);
      expect([bad.code, bad.stderr.trim()]).toEqual([2, `supply-ledger: ${message}`]);
      expectOneLine(bad);
    }
    // Not a mistake on the command line, a role that may not: one line, exit code 1.
    const app = await cli(['product-brands'], urlForRole(url, APP_ROLE));
    expect([app.code, app.stderr.trim()]).toEqual([1, `supply-ledger: ${new BackfillRoleError('product-brands', APP_ROLE).message}`]);
    expectOneLine(app);
    const list = await cli(['--list']);
    expect(list.stdout).toContain('product-brands');
    expect(list.stdout).toContain('supplier-contacts');
  });
});
