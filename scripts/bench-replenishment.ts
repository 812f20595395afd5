// npm run bench:replenishment [-- --warehouses N --products N --movements-per-level N --queries N --concurrency N --json]: see bench/replenishment.ts.
import { benchCommand } from '../bench/command.ts';
import { benchReplenishment } from '../bench/replenishment.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { withDatabase } from '../src/db/database.ts';

const USAGE = `usage: npm run bench:replenishment -- [--warehouses N (default 50)] [--products N (default 2000)] [--movements-per-level N (default 50)] [--queries N (default 200)] [--concurrency N (lists at a time, default 2)] [--json]`;

await benchCommand(
  'bench:replenishment',
  USAGE,
  { warehouses: 'string', products: 'string', 'movements-per-level': 'string', queries: 'string', concurrency: 'string', json: 'boolean' },
  async (flags) => {
    const options = {
      warehouses: positiveInteger(flags.warehouses, '--warehouses') ?? 50,
      products: positiveInteger(flags.products, '--products') ?? 2_000,
      movementsPerLevel: positiveInteger(flags['movements-per-level'], '--movements-per-level') ?? 50,
      queries: positiveInteger(flags.queries, '--queries') ?? 200,
      concurrency: positiveInteger(flags.concurrency, '--concurrency'),
    };
    const r = await withDatabase(({ url }) => benchReplenishment({ serverUrl: url, ...options, report: (line) => console.error(line) }));
    if (flags.json) {
      console.log(JSON.stringify(r));
      return;
    }
    const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
    console.log(
      `${r.warehouses} warehouses x ${r.products.toLocaleString('en')} products, ${r.movements.toLocaleString('en')} movements (loaded in ${(r.loadMs / 1000).toFixed(0)} s); ` +
        `${r.needsListItems.toLocaleString('en')} needs-list items, ${r.itemsWithGap.toLocaleString('en')} with a gap, ${r.claims.toLocaleString('en')} claims.`,
    );
    console.log('');
    console.log('| measure, as the application role | result | aim |');
    console.log('|---|---|---|');
    console.log(
      `| every needs list of the event (${r.warehouses}, one transaction each, ${r.concurrency} at a time) | ${ms(r.needsListsMs)} | ≤ 5 s |`,
    );
    console.log(
      `| v_stock_status of one warehouse (${r.stockStatus.rows} rows), p50 / p95 | ${ms(r.stockStatus.p50Ms)} / ${ms(r.stockStatus.p95Ms)} | p95 ≤ 20 ms |`,
    );
    console.log(
      `| v_inbound_stock of one warehouse (${r.inboundStock.rows} rows), p50 / p95 | ${ms(r.inboundStock.p50Ms)} / ${ms(r.inboundStock.p95Ms)} | p95 ≤ 20 ms |`,
    );
  },
);
