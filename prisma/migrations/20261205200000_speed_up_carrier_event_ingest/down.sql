-- Rollback of speed_up_carrier_event_ingest: shipment updates audited row by row again and the
-- status trigger's earlier body (add_shipment_tracking), word for word. No data is dropped: the
-- audit rows written per statement stay in audit.audit_log.
DROP TRIGGER _900_record_updates ON "fulfillment"."shipment";
DROP TRIGGER _900_record_change ON "fulfillment"."shipment";
CREATE TRIGGER _900_record_change AFTER INSERT OR UPDATE OR DELETE ON "fulfillment"."shipment" FOR EACH ROW EXECUTE FUNCTION audit.tg__record_change();
DROP FUNCTION audit.tg__record_updates();

ALTER FUNCTION fulfillment.tg_carrier_event__advance_status() RESET ALL;
CREATE OR REPLACE FUNCTION fulfillment.tg_carrier_event__advance_status()
RETURNS trigger
LANGUAGE plpgsql
VOLATILE
AS $$
BEGIN
  WITH progress AS (
    SELECT DISTINCT ON (e.client_id, e.shipment_id) e.client_id, e.shipment_id, e.id, e.status, fulfillment.status_rank(e.status) AS rank, e.occurred_at
      FROM new_events e
     WHERE e.status NOT IN ('EXCEPTION', 'UNKNOWN')
     ORDER BY e.client_id, e.shipment_id, fulfillment.status_rank(e.status) DESC, e.occurred_at DESC, e.id DESC
  ),
  exception AS (
    SELECT DISTINCT ON (e.client_id, e.shipment_id) e.client_id, e.shipment_id, e.id, e.occurred_at, e.description
      FROM new_events e
     WHERE e.status = 'EXCEPTION'
     ORDER BY e.client_id, e.shipment_id, e.occurred_at DESC, e.id DESC
  ),
  candidate AS (
    SELECT coalesce(p.client_id, x.client_id) AS client_id, coalesce(p.shipment_id, x.shipment_id) AS shipment_id,
           p.id AS p_id, p.status AS p_status, p.rank AS p_rank, p.occurred_at AS p_at,
           x.id AS x_id, x.occurred_at AS x_at, x.description AS x_description
      FROM progress p
      FULL JOIN exception x ON x.client_id = p.client_id AND x.shipment_id = p.shipment_id
  ),
  next AS (
    SELECT s.client_id, s.id,
           better, 
           CASE WHEN better THEN c.p_status ELSE s.progress_status END AS progress_status,
           CASE WHEN better THEN c.p_rank ELSE s.progress_rank END AS progress_rank,
           CASE WHEN better THEN c.p_at ELSE s.progress_at END AS progress_at,
           CASE WHEN better THEN c.p_id END AS progress_event,
           newer_exception,
           CASE WHEN newer_exception THEN c.x_at ELSE s.exception_at END AS exception_at,
           CASE WHEN newer_exception THEN c.x_description ELSE s.exception_reason END AS exception_reason,
           CASE WHEN newer_exception THEN c.x_id END AS exception_event
      FROM candidate c
      JOIN fulfillment.shipment s ON s.client_id = c.client_id AND s.id = c.shipment_id
      CROSS JOIN LATERAL (SELECT c.p_rank IS NOT NULL AND (c.p_rank, c.p_at) > (s.progress_rank, coalesce(s.progress_at, '-infinity')) AS better,
                                 c.x_at IS NOT NULL AND c.x_at > coalesce(s.exception_at, '-infinity') AS newer_exception) AS d
     WHERE s.progress_rank < 100 AND (better OR newer_exception)
  )
  UPDATE fulfillment.shipment s
     SET progress_status = n.progress_status, progress_rank = n.progress_rank, progress_at = n.progress_at,
         exception_at = n.exception_at, exception_reason = n.exception_reason,
         status = CASE WHEN n.progress_rank < 100 AND n.exception_at > coalesce(n.progress_at, '-infinity') THEN 'EXCEPTION' ELSE n.progress_status END,
         status_event_id = CASE WHEN n.progress_rank < 100 AND n.exception_at > coalesce(n.progress_at, '-infinity')
                                THEN coalesce(n.exception_event, s.status_event_id)
                                ELSE coalesce(n.progress_event, s.status_event_id) END,
         delivered_at = CASE WHEN n.progress_status = 'DELIVERED' THEN n.progress_at END
    FROM next n
   WHERE s.client_id = n.client_id AND s.id = n.id
     -- Re-checked on the latest row version when a concurrent ingest moved it first.
     AND s.progress_rank < 100
     AND ((n.progress_rank, n.progress_at) >= (s.progress_rank, coalesce(s.progress_at, '-infinity')) OR n.exception_at > coalesce(s.exception_at, '-infinity'));
  RETURN NULL;
END
$$;
