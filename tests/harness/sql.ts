import { expect } from '@jest/globals';
import type pg from 'pg';
import { recordObservation } from './observations.ts';

/**
 * Runs `attempt` under a savepoint and asserts that it fails with SQLSTATE `code` (and, when
 * given, on `constraint`); the transaction stays usable afterwards. What it saw is recorded for
 * the census (census.ts), which counts a constraint or trigger as tested only once seen failing.
 */
export async function expectSqlError(
  client: pg.ClientBase,
  attempt: () => Promise<unknown>,
  code: string,
  constraint?: string,
): Promise<void> {
  await client.query('SAVEPOINT expect_sql_error');
  let caught: { code?: string; constraint?: string; where?: string } | undefined;
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
  recordObservation(caught!);
}

let fkRestrict: Promise<string> | undefined;

/**
 * The SQLSTATE of a refusal by a foreign key's ON DELETE/UPDATE RESTRICT: 23001
 * (restrict_violation) from PostgreSQL 18, 23503 (foreign_key_violation) before (release notes
 * 18, commit 086c84b). The ledger's own refusals raise 23001 on every version.
 */
export function fkRestrictCode(client: pg.ClientBase): Promise<string> {
  fkRestrict ??= client
    .query<{ server_version_num: string }>('SHOW server_version_num')
    .then(({ rows }) => (Number(rows[0]!.server_version_num) >= 180_000 ? '23001' : '23503'));
  return fkRestrict;
}
