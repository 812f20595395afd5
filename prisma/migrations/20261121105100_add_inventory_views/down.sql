-- Rollback of add_inventory_views: the views hold only derived data, nothing to keep.
DROP FUNCTION IF EXISTS inventory.refresh_all_inventory_views();
DROP MATERIALIZED VIEW IF EXISTS inventory.mv_low_stock_alerts;
DROP MATERIALIZED VIEW IF EXISTS inventory.mv_product_stock_summary;
DROP MATERIALIZED VIEW IF EXISTS inventory.mv_inventory_valuation;
