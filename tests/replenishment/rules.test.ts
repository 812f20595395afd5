/**
 * Every rule of add_supply_replenishment broken on purpose, by SQLSTATE and constraint name, as
 * the application role (the superuser only where the application has no privilege to try, said
 * where): the CHECKs, exclusion constraints, unique keys, and the triggers that refuse.
 */
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { withAdminRollback, withRollback } from '../harness/db.ts';
import { expectSqlError } from '../harness/sql.ts';
import { at, move, reliefWorld, type World } from './fixtures.ts';

async function one(client: pg.ClientBase, sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await client.query<{ id: string }>(sql, params);
  return rows[0]!.id;
}

/** A DRAFT needs list of the world's first warehouse, inserted as the guide's test does. */
function insertList(client: pg.ClientBase, w: World, overrides: Record<string, unknown> = {}): Promise<string> {
  const row = {
    needs_list_no: `NL-${Math.random().toString(36).slice(2)}`,
    event_id: w.event,
    warehouse_id: w.warehouses[0],
    event_phase: 'BASELINE',
    calculation_dtime: at(0),
    demand_window_hours: 720,
    planning_window_hours: 720,
    safety_factor: 1.25,
    data_freshness_level: 'HIGH',
    status_code: 'DRAFT',
    create_by_id: 'SYSTEM',
    update_by_id: 'SYSTEM',
    ...overrides,
  };
  const columns = Object.keys(row);
  return one(
    client,
    `INSERT INTO replenishment.needs_list (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id::text`,
    Object.values(row),
  );
}

