/**
 * Expand → backfill → finalize (docs/CONVENTIONS.md, "Migrations"): the brand and supplier contact
 * backfills run between deploys, in batches (`npm run backfill`), and their finalizing migrations
 * find nothing left when the operator ran them, and finish the work themselves when not. Opening
 * balances are the exception, and why: they must be posted in the transaction that installs the
 * ledger.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { BACKFILLS } from '../../src/backfill/definitions.ts';
import { runBackfill } from '../../src/backfill/runner.ts';
import { connect } from '../../src/db/connect.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';
import { migrationsThrough } from '../harness/fixtures.ts';

const BASELINE = '20261121103714_create_catalog_inventory_baseline';
/** The last expand migration: both batch functions exist, neither backfill has run. */
const EXPANDED = '20261121104845_backfill_supplier_contacts';
const FINALIZED = '20261121111700_finalize_supplier_contacts';
const LEGACY_DATA = path.join(import.meta.dirname, 'data', `${BASELINE}.sql`);

/** A database with the legacy data, deployed through the expand migrations. */
async function expandedDatabase(): Promise<pg.Client> {
  const { client } = await scratchDatabase();
  await deploy(client, { migrationsDir: migrationsThrough(BASELINE) });
  await client.query(fs.readFileSync(LEGACY_DATA, 'utf8'));
  await deploy(client, { migrationsDir: migrationsThrough(EXPANDED) });
  return client;
}

async function backfill(client: pg.Client, name: string, options: { batchSize?: number; maxBatches?: number } = {}) {
  const definition = BACKFILLS.find((candidate) => candidate.name === name)!;
  return runBackfill(client, definition, {
    dryRun: false,
    batchSize: options.batchSize ?? 1000,
    startAfter: 0,
    maxBatches: options.maxBatches,
    report: () => {},
  });
}

/**
 * A client for the rows a test writes on a database deployed to the end (every row belongs to a
 * client, and the batch functions go through one client's rows): created, and set for the session
 * of each connection given, as a per-client pool's connections start (docs/design/tenancy.md).
 */
