/*
 * init: the extensions every domain migration may rely on.
 *
 * pg_trgm (trigram GIN indexes for case-insensitive product search), btree_gist (exclusion
 * constraints mixing equality and ranges, e.g. non-overlapping budget periods) and citext
 * (case-insensitive unique names, e.g. brands).
 *
 * No schemas: each domain's schema is created by that domain's first migration
 * (create_audit_infrastructure, create_catalog_inventory_baseline, create_traceability_baseline),
 * so that the database holds only what is built and every schema is dropped by the rollback of
 * the migration that made it. add_backup_schema makes the schema rollbacks keep data in.
 *
 * Everything here is hand-written: Prisma generates nothing for extensions it is not told about.
 *
 * Expected runtime: well under a second on any database (catalog changes only, no data).
 * Rollback: down.sql. Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] extensions
-- Created here rather than declared in base.prisma (`extensions = [...]`, preview feature
-- postgresqlExtensions): Prisma's WebAssembly schema engine, which this project's CI uses for its
-- drift check, does not see extensions when it replays migrations and reports them as missing
-- forever. Undeclared, they are invisible to Prisma, which then neither creates nor drops them.
CREATE EXTENSION IF NOT EXISTS "btree_gist";
CREATE EXTENSION IF NOT EXISTS "citext";
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
-- [CUSTOM_CHANGE_END]
