-- Checks of add_inventory_views: the views refresh CONCURRENTLY and then agree with the stock levels.
DO $$
DECLARE
  view_total numeric;
  level_total numeric;
  missing bigint;
BEGIN
  IF to_regprocedure('inventory.refresh_all_inventory_views()') IS NULL THEN
    RAISE EXCEPTION 'add_inventory_views: inventory.refresh_all_inventory_views() is missing';
  END IF;
  PERFORM inventory.refresh_all_inventory_views();

  SELECT coalesce(sum(total_value), 0) INTO view_total FROM inventory.mv_inventory_valuation;
  SELECT coalesce(sum(total_value), 0) INTO level_total FROM inventory.stock_level;
  IF view_total IS DISTINCT FROM level_total THEN
    RAISE EXCEPTION 'add_inventory_views: valuation by warehouse totals %, the stock levels %', view_total, level_total;
  END IF;

  SELECT coalesce(sum(total_value), 0) INTO view_total FROM inventory.mv_product_stock_summary;
  IF view_total IS DISTINCT FROM level_total THEN
    RAISE EXCEPTION 'add_inventory_views: the product summary totals %, the stock levels %', view_total, level_total;
  END IF;

  SELECT count(*) INTO missing
    FROM inventory.stock_level l JOIN catalog.product p ON p.id = l.product_id JOIN catalog.warehouse w ON w.id = l.warehouse_id
   WHERE p.is_active AND w.is_active AND l.qty_on_hand - l.qty_reserved <= 0
     AND NOT EXISTS (SELECT 1 FROM inventory.mv_low_stock_alerts a
                      WHERE a.product_id = l.product_id AND a.warehouse_id = l.warehouse_id AND a.status = 'OUT_OF_STOCK');
  IF missing > 0 THEN
    RAISE EXCEPTION 'add_inventory_views: % level(s) with nothing available are not alerted as OUT_OF_STOCK', missing;
  END IF;
END
$$;
