/**
 * The `needs-list compute` command: computes a warehouse's needs list for a relief event (a new
 * DRAFT, committed) and prints it as a table, or as one JSON document with --json.
 */
import { withConnection } from '../db/database.ts';
import { computeNeedsList, eventIdByCode, warehouseIdByCode } from '../replenishment/needs-list.ts';
import { withClientFlag } from './client.ts';
import { UsageError } from './errors.ts';
import { type Io, printTable } from './io.ts';

/** `needs-list compute --event CODE --warehouse CODE [--at ISO-TIME] [--actor NAME] [--client CODE] [--json]` */
export async function needsListCompute(
  flags: { event?: string; warehouse?: string; at?: string; actor?: string; client?: string; json?: boolean },
  io: Io,
): Promise<void> {
  if (flags.event === undefined || flags.warehouse === undefined)
    throw new UsageError('needs-list compute needs --event CODE and --warehouse CODE; see --help');
  const at = flags.at === undefined ? undefined : new Date(flags.at);
  if (at !== undefined && Number.isNaN(at.getTime())) throw new UsageError(`--at must be a date and time (ISO 8601), got '${flags.at}'`);
  const { event, warehouse } = flags;
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
      `safety factor ${list.safetyFactor}, data freshness ${list.dataFreshnessLevel}, ${list.statusCode}`,
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
