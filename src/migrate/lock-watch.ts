/**
 * Deploy progress while a statement waits for a lock (issue 13): a second connection polls
 * pg_stat_activity and pg_locks for the runner's session and, while it waits (wait_event_type
 * Lock), reports which migration and statement wait, for which lock on which relation, for how
 * long, and who blocks it (pg_blocking_pids: pid, application, user, state, how long its
 * transaction has been open, what it runs). One `lock-blocked` event per statement and set of
 * blockers; lock_timeout and the retries still decide when the runner gives up.
 */
import pg from 'pg';
import type { Direction, Emit, LockBlocker } from './events.ts';

/** What the runner is doing, for the report. */
export interface WatchedWork {
  name: string;
  direction: Direction;
  /** The statement of a statement-by-statement file; undefined for a file that runs in one transaction. */
  statement?: { index: number; line: number; text: string } | undefined;
}

interface WaitRow {
  lock: string | null;
  waited_ms: number;
  blockers: LockBlocker[];
}

/** Polls for lock waits of one session while {@link LockWatcher.work} says what it is doing. */
export class LockWatcher {
  /** What the watched session is running now; nothing is reported while it is undefined. */
  work: WatchedWork | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastReported = '';
  private stopped = false;
  private polling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly watcher: pg.Client,
    private readonly pid: number,
    private readonly emit: Emit,
    private readonly intervalMs: number,
  ) {}

  /**
   * Watches `client`'s session from a connection of its own (same server, database and login).
   * Returns undefined, after a warning event, when that connection cannot be opened: the deploy
   * goes on without the report.
   */
  static async start(client: pg.Client, emit: Emit, intervalMs: number): Promise<LockWatcher | undefined> {
    if (intervalMs <= 0) return undefined;
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const watcher = new pg.Client({
      host: client.host,
      port: client.port,
      user: client.user,
      database: client.database,
      password: client.password,
      application_name: 'supply-ledger migrate lock watch',
    });
    watcher.on('error', () => {});
    try {
      await watcher.connect();
    } catch (error) {
      emit({ event: 'warning', message: `no lock-wait report: cannot open a second connection (${(error as Error).message})` });
      await watcher.end().catch(() => {});
      return undefined;
    }
    const lockWatcher = new LockWatcher(watcher, rows[0]!.pid, emit, intervalMs);
    lockWatcher.schedule();
    return lockWatcher;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const work = this.work;
    if (work === undefined) return;
    let row: WaitRow | undefined;
    try {
      const { rows } = await this.watcher.query<WaitRow>(
        `SELECT (SELECT format('%s on %s', l.mode, coalesce(l.relation::regclass::text, l.locktype))
                   FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted LIMIT 1) AS lock,
                (extract(epoch FROM clock_timestamp() - coalesce(a.query_start, a.state_change)) * 1000)::float8 AS waited_ms,
                coalesce((SELECT json_agg(json_build_object(
                           'pid', b.pid, 'application', b.application_name, 'user', b.usename, 'state', b.state,
                           'transactionMs', (extract(epoch FROM clock_timestamp() - b.xact_start) * 1000)::float8,
                           'query', left(b.query, 200)) ORDER BY b.pid)
                   FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid))), '[]') AS blockers
           FROM pg_stat_activity a
          WHERE a.pid = $1 AND a.wait_event_type = 'Lock'`,
        [this.pid],
      );
      row = rows[0];
    } catch {
      return; // the report is best effort: the deploy itself decides what happens
    }
    if (row === undefined || this.work !== work) return;
    const statement = work.statement === undefined ? '' : `${work.statement.index}`;
    const key = `${work.name} ${work.direction} ${statement} ${row.blockers.map((b) => b.pid).join(',')}`;
    if (key === this.lastReported) return;
    this.lastReported = key;
    this.emit({
      event: 'lock-blocked',
      name: work.name,
      direction: work.direction,
      ...(work.statement === undefined ? {} : { statement: work.statement }),
      lock: row.lock ?? 'a lock',
      waitedMs: row.waited_ms,
      blockers: row.blockers,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling.catch(() => {});
    await this.watcher.end().catch(() => {});
  }
}
