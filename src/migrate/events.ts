/**
 * What the runner reports while it works. The CLI prints these as lines of text, or with `--json`
 * writes each as one JSON object per line.
 */
export type RunnerEvent =
  /** Another run holds the migration lock; the runner keeps polling. */
  | { event: 'lock-wait'; waitedMs: number }
  /**
   * A migration starts: applied (`up`) or rolled back (`down`). `resumeAt` is the 0-based statement
   * an interrupted run resumes at; `role` the role its statements run as, when not the session user.
   */
  | {
      event: 'migration-start';
      name: string;
      direction: Direction;
      mode: 'transaction' | 'statements';
      statements: number;
      resumeAt?: number;
      role?: string;
    }
  /** One statement of a statement-by-statement file ran, or was skipped because an interrupted run had completed it. */
  | { event: 'statement'; name: string; direction: Direction; index: number; line: number; durationMs: number; skipped?: string }
  /** A statement waited longer than lock_timeout (or deadlocked): everything of the attempt was undone and it runs again after a pause. */
  | { event: 'retry'; name: string; direction: Direction; attempt: number; delayMs: number; code: string; message: string }
  | { event: 'migration-finish'; name: string; direction: Direction; durationMs: number }
  | { event: 'migration-fail'; name: string; direction: Direction; durationMs: number; message: string }
  /**
   * A statement has been waiting for a lock (deploy progress, lock-watch.ts): which migration and
   * statement (for a statement-by-statement file), which lock, for how long, and who blocks it.
   * lock_timeout still decides when the attempt gives up.
   */
  | {
      event: 'lock-blocked';
      name: string;
      direction: Direction;
      statement?: { index: number; line: number; text: string };
      /** `AccessExclusiveLock on catalog.product` */
      lock: string;
      waitedMs: number;
      blockers: LockBlocker[];
    }
  /** Something a reviewer should know that does not stop the run (applied migrations missing from the folder). */
  | { event: 'warning'; message: string }
  /** validate.sql of a migration ran (in a transaction rolled back afterwards). */
  | { event: 'verify'; name: string; result: 'passed' | 'failed' | 'no validate.sql'; message?: string };

export type Direction = 'up' | 'down';

/** A session that holds a lock a migration statement waits for (pg_blocking_pids, pg_stat_activity). */
export interface LockBlocker {
  pid: number;
  application: string;
  user: string;
  /** `idle in transaction`, `active`... */
  state: string | null;
  /** How long its transaction has been open, in ms; null outside a transaction. */
  transactionMs: number | null;
  /** Its current or last query, cut at 200 characters. */
  query: string;
}

export type Emit = (event: RunnerEvent) => void;
