import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { PROJECT_ROOT } from '../../src/db/env.ts';
import { scratchDatabase } from '../harness/db.ts';
import { catalogFingerprint } from '../harness/fingerprint.ts';
import { migrationsFolder } from '../harness/fixtures.ts';
import { strength } from '../harness/stress.ts';

const NAP = 'SELECT pg_sleep(0.03);';
/**
 * The no-transaction migration's pauses, long enough that the kills aimed inside it land there
 * even when a loaded machine delivers the child's "started" line a few hundred ms late (with
 * 0.03 s, all three quick trials aimed inside missed once on PostgreSQL 15 beside other test runs).
 */
const STEP_NAP = 'SELECT pg_sleep(0.4);';

/**
 * A history whose every effect is logged exactly once in run_log (unique per migration and step),
 * so that a statement that ran twice fails the deploy, with pauses that widen the windows a kill
 * can land in: transactional files, a no-transaction file mixing logged statements and concurrent
 * index builds, and a file holding a single CREATE INDEX CONCURRENTLY.
 */
const HISTORY = {
  '20260101000000_log': `CREATE TABLE run_log (migration text, step int, UNIQUE (migration, step));\nINSERT INTO run_log VALUES ('log', 1);\n${NAP}`,
  '20260102000000_big': `CREATE TABLE big (x int);\n${NAP}\nINSERT INTO big SELECT generate_series(1, 20000);\nINSERT INTO run_log VALUES ('big', 1);\n${NAP}\nINSERT INTO run_log VALUES ('big', 2);`,
  '20260103000000_steps': [
    '-- supply-ledger: no-transaction',
    'CREATE TABLE side (id int);',
    "INSERT INTO run_log VALUES ('steps', 1);",
    STEP_NAP,
    'CREATE INDEX CONCURRENTLY big_x_idx ON big (x);',
    "INSERT INTO run_log VALUES ('steps', 2);",
    STEP_NAP,
    'CREATE UNIQUE INDEX CONCURRENTLY side_id_key ON side (id);',
    "INSERT INTO run_log VALUES ('steps', 3);",
  ].join('\n'),
  '20260104000000_alter': `ALTER TABLE big ADD COLUMN y int;\nUPDATE big SET y = x;\n${NAP}\nINSERT INTO run_log VALUES ('alter', 1);`,
  '20260105000000_index': 'CREATE INDEX CONCURRENTLY big_y_idx ON big (y);',
  '20260106000000_last': `INSERT INTO run_log VALUES ('last', 1);\n${NAP}\nINSERT INTO run_log VALUES ('last', 2);`,
};
const EXPECTED_LOG = ['alter 1', 'big 1', 'big 2', 'last 1', 'last 2', 'log 1', 'steps 1', 'steps 2', 'steps 3'];
/** The transactional migrations and the run_log entries each writes: all or none of them may exist. */
const ATOMIC: Record<string, string[]> = {
  '20260101000000_log': ['log 1'],
  '20260102000000_big': ['big 1', 'big 2'],
  '20260104000000_alter': ['alter 1'],
  '20260106000000_last': ['last 1', 'last 2'],
};

interface Run {
  child: ChildProcess;
  lines: string[];
  /** Resolves when the process printed `ready` (connected, about to deploy). */
  ready: Promise<void>;
  /** Resolves when the process prints a line `matches` accepts (or has printed one already). */
  printed: (matches: (line: string) => boolean) => Promise<void>;
  exited: Promise<number | null>;
}

function startDeploy(url: string, dir: string): Run {
  // Node itself with tsx's loader, not the tsx command: that one runs the script in a child
  // process, which a SIGKILL sent to tsx would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'tests', 'harness', 'deploy-process.ts'), url, dir], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  const waiting: { matches: (line: string) => boolean; resolve: () => void }[] = [];
  const printed = (matches: (line: string) => boolean) =>
    lines.some(matches) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ matches, resolve }));
  const ready = printed((line) => line === 'ready');
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      for (const waiter of waiting.filter((w) => w.matches(line))) waiter.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) lines.push(`stderr: ${stderr.trim()}`);
      resolve(code);
    }),
  );
  return { child, lines, ready, printed, exited };
}

function events(run: Run): { at: number; event: string; name?: string; applied?: string[] }[] {
  return run.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

async function runLog(client: pg.Client): Promise<string[]> {
  if (!(await client.query("SELECT to_regclass('run_log') IS NOT NULL AS found")).rows[0].found) return [];
  return (await client.query("SELECT migration || ' ' || step AS entry FROM run_log ORDER BY 1")).rows.map((row) => row.entry);
}

/** Waits until no backend of a deploy process is left (a killed client's backend finishes its current query first). */
async function untilDeployBackendsGone(client: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'supply-ledger deploy-process'",
    );
    if (rows[0].n === 0) return;
    await sleep(20);
  }
}

