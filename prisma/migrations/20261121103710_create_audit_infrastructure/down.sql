-- Rollback of create_audit_infrastructure. The audit trail is kept in a backup table first. The
-- functions go with RESTRICT (the default): a table that still uses one means a later migration
-- has not been rolled back, and the rollback refuses rather than strip its triggers.
SELECT backup.preserve('audit_audit_log_20261121103710', 'SELECT * FROM audit.audit_log');

DROP TABLE audit.audit_log;
DROP FUNCTION audit.tg_audit_log__forbid_change();
DROP FUNCTION audit.tg__record_change();
DROP FUNCTION audit.tg__set_updated_at();
DROP SCHEMA "audit";
