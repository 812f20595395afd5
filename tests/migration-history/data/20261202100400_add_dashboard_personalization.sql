-- Dashboard personalization: a default layout and preferences for the history user. Idempotent.
INSERT INTO fulfillment.dashboard_layout (client_id, app_user_id, name, is_default, layout)
SELECT client_id, id, 'History', true, '{"widgets": [{"id": "s", "type": "shipment-status", "x": 0, "y": 0, "w": 24, "h": 6}]}'
  FROM fulfillment.app_user WHERE email = 'history@example.test'
ON CONFLICT (client_id, app_user_id, name) DO NOTHING;
INSERT INTO fulfillment.user_preference (client_id, app_user_id, color_scheme)
SELECT client_id, id, 'DARK' FROM fulfillment.app_user WHERE email = 'history@example.test'
ON CONFLICT (client_id, app_user_id) DO NOTHING;
