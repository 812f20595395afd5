/**
 * Every rule of the traceability schema broken on purpose, by SQLSTATE and constraint name: the
 * CHECKs, the consumption and palletising triggers, the usage guards, the foreign keys both ways,
 * the audit trail.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError, fkRestrictCode } from '../harness/sql.ts';
import { at, genealogy, sscc } from './fixtures.ts';

type Genealogy = ReturnType<typeof genealogy>;

/** A small genealogy every rule test starts from: a lot, a batch that used 10 of it, a pallet with 20 of the batch. */
async function world(client: pg.ClientBase) {
  const g = genealogy(client);
  const lot = await g.lot({ quantity: 50, receivedHour: 1, expiry: '2026-12-31' });
  const batch = await g.batch({ quantity: 100, producedHour: 10 });
  const edge = await g.consume(batch, { lot }, 10, 5);
  const pallet = await g.pallet({ sscc: sscc(1) });
  await g.palletise(pallet, batch, 20);
  const ids = await client.query(
    `SELECT l.ingredient_id::text AS ingredient, l.supplier_id::text AS supplier, l.warehouse_id::text AS warehouse, b.production_run_id::text AS run,
            r.recipe_id::text AS recipe
       FROM traceability.ingredient_lot l, traceability.batch b JOIN traceability.production_run r ON r.id = b.production_run_id
      WHERE l.id = $1 AND b.id = $2`,
    [lot.id, batch.id],
  );
  return {
    g,
    lot,
    batch,
    edge,
    pallet,
    ...(ids.rows[0] as { ingredient: string; supplier: string; warehouse: string; run: string; recipe: string }),
  };
}
type World = Awaited<ReturnType<typeof world>>;

describe('traceability CHECK constraints', () => {
  it.each<[string, (w: World) => [string, unknown[]]]>([
    [
      'ingredient_lot_received_quantity_positive_check',
      (w) => [
        `INSERT INTO traceability.ingredient_lot (ingredient_id, supplier_id, supplier_lot_code, tlc, received_quantity, unit_of_measure, received_at)
       VALUES ($1, $2, 'ZERO', $3, 0, 'kg', now())`,
        [w.ingredient, w.supplier, w.g.unique('TLC-ZERO')],
      ],
    ],
    ['ingredient_lot_consumption_check', (w) => ['UPDATE traceability.ingredient_lot SET received_quantity = 9 WHERE id = $1', [w.lot.id]]],
    ['ingredient_lot_expiry_check', (w) => [`UPDATE traceability.ingredient_lot SET expiry_date = '2026-03-01' WHERE id = $1`, [w.lot.id]]],
    ['ingredient_lot_codes_check', (w) => [`UPDATE traceability.ingredient_lot SET supplier_lot_code = ' ' WHERE id = $1`, [w.lot.id]]],
    ['recipe_version_check', (w) => ['UPDATE traceability.recipe SET version = 0 WHERE id = $1', [w.recipe]]],
    ['recipe_yield_quantity_positive_check', (w) => ['UPDATE traceability.recipe SET yield_quantity = 0 WHERE id = $1', [w.recipe]]],
    [
      'recipe_ingredient_quantity_positive_check',
      (w) => [
        `INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure) VALUES ($1, $2, 0, 'kg')`,
        [w.recipe, w.ingredient],
      ],
    ],
    [
      'production_run_times_check',
      (w) => ['UPDATE traceability.production_run SET actual_start_time = $2, actual_end_time = $3 WHERE id = $1', [w.run, at(5), at(4)]],
    ],
    ['production_run_actual_quantity_check', (w) => ['UPDATE traceability.production_run SET actual_quantity = -1 WHERE id = $1', [w.run]]],
    ['batch_quantities_check', (w) => ['UPDATE traceability.batch SET planned_quantity = -1 WHERE id = $1', [w.batch.id]]],
    ['batch_conservation_check', (w) => ['UPDATE traceability.batch SET actual_quantity = 19 WHERE id = $1', [w.batch.id]]],
    ['batch_completion_check', (w) => ['UPDATE traceability.batch SET produced_at = NULL WHERE id = $1', [w.batch.id]]],
    ['batch_expiry_check', (w) => [`UPDATE traceability.batch SET expiry_date = '2026-03-01' WHERE id = $1`, [w.batch.id]]],
    ['batch_codes_check', (w) => [`UPDATE traceability.batch SET tlc = '' WHERE id = $1`, [w.batch.id]]],
    [
      'batch_ingredient_quantity_positive_check',
      (w) => ['UPDATE traceability.batch_ingredient SET quantity_used = 0 WHERE id = $1', [w.edge]],
    ],
    [
      'batch_ingredient_one_input_check',
      (w) => ['UPDATE traceability.batch_ingredient SET ingredient_lot_id = NULL WHERE id = $1', [w.edge]],
    ],
    [
      'batch_ingredient_not_itself_check',
      (w) => [
        'INSERT INTO traceability.batch_ingredient (batch_id, input_batch_id, quantity_used, consumed_at) VALUES ($1, $1, 1, $2)',
        [w.batch.id, at(5)],
      ],
    ],
    // A GTIN-13 with a right check digit: only the length is wrong.
    ['pallet_sscc_format_check', (w) => [`UPDATE traceability.pallet SET sscc = '4006381333931' WHERE id = $1`, [w.pallet.id]]],
    [
      'pallet_sscc_check_digit_check',
      (w) => [
        `UPDATE traceability.pallet SET sscc = $2 WHERE id = $1`,
        [w.pallet.id, `${sscc(2).slice(0, 17)}${(Number(sscc(2)[17]) + 1) % 10}`],
      ],
    ],
    [
      'pallet_content_quantity_positive_check',
      (w) => ['UPDATE traceability.pallet_content SET quantity = 0 WHERE pallet_id = $1', [w.pallet.id]],
    ],
    ['warehouse_gln_check', (w) => [`UPDATE catalog.warehouse SET gln = '0614141000006' WHERE id = $1`, [w.warehouse]]],
    ['supplier_gln_check', (w) => [`UPDATE catalog.supplier SET gln = '061414100000' WHERE id = $1`, [w.supplier]]],
    [
      'audit_log_action_check',
      () => [`INSERT INTO audit.audit_log (table_schema, table_name, action, actor) VALUES ('x', 'y', 'TRUNCATE', 'me')`, []],
    ],
  ])('%s refuses what it should', async (constraint, write) => {
    await withRollback(async (client) => {
      const w = await world(client);
      const [sql, params] = write(w);
      await expectSqlError(client, () => client.query(sql, params), '23514', constraint);
    });
  });

  it('accepts GS1 keys with the right check digit', async () => {
    await withRollback(async (client) => {
      const w = await world(client);
      await client.query(`UPDATE catalog.warehouse SET gln = '0614141000005' WHERE id = $1`, [w.warehouse]);
      await client.query(`UPDATE traceability.pallet SET sscc = '106141411234567897' WHERE id = $1`, [w.pallet.id]);
    });
  });
});

