/**
 * The replenishment benchmark runs end to end at a tiny size (its numbers are not judged here: the
 * aims live in `npm run bench:replenishment`), computes every needs list of the event, reads both
 * views, and leaves no database, also when it is interrupted.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { benchReplenishment } from '../../bench/replenishment.ts';
import { connect } from '../../src/db/connect.ts';
import { PROJECT_ROOT } from '../../src/db/env.ts';
import { leftoverBenchDatabases, serverUrl } from '../harness/db.ts';

describe('npm run bench:replenishment', () => {
  it('loads the ledger, computes every needs list of the event, times the views, and drops the database', async () => {
    const lines: string[] = [];
    const result = await benchReplenishment({
      serverUrl: serverUrl(),
      warehouses: 7,
      products: 30,
      movementsPerLevel: 10,
      queries: 5,
      report: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ warehouses: 7, products: 30, movements: 7 * 30 * 10, needsListItems: 7 * 30 });
    // The short tenth of the products runs out in the two field warehouses, and the hubs' surplus covers part of it.
    expect(result.itemsWithGap).toBeGreaterThan(0);
    expect(result.claims).toBeGreaterThan(0);
    expect(result.stockStatus.rows).toBe(30);
    expect(result.inboundStock.rows).toBeGreaterThan(0);
    for (const value of [result.needsListsMs, result.stockStatus.p95Ms, result.inboundStock.p95Ms]) expect(value).toBeGreaterThan(0);
    expect(lines.filter((line) => line.startsWith('[result] '))).toHaveLength(3);
    expect(await leftoverBenchDatabases()).toEqual([]);
  }, 120_000);

  it('interrupted (SIGTERM) while it measures, drops its database and exits with 143', async () => {
    // Node itself with tsx's loader (the tsx command would run the bench in a child process of
    // another pid, the pid the database is named after). --queries 1000000: the views are still
    // being timed when the signal arrives, however fast the machine.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT_ROOT, 'scripts', 'bench-replenishment.ts'),
        ...['--warehouses', '6', '--products', '10', '--movements-per-level', '5', '--queries', '1000000'],
      ],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: serverUrl() }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const measuring = new Promise<void>((resolve) =>
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('[result] needs_lists=')) resolve();
      }),
    );
    const admin = await connect(serverUrl());
    try {
      await Promise.race([measuring, exited]);
      expect(stderr).toContain('[result] needs_lists='); // not ended before it measured
      const databases = async () =>
        (await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`sl_bench_${child.pid}_%`])).rowCount;
      expect(await databases()).toBe(1);
      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(await databases()).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); // a failed test leaves no bench running
      await admin.end();
    }
  }, 120_000);
});
