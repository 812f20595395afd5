/** What the benchmarks share: a throw-away database per measurement, and order statistics. */
import type pg from 'pg';
import { connect, quoteIdent, urlForDatabase } from '../src/db/connect.ts';

let databases = 0;

/** Runs `fn` connected to a new empty database on the server of `serverUrl`, dropped afterwards. */
export async function onFreshDatabase<T>(serverUrl: string, fn: (client: pg.Client, url: string) => Promise<T>): Promise<T> {
  const name = `sl_bench_${process.pid}_${databases++}`;
  const admin = await connect(serverUrl, 'supply-ledger bench');
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    const url = urlForDatabase(serverUrl, name);
    const client = await connect(url, 'supply-ledger bench');
    try {
      return await fn(client, url);
    } finally {
      await client.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    await admin.end();
  }
}

/** The `p`-th percentile (0-100) of `values`, by the nearest-rank method. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
