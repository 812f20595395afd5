-- Checks of drop_shipment_item_shipment_id_index: shipment_item_shipment_id_idx is gone, and a valid index on (client_id, shipment_id) serves what it served.
DO $$
BEGIN
  IF to_regclass('fulfillment.shipment_item_shipment_id_idx') IS NOT NULL THEN
    RAISE EXCEPTION 'drop_shipment_item_shipment_id_index: fulfillment.shipment_item_shipment_id_idx still exists';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = to_regclass('fulfillment.shipment_item_client_id_shipment_id_idx') AND i.indisvalid) THEN
    RAISE EXCEPTION 'drop_shipment_item_shipment_id_index: no valid fulfillment.shipment_item_client_id_shipment_id_idx';
  END IF;
END
$$;
