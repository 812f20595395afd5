/**
 * The replenishment benchmark runs end to end at a tiny size (its numbers are not judged here: the
 * aims live in `npm run bench:replenishment`), computes every needs list of the event, reads both
 * views, and leaves no database.
 */
import { describe, expect, it } from '@jest/globals';
import { benchReplenishment } from '../../bench/replenishment.ts';
import { leftoverBenchDatabases, serverUrl } from '../harness/db.ts';

describe('npm run bench:replenishment', () => {
  it('loads the ledger, computes every needs list of the event, times the views, and drops the database', async () => {
    const lines: string[] = [];
    const result = await benchReplenishment({
      serverUrl: serverUrl(),
      warehouses: 7,
      products: 30,
      movementsPerLevel: 10,
      queries: 5,
      report: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ warehouses: 7, products: 30, movements: 7 * 30 * 10, needsListItems: 7 * 30 });
    // The short tenth of the products runs out in the two field warehouses, and the hubs' surplus covers part of it.
    expect(result.itemsWithGap).toBeGreaterThan(0);
    expect(result.claims).toBeGreaterThan(0);
    expect(result.stockStatus.rows).toBe(30);
    expect(result.inboundStock.rows).toBeGreaterThan(0);
    for (const value of [result.needsListsMs, result.stockStatus.p95Ms, result.inboundStock.p95Ms]) expect(value).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('[result] '))).toHaveLength(3);
    expect(await leftoverBenchDatabases()).toEqual([]);
  }, 120_000);
});
