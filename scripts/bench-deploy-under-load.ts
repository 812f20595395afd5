// npm run bench:deploy-under-load [-- --levels N --rate R --clients C --window S --baseline S --url URL --json]: see bench/deploy-under-load.ts.
import { benchCommand } from '../bench/command.ts';
import { SCRIPTS, USAGE, benchDeployUnderLoad, verdict } from '../bench/deploy-under-load.ts';
import { APP_ROLE } from '../bench/support.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { withDatabase } from '../src/db/database.ts';

await benchCommand(
  'bench:deploy-under-load',
  USAGE,
  { levels: 'string', rate: 'string', clients: 'string', window: 'string', baseline: 'string', url: 'string', json: 'boolean' },
  async (flags) => {
    const levels = positiveInteger(flags.levels, '--levels') ?? 1_000_000;
    const run = (serverUrl: string) =>
      benchDeployUnderLoad({
        serverUrl,
        levels,
        rate: positiveInteger(flags.rate, '--rate') ?? 200,
        clients: positiveInteger(flags.clients, '--clients') ?? 4,
        windowSeconds: positiveInteger(flags.window, '--window') ?? 90,
        baselineSeconds: positiveInteger(flags.baseline, '--baseline') ?? 15,
        report: (line) => (flags.json ? undefined : console.log(line)),
      });
    const result = await withDatabase((database) => run(database.url), flags.url === undefined ? {} : { url: flags.url });
    if (flags.json) console.log(JSON.stringify(result));
    else {
      console.log(
        `\ndeploy under load: ${result.levels.toLocaleString('en-US')} stock levels, PostgreSQL ${result.server}, pgbench ${result.pgbench} as ${APP_ROLE}, ` +
          `${result.clients} clients at ${result.rate} tx/s (${SCRIPTS.map((s) => `${s.name} ${s.weight * 10} %`).join(', ')})`,
      );
      for (const line of verdict(result)) console.log(line);
    }
  },
);
