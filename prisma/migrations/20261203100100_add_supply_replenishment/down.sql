-- Rollback of add_supply_replenishment: the guide's selective rollback (option 2), which removes
-- only the EP-02 changes, in its order (tables, views, triggers, functions, columns), with every
-- row of a dropped table and every dropped column kept first in backup.* (the guide's DROP ...
-- CASCADE loses them). The guide's supplier table was never created (suppliers are
-- catalog.supplier); the objects this port adds beside the guide's go with them.
SELECT backup.preserve('replenishment_needs_list_audit_20261203100100', 'SELECT * FROM replenishment.needs_list_audit');
SELECT backup.preserve('replenishment_needs_list_item_20261203100100', 'SELECT * FROM replenishment.needs_list_item');
SELECT backup.preserve('replenishment_supply_claim_20261203100100', 'SELECT * FROM replenishment.supply_claim');
SELECT backup.preserve('replenishment_needs_list_20261203100100', 'SELECT * FROM replenishment.needs_list');
SELECT backup.preserve('replenishment_procurement_item_20261203100100', 'SELECT * FROM replenishment.procurement_item');
SELECT backup.preserve('replenishment_procurement_20261203100100', 'SELECT * FROM replenishment.procurement');
SELECT backup.preserve('replenishment_lead_time_config_20261203100100', 'SELECT * FROM replenishment.lead_time_config');
SELECT backup.preserve('replenishment_event_phase_config_20261203100100', 'SELECT * FROM replenishment.event_phase_config');
SELECT backup.preserve('replenishment_event_phase_history_20261203100100', 'SELECT * FROM replenishment.event_phase_history');
SELECT backup.preserve('replenishment_burn_rate_snapshot_20261203100100', 'SELECT * FROM replenishment.burn_rate_snapshot');
SELECT backup.preserve('replenishment_warehouse_sync_log_20261203100100', 'SELECT * FROM replenishment.warehouse_sync_log');
SELECT backup.preserve('replenishment_event_ep02_20261203100100',
  'SELECT client_id, id, current_phase, phase_changed_at, phase_changed_by FROM replenishment.event');
SELECT backup.preserve('replenishment_warehouse_setting_ep02_20261203100100',
  'SELECT client_id, id, min_stock_threshold, last_synced_at, last_observed_at, sync_status FROM replenishment.warehouse_setting');
SELECT backup.preserve('replenishment_item_setting_ep02_20261203100100',
  'SELECT client_id, id, baseline_burn_rate, min_stock_threshold, criticality_level FROM replenishment.item_setting');
SELECT backup.preserve('replenishment_transfer_ep02_20261203100100',
  'SELECT client_id, id, dispatched_at, dispatched_by, expected_arrival, received_at, received_by, needs_list_id, transit_warehouse_id FROM replenishment.transfer WHERE dispatched_at IS NOT NULL OR needs_list_id IS NOT NULL OR expected_arrival IS NOT NULL');
SELECT backup.preserve('replenishment_transfer_item_ep02_20261203100100',
  'SELECT client_id, id, received_qty FROM replenishment.transfer_item WHERE received_qty <> 0');

-- Drop new tables (the views and the function that read them first: no CASCADE).
DROP VIEW replenishment.v_inbound_stock;
DROP VIEW replenishment.v_stock_status;
DROP FUNCTION replenishment.compute_needs_list(bigint, bigint, timestamptz, text);
-- Its return type is event_phase_config's row type.
DROP FUNCTION replenishment.warehouse_freshness(bigint, timestamptz);
DROP FUNCTION replenishment.phase_config(bigint, text, timestamptz);
ALTER TABLE replenishment.transfer DROP CONSTRAINT transfer_needs_list_id_fkey;
DROP TABLE replenishment.needs_list_audit;
DROP TABLE replenishment.needs_list_item;
DROP TABLE replenishment.supply_claim;
DROP TABLE replenishment.burn_rate_snapshot;
DROP TABLE replenishment.procurement_item;
DROP TABLE replenishment.procurement;
DROP TABLE replenishment.needs_list;
DROP TABLE replenishment.lead_time_config;
DROP TABLE replenishment.event_phase_config;
DROP TABLE replenishment.event_phase_history;
DROP TABLE replenishment.warehouse_sync_log;

-- Drop triggers.
DROP TRIGGER trg_warehouse_sync_status ON replenishment.warehouse_setting;
DROP TRIGGER trg_event_phase_change ON replenishment.event;
DROP TRIGGER _100_stamp_phase_change ON replenishment.event;
DROP TRIGGER _500_add_phase_configs ON replenishment.event;
DROP TRIGGER _100_guard_receipt ON replenishment.transfer;
DROP TRIGGER _500_add_default_lead_times ON core.client;

-- Drop functions.
DROP FUNCTION replenishment.update_warehouse_sync_status();
DROP FUNCTION replenishment.log_event_phase_change();
DROP FUNCTION replenishment.tg_event__stamp_phase_change();
DROP FUNCTION replenishment.tg_event__add_phase_configs();
DROP FUNCTION replenishment.tg_event_phase_config__close_previous();
DROP FUNCTION replenishment.tg_event_phase_history__refuse_rewrite();
DROP FUNCTION replenishment.tg_warehouse_sync_log__advance_clocks();
DROP FUNCTION replenishment.tg_needs_list__enforce_lifecycle();
DROP FUNCTION replenishment.tg_needs_list__write_audit();
DROP FUNCTION replenishment.tg_needs_list_audit__refuse_change();
DROP FUNCTION replenishment.tg_supply_claim__check_available();
DROP FUNCTION replenishment.claimable(text, bigint, bigint, bigint);
DROP FUNCTION replenishment.tg_transfer__guard_receipt();
DROP FUNCTION replenishment.tg_procurement__set_expected_arrival();
DROP FUNCTION replenishment.tg_client__add_default_lead_times();
DROP FUNCTION replenishment.lead_time_hours(text, bigint, bigint, bigint, bigint);
DROP FUNCTION replenishment.sync_status_of(text);
DROP FUNCTION replenishment.grade_freshness(timestamptz, timestamptz, integer, integer, timestamptz);

-- Remove new columns from existing tables (their constraints go with them).
ALTER TABLE replenishment.event
  DROP COLUMN current_phase,
  DROP COLUMN phase_changed_at,
  DROP COLUMN phase_changed_by;
ALTER TABLE replenishment.warehouse_setting
  DROP COLUMN min_stock_threshold,
  DROP COLUMN last_synced_at,
  DROP COLUMN last_observed_at,
  DROP COLUMN sync_status;
ALTER TABLE replenishment.item_setting
  DROP COLUMN baseline_burn_rate,
  DROP COLUMN min_stock_threshold,
  DROP COLUMN criticality_level;
ALTER TABLE replenishment.transfer
  DROP COLUMN dispatched_at,
  DROP COLUMN dispatched_by,
  DROP COLUMN expected_arrival,
  DROP COLUMN received_at,
  DROP COLUMN received_by,
  DROP COLUMN needs_list_id,
  DROP COLUMN transit_warehouse_id;
ALTER TABLE replenishment.transfer_item DROP COLUMN received_qty;
