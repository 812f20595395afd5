import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { alignOptions } from '../../src/cli/main.ts';
import { verifySummary } from '../../src/cli/migrate.ts';
import { connect, urlForRole } from '../../src/db/connect.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { SEED_STEPS } from '../../src/seed/index.ts';
import { DEMO_BENCHMARK_PEERS, DEMO_CLIENTS } from '../../src/seed/step.ts';
import { expectOneLine, runCli as cli, runCliProcess } from '../harness/cli.ts';
import { APP_ROLE, createScratchDatabase, dropScratchDatabase, templateName } from '../harness/db.ts';

const scratch: string[] = [];
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(scratch.map(dropScratchDatabase));
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const migrationCount = readMigrations(MIGRATIONS_DIR).length;
const plural = (n: number) => `${n} migration${n === 1 ? '' : 's'}`;

// Most tests run the commands in-process (runCli); those about the process itself (exit codes,
// start-up failures, a server that outlives the command) start one (runCliProcess).
describe('supply-ledger CLI', () => {
  it('lists its commands with --help, and exits 2 with one line for an unknown command', async () => {
    const [help, unknown] = await Promise.all([runCliProcess(['--help']), runCliProcess(['frobnicate'])]);
    expect(help.code).toBe(0);
    for (const command of ['db start', 'db stop', 'db url', 'db setup', 'db seed', 'migrate deploy']) {
      expect(help.stdout).toContain(command);
    }
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expectOneLine(unknown);
  });

  it("aligns its help: the commands' summaries, and each command's options under one column", async () => {
    expect(alignOptions('x\n  --json\tas JSON\n  --at TIME\tas of TIME\n\tdefault now\nnote')).toBe(
      'x\n  --json     as JSON\n  --at TIME  as of TIME\n             default now\nnote',
    );
    const top = (await cli(['--help'])).stdout.split('\n');
    const listed = top.slice(top.indexOf('commands:') + 1, top.indexOf('', top.indexOf('commands:')));
    // The summary column: one past the longest name (every name is one or two words).
    const column = Math.max(...listed.map((line) => /^ {2}\S+(?: \S+)?/.exec(line)![0].length)) + 1;
    for (const line of listed) expect(line.slice(column - 1, column + 1)).toMatch(/^ \S$/);
    for (const name of listed.map((line) => line.slice(2, column).trim()).filter((name) => name !== 'prisma')) {
      const help = await cli([...name.split(' '), '--help']);
      expect(help.stdout).not.toContain('\t');
      // Option lines ("  LABEL  text") and their continuations start their text at one column.
      const options = help.stdout.split('\n').filter((line) => /^ {2}\S/.test(line));
      const starts = options.map((line) => /^ {2}\S+(?: \S+)?(?:, \S+)? {2,}/.exec(line)?.[0].length);
      expect({ name, starts: new Set(starts).size <= 1 && !starts.includes(undefined) }).toEqual({ name, starts: true });
    }
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['db', 'setup', '--bogus'], /unknown flag --bogus/],
    [['db', 'url', 'extra'], /unexpected argument 'extra'/],
    [['prisma', 'migrate', 'dev'], /runs only generate, validate, format/],
  ])('rejects %j with exit code 2 and one line', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expectOneLine(run);
  });

  it('fails with one line naming host and port when the database is unreachable', async () => {
    const run = await runCliProcess(['db', 'setup'], { DATABASE_URL: 'postgresql://x@127.0.0.1:1/x' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot connect to PostgreSQL at 127\.0\.0\.1:1/);
    expectOneLine(run);
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL', async () => {
    const run = await cli(['migrate', 'deploy'], { DATABASE_URL: 'mysql://root@localhost/x' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a PostgreSQL URL/);
    expectOneLine(run);
  });

  it('db url prints DATABASE_URL when set, and says so when the embedded server is not running', async () => {
    expect((await cli(['db', 'url'], { DATABASE_URL: 'postgresql://u@db.example:5433/app' })).stdout.trim()).toBe(
      'postgresql://u@db.example:5433/app',
    );
    const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-'));
    tempDirs.push(emptyDir);
    const run = await cli(['db', 'url'], { EMBEDDED_PG_DIR: emptyDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/embedded PostgreSQL is not running; start it with `npm run db:start`/);
  });

  it('db start, db url and db stop manage the embedded server in the background', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-cli-'));
    tempDirs.push(dir);
    const env = { EMBEDDED_PG_DIR: dir };
    try {
      const start = await runCliProcess(['db', 'start'], env);
      expect(start.code).toBe(0);
      const url = start.stdout.trim();
      expect(url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/supply_ledger$/);
      // The server outlives the command that started it.
      const client = await connect(url);
      await client.end();
      expect((await cli(['db', 'url'], env)).stdout.trim()).toBe(url);
    } finally {
      const stop = await runCliProcess(['db', 'stop'], env);
      // The whole run on failure: once, at load 7-10, stop printed nothing and its stderr was not kept.
      expect({ code: stop.code, stdout: stop.stdout, stderr: stop.stderr }).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('embedded PostgreSQL stopped'),
      });
    }
    expect((await cli(['db', 'stop'], env)).stdout).toContain('was not running');
  });

  it('db setup deploys, seeds and summarises; a second run changes nothing', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);

    const first = await cli(['db', 'setup'], { DATABASE_URL: url });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/server +PostgreSQL \d+/);
    expect(first.stdout).toContain(`${plural(migrationCount)} applied now, ${migrationCount} applied in total, 0 pending`);
    // Every step for each demo client.
    expect(first.stdout).toMatch(new RegExp(`seed +${SEED_STEPS.length * DEMO_CLIENTS.length + DEMO_BENCHMARK_PEERS.length} steps done`));
    expect(first.stdout).toMatch(/elapsed +\d+\.\d s/);

    const client = await connect(url);
    try {
      const history = async () => (await client.query('SELECT * FROM _prisma_migrations ORDER BY id')).rows;
      const before = await history();
      const second = await cli(['db', 'setup'], { DATABASE_URL: url });
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      expect(second.stdout).toContain(`0 migrations applied now, ${migrationCount} applied in total, 0 pending`);
      expect(await history()).toEqual(before);
    } finally {
      await client.end();
    }
  });

  it('migrate deploy refuses to continue past a failed migration and says how to resolve it', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const client = await connect(url);
    try {
      await client.query(`CREATE TABLE _prisma_migrations (
        id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
        migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
        started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0)`);
      await client.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (gen_random_uuid(), 'x', '20200101000000_broken')`,
      );
    } finally {
      await client.end();
    }
    const run = await cli(['migrate', 'deploy'], { DATABASE_URL: url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/failed migration 20200101000000_broken .*npm run migrate -- resolve --rolled-back 20200101000000_broken/);
    expectOneLine(run);
  });

  it('db seed refuses NODE_ENV=production unless ALLOW_SEED=true', async () => {
    const url = await createScratchDatabase({ template: templateName() });
    scratch.push(url);
    const refused = await cli(['db', 'seed'], { DATABASE_URL: url, NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to seed with NODE_ENV=production/);
    const allowed = await cli(['db', 'seed'], { DATABASE_URL: url, NODE_ENV: 'production', ALLOW_SEED: 'true' });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/\[seed\] \d+ steps? done/);
  });

  it('db setup deploys but skips the seed with NODE_ENV=production, and says so', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const run = await cli(['db', 'setup'], { DATABASE_URL: url, NODE_ENV: 'production' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${plural(migrationCount)} applied now`);
    expect(run.stdout).toMatch(/seed +skipped: NODE_ENV=production \(ALLOW_SEED=true runs it\)/);
    const client = await connect(url);
    try {
      expect((await client.query(`SELECT count(*)::int AS n FROM catalog.product`)).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('matviews refresh refreshes the inventory views, and names the migration when they are missing', async () => {
    const migrated = await createScratchDatabase({ template: templateName() });
    const empty = await createScratchDatabase();
    scratch.push(migrated, empty);
    const run = await cli(['matviews', 'refresh'], { DATABASE_URL: migrated });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^refreshed mv_inventory_valuation, mv_product_stock_summary and mv_low_stock_alerts concurrently in \d+ ms$/m,
    );
    const missing = await cli(['matviews', 'refresh'], { DATABASE_URL: empty });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/the inventory views are missing: deploy the migrations first/);
    expectOneLine(missing);
    // An operator's command: the application role is told so in one line.
    const app = await cli(['matviews', 'refresh'], { DATABASE_URL: urlForRole(migrated, APP_ROLE) });
    expect([app.code, app.stderr.trim()]).toEqual([
      1,
      `supply-ledger: refreshing the materialized views is an operator's: connect as a superuser or a member of supply_ledger_owner (connected as ${APP_ROLE})`,
    ]);
    expectOneLine(app);
  });

  it('runs prisma validate without any Prisma engine download', async () => {
    const run = await cli(['prisma', 'validate'], { PRISMA_SCHEMA_ENGINE_BINARY: '' });
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).toMatch(/is valid|are valid/);
  });
});

