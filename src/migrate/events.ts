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
  /** Something a reviewer should know that does not stop the run (applied migrations missing from the folder). */
  | { event: 'warning'; message: string }
  /** validate.sql of a migration ran (in a transaction rolled back afterwards). */
  | { event: 'verify'; name: string; result: 'passed' | 'failed' | 'no validate.sql'; message?: string };

export type Direction = 'up' | 'down';

export type Emit = (event: RunnerEvent) => void;
