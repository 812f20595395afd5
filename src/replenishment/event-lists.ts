/**
 * Every needs list of a relief event at once (issue 12): one per active warehouse of the event,
 * each computed by replenishment.compute_needs_list in a transaction of its own, a few at a time.
 * The database keeps lists computed at once from claiming the same surplus (sources locked in
 * product order before what is free is read), so lists may run side by side; each committed list
 * stands on its own (a DRAFT that the next computation supersedes).
 */
import type pg from 'pg';
import { InvalidArgumentError } from '../errors.ts';
import { retryOnLockConflict } from '../db/retry.ts';
import { type ClientId, withClient } from '../db/tenancy.ts';
import type { Id } from '../inventory/ledger.ts';
import { UnknownReliefObjectError } from './errors.ts';
import type { NeedsList } from './needs-list.ts';

/** What was computed for one warehouse: the list without its lines, and how many lines it has. */
export interface EventNeedsListSummary {
  warehouseId: string;
  warehouseCode: string;
  needsListId: string;
  needsListNo: string;
  dataFreshnessLevel: NeedsList['dataFreshnessLevel'];
  /** Lines of the list: one per active relief product. */
  items: number;
  /** Lines with a gap, and what covers it in all. */
  itemsWithGap: number;
  gapQty: string;
  transferQty: string;
  donationQty: string;
  procurementQty: string;
}

/**
 * Lists computed side by side when the caller names no number. Measured on 2 cores, every list of
 * bench:replenishment's event (50 warehouses x 2,000 products): 2 at a time took 0.57x the time of
 * one at a time and 3 at a time 0.70x (psql on copies of one database, PostgreSQL 15); the bench
 * itself 0.58x (4.2 against 7.3 s, PostgreSQL 18). The work is the server's: more lists than its
 * cores only queue.
 */
export const DEFAULT_LIST_CONCURRENCY = 2;

/**
 * Computes the needs list of every active warehouse of the event (warehouse_setting.event_id) for
 * the client `clientId`, each in its own transaction on `pool`, `concurrency` at a time, started in
 * warehouse code order; returns one summary per warehouse in that order. A list that loses a lock
 * conflict is computed again. Lists that compete for the same surplus are served in the order they
 * reach their claims: at `concurrency` 1, warehouse code order. On an error the lists under way
 * finish, no other starts, and the error is thrown; the lists committed before it stay. Throws
 * {@link UnknownReliefObjectError} when the client has no such event.
 * `onList` hears of each list as it is committed.
 *
 * @example
 * const lists = await computeEventNeedsLists(pool, clientId, { eventId, onList: (list) => console.log(list.needsListNo) });
 */
export async function computeEventNeedsLists(
  pool: pg.Pool,
  clientId: ClientId,
  input: { eventId: Id; at?: Date; actor?: string; concurrency?: number; onList?: (list: EventNeedsListSummary) => void },
): Promise<EventNeedsListSummary[]> {
  const concurrency = input.concurrency ?? DEFAULT_LIST_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError('concurrency', concurrency, 'a whole number of lists at a time, at least 1');
  }
  const at = input.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('at', input.at, 'a valid date and time');
  const warehouses = await withClient(pool, clientId, async (tx) => {
    const { rows } = await tx.query<{ id: string | null; code: string | null }>(
      `SELECT w.id::text, w.code::text
         FROM replenishment.event e
         LEFT JOIN replenishment.warehouse_setting s ON s.client_id = e.client_id AND s.event_id = e.id AND s.is_active
         LEFT JOIN catalog.warehouse w ON w.client_id = s.client_id AND w.id = s.warehouse_id
        WHERE e.id = $1
        ORDER BY w.code`,
      [String(input.eventId)],
    );
    if (rows.length === 0) throw new UnknownReliefObjectError('event', String(input.eventId));
    return rows.filter((row): row is { id: string; code: string } => row.id !== null);
  });
  const summaries: EventNeedsListSummary[] = new Array(warehouses.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < warehouses.length) {
      const index = next++;
      const warehouse = warehouses[index]!;
      try {
        summaries[index] = await retryOnLockConflict(() =>
          withClient(pool, clientId, async (tx) => {
            const { rows } = await tx.query<{ id: string }>('SELECT replenishment.compute_needs_list($1, $2, $3, $4)::text AS id', [
              String(input.eventId),
              warehouse.id,
              at,
              input.actor ?? null,
            ]);
            const summary = await tx.query<EventNeedsListSummary>(
              `SELECT n.warehouse_id::text AS "warehouseId", $2::text AS "warehouseCode", n.id::text AS "needsListId",
                      n.needs_list_no AS "needsListNo", n.data_freshness_level AS "dataFreshnessLevel",
                      count(i.id)::int AS items, (count(i.id) FILTER (WHERE i.gap_qty > 0))::int AS "itemsWithGap",
                      coalesce(sum(i.gap_qty), 0)::text AS "gapQty", coalesce(sum(i.transfer_qty), 0)::text AS "transferQty",
                      coalesce(sum(i.donation_qty), 0)::text AS "donationQty", coalesce(sum(i.procurement_qty), 0)::text AS "procurementQty"
                 FROM replenishment.needs_list n
                 LEFT JOIN replenishment.needs_list_item i ON i.client_id = n.client_id AND i.needs_list_id = n.id
                WHERE n.id = $1
                GROUP BY n.client_id, n.id`,
              [rows[0]!.id, warehouse.code],
            );
            return summary.rows[0]!;
          }),
        );
        input.onList?.(summaries[index]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, warehouses.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return summaries;
}