describe('consumption and palletising (tg_batch_ingredient__check_input, tg_batch_ingredient__consume, tg_pallet_content__palletise)', () => {
  it.each(['PENDING', 'ON_HOLD', 'QUARANTINED', 'REJECTED', 'RECALLED', 'EXPIRED'])('refuses a %s lot', async (quality) => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ quality });
      const batch = await g.batch();
      await expectSqlError(client, () => g.consume(batch, { lot }, 1), '23514', 'batch_ingredient_input_released_check');
    });
  });

  it('reworks only completed batches that are not quarantined, recalled, rejected or expired', async () => {
    await withRollback(async (client) => {
      const g: Genealogy = genealogy(client);
      const rework = await g.batch({ producedHour: 20 });
      const open = await g.batch({ status: 'IN_PROGRESS', producedHour: null });
      await expectSqlError(client, () => g.consume(rework, { batch: open }, 1, 15), '23514', 'batch_ingredient_input_released_check');
      const quarantined = await g.batch({ quality: 'QUARANTINED' });
      await expectSqlError(
        client,
        () => g.consume(rework, { batch: quarantined }, 1, 15),
        '23514',
        'batch_ingredient_input_released_check',
      );
      const fine = await g.batch({ quality: 'ON_HOLD', quantity: 10 });
      await g.consume(rework, { batch: fine }, 10, 15);
      const pallet = await g.pallet();
      await expectSqlError(client, () => g.palletise(pallet, fine, 1), '23514', 'batch_conservation_check');
    });
  });

  it('palletises only completed batches onto pallets being built or stored', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const open = await g.batch({ status: 'IN_PROGRESS', producedHour: null });
      const pallet = await g.pallet();
      await expectSqlError(client, () => g.palletise(pallet, open, 1), '23514', 'pallet_content_batch_completed_check');
      const batch = await g.batch();
      const shipped = await g.pallet({ status: 'SHIPPED' });
      await expectSqlError(client, () => g.palletise(shipped, batch, 1), '23514', 'pallet_content_pallet_open_check');
    });
  });

  it('keeps the usage counters right through updates, deletes and upserts that change nothing', async () => {
    await withRollback(async (client) => {
      const w = await world(client);
      const usage = async () =>
        (
          await client.query(
            `SELECT l.consumed_quantity::text AS lot, l.status, b.palletised_quantity::text AS palletised
               FROM traceability.ingredient_lot l, traceability.batch b WHERE l.id = $1 AND b.id = $2`,
            [w.lot.id, w.batch.id],
          )
        ).rows[0];
      expect(await usage()).toEqual({ lot: '10.0000', status: 'IN_USE', palletised: '20.0000' });
      await client.query('UPDATE traceability.batch_ingredient SET quantity_used = 50 WHERE id = $1', [w.edge]);
      expect(await usage()).toMatchObject({ lot: '50.0000', status: 'DEPLETED' });
      // ON CONFLICT runs BEFORE INSERT triggers for a row it then skips: nothing may be counted.
      await client.query(
        `INSERT INTO traceability.batch_ingredient (batch_id, ingredient_lot_id, quantity_used, consumed_at) VALUES ($1, $2, 50, $3)
         ON CONFLICT (client_id, batch_id, ingredient_lot_id) DO NOTHING`,
        [w.batch.id, w.lot.id, at(5)],
      );
      await client.query(
        `INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity) VALUES ($1, $2, 70) ON CONFLICT (client_id, pallet_id, batch_id) DO NOTHING`,
        [w.pallet.id, w.batch.id],
      );
      expect(await usage()).toEqual({ lot: '50.0000', status: 'DEPLETED', palletised: '20.0000' });
      await client.query('DELETE FROM traceability.batch_ingredient WHERE id = $1', [w.edge]);
      await client.query('DELETE FROM traceability.pallet_content WHERE pallet_id = $1', [w.pallet.id]);
      expect(await usage()).toEqual({ lot: '0.0000', status: 'AVAILABLE', palletised: '0.0000' });
    });
  });

  it('copies the input unit onto the consumption row', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const lot = await g.lot({ unit: 'L' });
      const edge = await g.consume(await g.batch(), { lot }, 2);
      expect(
        (await client.query('SELECT unit_of_measure FROM traceability.batch_ingredient WHERE id = $1', [edge])).rows[0].unit_of_measure,
      ).toBe('L');
    });
  });
});

