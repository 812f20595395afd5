/**
 * A script's statements as PostgreSQL itself reads them: libpg-query runs the server's own parser
 * (PostgreSQL 18, compiled to WebAssembly), so strings, quoted identifiers, comments, dollar-quoted
 * and SQL-standard function bodies split exactly as the server splits them, and each statement
 * comes with its parse tree, which the runner reads instead of matching words.
 */
import type { Node, ParseResult, ScanResult, ScanToken } from 'libpg-query';
import { alterTableCommands, isConcurrentDetach, isOptionOn } from './nodes.ts';

/** One statement of a script. */
export interface SqlStatement {
  /** The statement's text, from its first token to its last (comments around it and the `;` excluded). */
  text: string;
  /** 1-based line of the statement's first token. */
  line: number;
  /** Offsets of `text` in the script. */
  start: number;
  end: number;
  /** The statement's parse tree: one node, keyed by its type (`{ CreateStmt: {...} }`). */
  node: Node;
}

/** A parsed script: its statements, and the comments before the first one (where directives live). */
export interface ParsedScript {
  statements: SqlStatement[];
  headerComments: string[];
}

/** SQL the parser rejects, with PostgreSQL's message and the line of the offending token. */
export class SqlSyntaxError extends Error {
  override readonly name = 'SqlSyntaxError';

  constructor(
    message: string,
    /** 1-based line of the offending token. */
    readonly line: number,
  ) {
    super(message);
  }
}

type Parser = typeof import('libpg-query');

let parser: Promise<Parser> | undefined;

/**
 * libpg-query, loaded on first use: importing it compiles its WebAssembly (0.1-0.5 s with the first
 * parse, depending on the machine), which importers of the library that never parse SQL should not pay.
 */
function loadParser(): Promise<Parser> {
  parser ??= import('libpg-query').then(async (module) => {
    await module.loadModule();
    return module;
  });
  return parser;
}

const isComment = (token: ScanToken) => token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT';

/**
 * Splits `script` into statements with PostgreSQL's parser; comment-only stretches and empty
 * statements yield none. Throws {@link SqlSyntaxError} for SQL the server would reject while
 * parsing (syntax errors, unterminated strings, identifiers and comments).
 */
export async function parseScript(script: string): Promise<ParsedScript> {
  if (script === '') return { statements: [], headerComments: [] }; // libpg-query refuses an empty string
  const { parseSync, scanSync, hasSqlDetails } = await loadParser();
  const indexOf = stringIndexOfByte(script); // the parser's offsets count UTF-8 bytes
  const lineAt = lineLocator(script);
  let tree: ParseResult;
  try {
    tree = parseSync(script);
  } catch (error) {
    if (!hasSqlDetails(error)) throw error;
    // Unlike the tree's locations, an error's position counts characters (PostgreSQL's errposition).
    throw new SqlSyntaxError(firstLine(error.message), lineAt(stringIndexOfCharacter(script, error.sqlDetails?.cursorPosition ?? 0)));
  }
  // From here on the scanner only reads text that parsed: it misreports what it cannot lex (an unterminated comment).
  const statements: SqlStatement[] = [];
  for (const raw of tree.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    // stmt_location is the statement's first token; stmt_len stops before its `;` (0: at the end of the script).
    const from = raw.stmt_location ?? 0;
    const start = indexOf(from);
    const source = script.slice(start, raw.stmt_len ? indexOf(from + raw.stmt_len) : script.length);
    const end = start + textLength(source, scanSync);
    statements.push({ text: script.slice(start, end), line: lineAt(start), start, end, node: raw.stmt });
  }
  const header = script.slice(0, statements[0]?.start ?? script.length);
  const headerComments =
    header.trim() === ''
      ? []
      : scanSync(header)
          .tokens.filter(isComment)
          .map((token) => token.text);
  return { statements, headerComments };
}

/** PostgreSQL's whitespace (scan.l's `space`). */
const SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

/**
 * The length of a statement's text in `source`, the script from the statement's first token to its
 * `;`: whitespace and comments may follow its last token there. Scanning is the costly part of
 * parsing, so it runs only when the source may end in a comment.
 */
function textLength(source: string, scanSync: (text: string) => ScanResult): number {
  let length = source.length;
  while (length > 0 && SPACE.has(source[length - 1]!)) length--;
  const lastLine = source.slice(source.lastIndexOf('\n', length - 1) + 1, length);
  if (!source.endsWith('*/', length) && !lastLine.includes('--')) return length;
  const last = scanSync(source).tokens.findLast((token) => !isComment(token));
  return last === undefined ? 0 : stringIndexOfByte(source)(last.end);
}

