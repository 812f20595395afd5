/**
 * Retrying work that lost a lock conflict. PostgreSQL undoes the whole transaction of a statement
 * that waited longer than `lock_timeout`, deadlocked, or failed a serializable check, so running it
 * again is safe: the migration runner retries a migration, the backfill runner a batch.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How often, and after what pauses, work that lost a lock conflict is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Pause before the first retry; it doubles at each retry up to `maxDelayMs`, with ±25 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * 10 attempts with pauses from 100 ms doubling to 3.2 s (Reshape's policy): rides out a lock held
 * for up to about 40 s, while a short `lock_timeout` keeps each attempt from queueing others behind it.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 3_200 };

/** lock_not_available (a `lock_timeout`), deadlock_detected, serialization_failure. */
const LOCK_CONFLICTS = new Set(['55P03', '40P01', '40001']);

/** Whether `error` is a lock conflict after which PostgreSQL undid the transaction, so that it may run again. */
export function isLockConflict(error: unknown): error is Error & { code: string } {
  return LOCK_CONFLICTS.has((error as { code?: unknown }).code as string);
}

/** The pause before retry number `retry` (1 for the first): exponential, capped, with ±25 % jitter. */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(exponential * (0.75 + 0.5 * random()));
}

/** A retry about to happen, for progress reports. */
export interface LockRetry {
  /** The attempt that will run next (2 for the first retry). */
  attempt: number;
  delayMs: number;
  /** The SQLSTATE and message of the conflict. */
  code: string;
  message: string;
}

/**
 * Runs `attempt`, and again after a growing pause while it fails with a lock conflict, at most
 * `policy.attempts` times in all. Throws the last conflict when attempts run out, and any other
 * error at once. `attempt` must leave nothing behind when it fails (one transaction, rolled back).
 *
 * @example
 * await retryOnLockConflict(() => runInTransaction(client, sql), { onRetry: (retry) => log(retry) });
 */
export async function retryOnLockConflict<T>(
  attempt: () => Promise<T>,
  options: { policy?: RetryPolicy; onRetry?: (retry: LockRetry) => void } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  for (let number = 1; ; number++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isLockConflict(error) || number >= policy.attempts) throw error;
      const delayMs = retryDelayMs(policy, number);
      options.onRetry?.({ attempt: number + 1, delayMs, code: error.code, message: error.message });
      await sleep(delayMs);
    }
  }
}
