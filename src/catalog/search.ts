import type pg from 'pg';

export interface ProductMatch {
  id: string;
  sku: string;
  name: string;
}

/** `term` as a LIKE pattern matching it anywhere, with LIKE's wildcards in it taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Products whose name contains `term`, whatever the case (served by the trigram index
 * product_name_trgm_idx for terms of three characters or more), by name.
 */
export async function searchProducts(db: pg.Pool | pg.ClientBase, term: string, limit = 20): Promise<ProductMatch[]> {
  const { rows } = await db.query<ProductMatch>(
    'SELECT id::text, sku, name FROM catalog.product WHERE name ILIKE $1 ORDER BY name LIMIT $2',
    [containsPattern(term), limit],
  );
  return rows;
}
