/**
 * A copy of the migration history for Prisma's WebAssembly schema engine (the
 * `../shared/tools/prisma-engine` tool): without the CHECK and EXCLUDE constraints and constraint
 * triggers. That engine's schema describer panics ("RuntimeError: unreachable") on any row of
 * those kinds in pg_constraint, so drift/diff/create crash on a history that has one. Prisma does
 * not model any of them (they are invisible to `prisma migrate diff`, as the tool's README says),
 * so removing them does not change what the engine compares.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { readMigrations } from './directory.ts';
import { splitStatements, tokenize } from './sql.ts';

/**
 * Writes `migrationsDir`'s migrations into `targetDir` with the statements the WebAssembly engine
 * cannot describe removed (each replaced by a comment, so line numbers stay), and returns how many
 * statements were removed.
 */
export function writeEngineCopy(migrationsDir: string, targetDir: string): number {
  fs.mkdirSync(targetDir, { recursive: true });
  const lockFile = path.join(migrationsDir, 'migration_lock.toml');
  if (fs.existsSync(lockFile)) fs.copyFileSync(lockFile, path.join(targetDir, 'migration_lock.toml'));
  const removedNames = new Set<string>();
  let removed = 0;
  for (const migration of readMigrations(migrationsDir)) {
    const { script, count } = withoutUndescribableConstraints(migration.script, `${migration.name}/migration.sql`, removedNames);
    removed += count;
    fs.mkdirSync(path.join(targetDir, migration.name));
    fs.writeFileSync(path.join(targetDir, migration.name, 'migration.sql'), script);
  }
  return removed;
}

/**
 * The script without CHECK/EXCLUDE constraints and constraint triggers, nor the later statements
 * that name them (VALIDATE, DROP, COMMENT ON). `removedNames` carries those names from one
 * migration to the next.
 */
export function withoutUndescribableConstraints(
  script: string,
  label: string,
  removedNames: Set<string>,
): { script: string; count: number } {
  let result = '';
  let at = 0;
  let count = 0;
  for (const statement of splitStatements(script)) {
    const words = tokenize(statement.text).map((token) => (token.kind === 'word' ? token.value : token.kind === 'identifier' ? `"${token.value}"` : token.value));
    const remove = undescribable(words, removedNames, label, statement.line);
    if (!remove) continue;
    result += `${script.slice(at, statement.start)}-- (removed for the WebAssembly schema engine: ${remove})`;
    at = statement.end;
    count++;
  }
  return { script: result + script.slice(at), count };
}

/** Why a statement must go (and records the constraint name it creates), or undefined to keep it. */
function undescribable(words: string[], removedNames: Set<string>, label: string, line: number): string | undefined {
  const nameAfter = (keyword: string) => {
    let at = words.indexOf(keyword);
    if (at === -1) return undefined;
    while (['IF', 'NOT', 'EXISTS'].includes(words[at + 1] ?? '')) at++;
    return unquote(words[at + 1]);
  };
  if (words[0] === 'CREATE' && words[1] === 'TABLE' && (words.includes('CHECK') || words.includes('EXCLUDE'))) {
    throw new UserError(
      `${label} line ${line}: a CHECK or EXCLUDE inside CREATE TABLE cannot be left out for the WebAssembly schema engine; add it with its own ALTER TABLE ... ADD CONSTRAINT statement`,
    );
  }
  if (words[0] === 'ALTER' && words[1] === 'TABLE' && words.includes('ADD') && (words.includes('CHECK') || words.includes('EXCLUDE'))) {
    if (words.filter((word) => word === 'ADD').length > 1) {
      throw new UserError(`${label} line ${line}: add each CHECK or EXCLUDE constraint in an ALTER TABLE statement of its own`);
    }
    const name = nameAfter('CONSTRAINT');
    if (name !== undefined) removedNames.add(name);
    return `${words.includes('CHECK') ? 'CHECK' : 'EXCLUDE'} constraint ${name ?? '(unnamed)'}`;
  }
  if (words[0] === 'CREATE' && (words[1] === 'CONSTRAINT' || (words[1] === 'OR' && words[3] === 'CONSTRAINT'))) {
    const name = nameAfter('TRIGGER');
    if (name !== undefined) removedNames.add(name);
    return `constraint trigger ${name ?? ''}`.trim();
  }
  const referenced =
    (words[0] === 'ALTER' && (words.includes('VALIDATE') || words.includes('DROP')) && nameAfter('CONSTRAINT')) ||
    (words[0] === 'COMMENT' && words[2] === 'CONSTRAINT' && unquote(words[3])) ||
    (words[0] === 'DROP' && words[1] === 'TRIGGER' && nameAfter('TRIGGER'));
  if (referenced && removedNames.has(referenced)) return `refers to ${referenced}`;
  return undefined;
}

function unquote(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  return word.startsWith('"') ? word.slice(1, -1) : word.toLowerCase();
}
