/*
 * add_product_search_function: catalog.search_products(name_pattern, max_candidates), the
 * substring search of product names for the client app.client_id names, SECURITY DEFINER.
 *
 * Why a function: under row-level security the planner applies the policy's condition before any
 * condition that is not leakproof (a condition could otherwise leak a hidden row through an error
 * or a side effect), and ILIKE is not leakproof. So, as supply_ledger_app, `name ILIKE '%egg%'`
 * can no longer be an index condition of product_name_trgm_idx: the query reads every product of
 * the client through (client_id, sku) and filters it. bench:inventory measured it with 1,000,000
 * products (2026-12-01, PostgreSQL 18): p50 / p95 281 / 922 ms as the application role against
 * 11 / 59 ms as the superuser. The function runs as supply_ledger_owner (BYPASSRLS), which may use
 * the index, and filters by the client itself: the same rows, found through the index.
 *
 * Only the client's own rows: `p.client_id = client`, the setting's value; without a client it
 * refuses (42501), as the materialized views' readers do. A fixed search_path and qualified names.
 * The query is planned at each call (EXECUTE ... USING) so that the plan sees the pattern: a
 * generic plan cannot tell a selective pattern from one that matches half the catalog.
 *
 * Locks: none on data (CREATE FUNCTION). Expected runtime: instant, whatever the size.
 * Rollback: down.sql (drops the function; searchProducts of earlier versions queried the table).
 * Checks: validate.sql (a client finds its own product and not another client's; no client: 42501).
 */

-- [CUSTOM_CHANGE_START] product search that keeps the trigram index under row-level security
-- Prisma has no functions.
CREATE FUNCTION catalog.search_products(name_pattern text, max_candidates integer)
RETURNS TABLE (id bigint, sku text, name text, found bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  client bigint := NULLIF(current_setting('app.client_id', true), '')::bigint;
BEGIN
  IF client IS NULL THEN
    RAISE EXCEPTION 'catalog.search_products(): no client is set (app.client_id)' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The first max_candidates - 1 matches the index yields, with how many it yielded (up to
  -- max_candidates): the caller orders them and knows whether there were more.
  RETURN QUERY EXECUTE
    'SELECT candidate.id, candidate.sku, candidate.name, candidate.found
       FROM (SELECT found_product.*, count(*) OVER () AS found, row_number() OVER () AS nth
               FROM (SELECT p.id, p.sku, p.name FROM catalog.product p
                      WHERE p.client_id = $1 AND p.name ILIKE $2 LIMIT $3) AS found_product) AS candidate
      WHERE candidate.nth < $3'
    USING client, name_pattern, max_candidates;
END
$$;
COMMENT ON FUNCTION catalog.search_products(text, integer) IS
  'Products of the client app.client_id names whose name matches name_pattern (ILIKE): the first max_candidates - 1 the trigram index yields, each with found = how many it yielded, up to max_candidates (found = max_candidates: there were more). Refuses (42501) without a client. SECURITY DEFINER so that the trigram index serves the search under row-level security (ILIKE is not leakproof); filters by the client itself.';
ALTER FUNCTION catalog.search_products(text, integer) OWNER TO supply_ledger_owner;
REVOKE EXECUTE ON FUNCTION catalog.search_products(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION catalog.search_products(text, integer) TO supply_ledger_app, supply_ledger_readonly;
-- [CUSTOM_CHANGE_END]
