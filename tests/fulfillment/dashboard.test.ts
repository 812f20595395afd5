/**
 * Dashboard personalization (add_dashboard_personalization): layouts validated in the database,
 * exactly one default per user, optimistic saves, preferences with defaults. Each rule broken on
 * purpose by SQLSTATE and constraint name.
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientTransaction } from '../../src/db/tenancy.ts';
import { saveDashboardLayout } from '../../src/fulfillment/dashboard.ts';
import { withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { uniqueSuffix } from '../inventory/fixtures.ts';

async function user(tx: ClientTransaction): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(`INSERT INTO fulfillment.app_user (email, name) VALUES ($1, 'Dash') RETURNING id::text`, [
    `dash-${uniqueSuffix()}@example.test`,
  ]);
  return rows[0]!.id;
}

async function layout(tx: ClientTransaction, userId: string, name: string, isDefault: boolean, widgets: unknown = []): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, layout) VALUES ($1, $2, $3, $4) RETURNING id::text`,
    [userId, name, isDefault, JSON.stringify({ widgets })],
  );
  return rows[0]!.id;
}

const widget = (over: Record<string, unknown> = {}) => ({ id: 'w1', type: 'chart', x: 0, y: 0, w: 6, h: 4, ...over });

describe('layout shape, in the database', () => {
  it('refuses what is not a grid of widgets: past the edge, missing or extra keys, wrong types, duplicates, too many, too big', async () => {
    await withRollback(async (tx) => {
      const u = await user(tx);
      const bad: unknown[] = [
        [widget({ x: 20, w: 6 })],
        [widget({ w: 0 })],
        [widget({ x: -1 })],
        [widget({ x: 1.5 })],
        [widget({ y: 199, h: 2 })],
        [{ id: 'w1', type: 'chart', x: 0, y: 0, w: 6 }],
        [widget({ colour: 'red' })],
        [widget({ id: 7 })],
        [widget({ settings: 'x' })],
        [widget({ x: 99999999999 })],
        [widget(), widget()],
        Array.from({ length: 51 }, (_, i) => widget({ id: `w${i}` })),
        [widget({ settings: { note: 'x'.repeat(70_000) } })],
        'not an array',
      ];
      for (const widgets of bad) {
        await expectSqlError(tx, () => layout(tx, u, 'bad', true, widgets), '23514', 'dashboard_layout_shape_check');
      }
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, layout) VALUES ($1, 'x', true, '[]')`, [u]),
        '23514',
        'dashboard_layout_shape_check',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, grid_columns) VALUES ($1, 'x', true, 10)`, [
            u,
          ]),
        '23514',
        'dashboard_layout_grid_columns_check',
      );
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, layout_schema_version) VALUES ($1, 'x', true, 0)`,
            [u],
          ),
        '23514',
        'dashboard_layout_schema_version_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default) VALUES (-1, 'x', true)`),
        '23503',
        'dashboard_layout_app_user_id_fkey',
      );
      await layout(tx, u, 'good', true, [widget({ x: 18, w: 6, settings: { metric: 'stock' } }), widget({ id: 'w2', y: 196, h: 4 })]);
    });
  });
});

describe('the default layout', () => {
  it('is at most one per user at any moment and exactly one at commit', async () => {
    await withRollback(async (tx) => {
      const u = await user(tx);
      const first = await layout(tx, u, 'one', true);
      const second = await layout(tx, u, 'two', false);
      await expectSqlError(tx, () => layout(tx, u, 'three', true), '23505', 'dashboard_layout_one_default_per_user_key');
      // Moving the default is two updates in one transaction, checked at commit.
      await tx.query(`UPDATE fulfillment.dashboard_layout SET is_default = false, version = version + 1 WHERE id = $1`, [first]);
      await tx.query(`UPDATE fulfillment.dashboard_layout SET is_default = true, version = version + 1 WHERE id = $1`, [second]);
      await tx.query('SET CONSTRAINTS fulfillment.dashboard_layout_one_default_check IMMEDIATE');
      await tx.query('SET CONSTRAINTS fulfillment.dashboard_layout_one_default_check DEFERRED');
      // No default at commit is refused.
      await tx.query(`UPDATE fulfillment.dashboard_layout SET is_default = false, version = version + 1 WHERE id = $1`, [second]);
      await expectSqlError(
        tx,
        () => tx.query('SET CONSTRAINTS fulfillment.dashboard_layout_one_default_check IMMEDIATE'),
        '23514',
        'dashboard_layout_one_default_check',
      );
    });
  });
});

describe('saves', () => {
  it('are optimistic: a stale save is refused, not lost', async () => {
    await withRollback(async (tx) => {
      const u = await user(tx);
      const id = await layout(tx, u, 'main', true, [widget()]);
      expect(await saveDashboardLayout(tx, id, 1, [widget({ w: 12 })])).toBe(2);
      // A second editor who read version 1 saves: refused, and the first save stays.
      await expect(saveDashboardLayout(tx, id, 1, [widget({ w: 3 })])).rejects.toMatchObject({
        name: 'StaleLayoutError',
        layoutId: id,
        expectedVersion: 1,
        currentVersion: 2,
      });
      const { rows } = await tx.query(
        `SELECT layout -> 'widgets' -> 0 ->> 'w' AS w, version FROM fulfillment.dashboard_layout WHERE id = $1`,
        [id],
      );
      expect(rows).toEqual([{ w: '12', version: 2 }]);
      // Writers that bypass the library meet the trigger.
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.dashboard_layout SET name = 'x' WHERE id = $1`, [id]),
        '23514',
        'dashboard_layout_version_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.dashboard_layout SET name = 'x', version = 2 WHERE id = $1`, [id]),
        '23514',
        'dashboard_layout_version_check',
      );
      await expect(saveDashboardLayout(tx, '-1', 1, [])).rejects.toMatchObject({ name: 'StaleLayoutError', currentVersion: null });
    });
  });
});

describe('preferences', () => {
  it('have defaults for every user, and their rules', async () => {
    await withRollback(async (tx) => {
      const u = await user(tx);
      const read = async () =>
        (
          await tx.query(
            `SELECT color_scheme, refresh_interval_seconds, is_customised FROM fulfillment.v_user_preference WHERE app_user_id = $1`,
            [u],
          )
        ).rows;
      expect(await read()).toEqual([{ color_scheme: 'SYSTEM', refresh_interval_seconds: 60, is_customised: false }]);
      await tx.query(`INSERT INTO fulfillment.user_preference (app_user_id, color_scheme) VALUES ($1, 'DARK')`, [u]);
      expect(await read()).toEqual([{ color_scheme: 'DARK', refresh_interval_seconds: 60, is_customised: true }]);
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.user_preference (app_user_id) VALUES ($1)`, [u]),
        '23505',
        'user_preference_client_id_app_user_id_key',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.user_preference SET color_scheme = 'PINK'`),
        '23514',
        'user_preference_color_scheme_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.user_preference SET refresh_interval_seconds = 1`),
        '23514',
        'user_preference_refresh_interval_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE fulfillment.user_preference SET notification_settings = '[]'`),
        '23514',
        'user_preference_notification_settings_check',
      );
      await expectSqlError(
        tx,
        () => tx.query(`INSERT INTO fulfillment.user_preference (app_user_id) VALUES (-1)`),
        '23503',
        'user_preference_app_user_id_fkey',
      );
      // Layouts and preferences go with their user.
      await layout(tx, u, 'main', true);
      await tx.query(`DELETE FROM fulfillment.app_user WHERE id = $1`, [u]);
      expect((await tx.query(`SELECT 1 FROM fulfillment.user_preference WHERE app_user_id = $1`, [u])).rows).toEqual([]);
    });
  });
});
