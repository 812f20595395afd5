import { type MigrationFile, MigrationScriptError } from './errors.ts';
import { type ParsedScript, type SqlStatement, SqlSyntaxError, autocommitReason, hasNoTransactionDirective, parseScript } from './sql.ts';

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

/**
 * Transaction control, which has no place inside the runner's own transaction: COMMIT, ROLLBACK and
 * PREPARE TRANSACTION would end it part-way through a migration, BEGIN only shows a file written to
 * manage its own, and COMMIT/ROLLBACK PREPARED cannot run in a transaction at all. Savepoints
 * (ROLLBACK TO included) stay inside it and are allowed.
 */
const TRANSACTION_CONTROL = new Set([
  'TRANS_STMT_BEGIN',
  'TRANS_STMT_START',
  'TRANS_STMT_COMMIT',
  'TRANS_STMT_ROLLBACK',
  'TRANS_STMT_PREPARE',
  'TRANS_STMT_COMMIT_PREPARED',
  'TRANS_STMT_ROLLBACK_PREPARED',
]);

/** A script of a migration folder, and which one it is (for messages). */
export interface MigrationScript {
  migration: string;
  file: MigrationFile;
  text: string;
}

/**
 * Decides how `script` runs, and refuses with a {@link MigrationScriptError} naming the line what
 * would go wrong once it runs: SQL PostgreSQL's parser rejects (with its message), a statement that
 * cannot run in a transaction inside a multi-statement file without the directive, transaction
 * control (the runner and Prisma already wrap the file).
 */
export async function executionMode(script: MigrationScript, serverVersionNum: number): Promise<ExecutionMode> {
  const refuse = (line: number, reason: string) => new MigrationScriptError(script.migration, script.file, line, reason);
  let parsed: ParsedScript;
  try {
    parsed = await parseScript(script.text);
  } catch (error) {
    if (error instanceof SqlSyntaxError) throw refuse(error.line, error.message);
    throw error;
  }
  const { statements } = parsed;
  for (const statement of statements) {
    const { node } = statement;
    if ('TransactionStmt' in node && TRANSACTION_CONTROL.has(node.TransactionStmt.kind ?? '')) {
      // The keyword as written (END and ABORT parse as COMMIT and ROLLBACK).
      const keyword = /^[A-Za-z]+/.exec(statement.text)![0].toUpperCase();
      throw refuse(statement.line, `${keyword} controls the transaction, which the runner (and Prisma) already does; remove it`);
    }
  }
  if (hasNoTransactionDirective(parsed)) return { kind: 'statements', statements, why: 'directive' };

  const refused = statements
    .map((statement) => ({ statement, reason: autocommitReason(statement, serverVersionNum) }))
    .find(({ reason }) => reason !== undefined);
  if (refused === undefined) return { kind: 'transaction', statements };
  if (statements.length === 1) return { kind: 'statements', statements, why: 'single statement' };
  throw refuse(
    refused.statement.line,
    `${refused.reason} cannot run inside a transaction, and a file of several statements runs as one; ` +
      'give it a migration of its own (as Prisma requires) or mark the file with "-- supply-ledger: no-transaction"',
  );
}
