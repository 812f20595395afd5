// npm run bench:deploy-under-load [-- --levels N --genealogy N --rate R --clients C --window S --baseline S --url URL --json]: see bench/deploy-under-load.ts.
import { benchCommand } from '../bench/command.ts';
import { USAGE, benchDeployUnderLoad, verdict } from '../bench/deploy-under-load.ts';
import { APP_ROLE } from '../bench/support.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { withDatabase } from '../src/db/database.ts';

await benchCommand(
  'bench:deploy-under-load',
  USAGE,
  {
    levels: 'string',
    genealogy: 'string',
    rate: 'string',
    clients: 'string',
    window: 'string',
    baseline: 'string',
    url: 'string',
    json: 'boolean',
  },
  async (flags) => {
    const levels = positiveInteger(flags.levels, '--levels') ?? 1_000_000;
    const run = (serverUrl: string) =>
      benchDeployUnderLoad({
        serverUrl,
        levels,
        genealogy: positiveInteger(flags.genealogy, '--genealogy') ?? levels,
        rate: positiveInteger(flags.rate, '--rate') ?? 200,
        clients: positiveInteger(flags.clients, '--clients') ?? 4,
        windowSeconds: positiveInteger(flags.window, '--window') ?? 90,
        baselineSeconds: positiveInteger(flags.baseline, '--baseline') ?? 15,
        report: (line) => (flags.json ? undefined : console.log(line)),
      });
    const result = await withDatabase((database) => run(database.url), flags.url === undefined ? {} : { url: flags.url });
    if (flags.json) console.log(JSON.stringify(result));
    else {
      const i = result.integrity;
      console.log(
        `\ndeploy under load: ${result.levels.toLocaleString('en-US')} stock levels, a genealogy of ${result.genealogy.lots.toLocaleString('en-US')} lots ` +
          `and ${result.genealogy.batches.toLocaleString('en-US')} batches, ${result.shipments.toLocaleString('en-US')} shipments; PostgreSQL ${result.server}, ` +
          `pgbench ${result.pgbench} as ${APP_ROLE}, ${result.clients} clients at ${result.rate} tx/s (${result.mix})`,
      );
      console.log(
        `carrier events stored ${i.carrierEvents} (${i.duplicateCarrierEvents} twice); batches started ${i.batchesStarted}, consuming ${i.lotsConsumed} lots`,
      );
      for (const line of verdict(result)) console.log(line);
    }
  },
);