async function workFor(client: pg.Client, ...others: pg.Client[]): Promise<void> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO core.client (code, name) VALUES ('BACKFILL-TEST', 'Backfill test') RETURNING id`,
  );
  for (const connection of [client, ...others]) await connection.query(`SET app.client_id = '${rows[0]!.id}'`);
}

/** Each product's and supplier's row version: a row the finalize updated gets a new one. */
async function rowVersions(client: pg.Client) {
  const { rows } = await client.query(`SELECT 'product ' || sku AS row, xmin::text FROM catalog.product
    UNION ALL SELECT 'supplier ' || code, xmin::text FROM catalog.supplier ORDER BY 1`);
  return rows;
}

async function notValidated(client: pg.Client) {
  const { rows } = await client.query(`SELECT conname FROM pg_constraint
     WHERE conrelid IN ('catalog.product'::regclass, 'catalog.supplier'::regclass) AND NOT convalidated ORDER BY 1`);
  return rows.map((row) => row.conname);
}

/** What the brand and contact backfills derive, by natural keys. */
async function derived(client: pg.Client) {
  const rows = async (sql: string) => (await client.query({ text: sql, rowMode: 'array' })).rows;
  return {
    productBrands: await rows(
      `SELECT p.sku, b.name::text FROM catalog.product p LEFT JOIN catalog.brand b ON b.id = p.brand_id ORDER BY p.sku`,
    ),
    contacts: await rows(`SELECT s.code, s.contact_phone, s.contact_email, c.phone, c.email, c.is_primary
      FROM catalog.supplier s LEFT JOIN catalog.supplier_contact c ON c.supplier_id = s.id ORDER BY s.code`),
  };
}

const EXPECTED = {
  productBrands: [
    ['SKU-001', 'Acme'],
    ['SKU-002', 'Acme'],
    ['SKU-003', 'Acme'],
    ['SKU-004', 'Globex'],
    ['SKU-005', 'Globex'],
    ['SKU-006', 'Initech'],
    ['SKU-007', null],
    ['SKU-008', null],
    ['SKU-009', null],
    ['SKU-010', 'Umbrella'],
    ['SKU-011', 'Stark'],
    ['SKU-012', 'Wayne'],
  ],
  contacts: [
    ['SUP-A', '+27 11 555 0100', 'orders@acme.example', '+27 11 555 0100', 'orders@acme.example', true],
    ['SUP-B', null, 'sales@globex.example', null, 'sales@globex.example', true],
    ['SUP-C', '021 555 0199', null, '021 555 0199', null, true],
    ['SUP-D', null, null, null, null, null],
  ],
};

describe('expand → backfill → finalize', () => {
  it('the expand migrations leave the legacy data as it was and the constraints NOT VALID', async () => {
    const client = await expandedDatabase();
    expect(await notValidated(client)).toEqual([
      'product_brand_id_fkey',
      'supplier_contact_email_format_check',
      'supplier_payment_term_id_fkey',
      'supplier_website_format_check',
    ]);
    const { productBrands, contacts } = await derived(client);
    expect(productBrands.every(([, brand]) => brand === null)).toBe(true);
    expect(contacts.every(([, phone, email]) => phone === null && email === null)).toBe(true);
  });

  it('deploy through the expand migrations, run the backfills, deploy the rest: the finalizing migrations find nothing left, and validate', async () => {
    const client = await expandedDatabase();
    expect(await backfill(client, 'product-brands', { batchSize: 5 })).toMatchObject({ finished: true, changed: 9, problems: 0 });
    expect(await backfill(client, 'supplier-contacts', { batchSize: 2 })).toMatchObject({ finished: true, problems: 0 });
    const before = await rowVersions(client);
    const { rows: contactsBefore } = await client.query('SELECT id, xmin::text FROM catalog.supplier_contact ORDER BY id');

    const { applied } = await deploy(client, { migrationsDir: migrationsThrough(FINALIZED) });
    expect(applied).toEqual(expect.arrayContaining(['20261121111600_finalize_product_brands', FINALIZED]));
    // Nothing written: every product and supplier row is the version the backfill left, no contact was added.
    expect(await rowVersions(client)).toEqual(before);
    expect((await client.query('SELECT id, xmin::text FROM catalog.supplier_contact ORDER BY id')).rows).toEqual(contactsBefore);
    expect(await notValidated(client)).toEqual([]);
    expect(await derived(client)).toEqual(EXPECTED);

    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    expect((await verify(client, { migrationsDir: MIGRATIONS_DIR })).filter((result) => result.result !== 'passed')).toEqual([]);
  });

  it('the finalizing migrations finish what the backfills left (a partial run, rows an older application wrote since, a backfill never run), and validate', async () => {
    const client = await expandedDatabase();
    // The brand backfill stopped after one batch of 4 products; the contact backfill never ran.
    expect(await backfill(client, 'product-brands', { batchSize: 4, maxBatches: 1 })).toMatchObject({ finished: false, changed: 4 });
    // The previous application version still writes legacy fields only.
    await client.query(
      `INSERT INTO catalog.product (sku, name, brand) VALUES ('SKU-013', 'Anvil, tiny', 'ACME '), ('SKU-014', 'Flux capacitor', 'Brown Labs')`,
    );
    await client.query(
      `INSERT INTO catalog.supplier (code, name, phone, email) VALUES ('SUP-E', 'Late supplier', '', 'Late@Example.example')`,
    );

    await deploy(client, { migrationsDir: migrationsThrough(FINALIZED) });
    expect(await notValidated(client)).toEqual([]);
    expect(await derived(client)).toEqual({
      productBrands: [...EXPECTED.productBrands, ['SKU-013', 'Acme'], ['SKU-014', 'Brown Labs']],
      contacts: [...EXPECTED.contacts, ['SUP-E', null, 'late@example.example', null, 'late@example.example', true]],
    });
    expect((await verify(client, { migrationsDir: MIGRATIONS_DIR })).filter((result) => result.result !== 'passed')).toEqual([]);
  });
});

describe('batches that run beside the application', () => {
  it('supplier-contacts keeps a primary contact the application adds while the batch runs, instead of failing', async () => {
    const { url, client } = await scratchDatabase({ template: templateName() });
    const application = await connect(url);
    try {
      await workFor(client, application);
      const { rows } = await client.query(
        `INSERT INTO catalog.supplier (code, name, email) VALUES ('RACE-1', 'Racing supplier', 'Sales@Race.example') RETURNING id`,
      );
      const id = Number(rows[0].id);
      // The application adds the supplier's primary contact; the batch starts before it commits,
      // so the batch does not see it and waits on the one-primary index, then skips its own.
      await application.query(
        `BEGIN; INSERT INTO catalog.supplier_contact (supplier_id, name, is_primary) VALUES (${id}, 'Buyer at Race', true)`,
      );
      const batch = client.query('SELECT last_id, changed FROM catalog.backfill_supplier_contacts($1, 1)', [id - 1]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await application.query('COMMIT');
      expect((await batch).rows).toEqual([{ last_id: String(id), changed: '1' }]);
      const contacts = await client.query('SELECT name, is_primary FROM catalog.supplier_contact WHERE supplier_id = $1', [id]);
      expect(contacts.rows).toEqual([{ name: 'Buyer at Race', is_primary: true }]);
      const supplier = await client.query('SELECT contact_email FROM catalog.supplier WHERE id = $1', [id]);
      expect(supplier.rows).toEqual([{ contact_email: 'sales@race.example' }]);
    } finally {
      await application.end();
    }
  });
});

describe('opening balances, posted in the migration that installs the ledger', () => {
  it('cannot be batched after it: a movement posted first leaves the legacy on-hand outside the ledger for good', async () => {
    const { client } = await scratchDatabase({ template: templateName() });
    await workFor(client);
    await client.query(`INSERT INTO catalog.warehouse (code, name) VALUES ('OB-LATE', 'Opening balance too late')`);
    await client.query(`INSERT INTO catalog.product (sku, name) VALUES ('OB-LATE-1', 'Legacy stock')`);
    // A level as the baseline held it, 7 on hand, not yet posted as an opening balance: what a
    // batched backfill leaves for its later batches while the ledger is already live.
    await client.query(`BEGIN; SET LOCAL supply_ledger.ledger_backfill = on;
      INSERT INTO inventory.stock_level (product_id, warehouse_id, qty_on_hand)
      SELECT p.id, w.id, 7 FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'OB-LATE-1' AND w.code = 'OB-LATE';
      COMMIT`);
    // The application posts a receipt before the backfill reaches the level.
    await client.query(`INSERT INTO inventory.stock_movement (movement_type, product_id, warehouse_id, quantity, unit_cost)
      SELECT 'RECEIPT', p.id, w.id, 3, 10 FROM catalog.product p, catalog.warehouse w WHERE p.sku = 'OB-LATE-1' AND w.code = 'OB-LATE'`);

    // The backfill then skips the level (it has ledger history), and no later run can repair it.
    const attempt = backfill(client, 'opening-balances');
    await expect(attempt).rejects.toMatchObject({ name: 'BackfillVerificationError', backfill: 'opening-balances', problems: 1 });
    const { rows } = await client.query(`SELECT l.qty_on_hand::text, l.movement_count::int,
        (SELECT sum(quantity)::text FROM inventory.stock_movement m WHERE m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id) AS ledger
      FROM inventory.stock_level l JOIN catalog.product p ON p.id = l.product_id WHERE p.sku = 'OB-LATE-1'`);
    expect(rows).toEqual([{ qty_on_hand: '10.0000', movement_count: 1, ledger: '3.0000' }]);
  });
});