/**
 * The first line of a parser message: an unterminated string's "at or near" quotes the rest of the
 * script, and the runner's messages are one line.
 */
function firstLine(message: string): string {
  const newline = message.indexOf('\n');
  return newline === -1 ? message : `${message.slice(0, newline)}..."`;
}

/** The string index of the character at `position` (counted in code points) in `text`. */
function stringIndexOfCharacter(text: string, position: number): number {
  let index = 0;
  for (let character = 0; character < position && index < text.length; character++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  return index;
}

/** A function mapping a UTF-8 byte offset of `text` (as the parser counts) to its JavaScript string index. */
function stringIndexOfByte(text: string): (byteOffset: number) => number {
  const bytes = Buffer.byteLength(text);
  if (bytes === text.length) return (offset) => offset; // ASCII: the same
  const indexAt = new Uint32Array(bytes + 1);
  let byte = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    indexAt.fill(index, byte, byte + size);
    byte += size;
    if (size === 4) index++; // a surrogate pair: two string indexes
  }
  indexAt[bytes] = text.length;
  return (offset) => indexAt[Math.min(offset, bytes)]!;
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

/** Whether the script's comments before its first statement hold {@link NO_TRANSACTION_DIRECTIVE} as a line of its own. */
export function hasNoTransactionDirective(script: ParsedScript): boolean {
  return script.headerComments.some((comment) => /^--[ \t]*supply-ledger:[ \t]*no-transaction[ \t]*$/.test(comment));
}

/**
 * Why a statement cannot run inside a transaction block (PostgreSQL refuses it there), or
 * undefined when it can. `serverVersionNum` is `server_version_num` (ALTER TYPE ... ADD VALUE is
 * refused in a transaction before PostgreSQL 12 only).
 */
export function autocommitReason(statement: SqlStatement, serverVersionNum: number): string | undefined {
  const { node } = statement;
  if ('IndexStmt' in node && node.IndexStmt.concurrent) return 'CREATE INDEX CONCURRENTLY';
  if ('DropStmt' in node && node.DropStmt.removeType === 'OBJECT_INDEX' && node.DropStmt.concurrent) return 'DROP INDEX CONCURRENTLY';
  if ('ReindexStmt' in node) {
    const { kind, params } = node.ReindexStmt;
    const wide = kind === 'REINDEX_OBJECT_SCHEMA' || kind === 'REINDEX_OBJECT_SYSTEM' || kind === 'REINDEX_OBJECT_DATABASE';
    if (wide || isOptionOn(params, 'concurrently')) return 'REINDEX CONCURRENTLY/SCHEMA/DATABASE';
  }
  if ('VacuumStmt' in node && node.VacuumStmt.is_vacuumcmd) return 'VACUUM';
  if ('ClusterStmt' in node && node.ClusterStmt.relation === undefined) return 'CLUSTER without a table';
  if ('CreatedbStmt' in node) return 'CREATE DATABASE';
  if ('DropdbStmt' in node) return 'DROP DATABASE';
  if ('CreateTableSpaceStmt' in node) return 'CREATE TABLESPACE';
  if ('DropTableSpaceStmt' in node) return 'DROP TABLESPACE';
  if ('AlterSystemStmt' in node) return 'ALTER SYSTEM';
  if (
    'AlterDatabaseStmt' in node &&
    node.AlterDatabaseStmt.options?.some((option) => 'DefElem' in option && option.DefElem.defname === 'tablespace')
  ) {
    return 'ALTER DATABASE SET TABLESPACE';
  }
  if ('AlterTableStmt' in node && alterTableCommands(node.AlterTableStmt.cmds).some(isConcurrentDetach))
    return 'DETACH PARTITION CONCURRENTLY';
  if ('CreateSubscriptionStmt' in node) return 'CREATE SUBSCRIPTION';
  if ('DropSubscriptionStmt' in node) return 'DROP SUBSCRIPTION';
  if ('AlterEnumStmt' in node && node.AlterEnumStmt.oldVal === undefined && serverVersionNum < 120000) {
    return 'ALTER TYPE ... ADD VALUE before PostgreSQL 12';
  }
  return undefined;
}