describe('deploy processes', () => {
  it(
    'converges after kill -9 at random moments: nothing half-applied, nothing run twice, the same final schema',
    async () => {
      const dir = migrationsFolder(HISTORY);
      const reference = await scratchDatabase();
      const referenceRun = startDeploy(reference.url, dir);
      expect(await referenceRun.exited).toBe(0);
      const expectedSchema = await catalogFingerprint(reference.client);
      expect(await runLog(reference.client)).toEqual(EXPECTED_LOG);
      const timeline = events(referenceRun);
      const work = timeline.at(-1)!.at;
      const steps = timeline.filter((event) => event.name === '20260103000000_steps');
      const stepsDuration = steps.at(-1)!.at - steps[0]!.at;

      const trials = strength({ quick: 6, full: 24 });
      let killedInsideStatements = 0;
      for (let trial = 0; trial < trials; trial++) {
        const { client, url } = await scratchDatabase();
        const victim = startDeploy(url, dir);
        await victim.ready;
        // Half the kills land anywhere in the deploy, half inside the no-transaction migration: timed
        // from the victim's own start of it, so that a slow machine shifts the window with the deploy.
        const delay = Math.random() * (trial % 2 === 0 ? work : stepsDuration);
        if (trial % 2 === 1) await victim.printed((line) => line.includes('"name":"20260103000000_steps"'));
        await sleep(delay);
        victim.child.kill('SIGKILL');
        await victim.exited;
        const last = events(victim).at(-1);
        if (last?.name === '20260103000000_steps' && last.event !== 'migration-finish') killedInsideStatements++;
        const context = `trial ${trial}, killed after ${Math.round(delay)} ms, last event ${JSON.stringify(last)}`;

        await untilDeployBackendsGone(client);
        const log = await runLog(client);
        const finished = await client
          .query('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL')
          .then((result) => new Set(result.rows.map((row) => row.migration_name)))
          .catch(() => new Set<string>());
        for (const [migration, entries] of Object.entries(ATOMIC)) {
          const present = entries.filter((entry) => log.includes(entry)).length;
          expect({ context, migration, present, recorded: finished.has(migration) }).toEqual({
            context,
            migration,
            present: finished.has(migration) ? entries.length : 0,
            recorded: finished.has(migration),
          });
        }

        const rerun = startDeploy(url, dir);
        expect({ context, code: await rerun.exited, output: rerun.lines.slice(-2) }).toMatchObject({ context, code: 0 });
        expect({ context, log: await runLog(client) }).toEqual({ context, log: EXPECTED_LOG });
        expect({ context, schema: await catalogFingerprint(client) }).toEqual({ context, schema: expectedSchema });
        const { rows } = await client.query(
          'SELECT migration_name, count(*)::int AS applied FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL GROUP BY 1 ORDER BY 1',
        );
        expect(rows).toEqual(Object.keys(HISTORY).map((name) => ({ migration_name: name, applied: 1 })));
        expect(
          (await client.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL'))
            .rows[0].n,
        ).toBe(0);
      }
      // Half the trials aim inside the no-transaction migration; most of those land there.
      expect(killedInsideStatements).toBeGreaterThanOrEqual(trials / 8);
    },
    strength({ quick: 180_000, full: 900_000 }),
  );

  const deployers = strength({ quick: 4, full: 8 });
  it(
    `lets ${deployers} concurrent deploys apply every migration exactly once, all exiting 0`,
    async () => {
      const { client, url } = await scratchDatabase();
      const dir = migrationsFolder(HISTORY);
      const runs = Array.from({ length: deployers }, () => startDeploy(url, dir));
      const codes = await Promise.all(runs.map((run) => run.exited));
      expect({ codes, output: runs.flatMap((run) => run.lines.filter((line) => line.startsWith('stderr'))) }).toEqual({
        codes: Array(deployers).fill(0),
        output: [],
      });
      const appliedByRun = runs.map((run) => events(run).find((event) => event.event === 'result')?.applied ?? []);
      expect(appliedByRun.flat().sort()).toEqual(Object.keys(HISTORY));
      expect(await runLog(client)).toEqual(EXPECTED_LOG);
      expect((await client.query('SELECT count(*)::int AS n FROM _prisma_migrations')).rows[0].n).toBe(Object.keys(HISTORY).length);
    },
    strength({ quick: 120_000, full: 300_000 }),
  );
});
