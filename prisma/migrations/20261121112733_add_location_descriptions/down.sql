-- Rollback of add_location_descriptions: keep the new details, then drop them.
SELECT backup.preserve('catalog_location_details_20261121112733', $$
  SELECT 'warehouse' AS kind, id, code, NULL AS address, phone, gln FROM catalog.warehouse WHERE num_nonnulls(phone, gln) > 0
  UNION ALL
  SELECT 'supplier', id, code, address, NULL, gln FROM catalog.supplier WHERE num_nonnulls(address, gln) > 0
$$);

ALTER TABLE catalog.warehouse DROP CONSTRAINT warehouse_gln_check;
ALTER TABLE catalog.supplier DROP CONSTRAINT supplier_gln_check;
DROP FUNCTION catalog.is_valid_gs1_key(text);
ALTER TABLE catalog.warehouse DROP COLUMN gln, DROP COLUMN phone;
ALTER TABLE catalog.supplier DROP COLUMN gln, DROP COLUMN address;
