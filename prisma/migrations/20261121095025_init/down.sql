-- Rollback of init. RESTRICT (the default) on purpose: a schema that still holds objects means a
-- later migration has not been rolled back, and dropping it here would destroy its data.
DROP SCHEMA IF EXISTS "audit";
DROP SCHEMA IF EXISTS "benchmark";
DROP SCHEMA IF EXISTS "catalog";
DROP SCHEMA IF EXISTS "finance";
DROP SCHEMA IF EXISTS "fulfillment";
DROP SCHEMA IF EXISTS "inventory";
DROP SCHEMA IF EXISTS "replenishment";
DROP SCHEMA IF EXISTS "traceability";

-- Likewise, an extension still used by a column or an index refuses to go.
DROP EXTENSION IF EXISTS "btree_gist";
DROP EXTENSION IF EXISTS "citext";
DROP EXTENSION IF EXISTS "pg_trgm";
