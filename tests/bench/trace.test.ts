/**
 * The traceability benchmark runs end to end at a tiny size (its numbers are not judged here: the
 * aims live in `npm run bench:trace`), loads the genealogy it planned, finds the SQL functions and
 * the per-hop walk in agreement from every start, and leaves no database.
 */
import { describe, expect, it } from '@jest/globals';
import { benchTrace, genealogySizeProblem, plannedGenealogy } from '../../bench/trace.ts';
import { leftoverBenchDatabases, serverUrl } from '../harness/db.ts';

describe('npm run bench:trace', () => {
  it('loads the planned genealogy, compares the SQL functions with the per-hop walk and with themselves as the superuser, and drops the database', async () => {
    const lines: string[] = [];
    const result = await benchTrace({
      serverUrl: serverUrl(),
      lots: 2_000,
      batches: 3_000,
      queries: 9,
      report: (line) => lines.push(line),
    });

    const { genealogy } = result;
    // 2 batches in 5 after the first rework one earlier batch; the latest 1 % (30) are not palletised, 2 to a pallet.
    expect(genealogy).toMatchObject({
      lots: 2_000,
      batches: 3_000,
      productionRuns: 300,
      reworkEdges: 1_199,
      palletEdges: 2_970,
      pallets: 1_485,
    });
    // 7 ingredients per batch, and one input more where a lot runs out mid-batch: at most once per lot.
    expect(genealogy.lotEdges).toBeGreaterThan(7 * 3_000);
    expect(genealogy.lotEdges).toBeLessThanOrEqual(7 * 3_000 + 2_000);
    expect(genealogy.edges).toBe(genealogy.lotEdges + genealogy.reworkEdges + genealogy.palletEdges);
    expect(genealogy.reworkDepths.reduce((sum, count) => sum + count, 0)).toBe(3_000);
    expect(genealogy.reworkDepths[0]).toBe(3_000 - 1_199);
    expect(genealogy.reworkDepths.length).toBeGreaterThan(3);

    for (const comparison of [result.forward, result.backward, result.recall]) {
      expect(comparison.agreed).toBe(9);
      expect(comparison.nodesP50).toBeGreaterThan(1);
      for (const value of [comparison.sqlP50Ms, comparison.sqlP95Ms, comparison.peerP50Ms, comparison.peerP95Ms])
        expect(value).toBeGreaterThan(0);
    }
    // Row-level security's cost on each SQL function: the application role against the superuser, from the same starts.
    expect(Object.keys(result.rls)).toEqual(['forward', 'backward', 'recall']);
    for (const overhead of Object.values(result.rls)) {
      for (const value of Object.values(overhead)) expect(value).toBeGreaterThan(0);
    }
    expect(lines.filter((line) => line.startsWith('[result] rls_overhead '))).toHaveLength(3);
    // A forward walk reads the start and queries each lot and batch it reaches; pallets end it.
    expect(result.forward.peerQueriesP50).toBeGreaterThan(1);
    expect(lines.some((line) => line.startsWith('[progress] genealogy lots=2000/2000'))).toBe(true);
    expect(lines.some((line) => line.startsWith('[progress] recall report p95'))).toBe(true);
    expect(await leftoverBenchDatabases()).toEqual([]);
  });

  it('plans one input per ingredient and batch, and one more where a lot runs out inside a batch', () => {
    // 2 lots per ingredient lasting 14 batches, the change falling between two batches for every ingredient.
    expect(plannedGenealogy(14, 14)).toEqual({
      lots: 14,
      batches: 14,
      pallets: 7,
      productionRuns: 2,
      lotEdges: 7 * 14,
      reworkEdges: 5,
      palletEdges: 14,
    });
    // Lots lasting 21 batches: each ingredient's change falls inside a batch.
    expect(plannedGenealogy(14, 21).lotEdges).toBe(7 * 21 + 7);
  });

  it('refuses a genealogy it cannot build', () => {
    expect(genealogySizeProblem(13, 100)).toMatch(/--lots must be at least 14/);
    expect(genealogySizeProblem(101, 100)).toMatch(/--lots must be at most --batches/);
    expect(genealogySizeProblem(14, 14)).toBeUndefined();
  });
});
