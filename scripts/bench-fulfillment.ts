// npm run bench:fulfillment [-- options --json]: see bench/fulfillment.ts, bench/benchmark-snapshot.ts, bench/product-timing.ts.
import { benchCommand } from '../bench/command.ts';
import { type FulfillmentCase, benchFulfillmentCases } from '../bench/fulfillment.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { UsageError } from '../src/cli/errors.ts';
import { withDatabase } from '../src/db/database.ts';

const USAGE = `usage: npm run bench:fulfillment -- [--cases ingest,snapshot,timing (default all)]
  [--events N (default 1000000)] [--queries N (default 1000)] [--batch-size N (default 20000)]
  [--clients N (default 1000)] [--months N (default 12)] [--products-per-client N (default 20)]
  [--products N (default 1000000)] [--timing-batch-size N (default 5000)] [--timing-queries N (default 1000)] [--json]`;

const CASES: readonly FulfillmentCase[] = ['ingest', 'snapshot', 'timing'];

function cases(value: string | undefined): FulfillmentCase[] {
  if (value === undefined) return [...CASES];
  const chosen = value.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !CASES.includes(name as FulfillmentCase));
  if (unknown.length > 0) throw new UsageError(`--cases: unknown case ${unknown.join(', ')} (known: ${CASES.join(', ')})`);
  return chosen as FulfillmentCase[];
}

