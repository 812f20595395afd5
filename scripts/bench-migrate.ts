// npm run bench:migrate [-- --rounds N --generated N --json]: see bench/migrate.ts.
import fs from 'node:fs';
import { benchCommand } from '../bench/command.ts';
import { benchMigrate, generateMigrations } from '../bench/migrate.ts';
import { positiveInteger } from '../src/cli/args.ts';
import { withDatabase } from '../src/db/database.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';

const USAGE = 'usage: npm run bench:migrate -- [--rounds N (default 9)] [--generated N (default 200)] [--json]';

await benchCommand('bench:migrate', USAGE, { rounds: 'string', generated: 'string', json: 'boolean' }, async (flags) => {
  const rounds = positiveInteger(flags.rounds, '--rounds') ?? 9;
  const generated = positiveInteger(flags.generated, '--generated') ?? 200;
  const generatedDir = generateMigrations(generated);
  try {
    const results = await withDatabase(({ url }) =>
      benchMigrate({
        serverUrl: url,
        workloads: [
          { label: 'repository migrations', migrationsDir: MIGRATIONS_DIR },
          { label: `${generated} generated migrations`, migrationsDir: generatedDir },
        ],
        rounds,
        report: (line) => console.error(line),
      }),
    );
    if (flags.json) {
      console.log(JSON.stringify(results));
      return;
    }
    console.log('| workload | migrations | runner (median) | floor (median) | runner − floor | runner / floor |');
    console.log('|---|---|---|---|---|---|');
    for (const r of results) {
      const extra = r.runnerMedianMs - r.floorMedianMs;
      console.log(
        `| ${r.label} | ${r.migrations} | ${r.runnerMedianMs.toFixed(1)} ms | ${r.floorMedianMs.toFixed(1)} ms | ${extra.toFixed(1)} ms | ${r.ratio.toFixed(3)} |`,
      );
    }
  } finally {
    fs.rmSync(generatedDir, { recursive: true, force: true });
  }
});
