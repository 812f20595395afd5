/**
 * The fulfillment benchmark runs end to end at a tiny size (its numbers are not judged here: the
 * aims live in `npm run bench:fulfillment`): every distinct event stored once, none of the
 * duplicates, and every shipment's final status equal to the TypeScript reference; the snapshot
 * case publishes its cohorts every month, the projection case projects every product.
 */
import { describe, expect, it } from '@jest/globals';
import { benchFulfillment, benchFulfillmentCases, eventStream, referenceStatuses } from '../../bench/fulfillment.ts';
import { serverUrl } from '../harness/db.ts';

describe('npm run bench:fulfillment', () => {
  it('plans duplicates and swaps, folds the reference, and ingests to the same statuses', async () => {
    const planned = eventStream(1, 200, 2_000);
    expect(planned).toMatchObject({ distinct: 1_800, duplicates: 200, swaps: 100 });
    expect(planned.stream).toHaveLength(2_000);
    expect(new Set(referenceStatuses(planned.stream).values())).toEqual(new Set(['DELIVERED', 'IN_TRANSIT', 'EXCEPTION']));

    const lines: string[] = [];
    const result = await benchFulfillment({
      serverUrl: serverUrl(),
      events: 2_000,
      queries: 20,
      batchSize: 250,
      report: (line) => lines.push(line),
    });
    expect(result).toMatchObject({
      events: 2_000,
      distinctEvents: 1_800,
      stored: 1_800,
      duplicatesStored: 0,
      statusMismatches: 0,
      twinStatusMismatches: 0,
      shipments: 200,
    });
    for (const value of [result.ratio, result.ratioKeyed, result.ratioSame, result.ratioTable, result.statusP95Ms, result.historyP95Ms])
      expect(value).toBeGreaterThan(0);
    expect(result.statusPlan).toMatch(/Index/);
    expect(result.historyPlan).toMatch(/Index/);
    expect(lines.some((line) => line.startsWith('[result] '))).toBe(true);
    // A fresh database with every migration deployed: a minute on a loaded machine.
  }, 180_000);

  it('computes and publishes every month of the snapshot case, and projects every product through the backfill runner', async () => {
    const result = await benchFulfillmentCases({
      serverUrl: serverUrl(),
      cases: ['snapshot', 'timing'],
      events: 0,
      queries: 0,
      batchSize: 1,
      // 60 participants: 5 in each of the 12 cohorts, each published every month.
      clients: 60,
      months: 2,
      productsPerClient: 3,
      products: 200,
      timingBatchSize: 50,
      timingQueries: 10,
      report: () => {},
    });
    expect(result.ingest).toBeUndefined();
    expect(result.snapshot).toMatchObject({ clients: 60, months: 2, products: 180, metricsRows: 120, snapshotsPublished: 24 });
    expect(result.snapshot!.publishMs).toHaveLength(2);
    expect(result.timing).toMatchObject({ products: 200, batches: 4, changed: 200, problems: 0 });
    expect(Object.values(result.timing!.statuses).reduce((a, b) => a + b, 0)).toBe(200);
    expect(result.timing!.statuses).toMatchObject({ STOCKED_OUT: 10, NO_DEMAND: 10, PROJECTED: 180 });
    // Two fresh databases with every migration deployed.
  }, 360_000);
});
