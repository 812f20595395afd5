/*
 * record_burn_rate_snapshots (issue 12, docs/design/replenishment.md "Burn rate"): a computation
 * writes burn_rate_snapshot rows again, for the lines of its list that have a gap.
 *
 * add_needs_list_expiry_and_claim_release stopped writing a snapshot per line: the line holds every
 * figure a snapshot would (issued quantity, stockout hours, rate, method; window and phase on its
 * list), and a snapshot per line cost +40 to +75 % of a computation (2,000 rows, five foreign-key
 * checks and five index entries each). That left the guide's burn_rate_snapshot with the history
 * from before it and nothing new, against issue 12 ("with snapshots in burn_rate_snapshot"). This
 * migration reverses that decision for the lines with a gap: the products the list asks stock for,
 * whose rate sized a transfer, a donation or a purchase, and whose history a planner audits (a
 * tenth of the lines in the benchmark). Measured: every list of bench:replenishment's event (50
 * warehouses x 2,000 products, 9,000 lines with a gap), two at a time, copies of one database on
 * embedded PostgreSQL 18, trigger enabled and disabled alternately, three runs each: 4.75, 5.24,
 * 4.11 s against 3.82, 4.44, 3.69 s (+18 %: five foreign-key checks and five index entries per
 * snapshot); the full bench with it, 4.24 s (aim 5 s). Every line still keeps its figures;
 * v_stock_status still reads the lines.
 *
 * Stated openly: add_needs_list_expiry_and_claim_release's validate.sql asserts that the text of
 * compute_needs_list holds no INSERT INTO replenishment.burn_rate_snapshot, and migrate verify runs
 * it on the schema as it is now; migrations are frozen, so that check stays and stays true. The
 * rows are written by a statement-level trigger on needs_list_item (its transition table), not by
 * compute_needs_list: every writer of lines records them, and compute_needs_list is unchanged.
 * docs/CONVENTIONS.md ("validate.sql") names that check as one that pinned a decision.
 *
 * A snapshot is the line's figures with its list's context: event, warehouse, phase, window
 * (calculation_dtime - demand_window_hours, calculation_dtime] and calculated_at = the list's
 * calculation_dtime (the time the computation was for, as the line's figures are). Lines without
 * the figures (issued_qty or stockout_hours NULL: written before add_needs_list_expiry_and_claim_
 * release) are not snapshotted.
 *
 * Locks: CREATE TRIGGER takes SHARE ROW EXCLUSIVE on replenishment.needs_list_item (blocks its
 * writes, not its reads) for an instant. Runtime: instant, no data touched. Rollback: down.sql
 * (the trigger and its function; the snapshots written stay: history). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] burn-rate snapshots of the lines with a gap
-- Prisma has no triggers. A statement-level trigger reads the statement's new lines once, not a
-- function call per line. Each line with a gap finds its list by the list's key (the LATERAL with
-- OFFSET 0 is not flattened into a join): needs_list fills from empty as an event's lists are
-- computed, faster than ANALYZE sees it, and a join planned on its statistics was a nested loop
-- scanning every new line once per list (51 x 1,800 lines for the 51st list of the benchmark:
-- +25 % of a computation on PostgreSQL 18). A statement whose lines have no gap (compute_needs_list
-- writes those first, on their own) ends after one pass over them.
CREATE FUNCTION replenishment.tg_needs_list_item__record_burn_rate_snapshots()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  INSERT INTO replenishment.burn_rate_snapshot
    (client_id, event_id, warehouse_id, product_id, needs_list_id, phase, window_start, window_end, issued_qty, stockout_hours, burn_rate,
     method, calculated_at)
  SELECT i.client_id, n.event_id, n.warehouse_id, i.product_id, n.id, n.event_phase,
         n.calculation_dtime - make_interval(hours => n.demand_window_hours), n.calculation_dtime, i.issued_qty, i.stockout_hours,
         i.burn_rate, i.burn_rate_method, n.calculation_dtime
    FROM new_lines i
    CROSS JOIN LATERAL (SELECT l.id, l.event_id, l.warehouse_id, l.event_phase, l.calculation_dtime, l.demand_window_hours
                          FROM replenishment.needs_list l
                         WHERE l.client_id = i.client_id AND l.id = i.needs_list_id
                        OFFSET 0) n
   WHERE i.gap_qty > 0 AND i.issued_qty IS NOT NULL AND i.stockout_hours IS NOT NULL;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION replenishment.tg_needs_list_item__record_burn_rate_snapshots() IS
  'AFTER INSERT (per statement) on needs_list_item: a burn_rate_snapshot row for each new line with a gap, its figures with its list''s event, warehouse, phase and demand window (record_burn_rate_snapshots).';
CREATE TRIGGER _500_record_burn_rate_snapshots AFTER INSERT ON replenishment.needs_list_item
  REFERENCING NEW TABLE AS new_lines
  FOR EACH STATEMENT EXECUTE FUNCTION replenishment.tg_needs_list_item__record_burn_rate_snapshots();
COMMENT ON TRIGGER _500_record_burn_rate_snapshots ON replenishment.needs_list_item IS
  'Records the burn rate of each new line with a gap in burn_rate_snapshot (tg_needs_list_item__record_burn_rate_snapshots).';
COMMENT ON TABLE replenishment.burn_rate_snapshot IS
  'Burn-rate history per product and warehouse: since record_burn_rate_snapshots, a row per needs-list line with a gap, written by the lines'' trigger; before add_needs_list_expiry_and_claim_release, a row per line. Every line also keeps its own figures.';
-- [CUSTOM_CHANGE_END]
