/*
 * add_location_descriptions: what FSMA 204 calls a location description (business name, phone
 * and physical address, or a GS1 GLN; docs/design/traceability.md) for the places lot
 * traceability records: warehouses (where lots are received, transformed and shipped from) gain
 * a phone and a GLN, suppliers (the immediate previous source of a receipt) an address and a GLN.
 * catalog.is_valid_gs1_key() checks GLNs here and SSCCs in enhance_lot_traceability.
 *
 * The unique indexes are built inside the migration, not CONCURRENTLY in migrations of their
 * own: the columns are new (all NULL) and warehouses and suppliers number thousands at most, so
 * the SHARE lock lasts milliseconds.
 * Locks: ACCESS EXCLUSIVE on catalog.supplier and catalog.warehouse (new nullable columns, no
 * rewrite), SHARE while the indexes build. Expected runtime: instant. Rollback: down.sql.
 * Checks: validate.sql.
 */

-- AlterTable
ALTER TABLE "catalog"."supplier" ADD COLUMN     "address" TEXT,
ADD COLUMN     "gln" TEXT;
-- AlterTable
ALTER TABLE "catalog"."warehouse" ADD COLUMN     "gln" TEXT,
ADD COLUMN     "phone" TEXT;
-- CreateIndex
-- squawk-ignore require-concurrent-index-creation -- safe here: gln is new in this migration (all NULL) and suppliers and warehouses number thousands at most, so the SHARE lock lasts milliseconds (header)
CREATE UNIQUE INDEX "supplier_gln_key" ON "catalog"."supplier"("gln");
-- CreateIndex
-- squawk-ignore require-concurrent-index-creation -- safe here: gln is new in this migration (all NULL) and suppliers and warehouses number thousands at most, so the SHARE lock lasts milliseconds (header)
CREATE UNIQUE INDEX "warehouse_gln_key" ON "catalog"."warehouse"("gln");

-- [CUSTOM_CHANGE_START] GS1 check digits
-- Prisma has no CHECK constraints or functions.
CREATE OR REPLACE FUNCTION catalog.is_valid_gs1_key(code text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN code ~ '^[0-9]{2,}$' AND (
  SELECT (10 - sum(substr(code, length(code) - position, 1)::int * CASE WHEN position % 2 = 1 THEN 3 ELSE 1 END) % 10) % 10
    FROM generate_series(1, length(code) - 1) AS position
) = right(code, 1)::int;
COMMENT ON FUNCTION catalog.is_valid_gs1_key(text) IS
  'True when the last digit of a GS1 key (GLN, GTIN, SSCC) is the mod-10 check digit of the others: weights 3 and 1 alternating from the rightmost data digit.';

-- squawk-ignore constraint-missing-not-valid -- safe here: gln is new in this migration (all NULL, no row can fail) and the table is ACCESS EXCLUSIVE from that ADD COLUMN until the commit
ALTER TABLE "catalog"."warehouse" ADD CONSTRAINT "warehouse_gln_check" CHECK (gln ~ '^[0-9]{13}$' AND catalog.is_valid_gs1_key(gln));
-- squawk-ignore constraint-missing-not-valid -- safe here: gln is new in this migration (all NULL, no row can fail) and the table is ACCESS EXCLUSIVE from that ADD COLUMN until the commit
ALTER TABLE "catalog"."supplier" ADD CONSTRAINT "supplier_gln_check" CHECK (gln ~ '^[0-9]{13}$' AND catalog.is_valid_gs1_key(gln));
-- [CUSTOM_CHANGE_END]
