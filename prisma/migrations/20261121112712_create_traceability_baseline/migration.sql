/*
 * create_traceability_baseline: the production tables as a small bakery kept them before
 * BakerMaiden's "Phase 1: Lot Traceability Enhancement" (seed 003): recipes with a name and an
 * author, production runs with the quantity that came out and when, pallets of a run's output
 * with a free-text location. No ingredients, no lots, no batch numbers: nothing to trace by.
 *
 * enhance_lot_traceability builds the traceability model on these tables and migrates their rows.
 *
 * The first migration of the traceability domain: it creates its schema.
 *
 * Expected runtime: instant (new schema and tables). Rollback: down.sql. Checks: validate.sql.
 */

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "traceability";
-- CreateTable
CREATE TABLE "traceability"."recipe" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "recipe_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "traceability"."production_run" (
    "id" BIGSERIAL NOT NULL,
    "recipe_id" BIGINT NOT NULL,
    "actual_quantity" DECIMAL(18,4),
    "actual_start_time" TIMESTAMPTZ(6),
    "actual_end_time" TIMESTAMPTZ(6),
    "notes" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "production_run_pkey" PRIMARY KEY ("id")
);
-- CreateTable
CREATE TABLE "traceability"."pallet" (
    "id" BIGSERIAL NOT NULL,
    "production_run_id" BIGINT NOT NULL,
    "quantity" DECIMAL(18,4),
    "location" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "pallet_pkey" PRIMARY KEY ("id")
);
-- CreateIndex
CREATE INDEX "production_run_recipe_id_idx" ON "traceability"."production_run"("recipe_id");
-- CreateIndex
CREATE INDEX "pallet_production_run_id_idx" ON "traceability"."pallet"("production_run_id");
-- AddForeignKey
ALTER TABLE "traceability"."production_run" ADD CONSTRAINT "production_run_recipe_id_fkey" FOREIGN KEY ("recipe_id") REFERENCES "traceability"."recipe"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- AddForeignKey
ALTER TABLE "traceability"."pallet" ADD CONSTRAINT "pallet_production_run_id_fkey" FOREIGN KEY ("production_run_id") REFERENCES "traceability"."production_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- [CUSTOM_CHANGE_START] schema comment
-- Prisma has no comments.
COMMENT ON SCHEMA "traceability" IS 'Food-production lots: ingredients, supplier lots, recipes, production runs, batches, pallets, trace and recall.';
-- [CUSTOM_CHANGE_END]
