/**
 * Seed 003's checks on a bakery database that held production records before lot traceability:
 * the data migration gives existing runs and pallets the stated values ("MIGRATED-<id>",
 * "PAL-<id>-MIGRATED", planned quantity from the actual, COMPLETED and PASSED), the foreign keys,
 * unique constraints and enum values exist as listed, and up -> down -> up keeps the data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { deploy } from '../../src/migrate/deploy.ts';
import { rollback } from '../../src/migrate/rollback.ts';
import { verify } from '../../src/migrate/verify.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { scratchDatabase } from '../harness/db.ts';
import { migrationsThrough } from '../harness/fixtures.ts';

const BASELINE = '20261121112712_create_traceability_baseline';
const LEGACY_DATA = path.join(import.meta.dirname, 'data', `${BASELINE}.sql`);

/** The bakery's own records: what no migration may change. */
async function legacyRecords(client: pg.Client) {
  const rows = async (sql: string) => (await client.query(sql)).rows;
  return {
    recipes: await rows(`SELECT id, name, created_by, created_at FROM traceability.recipe ORDER BY id`),
    runs: await rows(
      `SELECT id, recipe_id, actual_quantity::text, actual_start_time, actual_end_time, notes FROM traceability.production_run ORDER BY id`,
    ),
    pallets: await rows(`SELECT id, production_run_id, quantity::text, location FROM traceability.pallet ORDER BY id`),
  };
}

/** What enhance_lot_traceability derives from them. */
async function migratedRecords(client: pg.Client) {
  const rows = async (sql: string) => (await client.query({ text: sql, rowMode: 'array' })).rows;
  return {
    runs: await rows(`SELECT id, status::text FROM traceability.production_run ORDER BY id`),
    batches:
      await rows(`SELECT production_run_id, batch_number, tlc, planned_quantity::text, actual_quantity::text, status::text, quality_status::text,
                                produced_at, palletised_quantity::text FROM traceability.batch ORDER BY production_run_id`),
    pallets: await rows(`SELECT id, pallet_number, status::text FROM traceability.pallet ORDER BY id`),
    contents: await rows(`SELECT c.pallet_id, b.batch_number, c.quantity::text FROM traceability.pallet_content c
                            JOIN traceability.batch b ON b.id = c.batch_id ORDER BY 1`),
  };
}