describe('usage guards (tg_ingredient_lot__guard_usage, tg_batch__guard_usage)', () => {
  it('refuse writing the counters directly', async () => {
    await withRollback(async (client) => {
      const w = await world(client);
      await expectSqlError(
        client,
        () => client.query('UPDATE traceability.ingredient_lot SET consumed_quantity = 0 WHERE id = $1', [w.lot.id]),
        '23001',
      );
      await expectSqlError(
        client,
        () => client.query(`UPDATE traceability.ingredient_lot SET status = 'AVAILABLE' WHERE id = $1`, [w.lot.id]),
        '23001',
      );
      await expectSqlError(
        client,
        () => client.query('UPDATE traceability.batch SET palletised_quantity = 0 WHERE id = $1', [w.batch.id]),
        '23001',
      );
      await expectSqlError(
        client,
        () =>
          client.query(
            `INSERT INTO traceability.batch (production_run_id, batch_number, tlc, planned_quantity, consumed_quantity) VALUES ($1, 'X', 'X', 1, 5)`,
            [w.run],
          ),
        '23001',
      );
      await client.query(`UPDATE traceability.ingredient_lot SET quality_status = 'ON_HOLD' WHERE id = $1`, [w.lot.id]);
    });
  });

  it('keeps one active recipe version per product', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      const product = await g.product();
      const recipe = (version: number, active: boolean) =>
        client.query(
          `INSERT INTO traceability.recipe (name, product_id, version, is_active, created_by) VALUES ('R', $1, $2, $3, 'tests')`,
          [product, version, active],
        );
      await recipe(1, false);
      await recipe(2, true);
      await expectSqlError(client, () => recipe(3, true), '23505', 'recipe_one_active_version_key');
      await expectSqlError(client, () => recipe(2, false), '23505', 'recipe_client_id_product_id_version_key');
    });
  });
});

