import type { ClientScoped } from '../db/tenancy.ts';

export interface ProductMatch {
  id: string;
  sku: string;
  name: string;
}

export interface ProductSearch {
  /** Up to `limit` matches, by name. */
  products: ProductMatch[];
  /** More than `candidates` products matched: the products are the first of those found, not of all; refine the term. */
  more: boolean;
}

/** `term` as a LIKE pattern matching it anywhere, with LIKE's wildcards in it taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * The search: catalog.search_products($1, $3) yields up to $3 - 1 products of the client whose
 * name contains the pattern $1, as found (by the trigram index product_name_trgm_idx, or by a scan
 * that stops early when the term is common), each with how many it found (up to $3, so $3 means
 * there were more); then the first $2 of them by name. Bounding the candidates bounds the work:
 * ordering every product whose name holds a common word (25,000 of 1,000,000) costs 40 ms,
 * ordering 200 of them 5. The function exists because under row-level security the index cannot
 * serve ILIKE (not leakproof) for the application role (migration add_product_search_function).
 */
export const SEARCH_PRODUCTS_SQL = `
  SELECT id::text, sku, name, found FROM catalog.search_products($1, $3) ORDER BY name LIMIT $2`;

/**
 * Products whose name contains `term`, whatever the case, for a search box: up to `limit` by
 * name, from the first `candidates` found. `more` says there were more candidates than that.
 *
 * @example
 * const { products, more } = await searchProducts(pool, 'flour', { limit: 10 });
 */
export async function searchProducts(
  db: ClientScoped,
  term: string,
  options: { limit?: number; candidates?: number } = {},
): Promise<ProductSearch> {
  const limit = options.limit ?? 20;
  const candidates = options.candidates ?? 200;
  const { rows } = await db.query<ProductMatch & { found: string }>(SEARCH_PRODUCTS_SQL, [containsPattern(term), limit, candidates + 1]);
  return {
    products: rows.map(({ id, sku, name }) => ({ id, sku, name })),
    more: rows.length > 0 && Number(rows[0]!.found) > candidates,
  };
}
