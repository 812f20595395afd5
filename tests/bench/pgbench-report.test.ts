/**
 * The deploy-under-load benchmark's reading of pgbench's per-transaction logs, on tiny hand-written
 * logs (no timing: the figures are the logs').
 */
import { describe, expect, it } from '@jest/globals';
import {
  abortedClients,
  parseTransactionLog,
  perSecond,
  scriptLines,
  summarizeWindow,
  summaryLine,
  throughputLossPercent,
} from '../../bench/pgbench-report.ts';

// PostgreSQL 15, --rate, no --max-tries: client_id transaction_no time script_no time_epoch time_us schedule_lag
// (time is the latency in µs, or "failed"; "skipped" lines were never sent).
const THREAD_0 = `0 1 1000 0 1000 100000 10
0 2 2000 1 1000 300000 10
0 3 3000 0 1000 500000 10
0 4 4000 1 1001 100000 10
0 5 failed 0 1001 200000 10
0 6 1500000 0 1003 600000 900000
`;
const THREAD_1 = `1 1 5000 0 1000 200000 10
1 2 6000 1 1001 400000 10
1 3 7000 0 1001 600000 10
1 4 skipped 0 1001 700000 0
1 5 8000 1 1003 900000 10
1000 20 20000 0 1000 4000 100 0 1 20 0 0 0 0 0
garbage line
`;

describe('pgbench per-transaction logs', () => {
  const transactions = [...parseTransactionLog(THREAD_0), ...parseTransactionLog(THREAD_1)];

  it('parses transactions with their script, end time and latency; a failed one has none, skipped and other lines are left out', () => {
    expect(transactions).toHaveLength(10);
    expect(transactions[0]).toEqual({ client: 0, script: 0, endUs: 1000_100000, latencyUs: 1000 });
    expect(transactions.filter((t) => t.latencyUs === undefined)).toEqual([
      { client: 0, script: 0, endUs: 1001_200000, latencyUs: undefined },
    ]);
    expect(new Set(transactions.map((t) => t.script))).toEqual(new Set([0, 1]));
  });

  it('rebuilds the per-second series from the end times: a second with no transaction is absent', () => {
    expect(perSecond(transactions).map((s) => [s.start, s.transactions, s.failures, s.maxLatencyUs])).toEqual([
      [1000, 4, 0, 5000],
      [1001, 4, 1, 7000],
      [1003, 2, 0, 1500000],
    ]);
  });

  it('counts the seconds without throughput, and gives exact percentiles of the transactions due in the window, per script too', () => {
    const window = summarizeWindow(transactions, 1000, 1004);
    expect(window).toMatchObject({ seconds: 4, transactions: 10, failures: 1, zeroThroughputSeconds: 1, tps: 2.5 });
    // The 9 latencies, in ms: 1 2 3 4 5 6 7 8 1500; nearest rank: p50 the 5th, p95 and p99 the 9th.
    expect(window.latency).toMatchObject({ transactions: 10, failures: 1, p50Ms: 5, p95Ms: 1500, p99Ms: 1500, maxMs: 1500 });
    expect(window.latency.meanMs).toBeCloseTo(1536 / 9);
    // Script 0: 1 3 5 7 1500 ms (and the failure); script 1: 2 4 6 8 ms.
    expect(window.byScript[0]).toMatchObject({ transactions: 6, failures: 1, p50Ms: 5, p99Ms: 1500, maxMs: 1500 });
    expect(window.byScript[1]).toMatchObject({ transactions: 4, failures: 0, p50Ms: 4, p95Ms: 8, p99Ms: 8, maxMs: 8 });
    expect(scriptLines(window, ['post_movement', 'read_levels'])).toEqual([
      '                post_movement               6 due  1 failed  p50 / p95 / p99 / max 5.0 / 1500 / 1500 / 1500 ms',
      '                read_levels                 4 due  0 failed  p50 / p95 / p99 / max 4.0 / 8.0 / 8.0 / 8.0 ms',
    ]);
  });

  it('puts a transaction in the window it was due in, even when it ended after it', () => {
    // The 1.5 s transaction ended in second 1003 but was due at 1002.1: it belongs to [1002, 1003).
    const stalled = summarizeWindow(transactions, 1002, 1003);
    expect(stalled).toMatchObject({ transactions: 0, zeroThroughputSeconds: 1 });
    expect(stalled.latency).toMatchObject({ transactions: 1, p99Ms: 1500 });
    const ended = summarizeWindow(transactions, 1003, 1004);
    expect(ended).toMatchObject({ transactions: 2, zeroThroughputSeconds: 0 });
    expect(ended.latency).toMatchObject({ transactions: 1, p99Ms: 8 });
  });

  it('compares throughput with a baseline and prints one line', () => {
    const window = summarizeWindow(transactions, 1000, 1004);
    const before = summarizeWindow(transactions, 1000, 1002);
    expect(before).toMatchObject({ seconds: 2, transactions: 8, zeroThroughputSeconds: 0, tps: 4 });
    expect(throughputLossPercent(window, before)).toBeCloseTo(37.5);
    expect(summaryLine('during', window, before)).toBe(
      'during            4 s       10 tx  1 failed  1 zero-tps s  2.5 tps (-37.5 %)  mean 170.7 ms  p50 / p95 / p99 / max 5.0 / 1500 / 1500 / 1500 ms',
    );
  });

  it('says so when no transaction due in the window ended, rather than printing zero latencies', () => {
    // Two transactions ended in second 1003, both due before 1003.95.
    const late = summarizeWindow(transactions, 1003.95, 1004);
    expect(late.latency.transactions).toBe(0);
    expect(summaryLine('after', late)).toBe(
      'after             1 s        2 tx  0 failed  0 zero-tps s  2.0 tps  no transaction due in the window ended (pgbench was still working through earlier ones)',
    );
  });

  it('counts aborted clients apart from failed transactions', () => {
    const output = `pgbench: error: client 3 script 0 aborted in command 1 query 0: ERROR:  canceling statement due to lock timeout
pgbench: error: client 1 script 1 aborted in command 2 query 0: ERROR:  deadlock
pgbench: error: client 3 script 0 aborted in command 1 query 0: again`;
    expect(abortedClients(output)).toBe(2);
    expect(abortedClients('number of failed transactions: 0 (0.000%)')).toBe(0);
  });
});
