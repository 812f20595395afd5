/**
 * Deploy progress while a statement waits for a lock (issue 13): the runner names the migration,
 * the statement, the lock, and who blocks it.
 */
import { describe, expect, it } from '@jest/globals';
import { eventPrinter } from '../../src/cli/migrate.ts';
import { connect } from '../../src/db/connect.ts';
import { deploy } from '../../src/migrate/deploy.ts';
import type { RunnerEvent } from '../../src/migrate/events.ts';
import { scratchDatabase } from '../harness/db.ts';
import { migrationsFolder } from '../harness/fixtures.ts';

describe('deploy progress under a lock', () => {
  it.each([
    ['a statement-by-statement file', '-- supply-ledger: no-transaction\nSELECT 1;\nALTER TABLE probe ADD COLUMN note text;\n', true],
    ['a file in one transaction', 'ALTER TABLE probe ADD COLUMN note text;\n', false],
  ])('names the waiting statement of %s and the session that blocks it', async (_, sql, byStatement) => {
    const { url, client } = await scratchDatabase();
    const create = { '20260101000000_create_probe': 'CREATE TABLE probe (id bigint);' };
    await deploy(client, { migrationsDir: migrationsFolder(create) });
    const dir = migrationsFolder({ ...create, '20260102000000_add_note': sql });
    const blocker = await connect(url, 'probe blocker');
    const events: RunnerEvent[] = [];
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT count(*) FROM probe');
      const deploying = deploy(
        client,
        { migrationsDir: dir },
        {
          settings: { lockTimeoutMs: 120_000, lockWatchMs: 50 },
          emit: (event) => events.push(event),
        },
      );
      let settled = false;
      void deploying.finally(() => (settled = true)).catch(() => {});
      // The deploy waits until the blocker commits; the report comes meanwhile.
      while (!settled && !events.some((event) => event.event === 'lock-blocked')) await new Promise((resolve) => setTimeout(resolve, 50));
      await blocker.query('COMMIT');
      await deploying;
    } finally {
      await blocker.end();
    }
    const { rows } = await client.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = 'probe blocker'`);
    expect(rows).toEqual([]);
    const blocked = events.filter((event) => event.event === 'lock-blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({
      name: '20260102000000_add_note',
      direction: 'up',
      lock: 'AccessExclusiveLock on probe',
      blockers: [{ application: 'probe blocker', state: 'idle in transaction', query: 'SELECT count(*) FROM probe' }],
    });
    if (byStatement) expect(blocked[0]).toMatchObject({ statement: { index: 1, line: 3, text: 'ALTER TABLE probe ADD COLUMN note text' } });
    else expect(blocked[0]).not.toHaveProperty('statement');
  });
});

describe('the lock-blocked line', () => {
  it('names the migration, the statement, the lock and each blocker', () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: () => {}, write: () => {}, writeErr: () => {} };
    eventPrinter(io)({
      event: 'lock-blocked',
      name: '20260102000000_add_note',
      direction: 'up',
      statement: { index: 1, line: 3, text: 'ALTER TABLE probe ADD COLUMN note text' },
      lock: 'AccessExclusiveLock on probe',
      waitedMs: 2500,
      blockers: [{ pid: 42, application: 'psql', user: 'ops', state: 'idle in transaction', transactionMs: 61_000, query: 'SELECT 1' }],
    });
    expect(lines).toEqual([
      '  20260102000000_add_note (statement 2, line 3: ALTER TABLE probe ADD COLUMN note text) waiting 2.5 s for AccessExclusiveLock on probe, ' +
        'blocked by pid 42 (psql, idle in transaction, transaction open 61.0 s: SELECT 1)',
    ]);
  });
});
