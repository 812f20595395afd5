-- Rollback of set_client_id_defaults: client_id defaults to 1 again, the DEFAULT client, as
-- add_client_id left it (for an application version that writes no client_id). No data changes.
ALTER TABLE catalog.brand ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE catalog.payment_term ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE catalog.warehouse ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE catalog.product ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE catalog.supplier ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE catalog.supplier_contact ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE inventory.stock_level ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE inventory.goods_receipt ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE inventory.stock_movement ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE inventory.stock_count ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE inventory.stock_count_line ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.ingredient ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.ingredient_lot ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.recipe ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.recipe_ingredient ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.production_run ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.batch ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.batch_ingredient ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.pallet ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE traceability.pallet_content ALTER COLUMN client_id SET DEFAULT 1;
ALTER TABLE audit.audit_log ALTER COLUMN client_id SET DEFAULT 1;
