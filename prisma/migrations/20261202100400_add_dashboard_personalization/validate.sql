-- Checks of add_dashboard_personalization: as supply_ledger_app, a layout of the wrong shape is
-- refused, a second default for a user is refused, a stale save is refused, and a user without
-- preferences gets the defaults (probed with writes: validate.sql always runs rolled back).
DO $$
DECLARE
  a bigint;
  u bigint;
  l bigint;
BEGIN
  IF to_regclass('fulfillment.dashboard_layout') IS NULL OR to_regclass('fulfillment.user_preference') IS NULL
     OR to_regclass('fulfillment.v_user_preference') IS NULL THEN
    RAISE EXCEPTION 'add_dashboard_personalization: missing tables or view';
  END IF;
  INSERT INTO core.client (code, name) VALUES ('__validate_a__', 'probe') RETURNING id INTO a;
  SET LOCAL ROLE supply_ledger_app;
  PERFORM set_config('app.client_id', a::text, true);
  INSERT INTO fulfillment.app_user (email, name) VALUES ('validate@example.test', 'probe') RETURNING id INTO u;
  BEGIN
    INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, layout)
    VALUES (u, 'bad', true, '{"widgets": [{"id": "a", "type": "chart", "x": 20, "y": 0, "w": 10, "h": 2}]}');
    RAISE EXCEPTION 'add_dashboard_personalization: a widget past the grid''s edge was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default, layout)
  VALUES (u, 'main', true, '{"widgets": [{"id": "a", "type": "chart", "x": 0, "y": 0, "w": 12, "h": 4}]}') RETURNING id INTO l;
  BEGIN
    INSERT INTO fulfillment.dashboard_layout (app_user_id, name, is_default) VALUES (u, 'second', true);
    RAISE EXCEPTION 'add_dashboard_personalization: a second default layout was accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
  UPDATE fulfillment.dashboard_layout SET name = 'main v2', version = 2 WHERE id = l;
  BEGIN
    UPDATE fulfillment.dashboard_layout SET name = 'stale', version = 2 WHERE id = l;
    RAISE EXCEPTION 'add_dashboard_personalization: a stale save was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  IF (SELECT color_scheme FROM fulfillment.v_user_preference WHERE app_user_id = u) IS DISTINCT FROM 'SYSTEM' THEN
    RAISE EXCEPTION 'add_dashboard_personalization: a user without preferences does not get the defaults';
  END IF;
END
$$;
