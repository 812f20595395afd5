-- Rollback of add_backup_schema. The schema goes only when no rollback has kept data in it
-- (DROP SCHEMA refuses while backup tables exist: restore or drop them first).
DROP FUNCTION IF EXISTS backup.preserve(text, text);
DROP SCHEMA IF EXISTS "backup";
