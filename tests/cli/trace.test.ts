import { beforeAll, describe, expect, it } from '@jest/globals';
import { expectOneLine, runCli } from '../harness/cli.ts';
import { scratchDatabase, templateName } from '../harness/db.ts';
import { genealogy, sscc } from '../traceability/fixtures.ts';

describe('supply-ledger trace', () => {
  let url: string;
  let codes: { flour: string; egg: string; batch: string; rework: string; sscc: string };
  const trace = (args: string[]) => runCli(['trace', ...args], { DATABASE_URL: url });

  beforeAll(async () => {
    const scratch = await scratchDatabase({ template: templateName() });
    url = scratch.url;
    const g = genealogy(scratch.client);
    const [flour, egg] = [await g.lot({ quantity: 100, ftl: false }), await g.lot({ quantity: 30, unit: 'EA', ftl: true })];
    const batch = await g.batch({ quantity: 200, producedHour: 6 });
    await g.consume(batch, { lot: flour }, 50, 2);
    await g.consume(batch, { lot: egg }, 24, 2);
    const rework = await g.batch({ quantity: 40, producedHour: 12 });
    await g.consume(rework, { batch }, 20, 8);
    const pallet = await g.pallet({ sscc: sscc(77) });
    await g.palletise(pallet, rework, 40);
    codes = { flour: flour.tlc, egg: egg.tlc, batch: batch.batchNumber, rework: rework.batchNumber, sscc: sscc(77) };
  });

  it('forward prints the tree of what a lot reached, with prorated quantities', async () => {
    const run = await trace(['forward', codes.flour]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n').slice(0, 5)).toEqual([
      `forward trace of lot ${codes.flour}`,
      `lot ${codes.flour}  100 kg  IN_USE/PASSED`,
      `└─ batch ${codes.batch}  50 units  COMPLETED/PASSED`,
      `   └─ batch ${codes.rework}  5 units  COMPLETED/PASSED`,
      `      └─ pallet ${codes.sscc}  5  STORED`,
    ]);
  });

  it('backward prints where a pallet came from, suppliers included, and --json gives the nodes', async () => {
    const run = await trace(['backward', codes.sscc]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`lot ${codes.egg}  2.4 EA  IN_USE/PASSED  from Supplier`);
    const json = JSON.parse((await trace(['backward', codes.sscc, '--json'])).stdout);
    expect(json.start).toMatchObject({ kind: 'PALLET', code: codes.sscc });
    expect(json.nodes.map((node: { kind: string; code: string }) => `${node.kind} ${node.code}`).sort()).toEqual(
      [`BATCH ${codes.batch}`, `BATCH ${codes.rework}`, `LOT ${codes.egg}`, `LOT ${codes.flour}`, `PALLET ${codes.sscc}`].sort(),
    );
  });

  it('recall prints a table of what is affected and still on hand', async () => {
    const run = await trace(['recall', codes.egg]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^depth +kind +code +status +quality +recalled qty +on hand +consumed +warehouse$/);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/).slice(1, 3))).toEqual([
      ['lot', codes.egg],
      ['batch', codes.batch],
      ['batch', codes.rework],
      ['pallet', codes.sscc],
    ]);
  });

  it('fsma writes the sortable spreadsheet as CSV, or JSON', async () => {
    const run = await trace(['fsma', codes.egg]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Event ID,Critical tracking event,Role,Traceability lot code,Product description,Quantity,Unit of measure,Date,Location description,' +
        'Immediate previous source,Traceability lot code source,Traceability lot code source reference,Reference document type,' +
        'Reference document number,Food Traceability List,Missing key data elements',
    );
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['RECEIVING', 'TRANSFORMATION', 'TRANSFORMATION', 'TRANSFORMATION']);
    expect(lines[1]).toContain('"Bakery, 5 Oven Street, +1 555 0199"');
    const json = JSON.parse((await trace(['fsma', codes.egg, '--json', '--to', '2026-03-01'])).stdout);
    expect(json).toEqual([]);
  });

  it.each([
    [['forward', 'NO-SUCH-TLC'], 1, "no lot or batch has the code 'NO-SUCH-TLC'"],
    [['backward', 'NO-SUCH-PALLET'], 1, "no batch or pallet has the code 'NO-SUCH-PALLET'"],
    [['backward'], 2, 'trace needs a batch number, TLC, SSCC or pallet number; see --help'],
    [['forward', 'X', '--max-depth', '0'], 2, '--max-depth must be a whole number of at least 1'],
    [['fsma', 'X', '--from', '2026-02-30x'], 2, "--from must be a date as YYYY-MM-DD, got '2026-02-30x'"],
  ])('refuses %j in one line (exit %i)', async (args, code, message) => {
    const run = await trace(args);
    expect([run.code, run.stderr.trim()]).toEqual([code, `supply-ledger: ${message}`]);
    expectOneLine(run);
  });
});
