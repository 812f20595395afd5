/**
 * The `needs-list compute` command: computes a warehouse's needs list for a relief event (a new
 * DRAFT, committed) and prints it as a table, or as one JSON document with --json; with
 * --all-warehouses, the list of every active warehouse of the event, a summary line each.
 */
import { withConnection, withPool } from '../db/database.ts';
import { withClient } from '../db/tenancy.ts';
import { DEFAULT_LIST_CONCURRENCY, computeEventNeedsLists } from '../replenishment/event-lists.ts';
import { computeNeedsList, eventIdByCode, warehouseIdByCode } from '../replenishment/needs-list.ts';
import { positiveInteger } from './args.ts';
import { clientFromFlag, withClientFlag } from './client.ts';
import { UsageError } from './errors.ts';
import { type Io, printTable } from './io.ts';

interface ComputeFlags {
  event?: string;
  warehouse?: string;
  'all-warehouses'?: boolean;
  concurrency?: string;
  at?: string;
  actor?: string;
  client?: string;
  json?: boolean;
}

/** `needs-list compute --event CODE (--warehouse CODE | --all-warehouses [--concurrency N]) [--at ISO-TIME] [--actor NAME] [--client CODE] [--json]` */
export async function needsListCompute(flags: ComputeFlags, io: Io): Promise<void> {
  const all = flags['all-warehouses'] === true;
  if (flags.event === undefined || (flags.warehouse === undefined) === !all)
    throw new UsageError('needs-list compute needs --event CODE and one of --warehouse CODE or --all-warehouses; see --help');
  if (flags.concurrency !== undefined && !all) throw new UsageError('--concurrency goes with --all-warehouses');
  const at = flags.at === undefined ? undefined : new Date(flags.at);
  if (at !== undefined && Number.isNaN(at.getTime())) throw new UsageError(`--at must be a date and time (ISO 8601), got '${flags.at}'`);
  if (all) return computeAll(flags.event, flags, at, io);
  const { event, warehouse } = flags as { event: string; warehouse: string };
  const list = await withConnection(
    (client) =>
      withClientFlag(client, flags.client, async (tx) =>
        computeNeedsList(tx, {
          eventId: await eventIdByCode(tx, event),
          warehouseId: await warehouseIdByCode(tx, warehouse),
          ...(at === undefined ? {} : { at }),
          actor: flags.actor ?? 'supply-ledger cli',
        }),
      ),
    { applicationName: 'supply-ledger needs-list' },
  );
  if (flags.json) {
    io.out(JSON.stringify(list, null, 2));
    return;
  }
  io.out(
    `${list.needsListNo}: ${list.eventPhase}, demand ${list.demandWindowHours} h, planning ${list.planningWindowHours} h, ` +
      `safety factor ${Number(list.safetyFactor)}, data freshness ${list.dataFreshnessLevel}, ${list.statusCode}`,
  );
  const table = [
    ['sku', 'burn/h', 'method', 'available', 'inbound', 'required', 'gap', 'stockout h', 'transfer', 'donation', 'procure'],
    ...list.items.map((i) => [
      i.sku,
      i.burnRate,
      i.burnRateMethod,
      i.availableQty,
      i.inboundQty,
      i.requiredQty,
      i.gapQty,
      i.hoursToStockout ?? '-',
      i.transferQty,
      i.donationQty,
      i.procurementQty,
    ]),
  ];
  printTable(io, table);
}

/** --all-warehouses: every active warehouse of the event, a few lists at a time, a [progress] line (stderr) as each is committed. */
async function computeAll(event: string, flags: ComputeFlags, at: Date | undefined, io: Io): Promise<void> {
  const concurrency = positiveInteger(flags.concurrency, '--concurrency') ?? DEFAULT_LIST_CONCURRENCY;
  let done = 0;
  const lists = await withPool(
    async (pool) => {
      const clientId = await clientFromFlag(pool, flags.client);
      const eventId = await withClient(pool, clientId, (tx) => eventIdByCode(tx, event));
      return computeEventNeedsLists(pool, clientId, {
        eventId,
        ...(at === undefined ? {} : { at }),
        actor: flags.actor ?? 'supply-ledger cli',
        concurrency,
        onList: (list) => io.err(`[progress] needs_list=${list.needsListNo} warehouse=${list.warehouseCode} done=${++done}`),
      });
    },
    { applicationName: 'supply-ledger needs-list', max: concurrency },
  );
  if (flags.json) {
    io.out(JSON.stringify(lists, null, 2));
    return;
  }
  printTable(io, [
    ['warehouse', 'needs list', 'freshness', 'lines', 'with gap', 'gap', 'transfer', 'donation', 'procure'],
    ...lists.map((l) => [
      l.warehouseCode,
      l.needsListNo,
      l.dataFreshnessLevel,
      String(l.items),
      String(l.itemsWithGap),
      l.gapQty,
      l.transferQty,
      l.donationQty,
      l.procurementQty,
    ]),
  ]);
}
