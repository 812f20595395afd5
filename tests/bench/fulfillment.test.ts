/**
 * The fulfillment benchmark runs end to end at a tiny size (its numbers are not judged here: the
 * aims live in `npm run bench:fulfillment`): every distinct event stored once, none of the
 * duplicates, and every shipment's final status equal to the TypeScript reference.
 */
import { describe, expect, it } from '@jest/globals';
import { benchFulfillment, eventStream, referenceStatuses } from '../../bench/fulfillment.ts';
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
      shipments: 200,
    });
    for (const value of [result.ratio, result.statusP95Ms, result.historyP95Ms]) expect(value).toBeGreaterThan(0);
    expect(lines.some((line) => line.startsWith('[result] '))).toBe(true);
  });
});
