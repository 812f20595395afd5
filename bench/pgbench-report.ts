/**
 * Reading pgbench's per-second aggregate logs (`--log --aggregate-interval=1`, PostgreSQL 15
 * format) and judging a window of them against a baseline: what a deploy under load cost the
 * application (anchors-operations §4.2 #4: "failed transactions: 0" says nothing about stalls, so
 * the per-second lines are read for zero-throughput seconds and max latency, and aborted clients
 * are counted apart from failed transactions).
 */

/** One aggregate line: an interval of `--aggregate-interval` seconds. Latencies in microseconds. */
export interface Interval {
  /** Unix time of the interval's start, in seconds. */
  start: number;
  transactions: number;
  sumLatencyUs: number;
  minLatencyUs: number;
  maxLatencyUs: number;
  /** Failed transactions (serialization or deadlock errors: pgbench retries nothing else, it aborts the client). */
  failures: number;
}

/**
 * Parses the lines of an aggregate log. PostgreSQL 15's pgbench writes every field whatever the
 * options: `interval_start num_transactions sum_latency sum_latency_2 min_latency max_latency
 * sum_lag sum_lag_2 min_lag max_lag skipped retried retries serialization_failures
 * deadlock_failures`; an older pgbench's shorter lines (no failure columns) read as 0 failures.
 */
export function parseAggregateLog(text: string): Interval[] {
  const intervals: Interval[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/).map(Number);
    if (fields.length < 6 || fields.some((field) => !Number.isFinite(field))) continue;
    const [start, transactions, sum, , min, max] = fields as [number, number, number, number, number, number];
    intervals.push({
      start,
      transactions,
      sumLatencyUs: sum,
      minLatencyUs: min,
      maxLatencyUs: max,
      failures: fields.length >= 15 ? fields[13]! + fields[14]! : 0,
    });
  }
  return intervals.sort((a, b) => a.start - b.start);
}

/** Several clients' log files (one per pgbench thread) merged into one line per second. */
export function mergeIntervals(logs: Interval[][]): Interval[] {
  const bySecond = new Map<number, Interval>();
  for (const interval of logs.flat()) {
    const seen = bySecond.get(interval.start);
    if (seen === undefined) {
      bySecond.set(interval.start, { ...interval });
      continue;
    }
    const busy = [seen, interval].filter((i) => i.transactions > 0);
    seen.minLatencyUs = busy.length === 0 ? 0 : Math.min(...busy.map((i) => i.minLatencyUs));
    seen.maxLatencyUs = Math.max(seen.maxLatencyUs, interval.maxLatencyUs);
    seen.transactions += interval.transactions;
    seen.sumLatencyUs += interval.sumLatencyUs;
    seen.failures += interval.failures;
  }
  return [...bySecond.values()].sort((a, b) => a.start - b.start);
}

/** What a window of seconds looked like to the application. */
export interface WindowSummary {
  seconds: number;
  transactions: number;
  failures: number;
  /** Seconds of the window with no transaction at all (a second missing from the log counts). */
  zeroThroughputSeconds: number;
  tps: number;
  meanLatencyMs: number;
  maxLatencyMs: number;
  /**
   * An upper bound of the 99th percentile latency, from the per-second maxima alone: fewer than
   * 1 % of the transactions ran in seconds whose maximum exceeds it, so fewer than 1 % exceed it.
   */
  p99AtMostMs: number;
}

/** Summarises the whole seconds in [fromSec, toSec) (Unix seconds). */
export function summarizeWindow(intervals: Interval[], fromSec: number, toSec: number): WindowSummary {
  const first = Math.floor(fromSec);
  const last = Math.ceil(toSec);
  const inside = intervals.filter((i) => i.start >= first && i.start < last);
  const seconds = Math.max(1, last - first);
  const transactions = inside.reduce((sum, i) => sum + i.transactions, 0);
  const busySeconds = new Set(inside.filter((i) => i.transactions > 0).map((i) => i.start));
  let zero = 0;
  for (let second = first; second < last; second++) if (!busySeconds.has(second)) zero++;
  return {
    seconds,
    transactions,
    failures: inside.reduce((sum, i) => sum + i.failures, 0),
    zeroThroughputSeconds: zero,
    tps: transactions / seconds,
    meanLatencyMs: transactions === 0 ? 0 : inside.reduce((sum, i) => sum + i.sumLatencyUs, 0) / transactions / 1000,
    maxLatencyMs: Math.max(0, ...inside.map((i) => i.maxLatencyUs)) / 1000,
    p99AtMostMs: p99UpperBound(inside, transactions) / 1000,
  };
}

/** Walks the seconds from the highest maximum down until they hold 1 % of the transactions: that second's maximum bounds the p99. */
function p99UpperBound(intervals: Interval[], total: number): number {
  if (total === 0) return 0;
  const byMax = intervals.filter((i) => i.transactions > 0).sort((a, b) => b.maxLatencyUs - a.maxLatencyUs);
  let seen = 0;
  for (const interval of byMax) {
    seen += interval.transactions;
    if (seen >= total * 0.01) return interval.maxLatencyUs;
  }
  return byMax.at(-1)?.maxLatencyUs ?? 0;
}

/** Clients pgbench aborted (an error other than serialization or deadlock: a lock timeout, a check). */
export function abortedClients(pgbenchOutput: string): number {
  return new Set([...pgbenchOutput.matchAll(/client (\d+) (?:script \d+ )?aborted/g)].map((match) => match[1])).size;
}

/** Throughput lost during the window against the baseline, in percent (negative: more than the baseline). */
export function throughputLossPercent(during: WindowSummary, before: WindowSummary): number {
  return before.tps === 0 ? 0 : (1 - during.tps / before.tps) * 100;
}

/** One line of the report: `safe deploy  41 s  8,200 tx  0 failed  0 zero-tps s  200.0 tps (-0.1 %)  max 95 ms  p99 <= 31 ms`. */
export function summaryLine(label: string, window: WindowSummary, before?: WindowSummary): string {
  const loss =
    before === undefined
      ? ''
      : ` (${throughputLossPercent(window, before) >= 0 ? '-' : '+'}${Math.abs(throughputLossPercent(window, before)).toFixed(1)} %)`;
  return (
    `${label.padEnd(14)} ${String(window.seconds).padStart(4)} s  ${window.transactions.toLocaleString('en-US').padStart(7)} tx  ` +
    `${window.failures} failed  ${window.zeroThroughputSeconds} zero-tps s  ${window.tps.toFixed(1)} tps${loss}  ` +
    `mean ${window.meanLatencyMs.toFixed(1)} ms  max ${window.maxLatencyMs.toFixed(0)} ms  p99 <= ${window.p99AtMostMs.toFixed(0)} ms`
  );
}
