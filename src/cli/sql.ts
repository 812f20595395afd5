import fs from 'node:fs';
import { UserError } from '../errors.ts';
import { adapterSplitProblem, toAdapterSafe } from '../migrate/adapter-safe.ts';

/**
 * `sql adapter-safe FILE...`: rewrites migration files so that Prisma's driver adapter, which
 * splits at every ';', sends each statement whole (see src/migrate/adapter-safe.ts).
 */
export function sqlAdapterSafe(files: string[]): void {
  if (files.length === 0) throw new UserError('sql adapter-safe needs the migration.sql files to rewrite', 2);
  for (const file of files) {
    let script: string;
    try {
      script = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (adapterSplitProblem(script) === undefined) {
      console.log(`${file}: already safe`);
      continue;
    }
    let safe: string;
    try {
      safe = toAdapterSafe(script);
    } catch (error) {
      throw new UserError(`${file} ${(error as Error).message}`);
    }
    fs.writeFileSync(file, safe);
    console.log(`${file}: rewritten`);
  }
}
