/**
 * The deploy-under-load benchmark's reading of pgbench's aggregate logs, on tiny hand-written logs
 * (no timing: the figures are the logs').
 */
import { describe, expect, it } from '@jest/globals';
import {
  abortedClients,
  mergeIntervals,
  parseAggregateLog,
  summarizeWindow,
  summaryLine,
  throughputLossPercent,
} from '../../bench/pgbench-report.ts';

// PostgreSQL 15: interval_start num_transactions sum_latency sum_latency_2 min_latency max_latency sum_lag sum_lag_2 min_lag max_lag
// skipped retried retries serialization_failures deadlock_failures
const THREAD_0 = `1000 10 20000 0 1000 4000 100 0 1 20 0 0 0 0 0
1001 10 20000 0 1000 3000 100 0 1 20 0 0 0 0 0
1003 4 4000000 0 900000 1500000 100 0 1 20 0 0 0 0 1
`;
const THREAD_1 = `1000 10 10000 0 500 2000 100 0 1 20 0 0 0 0 0
1001 10 10000 0 500 90000 100 0 1 20 0 0 0 0 0
1003 6 6000 0 600 1200 100 0 1 20 0 0 0 0 0
garbage line
`;

describe('pgbench aggregate logs', () => {
  it('parses, merges threads per second, and finds the zero-throughput second, the maximum and a p99 bound', () => {
    const merged = mergeIntervals([parseAggregateLog(THREAD_0), parseAggregateLog(THREAD_1)]);
    expect(merged.map((i) => [i.start, i.transactions, i.minLatencyUs, i.maxLatencyUs, i.failures])).toEqual([
      [1000, 20, 500, 4000, 0],
      [1001, 20, 500, 90000, 0],
      [1003, 10, 600, 1500000, 1],
    ]);
    const window = summarizeWindow(merged, 1000, 1004);
    expect(window).toMatchObject({ seconds: 4, transactions: 50, failures: 1, zeroThroughputSeconds: 1, tps: 12.5, maxLatencyMs: 1500 });
    // 1 % of 50 transactions is within the 10 of second 1003, whose maximum is the bound.
    expect(window.p99AtMostMs).toBe(1500);
    const before = summarizeWindow(merged, 1000, 1002);
    expect(before).toMatchObject({ seconds: 2, transactions: 40, zeroThroughputSeconds: 0, tps: 20, maxLatencyMs: 90 });
    expect(throughputLossPercent(window, before)).toBeCloseTo(37.5);
    expect(summaryLine('during', window, before)).toBe(
      'during            4 s       50 tx  1 failed  1 zero-tps s  12.5 tps (-37.5 %)  mean 81.3 ms  max 1500 ms  p99 <= 1500 ms',
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
