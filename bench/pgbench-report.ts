/**
 * Reading pgbench's per-transaction logs (`--log` without `--aggregate-interval`, PostgreSQL 15
 * format) and judging a window of them against a baseline: what a deploy under load cost the
 * application (anchors-operations §4.2 #4: "failed transactions: 0" says nothing about stalls, so
 * the log is read for zero-throughput seconds and latencies, and aborted clients are counted apart
 * from failed transactions).
 *
 * Each line is one transaction, so percentiles are exact (no bound from per-second maxima), per
 * script as well (the log names the script of each transaction when several `-f` are given); the
 * per-second series is rebuilt from the completion times.
 */
import { percentile } from './support.ts';

/** One transaction of the log. Times in microseconds. */
export interface Transaction {
  /** pgbench's client number. */
  client: number;
  /** The script's position among the `-f` options, from 0. */
  script: number;
  /** Unix time the transaction ended, in µs. */
  endUs: number;
  /**
   * From its scheduled start to its end (with `--rate`, pgbench counts from the time the
   * transaction was due, so a transaction that waited behind a stalled one shows the wait);
   * undefined when it failed (a serialization or deadlock error: pgbench aborts the client on any other).
   */
  latencyUs: number | undefined;
}

/**
 * Parses a per-transaction log: `client_id transaction_no time script_no time_epoch time_us
 * [schedule_lag] [retries]`, where `time` is the latency in µs or `failed` (`serialization`,
 * `deadlock` with --failures-detailed) or `skipped` (--latency-limit: never sent, not counted).
 * Lines of any other shape (an aggregate log, garbage) are skipped.
 */
export function parseTransactionLog(text: string): Transaction[] {
  const transactions: Transaction[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6 || fields.length > 8) continue;
    const [client, , time, script, epoch, micros] = fields as [string, string, string, string, string, string];
    const numbers = [client, script, epoch, micros].map(Number);
    if (numbers.some((n) => !Number.isInteger(n))) continue;
    if (time === 'skipped') continue;
    const failed = time === 'failed' || time === 'serialization' || time === 'deadlock';
    if (!failed && !/^\d+$/.test(time)) continue;
    transactions.push({
      client: numbers[0]!,
      script: numbers[1]!,
      endUs: numbers[2]! * 1_000_000 + numbers[3]!,
      latencyUs: failed ? undefined : Number(time),
    });
  }
  return transactions;
}

/** One second of the run: the transactions that ended in it. */
export interface Second {
  /** Unix time of the second's start. */
  start: number;
  transactions: number;
  failures: number;
  maxLatencyUs: number;
}

/** The per-second series (seconds in which no transaction ended are absent). */
export function perSecond(transactions: readonly Transaction[]): Second[] {
  const bySecond = new Map<number, Second>();
  for (const t of transactions) {
    const start = Math.floor(t.endUs / 1_000_000);
    let second = bySecond.get(start);
    if (second === undefined) {
      second = { start, transactions: 0, failures: 0, maxLatencyUs: 0 };
      bySecond.set(start, second);
    }
    second.transactions++;
    if (t.latencyUs === undefined) second.failures++;
    else second.maxLatencyUs = Math.max(second.maxLatencyUs, t.latencyUs);
  }
  return [...bySecond.values()].sort((a, b) => a.start - b.start);
}

