/**
 * The dry run's static plan (how each migration runs; per statement its line, summary, locks and
 * notes) of every migration in prisma/migrations, against the reviewed plans in
 * fixtures/lock-plans.json. A change to the lock analysis, or a new or edited migration, fails here
 * until the fixture is rewritten from the current code, so that the change shows up in review as a diff.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { upMode } from '../../src/migrate/apply.ts';
import { type LocalMigration, readMigrations } from '../../src/migrate/directory.ts';
import { analyseStatement } from '../../src/migrate/plan.ts';
import { MIGRATIONS_DIR } from '../../src/project.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'lock-plans.json');
const REWRITE =
  'run `UPDATE_LOCK_PLANS=1 npm test -- tests/migration-runner/lock-plans.test.ts` and review the diff of tests/migration-runner/fixtures/lock-plans.json';
/** The plans are computed for this server version (it decides only whether ALTER TYPE ... ADD VALUE runs alone). */
const SERVER_VERSION_NUM = 180000;

const migrations = readMigrations(MIGRATIONS_DIR);

async function lockPlan(migration: LocalMigration) {
  const mode = await upMode({ serverVersionNum: SERVER_VERSION_NUM }, migration);
  return { mode: mode.kind, statements: mode.statements.map(analyseStatement) };
}

/** Runs `assertion`, putting `explanation` (what is wrong and what to run) before its failure. */
function explained(assertion: () => void, explanation: string): void {
  try {
    assertion();
  } catch (error) {
    if (error instanceof Error) error.message = `${explanation}\n\n${error.message}`;
    throw error;
  }
}

if (process.env.UPDATE_LOCK_PLANS === '1') {
  it('rewrites the reviewed lock plans from the current code', async () => {
    const plans: Record<string, unknown> = {};
    for (const migration of migrations) plans[migration.name] = await lockPlan(migration);
    fs.writeFileSync(FIXTURE, `${JSON.stringify(plans, null, 2)}\n`);
  });
} else {
  describe('the lock plan of every migration', () => {
    const reviewed: Record<string, unknown> = fs.existsSync(FIXTURE) ? JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) : {};

    it.each(migrations.map((migration) => [migration.name, migration] as const))('%s is the reviewed one', async (name, migration) => {
      const plan = await lockPlan(migration);
      explained(() => expect(reviewed[name]).toBeDefined(), `${name} has no reviewed lock plan: ${REWRITE}`);
      explained(() => expect(plan).toEqual(reviewed[name]), `the lock plan of ${name} changed; if that is intended, ${REWRITE}`);
    });

    it('is reviewed for no migration that is gone', () => {
      const gone = Object.keys(reviewed).filter((name) => !migrations.some((migration) => migration.name === name));
      explained(() => expect(gone).toEqual([]), `the reviewed lock plans name migrations that are not in prisma/migrations: ${REWRITE}`);
    });
  });
}
