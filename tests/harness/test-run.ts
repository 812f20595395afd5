/**
 * Setup and teardown of one test run, in Jest's main process (see global-setup.mjs): resolve the
 * test server and build (or reuse) the migrated template; afterwards, for a run of the whole
 * suite, the census of refusals (census.ts), then drop the run's databases (each worker clones its
 * own on first use) and give the embedded server back.
 */
import path from 'node:path';
import { connect, urlForDatabase } from '../../src/db/connect.ts';
import { type ResolvedDatabase, resolveDatabase } from '../../src/db/database.ts';
import { readEnvironment } from '../../src/db/env.ts';
import { namespaces } from '../../src/project.ts';
import { censusEntries, censusGaps, testTexts } from './census.ts';
import { takeObservations } from './observations.ts';
import { TEST_ENV } from './run.ts';
import { dropRunDatabases, ensureTemplate, testDatabaseName } from './template.ts';

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
  console.log(`\n[tests] ${where}: template ${template} ready in ${Math.round(performance.now() - started)} ms`);
}

/** Jest's global configuration (passed to the global teardown), as far as the teardown reads it. */
interface RunConfig {
  testPathPatterns?: { patterns?: string[] };
  testNamePattern?: string;
  onlyChanged?: boolean;
  findRelatedTests?: boolean;
}

export async function teardownTestRun(globalConfig: RunConfig): Promise<void> {
  if (!server) return;
  const observations = takeObservations(process.pid);
  try {
    if (isWholeSuite(globalConfig)) await holdCensus(server.url, observations);
  } finally {
    try {
      await dropRunDatabases(server.url, process.pid);
    } finally {
      await server.release();
      server = undefined;
    }
  }
}

/** Only a run of every test file has had every chance to observe every refusal. */
function isWholeSuite(config: RunConfig): boolean {
  const patterns = config.testPathPatterns?.patterns ?? [];
  return patterns.length === 0 && !config.testNamePattern && !config.onlyChanged && !config.findRelatedTests;
}

/** Fails the run, listing them, when refusals no test saw remain (read on worker 1's database). */
async function holdCensus(serverUrl: string, observations: Parameters<typeof censusGaps>[1]): Promise<void> {
  const client = await connect(urlForDatabase(serverUrl, testDatabaseName(process.pid, 'w1')), 'supply-ledger tests census');
  let entries: Awaited<ReturnType<typeof censusEntries>>;
  try {
    entries = await censusEntries(client, namespaces());
  } finally {
    await client.end();
  }
  const gaps = censusGaps(entries, observations, testTexts(path.join(import.meta.dirname, '..')));
  if (gaps.length === 0) {
    console.log(
      `[tests] census: all ${entries.length} constraints and trigger functions held by tests (${observations.length} refusals seen)`,
    );
    return;
  }
  console.error(
    `\n[tests] census: ${gaps.length} refusal(s) no test has seen (tests/harness/census.ts):\n${gaps.map((gap) => `  ${gap}`).join('\n')}`,
  );
  throw new Error(`census: ${gaps.length} refusal(s) no test has seen`);
}
