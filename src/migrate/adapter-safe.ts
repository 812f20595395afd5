/**
 * Prisma's pg driver adapter (`@prisma/adapter-pg`, used when Prisma's schema engine runs as
 * WebAssembly, as in `../shared/tools/prisma-engine`) applies a migration by splitting the file at
 * every ';' character and sending the pieces one by one. A semicolon inside a string, a function
 * body or a comment then cuts a statement in two. A migration.sql that must deploy with that engine
 * therefore keeps ';' for statement ends only: function bodies and DO blocks are written as E'...'
 * strings in which a semicolon is the escape \073.
 */
import { EXIT, UserError } from '../errors.ts';
import { lineLocator, tokenize } from './sql.ts';

/** Where a ';' that is not a statement end would break the file for the adapter, if anywhere. */
export function adapterSplitProblem(script: string): { line: number; where: string } | undefined {
  const lineAt = lineLocator(script);
  const ends = new Set(tokenize(script).filter((token) => token.kind === 'symbol' && token.value === ';').map((token) => token.start));
  for (let at = script.indexOf(';'); at !== -1; at = script.indexOf(';', at + 1)) {
    if (!ends.has(at)) return { line: lineAt(at), where: describeContext(script, at) };
  }
  return undefined;
}

/**
 * Rewrites the strings of `script` that contain ';' (dollar-quoted function bodies and DO blocks,
 * quoted strings) as E'...' strings with \073 for each semicolon, so that the adapter's splitting
 * leaves every statement whole. A ';' in a comment or an identifier cannot be rewritten: refused.
 */
export function toAdapterSafe(script: string): string {
  let result = '';
  let at = 0;
  for (const token of tokenize(script)) {
    if (token.kind !== 'string' || !token.value.includes(';')) continue;
    result += script.slice(at, token.start) + escapedString(stringContent(token.value));
    at = token.end;
  }
  result += script.slice(at);
  const problem = adapterSplitProblem(result);
  if (problem) throw new UserError(`line ${problem.line}: a ';' in ${problem.where} cannot be rewritten; remove it`, EXIT.FAILURE);
  return result;
}

/** The text a string literal denotes: dollar-quoted as written, '' and E'' with their escapes undone. */
function stringContent(literal: string): string {
  if (literal.startsWith('$')) {
    const tag = literal.slice(0, literal.indexOf('$', 1) + 1);
    return literal.slice(tag.length, literal.length - tag.length);
  }
  if (literal[0] === 'E' || literal[0] === 'e') {
    return literal.slice(2, -1).replace(/\\(0[0-7]{2}|.)/gs, (_, escape: string) => (escape.length === 3 ? String.fromCharCode(Number.parseInt(escape, 8)) : unescapeChar(escape))).replaceAll("''", "'");
  }
  return literal.slice(1, -1).replaceAll("''", "'");
}

function unescapeChar(char: string): string {
  return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[char] ?? char;
}

function escapedString(content: string): string {
  return `E'${content.replaceAll('\\', '\\\\').replaceAll("'", "''").replaceAll(';', '\\073')}'`;
}

function describeContext(script: string, at: number): string {
  const before = script.lastIndexOf('\n', at) + 1;
  const line = script.slice(before, script.indexOf('\n', at) === -1 ? undefined : script.indexOf('\n', at));
  if (/^\s*--/.test(line) || line.slice(0, at - before).includes('--')) return 'a comment';
  return `"${line.trim().slice(0, 60)}"`;
}
