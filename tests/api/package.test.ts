/**
 * The library as an application gets it: `npm pack` of the package, unpacked into a scratch
 * project whose node_modules holds only the package's declared dependencies, imported by plain
 * Node.js (no tsx), deploying its own migrations as an operator, then working for a client as the
 * application role, and running its command line.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { urlForRole } from '../../src/db/connect.ts';
import { PROJECT_ROOT } from '../../src/db/env.ts';
import { readMigrations } from '../../src/migrate/directory.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';
import { APP_ROLE, createScratchDatabase } from '../harness/db.ts';

const run = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-package-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  files: string[];
  dependencies: Record<string, string>;
};

/** The package as `npm pack` makes it from a copy of the repository's files, built into that copy. */
async function pack(): Promise<string> {
  const staging = path.join(work, 'staging');
  fs.mkdirSync(staging);
  fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(staging, 'package.json'));
  for (const entry of manifest.files.filter((file) => file !== 'dist')) {
    fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(staging, entry), { recursive: true });
  }
  const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  await run(process.execPath, [tsc, '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json'), '--outDir', path.join(staging, 'dist')]);
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: staging });
  return path.join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
}

/** A project with the package unpacked in node_modules, beside links to its declared dependencies only. */
async function installInto(tarball: string): Promise<string> {
  const app = path.join(work, 'app');
  const installed = path.join(app, 'node_modules', 'supply-ledger');
  fs.mkdirSync(installed, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const dependency of Object.keys(manifest.dependencies)) {
    const link = path.join(app, 'node_modules', dependency);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules', dependency), link);
  }
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  return app;
}

/**
 * An application's life with the package: an operator deploys (as the superuser) and creates a
 * client; the application logs in as supply_ledger_app, finds its client by code and works for it,
 * through a pool made for that client and a transaction working for it.
 */
const APP = `
import pg from 'pg';
import {
  clientIdByCode, createClientPool, deploy, migrationStatus, postMovement, traceForward, withClient, MIGRATIONS_DIR, UnknownCodeError,
} from 'supply-ledger';

const [operatorUrl, appUrl] = process.argv.slice(2);
const operator = new pg.Client({ connectionString: operatorUrl });
await operator.connect();
let applied, upToDate;
try {
  const target = { migrationsDir: MIGRATIONS_DIR };
  ({ applied } = await deploy(operator, target));
  ({ upToDate } = await migrationStatus(operator, target));
  await operator.query("INSERT INTO core.client (code, name) VALUES ('APP-CLIENT', 'The application client')");
} finally {
  await operator.end();
}

const shared = new pg.Pool({ connectionString: appUrl });
try {
  const clientId = await clientIdByCode(shared, 'APP-CLIENT');
  const { warehouseId, productId } = await withClient(shared, clientId, async (tx) => {
    const [{ id: warehouseId }] = (await tx.query("INSERT INTO catalog.warehouse (code, name) VALUES ('W', 'W') RETURNING id")).rows;
    const [{ id: productId }] = (await tx.query("INSERT INTO catalog.product (sku, name) VALUES ('P', 'P') RETURNING id")).rows;
    return { warehouseId, productId };
  });
  const pool = createClientPool(appUrl, clientId);
  try {
    const posted = await postMovement(pool, { type: 'RECEIPT', productId, warehouseId, quantity: '2', unitCost: '3.5' });
    const unknown = await traceForward(pool, 'NO-SUCH-TLC').catch((error) => error instanceof UnknownCodeError && error.code);
    const [{ role, client }] = (await pool.query("SELECT current_user AS role, current_setting('app.client_id') AS client")).rows;
    const { rows: nothing } = await shared.query('SELECT id FROM catalog.product');
    console.log(JSON.stringify({
      applied: applied.length, upToDate, valueAfter: posted.valueAfter, unknown, packaged: MIGRATIONS_DIR.includes('node_modules'),
      role, sameClient: client === clientId, withoutClient: nothing.length,
    }));
  } finally {
    await pool.end();
  }
} finally {
  await shared.end();
}
`;

describe('the packed library', () => {
  it('is imported by plain Node.js with only its declared dependencies, and deploys, then posts for a client as the application role', async () => {
    const app = await installInto(await pack());
    fs.writeFileSync(path.join(app, 'app.mjs'), APP);
    const database = await createScratchDatabase();

    const { stdout } = await run(process.execPath, ['app.mjs', database, urlForRole(database, APP_ROLE)], { cwd: app });
    expect(JSON.parse(stdout)).toEqual({
      applied: readMigrations(MIGRATIONS_DIR).length,
      upToDate: true,
      valueAfter: '7.0000',
      unknown: 'NO-SUCH-TLC',
      packaged: true,
      role: APP_ROLE,
      sameClient: true,
      // The same role without a client sees none of the client's rows.
      withoutClient: 0,
    });

    const help = await run(process.execPath, [path.join(app, 'node_modules', 'supply-ledger', 'dist', 'cli', 'bin.js'), '--help'], {
      cwd: app,
    });
    expect(help.stdout).toContain('migrate deploy');
  }, 180_000);
});
