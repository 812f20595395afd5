/**
 * Setup and teardown of one test run, in Jest's main process (see global-setup.mjs): resolve the
 * test server and build (or reuse) the migrated template; afterwards drop the run's databases
 * (each worker clones its own on first use) and give the embedded server back.
 */
import { readEnvironment } from '../../src/db/env.ts';
import { type ResolvedDatabase, resolveDatabase } from '../../src/db/resolve.ts';
import { TEST_ENV } from './run.ts';
import { dropRunDatabases, ensureTemplate } from './template.ts';

let server: ResolvedDatabase | undefined;

export async function setupTestRun(): Promise<void> {
  const started = performance.now();
  server = await resolveDatabase({ url: readEnvironment().testDatabaseUrl });
  const template = await ensureTemplate(server.url);
  // Workers are forked after the global setup and inherit these.
  process.env[TEST_ENV.SERVER_URL] = server.url;
  process.env[TEST_ENV.TEMPLATE] = template;
  process.env[TEST_ENV.RUN_PID] = String(process.pid);
  const where = server.source === 'embedded' ? 'embedded PostgreSQL' : 'TEST_DATABASE_URL';
  console.log(
    `\n[tests] ${where}: template ${template} ready in ${Math.round(performance.now() - started)} ms`,
  );
}

export async function teardownTestRun(): Promise<void> {
  if (!server) return;
  try {
    await dropRunDatabases(server.url, process.pid);
  } finally {
    await server.release();
    server = undefined;
  }
}
