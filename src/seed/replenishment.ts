/**
 * Seed step: a relief event to plan for after `npm run db:setup` (seed 001, issue 12): the event
 * DEMO-FLOOD served by the three demo warehouses, relief settings for the relief products, a
 * transfer of gloves from Cape Town to Durban and a donation of oral rehydration salts for Durban.
 * Then the event in a SURGE, sync clocks, a needs list for Durban with its claims, a procurement,
 * lead times, and the gloves transfer dispatched through the TRANSIT warehouse and partly received.
 * For each demo client, its quantities scaled. Idempotent: every row has a natural key and is
 * inserted only when missing.
 */
import { postMovement } from '../inventory/ledger.ts';
import { computeNeedsList, dispatchTransfer, receiveTransfer } from '../replenishment/needs-list.ts';
import type { SeedStep } from './step.ts';

export const replenishment: SeedStep = {
  name: 'relief event demo data',
  async run(client, demo) {
    const scale = [demo.scale];
    await client.query(`
      INSERT INTO replenishment.event (code, name, event_type, started_at, phase_changed_at)
      VALUES ('DEMO-FLOOD', 'KwaZulu-Natal floods (demo)', 'FLOOD', '2026-11-28 06:00+00', '2026-11-28 06:00+00')
      ON CONFLICT (client_id, code) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.warehouse_setting (warehouse_id, event_id)
      SELECT w.id, e.id FROM catalog.warehouse w, replenishment.event e
       WHERE w.code IN ('JHB', 'CPT', 'DBN') AND e.code = 'DEMO-FLOOD'
      ON CONFLICT (client_id, warehouse_id) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.item_setting (product_id, category)
      SELECT p.id, v.category FROM (VALUES ('DEMO-003', 'HEALTH'), ('DEMO-004', 'HEALTH'), ('DEMO-005', 'WATER')) AS v(sku, category)
        JOIN catalog.product p ON p.sku = v.sku
      ON CONFLICT (client_id, product_id) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.transfer (transfer_no, event_id, from_warehouse_id, to_warehouse_id)
      SELECT 'DEMO-TR-001', e.id, f.id, t.id FROM replenishment.event e, catalog.warehouse f, catalog.warehouse t
       WHERE e.code = 'DEMO-FLOOD' AND f.code = 'CPT' AND t.code = 'DBN'
      ON CONFLICT (client_id, transfer_no) DO NOTHING`);
    await client.query(
      `
      INSERT INTO replenishment.transfer_item (transfer_id, product_id, quantity)
      SELECT t.id, p.id, 40 * $1::numeric FROM replenishment.transfer t, catalog.product p
       WHERE t.transfer_no = 'DEMO-TR-001' AND p.sku = 'DEMO-003'
      ON CONFLICT (client_id, transfer_id, product_id) DO NOTHING`,
      scale,
    );
    await client.query(`
      INSERT INTO replenishment.donation (donation_no, event_id, warehouse_id, donor_name, status, expected_arrival)
      SELECT 'DEMO-DN-001', e.id, w.id, 'Red Cross (demo)', 'CONFIRMED', '2026-12-02 12:00+00'
        FROM replenishment.event e, catalog.warehouse w WHERE e.code = 'DEMO-FLOOD' AND w.code = 'DBN'
      ON CONFLICT (client_id, donation_no) DO NOTHING`);
    await client.query(
      `
      INSERT INTO replenishment.donation_item (donation_id, product_id, quantity)
      SELECT d.id, p.id, 500 * $1::numeric FROM replenishment.donation d, catalog.product p
       WHERE d.donation_no = 'DEMO-DN-001' AND p.sku = 'DEMO-004'
      ON CONFLICT (client_id, donation_id, product_id) DO NOTHING`,
      scale,
    );
    // EP-02: the event in a SURGE, the warehouses' sync clocks, thresholds and baseline rates, a
    // parameter change, a week of issues, a needs list for Durban (with its claims on Cape Town's
    // surplus and the donation pledged without an intake warehouse), a procurement for the rest,
    // lead times by supplier, route and product, and the gloves transfer dispatched through a
    // transit warehouse and partly received.
    await client.query(`
      INSERT INTO catalog.warehouse (code, name) VALUES ('TRANSIT', 'In transit (demo)') ON CONFLICT (client_id, code) DO NOTHING`);
    await client.query(`
      UPDATE replenishment.event SET current_phase = 'SURGE', phase_changed_at = '2026-11-29 06:00+00', phase_changed_by = 'seed'
       WHERE code = 'DEMO-FLOOD' AND current_phase <> 'SURGE'`);
    await client.query(`
      INSERT INTO replenishment.event_phase_config
        (event_id, phase, demand_window_hours, planning_window_hours, safety_buffer_pct, fresh_hours, stale_hours, effective_from, reason)
      SELECT e.id, 'SURGE', 12, 72, 0.50, 2, 6, '2026-11-30 00:00+00', 'demand too jumpy over 6 h (demo)' FROM replenishment.event e
       WHERE e.code = 'DEMO-FLOOD'
         AND NOT EXISTS (SELECT 1 FROM replenishment.event_phase_config c WHERE c.event_id = e.id AND c.effective_from = '2026-11-30 00:00+00')`);
    await client.query(`
      UPDATE replenishment.item_setting SET baseline_burn_rate = v.rate, min_stock_threshold = v.min, criticality_level = v.level
        FROM (VALUES ('DEMO-003', 0.5, 20, 'HIGH'), ('DEMO-004', 2.0, 50, 'CRITICAL'), ('DEMO-005', 0.2, 5, 'NORMAL')) AS v(sku, rate, min, level)
        JOIN catalog.product p ON p.sku = v.sku
       WHERE item_setting.product_id = p.id AND item_setting.baseline_burn_rate IS NULL`);
    await client.query(`UPDATE replenishment.warehouse_setting SET min_stock_threshold = 10 WHERE min_stock_threshold IS NULL`);
    await client.query(`
      INSERT INTO replenishment.warehouse_sync_log (warehouse_id, as_of, synced_at, record_count)
      SELECT w.id, v.as_of::timestamptz, v.synced::timestamptz, 6
        FROM (VALUES ('JHB', '2026-12-01 05:00+00', '2026-12-01 05:10+00'), ('CPT', '2026-12-01 04:30+00', '2026-12-01 05:30+00'),
                     ('DBN', '2026-11-30 20:00+00', '2026-11-30 23:00+00')) AS v(code, as_of, synced)
        JOIN catalog.warehouse w ON w.code = v.code
       WHERE NOT EXISTS (SELECT 1 FROM replenishment.warehouse_sync_log l WHERE l.warehouse_id = w.id AND l.synced_at = v.synced::timestamptz)`);
    await client.query(`
      INSERT INTO replenishment.lead_time_config (source_type, supplier_id, from_warehouse_id, to_warehouse_id, product_id, lead_time_hours)
      SELECT v.source_type, s.id, f.id, t.id, p.id, v.hours
        FROM (VALUES ('PROCUREMENT', 'DEMO-SUP', NULL, NULL, NULL, 120), ('TRANSFER', NULL, 'CPT', 'DBN', NULL, 20),
                     ('PROCUREMENT', 'DEMO-SUP', NULL, NULL, 'DEMO-004', 48)) AS v(source_type, supplier, from_code, to_code, sku, hours)
        LEFT JOIN catalog.supplier s ON s.code = v.supplier
        LEFT JOIN catalog.warehouse f ON f.code = v.from_code
        LEFT JOIN catalog.warehouse t ON t.code = v.to_code
        LEFT JOIN catalog.product p ON p.sku = v.sku
       WHERE NOT EXISTS (SELECT 1 FROM replenishment.lead_time_config l WHERE NOT l.is_default AND l.lead_time_hours = v.hours)`);
    await client.query(`
      INSERT INTO replenishment.donation (donation_no, event_id, donor_name, status)
      SELECT 'DEMO-DN-002', e.id, 'Rotary (demo)', 'CONFIRMED' FROM replenishment.event e WHERE e.code = 'DEMO-FLOOD'
      ON CONFLICT (client_id, donation_no) DO NOTHING`);
    await client.query(
      `
      INSERT INTO replenishment.donation_item (donation_id, product_id, quantity)
      SELECT d.id, p.id, 60 * $1::numeric FROM replenishment.donation d, catalog.product p WHERE d.donation_no = 'DEMO-DN-002' AND p.sku = 'DEMO-004'
      ON CONFLICT (client_id, donation_id, product_id) DO NOTHING`,
      scale,
    );
    const products = new Map(
      (await client.query<{ sku: string; id: string }>(`SELECT sku, id::text FROM catalog.product`)).rows.map((row) => [row.sku, row.id]),
    );
    const warehouses = new Map(
      (await client.query<{ code: string; id: string }>(`SELECT code, id::text FROM catalog.warehouse`)).rows.map((row) => [
        row.code,
        row.id,
      ]),
    );
    // Cape Town holds oral rehydration salts to spare; Durban hands them out and runs out.
    const relief: [string, string, string, 'RECEIPT' | 'ISSUE', number, string][] = [
      ['seed-relief-1', 'DEMO-004', 'CPT', 'RECEIPT', 100, '2026-11-29 08:00+00'],
      ['seed-relief-2', 'DEMO-004', 'DBN', 'ISSUE', 40, '2026-12-01 00:00+00'],
      ['seed-relief-3', 'DEMO-004', 'DBN', 'ISSUE', 30, '2026-12-01 04:00+00'],
    ];
    for (const [key, sku, code, type, quantity, occurredAt] of relief) {
      await postMovement(client, {
        type,
        productId: products.get(sku)!,
        warehouseId: warehouses.get(code)!,
        quantity: String((type === 'RECEIPT' ? 1 : -1) * quantity * demo.scale),
        unitCost: type === 'RECEIPT' ? '42.00' : undefined,
        occurredAt: new Date(occurredAt),
        idempotencyKey: key,
      });
    }
    const { rows: lists } = await client.query(`SELECT 1 FROM replenishment.needs_list WHERE needs_list_no LIKE 'NL-DEMO-FLOOD-DBN-%'`);
    if (lists.length === 0) {
      const event = (await client.query<{ id: string }>(`SELECT id::text FROM replenishment.event WHERE code = 'DEMO-FLOOD'`)).rows[0]!.id;
      // Computed twice: the second supersedes the first DRAFT.
      for (const when of ['2026-12-01 05:30Z', '2026-12-01 06:00Z']) {
        await computeNeedsList(client, { eventId: event, warehouseId: warehouses.get('DBN')!, at: new Date(when), actor: 'seed' });
      }
    }
    await client.query(`
      INSERT INTO replenishment.procurement (procurement_no, event_id, needs_list_id, supplier_id, warehouse_id, status_code, ordered_at)
      SELECT 'DEMO-PO-001', n.event_id, n.id, s.id, n.warehouse_id, 'ORDERED', '2026-12-01 07:00+00'
        FROM replenishment.needs_list n, catalog.supplier s WHERE n.needs_list_no LIKE 'NL-DEMO-FLOOD-DBN-%' AND n.status_code = 'DRAFT' AND s.code = 'DEMO-SUP'
      ON CONFLICT (client_id, procurement_no) DO NOTHING`);
    await client.query(`
      INSERT INTO replenishment.procurement_item (procurement_id, product_id, ordered_qty, unit_cost)
      SELECT p.id, i.product_id, i.procurement_qty, 42.00 FROM replenishment.procurement p
        JOIN replenishment.needs_list_item i ON i.needs_list_id = p.needs_list_id AND i.procurement_qty > 0
       WHERE p.procurement_no = 'DEMO-PO-001'
      ON CONFLICT (client_id, procurement_id, product_id) DO NOTHING`);
    const transfer = (
      await client.query<{ id: string; status: string }>(
        `SELECT id::text, status FROM replenishment.transfer WHERE transfer_no = 'DEMO-TR-001'`,
      )
    ).rows[0]!;
    if (transfer.status === 'DRAFT') {
      await client.query(
        `UPDATE replenishment.transfer SET needs_list_id = (SELECT id FROM replenishment.needs_list WHERE needs_list_no LIKE 'NL-DEMO-FLOOD-DBN-%' AND status_code = 'DRAFT') WHERE id = $1`,
        [transfer.id],
      );
      await dispatchTransfer(client, {
        transferId: transfer.id,
        transitWarehouseId: warehouses.get('TRANSIT')!,
        dispatchedBy: 'seed',
        dispatchedAt: new Date('2026-12-01 08:00Z'),
      });
      await receiveTransfer(client, {
        transferId: transfer.id,
        lines: [{ productId: products.get('DEMO-003')!, quantity: String(15 * demo.scale) }],
        receivedBy: 'seed',
        receiptKey: 'seed-receipt-1',
      });
    }
  },
};
