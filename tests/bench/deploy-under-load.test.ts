/**
 * The deploy-under-load benchmark: its reading of where slow transactions come from, on
 * hand-written samples and transactions (no timing: the figures are the inputs'), and each of its
 * pgbench scripts run once by the system's pgbench as the application role on the data its load
 * makes, at a tiny size (their effects checked, never their speed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  type ActivitySample,
  SCRIPTS,
  loadBenchData,
  pgbenchPath,
  readLogs,
  scriptMix,
  startPgbench,
  summarizeActivity,
  tailAgainstLockWaits,
} from '../../bench/deploy-under-load.ts';
import type { Transaction } from '../../bench/pgbench-report.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';

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

describe('deploy under load: the pgbench scripts', () => {
  it('each runs once as supply_ledger_app on the loaded data and does what it says', async () => {
    const { url, client } = await scratchDatabase({ template: templateName() });
    const vars = await loadBenchData(client, 100, 100, () => {});
    expect(vars).toMatchObject({ products: 10, warehouses: 10, lots: 40, open_lots: 300, shipments: 10 });
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-test-pgbench-'));
    try {
      for (const script of SCRIPTS) {
        const run = startPgbench(pgbenchPath(), {
          url,
          work,
          label: script.name,
          clients: 1,
          vars,
          scripts: [script],
          run: { transactions: 1 },
        });
        const { output, code } = await run.done;
        expect({ script: script.name, code, aborted: /aborted/.test(output) }).toEqual({ script: script.name, code: 0, aborted: false });
        const logged = readLogs(run.prefix);
        expect(logged).toHaveLength(1);
        expect(logged[0]!.latencyUs).toEqual(expect.any(Number));
      }
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM inventory.stock_movement WHERE movement_type = 'RECEIPT')::int AS receipts,
                (SELECT count(*) FROM fulfillment.carrier_event)::int AS events,
                (SELECT count(DISTINCT shipment_id) FROM fulfillment.carrier_event)::int AS shipments,
                (SELECT count(*) FROM traceability.batch WHERE batch_number LIKE 'PGB-%' AND status = 'IN_PROGRESS')::int AS batches,
                (SELECT count(*) FROM traceability.batch_ingredient bi JOIN traceability.batch b ON b.id = bi.batch_id
                  WHERE b.batch_number LIKE 'PGB-%')::int AS consumed,
                (SELECT sum(consumed_quantity)::text FROM traceability.ingredient_lot WHERE tlc LIKE 'OPEN-LOT-%') AS taken`,
      );
      // Three events sent, one of them twice: stored once (the ingest is idempotent).
      expect(rows[0]).toEqual({ receipts: 1, events: 2, shipments: 1, batches: 1, consumed: 3, taken: '0.3400' });
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
