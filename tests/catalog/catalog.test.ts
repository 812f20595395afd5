/**
 * The catalog: its rules in the database (CHECKs, unique keys, GS1 check digits, updated_at) and
 * product search (src/catalog/search.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { searchProducts } from '../../src/catalog/search.ts';
import type { ClientScoped } from '../../src/db/tenancy.ts';
import { withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { catalogFixture } from '../inventory/fixtures.ts';

describe('catalog rules', () => {
  it.each([
    ['a shelf life of 0 days', 'UPDATE catalog.product SET shelf_life_days = 0 WHERE id = $1', 'product_shelf_life_days_positive_check'],
    ['a negative reorder point', 'UPDATE catalog.product SET reorder_point = -1 WHERE id = $1', 'product_reorder_point_not_negative_check'],
    ['a reorder quantity of 0', 'UPDATE catalog.product SET reorder_qty = 0 WHERE id = $1', 'product_reorder_qty_positive_check'],
    ['a negative safety stock', 'UPDATE catalog.product SET safety_stock = -1 WHERE id = $1', 'product_safety_stock_not_negative_check'],
  ])('refuses %s', async (_what, sql, constraint) => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      await expectSqlError(client, () => client.query(sql, [f.productId]), '23514', constraint);
    });
  });

  it('keeps one primary contact per supplier, sane emails, websites and payment terms, and contacts go with their supplier', async () => {
    await withRollback(async (client) => {
      const { rows } = await client.query(
        `INSERT INTO catalog.supplier (code, name) VALUES ('SUP-T-${process.pid}', 'Probe') RETURNING id`,
      );
      const supplierId = rows[0].id;
      const contact = (name: string, primary: boolean, email: string | null = null) =>
        client.query('INSERT INTO catalog.supplier_contact (supplier_id, name, is_primary, email) VALUES ($1, $2, $3, $4)', [
          supplierId,
          name,
          primary,
          email,
        ]);
      await contact('first', true);
      await contact('second', false);
      await expectSqlError(client, () => contact('third', true), '23505', 'supplier_contact_one_primary_key');
      await expectSqlError(client, () => contact('fourth', false, 'not an email'), '23514', 'supplier_contact_email_format_check');
      await expectSqlError(
        client,
        () => client.query(`UPDATE catalog.supplier SET website = 'ftp://x' WHERE id = $1`, [supplierId]),
        '23514',
        'supplier_website_format_check',
      );
      const term = (sql: string) =>
        client.query(
          `INSERT INTO catalog.payment_term (code, name, net_days, discount_percent, discount_days, prepayment_percent) VALUES ${sql}`,
        );
      await expectSqlError(client, () => term(`('T1', 'x', -1, NULL, NULL, NULL)`), '23514', 'payment_term_net_days_not_negative_check');
      await expectSqlError(client, () => term(`('T2', 'x', 30, 2, 40, NULL)`), '23514', 'payment_term_discount_check');
      await expectSqlError(client, () => term(`('T3', 'x', 30, NULL, NULL, 120)`), '23514', 'payment_term_prepayment_check');
      const { rows: net30 } = await term(`('NET30', 'Net 30', 30, 2, 10, NULL) RETURNING id`);
      await client.query('UPDATE catalog.supplier SET payment_term_id = $1 WHERE id = $2', [net30[0].id, supplierId]);
      await expectSqlError(
        client,
        () => client.query('DELETE FROM catalog.payment_term WHERE id = $1', [net30[0].id]),
        await fkRestrictCode(client),
        'supplier_payment_term_id_fkey',
      );
      await client.query('UPDATE catalog.supplier SET payment_term_id = NULL WHERE id = $1', [supplierId]);
      await client.query('DELETE FROM catalog.supplier WHERE id = $1', [supplierId]);
      expect(
        (await client.query('SELECT count(*)::int AS n FROM catalog.supplier_contact WHERE supplier_id = $1', [supplierId])).rows[0].n,
      ).toBe(0);
    });
  });

  it('keeps updated_at on every mutable catalog table (audit.tg__set_updated_at)', async () => {
    await withRollback(async (client) => {
      const f = await catalogFixture(client);
      const { rows } = await client.query(
        `UPDATE catalog.product SET updated_at = '2000-01-01', name = name WHERE id = $1 RETURNING updated_at > '2000-01-02' AS stamped`,
        [f.productId],
      );
      expect(rows[0].stamped).toBe(true);
      const triggers = await client.query(
        `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE t.tgname = '_500_set_updated_at' AND c.relnamespace::regnamespace::text IN ('catalog', 'inventory') ORDER BY 1`,
      );
      expect(triggers.rows.map((row) => row.relname)).toEqual([
        'brand',
        'payment_term',
        'product',
        'stock_count',
        'supplier',
        'supplier_contact',
        'warehouse',
      ]);
    });
  });
});

describe('GS1 keys (catalog.is_valid_gs1_key)', () => {
  it.each([
    ['0614141000005', true, 'a GLN'],
    ['0614141000006', false, 'a GLN with a wrong check digit'],
    ['106141411234567897', true, 'an SSCC'],
    ['106141411234567890', false, 'an SSCC with a wrong check digit'],
    ['061414100000A', false, 'not digits'],
  ])('%s is %s (%s)', async (code, valid) => {
    await withRollback(async (client) => {
      expect((await client.query('SELECT catalog.is_valid_gs1_key($1) AS valid', [code])).rows[0].valid).toBe(valid);
    });
  });

  it('brands are unique whatever the case (brand_client_id_name_key on citext)', async () => {
    await withRollback(async (client) => {
      await client.query(`INSERT INTO catalog.brand (name) VALUES ('Golden Mill')`);
      await expectSqlError(
        client,
        () => client.query(`INSERT INTO catalog.brand (name) VALUES ('GOLDEN MILL')`),
        '23505',
        'brand_client_id_name_key',
      );
    });
  });
});

describe('product search', () => {
  const skus = async (client: ClientScoped, term: string, options?: Parameters<typeof searchProducts>[2]) =>
    (await searchProducts(client, term, options)).products.map((p) => p.sku);

  it('matches a substring in any case, with LIKE wildcards taken literally', async () => {
    await withRollback(async (client) => {
      await client.query(
        `INSERT INTO catalog.product (sku, name) VALUES ('S-1', 'Anvil, 50% off'), ('S-2', 'Anvil, 500 kg'), ('S-3', 'Rocket skates')`,
      );
      expect(await skus(client, 'NVIL')).toEqual(['S-1', 'S-2']);
      expect(await skus(client, '50%')).toEqual(['S-1']);
      expect(await skus(client, 'anvil_')).toEqual([]);
    });
  });

  it('orders by name, and says when more products matched than it looked at', async () => {
    await withRollback(async (client) => {
      await client.query(
        `INSERT INTO catalog.product (sku, name) VALUES ('S-C', 'Zinc bolt'), ('S-A', 'Brass bolt'), ('S-B', 'Steel bolt')`,
      );
      expect(await searchProducts(client, 'bolt')).toEqual({
        products: [
          expect.objectContaining({ sku: 'S-A' }),
          expect.objectContaining({ sku: 'S-B' }),
          expect.objectContaining({ sku: 'S-C' }),
        ],
        more: false,
      });
      expect(await searchProducts(client, 'bolt', { limit: 1 })).toMatchObject({ products: [{ sku: 'S-A' }], more: false });
      const capped = await searchProducts(client, 'bolt', { candidates: 2 });
      expect(capped.more).toBe(true);
      expect(capped.products).toHaveLength(2);
      expect(await searchProducts(client, 'bolt', { candidates: 3 })).toMatchObject({ more: false });
      expect(await searchProducts(client, 'nut')).toEqual({ products: [], more: false });
    });
  });

  it('is served by the trigram index for the application role, under row-level security', async () => {
    // Under row-level security PostgreSQL uses no index for a condition whose operator is not
    // leakproof, as ILIKE's is not: catalog.search_products runs as the owner and filters by the
    // client itself. pg_stat_get_xact_numscans counts this transaction's scans of the index.
    await withAdminRollback(async (admin) => {
      await admin.query(`INSERT INTO catalog.product (sku, name)
        SELECT 'TRGM-' || i, 'Item ' || md5(i::text) FROM generate_series(1, 20000) AS i`);
      // What autovacuum does in a live database: move the new entries from GIN's pending list into
      // the index proper (the planner prices a long pending list as a scan of it), and analyze.
      await admin.query(`SELECT gin_clean_pending_list('catalog.product_name_trgm_idx')`);
      await admin.query('ANALYZE catalog.product');
    });
    await withRollback(async (client) => {
      await client.query(`INSERT INTO catalog.product (sku, name) VALUES ('TRGM-X', 'Item c4ca4238 of client A')`);
      const scans = async () =>
        Number((await client.query(`SELECT pg_stat_get_xact_numscans('catalog.product_name_trgm_idx'::regclass) AS n`)).rows[0].n);
      const before = await scans();
      expect(await skus(client, 'C4CA4238')).toEqual(['TRGM-X']);
      expect(await scans()).toBeGreaterThan(before);
    });
  });

  it("finds only the client's own products, and nothing without a client (42501)", async () => {
    await withAdminRollback(async (tx) => {
      // The same name for both clients, written by the superuser; then the application role searches for A.
      await tx.query(
        `INSERT INTO catalog.product (client_id, sku, name) VALUES ($1, 'ISO-1', 'Isolation probe widget'), ($2, 'ISO-1', 'Isolation probe widget')`,
        [TEST_CLIENTS.A.id, TEST_CLIENTS.B.id],
      );
      const { rows } = await tx.query<{ id: string }>(`SELECT id::text FROM catalog.product WHERE sku = 'ISO-1' AND client_id = $1`, [
        TEST_CLIENTS.A.id,
      ]);
      await tx.query('SET LOCAL ROLE supply_ledger_app');
      expect((await searchProducts(tx, 'isolation probe')).products.map((p) => p.id)).toEqual([rows[0]!.id]);
      await tx.query(`SELECT set_config('app.client_id', '', true)`);
      await expectSqlError(tx, () => searchProducts(tx, 'isolation probe'), '42501');
    });
  });
});
