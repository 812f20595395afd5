-- Rollback of add_needs_list_expiry_and_claim_release: the definitions of add_supply_replenishment
-- again, word for word (replenishment.claimable, the claim check, compute_needs_list writing a
-- burn_rate_snapshot per line, v_stock_status reading them), then the lines' burn figures dropped,
-- kept first in backup.*. Lists computed meanwhile have no burn_rate_snapshot rows: v_stock_status
-- shows their products at the baseline rate until the next computation.
SELECT backup.preserve('replenishment_needs_list_item_20261206100000',
  'SELECT client_id, id, issued_qty, stockout_hours, expiring_qty FROM replenishment.needs_list_item WHERE issued_qty IS NOT NULL OR expiring_qty <> 0');

CREATE FUNCTION replenishment.claimable(of_source_type text, of_source_warehouse_id bigint, of_donation_item_id bigint, of_product_id bigint)
RETURNS numeric
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
  free numeric;
  claimed numeric;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.supply_claim'),
                                hashtext(concat_ws(':', client, of_source_type, of_source_warehouse_id, of_donation_item_id, of_product_id)));
  IF of_source_type = 'TRANSFER' THEN
    SELECT l.qty_on_hand - l.qty_reserved - coalesce(i.min_stock_threshold, ws.min_stock_threshold, 0) INTO free
      FROM inventory.stock_level l
      LEFT JOIN replenishment.item_setting i ON i.client_id = l.client_id AND i.product_id = l.product_id
      LEFT JOIN replenishment.warehouse_setting ws ON ws.client_id = l.client_id AND ws.warehouse_id = l.warehouse_id
     WHERE l.client_id = client AND l.product_id = of_product_id AND l.warehouse_id = of_source_warehouse_id;
    SELECT coalesce(sum(c.quantity), 0) INTO claimed
      FROM replenishment.supply_claim c JOIN replenishment.needs_list n ON n.client_id = c.client_id AND n.id = c.needs_list_id
     WHERE c.client_id = client AND c.source_warehouse_id = of_source_warehouse_id AND c.product_id = of_product_id
       AND n.status_code IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED');
  ELSE
    SELECT di.quantity - di.received_qty INTO free
      FROM replenishment.donation_item di JOIN replenishment.donation d ON d.client_id = di.client_id AND d.id = di.donation_id
     WHERE di.client_id = client AND di.id = of_donation_item_id AND d.status = 'CONFIRMED';
    SELECT coalesce(sum(c.quantity), 0) INTO claimed
      FROM replenishment.supply_claim c JOIN replenishment.needs_list n ON n.client_id = c.client_id AND n.id = c.needs_list_id
     WHERE c.client_id = client AND c.donation_item_id = of_donation_item_id
       AND n.status_code IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED');
  END IF;
  RETURN greatest(coalesce(free, 0) - claimed, 0);
END
$$;
COMMENT ON FUNCTION replenishment.claimable(text, bigint, bigint, bigint) IS
  'What may still be claimed (the client of the setting): for TRANSFER the source warehouse''s available stock of the product above its minimum (the product''s, else the warehouse''s, else 0), for DONATION what a confirmed donation line has not delivered, less the claims of open needs lists. Takes the advisory lock of that source until the end of the transaction.';
REVOKE EXECUTE ON FUNCTION replenishment.claimable(text, bigint, bigint, bigint) FROM supply_ledger_readonly;

CREATE OR REPLACE FUNCTION replenishment.tg_supply_claim__check_available()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
DECLARE
  over record;