await benchCommand(
  'bench:fulfillment',
  USAGE,
  {
    cases: 'string',
    events: 'string',
    queries: 'string',
    'batch-size': 'string',
    clients: 'string',
    months: 'string',
    'products-per-client': 'string',
    products: 'string',
    'timing-batch-size': 'string',
    'timing-queries': 'string',
    json: 'boolean',
  },
  async (flags) => {
    const options = {
      cases: cases(flags.cases),
      events: positiveInteger(flags.events, '--events') ?? 1_000_000,
      queries: positiveInteger(flags.queries, '--queries') ?? 1_000,
      batchSize: positiveInteger(flags['batch-size'], '--batch-size') ?? 20_000,
      clients: positiveInteger(flags.clients, '--clients') ?? 1_000,
      months: positiveInteger(flags.months, '--months') ?? 12,
      productsPerClient: positiveInteger(flags['products-per-client'], '--products-per-client') ?? 20,
      products: positiveInteger(flags.products, '--products') ?? 1_000_000,
      timingBatchSize: positiveInteger(flags['timing-batch-size'], '--timing-batch-size') ?? 5_000,
      timingQueries: positiveInteger(flags['timing-queries'], '--timing-queries') ?? 1_000,
    };
    const r = await withDatabase(({ url }) => benchFulfillmentCases({ serverUrl: url, ...options, report: (line) => console.error(line) }));
    if (flags.json) {
      console.log(JSON.stringify(r));
      return;
    }
    const count = (value: number) => Math.round(value).toLocaleString('en');
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    const s = (value: number) => `${(value / 1000).toFixed(1)} s`;
    const met = (ok: boolean) => (ok ? 'met' : '**not met**');
    console.log('| case | measure | result | aim |');
    console.log('|---|---|---|---|');
    const i = r.ingest;
    if (i) {
      console.log(
        `| ingest | ${count(i.events)} events (${count(i.distinctEvents)} distinct, ${count(i.duplicatesSent)} duplicates, ${count(i.outOfOrder)} swapped), ${count(i.shipments)} shipments, batches of ${options.batchSize}, load ${i.loadBeforeIngest.toFixed(1)} | | |`,
      );
      console.log(`| ingest | ingest_carrier_events, application role | ${count(i.ingestPerSecond)} events/s (${s(i.ingestMs)}) | |`);
      console.log(
        `| ingest | plain INSERT, table without keys, indexes or triggers | ${count(i.plainPerSecond)} events/s (${s(i.plainMs)}) | |`,
      );
      console.log(
        `| ingest | INSERT ... ON CONFLICT DO NOTHING, copy with keys and indexes, no FKs, RLS or triggers | ${count(i.keyedPerSecond)} events/s (${s(i.keyedMs)}) | |`,
      );
      console.log(
        `| ingest | plain INSERT of each batch's new events, copy of the same structure (LIKE ... INCLUDING ALL) | ${count(i.samePerSecond)} events/s (${s(i.sameMs)}) | |`,
      );
      console.log(
        `| ingest | plain INSERT of each batch's new events into carrier_event itself, application role (twin client) | ${count(i.tablePerSecond)} events/s (${s(i.tableMs)}) | |`,
      );
      console.log(
        `| ingest | ratio ingest ÷ plain INSERT into carrier_event itself | ${i.ratioTable.toFixed(3)} | ≥ 0.5: ${met(i.ratioTable >= 0.5)} |`,
      );
      console.log(`| ingest | ratio ingest ÷ plain (keyless) | ${i.ratio.toFixed(3)} | (context: a table without keys) |`);
      console.log(`| ingest | ratio ingest ÷ keyed copy | ${i.ratioKeyed.toFixed(3)} | (what FKs, RLS, mapping and status cost) |`);
      console.log(
        `| ingest | ratio ingest ÷ plain INSERT, same structure | ${i.ratioSame.toFixed(3)} | (context: without the table's FKs, RLS, trigger, audit) |`,
      );
      console.log(
        `| ingest | events stored / duplicates stored | ${count(i.stored)} / ${count(i.duplicatesStored)} | ${count(i.distinctEvents)} / 0: ${met(i.stored === i.distinctEvents && i.duplicatesStored === 0)} |`,
      );
      console.log(
        `| ingest | final statuses ≠ TypeScript reference | ${count(i.statusMismatches)} | 0: ${met(i.statusMismatches === 0)} |`,
      );
      console.log(
        `| ingest | twin's final statuses (plain INSERT through the status trigger) ≠ reference | ${count(i.twinStatusMismatches)} | 0: ${met(i.twinStatusMismatches === 0)} |`,
      );
      console.log(
        `| reads | current status, p50 / p95 (${i.statusPlan}), load ${i.loadBeforeReads.toFixed(1)} | ${ms(i.statusP50Ms)} / ${ms(i.statusP95Ms)} | p95 ≤ 2 ms: ${met(i.statusP95Ms <= 2)} |`,
      );
      console.log(
        `| reads | event history, p50 / p95 (${i.historyPlan}) | ${ms(i.historyP50Ms)} / ${ms(i.historyP95Ms)} | p95 ≤ 2 ms: ${met(i.historyP95Ms <= 2)} |`,
      );
    }
    const b = r.snapshot;
    if (b) {
      console.log(
        `| snapshot | ${count(b.clients)} participants, ${count(b.products)} products, ${count(b.movements)} movements, ${count(b.orders)} orders (loaded in ${s(b.loadMs)}), load ${b.loadBefore.toFixed(1)} | | |`,
      );
      console.log(
        `| snapshot | compute + publish, ${b.months} months in all (${count(b.snapshotsPublished)} snapshots) | ${s(b.totalMs)} | ≤ 5 s: ${met(b.totalMs <= 5_000)} |`,
      );
      console.log(
        `| snapshot | compute, ${b.months} months in one call / publish, slowest month | ${s(b.computeMs)} / ${s(Math.max(...b.publishMs))} | |`,
      );
    }
    const t = r.timing;
    if (t) {
      console.log(
        `| projection | ${count(t.products)} products, ${count(t.movements)} movements (loaded in ${s(t.loadMs)}), load ${t.loadBefore.toFixed(1)} | | |`,
      );
      console.log(
        `| projection | backfill product-timing, ${count(t.batches)} batches of ${count(t.batchSize)} (${count(t.changed)} written, ${t.problems} problems) | ${s(t.backfillMs)} | ≤ 60 s: ${met(t.backfillMs <= 60_000)} |`,
      );
      console.log(
        `| projection | one product (productTiming), p50 / p95, right after the backfill (its dirty pages in shared buffers) | ${ms(t.afterRunP50Ms)} / ${ms(t.afterRunP95Ms)} | |`,
      );
      console.log(
        `| projection | one product (productTiming), p50 / p95, settled (after a CHECKPOINT) | ${ms(t.singleP50Ms)} / ${ms(t.singleP95Ms)} | p95 ≤ 1 ms: ${met(t.singleP95Ms <= 1)} |`,
      );
    }
  },
);
