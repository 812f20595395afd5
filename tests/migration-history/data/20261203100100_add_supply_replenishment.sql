-- EP-02 data of the client DEFAULT on the history baseline: the event in a SURGE, a sync, a needs
-- list submitted (audited by trigger), a procurement, and a lead time for the route. Idempotent:
-- the history test loads it again after each rollback and re-apply.
UPDATE replenishment.event SET current_phase = 'SURGE', phase_changed_at = now(), phase_changed_by = 'dmis'
 WHERE code = 'HR-MELISSA' AND current_phase = 'BASELINE';
INSERT INTO replenishment.warehouse_sync_log (client_id, warehouse_id, as_of, synced_at)
SELECT w.client_id, w.id, '2025-10-29 10:00+00', '2025-10-29 10:05+00' FROM catalog.warehouse w
 WHERE w.code = 'HR-MBJ' AND NOT EXISTS (SELECT 1 FROM replenishment.warehouse_sync_log l WHERE l.warehouse_id = w.id);
INSERT INTO replenishment.needs_list (client_id, needs_list_no, event_id, warehouse_id, event_phase, calculation_dtime, demand_window_hours,
                                      planning_window_hours, safety_factor, data_freshness_level, create_by_id, update_by_id)
SELECT e.client_id, 'HR-NL-1', e.id, w.id, 'SURGE', '2025-10-29 11:00+00', 6, 72, 1.5, 'HIGH', 'dmis', 'dmis'
  FROM replenishment.event e JOIN catalog.warehouse w ON w.client_id = e.client_id AND w.code = 'HR-MBJ'
 WHERE e.code = 'HR-MELISSA'
ON CONFLICT (client_id, needs_list_no) DO NOTHING;
INSERT INTO replenishment.needs_list_item (client_id, needs_list_id, product_id, burn_rate, burn_rate_method, available_qty, inbound_qty,
                                           required_qty, gap_qty, hours_to_stockout, procurement_qty)
SELECT n.client_id, n.id, p.id, 10, 'OBSERVED', 100, 0, 1080, 980, 10, 980
  FROM replenishment.needs_list n JOIN catalog.product p ON p.client_id = n.client_id AND p.sku = 'HR-WATER'
 WHERE n.needs_list_no = 'HR-NL-1'
ON CONFLICT (client_id, needs_list_id, product_id) DO NOTHING;
UPDATE replenishment.needs_list SET status_code = 'SUBMITTED', update_by_id = 'planner' WHERE needs_list_no = 'HR-NL-1' AND status_code = 'DRAFT';
INSERT INTO replenishment.procurement (client_id, procurement_no, event_id, needs_list_id, supplier_id, warehouse_id, status_code, ordered_at)
SELECT n.client_id, 'HR-PO-1', n.event_id, n.id, s.id, n.warehouse_id, 'ORDERED', '2025-10-29 12:00+00'
  FROM replenishment.needs_list n,
       LATERAL (SELECT id FROM catalog.supplier WHERE client_id = n.client_id ORDER BY id LIMIT 1) s
 WHERE n.needs_list_no = 'HR-NL-1'
ON CONFLICT (client_id, procurement_no) DO NOTHING;
INSERT INTO replenishment.lead_time_config (client_id, source_type, from_warehouse_id, to_warehouse_id, lead_time_hours)
SELECT f.client_id, 'TRANSFER', f.id, t.id, 5 FROM catalog.warehouse f JOIN catalog.warehouse t ON t.client_id = f.client_id AND t.code = 'HR-MBJ'
 WHERE f.code = 'HR-KGN' AND NOT EXISTS (SELECT 1 FROM replenishment.lead_time_config l WHERE l.from_warehouse_id = f.id AND l.to_warehouse_id = t.id);
