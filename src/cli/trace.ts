/**
 * The `trace` commands: forward and backward trace as trees, the recall report as a table, the
 * FSMA 204 records as CSV. Each takes --json for one JSON document on stdout.
 */
import type { ClientTransaction } from '../db/tenancy.ts';
import { withConnection } from '../db/database.ts';
import { fsmaCsv, renderTree } from '../traceability/render.ts';
import { positiveInteger } from './args.ts';
import { withClientFlag } from './client.ts';
import { UsageError } from './errors.ts';
import { type Io, printTable } from './io.ts';
import {
  type BackwardRow,
  type ForwardRow,
  type TraceNodeRef,
  fsmaExport,
  recallReport,
  traceBackward,
  traceForward,
} from '../traceability/trace.ts';

/** Runs `fn` on one connection, in a transaction working for the client `--client` names. */
function onClient<T>(code: string | undefined, fn: (tx: ClientTransaction) => Promise<T>): Promise<T> {
  return withConnection((client) => withClientFlag(client, code, fn), { applicationName: 'supply-ledger trace' });
}

function required(code: string | undefined, what: string): string {
  if (code === undefined) throw new UsageError(`trace needs ${what}; see --help`);
  return code;
}

/** `trace forward|backward CODE [--json] [--max-depth N]` */
export async function traceCommand(
  direction: 'forward' | 'backward',
  code: string | undefined,
  flags: { json?: boolean; 'max-depth'?: string; client?: string },
  io: Io,
) {
  const wanted = required(
    code,
    direction === 'forward' ? 'the TLC of a lot or batch' : 'a batch number, TLC, SSCC, pallet number or tracking number',
  );
  const options = { maxDepth: positiveInteger(flags['max-depth'], '--max-depth') };
  const { start, rows } = await onClient<{ start: TraceNodeRef; rows: (ForwardRow | BackwardRow)[] }>(flags.client, (client) =>
    direction === 'forward' ? traceForward(client, wanted, options) : traceBackward(client, wanted, options),
  );
  if (flags.json) io.out(JSON.stringify({ start, nodes: rows }, null, 2));
  else io.out(renderTree(start, rows, direction).join('\n'));
}

/** `trace recall TLC [--json]` */
export async function recallCommand(tlc: string | undefined, flags: { json?: boolean; client?: string }, io: Io) {
  const rows = await onClient(flags.client, (client) => recallReport(client, required(tlc, 'the TLC of the recalled lot or batch')));
  if (flags.json) {
    io.out(JSON.stringify(rows, null, 2));
    return;
  }
  const table = [
    ['depth', 'kind', 'code', 'status', 'quality', 'recalled qty', 'on hand', 'consumed', 'warehouse'],
    ...rows.map((r) => [
      String(r.depth),
      r.kind.toLowerCase(),
      r.code,
      r.status ?? '',
      r.qualityStatus ?? '',
      r.recalledQuantity ?? '',
      r.onHand ?? '',
      r.consumed ?? '',
      r.warehouseCode ?? '',
    ]),
  ];
  printTable(io, table);
  // Who to call: each shipment the recalled TLC left in, once, with its customer.
  const shipments = rows.flatMap((r) =>
    r.shipment ? [{ code: r.code, status: r.status, quantity: r.recalledQuantity, ...r.shipment }] : [],
  );
  if (shipments.length === 0) return;
  io.out('');
  printTable(io, [
    ['shipment', 'status', 'recalled qty', 'customer', 'ship to', 'carrier', 'order', 'shipped', 'delivered'],
    ...shipments.map((s) => [
      s.code,
      s.status ?? '',
      s.quantity ?? '',
      s.customerReference ? `${s.customerName} (${s.customerReference})` : s.customerName,
      s.shipToAddress ?? '',
      s.carrierCode,
      s.orderNumber,
      s.shippedAt?.toISOString() ?? '',
      s.deliveredAt?.toISOString() ?? '',
    ]),
  ]);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `trace fsma TLC [--from DATE] [--to DATE] [--json]`: CSV by default. */
export async function fsmaCommand(tlc: string | undefined, flags: { from?: string; to?: string; json?: boolean; client?: string }, io: Io) {
  for (const flag of ['from', 'to'] as const) {
    const value = flags[flag];
    if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`--${flag} must be a date as YYYY-MM-DD, got '${value}'`);
    }
  }
  const rows = await onClient(flags.client, (client) =>
    fsmaExport(client, required(tlc, 'the TLC to export'), { from: flags.from, to: flags.to }),
  );
  if (flags.json) io.out(JSON.stringify(rows, null, 2));
  else io.write(fsmaCsv(rows));
}