async function item(client: pg.ClientBase, list: string, product: string, overrides: Record<string, unknown> = {}): Promise<void> {
  const row = {
    needs_list_id: list,
    product_id: product,
    burn_rate: 1,
    burn_rate_method: 'OBSERVED',
    available_qty: 10,
    inbound_qty: 0,
    required_qty: 20,
    gap_qty: 10,
    procurement_qty: 10,
    ...overrides,
  };
  const columns = Object.keys(row);
  await client.query(
    `INSERT INTO replenishment.needs_list_item (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
}

type Case = [string, (tx: pg.ClientBase, w: World) => Promise<unknown>];

describe('add_supply_replenishment CHECK constraints (23514)', () => {
  it.each<Case>([
    ['c_event_phase', (tx, w) => tx.query(`UPDATE replenishment.event SET current_phase = 'RECOVERY' WHERE id = $1`, [w.event])],
    [
      'warehouse_setting_sync_status_check',
      (tx, w) => tx.query(`UPDATE replenishment.warehouse_setting SET sync_status = 'FRESH' WHERE warehouse_id = $1`, [w.warehouses[0]]),
    ],
    [
      'warehouse_setting_min_stock_check',
      (tx, w) => tx.query('UPDATE replenishment.warehouse_setting SET min_stock_threshold = -1 WHERE warehouse_id = $1', [w.warehouses[0]]),
    ],
    [
      'item_setting_criticality_check',
      (tx, w) => tx.query(`UPDATE replenishment.item_setting SET criticality_level = 'URGENT' WHERE product_id = $1`, [w.products[0]]),
    ],
    [
      'item_setting_min_stock_check',
      (tx, w) => tx.query('UPDATE replenishment.item_setting SET min_stock_threshold = -1 WHERE product_id = $1', [w.products[0]]),
    ],
    [
      'item_setting_baseline_burn_rate_check',
      (tx, w) => tx.query('UPDATE replenishment.item_setting SET baseline_burn_rate = -1 WHERE product_id = $1', [w.products[0]]),
    ],
    [
      'transfer_dispatch_recorded_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id, status) VALUES ('X1', $1, $2, 'DISPATCHED')`,
          [w.warehouses[0], w.warehouses[1]],
        ),
    ],
    [
      'transfer_receipt_recorded_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id, received_at, received_by) VALUES ('X2', $1, $2, now(), 'x')`,
          [w.warehouses[0], w.warehouses[1]],
        ),
    ],
    [
      'transfer_transit_warehouse_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id, transit_warehouse_id) VALUES ('X3', $1, $2, $1)`,
          [w.warehouses[0], w.warehouses[1]],
        ),
    ],
    [
      'transfer_item_received_check',
      async (tx, w) => {
        const t = await one(
          tx,
          `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id) VALUES ('X4', $1, $2) RETURNING id::text`,
          [w.warehouses[0], w.warehouses[1]],
        );
        return tx.query('INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity, received_qty) VALUES ($1, $2, 5, 6)', [
          t,
          w.products[0],
        ]);
      },
    ],
    [
      'event_phase_config_phase_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.event_phase_config (event_id, phase, demand_window_hours, planning_window_hours, safety_buffer_pct, fresh_hours, stale_hours)
           VALUES ($1, 'RECOVERY', 6, 72, 0.5, 2, 6)`,
          [w.event],
        ),
    ],
    [
      'event_phase_config_windows_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.event_phase_config (event_id, phase, demand_window_hours, planning_window_hours, safety_buffer_pct, fresh_hours, stale_hours)
           VALUES ($1, 'SURGE', 6, 72, 0.5, 6, 2)`,
          [w.event],
        ),
    ],
    [
      'event_phase_config_effective_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.event_phase_config
             (event_id, phase, demand_window_hours, planning_window_hours, safety_buffer_pct, fresh_hours, stale_hours, effective_from, effective_to)
           VALUES ($1, 'SURGE', 6, 72, 0.5, 2, 6, $2, $2)`,
          [w.event, at(0)],
        ),
    ],
    [
      'burn_rate_snapshot_method_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.burn_rate_snapshot (warehouse_id, product_id, phase, window_start, window_end, issued_qty, stockout_hours, burn_rate, method)
           VALUES ($1, $2, 'SURGE', $3, $4, 1, 0, 1, 'GUESSED')`,
          [w.warehouses[0], w.products[0], at(-6), at(0)],
        ),
    ],
    [
      'burn_rate_snapshot_values_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.burn_rate_snapshot (warehouse_id, product_id, phase, window_start, window_end, issued_qty, stockout_hours, burn_rate, method)
           VALUES ($1, $2, 'SURGE', $3, $4, 1, 0, -1, 'OBSERVED')`,
          [w.warehouses[0], w.products[0], at(-6), at(0)],
        ),
    ],
    [
      'warehouse_sync_log_status_check',
      (tx, w) =>
        tx.query(`INSERT INTO replenishment.warehouse_sync_log (warehouse_id, as_of, status) VALUES ($1, $2, 'PARTIAL')`, [
          w.warehouses[0],
          at(0),
        ]),
    ],
    [
      'warehouse_sync_log_as_of_check',
      (tx, w) =>
        tx.query('INSERT INTO replenishment.warehouse_sync_log (warehouse_id, as_of, synced_at) VALUES ($1, $2, $3)', [
          w.warehouses[0],
          at(1),
          at(0),
        ]),
    ],
    ['c_needs_list_phase', (tx, w) => insertList(tx, w, { event_phase: 'INVALID' })],
    ['needs_list_freshness_check', (tx, w) => insertList(tx, w, { data_freshness_level: 'FRESH' })],
    ['needs_list_parameters_check', (tx, w) => insertList(tx, w, { safety_factor: 0.9 })],
    [
      'needs_list_approver_not_submitter_check',
      async (tx, w) => {
        const list = await insertList(tx, w);
        await tx.query(`UPDATE replenishment.needs_list SET status_code = 'SUBMITTED', update_by_id = 'ann' WHERE id = $1`, [list]);
        return tx.query(
          `UPDATE replenishment.needs_list SET status_code = 'APPROVED', approved_by = 'ann', update_by_id = 'ann' WHERE id = $1`,
          [list],
        );
      },
    ],
    [
      'needs_list_approval_recorded_check',
      async (tx, w) => {
        const list = await insertList(tx, w);
        await tx.query(`UPDATE replenishment.needs_list SET status_code = 'SUBMITTED', update_by_id = 'ann' WHERE id = $1`, [list]);
        return tx.query(`UPDATE replenishment.needs_list SET status_code = 'APPROVED' WHERE id = $1`, [list]);
      },
    ],
    [
      'needs_list_superseded_linked_check',
      async (tx, w) => {
        const list = await insertList(tx, w);
        return tx.query(`UPDATE replenishment.needs_list SET status_code = 'SUPERSEDED' WHERE id = $1`, [list]);
      },
    ],
    ['needs_list_item_quantities_check', async (tx, w) => item(tx, await insertList(tx, w), w.products[0]!, { procurement_qty: 3 })],
    ['needs_list_item_adjustment_reason_check', async (tx, w) => item(tx, await insertList(tx, w), w.products[0]!, { adjusted_qty: 4 })],
    ['needs_list_item_burn_figures_check', async (tx, w) => item(tx, await insertList(tx, w), w.products[0]!, { stockout_hours: -1 })],
    [
      'needs_list_item_burn_rate_method_check',
      async (tx, w) => item(tx, await insertList(tx, w), w.products[0]!, { burn_rate_method: 'GUESSED' }),
    ],
    [
      'supply_claim_source_check',
      async (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.supply_claim (needs_list_id, product_id, source_type, quantity) VALUES ($1, $2, 'TRANSFER', 1)`,
          [await insertList(tx, w), w.products[0]],
        ),
    ],
    [
      'supply_claim_quantity_positive_check',
      async (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.supply_claim (needs_list_id, product_id, source_type, source_warehouse_id, quantity) VALUES ($1, $2, 'TRANSFER', $3, 0)`,
          [await insertList(tx, w), w.products[0], w.warehouses[1]],
        ),
    ],
    [
      'procurement_status_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.procurement (procurement_no, supplier_id, warehouse_id, status_code, ordered_at)
           VALUES ('PO-1', $2, $1, 'LOST', now())`,
          [w.warehouses[0], w.supplier],
        ),
    ],
    [
      'procurement_ordered_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.procurement (procurement_no, supplier_id, warehouse_id, status_code)
           VALUES ('PO-2', $2, $1, 'ORDERED')`,
          [w.warehouses[0], w.supplier],
        ),
    ],
    [
      'procurement_item_quantity_positive_check',
      async (tx, w) => {
        const po = await one(
          tx,
          `INSERT INTO replenishment.procurement (procurement_no, supplier_id, warehouse_id) VALUES ('PO-3', $2, $1) RETURNING id::text`,
          [w.warehouses[0], w.supplier],
        );
        return tx.query('INSERT INTO replenishment.procurement_item (procurement_id, product_id, ordered_qty) VALUES ($1, $2, 0)', [
          po,
          w.products[0],
        ]);
      },
    ],
    [
      'procurement_item_received_check',
      async (tx, w) => {
        const po = await one(
          tx,
          `INSERT INTO replenishment.procurement (procurement_no, supplier_id, warehouse_id) VALUES ('PO-4', $2, $1) RETURNING id::text`,
          [w.warehouses[0], w.supplier],
        );
        return tx.query(
          'INSERT INTO replenishment.procurement_item (procurement_id, product_id, ordered_qty, received_qty) VALUES ($1, $2, 5, 6)',
          [po, w.products[0]],
        );
      },
    ],
    [
      'lead_time_config_source_type_check',
      (tx) => tx.query(`INSERT INTO replenishment.lead_time_config (source_type, lead_time_hours) VALUES ('AIRDROP', 3)`),
    ],
    [
      'lead_time_config_hours_check',
      (tx) => tx.query(`INSERT INTO replenishment.lead_time_config (source_type, lead_time_hours) VALUES ('TRANSFER', 0)`),
    ],
    [
      'lead_time_config_default_unscoped_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.lead_time_config (source_type, lead_time_hours, is_default, product_id) VALUES ('DONATION', 3, true, $1)`,
          [w.products[0]],
        ),
    ],
  ])('%s', async (constraint, attempt) => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      await expectSqlError(tx, () => attempt(tx, w), '23514', constraint);
    });
  });

  // The application may not write phase history or the audit (privileges): the superuser breaks their CHECKs.
  it.each<Case>([
    [
      'event_phase_history_phase_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.event_phase_history (event_id, phase, started_at, changed_by) VALUES ($1, 'RECOVERY', $2, 'x')`,
          [w.event, at(10)],
        ),
    ],
    [
      'event_phase_history_period_check',
      (tx, w) =>
        tx.query(
          `INSERT INTO replenishment.event_phase_history (event_id, phase, started_at, ended_at, changed_by) VALUES ($1, 'SURGE', $2, $2, 'x')`,
          [w.event, at(10)],
        ),
    ],
    [
      // tg_needs_list__enforce_lifecycle refuses an unknown status first; with triggers off (replica) the CHECK stands alone.
      'needs_list_status_check',
      async (tx, w) => {
        await tx.query(`SET LOCAL session_replication_role = replica`);
        return insertList(tx, w, { status_code: 'PENDING' });
      },
    ],
    [
      'needs_list_audit_action_check',
      async (tx, w) =>
        tx.query(`INSERT INTO replenishment.needs_list_audit (needs_list_id, action, changed_by) VALUES ($1, 'DELETED', 'x')`, [
          await insertList(tx, w),
        ]),
    ],
  ])('%s (as the superuser)', async (constraint, attempt) => {
    await withAdminRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      await expectSqlError(tx, () => attempt(tx, w), '23514', constraint);
    });
  });
});

