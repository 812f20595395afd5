import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { MigrationLockBusyError } from './errors.ts';

/** Prisma Migrate's advisory lock key: holding it excludes `prisma migrate` and this runner alike. */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;

/**
 * Runs `fn` while this session holds Prisma's advisory lock. The lock is polled with
 * `pg_try_advisory_lock` and a growing pause instead of a blocking `pg_advisory_lock`, so a
 * waiting runner never sits in a statement (or holds a snapshot) while another deploy runs.
 */
export async function withMigrationLock<T>(
  client: pg.Client,
  fn: () => Promise<T>,
  options: { waitMs: number; onWait?: (waitedMs: number) => void },
): Promise<T> {
  const started = Date.now();
  for (let pause = 50; ; pause = Math.min(pause * 2, 1_000)) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [PRISMA_ADVISORY_LOCK_KEY]);
    if (rows[0]?.locked) break;
    const waited = Date.now() - started;
    if (waited >= options.waitMs) {
      throw new MigrationLockBusyError(PRISMA_ADVISORY_LOCK_KEY, waited);
    }
    options.onWait?.(waited);
    await sleep(Math.min(pause, options.waitMs - waited));
  }
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
  }
}
