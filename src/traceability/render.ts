/**
 * Plain-text renderings of traces for people: an indented tree (each node under the node it was
 * reached from on a shortest path) and CSV for the FSMA 204 spreadsheet.
 */
import type { BackwardRow, ForwardRow, FsmaRow, NodeKind, ShipmentDetails, TraceNodeRef } from './trace.ts';

type Row = ForwardRow | BackwardRow;

const key = (kind: NodeKind, id: string) => `${kind}:${id}`;
const via = (row: Row) => ('parent' in row ? row.parent : row.child);

function describe(row: Row): string {
  const parts = [`${row.kind.toLowerCase()} ${row.code}`];
  if (row.quantity !== null) parts.push(`${trimZeros(row.quantity)}${row.unitOfMeasure ? ` ${row.unitOfMeasure}` : ''}`);
  const statuses = [row.status, row.qualityStatus].filter((status) => status !== null);
  if (statuses.length > 0) parts.push(statuses.join('/'));
  if ('supplier' in row && row.supplier) parts.push(`from ${row.supplier.name}`);
  if (row.shipment) parts.push(describeShipment(row.shipment));
  if (row.paths > 1) parts.push(`${row.paths} paths`);
  if (row.cycle) parts.push('CYCLE cut here');
  return parts.join('  ');
}

/** `to CUSTOMER (ship-to) by CARRIER, order N, shipped DAY, delivered DAY`: where a shipment went. */
export function describeShipment(shipment: ShipmentDetails): string {
  const day = (time: Date) => time.toISOString().slice(0, 10);
  const parts = [`to ${shipment.customerName}${shipment.shipToAddress ? ` (${shipment.shipToAddress})` : ''} by ${shipment.carrierCode}`];
  parts.push(`order ${shipment.orderNumber}`);
  parts.push(shipment.shippedAt ? `shipped ${day(shipment.shippedAt)}` : 'not shipped yet');
  if (shipment.deliveredAt) parts.push(`delivered ${day(shipment.deliveredAt)}`);
  return parts.join(', ');
}

/** 12.5000 -> 12.5, 40.0000 -> 40 */
function trimZeros(decimal: string): string {
  return decimal.includes('.') ? decimal.replace(/\.?0+$/, '') : decimal;
}

/**
 * The rows of a trace as an indented tree under its start, one line per node, children in the
 * order the rows come (nearest first, then by kind and code).
 *
 * @example
 * const { start, rows } = await traceForward(pool, 'TLC-EGG-001');
 * console.log(renderTree(start, rows, 'forward').join('\n'));
 */
export function renderTree(start: TraceNodeRef, rows: Row[], direction: 'forward' | 'backward'): string[] {
  const children = new Map<string, Row[]>();
  for (const row of rows) {
    const from = via(row);
    if (from === null) continue;
    const list = children.get(key(from.kind, from.id)) ?? [];
    list.push(row);
    children.set(key(from.kind, from.id), list);
  }
  const root = rows.find((row) => row.depth === 0);
  const lines = [`${direction} trace of ${start.kind.toLowerCase()} ${start.code}`];
  const walk = (row: Row, prefix: string, last: boolean, isRoot: boolean) => {
    lines.push(isRoot ? describe(row) : `${prefix}${last ? '└─ ' : '├─ '}${describe(row)}`);
    const next = children.get(key(row.kind, row.id)) ?? [];
    next.forEach((child, index) => walk(child, isRoot ? '' : `${prefix}${last ? '   ' : '│  '}`, index === next.length - 1, false));
  };
  if (root) walk(root, '', true, true);
  return lines;
}

const FSMA_COLUMNS: [keyof FsmaRow, string][] = [
  ['eventId', 'Event ID'],
  ['eventType', 'Critical tracking event'],
  ['eventRole', 'Role'],
  ['traceabilityLotCode', 'Traceability lot code'],
  ['productDescription', 'Product description'],
  ['quantity', 'Quantity'],
  ['unitOfMeasure', 'Unit of measure'],
  ['eventDate', 'Date'],
  ['locationDescription', 'Location description'],
  ['previousSourceDescription', 'Immediate previous source'],
  ['subsequentRecipientDescription', 'Immediate subsequent recipient'],
  ['tlcSourceDescription', 'Traceability lot code source'],
  ['tlcSourceReference', 'Traceability lot code source reference'],
  ['referenceDocumentType', 'Reference document type'],
  ['referenceDocumentNumber', 'Reference document number'],
  ['isFtlFood', 'Food Traceability List'],
  ['missingKdes', 'Missing key data elements'],
];

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The FSMA 204 records as CSV with a header row, the sortable spreadsheet FDA asks for.
 *
 * @example
 * fs.writeFileSync('fsma.csv', fsmaCsv(await fsmaExport(pool, 'TLC-EGG-001')));
 */
export function fsmaCsv(rows: FsmaRow[]): string {
  const lines = [FSMA_COLUMNS.map(([, title]) => csvField(title)).join(',')];
  for (const row of rows) lines.push(FSMA_COLUMNS.map(([column]) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
