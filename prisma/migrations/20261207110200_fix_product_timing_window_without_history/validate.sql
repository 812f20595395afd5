-- Checks of fix_product_timing_window_without_history: without a first movement the formula gives
-- no window and no average daily demand; with one, the window is still the days since it, at most 90.
DO $$
BEGIN
  IF EXISTS (SELECT FROM catalog.product_timing_projection(current_date, NULL, 0, 0, NULL) t
              WHERE t.demand_window_days IS NOT NULL OR t.average_daily_demand IS NOT NULL) THEN
    RAISE EXCEPTION 'fix_product_timing_window_without_history: a product without movements still gets a demand window or an average daily demand';
  END IF;
  IF (SELECT t.demand_window_days FROM catalog.product_timing_projection(current_date, current_date - 30, 30, 10, NULL) t) <> 30
     OR (SELECT t.demand_window_days FROM catalog.product_timing_projection(current_date, current_date - 400, 30, 10, NULL) t) <> 90 THEN
    RAISE EXCEPTION 'fix_product_timing_window_without_history: the window is not the days since the first movement, at most 90';
  END IF;
END
$$;
