/**
 * `npm run lint:migrations` (scripts/lint-migrations.ts: Squawk with .squawk.toml): the repository's
 * migrations have no finding, and a new migration with an unsafe statement fails the lint, naming
 * the rule and the file, as it fails CI (.ci/run). No database needed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PROJECT_ROOT } from '../../src/db/env.ts';

interface LintRun {
  code: number;
  /** `path:line:column: warning: rule message` lines (Squawk's gcc reporter). */
  findings: string[];
  output: string;
}

function lintMigrations(dir?: string): Promise<LintRun> {
  const args = [path.join(PROJECT_ROOT, 'scripts', 'lint-migrations.ts'), ...(dir === undefined ? [] : [dir]), '--reporter', 'gcc'];
  return new Promise((resolve) => {
    // From another directory, so that the script, not the working directory, finds .squawk.toml.
    execFile(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), args, { cwd: os.tmpdir() }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      resolve({
        code: error ? Number(error.code ?? 1) : 0,
        findings: output.split('\n').filter((line) => /:\d+:\d+: (warning|error): /.test(line)),
        output,
      });
    });
  });
}

describe('npm run lint:migrations', () => {
  it("finds nothing in the repository's migrations (every finding is fixed or silenced with its reason)", async () => {
    const run = await lintMigrations();
    expect(run.findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  describe('on a new migration', () => {
    let dir: string;
    const migration = async (name: string, sql: string) => {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, 'migration.sql'), sql);
    };

    beforeAll(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'squawk-lint-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('fails on a plain index build and a validated foreign key on existing tables, naming the rules and the file', async () => {
      await migration(
        '20990101000000_create_tables',
        'CREATE TABLE core.parent (id bigint PRIMARY KEY);\n' +
          'CREATE TABLE core.child (id bigint PRIMARY KEY, parent_id bigint);\n' +
          // Safe: the table is created in this migration (one transaction), which Squawk knows.
          'CREATE INDEX child_parent_id_idx ON core.child (parent_id);\n',
      );
      await migration(
        '20990101000100_add_unsafe_statements',
        'CREATE INDEX child_id_parent_id_idx ON core.child (id, parent_id);\n' +
          'ALTER TABLE core.child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES core.parent (id);\n',
      );
      const run = await lintMigrations(dir);
      expect(run.code).not.toBe(0);
      const unsafe = path.join('20990101000100_add_unsafe_statements', 'migration.sql');
      expect(run.findings.every((line) => line.includes(unsafe))).toBe(true);
      expect(run.findings.some((line) => line.includes(`${unsafe}:0:0: warning: require-concurrent-index-creation`))).toBe(true);
      expect(run.findings.some((line) => / warning: adding-foreign-key-constraint /.test(line))).toBe(true);
      expect(run.findings.some((line) => / warning: constraint-missing-not-valid /.test(line))).toBe(true);
    });

    it('passes once each unsafe statement is silenced next to it with its reason', async () => {
      await migration(
        '20990101000100_add_unsafe_statements',
        '-- squawk-ignore require-concurrent-index-creation -- safe here: core.child is empty at this point (test)\n' +
          'CREATE INDEX child_id_parent_id_idx ON core.child (id, parent_id);\n' +
          'ALTER TABLE core.child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES core.parent (id) NOT VALID;\n' +
          'ALTER TABLE core.child VALIDATE CONSTRAINT child_parent_id_fkey;\n',
      );
      const silencedButValidatedInTheSameTransaction = await lintMigrations(dir);
      // VALIDATE in the transaction that added the constraint NOT VALID gains nothing: still a finding.
      expect(silencedButValidatedInTheSameTransaction.findings).toEqual([
        expect.stringMatching(/add_unsafe_statements.migration\.sql:3:\d+: warning: constraint-missing-not-valid /),
      ]);

      await migration('20990101000200_validate_child_parent_id_fkey', 'ALTER TABLE core.child VALIDATE CONSTRAINT child_parent_id_fkey;\n');
      await migration(
        '20990101000100_add_unsafe_statements',
        '-- squawk-ignore require-concurrent-index-creation -- safe here: core.child is empty at this point (test)\n' +
          'CREATE INDEX child_id_parent_id_idx ON core.child (id, parent_id);\n' +
          'ALTER TABLE core.child ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES core.parent (id) NOT VALID;\n',
      );
      const run = await lintMigrations(dir);
      expect(run.findings).toEqual([]);
      expect(run.code).toBe(0);
    });
  });
});
