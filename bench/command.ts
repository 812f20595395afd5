/**
 * The command line of a benchmark (`npm run bench:*`): flags and `--help` as the supply-ledger
 * command line parses them, and a mistake or a failure as one line with its exit code.
 */
import { type FlagSpec, type ParsedArgs, parseArgs } from '../src/cli/args.ts';
import { EXIT, UsageError } from '../src/cli/errors.ts';
import { SupplyLedgerError } from '../src/errors.ts';

/**
 * Parses the process's arguments by `flags` and runs `run` with them; `--help` prints `usage`.
 * Sets the process's exit code.
 *
 * @example
 * await benchCommand('bench:trace', USAGE, { lots: 'string', json: 'boolean' }, async (flags) => { ... });
 */
export async function benchCommand<S extends FlagSpec>(
  name: string,
  usage: string,
  flags: S,
  run: (flags: ParsedArgs<S>['flags']) => Promise<void>,
): Promise<void> {
  try {
    const parsed = parseArgs(process.argv.slice(2), { ...flags, help: 'boolean' });
    if (parsed.flags.help) {
      console.log(usage);
      return;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'; see --help`);
    await run(parsed.flags as ParsedArgs<S>['flags']);
  } catch (error) {
    if (!(error instanceof SupplyLedgerError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exitCode = error instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
  }
}
