-- Rollback of init. RESTRICT (the default) on purpose: an extension still used by a column or an
-- index means a later migration has not been rolled back, and it refuses to go.
DROP EXTENSION IF EXISTS "btree_gist";
DROP EXTENSION IF EXISTS "citext";
DROP EXTENSION IF EXISTS "pg_trgm";
