/**
 * The deploy-under-load benchmark's reading of where slow transactions come from, on hand-written
 * samples and transactions (no timing: the figures are the inputs').
 */
import { describe, expect, it } from '@jest/globals';
import { type ActivitySample, SCRIPTS, scriptMix, summarizeActivity, tailAgainstLockWaits } from '../../bench/deploy-under-load.ts';
import type { Transaction } from '../../bench/pgbench-report.ts';

const sample = (atSec: number, events: Record<string, number>, extra: Partial<ActivitySample> = {}): ActivitySample => ({
  atMs: atSec * 1000,
  events,
  lockWaiting: Object.entries(events).reduce((sum, [event, n]) => sum + (event.startsWith('Lock:') ? n : 0), 0),
  longestLockMs: 0,
  autovacuumWorkers: 0,
  runnable: 2,
  ...extra,
});

describe('deploy under load: where the tail comes from', () => {
  const samples = [
    sample(100.0, { CPU: 2 }),
    sample(100.2, { CPU: 1, 'Lock:relation': 3 }, { longestLockMs: 150, runnable: 6 }),
    sample(100.4, { 'IO:WALSync': 1 }, { autovacuumWorkers: 1 }),
    sample(101.0, { CPU: 1 }, { runnable: 4 }),
  ];

  it('summarises the wait events of the active sessions, lock waits, autovacuum and the run queue', () => {
    const summary = summarizeActivity(samples);
    expect(summary).toMatchObject({
      samples: 4,
      lockMaxSessions: 3,
      lockLongestMs: 150,
      samplesWithAutovacuum: 1,
      runnableMean: 3.5,
      runnableMax: 6,
    });
    expect(summary.waits).toEqual([
      { event: 'CPU', share: 0.5 },
      { event: 'Lock:relation', share: 0.375 },
      { event: 'IO:WALSync', share: 0.125 },
    ]);
  });

  it('counts the transactions over 250 ms due in the window, and those that ran while the application waited for a lock', () => {
    const t = (endSec: number, latencyMs: number | undefined): Transaction => ({
      client: 0,
      script: 0,
      endUs: endSec * 1_000_000,
      latencyUs: latencyMs === undefined ? undefined : latencyMs * 1000,
    });
    const transactions = [
      t(100.5, 400), // 100.1 .. 100.5: the lock sample at 100.2 falls in it
      t(101.5, 300), // 101.2 .. 101.5: no lock sample
      t(100.5, 250), // at the aim, not over it
      t(100.5, undefined), // failed: no latency
      t(103.0, 2000), // due at 101.0: outside [100, 101), inside [101, 102)
    ];
    expect(tailAgainstLockWaits(transactions, samples, 100, 101)).toEqual({ overAim: 1, duringLockWaits: 1 });
    expect(tailAgainstLockWaits(transactions, samples, 101, 102)).toEqual({ overAim: 2, duringLockWaits: 0 });
    expect(tailAgainstLockWaits(transactions, samples, 100, 102)).toEqual({ overAim: 3, duringLockWaits: 1 });
  });

  it('states the mix of scripts from their weights', () => {
    expect(SCRIPTS.map((s) => s.name)).toEqual([
      'post_movement',
      'read_levels',
      'consume_lots',
      'ingest_carrier_events',
      'trace_lot',
      'recall_lot',
    ]);
    expect(scriptMix()).toBe(
      'post_movement 40 %, read_levels 20 %, consume_lots 15 %, ingest_carrier_events 15 %, trace_lot 5 %, recall_lot 5 %',
    );
  });
});
