// npm run bench:trace [-- --lots N --batches N --queries N --json]: see bench/trace.ts.
import { benchCommand } from '../bench/command.ts';
import { type Comparison, benchTrace, genealogySizeProblem } from '../bench/trace.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { UsageError } from '../src/cli/errors.ts';
import { withDatabase } from '../src/db/database.ts';

const USAGE = `usage: npm run bench:trace -- [--lots N (default 400000)] [--batches N (default 600000)] [--queries N (default 300)] [--json]`;

await benchCommand('bench:trace', USAGE, { lots: 'string', batches: 'string', queries: 'string', json: 'boolean' }, async (flags) => {
  const options = {
    lots: positiveInteger(flags.lots, '--lots') ?? 400_000,
    batches: positiveInteger(flags.batches, '--batches') ?? 600_000,
    queries: positiveInteger(flags.queries, '--queries') ?? 300,
  };
  const problem = genealogySizeProblem(options.lots, options.batches);
  if (problem !== undefined) throw new UsageError(problem);
  const r = await withDatabase(({ url }) => benchTrace({ serverUrl: url, ...options, report: (line) => console.error(line) }));
  if (flags.json) {
    console.log(JSON.stringify(r));
  } else {
    const g = r.genealogy;
    const count = (value: number) => value.toLocaleString('en');
    const ms = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
    const row = (measure: string, c: Comparison, aim: string) =>
      console.log(
        `| ${measure} (${r.queries} starts; ${c.nodesP50} nodes and ${c.peerQueriesP50} peer queries at p50, up to ${c.nodesMax} nodes) | ${ms(c.sqlP50Ms)} / ${ms(c.sqlP95Ms)} | ${ms(c.peerP50Ms)} / ${ms(c.peerP95Ms)} | ${(c.peerP50Ms / c.sqlP50Ms).toFixed(1)}× / ${(c.peerP95Ms / c.sqlP95Ms).toFixed(1)}× | ${aim} |`,
      );
    console.log(
      `Genealogy: ${count(g.lots)} ingredient lots, ${count(g.batches)} batches, ${count(g.pallets)} pallets; ${count(g.lotEdges)} lot → batch, ` +
        `${count(g.reworkEdges)} rework and ${count(g.palletEdges)} batch → pallet edges (${count(g.edges)} in all); rework chains up to ` +
        `${g.reworkDepths.length - 1} batches deep; loaded in ${(g.loadMs / 1000).toFixed(0)} s.`,
    );
    console.log('');
    console.log('| measure, as the application role | SQL function p50 / p95 | one query per hop (peer) p50 / p95 | peer ÷ SQL | aim |');
    console.log('|---|---|---|---|---|');
    row('forward trace of a random lot, trace_forward', r.forward, 'p95 < 5 ms');
    row('backward trace of a random batch, trace_backward', r.backward, 'p95 < 5 ms');
    row('recall report of a random lot TLC, report_recall', r.recall, '< 50 ms');
    console.log('');
    console.log('| SQL function | application role p50 / p95 | superuser p50 / p95 | application ÷ superuser, p50 / p95 | aim |');
    console.log('|---|---|---|---|---|');
    for (const [fn, o] of Object.entries(r.rls)) {
      console.log(
        `| ${fn} | ${ms(o.appP50Ms)} / ${ms(o.appP95Ms)} | ${ms(o.superuserP50Ms)} / ${ms(o.superuserP95Ms)} | ${o.ratioP50.toFixed(2)} / ${o.ratioP95.toFixed(2)} | ≤ 1.10 |`,
      );
    }
  }
});
