/**
 * The inventory benchmark runs end to end at a tiny size (its numbers are not judged here: speed
 * targets live in `npm run bench:inventory`), checks what it ingested, and leaves no database.
 */
import { describe, expect, it } from '@jest/globals';
import { benchInventory, searchTerms } from '../../bench/inventory.ts';
import { leftoverBenchDatabases, serverUrl } from '../harness/db.ts';

describe('npm run bench:inventory', () => {
  it('measures every part on a fresh database and drops it', async () => {
    const lines: string[] = [];
    const result = await benchInventory({
      serverUrl: serverUrl(),
      movements: 3_000,
      levels: 500,
      products: 1_000,
      chunk: 1_000,
      queries: 9,
      report: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ movements: 3_000, levels: 500, products: 1_000, search: { terms: 9 } });
    for (const value of [
      result.ingest.withTriggerMs,
      result.ingest.withoutTriggerMs,
      result.refreshAllMs,
      result.valuation.matviewP95Ms,
      result.search.p95Ms,
    ]) {
      expect(value).toBeGreaterThan(0);
    }
    // Row-level security's cost on each key query: the application role against the superuser.
    for (const overhead of Object.values(result.rls)) {
      for (const value of Object.values(overhead)) expect(value).toBeGreaterThan(0);
    }
    expect(Object.keys(result.rls)).toEqual(['valuation', 'liveValuation', 'search', 'stockLevel', 'postMovement']);
    expect(lines.filter((line) => line.startsWith('[result] rls_overhead '))).toHaveLength(5);
    expect(lines.some((line) => line.startsWith('[progress] ingest movements=3000/3000'))).toBe(true);
    expect(await leftoverBenchDatabases()).toEqual([]);
  });

  it('searches codes, words and phrases in equal parts', () => {
    const terms = searchTerms(30, 1_000);
    expect(['code', 'word', 'phrase'].map((kind) => terms.filter((t) => t.kind === kind).length)).toEqual([10, 10, 10]);
    expect(terms.filter((t) => t.kind === 'phrase').every((t) => t.term.includes(' '))).toBe(true);
  });
});
