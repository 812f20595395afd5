-- Rollback of add_trace_functions: views and functions only, no data.
DROP FUNCTION traceability.export_fsma_records(text, date, date);
DROP FUNCTION traceability.has_ftl_food_input(bigint);
DROP FUNCTION traceability.describe_location(text, text, text, text);
DROP FUNCTION traceability.report_recall(text);
DROP FUNCTION traceability.trace_backward(text, bigint, integer);
DROP FUNCTION traceability.walk_backward(text, bigint, integer);
DROP FUNCTION traceability.trace_forward(text, bigint, integer);
DROP FUNCTION traceability.walk_forward(text, bigint, integer);
DROP VIEW traceability.v_trace_node;
DROP VIEW traceability.v_trace_edge;