describe('traceability foreign keys', () => {
  const MISSING = '-42';
  it.each<[string, (w: World) => [string, unknown[]]]>([
    [
      'ingredient_lot_ingredient_id_fkey',
      (w) => ['UPDATE traceability.ingredient_lot SET ingredient_id = $2 WHERE id = $1', [w.lot.id, MISSING]],
    ],
    [
      'ingredient_lot_supplier_id_fkey',
      (w) => ['UPDATE traceability.ingredient_lot SET supplier_id = $2 WHERE id = $1', [w.lot.id, MISSING]],
    ],
    [
      'ingredient_lot_warehouse_id_fkey',
      (w) => ['UPDATE traceability.ingredient_lot SET warehouse_id = $2 WHERE id = $1', [w.lot.id, MISSING]],
    ],
    ['recipe_product_id_fkey', (w) => ['UPDATE traceability.recipe SET product_id = $2 WHERE id = $1', [w.recipe, MISSING]]],
    [
      'recipe_ingredient_recipe_id_fkey',
      (w) => [
        `INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure) VALUES ($2, $1, 1, 'kg')`,
        [w.ingredient, MISSING],
      ],
    ],
    [
      'recipe_ingredient_ingredient_id_fkey',
      (w) => [
        `INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure) VALUES ($1, $2, 1, 'kg')`,
        [w.recipe, MISSING],
      ],
    ],
    ['production_run_recipe_id_fkey', (w) => ['UPDATE traceability.production_run SET recipe_id = $2 WHERE id = $1', [w.run, MISSING]]],
    [
      'production_run_warehouse_id_fkey',
      (w) => ['UPDATE traceability.production_run SET warehouse_id = $2 WHERE id = $1', [w.run, MISSING]],
    ],
    ['batch_production_run_id_fkey', (w) => ['UPDATE traceability.batch SET production_run_id = $2 WHERE id = $1', [w.batch.id, MISSING]]],
    ['batch_product_id_fkey', (w) => ['UPDATE traceability.batch SET product_id = $2 WHERE id = $1', [w.batch.id, MISSING]]],
    ['batch_ingredient_batch_id_fkey', (w) => ['UPDATE traceability.batch_ingredient SET batch_id = $2 WHERE id = $1', [w.edge, MISSING]]],
    [
      'batch_ingredient_ingredient_lot_id_fkey',
      (w) => ['UPDATE traceability.batch_ingredient SET ingredient_lot_id = $2 WHERE id = $1', [w.edge, MISSING]],
    ],
    [
      'batch_ingredient_input_batch_id_fkey',
      (w) => [
        'INSERT INTO traceability.batch_ingredient (batch_id, input_batch_id, quantity_used, consumed_at) VALUES ($1, $2, 1, $3)',
        [w.batch.id, MISSING, at(5)],
      ],
    ],
    [
      'pallet_production_run_id_fkey',
      (w) => ['UPDATE traceability.pallet SET production_run_id = $2 WHERE id = $1', [w.pallet.id, MISSING]],
    ],
    ['pallet_warehouse_id_fkey', (w) => ['UPDATE traceability.pallet SET warehouse_id = $2 WHERE id = $1', [w.pallet.id, MISSING]]],
    [
      'pallet_content_pallet_id_fkey',
      (w) => ['UPDATE traceability.pallet_content SET pallet_id = $2 WHERE pallet_id = $1', [w.pallet.id, MISSING]],
    ],
    [
      'pallet_content_batch_id_fkey',
      (w) => ['INSERT INTO traceability.pallet_content (pallet_id, batch_id, quantity) VALUES ($1, $2, 1)', [w.pallet.id, MISSING]],
    ],
  ])('%s refuses a reference to nothing (23503)', async (constraint, write) => {
    await withRollback(async (client) => {
      const [sql, params] = write(await world(client));
      await expectSqlError(client, () => client.query(sql, params), '23503', constraint);
    });
  });

  it('ON DELETE RESTRICT keeps every lot, batch, edge and pallet when what they refer to goes; recipe lines go with their recipe', async () => {
    await withRollback(async (client) => {
      const w = await world(client);
      const restrict = await fkRestrictCode(client);
      const refuse = (sql: string, id: string, constraint: string) =>
        expectSqlError(client, () => client.query(sql, [id]), restrict, constraint);
      await refuse('DELETE FROM traceability.ingredient WHERE id = $1', w.ingredient, 'ingredient_lot_ingredient_id_fkey');
      await refuse('DELETE FROM traceability.ingredient_lot WHERE id = $1', w.lot.id, 'batch_ingredient_ingredient_lot_id_fkey');
      await refuse('DELETE FROM traceability.pallet WHERE id = $1', w.pallet.id, 'pallet_content_pallet_id_fkey');
      await refuse('DELETE FROM traceability.production_run WHERE id = $1', w.run, 'batch_production_run_id_fkey');
      await refuse('DELETE FROM catalog.supplier WHERE id = $1', w.supplier, 'ingredient_lot_supplier_id_fkey');
      await refuse('DELETE FROM traceability.batch WHERE id = $1', w.batch.id, 'batch_ingredient_batch_id_fkey');
      const [input, rework] = [await w.g.batch({ producedHour: 11 }), await w.g.batch({ producedHour: 20 })];
      await w.g.consume(rework, { batch: input }, 1, 15);
      await refuse('DELETE FROM traceability.batch WHERE id = $1', input.id, 'batch_ingredient_input_batch_id_fkey');
      const palletised = await w.g.batch();
      await w.g.palletise(w.pallet, palletised, 1);
      await refuse('DELETE FROM traceability.batch WHERE id = $1', palletised.id, 'pallet_content_batch_id_fkey');

      await client.query(
        `INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure) VALUES ($1, $2, 1, 'kg')`,
        [w.recipe, w.ingredient],
      );
      const recipe = (await client.query(`INSERT INTO traceability.recipe (name, created_by) VALUES ('Lone', 'tests') RETURNING id::text`))
        .rows[0].id;
      await client.query(
        `INSERT INTO traceability.recipe_ingredient (recipe_id, ingredient_id, quantity_per_unit, unit_of_measure) VALUES ($1, $2, 1, 'kg')`,
        [recipe, w.ingredient],
      );
      await client.query('DELETE FROM traceability.recipe WHERE id = $1', [recipe]);
      expect(
        (await client.query('SELECT count(*)::int AS n FROM traceability.recipe_ingredient WHERE recipe_id = $1', [recipe])).rows[0].n,
      ).toBe(0);
    });
  });
});

