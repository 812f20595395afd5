/**
 * The trace commands as the application role would run them (DATABASE_URL logs in as
 * supply_ledger_app), working for the client --client names, on a scratch database with the test
 * clients A and B.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createPool, urlForRole } from '../../src/db/connect.ts';
import { withClient } from '../../src/db/tenancy.ts';
import { expectOneLine, runCli } from '../harness/cli.ts';
import { APP_ROLE, scratchDatabase, templateName } from '../harness/db.ts';
import { TEST_CLIENTS } from '../harness/template.ts';
import { genealogy, sscc } from '../traceability/fixtures.ts';

describe('supply-ledger trace', () => {
  /** The scratch database as the superuser, and as the application role. */
  let operatorUrl: string;
  let appUrl: string;
  let appPool: pg.Pool;
  let codes: { flour: string; egg: string; batch: string; rework: string; sscc: string; tracking: string };
  /** Client B's genealogy: its own lot with client A's flour TLC, in one batch. */
  let other: { lot: string; batch: string };
  const trace = (args: string[], client: string = TEST_CLIENTS.A.code) =>
    runCli(['trace', ...args, '--client', client], { DATABASE_URL: appUrl });

  beforeAll(async () => {
    const scratch = await scratchDatabase({ template: templateName() });
    operatorUrl = scratch.url;
    appUrl = urlForRole(scratch.url, APP_ROLE);
    appPool = createPool(appUrl);
    // Each client's genealogy written as the application role working for it, and committed.
    codes = await withClient(appPool, TEST_CLIENTS.A.id, async (tx) => {
      const g = genealogy(tx);
      const [flour, egg] = [await g.lot({ quantity: 100, ftl: false }), await g.lot({ quantity: 30, unit: 'EA', ftl: true })];
      const batch = await g.batch({ quantity: 200, producedHour: 6 });
      await g.consume(batch, { lot: flour }, 50, 2);
      await g.consume(batch, { lot: egg }, 24, 2);
      const rework = await g.batch({ quantity: 40, producedHour: 12 });
      await g.consume(rework, { batch }, 20, 8);
      const pallet = await g.pallet({ sscc: sscc(77) });
      await g.palletise(pallet, rework, 40);
      // The pallet leaves in a shipment to a customer (not posted yet: it can still be stopped).
      const tracking = g.unique('1Z-CLI');
      await tx.query(
        `WITH o AS (
           INSERT INTO fulfillment.order_request (order_number, customer_name, ship_to_address, status, warehouse_id)
           VALUES ($1, 'Corner Cafe', '12 High Street', 'APPROVED', $2) RETURNING id),
         i AS (INSERT INTO fulfillment.order_request_item (order_request_id, product_id, quantity) SELECT o.id, $3, 40 FROM o RETURNING id, order_request_id, product_id),
         s AS (INSERT INTO fulfillment.shipment (order_request_id, carrier_id, tracking_number)
               SELECT i.order_request_id, c.id, $4 FROM i, fulfillment.carrier c WHERE c.code = 'UPS' RETURNING id)
         INSERT INTO fulfillment.shipment_item (shipment_id, order_request_item_id, product_id, quantity, pallet_id)
         SELECT s.id, i.id, i.product_id, 40, $5 FROM s, i`,
        [g.unique('ORD-CLI'), g.defaultWarehouse, await g.product(), tracking, pallet.id],
      );
      return { flour: flour.tlc, egg: egg.tlc, batch: batch.batchNumber, rework: rework.batchNumber, sscc: sscc(77), tracking };
    });
    other = await withClient(appPool, TEST_CLIENTS.B.id, async (tx) => {
      const g = genealogy(tx);
      const lot = await g.lot({ tlc: codes.flour, quantity: 8 });
      const batch = await g.batch({ quantity: 16, producedHour: 6 });
      await g.consume(batch, { lot }, 8, 2);
      return { lot: lot.tlc, batch: batch.batchNumber };
    });
  });
  afterAll(() => appPool.end());

  it('forward prints the tree of what a lot reached, with prorated quantities, to the shipment and its customer', async () => {
    const run = await trace(['forward', codes.flour]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.split('\n').slice(0, 6)).toEqual([
      `forward trace of lot ${codes.flour}`,
      `lot ${codes.flour}  100 kg  IN_USE/PASSED`,
      `└─ batch ${codes.batch}  50 units  COMPLETED/PASSED`,
      `   └─ batch ${codes.rework}  5 units  COMPLETED/PASSED`,
      `      └─ pallet ${codes.sscc}  5  STORED`,
      expect.stringMatching(
        new RegExp(
          `^         └─ shipment ${codes.tracking}  5  PENDING  to Corner Cafe \\(12 High Street\\) by UPS, order ORD-CLI.*, not shipped yet$`,
        ),
      ),
    ]);
  });

  it('backward starts from a shipment by its tracking number, and --json carries the shipment', async () => {
    const json = JSON.parse((await trace(['backward', codes.tracking, '--json'])).stdout);
    expect(json.start).toMatchObject({ kind: 'SHIPMENT', code: codes.tracking });
    expect(json.nodes[0]).toMatchObject({
      kind: 'SHIPMENT',
      shipment: { customerName: 'Corner Cafe', carrierCode: 'UPS', shippedAt: null },
    });
    expect(json.nodes.map((node: { kind: string }) => node.kind)).toEqual(['SHIPMENT', 'PALLET', 'BATCH', 'BATCH', 'LOT', 'LOT']);
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

  it('recall prints a table of what is affected and still on hand, then the shipments and their customers', async () => {
    const run = await trace(['recall', codes.egg]);
    expect(run.code).toBe(0);
    const [affected, shipments] = run.stdout
      .trim()
      .split('\n\n')
      .map((table) => table.split('\n'));
    expect(affected![0]).toMatch(/^depth +kind +code +status +quality +recalled qty +on hand +consumed +warehouse$/);
    expect(affected!.slice(1).map((line) => line.split(/ {2,}/).slice(1, 3))).toEqual([
      ['lot', codes.egg],
      ['batch', codes.batch],
      ['batch', codes.rework],
      ['pallet', codes.sscc],
      ['shipment', codes.tracking],
    ]);
    expect(shipments![0]).toMatch(/^shipment +status +recalled qty +customer +ship to +carrier +order +shipped +delivered$/);
    expect(shipments!.slice(1).map((line) => line.split(/ {2,}/).slice(0, 6))).toEqual([
      [codes.tracking, 'PENDING', '2.4000', 'Corner Cafe', '12 High Street', 'UPS'],
    ]);
    const json = JSON.parse((await trace(['recall', codes.egg, '--json'])).stdout);
    expect(json.at(-1)).toMatchObject({ kind: 'SHIPMENT', recalledQuantity: '2.4000', shipment: { customerName: 'Corner Cafe' } });
  });

  it('fsma writes the sortable spreadsheet as CSV, or JSON', async () => {
    const run = await trace(['fsma', codes.egg]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Event ID,Critical tracking event,Role,Traceability lot code,Product description,Quantity,Unit of measure,Date,Location description,' +
        'Immediate previous source,Immediate subsequent recipient,Traceability lot code source,Traceability lot code source reference,Reference document type,' +
        'Reference document number,Food Traceability List,Missing key data elements',
    );
    expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['RECEIVING', 'TRANSFORMATION', 'TRANSFORMATION', 'TRANSFORMATION']);
    expect(lines[1]).toContain('"Bakery, 5 Oven Street, +1 555 0199"');
    const json = JSON.parse((await trace(['fsma', codes.egg, '--json', '--to', '2026-03-01'])).stdout);
    expect(json).toEqual([]);
  });

  it.each([
    [['forward', 'NO-SUCH-TLC'], 1, "no lot or batch has the code 'NO-SUCH-TLC'"],
    [['backward', 'NO-SUCH-PALLET'], 1, "no batch, pallet or shipment has the code 'NO-SUCH-PALLET'"],
    [['backward'], 2, 'trace needs a batch number, TLC, SSCC, pallet number or tracking number; see --help'],
    [['forward', 'X', '--max-depth', '0'], 2, '--max-depth must be a whole number of at least 1'],
    [['fsma', 'X', '--from', '2026-02-30x'], 2, "--from must be a date as YYYY-MM-DD, got '2026-02-30x'"],
  ])('refuses %j in one line (exit %i)', async (args, code, message) => {
    const run = await trace(args);
    expect([run.code, run.stderr.trim()]).toEqual([code, `supply-ledger: ${message}`]);
    expectOneLine(run);
  });

  describe('--client', () => {
    it("the same TLC in two clients: each client's trace finds its own lot and batches only", async () => {
      const [a, b] = [
        await trace(['forward', codes.flour, '--json']),
        await trace(['forward', codes.flour, '--json'], TEST_CLIENTS.B.code),
      ];
      expect([a.code, b.code]).toEqual([0, 0]);
      const nodes = (run: { stdout: string }) =>
        (JSON.parse(run.stdout) as { nodes: { kind: string; code: string; quantity: string }[] }).nodes.map(
          (node) => `${node.kind} ${node.code} ${node.quantity}`,
        );
      expect(nodes(a)).toEqual([
        `LOT ${codes.flour} 100.0000`,
        `BATCH ${codes.batch} 50.0000`,
        `BATCH ${codes.rework} 5.0000`,
        `PALLET ${codes.sscc} 5.0000`,
        `SHIPMENT ${codes.tracking} 5.0000`,
      ]);
      expect(nodes(b)).toEqual([`LOT ${other.lot} 8.0000`, `BATCH ${other.batch} 8.0000`]);
      // The codes are case-insensitive, as in core.client.
      expect((await trace(['forward', codes.flour, '--json'], TEST_CLIENTS.B.code.toLowerCase())).stdout).toBe(b.stdout);
    });

    it('refuses an unknown client code in one line, as a usage error', async () => {
      const run = await trace(['forward', codes.flour], 'NO-SUCH-CLIENT');
      expect([run.code, run.stderr.trim()]).toEqual([2, "supply-ledger: no active client has the code 'NO-SUCH-CLIENT'"]);
      expectOneLine(run);
    });

    it('without --client on a database of two clients: a usage error that lists their codes', async () => {
      // As an operator (the superuser), who may list every client.
      const run = await runCli(['trace', 'forward', codes.flour], { DATABASE_URL: operatorUrl });
      expect([run.code, run.stderr.trim()]).toEqual([
        2,
        `supply-ledger: --client CODE is needed: the database has 2 clients (${TEST_CLIENTS.A.code}, ${TEST_CLIENTS.B.code})`,
      ]);
      expectOneLine(run);
      // The application role sees no client until it works for one: it must always name it.
      const app = await runCli(['trace', 'forward', codes.flour], { DATABASE_URL: appUrl });
      expect([app.code, app.stderr.trim()]).toEqual([2, `supply-ledger: --client CODE is needed: ${APP_ROLE} cannot list the clients`]);
      expectOneLine(app);
    });

    it('without --client on a database of one client: that client', async () => {
      const single = await scratchDatabase({ template: templateName() });
      // Deleting a client is an operator's (the application role may not).
      // Its default lead times (rows every client gets, add_supply_replenishment) go first: a client whose rows remain stays.
      await single.client.query('DELETE FROM replenishment.lead_time_config WHERE client_id = $1', [TEST_CLIENTS.B.id]);
      await single.client.query('DELETE FROM core.client WHERE id = $1', [TEST_CLIENTS.B.id]);
      const pool = createPool(urlForRole(single.url, APP_ROLE));
      try {
        const tlc = await withClient(pool, TEST_CLIENTS.A.id, async (tx) => (await genealogy(tx).lot({ quantity: 3 })).tlc);
        const run = await runCli(['trace', 'forward', tlc], { DATABASE_URL: single.url });
        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(run.stdout).toContain(`lot ${tlc}  3 kg`);
      } finally {
        await pool.end();
      }
    });
  });
});
