/**
 * The table-level lock each statement of a migration takes, read from its text alone (a dry run
 * must not touch the database). The rules follow PostgreSQL's documentation of lock levels per
 * command ("Explicit Locking", and the ALTER TABLE page for each sub-command).
 */
import type pg from 'pg';
import { type Token, tokenize } from './sql.ts';

export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

/** Lock modes from weakest to strongest. */
const STRENGTH: LockMode[] = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];

/** One lock a statement takes on one relation. */
export interface RelationLock {
  /** The relation as the statement names it (schema-qualified when it is). */
  relation: string;
  mode: LockMode;
  /** The statement creates this relation: it holds no rows yet and nobody else can be using it. */
  created?: boolean;
  /** `relation` is an index: the lock falls on its table, which the plan looks up. */
  index?: boolean;
}

/** What a statement locks, plus what else a reviewer should know (table scans and rewrites). */
export interface StatementLocks {
  locks: RelationLock[];
  /** Set when the locks cannot be read from the text (DO blocks, function calls). */
  unknown?: string;
  notes: string[];
}

/** The relation locks `statement` takes, by the rules of PostgreSQL's lock levels. */
export function statementLocks(statement: string): StatementLocks {
  const reader = new TokenReader(tokenize(statement));
  const result: StatementLocks = { locks: [], notes: [] };
  const lock = (relation: string | undefined, mode: LockMode, extra: Partial<RelationLock> = {}) => {
    if (relation !== undefined) result.locks.push({ relation, mode, ...extra });
  };
  const words = reader.words;

  if (reader.accept('CREATE')) {
    reader.acceptAny('OR', 'REPLACE');
    reader.acceptAny('GLOBAL', 'LOCAL', 'TEMPORARY', 'TEMP', 'UNLOGGED');
    if (reader.accept('TABLE')) {
      reader.acceptAll('IF', 'NOT', 'EXISTS');
      lock(reader.name(), 'ACCESS EXCLUSIVE', { created: true });
      const partitionOf = reader.after('PARTITION', 'OF');
      if (partitionOf !== undefined) lock(partitionOf, 'ACCESS EXCLUSIVE');
      for (const referenced of reader.allAfter('REFERENCES')) lock(referenced, 'SHARE ROW EXCLUSIVE');
    } else if (reader.accept('UNIQUE') || reader.peek('INDEX')) {
      reader.accept('INDEX');
      const concurrently = reader.accept('CONCURRENTLY');
      lock(reader.after('ON'), concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
      if (!concurrently) result.notes.push('blocks writes while the index builds');
    } else if (reader.peek('CONSTRAINT') || reader.peek('TRIGGER')) {
      lock(reader.after('ON'), 'SHARE ROW EXCLUSIVE');
    } else if (reader.accept('MATERIALIZED') || reader.peek('VIEW') || reader.peek('RECURSIVE')) {
      reader.accept('RECURSIVE');
      reader.accept('VIEW');
      reader.acceptAll('IF', 'NOT', 'EXISTS');
      lock(reader.name(), 'ACCESS EXCLUSIVE', { created: !words.includes('REPLACE') });
    } else if (reader.peek('POLICY') || reader.peek('RULE')) {
      lock(reader.after('ON'), 'ACCESS EXCLUSIVE');
    }
  } else if (reader.accept('ALTER')) {
    if (reader.accept('TABLE')) {
      reader.acceptAll('IF', 'EXISTS');
      reader.accept('ONLY');
      alterTableLocks(reader.name(), reader, result);
    } else if (reader.accept('INDEX')) {
      reader.acceptAll('IF', 'EXISTS');
      const index = reader.name();
      const mode = words.includes('TABLESPACE') ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE';
      lock(index, mode, { index: true });
    } else if (reader.accept('MATERIALIZED') || reader.peek('VIEW')) {
      reader.accept('VIEW');
      reader.acceptAll('IF', 'EXISTS');
      lock(reader.name(), 'ACCESS EXCLUSIVE');
    } else if (reader.accept('POLICY')) {
      lock(reader.after('ON'), 'ACCESS EXCLUSIVE');
    }
  } else if (reader.accept('DROP')) {
    if (reader.accept('TABLE') || reader.accept('VIEW') || (reader.accept('MATERIALIZED') && reader.accept('VIEW'))) {
      reader.acceptAll('IF', 'EXISTS');
      for (const relation of reader.nameList()) lock(relation, 'ACCESS EXCLUSIVE');
    } else if (reader.accept('INDEX')) {
      const concurrently = reader.accept('CONCURRENTLY');
      reader.acceptAll('IF', 'EXISTS');
      for (const index of reader.nameList()) lock(index, concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', { index: true });
    } else if (reader.peek('TRIGGER') || reader.peek('POLICY') || reader.peek('RULE')) {
      lock(reader.after('ON'), 'ACCESS EXCLUSIVE');
    } else if (reader.peek('SCHEMA') && words.includes('CASCADE')) {
      result.notes.push('CASCADE drops every object in the schema, each under ACCESS EXCLUSIVE');
    }
  } else if (reader.accept('TRUNCATE')) {
    reader.accept('TABLE');
    reader.accept('ONLY');
    for (const relation of reader.nameList()) lock(relation, 'ACCESS EXCLUSIVE');
  } else if (reader.accept('INSERT') && reader.accept('INTO')) {
    lock(reader.name(), 'ROW EXCLUSIVE');
  } else if (reader.accept('UPDATE')) {
    reader.accept('ONLY');
    lock(reader.name(), 'ROW EXCLUSIVE');
    result.notes.push('locks every row it changes until the migration commits');
  } else if (reader.accept('DELETE') && reader.accept('FROM')) {
    reader.accept('ONLY');
    lock(reader.name(), 'ROW EXCLUSIVE');
    result.notes.push('locks every row it deletes until the migration commits');
  } else if (reader.accept('MERGE') && reader.accept('INTO')) {
    lock(reader.name(), 'ROW EXCLUSIVE');
  } else if (reader.accept('LOCK')) {
    reader.accept('TABLE');
    reader.accept('ONLY');
    const relations = reader.nameList();
    const mode = explicitLockMode(words);
    for (const relation of relations) lock(relation, mode);
  } else if (reader.accept('COMMENT') && reader.accept('ON')) {
    if (reader.accept('TABLE')) lock(reader.name(), 'SHARE UPDATE EXCLUSIVE');
    else if (reader.accept('COLUMN')) lock(withoutLastPart(reader.name()), 'SHARE UPDATE EXCLUSIVE');
  } else if (reader.accept('REFRESH') && reader.accept('MATERIALIZED') && reader.accept('VIEW')) {
    const concurrently = reader.accept('CONCURRENTLY');
    lock(reader.name(), concurrently ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE');
  } else if (reader.accept('VACUUM')) {
    const full = words.includes('FULL');
    for (const relation of reader.trailingNames()) lock(relation, full ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE');
  } else if (reader.accept('ANALYZE') || reader.accept('ANALYSE')) {
    for (const relation of reader.trailingNames()) lock(relation, 'SHARE UPDATE EXCLUSIVE');
  } else if (reader.accept('CLUSTER')) {
    lock(reader.name(), 'ACCESS EXCLUSIVE');
  } else if (reader.accept('REINDEX')) {
    const kind = reader.next();
    const concurrently = reader.accept('CONCURRENTLY');
    const mode = concurrently ? 'SHARE UPDATE EXCLUSIVE' : kind === 'INDEX' ? 'ACCESS EXCLUSIVE' : 'SHARE';
    if (kind === 'INDEX' || kind === 'TABLE') lock(reader.name(), mode, { index: kind === 'INDEX' });
  } else if (reader.accept('DO') || reader.accept('SELECT') || reader.accept('CALL') || reader.accept('WITH')) {
    result.unknown = 'procedural code or a query: its locks depend on what it runs';
  }
  return result;
}

/** ALTER TABLE takes, for all its sub-commands, the strongest lock any of them needs. */
function alterTableLocks(table: string | undefined, reader: TokenReader, result: StatementLocks): void {
  if (table === undefined) return;
  const words = reader.words;
  const has = (...sequence: string[]) => containsSequence(words, sequence);
  const mode = strongest(splitOnCommas(reader.tokensAfterName).map(subcommandLock));
  result.locks.push({ relation: table, mode });
  for (const referenced of reader.allAfter('REFERENCES')) result.locks.push({ relation: referenced, mode: 'SHARE ROW EXCLUSIVE' });
  if (has('ATTACH', 'PARTITION')) {
    const partition = reader.after('PARTITION');
    if (partition !== undefined) result.locks.push({ relation: partition, mode: 'ACCESS EXCLUSIVE' });
  }
  if (has('TYPE') && has('ALTER')) result.notes.push('changing a column type rewrites the table unless the types are binary-compatible');
  if (has('SET', 'NOT', 'NULL')) result.notes.push('scans the whole table to check NOT NULL');
  if ((has('ADD', 'CONSTRAINT') || has('ADD', 'CHECK') || has('ADD', 'FOREIGN')) && !has('NOT', 'VALID')) {
    if (has('CHECK') || has('FOREIGN', 'KEY')) result.notes.push('validates every existing row (add it NOT VALID, then VALIDATE CONSTRAINT)');
    if (has('UNIQUE') || has('PRIMARY', 'KEY')) result.notes.push('builds a unique index while holding the lock');
  }
}

function subcommandLock(tokens: Token[]): LockMode {
  const words = tokens.filter((token) => token.kind === 'word').map((token) => token.value);
  const has = (...sequence: string[]) => containsSequence(words, sequence);
  if (has('VALIDATE', 'CONSTRAINT')) return 'SHARE UPDATE EXCLUSIVE';
  if (has('ATTACH', 'PARTITION') || (has('DETACH', 'PARTITION') && has('CONCURRENTLY'))) return 'SHARE UPDATE EXCLUSIVE';
  if (has('SET', 'STATISTICS') || has('CLUSTER', 'ON') || has('SET', 'WITHOUT', 'CLUSTER')) return 'SHARE UPDATE EXCLUSIVE';
  if (has('FOREIGN', 'KEY') && has('ADD')) return 'SHARE ROW EXCLUSIVE';
  if ((has('ENABLE') || has('DISABLE')) && has('TRIGGER')) return 'SHARE ROW EXCLUSIVE';
  return 'ACCESS EXCLUSIVE';
}

function explicitLockMode(words: string[]): LockMode {
  const inAt = words.lastIndexOf('IN');
  const modeWords = inAt === -1 ? [] : words.slice(inAt + 1, words.lastIndexOf('MODE'));
  const mode = modeWords.join(' ');
  return (STRENGTH as string[]).includes(mode) ? (mode as LockMode) : 'ACCESS EXCLUSIVE';
}

export function strongest(modes: LockMode[]): LockMode {
  return modes.reduce<LockMode>((a, b) => (STRENGTH.indexOf(b) > STRENGTH.indexOf(a) ? b : a), 'ACCESS SHARE');
}

function containsSequence(words: string[], sequence: string[]): boolean {
  return words.some((_, i) => sequence.every((word, j) => words[i + j] === word));
}

function splitOnCommas(tokens: Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.value === '(') depth++;
    if (token.value === ')') depth--;
    if (token.kind === 'symbol' && token.value === ',' && depth === 0) parts.push([]);
    else parts.at(-1)!.push(token);
  }
  return parts;
}

function withoutLastPart(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const parts = splitQualifiedName(name);
  return parts.length > 1 ? parts.slice(0, -1).map(quoteIfNeeded).join('.') : undefined;
}

/** Splits a rendered qualified name (`"a"."b"` or a.b) into its parts. */
function splitQualifiedName(name: string): string[] {
  return tokenize(name)
    .filter((token) => token.kind === 'word' || token.kind === 'identifier')
    .map((token) => (token.kind === 'word' ? token.value.toLowerCase() : token.value));
}

function quoteIfNeeded(part: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`;
}

/** Sequential reading of a statement's tokens. */
class TokenReader {
  readonly #tokens: Token[];
  #at = 0;
  /** Every word of the statement, upper-cased, in order. */
  readonly words: string[];
  /** Tokens following the first name read by {@link name} (ALTER TABLE's sub-commands). */
  tokensAfterName: Token[] = [];

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
    this.words = tokens.filter((token) => token.kind === 'word').map((token) => token.value);
  }

  peek(word: string): boolean {
    const token = this.#tokens[this.#at];
    return token?.kind === 'word' && token.value === word;
  }

  accept(word: string): boolean {
    if (!this.peek(word)) return false;
    this.#at++;
    return true;
  }

  /** Accepts each of `words` that comes next, in any number. */
  acceptAny(...words: string[]): void {
    while (words.some((word) => this.accept(word)));
  }

  /** Accepts `words` only as a whole sequence. */
  acceptAll(...words: string[]): boolean {
    if (!words.every((word, i) => this.#tokens[this.#at + i]?.kind === 'word' && this.#tokens[this.#at + i]?.value === word)) return false;
    this.#at += words.length;
    return true;
  }

  next(): string | undefined {
    const token = this.#tokens[this.#at++];
    return token?.value;
  }

  /** Reads a possibly schema-qualified name, rendered with PostgreSQL's case folding and quoting. */
  name(): string | undefined {
    const parts: string[] = [];
    while (this.#at < this.#tokens.length) {
      const token = this.#tokens[this.#at]!;
      if (token.kind !== 'word' && token.kind !== 'identifier') break;
      parts.push(token.kind === 'word' ? token.value.toLowerCase() : token.value);
      this.#at++;
      if (this.#tokens[this.#at]?.value !== '.') break;
      this.#at++;
    }
    if (this.tokensAfterName.length === 0) this.tokensAfterName = this.#tokens.slice(this.#at);
    return parts.length === 0 ? undefined : parts.map(quoteIfNeeded).join('.');
  }

  /** Reads names separated by commas (DROP TABLE a, b). */
  nameList(): string[] {
    const names: string[] = [];
    for (let name = this.name(); name !== undefined; name = this.#tokens[this.#at]?.value === ',' ? (this.#at++, this.name()) : undefined) {
      names.push(name);
    }
    return names;
  }

  /** The names listed at the end of VACUUM/ANALYZE, after any options. */
  trailingNames(): string[] {
    while (this.#at < this.#tokens.length && (this.#tokens[this.#at]!.value === '(' || this.#isOption())) {
      if (this.#tokens[this.#at]!.value === '(') {
        while (this.#at < this.#tokens.length && this.#tokens[this.#at]!.value !== ')') this.#at++;
      }
      this.#at++;
    }
    return this.nameList();
  }

  #isOption(): boolean {
    const token = this.#tokens[this.#at]!;
    return token.kind === 'word' && ['FULL', 'FREEZE', 'VERBOSE', 'ANALYZE', 'ANALYSE'].includes(token.value);
  }

  /** The name following the first occurrence of the `words` sequence, from the current position on. */
  after(...words: string[]): string | undefined {
    for (let i = this.#at; i < this.#tokens.length; i++) {
      if (words.every((word, j) => this.#tokens[i + j]?.kind === 'word' && this.#tokens[i + j]?.value === word)) {
        const saved = this.tokensAfterName;
        this.#at = i + words.length;
        this.accept('ONLY');
        const name = this.name();
        this.tokensAfterName = saved;
        return name;
      }
    }
    return undefined;
  }

  /** Every name following `word` anywhere in the statement (each REFERENCES of a CREATE TABLE). */
  allAfter(word: string): string[] {
    const names: string[] = [];
    for (let i = 0; i < this.#tokens.length; i++) {
      const token = this.#tokens[i]!;
      if (token.kind === 'word' && token.value === word) {
        const reader = new TokenReader(this.#tokens.slice(i + 1));
        const name = reader.name();
        if (name !== undefined) names.push(name);
      }
    }
    return [...new Set(names)];
  }
}

/** Size of a relation now: estimated rows and bytes on disk (table, indexes and TOAST). */
export interface RelationSize {
  relation: string;
  /** The table an index belongs to, for index locks. */
  table?: string;
  exists: boolean;
  rows?: number;
  /** Whether `rows` is the planner's estimate (pg_class.reltuples) rather than a count. */
  estimated?: boolean;
  bytes?: number;
}

/** Below this size a table whose statistics were never gathered is counted exactly. */
const COUNT_EXACTLY_BELOW_BYTES = 64 * 1024 * 1024;

/** Looks up the current size of the relations (or the tables of the indexes) that `locks` name. Read-only. */
export async function relationSizes(client: pg.Client, locks: RelationLock[]): Promise<Map<string, RelationSize>> {
  const sizes = new Map<string, RelationSize>();
  for (const { relation, index, created } of locks) {
    if (sizes.has(relation)) continue;
    if (created) {
      sizes.set(relation, { relation, exists: false });
      continue;
    }
    const { rows } = await client.query<{ table: string; reltuples: number; bytes: string; relpages: number }>(
      `SELECT t.oid::regclass::text AS table, t.reltuples, pg_total_relation_size(t.oid) AS bytes, t.relpages
         FROM pg_class t
        WHERE t.oid = CASE WHEN $2 THEN (SELECT indrelid FROM pg_index WHERE indexrelid = to_regclass($1))
                           ELSE to_regclass($1) END`,
      [relation, index === true],
    );
    const found = rows[0];
    if (!found) {
      sizes.set(relation, { relation, exists: false });
      continue;
    }
    const bytes = Number(found.bytes);
    let count = found.reltuples;
    let estimated = true;
    if (count < 0 && bytes < COUNT_EXACTLY_BELOW_BYTES) {
      const exact = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${found.table}`);
      count = Number(exact.rows[0]!.count);
      estimated = false;
    }
    sizes.set(relation, {
      relation,
      ...(index ? { table: found.table } : {}),
      exists: true,
      ...(count >= 0 ? { rows: Math.round(count), estimated } : {}),
      bytes,
    });
  }
  return sizes;
}
