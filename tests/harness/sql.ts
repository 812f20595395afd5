import { expect } from '@jest/globals';
import type pg from 'pg';

/**
 * Runs `attempt` under a savepoint and asserts that it fails with SQLSTATE `code` (and, when
 * given, on `constraint`); the transaction stays usable afterwards.
 */
export async function expectSqlError(
  client: pg.ClientBase,
  attempt: () => Promise<unknown>,
  code: string,
  constraint?: string,
): Promise<void> {
  await client.query('SAVEPOINT expect_sql_error');
  let caught: { code?: string; constraint?: string; message?: string } | undefined;
  try {
    await attempt();
  } catch (error) {
    caught = error as typeof caught;
  }
  await client.query('ROLLBACK TO SAVEPOINT expect_sql_error');
  expect(caught).toBeDefined();
  expect({ code: caught?.code, ...(constraint === undefined ? {} : { constraint: caught?.constraint }) }).toEqual({
    code,
    ...(constraint === undefined ? {} : { constraint }),
  });
}
