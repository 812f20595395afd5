// npm run bench:fulfillment [-- --events N --queries N --batch-size N --json]: see bench/fulfillment.ts.
import { benchCommand } from '../bench/command.ts';
import { benchFulfillment } from '../bench/fulfillment.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { withDatabase } from '../src/db/database.ts';

const USAGE = `usage: npm run bench:fulfillment -- [--events N (default 1000000)] [--queries N (default 1000)] [--batch-size N (default 5000)] [--json]`;

await benchCommand(
  'bench:fulfillment',
  USAGE,
  { events: 'string', queries: 'string', 'batch-size': 'string', json: 'boolean' },
  async (flags) => {
    const options = {
      events: positiveInteger(flags.events, '--events') ?? 1_000_000,
      queries: positiveInteger(flags.queries, '--queries') ?? 1_000,
      batchSize: positiveInteger(flags['batch-size'], '--batch-size') ?? 5_000,
    };
    const r = await withDatabase(({ url }) => benchFulfillment({ serverUrl: url, ...options, report: (line) => console.error(line) }));
    if (flags.json) {
      console.log(JSON.stringify(r));
      return;
    }
    const count = (value: number) => Math.round(value).toLocaleString('en');
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    console.log(
      `Carrier events: ${count(r.events)} sent (${count(r.distinctEvents)} distinct, ${count(r.duplicatesSent)} duplicates, ${count(r.outOfOrder)} swapped out of order) for ${count(r.shipments)} shipments, batches of ${options.batchSize}.`,
    );
    console.log('');
    console.log('| measure | result | aim |');
    console.log('|---|---|---|');
    console.log(
      `| ingest (ingest_carrier_events, application role) | ${count(r.ingestPerSecond)} events/s (${(r.ingestMs / 1000).toFixed(1)} s) | |`,
    );
    console.log(
      `| plain INSERT of the same rows (no keys, indexes or triggers) | ${count(r.plainPerSecond)} events/s (${(r.plainMs / 1000).toFixed(1)} s) | |`,
    );
    console.log(`| throughput ratio, ingest ÷ plain | ${r.ratio.toFixed(2)} | ≥ 0.5 |`);
    console.log(
      `| events stored / duplicates stored | ${count(r.stored)} / ${count(r.duplicatesStored)} | ${count(r.distinctEvents)} / 0 |`,
    );
    console.log(`| final statuses differing from the TypeScript reference | ${count(r.statusMismatches)} | 0 |`);
    console.log(`| current status of a shipment, p50 / p95 | ${ms(r.statusP50Ms)} / ${ms(r.statusP95Ms)} | p95 ≤ 2 ms |`);
    console.log(`| event history of a shipment, p50 / p95 | ${ms(r.historyP50Ms)} / ${ms(r.historyP95Ms)} | p95 ≤ 2 ms |`);
  },
);
