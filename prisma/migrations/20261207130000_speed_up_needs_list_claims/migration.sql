/*
 * speed_up_needs_list_claims (issue 12, docs/design/replenishment.md "Performance"): computing an
 * event's needs lists took longer per list the more warehouses the event had (bench:replenishment
 * on PostgreSQL 15, idle: 130 ms per list with 10 warehouses, 280 ms with 50). What grew was the
 * reading of other lists' open claims. supply_claim and needs_list fill from empty as an event's
 * lists are computed, faster than ANALYZE sees them, so the planner estimated a row or two and
 * joined them by nested loops: every open claim against every candidate source (2,300,000 rows
 * compared for the 46th list of 50) and against every list (a scan of needs_list per claim), in
 * compute_needs_list and again in the claim check (tg_supply_claim__check_available).
 *
 * Now no statement that reads the claims joins them: find_open_claims tests each claim's list
 * against the ids of the open lists, read once per call into an array; compute_needs_list and the
 * claim check sum what a source offers (or what the statement claims) and the open claims on it in
 * one grouping of both (UNION ALL, GROUP BY source), whatever the statistics say. compute_needs_list
 * also claims transfers and donations in one statement (the check runs once, the open claims are
 * read once by it and once by the check), the sources it may claim from read by
 * replenishment.find_relief_sources for the locks and then for the claims, and it writes the lines
 * with a gap in the same statement as their claims. The rules are unchanged: surplus of the event's
 * other warehouses first (largest free first, never below the minimum), then unassigned confirmed
 * donations, then procurement; sources locked in (product, source) order before what is free is
 * read. Measured, old and new alternating on the same data (every list of the event computed once
 * in each of two copies of one database, PostgreSQL 15): 50 warehouses x 2,000 products (1,000,000
 * movements), 262 -> 141 ms per list, load average 2.8 (docs/design/replenishment.md,
 * "Performance": the other runs); the lines and the claims are the same, row for row.
 *
 * burn_rate_snapshot stays unwritten by computations (docs/design/replenishment.md, "Burn rate"):
 * a snapshot per line measured +40 to +75 % of a computation, one per line with a gap +0 to +9 %,
 * and add_needs_list_expiry_and_claim_release's validate.sql, which migrate verify runs on every
 * deployed schema, holds that compute_needs_list writes none.
 *
 * Locks: none on data (CREATE OR REPLACE FUNCTION on find_open_claims, the claim check and
 * compute_needs_list; one function created). Runtime: instant. Rollback: down.sql (the earlier
 * bodies, word for word). Checks: validate.sql.
 */

-- [CUSTOM_CHANGE_START] open claims without a join to the lists
-- Prisma has no functions. The open lists are few (one DRAFT per event and warehouse, and those not
-- yet closed): their ids are read once per call into an array and each claim tested against it,
-- instead of a join of every claim to needs_list, which with the claims' statistics out of date (a
-- table filled since the last ANALYZE, as during an event's first computations) was planned as a
-- nested loop scanning the lists once per claim.
CREATE OR REPLACE FUNCTION replenishment.find_open_claims(at timestamptz)
RETURNS TABLE (id bigint, client_id bigint, needs_list_id bigint, product_id bigint, source_type text, source_warehouse_id bigint,
               donation_item_id bigint, quantity numeric)
LANGUAGE sql
STABLE
AS $$
  -- What the lists' transfers carried, summed once per call (MATERIALIZED: transfers made for a
  -- needs list are few), rather than looked up or rescanned claim by claim: a list's claims are
  -- read by every later list, so a per-claim cost grows with the square of the lists.
  WITH dispatched AS MATERIALIZED (
    SELECT t.client_id, t.needs_list_id, t.from_warehouse_id, ti.product_id, sum(ti.quantity) AS dispatched
      FROM replenishment.transfer t
      JOIN replenishment.transfer_item ti ON ti.client_id = t.client_id AND ti.transfer_id = t.id
     WHERE t.needs_list_id IS NOT NULL AND t.status IN ('DISPATCHED', 'RECEIVED')
     GROUP BY t.client_id, t.needs_list_id, t.from_warehouse_id, ti.product_id
  )
  SELECT c.id, c.client_id, c.needs_list_id, c.product_id, c.source_type, c.source_warehouse_id, c.donation_item_id,
         c.quantity - coalesce(d.dispatched, 0)
    FROM replenishment.supply_claim c
    LEFT JOIN dispatched d
      ON c.source_type = 'TRANSFER' AND d.client_id = c.client_id AND d.needs_list_id = c.needs_list_id
     AND d.from_warehouse_id = c.source_warehouse_id AND d.product_id = c.product_id
   WHERE c.needs_list_id = ANY (ARRAY(SELECT n.id FROM replenishment.needs_list n
                                       WHERE n.status_code IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED', 'IN_PROGRESS')
                                         AND n.calculation_dtime + make_interval(hours => n.planning_window_hours) > at))
     AND c.quantity > coalesce(d.dispatched, 0)