describe('seed 003 on a bakery database with production records', () => {
  let client: pg.Client;
  let legacy: Awaited<ReturnType<typeof legacyRecords>>;

  beforeAll(async () => {
    ({ client } = await scratchDatabase());
    await deploy(client, { migrationsDir: migrationsThrough(BASELINE) });
    await client.query(fs.readFileSync(LEGACY_DATA, 'utf8'));
    legacy = await legacyRecords(client);
    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
  });

  it('migrates the existing runs and pallets to the stated values', async () => {
    expect((await verify(client, { migrationsDir: MIGRATIONS_DIR })).filter((result) => result.result !== 'passed')).toEqual([]);
    const migrated = await migratedRecords(client);
    expect(migrated.runs).toEqual([1, 2, 3, 4, 5].map((id) => [String(id), 'COMPLETED']));
    const ended = (hour: string, day: string) => new Date(`2025-06-${day}T${hour}:00Z`);
    expect(migrated.batches).toEqual([
      ['1', 'MIGRATED-1', 'MIGRATED-1', '480.0000', '480.0000', 'COMPLETED', 'PASSED', ended('07:30', '02'), '480.0000'],
      ['2', 'MIGRATED-2', 'MIGRATED-2', '500.0000', '500.0000', 'COMPLETED', 'PASSED', ended('07:20', '03'), '500.0000'],
      ['3', 'MIGRATED-3', 'MIGRATED-3', '240.0000', '240.0000', 'COMPLETED', 'PASSED', ended('10:00', '03'), '0.0000'],
      // No quantity was recorded: planned 0 (the seed's COALESCE), actual unknown, done when it started.
      ['4', 'MIGRATED-4', 'MIGRATED-4', '0.0000', null, 'COMPLETED', 'PASSED', ended('05:00', '04'), '0.0000'],
      ['5', 'MIGRATED-5', 'MIGRATED-5', '300.0000', '300.0000', 'COMPLETED', 'PASSED', ended('07:00', '05'), '300.0000'],
    ]);
    expect(migrated.pallets).toEqual([1, 2, 3, 4].map((id) => [String(id), `PAL-${id}-MIGRATED`, 'STORED']));
    expect(migrated.contents).toEqual([
      ['1', 'MIGRATED-1', '240.0000'],
      ['2', 'MIGRATED-1', '240.0000'],
      ['3', 'MIGRATED-2', '500.0000'],
      ['4', 'MIGRATED-5', '300.0000'],
    ]);
    expect(await legacyRecords(client)).toEqual(legacy);
  });

  it("has the foreign keys, unique constraints and enum values seed 003's integrity checks list", async () => {
    const constraints = async (type: string) =>
      (
        await client.query(
          `SELECT table_name || '.' || constraint_name AS name FROM information_schema.table_constraints
            WHERE constraint_schema = 'traceability' AND constraint_type = $1 ORDER BY 1`,
          [type],
        )
      ).rows.map((row) => row.name);
    // The guide's foreign keys (with client_id since swap_tenant_keys), and each table's to core.client (issue 10).
    expect(await constraints('FOREIGN KEY')).toEqual([
      'batch.batch_client_id_fkey',
      'batch.batch_product_id_fkey',
      'batch.batch_production_run_id_fkey',
      'batch_ingredient.batch_ingredient_batch_id_fkey',
      'batch_ingredient.batch_ingredient_client_id_fkey',
      'batch_ingredient.batch_ingredient_ingredient_lot_id_fkey',
      'batch_ingredient.batch_ingredient_input_batch_id_fkey',
      'ingredient.ingredient_client_id_fkey',
      'ingredient_lot.ingredient_lot_client_id_fkey',
      'ingredient_lot.ingredient_lot_ingredient_id_fkey',
      'ingredient_lot.ingredient_lot_supplier_id_fkey',
      'ingredient_lot.ingredient_lot_warehouse_id_fkey',
      'pallet.pallet_client_id_fkey',
      'pallet.pallet_production_run_id_fkey',
      'pallet.pallet_warehouse_id_fkey',
      'pallet_content.pallet_content_batch_id_fkey',
      'pallet_content.pallet_content_client_id_fkey',
      'pallet_content.pallet_content_pallet_id_fkey',
      'production_run.production_run_client_id_fkey',
      'production_run.production_run_recipe_id_fkey',
      'production_run.production_run_warehouse_id_fkey',
      'recipe.recipe_client_id_fkey',
      'recipe.recipe_product_id_fkey',
      'recipe_ingredient.recipe_ingredient_client_id_fkey',
      'recipe_ingredient.recipe_ingredient_ingredient_id_fkey',
      'recipe_ingredient.recipe_ingredient_recipe_id_fkey',
    ]);
    // Prisma makes unique constraints unique indexes, which information_schema does not list: ask pg_index.
    const { rows: unique } = await client.query(
      `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indisunique AND NOT i.indisprimary AND c.relnamespace = 'traceability'::regnamespace ORDER BY 1`,
    );
    // The guide's unique keys, per client since swap_tenant_keys (issue 10).
    expect(unique.map((row) => row.name)).toEqual([
      'batch_client_id_batch_number_key',
      'batch_client_id_tlc_key',
      'batch_ingredient_client_id_batch_id_ingredient_lot_id_key',
      'batch_ingredient_client_id_batch_id_input_batch_id_key',
      'ingredient_client_id_name_key',
      'ingredient_lot_client_id_supplier_id_supplier_lot_code_ingr_key',
      'ingredient_lot_client_id_tlc_key',
      'pallet_client_id_pallet_number_key',
      'pallet_client_id_sscc_key',
      'pallet_content_client_id_pallet_id_batch_id_key',
      'recipe_client_id_product_id_version_key',
      'recipe_ingredient_client_id_recipe_id_ingredient_id_key',
      'recipe_one_active_version_key',
    ]);
    const { rows: labels } = await client.query(
      `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
        WHERE t.typnamespace = 'traceability'::regnamespace GROUP BY t.typname ORDER BY 1`,
    );
    expect(Object.fromEntries(labels.map((row) => [row.typname, row.labels]))).toEqual({
      batch_status: ['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'],
      ingredient_type: [
        'FLOUR',
        'SUGAR',
        'DAIRY',
        'EGG',
        'FAT',
        'LEAVENING',
        'SALT',
        'SEED_NUT',
        'FRUIT',
        'FLAVORING',
        'PACKAGING',
        'OTHER',
      ],
      lot_status: ['AVAILABLE', 'IN_USE', 'DEPLETED'],
      pallet_status: ['BUILDING', 'STORED', 'SHIPPED', 'DISPOSED'],
      quality_status: ['PENDING', 'PASSED', 'ON_HOLD', 'QUARANTINED', 'REJECTED', 'RECALLED', 'EXPIRED'],
      reference_document_type: ['BILL_OF_LADING', 'INVOICE', 'ADVANCE_SHIPPING_NOTICE', 'PURCHASE_ORDER', 'PRODUCTION_RECORD', 'OTHER'],
    });
  });

  it('up -> down -> up keeps the records, keeps what the enhancement added in backup tables, and migrates the same again', async () => {
    const migrated = await migratedRecords(client);
    const { rolledBack } = await rollback(client, { migrationsDir: MIGRATIONS_DIR }, { to: BASELINE });
    expect(rolledBack.at(-1)).toBe('20261121112733_add_location_descriptions');
    expect(await legacyRecords(client)).toEqual(legacy);
    const { rows } = await client.query(
      `SELECT batch_number, status FROM backup.traceability_batch_20261121112817 ORDER BY production_run_id`,
    );
    expect(rows.map((row) => [row.batch_number, row.status])).toEqual(migrated.batches.map((batch) => [batch[1], batch[5]]));

    await deploy(client, { migrationsDir: MIGRATIONS_DIR });
    expect(await migratedRecords(client)).toEqual(migrated);
    expect(await legacyRecords(client)).toEqual(legacy);
  });
});
