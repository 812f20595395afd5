/*
 * create_audit_infrastructure: the `audit` schema and the generic trigger functions every domain
 * attaches to its tables, ahead of their first users.
 *
 * - audit.tg__set_updated_at(): BEFORE UPDATE, keeps updated_at right for raw SQL writers as well
 *   as Prisma (seed 000's "brand timestamp" trigger, made generic). First attached by add_brand.
 * - audit.audit_log and audit.tg__record_change(): AFTER INSERT, UPDATE or DELETE, one row per
 *   change with the old and new row as JSON, the actor (SET LOCAL supply_ledger.actor = '...',
 *   else the database user), the transaction and the time (seeds 002 and 003). The log is
 *   append-only: UPDATE, DELETE and TRUNCATE are refused, and an action is INSERT, UPDATE or
 *   DELETE. First attached by enhance_lot_traceability.
 *
 * Later migrations only attach these functions (`_500_set_updated_at`, `_900_record_change`).
 *
 * Locks: none on existing tables (new schema, table and functions). Expected runtime: instant.
 * Rollback: down.sql (keeps the audit trail in a backup table; refuses while a table still uses
 * the functions). Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "audit";
-- CreateTable
CREATE TABLE "audit"."audit_log" (
    "id" BIGSERIAL NOT NULL,
    "table_schema" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "row_id" BIGINT,
    "action" TEXT NOT NULL,
    "old_row" JSONB,
    "new_row" JSONB,
    "actor" TEXT NOT NULL,
    "transaction_id" BIGINT NOT NULL DEFAULT txid_current(),
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "audit_log_table_schema_table_name_row_id_idx" ON "audit"."audit_log"("table_schema", "table_name", "row_id");
-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit"."audit_log"("at");

-- [CUSTOM_CHANGE_START] generic trigger functions and the append-only guard
-- Prisma has no CHECK constraints, triggers, functions or schema comments.
COMMENT ON SCHEMA "audit" IS 'Row-change history written by generic triggers (who changed what, old and new row as JSON), and the generic trigger functions every domain attaches.';

ALTER TABLE "audit"."audit_log" ADD CONSTRAINT "audit_log_action_check" CHECK (action IN ('INSERT', 'UPDATE', 'DELETE'));

CREATE OR REPLACE FUNCTION audit.tg__set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION audit.tg__set_updated_at() IS
  'BEFORE UPDATE trigger function for any table with an updated_at column: sets it to the time of the transaction.';

CREATE OR REPLACE FUNCTION audit.tg__record_change()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
  new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
BEGIN
  INSERT INTO audit.audit_log (table_schema, table_name, row_id, action, old_row, new_row, actor)
  VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, (coalesce(new_row, old_row) ->> 'id')::bigint, TG_OP, old_row, new_row,
          coalesce(nullif(current_setting('supply_ledger.actor', true), ''), current_user));
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.tg__record_change() IS
  'AFTER INSERT, UPDATE or DELETE trigger for any table: writes the old and new row as JSON to audit.audit_log with the actor (setting supply_ledger.actor, else the database user) and the time.';

CREATE OR REPLACE FUNCTION audit.tg_audit_log__forbid_change()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  RAISE EXCEPTION 'audit.audit_log is append-only: % is refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;
COMMENT ON FUNCTION audit.tg_audit_log__forbid_change() IS
  'BEFORE UPDATE, DELETE and TRUNCATE on audit.audit_log: refuses them, the audit trail is append-only.';
CREATE TRIGGER _100_forbid_change BEFORE UPDATE OR DELETE ON "audit"."audit_log" FOR EACH ROW EXECUTE FUNCTION audit.tg_audit_log__forbid_change();
CREATE TRIGGER _100_forbid_truncate BEFORE TRUNCATE ON "audit"."audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_audit_log__forbid_change();

COMMENT ON TABLE "audit"."audit_log" IS 'Row-change history of every audited table (traceability, and the domains after it), written by audit.tg__record_change(). Append-only.';
-- [CUSTOM_CHANGE_END]
