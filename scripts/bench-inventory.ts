// npm run bench:inventory [-- --movements N --levels N --products N --json]: see bench/inventory.ts.
import { benchCommand } from '../bench/command.ts';
import { benchInventory } from '../bench/inventory.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { UsageError } from '../src/cli/errors.ts';
import { withDatabase } from '../src/db/database.ts';

const USAGE = `usage: npm run bench:inventory -- [--movements N (default 1000000)] [--levels N (default 100000)]
  [--products N (default 1000000)] [--chunk N (default 10000)] [--queries N (default 300)] [--json]`;

const FLAGS = { movements: 'string', levels: 'string', products: 'string', chunk: 'string', queries: 'string', json: 'boolean' } as const;

await benchCommand('bench:inventory', USAGE, FLAGS, async (flags) => {
  const options = {
    movements: positiveInteger(flags.movements, '--movements') ?? 1_000_000,
    levels: positiveInteger(flags.levels, '--levels') ?? 100_000,
    products: positiveInteger(flags.products, '--products') ?? 1_000_000,
    chunk: positiveInteger(flags.chunk, '--chunk') ?? 10_000,
    queries: positiveInteger(flags.queries, '--queries') ?? 300,
  };
  if (options.products * 10 < options.levels) throw new UsageError('--products must be at least --levels / 10 (there are 10 warehouses)');
  const r = await withDatabase(({ url }) => benchInventory({ serverUrl: url, ...options, report: (line) => console.error(line) }));
  if (flags.json) {
    console.log(JSON.stringify(r));
  } else {
    const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
    console.log(`| measure | result | seed | target |`);
    console.log('|---|---|---|---|');
    console.log(
      `| ledger trigger, per movement (${r.movements.toLocaleString('en')} movements: ${ms(r.ingest.withTriggerMs)} with, ${ms(r.ingest.withoutTriggerMs)} without; ratio ${r.ingest.ratio.toFixed(2)}) | ${r.ingest.triggerUsPerMovement.toFixed(1)} µs | ~1 ms | ≤ 20 µs |`,
    );
    console.log(
      `| valuation by warehouse, matview (${r.levels.toLocaleString('en')} levels), as the application role, p50 / p95 | ${ms(r.valuation.matviewP50Ms)} / ${ms(r.valuation.matviewP95Ms)} | < 50 ms (10k) | 5 ms |`,
    );
    console.log(
      `| valuation by warehouse, live aggregation of the levels, as the application role, p50 / p95 | ${ms(r.valuation.liveP50Ms)} / ${ms(r.valuation.liveP95Ms)} | < 50 ms (10k) | |`,
    );
    const kinds = r.search.p95MsByKind;
    console.log(
      `| substring product search (${r.products.toLocaleString('en')} products, ${r.search.terms} terms), as the application role, p50 / p95 | ${ms(r.search.p50Ms)} / ${ms(r.search.p95Ms)} | < 10 ms | |`,
    );
    console.log(
      `| … p95 for a code / a word / a phrase of several words | ${ms(kinds.code)} / ${ms(kinds.word)} / ${ms(kinds.phrase)} | < 10 ms (a word) | |`,
    );
    console.log(`| refresh_all_inventory_views() CONCURRENTLY, median of 3 | ${ms(r.refreshAllMs)} | | |`);
    console.log('');
    console.log('| query | application role p50 / p95 | superuser p50 / p95 | application ÷ superuser, p50 / p95 | aim |');
    console.log('|---|---|---|---|---|');
    for (const [query, o] of Object.entries(r.rls)) {
      console.log(
        `| ${query} | ${ms(o.appP50Ms)} / ${ms(o.appP95Ms)} | ${ms(o.superuserP50Ms)} / ${ms(o.superuserP95Ms)} | ${o.ratioP50.toFixed(2)} / ${o.ratioP95.toFixed(2)} | ≤ 1.10 |`,
      );
    }
  }
});
