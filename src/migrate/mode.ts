import { UserError } from '../errors.ts';
import { type SqlStatement, autocommitReason, hasNoTransactionDirective, lineLocator, splitStatements, tokenize, unterminatedAt } from './sql.ts';

/**
 * How the runner applies a script (a migration.sql or a down.sql):
 * - `transaction`: the whole file in one transaction, together with its `_prisma_migrations`
 *   update, so that it is applied entirely or not at all (what Prisma's implicit transaction gives,
 *   made atomic with the bookkeeping);
 * - `statements`: statement by statement, outside any one transaction, with the progress recorded
 *   after each; for files marked `-- supply-ledger: no-transaction`, and for a single statement
 *   PostgreSQL refuses inside a transaction (which Prisma, too, runs on its own).
 */
export type ExecutionMode =
  | { kind: 'transaction'; statements: SqlStatement[] }
  | { kind: 'statements'; statements: SqlStatement[]; why: 'directive' | 'single statement' };

const TRANSACTION_CONTROL = new Set(['BEGIN', 'COMMIT', 'ROLLBACK', 'END', 'ABORT', 'START']);

/**
 * Decides how `script` runs, and refuses, naming the line, what would go wrong once it runs: a
 * statement that cannot run in a transaction inside a multi-statement file without the directive,
 * transaction control (the runner and Prisma already wrap the file), an unterminated string or
 * comment. `label` names the file in messages.
 */
export function executionMode(label: string, script: string, serverVersionNum: number): ExecutionMode {
  const lineAt = lineLocator(script);
  const unterminated = unterminatedAt(script);
  if (unterminated) throw new UserError(`${label} line ${lineAt(unterminated.offset)}: unterminated ${unterminated.what}`);

  const statements = splitStatements(script);
  for (const statement of statements) {
    const [first, second] = tokenize(statement.text).map((token) => token.value);
    const isControl = first !== undefined && TRANSACTION_CONTROL.has(first) && !(first === 'ROLLBACK' && second === 'TO');
    if (isControl && (first !== 'START' || second === 'TRANSACTION')) {
      throw new UserError(
        `${label} line ${statement.line}: ${first} controls the transaction, which the runner (and Prisma) already does; remove it`,
      );
    }
  }
  if (hasNoTransactionDirective(script)) return { kind: 'statements', statements, why: 'directive' };

  const refused = statements
    .map((statement) => ({ statement, reason: autocommitReason(statement.text, serverVersionNum) }))
    .find(({ reason }) => reason !== undefined);
  if (refused === undefined) return { kind: 'transaction', statements };
  if (statements.length === 1) return { kind: 'statements', statements, why: 'single statement' };
  throw new UserError(
    `${label} line ${refused.statement.line}: ${refused.reason} cannot run inside a transaction, and a file of several ` +
      `statements runs as one; give it a migration of its own (as Prisma requires) or mark the file with "-- supply-ledger: no-transaction"`,
  );
}