BEGIN
  -- Every source the statement claimed from, locked in (product, source) order, the order
  -- compute_needs_list locks them in before it reads what is free (the same key as claimable).
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.supply_claim'),
                                hashtext(concat_ws(':', k.client_id, k.source_type, k.source_warehouse_id, k.donation_item_id, k.product_id)))
     FROM (SELECT DISTINCT client_id, source_type, source_warehouse_id, donation_item_id, product_id FROM new_claims
            ORDER BY product_id, source_warehouse_id, donation_item_id, client_id, source_type) k;
  -- Then, per source, what the statement claimed against what it may still give: its free stock
  -- (TRANSFER: available above the minimum; DONATION: what the confirmed line has not delivered)
  -- less the claims of open lists other than the statement's own.
  SELECT k.*, coalesce(f.free, 0) AS free, coalesce(c.claimed, 0) AS claimed INTO over
    FROM (SELECT client_id, source_type, source_warehouse_id, donation_item_id, product_id, sum(quantity) AS quantity, array_agg(id) AS ids
            FROM new_claims GROUP BY client_id, source_type, source_warehouse_id, donation_item_id, product_id) k
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
    CROSS JOIN LATERAL (
      SELECT CASE WHEN k.source_type = 'TRANSFER' THEN
               (SELECT sum(c.quantity)
                  FROM replenishment.supply_claim c JOIN replenishment.needs_list n ON n.client_id = c.client_id AND n.id = c.needs_list_id
                 WHERE c.client_id = k.client_id AND c.source_warehouse_id = k.source_warehouse_id AND c.product_id = k.product_id
                   AND n.status_code IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED') AND c.id <> ALL (k.ids))
             ELSE
               (SELECT sum(c.quantity)
                  FROM replenishment.supply_claim c JOIN replenishment.needs_list n ON n.client_id = c.client_id AND n.id = c.needs_list_id
                 WHERE c.client_id = k.client_id AND c.donation_item_id = k.donation_item_id
                   AND n.status_code IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED') AND c.id <> ALL (k.ids))
             END AS claimed) c
   WHERE k.quantity > greatest(coalesce(f.free, 0) - coalesce(c.claimed, 0), 0)
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
COMMENT ON FUNCTION replenishment.tg_supply_claim__check_available() IS
  'AFTER INSERT of supply claims, once per statement (its new rows as a transition table): locks each source claimed from (the advisory lock of replenishment.claimable, in product and source order), then refuses the statement when what it claimed from a source exceeds what the source may still give (TRANSFER: available above the minimum; DONATION: what the confirmed line has not delivered; less the claims of other open lists): a surplus transfer never takes a source below its minimum, and no stock is claimed twice. One set-based check per statement rather than one lookup per claim.';

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
  -- stock, written to burn_rate_snapshot; and in the same statement the list's lines: required =
  -- burn x planning window x safety factor, the gap netted of available stock and of the inbound
  -- that arrives before the projected stockout. Lines without a gap are written here, final; lines
  -- with one are kept in memory (lines, a few in a hundred) and written once their sources are
  -- claimed: every line is written once (an UPDATE would check each row's foreign keys again, as
  -- this transaction inserted it, and audit it as a change).
  WITH items AS (
    SELECT i.product_id, i.baseline_burn_rate, coalesce(l.qty_on_hand - l.qty_reserved, 0) AS available
      FROM replenishment.item_setting i
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
    SELECT it.product_id, it.baseline_burn_rate, greatest(it.available, 0) AS available, coalesce(a.issued, 0) AS issued,
           round(least(wd, CASE WHEN a.product_id IS NULL THEN CASE WHEN it.available <= 0 THEN wd ELSE 0 END ELSE a.out_hours END), 4) AS out_hours
      FROM items it LEFT JOIN agg a ON a.product_id = it.product_id
  ), rated AS (
    SELECT m.*, CASE WHEN wd - m.out_hours >= 1 THEN m.issued / (wd - m.out_hours) END AS observed
      FROM measured m
  ), burn AS (
    SELECT r.product_id, r.available, r.issued, r.out_hours,
           round(CASE WHEN r.out_hours = 0 THEN r.observed
                      ELSE greatest(coalesce(r.observed, r.issued / wd), coalesce(r.baseline_burn_rate, 0)) END, 4) AS burn_rate,
           CASE WHEN r.out_hours = 0 THEN 'OBSERVED'
                WHEN r.observed IS NOT NULL AND r.observed >= coalesce(r.baseline_burn_rate, 0) THEN 'STOCKOUT_ADJUSTED'
                WHEN r.baseline_burn_rate IS NOT NULL THEN 'BASELINE_FALLBACK'
                ELSE 'NO_DATA' END AS method
      FROM rated r
  ), snapshot AS (
    INSERT INTO replenishment.burn_rate_snapshot
      (client_id, event_id, warehouse_id, product_id, needs_list_id, phase, window_start, window_end, issued_qty, stockout_hours, burn_rate, method, calculated_at)
    SELECT ev.client_id, ev.id, wh.id, b.product_id, list_id, ev.current_phase, win_start, at, b.issued, b.out_hours, b.burn_rate, b.method, at
      FROM burn b
    RETURNING product_id
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
  ), line AS (
    SELECT p.product_id, p.burn_rate, p.method, p.available, coalesce(c.inbound, 0) AS inbound, p.required,
           greatest(0, p.required - (p.available + coalesce(c.inbound, 0))) AS gap, p.tts
      FROM planned p LEFT JOIN counted c ON c.product_id = p.product_id
  ), covered AS (
    INSERT INTO replenishment.needs_list_item
      (client_id, needs_list_id, product_id, burn_rate, burn_rate_method, available_qty, inbound_qty, expiring_qty, required_qty, gap_qty,
       hours_to_stockout)
    SELECT ev.client_id, list_id, l.product_id, l.burn_rate, l.method, l.available, l.inbound, 0, l.required, 0, l.tts
      FROM line l WHERE l.gap = 0
  )
  SELECT array_agg(ROW(NULL, ev.client_id, list_id, l.product_id, l.burn_rate, l.method, l.available, l.inbound, 0, l.required, l.gap, l.tts,
                       0, 0, 0, NULL, NULL)::replenishment.needs_list_item ORDER BY l.product_id)
    INTO lines
    FROM line l WHERE l.gap > 0;

  -- Sources, in order: surplus of the event's other warehouses, then confirmed donations without an
  -- intake warehouse yet, then procurement for the rest. The sources are locked first, in (product,
  -- source) order (the key replenishment.claimable takes), so that two lists computed at once
  -- neither claim the same stock nor deadlock; what is free is then read after the locks, and each
  -- claim is checked again by its trigger.
  PERFORM pg_advisory_xact_lock(hashtext('replenishment.supply_claim'),
                                hashtext(concat_ws(':', ev.client_id, 'TRANSFER', c.warehouse_id, NULL, c.product_id)))
     FROM (SELECT o.warehouse_id, n.product_id
             FROM unnest(lines) n
             JOIN replenishment.warehouse_setting o ON o.client_id = n.client_id AND o.event_id = ev.id AND o.warehouse_id <> wh.id AND o.is_active
             JOIN inventory.stock_level l ON l.client_id = n.client_id AND l.product_id = n.product_id AND l.warehouse_id = o.warehouse_id
            WHERE n.gap_qty > 0 AND l.qty_on_hand - l.qty_reserved > 0
            ORDER BY n.product_id, o.warehouse_id) c;
  INSERT INTO replenishment.supply_claim (client_id, needs_list_id, product_id, source_type, source_warehouse_id, quantity)
  WITH candidate AS (
    SELECT n.product_id, n.gap_qty, o.warehouse_id,
           l.qty_on_hand - l.qty_reserved - coalesce(i.min_stock_threshold, o.min_stock_threshold, 0) AS above_min
      FROM unnest(lines) n
      JOIN replenishment.warehouse_setting o ON o.client_id = n.client_id AND o.event_id = ev.id AND o.warehouse_id <> wh.id AND o.is_active
      JOIN inventory.stock_level l ON l.client_id = n.client_id AND l.product_id = n.product_id AND l.warehouse_id = o.warehouse_id
      LEFT JOIN replenishment.item_setting i ON i.client_id = n.client_id AND i.product_id = n.product_id
     WHERE n.gap_qty > 0 AND l.qty_on_hand - l.qty_reserved > 0
  ), claimed AS (
    SELECT c.source_warehouse_id, c.product_id, sum(c.quantity) AS quantity
      FROM replenishment.supply_claim c JOIN replenishment.needs_list n ON n.client_id = c.client_id AND n.id = c.needs_list_id
     WHERE c.client_id = ev.client_id AND c.source_type = 'TRANSFER' AND n.status_code IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED')
       AND c.product_id IN (SELECT product_id FROM candidate)
     GROUP BY c.source_warehouse_id, c.product_id
  ), free AS (
    SELECT d.product_id, d.gap_qty, d.warehouse_id, d.above_min - coalesce(k.quantity, 0) AS free
      FROM candidate d LEFT JOIN claimed k ON k.source_warehouse_id = d.warehouse_id AND k.product_id = d.product_id
  ), ranked AS (
    SELECT f.*, coalesce(sum(f.free) OVER (PARTITION BY f.product_id ORDER BY f.free DESC, f.warehouse_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM free f WHERE f.free > 0
  )
  SELECT ev.client_id, list_id, r.product_id, 'TRANSFER', r.warehouse_id, least(r.free, r.gap_qty - r.before)
    FROM ranked r WHERE r.gap_qty - r.before > 0;

  PERFORM replenishment.claimable('DONATION', NULL, c.id, c.product_id)
     FROM (SELECT di.id, di.product_id
             FROM unnest(lines) n
             JOIN replenishment.donation_item di ON di.client_id = n.client_id AND di.product_id = n.product_id
             JOIN replenishment.donation d ON d.client_id = di.client_id AND d.id = di.donation_id
            WHERE n.gap_qty > 0
              AND d.event_id = ev.id AND d.status = 'CONFIRMED' AND d.warehouse_id IS NULL
            ORDER BY di.product_id, di.id) c;
  INSERT INTO replenishment.supply_claim (client_id, needs_list_id, product_id, source_type, donation_item_id, quantity)
  WITH remaining AS (
    SELECT n.product_id, n.gap_qty - coalesce(k.quantity, 0) AS gap
      FROM unnest(lines) n
      LEFT JOIN (SELECT c.product_id, sum(c.quantity) AS quantity FROM replenishment.supply_claim c
                  WHERE c.client_id = ev.client_id AND c.needs_list_id = list_id GROUP BY c.product_id) k ON k.product_id = n.product_id
     WHERE n.gap_qty > 0
  ), free AS (
    SELECT r.product_id, r.gap, di.id AS item_id, replenishment.claimable('DONATION', NULL, di.id, di.product_id) AS free
      FROM remaining r
      JOIN replenishment.donation_item di ON di.client_id = ev.client_id AND di.product_id = r.product_id
      JOIN replenishment.donation d ON d.client_id = di.client_id AND d.id = di.donation_id
     WHERE r.gap > 0 AND d.event_id = ev.id AND d.status = 'CONFIRMED' AND d.warehouse_id IS NULL
  ), ranked AS (
    SELECT f.*, coalesce(sum(f.free) OVER (PARTITION BY f.product_id ORDER BY f.item_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
      FROM free f WHERE f.free > 0
  )
  SELECT ev.client_id, list_id, r.product_id, 'DONATION', r.item_id, least(r.free, r.gap - r.before)
    FROM ranked r WHERE r.gap - r.before > 0;

  -- The lines with a gap, once, with what the claims cover: procurement for the rest.
  INSERT INTO replenishment.needs_list_item
    (client_id, needs_list_id, product_id, burn_rate, burn_rate_method, available_qty, inbound_qty, expiring_qty, required_qty, gap_qty,
     hours_to_stockout, transfer_qty, donation_qty, procurement_qty)
  SELECT n.client_id, n.needs_list_id, n.product_id, n.burn_rate, n.burn_rate_method, n.available_qty, n.inbound_qty, n.expiring_qty, n.required_qty,
         n.gap_qty, n.hours_to_stockout, coalesce(c.transfer_qty, 0), coalesce(c.donation_qty, 0),
         n.gap_qty - coalesce(c.transfer_qty, 0) - coalesce(c.donation_qty, 0)
    FROM unnest(lines) n
    LEFT JOIN (SELECT s.product_id, coalesce(sum(s.quantity) FILTER (WHERE s.source_type = 'TRANSFER'), 0) AS transfer_qty,
                      coalesce(sum(s.quantity) FILTER (WHERE s.source_type = 'DONATION'), 0) AS donation_qty
                 FROM replenishment.supply_claim s
                WHERE s.client_id = ev.client_id AND s.needs_list_id = list_id
                GROUP BY s.product_id) c ON c.product_id = n.product_id;
  RETURN list_id;
END
$$;
COMMENT ON FUNCTION replenishment.compute_needs_list(bigint, bigint, timestamptz, text) IS
  'Computes the needs list of a warehouse for an event at a time, as a new DRAFT (superseding the previous DRAFT): the phase''s parameters and the freshness grade stamped on it; per relief product a burn_rate_snapshot (ledger issues over the demand window divided by the hours in stock; stockouts: never below the baseline rate), required = burn x planning window x safety factor, gap = max(0, required - (available + inbound arriving before the projected stockout)); the gap covered by surplus of the event''s other warehouses (above their minimum), then unassigned confirmed donations, then procurement, the first two claimed in supply_claim. Returns the list''s id.';

DROP VIEW replenishment.v_stock_status;
CREATE VIEW replenishment.v_stock_status WITH (security_invoker = true) AS
SELECT l.client_id, l.warehouse_id, l.product_id, ws.event_id, e.current_phase,
       l.qty_on_hand - l.qty_reserved AS available_qty,
       coalesce(i.min_stock_threshold, ws.min_stock_threshold, 0) AS min_stock_threshold,
       coalesce(s.burn_rate, i.baseline_burn_rate) AS burn_rate,
       CASE WHEN s.id IS NOT NULL THEN s.method WHEN i.baseline_burn_rate IS NOT NULL THEN 'BASELINE_FALLBACK' ELSE 'NO_DATA' END AS burn_rate_method,
       s.calculated_at AS burn_rate_at,
       CASE WHEN coalesce(s.burn_rate, i.baseline_burn_rate) > 0
            THEN round(greatest(l.qty_on_hand - l.qty_reserved, 0) / coalesce(s.burn_rate, i.baseline_burn_rate), 2) END AS hours_to_stockout,
       CASE WHEN l.qty_on_hand - l.qty_reserved <= 0 THEN 'OUT_OF_STOCK'
            WHEN coalesce(s.burn_rate, i.baseline_burn_rate, 0) = 0 THEN 'NO_DEMAND'
            WHEN (l.qty_on_hand - l.qty_reserved) / coalesce(s.burn_rate, i.baseline_burn_rate) < 8 THEN 'CRITICAL'
            WHEN (l.qty_on_hand - l.qty_reserved) / coalesce(s.burn_rate, i.baseline_burn_rate) < 24 THEN 'WARNING'
            WHEN (l.qty_on_hand - l.qty_reserved) / coalesce(s.burn_rate, i.baseline_burn_rate) < 72 THEN 'WATCH'
            ELSE 'OK' END AS stock_status,
       replenishment.grade_freshness(ws.last_observed_at, ws.last_synced_at, c.fresh_hours, c.stale_hours, now()) AS data_freshness_level,
       replenishment.sync_status_of(replenishment.grade_freshness(ws.last_observed_at, ws.last_synced_at, c.fresh_hours, c.stale_hours, now())) AS sync_status,
       ws.last_observed_at, ws.last_synced_at
  FROM inventory.stock_level l
  JOIN replenishment.warehouse_setting ws ON ws.client_id = l.client_id AND ws.warehouse_id = l.warehouse_id
  LEFT JOIN replenishment.event e ON e.client_id = ws.client_id AND e.id = ws.event_id
  LEFT JOIN LATERAL (SELECT * FROM replenishment.event_phase_config pc
                      WHERE pc.client_id = e.client_id AND pc.event_id = e.id AND pc.phase = e.current_phase
                        AND pc.effective_from <= now() AND (pc.effective_to IS NULL OR pc.effective_to > now())) c ON true
  LEFT JOIN replenishment.item_setting i ON i.client_id = l.client_id AND i.product_id = l.product_id
  LEFT JOIN LATERAL (SELECT b.id, b.burn_rate, b.method, b.calculated_at FROM replenishment.burn_rate_snapshot b
                      WHERE b.client_id = l.client_id AND b.warehouse_id = l.warehouse_id AND b.product_id = l.product_id
                      ORDER BY b.calculated_at DESC, b.id DESC LIMIT 1) s ON true;
COMMENT ON VIEW replenishment.v_stock_status IS
  'Per product and relief warehouse (one with a warehouse_setting): available stock (on hand less reserved), the minimum kept, the burn rate (latest burn_rate_snapshot, else the product''s baseline rate), hours to stockout, a status (OUT_OF_STOCK, NO_DEMAND, CRITICAL < 8 h, WARNING < 24 h, WATCH < 72 h, OK) and the data''s freshness graded now with the thresholds of the event''s current phase.';

DROP FUNCTION replenishment.find_open_claims(timestamptz);
DROP TRIGGER _900_record_change ON replenishment.supply_claim;
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON replenishment.supply_claim FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
COMMENT ON COLUMN replenishment.needs_list_item.expiring_qty IS NULL;
ALTER TABLE replenishment.needs_list_item DROP CONSTRAINT needs_list_item_burn_figures_check;
ALTER TABLE replenishment.needs_list_item DROP COLUMN issued_qty, DROP COLUMN stockout_hours;
