// Runs `deploy` in a process of its own, for the crash and concurrency tests:
//   tsx tests/harness/deploy-process.ts DATABASE_URL MIGRATIONS_DIR
// Prints `ready`, then each runner event and the result as JSON lines with the ms since ready.
// Exits 1 with the message on a user error, as the CLI does.
import { connect } from '../../src/db/connect.ts';
import { SupplyLedgerError } from '../../src/errors.ts';
import { deploy } from '../../src/migrate/deploy.ts';

const [url, migrationsDir] = process.argv.slice(2);
if (url === undefined || migrationsDir === undefined) throw new Error('usage: deploy-process.ts DATABASE_URL MIGRATIONS_DIR');

const client = await connect(url, 'supply-ledger deploy-process');
const ready = performance.now();
const print = (line: object) => console.log(JSON.stringify({ at: Math.round(performance.now() - ready), ...line }));
console.log('ready');
try {
  const result = await deploy(client, { migrationsDir }, { emit: print });
  print({ event: 'result', ...result });
} catch (error) {
  if (!(error instanceof SupplyLedgerError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await client.end();
}