$$;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] the sources a needs list's gaps may claim
-- Prisma has no functions. compute_needs_list reads them twice: to lock them, then (after the locks)
-- to claim from them.
CREATE FUNCTION replenishment.find_relief_sources(lines replenishment.needs_list_item[], of_event_id bigint, of_warehouse_id bigint)
RETURNS TABLE (source_type text, product_id bigint, source_warehouse_id bigint, donation_item_id bigint, gap numeric, quantity numeric)
LANGUAGE sql
STABLE
AS $$
  SELECT 'TRANSFER', n.product_id, o.warehouse_id, NULL::bigint, n.gap_qty,
         l.qty_on_hand - l.qty_reserved - coalesce(i.min_stock_threshold, o.min_stock_threshold, 0)
    FROM unnest(lines) n
    JOIN replenishment.warehouse_setting o ON o.client_id = n.client_id AND o.event_id = of_event_id AND o.warehouse_id <> of_warehouse_id AND o.is_active
    JOIN inventory.stock_level l ON l.client_id = n.client_id AND l.product_id = n.product_id AND l.warehouse_id = o.warehouse_id
    LEFT JOIN replenishment.item_setting i ON i.client_id = n.client_id AND i.product_id = n.product_id
   WHERE n.gap_qty > 0 AND l.qty_on_hand - l.qty_reserved > 0
  UNION ALL
  SELECT 'DONATION', n.product_id, NULL, di.id, n.gap_qty, di.quantity - di.received_qty
    FROM unnest(lines) n
    JOIN replenishment.donation_item di ON di.client_id = n.client_id AND di.product_id = n.product_id
    JOIN replenishment.donation d ON d.client_id = di.client_id AND d.id = di.donation_id
   WHERE n.gap_qty > 0 AND d.event_id = of_event_id AND d.status = 'CONFIRMED' AND d.warehouse_id IS NULL
$$;
COMMENT ON FUNCTION replenishment.find_relief_sources(replenishment.needs_list_item[], bigint, bigint) IS
  'The sources the gaps of needs-list lines (gap_qty > 0) of a warehouse in an event may claim, with the line''s gap and what the source offers before other lists'' claims: TRANSFER, the event''s other active warehouses with the product available, at what they hold above their minimum; DONATION, the lines of the event''s confirmed donations without an intake warehouse, at what they have not delivered.';
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] the claim check in one pass over the statement's claims and the open ones
-- Prisma has no triggers.
CREATE OR REPLACE FUNCTION replenishment.tg_supply_claim__check_available()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  over record;
  -- The clock of the claims: the time of the lists that claim (find_open_claims counts the claims
  -- of other lists still open then), the earliest when a statement claims for several.
  claimed_at timestamptz := (SELECT min(n.calculation_dtime) FROM replenishment.needs_list n
                              WHERE (n.client_id, n.id) IN (SELECT client_id, needs_list_id FROM new_claims));