describe('add_supply_replenishment exclusion constraints and unique keys', () => {
  it('event_phase_config_no_overlap_excl refuses overlapping parameters of one phase (23P01)', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      // A closed period inside the defaults' open one (from -infinity) overlaps it.
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO replenishment.event_phase_config
               (event_id, phase, demand_window_hours, planning_window_hours, safety_buffer_pct, fresh_hours, stale_hours, effective_from, effective_to)
             VALUES ($1, 'SURGE', 6, 72, 0.5, 2, 6, $2, $3)`,
            [w.event, at(0), at(5)],
          ),
        '23P01',
        'event_phase_config_no_overlap_excl',
      );
    });
  });

  it('event_phase_history_no_overlap_excl refuses a period over another (23P01, as the superuser: the application may not write history)', async () => {
    await withAdminRollback(async (tx) => {
      const w = await reliefWorld(tx);
      await expectSqlError(
        tx,
        () =>
          tx.query(
            `INSERT INTO replenishment.event_phase_history (event_id, phase, started_at, ended_at, changed_by) VALUES ($1, 'SURGE', $2, $3, 'x')`,
            [w.event, at(-2000), at(-1)],
          ),
        '23P01',
        'event_phase_history_no_overlap_excl',
      );
    });
  });

  it('needs_list_one_draft_key allows one DRAFT per event and warehouse (23505)', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      await insertList(tx, w);
      await expectSqlError(tx, () => insertList(tx, w), '23505', 'needs_list_one_draft_key');
    });
  });

  it('lead_time_config_one_default_key allows one default row per client and source type (23505); tg_client__add_default_lead_times made them', async () => {
    await withRollback(async (tx) => {
      const { rows } = await tx.query(
        `SELECT source_type, lead_time_hours FROM replenishment.lead_time_config WHERE is_default ORDER BY source_type`,
      );
      expect(rows).toEqual([
        { source_type: 'DONATION', lead_time_hours: 72 },
        { source_type: 'PROCUREMENT', lead_time_hours: 336 },
        { source_type: 'TRANSFER', lead_time_hours: 8 },
      ]);
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO replenishment.lead_time_config (source_type, lead_time_hours, is_default) VALUES ('TRANSFER', 5, true)`),
        '23505',
        'lead_time_config_one_default_key',
      );
    });
  });
});

