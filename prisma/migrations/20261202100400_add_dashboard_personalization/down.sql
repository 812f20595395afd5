-- Rollback of add_dashboard_personalization: keep layouts and preferences in backup tables, then
-- drop the view, the tables (their triggers with them) and the functions.
SELECT backup.preserve('fulfillment_dashboard_layout_20261202100400', 'SELECT * FROM fulfillment.dashboard_layout');
SELECT backup.preserve('fulfillment_user_preference_20261202100400', 'SELECT * FROM fulfillment.user_preference');

DROP VIEW fulfillment.v_user_preference;
DROP TABLE "fulfillment"."user_preference";
DROP TABLE "fulfillment"."dashboard_layout";
DROP FUNCTION fulfillment.tg_dashboard_layout__one_default();
DROP FUNCTION fulfillment.tg_dashboard_layout__check_version();
DROP FUNCTION fulfillment.is_valid_dashboard_layout(jsonb, integer);
