import { EXIT, UserError } from '../errors.ts';

/** How the runner treats locks while it applies or rolls back migrations. */
export interface RunnerSettings {
  /** `lock_timeout` for migration statements, in ms: a statement waiting longer for a lock fails with 55P03. */
  lockTimeoutMs: number;
  /** `statement_timeout` for migration statements, in ms; 0 means none. */
  statementTimeoutMs: number;
  /** How long to wait for another run's migration lock (advisory lock 72707369), in ms. */
  lockWaitMs: number;
  /** Retries of a migration whose statement hit `lock_timeout` (SQLSTATE 55P03) or a deadlock (40P01). */
  retry: RetryPolicy;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Pause before the first retry; it doubles at each retry up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Defaults: a 2 s `lock_timeout` keeps a migration from queueing every other session behind it for
 * long; 10 attempts with pauses from 100 ms doubling to 3.2 s (Reshape's policy) ride out locks
 * held for up to about 40 s. Prisma's own lock wait is 10 s; a deploy elsewhere may need longer.
 */
export const DEFAULT_SETTINGS: RunnerSettings = {
  lockTimeoutMs: 2_000,
  statementTimeoutMs: 0,
  lockWaitMs: 60_000,
  retry: { attempts: 10, baseDelayMs: 100, maxDelayMs: 3_200 },
};

/** The pause before retry number `retry` (1 for the first): exponential, capped, with ±25 % jitter. */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential * (0.75 + 0.5 * random()));
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, min: 60_000, h: 3_600_000 };

/**
 * Parses a duration as PostgreSQL writes them (`500ms`, `2s`, `1min`, `1h`; a bare number is
 * milliseconds). Anything else is a usage error naming `what`.
 */
export function parseDuration(text: string, what: string): number {
  const match = /^\s*(\d+)\s*(ms|s|min|h)?\s*$/.exec(text);
  if (!match) throw new UserError(`${what} must be a duration such as 500ms, 2s or 1min, got '${text}'`, EXIT.USAGE);
  return Number(match[1]) * UNITS_MS[match[2] ?? 'ms']!;
}
