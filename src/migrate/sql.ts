/**
 * Just enough of PostgreSQL's lexical structure to split a migration file into statements and to
 * read their leading keywords: quoted strings (standard, E'', dollar-quoted), quoted identifiers,
 * nested block comments, line comments, and SQL-standard function bodies (BEGIN ATOMIC ... END).
 * Statement boundaries are the semicolons outside all of these, as psql finds them.
 */

/** One statement of a script. */
export interface SqlStatement {
  /** The statement's text, from its first token to its last (comments around it excluded). */
  text: string;
  /** 1-based line of the statement's first token. */
  line: number;
  /** Offsets of `text` in the script. */
  start: number;
  end: number;
}

/** A token of a statement: a word (keyword or bare identifier), a quoted identifier, or anything else. */
export interface Token {
  kind: 'word' | 'identifier' | 'string' | 'symbol';
  /** Words upper-cased; quoted identifiers unquoted; strings and symbols as written. */
  value: string;
  /** Offsets of the token in the text. */
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Tokenizes `sql`, skipping whitespace and comments. */
export function tokenize(sql: string): Token[] {
  return scan(sql).tokens;
}

/**
 * Where a string, quoted identifier or block comment opens without ever closing, if one does
 * (PostgreSQL rejects such a script; the runner names the line before sending anything).
 */
export function unterminatedAt(sql: string): { offset: number; what: string } | undefined {
  return scan(sql).unterminated;
}

function scan(sql: string): { tokens: Token[]; unterminated?: { offset: number; what: string } } {
  const tokens: Token[] = [];
  let unterminated: { offset: number; what: string } | undefined;
  const open = (offset: number, what: string, end: number) => {
    if (end === -1 && unterminated === undefined) unterminated = { offset, what };
    return end === -1 ? sql.length : end;
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (c === '/' && next === '*') {
      i = open(i, 'block comment', skipBlockComment(sql, i));
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'" && !isWordBefore(sql, i))) {
      const quote = c === "'" ? i : i + 1;
      const end = open(i, 'string', skipQuoted(sql, quote, "'", c !== "'"));
      tokens.push({ kind: 'string', value: sql.slice(i, end), start: i, end });
      i = end;
    } else if (c === '"') {
      const end = open(i, 'quoted identifier', skipQuoted(sql, i, '"', false));
      tokens.push({ kind: 'identifier', value: sql.slice(i + 1, end - 1).replaceAll('""', '"'), start: i, end });
      i = end;
    } else if (c === '$' && !isWordBefore(sql, i) && dollarTag(sql, i) !== undefined) {
      const tag = dollarTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      const end = open(i, `dollar-quoted string ${tag}`, close === -1 ? -1 : close + tag.length);
      tokens.push({ kind: 'string', value: sql.slice(i, end), start: i, end });
      i = end;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      tokens.push({ kind: 'word', value: sql.slice(i, end).toUpperCase(), start: i, end });
      i = end;
    } else {
      tokens.push({ kind: 'symbol', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return unterminated === undefined ? { tokens } : { tokens, unterminated };
}

/** Splits a script into its statements; comment-only stretches yield none. */
export function splitStatements(script: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  const lineAt = lineLocator(script);
  let first: number | undefined; // offset of the current statement's first token
  let last = 0; // offset just past its latest token
  let atomicDepth = 0; // inside BEGIN ATOMIC ... END, semicolons do not end the statement
  let previousWord = '';
  const close = () => {
    if (first !== undefined) statements.push({ text: script.slice(first, last), line: lineAt(first), start: first, end: last });
    first = undefined;
    atomicDepth = 0;
    previousWord = '';
  };
  for (const token of tokenize(script)) {
    if (token.kind === 'symbol' && token.value === ';' && atomicDepth === 0) {
      close();
      continue;
    }
    first ??= token.start;
    last = token.end;
    if (token.kind !== 'word') continue;
    if (token.value === 'ATOMIC' && previousWord === 'BEGIN') atomicDepth++;
    else if (atomicDepth > 0 && token.value === 'CASE') atomicDepth++;
    else if (atomicDepth > 0 && token.value === 'END') atomicDepth--;
    previousWord = token.value;
  }
  close();
  return statements;
}

/** A function giving the 1-based line number of an offset in `text` (binary search over line starts). */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

/** The header directive that makes the runner apply a file statement by statement, outside a transaction. */
export const NO_TRANSACTION_DIRECTIVE = '-- supply-ledger: no-transaction';

/** Whether the script's comments before its first statement hold {@link NO_TRANSACTION_DIRECTIVE}. */
export function hasNoTransactionDirective(script: string): boolean {
  const firstStatement = splitStatements(script)[0]?.start ?? script.length;
  return /^[ \t]*--[ \t]*supply-ledger:[ \t]*no-transaction[ \t]*$/m.test(script.slice(0, firstStatement));
}

/**
 * Why a statement cannot run inside a transaction block (PostgreSQL refuses it there), or
 * undefined when it can. `serverVersionNum` is `server_version_num` (ALTER TYPE ... ADD VALUE is
 * refused in a transaction before PostgreSQL 12 only).
 */
export function autocommitReason(statement: string, serverVersionNum: number): string | undefined {
  const words = tokenize(statement)
    .filter((token) => token.kind === 'word' || token.kind === 'identifier')
    .map((token) => (token.kind === 'word' ? token.value : `"${token.value}"`));
  const at = (...expected: string[]) => expected.every((word, i) => words[i] === word);
  const has = (word: string) => words.includes(word);
  const head = words.slice(0, 2).join(' ');

  if ((at('CREATE', 'INDEX') || at('CREATE', 'UNIQUE', 'INDEX')) && has('CONCURRENTLY')) return 'CREATE INDEX CONCURRENTLY';
  if (at('DROP', 'INDEX', 'CONCURRENTLY')) return 'DROP INDEX CONCURRENTLY';
  if (at('REINDEX') && (has('CONCURRENTLY') || has('SCHEMA') || has('SYSTEM') || has('DATABASE'))) return 'REINDEX CONCURRENTLY/SCHEMA/DATABASE';
  if (at('VACUUM')) return 'VACUUM';
  if (at('CLUSTER') && words.length === 1) return 'CLUSTER without a table';
  if (['CREATE DATABASE', 'DROP DATABASE', 'CREATE TABLESPACE', 'DROP TABLESPACE', 'ALTER SYSTEM'].includes(head)) return head;
  if (at('ALTER', 'DATABASE') && has('TABLESPACE')) return 'ALTER DATABASE SET TABLESPACE';
  if (at('ALTER', 'TABLE') && has('DETACH') && has('CONCURRENTLY')) return 'DETACH PARTITION CONCURRENTLY';
  if (['CREATE SUBSCRIPTION', 'DROP SUBSCRIPTION'].includes(head)) return head;
  if (at('ALTER', 'TYPE') && has('ADD') && has('VALUE') && serverVersionNum < 120000) return 'ALTER TYPE ... ADD VALUE before PostgreSQL 12';
  return undefined;
}

/** Offset just past the block comment opening at `from`, or -1 when it never closes. */
function skipBlockComment(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return -1;
}

/** Offset just past the closing quote of the quoted text opening at `open`, or -1 when it never closes. */
function skipQuoted(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return -1;
}

/** The `$tag$` opening a dollar-quoted string at `at`, if one does. */
function dollarTag(sql: string, at: number): string | undefined {
  const match = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(at, at + 64));
  return match?.[0];
}

/** Whether the character before `at` continues a word (so `$` or `E'` there is not an opening). */
function isWordBefore(sql: string, at: number): boolean {
  return at > 0 && WORD_PART.test(sql[at - 1]!);
}
