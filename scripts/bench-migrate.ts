// npm run bench:migrate [-- --rounds N --generated N --json]: see src/bench/migrate.ts.
import fs from 'node:fs';
import { benchMigrate, generateMigrations } from '../src/bench/migrate.ts';
import { parseArgs, positiveInteger } from '../src/cli/args.ts';
import { resolveDatabase } from '../src/db/resolve.ts';
import { UserError } from '../src/errors.ts';
import { MIGRATIONS_DIR } from '../src/project.ts';

try {
  const { flags } = parseArgs(process.argv.slice(2), { rounds: 'string', generated: 'string', json: 'boolean', help: 'boolean' });
  if (flags.help) {
    console.log('usage: npm run bench:migrate -- [--rounds N (default 9)] [--generated N (default 200)] [--json]');
    process.exit(0);
  }
  const rounds = positiveInteger(flags.rounds, '--rounds') ?? 9;
  const generated = positiveInteger(flags.generated, '--generated') ?? 200;
  const database = await resolveDatabase();
  const generatedDir = generateMigrations(generated);
  try {
    const results = await benchMigrate({
      serverUrl: database.url,
      workloads: [
        { label: 'repository migrations', migrationsDir: MIGRATIONS_DIR },
        { label: `${generated} generated migrations`, migrationsDir: generatedDir },
      ],
      rounds,
      report: (line) => console.error(line),
    });
    if (flags.json) {
      console.log(JSON.stringify(results));
    } else {
      console.log('| workload | migrations | runner (median) | floor (median) | runner − floor | runner / floor |');
      console.log('|---|---|---|---|---|---|');
      for (const r of results) {
        const extra = r.runnerMedianMs - r.floorMedianMs;
        console.log(
          `| ${r.label} | ${r.migrations} | ${r.runnerMedianMs.toFixed(1)} ms | ${r.floorMedianMs.toFixed(1)} ms | ${extra.toFixed(1)} ms | ${r.ratio.toFixed(3)} |`,
        );
      }
    }
  } finally {
    fs.rmSync(generatedDir, { recursive: true, force: true });
    await database.release();
  }
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(`bench:migrate: ${error.message}`);
  process.exitCode = error.exitCode;
}
