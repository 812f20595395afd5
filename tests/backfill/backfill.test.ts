import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { BACKFILLS } from '../../src/backfill/definitions.ts';
import { type BackfillOptions, runBackfill } from '../../src/backfill/runner.ts';
import { connect } from '../../src/db/connect.ts';
import { BackfillNotDeployedError, BackfillVerificationError } from '../../src/backfill/errors.ts';
import { runCli } from '../harness/cli.ts';
import { createScratchDatabase, dropScratchDatabase, scratchDatabase, templateName } from '../harness/db.ts';

const definition = (name: string) => BACKFILLS.find((backfill) => backfill.name === name)!;

/** Runs a backfill, collecting what it reports. */
async function run(client: pg.Client, name: string, options: Partial<Omit<BackfillOptions, 'report'>> = {}) {
  const lines: string[] = [];
  const summary = await runBackfill(client, definition(name), {
    dryRun: false,
    batchSize: 1000,
    startAfter: 0,
    maxBatches: undefined,
    ...options,
    report: (line) => lines.push(line),
  });
  return { summary, lines };
}

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

describe('backfills', () => {
  let url: string;
  let client: pg.Client;

  beforeAll(async () => {
    ({ url, client } = await scratchDatabase({ template: templateName() }));
  });

  beforeEach(async () => {
    await client.query(`DELETE FROM catalog.product WHERE sku LIKE 'BF-%'; DELETE FROM catalog.brand; DELETE FROM catalog.supplier`);
    await client.query(`INSERT INTO catalog.brand (name) VALUES ('ACME')`);
    await client.query(
      `INSERT INTO catalog.product (sku, name, brand) SELECT sku, 'Product ' || sku, brand FROM unnest($1::text[], $2::text[]) AS t(sku, brand) ORDER BY sku`,
      [LEGACY_PRODUCTS.map(([sku]) => sku), LEGACY_PRODUCTS.map(([, brand]) => brand)],
    );
  });

  const links = async () =>
    (
      await client.query(
        `SELECT p.sku, b.name::text AS brand FROM catalog.product p LEFT JOIN catalog.brand b ON b.id = p.brand_id WHERE p.sku LIKE 'BF-%' ORDER BY p.sku`,
      )
    ).rows.map((row) => [row.sku, row.brand]);

  it('product-brands: merges trimmed, case-folded names into one brand spelled as the first product spells it, links every named product, then changes nothing', async () => {
    const first = await run(client, 'product-brands', { batchSize: 5 });
    expect(first.summary).toMatchObject({ finished: true, batches: 3, changed: 10, problems: 0 });
    expect(await links()).toEqual([
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
    ]);
    expect(first.lines.filter((line) => line.startsWith('[progress]'))).toHaveLength(3);
    expect(first.lines.at(-2)).toBe('[verify] ok');

    const again = await run(client, 'product-brands', { batchSize: 5 });
    expect(again.summary).toMatchObject({ finished: true, changed: 0, problems: 0 });
    expect((await client.query('SELECT count(*)::int AS n FROM catalog.brand')).rows[0].n).toBe(5);
  });

  it('--dry-run reports what it would change and writes nothing', async () => {
    const before = await links();
    const dry = await run(client, 'product-brands', { dryRun: true, batchSize: 5 });
    expect(dry.summary).toMatchObject({ dryRun: true, finished: true, changed: 10, problems: 10 });
    expect(dry.lines.at(-2)).toMatch(/^\[verify\] 10 problem\(s\): .* \(before the dry run: nothing was written\)$/);
    expect(await links()).toEqual(before);
    expect((await client.query('SELECT count(*)::int AS n FROM catalog.brand')).rows[0].n).toBe(1);
  });

  it('stops after --max-batches and resumes with --start-after the last id it printed', async () => {
    const stopped = await run(client, 'product-brands', { batchSize: 4, maxBatches: 1 });
    expect(stopped.summary).toMatchObject({ finished: false, batches: 1 });
    const lastId = stopped.summary.lastId!;
    expect(stopped.lines.filter((line) => line.startsWith('[progress]'))).toEqual([expect.stringContaining(` last_id=${lastId} `)]);
    expect((await links()).filter(([, brand]) => brand !== null).map(([sku]) => sku)).toEqual(['BF-01', 'BF-02', 'BF-03', 'BF-04']);

    const resumed = await run(client, 'product-brands', { batchSize: 4, startAfter: lastId });
    expect(resumed.summary).toMatchObject({ finished: true, batches: 2, problems: 0 });
    expect((await links()).filter(([, brand]) => brand === null).map(([sku]) => sku)).toEqual(['BF-05', 'BF-06']);
  });

  it('fails its verification, as a user error, when it finished yet left work undone', async () => {
    const { rows } = await client.query(`SELECT id::int FROM catalog.product WHERE sku = 'BF-04'`);
    const attempt = run(client, 'product-brands', { startAfter: rows[0].id });
    await expect(attempt).rejects.toBeInstanceOf(BackfillVerificationError);
    await expect(attempt).rejects.toMatchObject({
      backfill: 'product-brands',
      problems: 4,
      detail: 'products with a legacy brand name but no brand',
    });
  });

  it('supplier-contacts: fills the contact fields and one primary contact per supplier, once', async () => {
    await client.query(`INSERT INTO catalog.supplier (code, name, phone, email) VALUES
      ('BF-S1', 'One', ' 011 555 0001 ', ' Sales@One.example '), ('BF-S2', 'Two', NULL, NULL), ('BF-S3', 'Three', '', 'x@three.example')`);
    expect((await run(client, 'supplier-contacts')).summary).toMatchObject({ finished: true, changed: 4, problems: 0 });
    const { rows } = await client.query(`SELECT s.code, s.contact_phone, s.contact_email, c.phone, c.email, c.is_primary
      FROM catalog.supplier s LEFT JOIN catalog.supplier_contact c ON c.supplier_id = s.id ORDER BY s.code`);
    expect(rows).toEqual([
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
    expect((await run(client, 'supplier-contacts')).summary).toMatchObject({ changed: 0, problems: 0 });
  });

  it('opening-balances: posts on-hand the ledger does not know yet at the latest receipt cost, once', async () => {
    // Levels written around the ledger, as an import with the backfill's own switch would leave them.
    await client.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('OB-W', 'Opening balances')`);
    await client.query(`INSERT INTO catalog.product (sku, name) VALUES ('OB-01', 'Received before'), ('OB-02', 'Never received')`);
    await client.query(`BEGIN; SET LOCAL supply_ledger.ledger_backfill = on;
      INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand)
      SELECT p.id, w.id, 7 FROM catalog.product p, catalog.warehouse w WHERE p.sku IN ('OB-01', 'OB-02') AND w.code = 'OB-W';
      COMMIT`);
    await client.query(`INSERT INTO inventory.goods_receipt (product_id, warehouse_id, quantity, unit_cost, received_at, reference)
      SELECT p.id, w.id, 7, v.cost, v.at, 'OB-GRN-' || v.cost FROM catalog.product p, catalog.warehouse w,
        (VALUES (3.5, '2026-01-01'::timestamptz), (4.25, '2026-02-01')) AS v(cost, at) WHERE p.sku = 'OB-01' AND w.code = 'OB-W'`);
    expect((await run(client, 'opening-balances')).summary).toMatchObject({ finished: true, changed: 2, problems: 0 });
    const { rows } =
      await client.query(`SELECT p.sku, l.qty_on_hand::text, l.cost_price::text, l.cost_method::text, m.movement_type::text, m.reason
      FROM inventory.stock_level l JOIN catalog.product p ON p.id = l.product_id
      JOIN inventory.stock_movement m ON m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id ORDER BY p.sku`);
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

  it('runs from the command line with [progress] lines, and refuses bad input in one line', async () => {
    const cli = (args: string[]) => runCli(['backfill', ...args], { DATABASE_URL: url });
    const dry = await cli(['product-brands', '--dry-run', '--batch-size', '6']);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    const products = (await client.query('SELECT count(*)::int AS n FROM catalog.product')).rows[0].n;
    expect(dry.stdout.split('\n').filter((line) => line.startsWith('[progress] backfill=product-brands batch='))).toHaveLength(
      Math.ceil(products / 6),
    );

    for (const [args, message] of [
      [['nope'], "no backfill named 'nope'; run `npm run backfill -- --list`"],
      [['product-brands', '--batch-size', '0'], '--batch-size must be a whole number of at least 1'],
      [['product-brands', '--start-after', 'x'], '--start-after must be an id (a whole number)'],
    ] as const) {
      const bad = await cli([...args]);
      expect([bad.code, bad.stderr.trim()]).toEqual([2, expect.stringContaining(message)]);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    }
    const list = await cli(['--list']);
    expect(list.stdout).toContain('product-brands');
    expect(list.stdout).toContain('supplier-contacts');
  });
});