describe('audit trail (tg__record_change, tg_audit_log__forbid_change)', () => {
  it('records every change of a traceability row with the actor, and cannot be changed itself', async () => {
    await withRollback(async (client) => {
      const g = genealogy(client);
      await client.query(`SET LOCAL supply_ledger.actor = 'qa@bakery'`);
      const lot = await g.lot({ quality: 'PENDING' });
      await client.query(`UPDATE traceability.ingredient_lot SET quality_status = 'PASSED' WHERE id = $1`, [lot.id]);
      const { rows } = await client.query(
        `SELECT action, actor, old_row ->> 'quality_status' AS before, new_row ->> 'quality_status' AS after
           FROM audit.audit_log WHERE table_schema = 'traceability' AND table_name = 'ingredient_lot' AND row_id = $1 ORDER BY id`,
        [lot.id],
      );
      expect(rows).toEqual([
        { action: 'INSERT', actor: 'qa@bakery', before: null, after: 'PENDING' },
        { action: 'UPDATE', actor: 'qa@bakery', before: 'PENDING', after: 'PASSED' },
      ]);
      const audited = await client.query(
        `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE t.tgname = '_900_record_change' AND c.relnamespace = 'traceability'::regnamespace ORDER BY 1`,
      );
      const tables = await client.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'traceability'::regnamespace AND relkind = 'r' ORDER BY 1`,
      );
      expect(audited.rows).toEqual(tables.rows);

      // The application role may only read and append: privileges refuse the rest before any trigger runs.
      await expectSqlError(client, () => client.query(`UPDATE audit.audit_log SET actor = 'someone else'`), '42501');
      await expectSqlError(client, () => client.query('DELETE FROM audit.audit_log'), '42501');
      await expectSqlError(client, () => client.query('TRUNCATE audit.audit_log'), '42501');
    });
    // The superuser may issue those statements (the application role may not): the trigger refuses them even so.
    await withAdminRollback(async (client) => {
      await client.query(
        `INSERT INTO audit.audit_log (table_schema, table_name, action, actor) VALUES ('traceability', 'ingredient_lot', 'INSERT', 'tests')`,
      );
      await expectSqlError(client, () => client.query(`UPDATE audit.audit_log SET actor = 'someone else'`), '23001');
      await expectSqlError(client, () => client.query('DELETE FROM audit.audit_log'), '23001');
      await expectSqlError(client, () => client.query('TRUNCATE audit.audit_log'), '23001');
    });
  });

  it('keeps updated_at on every traceability table', async () => {
    await withRollback(async (client) => {
      const triggers = await client.query(
        `SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE t.tgname = '_500_set_updated_at' AND c.relnamespace = 'traceability'::regnamespace ORDER BY 1`,
      );
      const tables = await client.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'traceability'::regnamespace AND relkind = 'r' ORDER BY 1`,
      );
      expect(triggers.rows).toEqual(tables.rows);
    });
  });
});
