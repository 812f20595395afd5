/**
 * What the benchmarks share: a throw-away database per measurement, a client to load it for, the
 * application role against the superuser on the same queries, and order statistics.
 */
import type pg from 'pg';
import { connect, quoteIdent, urlForDatabase, urlForRole } from '../src/db/connect.ts';
import { type ClientPool, createClientPool } from '../src/db/tenancy.ts';

let databases = 0;

/**
 * Runs `fn`; when the process is interrupted meanwhile (SIGINT, SIGTERM), runs `cleanUp` and exits
 * with 130 or 143 (a second signal ends the process at once). A benchmark's finally blocks never run
 * on a signal, and the databases it made (gigabytes at full size) would stay on the server.
 *
 * @example
 * await cleanUpOnInterrupt(() => server.close(), () => measure(server));
 */
export async function cleanUpOnInterrupt<T>(cleanUp: () => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  const interrupted = (signal: NodeJS.Signals) => {
    stopListening();
    void cleanUp()
      .catch(() => {})
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  const stopListening = () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    return await fn();
  } finally {
    stopListening();
  }
}

/**
 * Runs `fn` connected to a new empty database on the server of `serverUrl`, dropped afterwards, and
 * also when the process is interrupted while `fn` runs ({@link cleanUpOnInterrupt}).
 */
export async function onFreshDatabase<T>(serverUrl: string, fn: (client: pg.Client, url: string) => Promise<T>): Promise<T> {
  const name = `sl_bench_${process.pid}_${databases++}`;
  const admin = await connect(serverUrl, 'supply-ledger bench');
  const drop = () => admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  try {
    return await cleanUpOnInterrupt(drop, async () => {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      const url = urlForDatabase(serverUrl, name);
      const client = await connect(url, 'supply-ledger bench');
      try {
        return await fn(client, url);
      } finally {
        await client.end();
      }
    });
  } finally {
    await drop();
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

/** The role applications log in as: row-level security applies to it. */
export const APP_ROLE = 'supply_ledger_app';

/**
 * Creates the client a benchmark's data belongs to and makes `client` (the superuser's loading
 * connection) work for it for the rest of its session, so that every row it inserts takes the
 * client from the columns' default. Returns the client's id.
 */
export async function loadAsClient(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO core.client (code, name) VALUES ('BENCH', 'Benchmark client') RETURNING id::text`,
  );
  const id = rows[0]!.id;
  await client.query(`SELECT set_config('app.client_id', $1, false)`, [id]);
  return id;
}

/**
 * Two single-connection pools on `url` working for the client `clientId`: one logged in as the
 * application role (row-level security on), one as the superuser of `url` (row-level security
 * bypassed), for timing the same queries both ways.
 */
export function rolePools(url: string, clientId: string): { app: ClientPool; superuser: ClientPool } {
  return {
    app: createClientPool(urlForRole(url, APP_ROLE), clientId, { applicationName: 'supply-ledger bench app', max: 1 }),
    superuser: createClientPool(url, clientId, { applicationName: 'supply-ledger bench superuser', max: 1 }),
  };
}

/** Durations in ms of the same work as the application role and as the superuser. */
export interface RoleTimings {
  app: number[];
  superuser: number[];
}

/**
 * Runs `fn(db, i)` for i = 0 .. times - 1 on `dbs.app` and on `dbs.superuser` (after two untimed
 * warm-up runs on each), alternating which goes first, so that a drift of the machine's speed or
 * of the cache hits both alike; `agree` may check that both gave the same answer.
 */
export async function timeAsBoth<D, R>(
  times: number,
  dbs: { app: D; superuser: D },
  fn: (db: D, i: number) => Promise<R>,
  agree: (app: R, superuser: R, i: number) => void = () => {},
): Promise<RoleTimings> {
  const timings: RoleTimings = { app: [], superuser: [] };
  const timed = async (db: D, i: number): Promise<[R, number]> => {
    const started = performance.now();
    const result = await fn(db, i);
    return [result, performance.now() - started];
  };
  for (let run = -2; run < times; run++) {
    const i = run < 0 ? run + 2 : run; // the warm-ups run i = 0 and 1
    let app: [R, number];
    let superuser: [R, number];
    if (run % 2 === 0) {
      app = await timed(dbs.app, i);
      superuser = await timed(dbs.superuser, i);
    } else {
      superuser = await timed(dbs.superuser, i);
      app = await timed(dbs.app, i);
    }
    agree(app[0], superuser[0], i);
    if (run < 0) continue;
    timings.app.push(app[1]);
    timings.superuser.push(superuser[1]);
  }
  return timings;
}

/** What row-level security costs a query: the application role's p50 and p95 against the superuser's, and their ratios. */
export interface RlsOverhead {
  appP50Ms: number;
  appP95Ms: number;
  superuserP50Ms: number;
  superuserP95Ms: number;
  /** App ÷ superuser. */
  ratioP50: number;
  ratioP95: number;
}

export function rlsOverhead(timings: RoleTimings): RlsOverhead {
  const [appP50Ms, appP95Ms] = [percentile(timings.app, 50), percentile(timings.app, 95)];
  const [superuserP50Ms, superuserP95Ms] = [percentile(timings.superuser, 50), percentile(timings.superuser, 95)];
  return { appP50Ms, appP95Ms, superuserP50Ms, superuserP95Ms, ratioP50: appP50Ms / superuserP50Ms, ratioP95: appP95Ms / superuserP95Ms };
}

/** The `[result]` line of an {@link RlsOverhead}, as the benchmarks report it. */
export function rlsOverheadLine(query: string, o: RlsOverhead): string {
  return (
    `[result] rls_overhead ${query} p50 app/superuser = ${o.ratioP50.toFixed(2)}, p95 app/superuser = ${o.ratioP95.toFixed(2)} ` +
    `(app ${o.appP50Ms.toFixed(2)} / ${o.appP95Ms.toFixed(2)} ms, superuser ${o.superuserP50Ms.toFixed(2)} / ${o.superuserP95Ms.toFixed(2)} ms)`
  );
}
