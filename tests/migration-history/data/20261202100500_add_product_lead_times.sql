-- Product lead times: components on two products (the total is the trigger's). Idempotent.
UPDATE catalog.product SET supplier_lead_days = 5, shipping_lead_days = 2, processing_lead_days = 1, safety_buffer_days = 1, lead_time_source = 'MANUAL'
 WHERE id IN (SELECT id FROM catalog.product ORDER BY id LIMIT 2);
