-- Checks of speed_up_needs_list_claims: find_relief_sources exists, find_open_claims no longer joins
-- the lists, and compute_needs_list claims in one statement.
DO $$
DECLARE
  compute text := (SELECT prosrc FROM pg_proc WHERE oid = 'replenishment.compute_needs_list(bigint, bigint, timestamptz, text)'::regprocedure);
BEGIN
  IF to_regprocedure('replenishment.find_relief_sources(replenishment.needs_list_item[], bigint, bigint)') IS NULL THEN
    RAISE EXCEPTION 'speed_up_needs_list_claims: replenishment.find_relief_sources is missing';
  END IF;
  IF (SELECT prosrc FROM pg_proc WHERE oid = 'replenishment.find_open_claims(timestamptz)'::regprocedure) LIKE '%JOIN replenishment.needs_list %' THEN
    RAISE EXCEPTION 'speed_up_needs_list_claims: find_open_claims still joins every claim to needs_list';
  END IF;
  IF (length(compute) - length(replace(compute, 'INSERT INTO replenishment.supply_claim', ''))) / length('INSERT INTO replenishment.supply_claim') <> 1 THEN
    RAISE EXCEPTION 'speed_up_needs_list_claims: compute_needs_list does not claim in one statement';
  END IF;
END
$$;