describe('supply-ledger migrate', () => {
  it('status says whether the database is up to date, with exit code 1 when it is not', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const before = await cli(['migrate', 'status'], { DATABASE_URL: url });
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/pending/);
    expect(before.stdout).toContain('Database is not up to date');

    const deploy = await cli(['migrate', 'deploy', '--json'], { DATABASE_URL: url });
    expect(deploy.code).toBe(0);
    const events = deploy.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.at(-1)).toMatchObject({ event: 'result', status: 'ok', total: migrationCount });
    expect(events.filter((event) => event.event === 'migration-finish')).toHaveLength(migrationCount);

    const after = await cli(['migrate', 'status', '--json'], { DATABASE_URL: url });
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout)).toMatchObject({ historyExists: true, upToDate: true });
  });

  it('deploy --dry-run prints the plan and changes nothing', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const run = await cli(['migrate', 'deploy', '--dry-run'], { DATABASE_URL: url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Dry run, nothing changed: \d+ of \d+ migration\(s\) pending; lock_timeout 2.0 s, 10 attempt\(s\)/);
    expect(run.stdout).toContain('_prisma_migrations does not exist yet');
    const client = await connect(url);
    try {
      expect((await client.query("SELECT to_regclass('_prisma_migrations') AS t")).rows[0].t).toBeNull();
    } finally {
      await client.end();
    }
  });

  it('verify, rollback and status work together from the command line', async () => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const env = { DATABASE_URL: url };
    expect((await cli(['migrate', 'deploy'], env)).code).toBe(0);
    const verified = await cli(['migrate', 'verify'], env);
    expect(verified.code).toBe(0);
    // Each migration's validate.sql, then core.validate_schema_integrity(), counted apart.
    expect(verified.stdout.trim().split('\n').at(-1)).toMatch(
      new RegExp(`^${migrationCount} migrations verified, schema integrity: \\d+ checks passed$`),
    );
    expect(verified.stdout.trim().split('\n')).toHaveLength(migrationCount + 2);

    const rolledBack = await cli(['migrate', 'rollback', '--steps', '1'], env);
    expect(rolledBack.code).toBe(0);
    expect(rolledBack.stdout).toMatch(/rolled back 1 migration: \d{14}_\w+/);
    const status = await cli(['migrate', 'status'], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('1 rolled back');
    const unknown = await cli(['migrate', 'verify', '20990101000000_nope'], env);
    expect(unknown.code).toBe(1);
    expectOneLine(unknown);
  });

  it('verify counts the migrations and the schema integrity checks apart in its summary', () => {
    const integrity = 'core.validate_schema_integrity()';
    const passed = (name: string) => ({ name, result: 'passed' as const });
    const failed = (name: string) => ({ name, result: 'failed' as const, message: 'wrong' });
    expect(verifySummary([passed('a'), passed('b'), { ...passed(integrity), message: '15 checks passed' }])).toBe(
      '2 migrations verified, schema integrity: 15 checks passed',
    );
    expect(verifySummary([passed('a'), failed('b'), failed(`${integrity}: bigint_ids`), failed(`${integrity}: objects_commented`)])).toBe(
      '1 of 2 migrations failed verification, schema integrity: 2 checks failed',
    );
    expect(verifySummary([failed('a'), { ...passed(integrity), message: '15 checks passed' }])).toBe(
      '1 of 1 migration failed verification, schema integrity: 15 checks passed',
    );
    // verify NAME, or a schema from before core.validate_schema_integrity(): the migrations only.
    expect(verifySummary([passed('a')])).toBe('1 migration verified');
  });

  it.each([
    [['migrate', 'resolve'], /give exactly one of --applied NAME or --rolled-back NAME/],
    [['migrate', 'resolve', '--applied', 'a', '--rolled-back', 'b'], /give exactly one of/],
    [['migrate', 'deploy', '--lock-timeout', 'soon'], /--lock-timeout must be a duration such as 500ms, 2s or 1min, got 'soon'/],
    [['migrate', 'rollback', '--steps', '0'], /--steps must be a whole number of at least 1/],
    [['migrate', 'deploy', '--attempts', 'many'], /--attempts must be a whole number/],
  ])('rejects %j as a usage error', async (args, message) => {
    const url = await createScratchDatabase();
    scratch.push(url);
    const run = await cli(args, { DATABASE_URL: url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expectOneLine(run);
  });
});