describe('add_supply_replenishment triggers that refuse', () => {
  it('tg_needs_list__enforce_lifecycle: a list starts as DRAFT and moves only along allowed transitions (needs_list_status_transition)', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      await expectSqlError(
        tx,
        () => insertList(tx, w, { status_code: 'APPROVED', approved_by: 'b', submitted_by: 'a', approved_at: at(0) }),
        '23514',
        'needs_list_status_transition',
      );
      const list = await insertList(tx, w);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.needs_list SET status_code = 'FULFILLED' WHERE id = $1`, [list]),
        '23514',
        'needs_list_status_transition',
      );
      await tx.query(`UPDATE replenishment.needs_list SET status_code = 'SUBMITTED', update_by_id = 'ann' WHERE id = $1`, [list]);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.needs_list SET safety_factor = 2 WHERE id = $1`, [list]),
        '23514',
        'needs_list_status_transition',
      );
      await tx.query(
        `UPDATE replenishment.needs_list SET status_code = 'APPROVED', approved_by = 'bob', update_by_id = 'bob' WHERE id = $1`,
        [list],
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.needs_list SET status_code = 'DRAFT' WHERE id = $1`, [list]),
        '23514',
        'needs_list_status_transition',
      );
      const { rows } = await tx.query(
        `SELECT submitted_by, approved_by, approved_at IS NOT NULL AS approved FROM replenishment.needs_list WHERE id = $1`,
        [list],
      );
      expect(rows).toEqual([{ submitted_by: 'ann', approved_by: 'bob', approved: true }]);
    });
  });

  it('tg_needs_list__write_audit writes the audit; tg_needs_list_audit__refuse_change keeps it append-only, even for the superuser', async () => {
    let list = '';
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      list = await insertList(tx, w);
      await tx.query(`UPDATE replenishment.needs_list SET status_code = 'SUBMITTED', update_by_id = 'ann' WHERE id = $1`, [list]);
      const { rows } = await tx.query(
        `SELECT action, old_status, new_status, changed_by FROM replenishment.needs_list_audit WHERE needs_list_id = $1 ORDER BY id`,
        [list],
      );
      expect(rows).toEqual([
        { action: 'CREATED', old_status: null, new_status: 'DRAFT', changed_by: 'SYSTEM' },
        { action: 'STATUS_CHANGED', old_status: 'DRAFT', new_status: 'SUBMITTED', changed_by: 'ann' },
      ]);
      await expectSqlError(tx, () => tx.query('UPDATE replenishment.needs_list_audit SET changed_by = $1', ['x']), '42501');
      await expectSqlError(tx, () => tx.query('DELETE FROM replenishment.needs_list_audit'), '42501');
      await expectSqlError(
        tx,
        () =>
          tx.query(`INSERT INTO replenishment.needs_list_audit (needs_list_id, action, changed_by) VALUES ($1, 'UPDATED', 'x')`, [list]),
        '42501',
      );
    });
    await withAdminRollback(async (tx) => {
      const w = await reliefWorld(tx);
      const other = await insertList(tx, w);
      await expectSqlError(
        tx,
        () => tx.query('UPDATE replenishment.needs_list_audit SET changed_by = $1 WHERE needs_list_id = $2', ['x', other]),
        '23514',
        'needs_list_audit_append_only',
      );
      await expectSqlError(
        tx,
        () => tx.query('DELETE FROM replenishment.needs_list_audit WHERE needs_list_id = $1', [other]),
        '23514',
        'needs_list_audit_append_only',
      );
    });
  });

  it('log_event_phase_change (trg_event_phase_change) logs each change with who and when, contiguously; refuses a change dated before the current phase began', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      await tx.query(
        `UPDATE replenishment.event SET current_phase = 'SURGE', phase_changed_at = $2, phase_changed_by = 'TEST_USER' WHERE id = $1`,
        [w.event, at(0)],
      );
      await tx.query(
        `UPDATE replenishment.event SET current_phase = 'STABILIZED', phase_changed_at = $2, phase_changed_by = 'lead' WHERE id = $1`,
        [w.event, at(72)],
      );
      const { rows } = await tx.query(
        `SELECT phase, previous_phase, started_at, ended_at, changed_by FROM replenishment.event_phase_history WHERE event_id = $1 ORDER BY started_at`,
        [w.event],
      );
      expect(rows.slice(1)).toEqual([
        { phase: 'SURGE', previous_phase: 'BASELINE', started_at: at(0), ended_at: at(72), changed_by: 'TEST_USER' },
        { phase: 'STABILIZED', previous_phase: 'SURGE', started_at: at(72), ended_at: null, changed_by: 'lead' },
      ]);
      expect(rows[0].ended_at).toEqual(at(0));
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.event SET current_phase = 'BASELINE', phase_changed_at = $2 WHERE id = $1`, [w.event, at(50)]),
        '23514',
        'event_phase_history_in_order',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.event_phase_history SET changed_by = 'x' WHERE event_id = $1`, [w.event]),
        '42501',
      );
    });
  });

  it('tg_event__stamp_phase_change: a phase change that does not say when is stamped now', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      await tx.query(`UPDATE replenishment.event SET current_phase = 'SURGE' WHERE id = $1`, [w.event]);
      const { rows } = await tx.query(
        `SELECT e.phase_changed_at = now() AS stamped, h.started_at = now() AS logged FROM replenishment.event e
           JOIN replenishment.event_phase_history h ON h.event_id = e.id AND h.ended_at IS NULL WHERE e.id = $1`,
        [w.event],
      );
      expect(rows).toEqual([{ stamped: true, logged: true }]);
    });
  });

  it('tg_event_phase_history__refuse_rewrite: only the open period may be closed, even by the superuser', async () => {
    await withAdminRollback(async (tx) => {
      const w = await reliefWorld(tx);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.event_phase_history SET phase = 'SURGE' WHERE event_id = $1`, [w.event]),
        '23514',
        'event_phase_history_append_only',
      );
    });
  });

  it('tg_event__add_phase_configs gives an event its defaults; tg_event_phase_config__close_previous dates a change and refuses one before the current', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx);
      const { rows: defaults } = await tx.query(
        `SELECT phase, demand_window_hours, planning_window_hours, safety_buffer_pct::text, fresh_hours, stale_hours
           FROM replenishment.event_phase_config WHERE event_id = $1 ORDER BY phase`,
        [w.event],
      );
      expect(defaults).toEqual([
        {
          phase: 'BASELINE',
          demand_window_hours: 720,
          planning_window_hours: 720,
          safety_buffer_pct: '0.100000',
          fresh_hours: 24,
          stale_hours: 48,
        },
        {
          phase: 'STABILIZED',
          demand_window_hours: 72,
          planning_window_hours: 168,
          safety_buffer_pct: '0.250000',
          fresh_hours: 6,
          stale_hours: 12,
        },
        {
          phase: 'SURGE',
          demand_window_hours: 6,
          planning_window_hours: 72,
          safety_buffer_pct: '0.500000',
          fresh_hours: 2,
          stale_hours: 6,
        },
      ]);
      const insert = (from: Date) =>
        tx.query(
          `INSERT INTO replenishment.event_phase_config (event_id, phase, demand_window_hours, planning_window_hours, safety_buffer_pct, fresh_hours, stale_hours, effective_from)
           VALUES ($1, 'SURGE', 12, 72, 0.5, 2, 6, $2)`,
          [w.event, from],
        );
      await insert(at(10));
      await expectSqlError(tx, () => insert(at(5)), '23514', 'event_phase_config_in_order');
      const { rows } = await tx.query(
        `SELECT demand_window_hours AS hours, effective_to FROM replenishment.event_phase_config WHERE event_id = $1 AND phase = 'SURGE' ORDER BY effective_from`,
        [w.event],
      );
      expect(rows).toEqual([
        { hours: 6, effective_to: at(10) },
        { hours: 12, effective_to: null },
      ]);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.event_phase_config SET fresh_hours = 1 WHERE event_id = $1`, [w.event]),
        '42501',
      );
    });
  });

  it('tg_transfer__guard_receipt: a received transfer never changes again', async () => {
    await withAdminRollback(async (tx) => {
      // The superuser writes the document directly, so that the guard alone stands in the way.
      const w = await reliefWorld(tx, { warehouses: 3 });
      const t = await one(
        tx,
        `INSERT INTO replenishment.transfer (transfer_no, from_warehouse_id, to_warehouse_id, transit_warehouse_id, status, dispatched_at, dispatched_by)
         VALUES ('G1', $1, $2, $3, 'DISPATCHED', $4, 'x') RETURNING id::text`,
        [w.warehouses[0], w.warehouses[1], w.warehouses[2], at(0)],
      );
      await tx.query(`INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity, received_qty) VALUES ($1, $2, 5, 2)`, [
        t,
        w.products[0],
      ]);
      await expectSqlError(
        tx,
        () =>
          tx.query(`UPDATE replenishment.transfer SET status = 'RECEIVED', received_at = $2, received_by = 'y' WHERE id = $1`, [t, at(1)]),
        '23514',
        'transfer_received_once',
      );
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.transfer SET status = 'DRAFT' WHERE id = $1`, [t]),
        '23514',
        'transfer_received_once',
      );
      await tx.query(`UPDATE replenishment.transfer_item SET received_qty = 5 WHERE transfer_id = $1`, [t]);
      await tx.query(`UPDATE replenishment.transfer SET status = 'RECEIVED', received_at = $2, received_by = 'y' WHERE id = $1`, [
        t,
        at(1),
      ]);
      await expectSqlError(
        tx,
        () => tx.query(`UPDATE replenishment.transfer SET received_at = $2 WHERE id = $1`, [t, at(2)]),
        '23514',
        'transfer_received_once',
      );
    });
  });

  it('tg_supply_claim__check_available: never below the source minimum, never claimed twice', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      await move(tx, 'RECEIPT', w.products[0]!, w.warehouses[1]!, 100, at(-10));
      await tx.query('UPDATE replenishment.item_setting SET min_stock_threshold = 30 WHERE product_id = $1', [w.products[0]]);
      const claim = (list: string, quantity: number) =>
        tx.query(
          `INSERT INTO replenishment.supply_claim (needs_list_id, product_id, source_type, source_warehouse_id, quantity) VALUES ($1, $2, 'TRANSFER', $3, $4)`,
          [list, w.products[0], w.warehouses[1], quantity],
        );
      const first = await insertList(tx, w);
      await expectSqlError(tx, () => claim(first, 71), '23514', 'supply_claim_within_available');
      await claim(first, 50);
      const second = await insertList(tx, w, { warehouse_id: w.warehouses[1], needs_list_no: 'NL-SECOND' });
      await expectSqlError(tx, () => claim(second, 21), '23514', 'supply_claim_within_available');
      await claim(second, 20);
      await expectSqlError(tx, () => tx.query('UPDATE replenishment.supply_claim SET quantity = 1'), '42501');
    });
  });

  it('tg_supply_claim__check_available: the claims of one statement are checked together (each fits alone, not both)', async () => {
    await withRollback(async (tx) => {
      const w = await reliefWorld(tx, { warehouses: 2 });
      await move(tx, 'RECEIPT', w.products[0]!, w.warehouses[1]!, 100, at(-10));
      await tx.query('UPDATE replenishment.item_setting SET min_stock_threshold = 30 WHERE product_id = $1', [w.products[0]]);
      const list = await insertList(tx, w);
      const claims = (quantities: number[]) =>
        tx.query(
          `INSERT INTO replenishment.supply_claim (needs_list_id, product_id, source_type, source_warehouse_id, quantity)
           SELECT $1, $2, 'TRANSFER', $3, q FROM unnest($4::numeric[]) q`,
          [list, w.products[0], w.warehouses[1], quantities],
        );
      await expectSqlError(tx, () => claims([40, 40]), '23514', 'supply_claim_within_available');
      await claims([40, 30]);
      // This list's claims only: other tests on this worker's database may have committed claims of their own.
      const { rows } = await tx.query<{ total: string }>(
        'SELECT sum(quantity)::int::text AS total FROM replenishment.supply_claim WHERE needs_list_id = $1',
        [list],
      );
      expect(rows[0]!.total).toBe('70');
    });
  });
});
