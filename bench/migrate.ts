/**
 * `npm run bench:migrate`: the runner's deploy against the floor, executing the same migration
 * files one after another over one connection (what `prisma migrate deploy` sends, without any
 * bookkeeping). Both run on fresh databases of the same server, alternating, several rounds; the
 * medians and their ratio are reported. Creating the databases and connecting are not timed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { deploy } from '../src/migrate/deploy.ts';
import { readMigrations } from '../src/migrate/directory.ts';
import { median, onFreshDatabase } from './support.ts';

export interface BenchOptions {
  /** A URL on the server to benchmark on; databases are created and dropped there. */
  serverUrl: string;
  /** Folders of migrations to deploy, with a label each. */
  workloads: { label: string; migrationsDir: string }[];
  rounds: number;
  report: (line: string) => void;
}

export interface BenchResult {
  label: string;
  migrations: number;
  runnerMs: number[];
  floorMs: number[];
  runnerMedianMs: number;
  floorMedianMs: number;
  /** runner median / floor median. */
  ratio: number;
}

/** Writes `count` small migrations (a table and an index each) into a new temporary folder. */
export function generateMigrations(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bench-'));
  fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (let i = 0; i < count; i++) {
    const name = `2026010100${String(i).padStart(4, '0')}_add_item_${i}`;
    const table = `bench.item_${i}`;
    const sql = [
      i === 0 ? 'CREATE SCHEMA bench;' : '',
      `-- CreateTable`,
      `CREATE TABLE ${table} (id BIGSERIAL NOT NULL, name TEXT NOT NULL, quantity DECIMAL(18,4) NOT NULL DEFAULT 0,`,
      `  created_at TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT item_${i}_pkey PRIMARY KEY (id));`,
      `-- CreateIndex`,
      `CREATE INDEX item_${i}_name_idx ON ${table}(name);`,
    ].join('\n');
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), `${sql}\n`);
  }
  return dir;
}

/** Runs every workload `rounds` times each way and returns the timings. */
export async function benchMigrate(options: BenchOptions): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const { label, migrationsDir } of options.workloads) {
    const migrations = readMigrations(migrationsDir).length;
    const runnerMs: number[] = [];
    const floorMs: number[] = [];
    // Alternate which goes first, so that a drift of the machine's speed hits both alike.
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (['runner', 'floor'] as const) : (['floor', 'runner'] as const);
      for (const who of order) {
        const ms = await onFreshDatabase(options.serverUrl, (client) =>
          who === 'runner' ? timeRunner(client, migrationsDir) : timeFloor(client, migrationsDir),
        );
        (who === 'runner' ? runnerMs : floorMs).push(ms);
      }
      options.report(
        `[progress] ${label} round=${round + 1}/${options.rounds} runner=${runnerMs.at(-1)!.toFixed(1)}ms floor=${floorMs.at(-1)!.toFixed(1)}ms`,
      );
    }
    const runnerMedianMs = median(runnerMs);
    const floorMedianMs = median(floorMs);
    results.push({ label, migrations, runnerMs, floorMs, runnerMedianMs, floorMedianMs, ratio: runnerMedianMs / floorMedianMs });
  }
  return results;
}

async function timeRunner(client: pg.Client, migrationsDir: string): Promise<number> {
  const started = performance.now();
  await deploy(client, { migrationsDir });
  return performance.now() - started;
}

/** The floor: read each migration.sql in Prisma's order and send it as one query, nothing else. */
async function timeFloor(client: pg.Client, migrationsDir: string): Promise<number> {
  const started = performance.now();
  const names = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  for (const name of names) await client.query(fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8'));
  return performance.now() - started;
}
