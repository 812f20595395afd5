-- Rollback of add_trace_functions: views and functions only, no data.
DROP FUNCTION traceability.fsma_export(text, date, date);
DROP FUNCTION traceability.batch_contains_ftl_food(bigint);
DROP FUNCTION traceability.location_description(text, text, text, text);
DROP FUNCTION traceability.recall_report(text);
DROP FUNCTION traceability.trace_backward(text, bigint, integer);
DROP FUNCTION traceability.walk_backward(text, bigint, integer);
DROP FUNCTION traceability.trace_forward(text, bigint, integer);
DROP FUNCTION traceability.walk_forward(text, bigint, integer);
DROP VIEW traceability.trace_node;
DROP VIEW traceability.trace_edge;
