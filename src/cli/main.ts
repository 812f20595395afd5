import { EXIT, UserError } from '../errors.ts';
import { parseArgs } from './args.ts';
import { dbSeed, dbSetup, dbStart, dbStop, dbUrl } from './db.ts';
import { migrateDeploy } from './migrate.ts';
import { runPrisma } from './prisma.ts';

interface Command {
  summary: string;
  run(args: string[]): Promise<number | void> | number | void;
}

const COMMANDS: Record<string, Command> = {
  'db start': { summary: 'start the embedded PostgreSQL in the background and print its URL', run: noArgs(dbStart) },
  'db stop': { summary: 'stop the embedded PostgreSQL', run: noArgs(dbStop) },
  'db url': { summary: 'print the database URL commands use (DATABASE_URL, else the embedded server)', run: noArgs(dbUrl) },
  'db setup': { summary: 'resolve the database, deploy pending migrations, run the seed, print a summary', run: noArgs(dbSetup) },
  'db seed': { summary: 'run the seed (idempotent; refused with NODE_ENV=production unless ALLOW_SEED=true)', run: noArgs(dbSeed) },
  'migrate deploy': { summary: 'apply pending migrations as `prisma migrate deploy` does', run: noArgs(migrateDeploy) },
  prisma: { summary: 'run `prisma generate|validate|format` without downloading Prisma engines', run: runPrisma },
};

const USAGE = `usage: supply-ledger <command> [flags]

commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(16)} ${command.summary}`)
  .join('\n')}

The database is DATABASE_URL when set, else the embedded PostgreSQL (started for the command's
duration when it is not running). Exit codes: 0 success, 1 failure, 2 bad command line.`;

/** Runs one command line and returns the process exit code. User mistakes print one line, never a stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      console.log(USAGE);
      return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    const [name, args] = findCommand(argv);
    return (await COMMANDS[name]!.run(args)) ?? EXIT.OK;
  } catch (error) {
    if (error instanceof UserError) {
      console.error(`supply-ledger: ${error.message}`);
      return error.exitCode;
    }
    if (isDatabaseError(error)) {
      console.error(`supply-ledger: database error: ${error.message} (SQLSTATE ${error.code})`);
      return EXIT.FAILURE;
    }
    throw error;
  }
}

function findCommand(argv: string[]): [string, string[]] {
  for (const length of [2, 1]) {
    const name = argv.slice(0, length).join(' ');
    if (argv.length >= length && name in COMMANDS) return [name, argv.slice(length)];
  }
  throw new UserError(`unknown command '${argv.join(' ')}'; run with --help for the list`, EXIT.USAGE);
}

/** Wraps a command that takes no arguments: it still answers --help and rejects anything else. */
function noArgs(run: () => Promise<void> | void): Command['run'] {
  return async (args) => {
    const { flags, positionals } = parseArgs(args, { help: 'boolean' });
    if (flags.help) {
      console.log(USAGE);
      return;
    }
    if (positionals.length > 0) throw new UserError(`unexpected argument '${positionals[0]}'`, EXIT.USAGE);
    await run();
  };
}

function isDatabaseError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'severity' in error;
}
