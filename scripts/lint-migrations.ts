// npm run lint:migrations [-- [MIGRATIONS_DIR] [squawk options, e.g. --reporter gcc]]: Squawk (squawk-cli,
// offline) over every MIGRATIONS_DIR/*/migration.sql (default prisma/migrations) with the repository's
// .squawk.toml, whatever the working directory. Exits with Squawk's status: 0 when there is no finding.
// A finding is fixed, or silenced next to its statement with `-- squawk-ignore <rule> -- <why it is
// safe there>` (docs/CONVENTIONS.md, "Migrations"). down.sql and validate.sql are not linted: a down
// script drops what its migration added (the rules against dropping are its purpose), and validate.sql
// only reads.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dirArgument = args[0] !== undefined && !args[0].startsWith('-') ? args.shift() : undefined;
const migrationsDir = resolve(dirArgument ?? join(root, 'prisma', 'migrations'));

// The package's launcher picks the binary of the platform package (@squawk-cli/linux-x64, ...).
const squawk = createRequire(import.meta.url).resolve('squawk-cli/js/bin/squawk');
const result = spawnSync(
  process.execPath,
  [squawk, '--config', join(root, '.squawk.toml'), ...args, join(migrationsDir, '*', 'migration.sql')],
  {
    stdio: 'inherit',
  },
);
if (result.error !== undefined) throw result.error;
process.exitCode = result.status ?? 1;