BEGIN
  IF claimed_at IS NULL THEN
    RETURN NULL; -- the statement claimed nothing
  END IF;
  -- Every source the statement claimed from, locked in (product, source) order, the order
  -- compute_needs_list locks them in before it reads what is free (the same key).
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.supply_claim'),
                                hashtext(concat_ws(':', k.client_id, k.source_type, k.source_warehouse_id, k.donation_item_id, k.product_id)))
     FROM (SELECT DISTINCT client_id, source_type, source_warehouse_id, donation_item_id, product_id FROM new_claims
            ORDER BY product_id, source_warehouse_id, donation_item_id, client_id, source_type) k;
  -- Then, per source, what the statement claimed against what it may still give: its free stock
  -- (TRANSFER: available above the minimum; DONATION: what the confirmed line has not delivered)
  -- less the claims other lists still hold open (find_open_claims). The statement's claims and the
  -- open ones are summed per source in one pass (no join whose plan rests on the claims' statistics).
  SELECT k.*, coalesce(f.free, 0) AS free INTO over
    FROM (SELECT a.client_id, a.source_type, a.source_warehouse_id, a.donation_item_id, a.product_id,
                 sum(a.quantity) FILTER (WHERE a.mine) AS quantity, coalesce(sum(a.quantity) FILTER (WHERE NOT a.mine), 0) AS claimed
            FROM (SELECT n.client_id, n.source_type, n.source_warehouse_id, n.donation_item_id, n.product_id, n.quantity, true AS mine FROM new_claims n
                  UNION ALL
                  SELECT c.client_id, c.source_type, c.source_warehouse_id, c.donation_item_id, c.product_id, c.quantity, false
                    FROM replenishment.find_open_claims(claimed_at) c WHERE c.id NOT IN (SELECT id FROM new_claims)) a
           GROUP BY a.client_id, a.source_type, a.source_warehouse_id, a.donation_item_id, a.product_id
          HAVING bool_or(a.mine)) k
    CROSS JOIN LATERAL (
      SELECT CASE WHEN k.source_type = 'TRANSFER' THEN
               (SELECT l.qty_on_hand - l.qty_reserved - coalesce(i.min_stock_threshold, ws.min_stock_threshold, 0)
                  FROM inventory.stock_level l
                  LEFT JOIN replenishment.item_setting i ON i.client_id = l.client_id AND i.product_id = l.product_id
                  LEFT JOIN replenishment.warehouse_setting ws ON ws.client_id = l.client_id AND ws.warehouse_id = l.warehouse_id
                 WHERE l.client_id = k.client_id AND l.product_id = k.product_id AND l.warehouse_id = k.source_warehouse_id)
             ELSE
               (SELECT di.quantity - di.received_qty
                  FROM replenishment.donation_item di JOIN replenishment.donation d ON d.client_id = di.client_id AND d.id = di.donation_id
                 WHERE di.client_id = k.client_id AND di.id = k.donation_item_id AND d.status = 'CONFIRMED')
             END AS free) f
   WHERE k.quantity > greatest(coalesce(f.free, 0) - k.claimed, 0)
   ORDER BY k.product_id, k.source_warehouse_id, k.donation_item_id
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'supply claim of % of product % from % %: only % can be claimed (minimum kept, other open lists'' claims counted)',
      over.quantity, over.product_id, lower(over.source_type), coalesce(over.source_warehouse_id, over.donation_item_id),
      greatest(over.free - over.claimed, 0)
      USING ERRCODE = 'check_violation', CONSTRAINT = 'supply_claim_within_available';
  END IF;
  RETURN NULL;
END
$$;
-- [CUSTOM_CHANGE_END]

-- [CUSTOM_CHANGE_START] computing a needs list: its sources claimed in one statement
-- Prisma has no functions. Runs as its caller (row-level security applies), in the caller's transaction.
CREATE OR REPLACE FUNCTION replenishment.compute_needs_list(of_event_id bigint, of_warehouse_id bigint, at timestamptz, actor text)
RETURNS bigint
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  ev replenishment.event;
  wh catalog.warehouse;
  ws replenishment.warehouse_setting;
  cfg replenishment.event_phase_config;
  who text := coalesce(actor, nullif(current_setting('supply_ledger.actor', true), ''), current_user);
  freshness text;
  win_start timestamptz;
  wd numeric;
  old_id bigint;
  list_id bigint;
  lines replenishment.needs_list_item[];
BEGIN
  SELECT * INTO ev FROM replenishment.event WHERE id = of_event_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'compute_needs_list: no event % (for the client of the setting)', of_event_id USING ERRCODE = 'no_data_found';
  END IF;
  SELECT * INTO wh FROM catalog.warehouse WHERE client_id = ev.client_id AND id = of_warehouse_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'compute_needs_list: no warehouse %', of_warehouse_id USING ERRCODE = 'no_data_found';
  END IF;
  SELECT * INTO ws FROM replenishment.warehouse_setting WHERE client_id = ev.client_id AND warehouse_id = wh.id;
  cfg := replenishment.phase_config(ev.id, ev.current_phase, at);
  IF cfg.id IS NULL THEN
    RAISE EXCEPTION 'compute_needs_list: event % has no % parameters effective at %', ev.code, ev.current_phase, at USING ERRCODE = 'no_data_found';
  END IF;
  freshness := replenishment.grade_freshness(ws.last_observed_at, ws.last_synced_at, cfg.fresh_hours, cfg.stale_hours, at);
  wd := cfg.demand_window_hours;
  win_start := at - make_interval(hours => cfg.demand_window_hours);

  -- One computation of an (event, warehouse) at a time: the one DRAFT is superseded by the next.
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.needs_list'), hashtext(concat_ws(':', ev.client_id, ev.id, wh.id)));
  SELECT id INTO old_id FROM replenishment.needs_list
   WHERE client_id = ev.client_id AND event_id = ev.id AND warehouse_id = wh.id AND status_code = 'DRAFT' FOR UPDATE;
  list_id := nextval(pg_get_serial_sequence('replenishment.needs_list', 'id'));
  IF old_id IS NOT NULL THEN
    SET CONSTRAINTS replenishment.needs_list_superseded_by_id_fkey DEFERRED;
    UPDATE replenishment.needs_list SET status_code = 'SUPERSEDED', superseded_by_id = list_id, update_by_id = who
     WHERE client_id = ev.client_id AND id = old_id;
  END IF;
  INSERT INTO replenishment.needs_list
    (id, client_id, needs_list_no, event_id, warehouse_id, event_phase, calculation_dtime, demand_window_hours, planning_window_hours,
     safety_factor, data_freshness_level, status_code, create_by_id, update_by_id)
  VALUES (list_id, ev.client_id, format('NL-%s-%s-%s', ev.code, wh.code, list_id), ev.id, wh.id, ev.current_phase, at, cfg.demand_window_hours,
          cfg.planning_window_hours, 1 + cfg.safety_buffer_pct, freshness, 'DRAFT', who, who);

  -- Burn rates from the ledger's issues in (at - demand window, at], over the hours the warehouse had
  -- stock, kept on the list's lines (issued_qty, stockout_hours, burn_rate, burn_rate_method: the
  -- line is the burn-rate record of its computation, no burn_rate_snapshot row beside it); and in
  -- the same statement the lines: required = burn x planning window x safety factor, the gap netted
  -- of available stock, of the inbound that arrives before the projected stockout and of the stock
  -- that expires before it. Lines without a gap are written here, final; lines with one are kept in
  -- memory (lines, a few in a hundred) and written once their sources are claimed: every line is
  -- written once (an UPDATE would check each row's foreign keys again, as this transaction
  -- inserted it, and audit it as a change).
  WITH items AS (
    SELECT i.product_id, i.baseline_burn_rate, coalesce(l.qty_on_hand - l.qty_reserved, 0) AS available,
           coalesce(l.qty_on_hand, 0) AS on_hand, p.shelf_life_days
      FROM replenishment.item_setting i
      JOIN catalog.product p ON p.client_id = i.client_id AND p.id = i.product_id
      LEFT JOIN inventory.stock_level l ON l.client_id = i.client_id AND l.product_id = i.product_id AND l.warehouse_id = wh.id
     WHERE i.client_id = ev.client_id AND i.is_active
  ), mv AS (
    SELECT m.product_id, m.occurred_at, m.quantity, m.qty_after, m.movement_type,
           row_number() OVER w AS rn, lead(m.occurred_at) OVER w AS next_at
      FROM inventory.stock_movement m
     WHERE m.client_id = ev.client_id AND m.warehouse_id = wh.id AND m.occurred_at > win_start AND m.occurred_at <= at
    WINDOW w AS (PARTITION BY m.product_id ORDER BY m.occurred_at, m.level_sequence)
  ), agg AS (
    SELECT product_id,
           coalesce(sum(-quantity) FILTER (WHERE movement_type = 'ISSUE'), 0) AS issued,
           sum(CASE WHEN qty_after <= 0 THEN extract(epoch FROM coalesce(next_at, at) - occurred_at) / 3600 ELSE 0 END)
             + coalesce(max(CASE WHEN rn = 1 AND qty_after - quantity <= 0 THEN extract(epoch FROM occurred_at - win_start) / 3600 END), 0) AS out_hours
      FROM mv GROUP BY product_id
  ), measured AS (
    SELECT it.product_id, it.baseline_burn_rate, greatest(it.available, 0) AS available, it.on_hand, it.shelf_life_days, coalesce(a.issued, 0) AS issued,
           round(least(wd, CASE WHEN a.product_id IS NULL THEN CASE WHEN it.available <= 0 THEN wd ELSE 0 END ELSE a.out_hours END), 4) AS out_hours
      FROM items it LEFT JOIN agg a ON a.product_id = it.product_id
  ), rated AS (
    SELECT m.*, CASE WHEN wd - m.out_hours >= 1 THEN m.issued / (wd - m.out_hours) END AS observed
      FROM measured m
  ), burn AS (
    SELECT r.product_id, r.available, r.on_hand, r.shelf_life_days, r.issued, r.out_hours,
           round(CASE WHEN r.out_hours = 0 THEN r.observed
                      ELSE greatest(coalesce(r.observed, r.issued / wd), coalesce(r.baseline_burn_rate, 0)) END, 4) AS burn_rate,
           CASE WHEN r.out_hours = 0 THEN 'OBSERVED'
                WHEN r.observed IS NOT NULL AND r.observed >= coalesce(r.baseline_burn_rate, 0) THEN 'STOCKOUT_ADJUSTED'
                WHEN r.baseline_burn_rate IS NOT NULL THEN 'BASELINE_FALLBACK'
                ELSE 'NO_DATA' END AS method
      FROM rated r
  ), planned AS (
    SELECT b.*, CASE WHEN b.burn_rate > 0 THEN round(b.available / b.burn_rate, 4) END AS tts,
           round(b.burn_rate * cfg.planning_window_hours * (1 + cfg.safety_buffer_pct), 4) AS required,
           at + make_interval(secs => CASE WHEN b.burn_rate > 0 THEN (b.available / b.burn_rate) * 3600 ELSE cfg.planning_window_hours * 3600 END) AS horizon
      FROM burn b
  ), counted AS (
    SELECT p.product_id, sum(v.quantity) AS inbound
      FROM planned p
      JOIN replenishment.v_inbound_stock v ON v.product_id = p.product_id AND v.expected_arrival <= p.horizon
     WHERE v.client_id = ev.client_id AND v.warehouse_id = wh.id
     GROUP BY p.product_id
  ), expiring AS (
    -- Stock that expires before the projected stockout, from the ledger: what is on hand is taken to
    -- be what came in last (issued first in, first out), each inflow expiring shelf_life_days after
    -- it entered this warehouse; only products with a shelf life, only the inflows that still make
    -- up what is on hand (add_needs_list_expiry_and_claim_release, header: the limits).
    SELECT p.product_id, least(p.available, sum(least(m.quantity, p.on_hand - m.newer))) AS quantity
      FROM planned p
      CROSS JOIN LATERAL (
        SELECT x.quantity, x.occurred_at,
               coalesce(sum(x.quantity) OVER (ORDER BY x.level_sequence DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS newer
          FROM inventory.stock_movement x
         WHERE x.client_id = ev.client_id AND x.product_id = p.product_id AND x.warehouse_id = wh.id
           AND x.quantity > 0 AND x.reverses_movement_id IS NULL) m
     WHERE p.shelf_life_days IS NOT NULL AND p.on_hand > 0 AND p.available > 0
       AND m.newer < p.on_hand AND m.occurred_at + make_interval(days => p.shelf_life_days) < p.horizon
     GROUP BY p.product_id, p.available
  ), line AS (
    SELECT p.product_id, p.burn_rate, p.method, p.issued, p.out_hours, p.available, coalesce(c.inbound, 0) AS inbound,
           coalesce(e.quantity, 0) AS expiring, p.required,
           greatest(0, p.required - (p.available + coalesce(c.inbound, 0) - coalesce(e.quantity, 0))) AS gap, p.tts
      FROM planned p LEFT JOIN counted c ON c.product_id = p.product_id LEFT JOIN expiring e ON e.product_id = p.product_id
  ), covered AS (
    INSERT INTO replenishment.needs_list_item
      (client_id, needs_list_id, product_id, burn_rate, burn_rate_method, issued_qty, stockout_hours, available_qty, inbound_qty, expiring_qty,
       required_qty, gap_qty, hours_to_stockout)
    SELECT ev.client_id, list_id, l.product_id, l.burn_rate, l.method, l.issued, l.out_hours, l.available, l.inbound, l.expiring, l.required, 0, l.tts
      FROM line l WHERE l.gap = 0
  )
  SELECT array_agg(ROW(NULL, ev.client_id, list_id, l.product_id, l.burn_rate, l.method, l.available, l.inbound, l.expiring, l.required, l.gap,
                       l.tts, 0, 0, 0, NULL, NULL, l.issued, l.out_hours)::replenishment.needs_list_item ORDER BY l.product_id)
    INTO lines
    FROM line l WHERE l.gap > 0;

  -- Sources, in order: surplus of the event's other warehouses (never below their minimum), then
  -- confirmed donations without an intake warehouse yet, then procurement for the rest. Every source
  -- that may give is locked first, in (product, source) order (the key and the order
  -- tg_supply_claim__check_available takes), so that two lists computed at once neither claim the
  -- same stock nor deadlock; what is free is read after the locks, by the next statement.
  IF lines IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('replenishment.supply_claim'),
                                  hashtext(concat_ws(':', ev.client_id, s.source_type, s.source_warehouse_id, s.donation_item_id, s.product_id)))
       FROM replenishment.find_relief_sources(lines, ev.id, wh.id) s
      ORDER BY s.product_id, s.source_warehouse_id, s.donation_item_id;
    -- What a source may still give is what it offers less the claims other lists hold open on it at
    -- this list's time (find_open_claims): both summed per source in one pass, with no join whose
    -- plan would rest on the claims' statistics (a nested loop there grew with the square of the
    -- claims as an event's lists were computed). Each gap is taken from its sources in order, the
    -- claims made (checked once by their statement trigger), and the lines with a gap written with
    -- what the claims cover: procurement for the rest. Every line is written once.
    WITH free AS (
      SELECT o.source_type, o.product_id, o.source_warehouse_id, o.donation_item_id, max(o.gap) AS gap, sum(o.quantity) AS free
        FROM (SELECT s.source_type, s.product_id, s.source_warehouse_id, s.donation_item_id, s.gap, s.quantity
                FROM replenishment.find_relief_sources(lines, ev.id, wh.id) s
              UNION ALL
              SELECT c.source_type, c.product_id, c.source_warehouse_id, c.donation_item_id, NULL, -c.quantity
                FROM replenishment.find_open_claims(at) c) o
       GROUP BY o.source_type, o.product_id, o.source_warehouse_id, o.donation_item_id
      HAVING count(o.gap) > 0
    ), ranked AS (
      SELECT f.*, coalesce(sum(f.free) OVER (PARTITION BY f.product_id
                                             ORDER BY f.source_type = 'DONATION', CASE WHEN f.source_type = 'TRANSFER' THEN f.free END DESC,
                                                      f.source_warehouse_id, f.donation_item_id
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
        FROM free f WHERE f.free > 0
    ), claimed AS (
      INSERT INTO replenishment.supply_claim (client_id, needs_list_id, product_id, source_type, source_warehouse_id, donation_item_id, quantity)
      SELECT ev.client_id, list_id, r.product_id, r.source_type, r.source_warehouse_id, r.donation_item_id, least(r.free, r.gap - r.before)
        FROM ranked r WHERE r.gap - r.before > 0
      RETURNING product_id, source_type, quantity
    )
    INSERT INTO replenishment.needs_list_item
      (client_id, needs_list_id, product_id, burn_rate, burn_rate_method, issued_qty, stockout_hours, available_qty, inbound_qty, expiring_qty,
       required_qty, gap_qty, hours_to_stockout, transfer_qty, donation_qty, procurement_qty)
    SELECT n.client_id, n.needs_list_id, n.product_id, n.burn_rate, n.burn_rate_method, n.issued_qty, n.stockout_hours, n.available_qty, n.inbound_qty,
           n.expiring_qty, n.required_qty, n.gap_qty, n.hours_to_stockout, coalesce(c.transfer_qty, 0), coalesce(c.donation_qty, 0),
           n.gap_qty - coalesce(c.transfer_qty, 0) - coalesce(c.donation_qty, 0)
      FROM unnest(lines) n
      LEFT JOIN (SELECT k.product_id, coalesce(sum(k.quantity) FILTER (WHERE k.source_type = 'TRANSFER'), 0) AS transfer_qty,
                        coalesce(sum(k.quantity) FILTER (WHERE k.source_type = 'DONATION'), 0) AS donation_qty
                   FROM claimed k GROUP BY k.product_id) c ON c.product_id = n.product_id;
  END IF;
  RETURN list_id;
END
$$;
-- [CUSTOM_CHANGE_END]
