/*
 * init: the foundation every domain migration builds on.
 *
 * 1. The extensions later migrations rely on: pg_trgm (trigram GIN indexes for case-insensitive
 *    product search), btree_gist (exclusion constraints mixing equality and ranges, e.g.
 *    non-overlapping budget periods) and citext (case-insensitive unique names, e.g. brands).
 * 2. One PostgreSQL schema per domain (see docs/CONVENTIONS.md for the map), listed in
 *    base.prisma's `schemas` so that later models can live in them.
 *
 * Everything here is hand-written: Prisma generates nothing for empty schemas.
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

-- [CUSTOM_CHANGE_START] domain schemas
-- Prisma creates a schema only once a model lives in it. Creating every domain schema here lets
-- the first migration of each domain, and hand-written SQL that refers across domains, rely on
-- them, and gives each schema a comment that says what belongs in it.
CREATE SCHEMA IF NOT EXISTS "audit";
COMMENT ON SCHEMA "audit" IS 'Row-change history written by generic triggers (who changed what, old and new row as JSON).';

CREATE SCHEMA IF NOT EXISTS "benchmark";
COMMENT ON SCHEMA "benchmark" IS 'Privacy-preserving benchmarks across clients: aggregates only, never a client''s own rows.';

CREATE SCHEMA IF NOT EXISTS "catalog";
COMMENT ON SCHEMA "catalog" IS 'Master data: brands, products, suppliers and their contacts, payment terms, warehouses.';

CREATE SCHEMA IF NOT EXISTS "finance";
COMMENT ON SCHEMA "finance" IS 'Budgets, cost tracking per period, and the inputs and results of EOQ.';

CREATE SCHEMA IF NOT EXISTS "fulfillment";
COMMENT ON SCHEMA "fulfillment" IS 'Order requests, shipments, shipped items and carrier tracking events.';

CREATE SCHEMA IF NOT EXISTS "inventory";
COMMENT ON SCHEMA "inventory" IS 'Stock levels, the append-only stock movement ledger (weighted-average cost), stock counts, valuation views.';

CREATE SCHEMA IF NOT EXISTS "replenishment";
COMMENT ON SCHEMA "replenishment" IS 'Lead times, stockout projection, relief events, needs lists and procurement.';

CREATE SCHEMA IF NOT EXISTS "traceability";
COMMENT ON SCHEMA "traceability" IS 'Food-production lots: ingredients, supplier lots, recipes, production runs, batches, pallets, trace and recall.';
-- [CUSTOM_CHANGE_END]