/** Latencies of a set of transactions, in ms (nearest-rank percentiles). */
export interface Latencies {
  transactions: number;
  failures: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latencies(transactions: readonly Transaction[]): Latencies {
  const ms = transactions.flatMap((t) => (t.latencyUs === undefined ? [] : [t.latencyUs / 1000]));
  const at = (p: number) => (ms.length === 0 ? 0 : percentile(ms, p));
  return {
    transactions: transactions.length,
    failures: transactions.length - ms.length,
    meanMs: ms.length === 0 ? 0 : ms.reduce((sum, value) => sum + value, 0) / ms.length,
    p50Ms: at(50),
    p95Ms: at(95),
    p99Ms: at(99),
    maxMs: ms.reduce((max, value) => Math.max(max, value), 0),
  };
}

/** What a window of seconds looked like to the application. */
export interface WindowSummary {
  seconds: number;
  /** Transactions that ended in the window's whole seconds. */
  transactions: number;
  failures: number;
  /** Seconds of the window in which no transaction ended. */
  zeroThroughputSeconds: number;
  tps: number;
  /**
   * Latencies of the transactions due (scheduled) inside the window, ended whenever: a
   * transaction queued behind a deploy's lock counts in the deploy's window even when it ends after it.
   */
  latency: Latencies;
  /** The same per script number (the `-f` order). */
  byScript: Record<number, Latencies>;
}

/** Summarises the window [fromSec, toSec) (Unix seconds): throughput over its whole seconds, latency of what was due in it. */
export function summarizeWindow(transactions: readonly Transaction[], fromSec: number, toSec: number): WindowSummary {
  const first = Math.floor(fromSec);
  const last = Math.ceil(toSec);
  const seconds = Math.max(1, last - first);
  const ended = perSecond(transactions).filter((s) => s.start >= first && s.start < last);
  const count = ended.reduce((sum, s) => sum + s.transactions, 0);
  const busy = new Set(ended.map((s) => s.start));
  let zero = 0;
  for (let second = first; second < last; second++) if (!busy.has(second)) zero++;
  const due = transactions.filter((t) => {
    const dueSec = (t.endUs - (t.latencyUs ?? 0)) / 1_000_000;
    return dueSec >= fromSec && dueSec < toSec;
  });
  const scripts = [...new Set(due.map((t) => t.script))].sort((a, b) => a - b);
  return {
    seconds,
    transactions: count,
    failures: ended.reduce((sum, s) => sum + s.failures, 0),
    zeroThroughputSeconds: zero,
    tps: count / seconds,
    latency: latencies(due),
    byScript: Object.fromEntries(scripts.map((script) => [script, latencies(due.filter((t) => t.script === script))])),
  };
}

/** Clients pgbench aborted (an error other than serialization or deadlock: a lock timeout, a check). */
export function abortedClients(pgbenchOutput: string): number {
  return new Set([...pgbenchOutput.matchAll(/client (\d+) (?:script \d+ )?aborted/g)].map((match) => match[1])).size;
}

/** Throughput lost during the window against the baseline, in percent (negative: more than the baseline). */
export function throughputLossPercent(during: WindowSummary, before: WindowSummary): number {
  return before.tps === 0 ? 0 : (1 - during.tps / before.tps) * 100;
}

function signedLoss(during: WindowSummary, before: WindowSummary): string {
  const loss = throughputLossPercent(during, before);
  return `${loss >= 0 ? '-' : '+'}${Math.abs(loss).toFixed(1)} %`;
}

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);

/** `p50 / p95 / p99 / max 2.1 / 9.8 / 31 / 95 ms` */
export function latencyFigures(l: Latencies): string {
  return `p50 / p95 / p99 / max ${ms(l.p50Ms)} / ${ms(l.p95Ms)} / ${ms(l.p99Ms)} / ${ms(l.maxMs)} ms`;
}

/** One line of the report: `safe deploy  41 s  8,200 tx  0 failed  0 zero-tps s  200.0 tps (-0.1 %)  mean 4.2 ms  p50 / p95 / p99 / max ...`. */
export function summaryLine(label: string, window: WindowSummary, before?: WindowSummary): string {
  const loss = before === undefined ? '' : ` (${signedLoss(window, before)})`;
  return (
    `${label.padEnd(14)} ${String(window.seconds).padStart(4)} s  ${window.transactions.toLocaleString('en-US').padStart(7)} tx  ` +
    `${window.failures} failed  ${window.zeroThroughputSeconds} zero-tps s  ${window.tps.toFixed(1)} tps${loss}  ` +
    (window.latency.transactions === 0
      ? 'no transaction due in the window ended (pgbench was still working through earlier ones)'
      : `mean ${window.latency.meanMs.toFixed(1)} ms  ${latencyFigures(window.latency)}`)
  );
}

/** One line per script: `  post_movement   3,001 due  p50 / p95 / p99 / max ...`. */
export function scriptLines(window: WindowSummary, names: readonly string[]): string[] {
  return Object.entries(window.byScript).map(
    ([script, l]) =>
      `${''.padEnd(16)}${(names[Number(script)] ?? `script ${script}`).padEnd(22)} ${l.transactions.toLocaleString('en-US').padStart(6)} due  ` +
      `${l.failures} failed  ${latencyFigures(l)}`,
  );
}
