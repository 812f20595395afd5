/**
 * `needs-list compute` as the application role would run it (DATABASE_URL logs in as
 * supply_ledger_app), on a scratch database holding the seed's relief event: the table, --json,
 * and one-line errors.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { urlForRole } from '../../src/db/connect.ts';
import { seed } from '../../src/seed/index.ts';
import { expectOneLine, runCli } from '../harness/cli.ts';
import { APP_ROLE, scratchDatabase, templateName } from '../harness/db.ts';

describe('supply-ledger needs-list compute', () => {
  let admin: pg.Client;
  let appUrl: string;
  const compute = (args: string[]) => runCli(['needs-list', 'compute', '--client', 'DEMO-BAKERY', ...args], { DATABASE_URL: appUrl });

  beforeAll(async () => {
    const scratch = await scratchDatabase({ template: templateName() });
    admin = scratch.client;
    await seed(admin, () => {});
    appUrl = urlForRole(scratch.url, APP_ROLE);
  });
  afterAll(() => admin.end());

  it('prints the list of a warehouse in the SURGE of the demo event, and --json gives it whole', async () => {
    const run = await compute(['--event', 'DEMO-FLOOD', '--warehouse', 'DBN', '--at', '2026-12-01T06:00:00Z']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^NL-DEMO-FLOOD-DBN-\d+: SURGE, demand 12 h, planning 72 h, safety factor 1\.5, data freshness (HIGH|MEDIUM|LOW), DRAFT$/,
    );
    expect(lines[1]).toMatch(/^sku\s+burn\/h\s+method/);
    expect(lines.some((line) => line.startsWith('DEMO-004'))).toBe(true);
    const json = JSON.parse(
      (await compute(['--event', 'DEMO-FLOOD', '--warehouse', 'DBN', '--at', '2026-12-01T06:00:00Z', '--json'])).stdout,
    );
    expect(json).toMatchObject({ eventPhase: 'SURGE', statusCode: 'DRAFT', planningWindowHours: 72 });
    // 40 + 30 issued over the 10 of 12 hours Durban had stock: 7 an hour; 7 x 72 x 1.5 = 756, nothing on hand.
    expect(json.items.find((item: { sku: string }) => item.sku === 'DEMO-004')).toMatchObject({
      burnRate: '7.0000',
      burnRateMethod: 'STOCKOUT_ADJUSTED',
      requiredQty: '756.0000',
      gapQty: '756.0000',
    });
    const { rows } = await admin.query(
      `SELECT count(*)::int AS superseded FROM replenishment.needs_list n JOIN core.client c ON c.id = n.client_id
        WHERE c.code = 'DEMO-BAKERY' AND n.status_code = 'SUPERSEDED'`,
    );
    expect(rows).toEqual([{ superseded: 3 }]);
  });

  it('refuses an unknown event or warehouse, and missing flags, in one line', async () => {
    const unknown = await compute(['--event', 'NO-SUCH', '--warehouse', 'DBN']);
    expect(unknown.code).toBe(1);
    expectOneLine(unknown);
    expect(unknown.stderr).toContain("no event 'NO-SUCH'");
    const missing = await compute(['--event', 'DEMO-FLOOD']);
    expect(missing.code).toBe(2);
    expectOneLine(missing);
    const help = await runCli(['needs-list', 'compute', '--help']);
    expect(help.stdout).toContain('--warehouse CODE');
    expect(help.stdout).toContain('--all-warehouses');
    for (const args of [
      ['--event', 'DEMO-FLOOD', '--warehouse', 'DBN', '--all-warehouses'],
      ['--event', 'DEMO-FLOOD', '--warehouse', 'DBN', '--concurrency', '2'],
      ['--event', 'DEMO-FLOOD', '--all-warehouses', '--concurrency', '0'],
    ]) {
      const refused = await compute(args);
      expect(refused.code).toBe(2);
      expectOneLine(refused);
    }
  });

  it('--all-warehouses computes the list of every warehouse of the event, a summary line each, progress on stderr; --json gives the summaries', async () => {
    const run = await compute(['--event', 'DEMO-FLOOD', '--all-warehouses', '--at', '2026-12-01T06:00:00Z']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^warehouse\s+needs list\s+freshness\s+lines\s+with gap\s+gap\s+transfer\s+donation\s+procure$/);
    const rows = lines.slice(1).map((line) => line.split(/\s+/));
    // The demo event's three warehouses, in code order, each with a new DRAFT.
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row[0])).toEqual([...rows.map((row) => row[0])].sort());
    expect(rows.every((row) => row[1]!.startsWith(`NL-DEMO-FLOOD-${row[0]}-`))).toBe(true);
    expect(run.stderr.trim().split('\n')).toHaveLength(3);
    expect(run.stderr).toMatch(/^\[progress\] needs_list=NL-DEMO-FLOOD-\S+ warehouse=\S+ done=1$/m);
    const json = JSON.parse(
      (await compute(['--event', 'DEMO-FLOOD', '--all-warehouses', '--concurrency', '1', '--at', '2026-12-01T06:00:00Z', '--json'])).stdout,
    );
    expect(json).toHaveLength(3);
    const durban = json.find((list: { warehouseCode: string }) => list.warehouseCode === 'DBN');
    // What the list of Durban alone gives (the test above): DEMO-004's gap of 756 among its lines.
    expect(durban).toMatchObject({ dataFreshnessLevel: expect.stringMatching(/^(HIGH|MEDIUM|LOW)$/) });
    expect(Number(durban.gapQty)).toBeGreaterThanOrEqual(756);
    const { rows: drafts } = await admin.query(
      `SELECT count(*)::int AS drafts FROM replenishment.needs_list n JOIN core.client c ON c.id = n.client_id
        WHERE c.code = 'DEMO-BAKERY' AND n.status_code = 'DRAFT' AND n.needs_list_no = ANY($1)`,
      [json.map((list: { needsListNo: string }) => list.needsListNo)],
    );
    expect(drafts).toEqual([{ drafts: 3 }]);
  });
});
