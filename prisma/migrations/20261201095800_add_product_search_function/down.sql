-- Rollback of add_product_search_function: drops the function (it holds no data). Versions of
-- searchProducts before it query catalog.product directly.
DROP FUNCTION catalog.search_products(text, integer);
