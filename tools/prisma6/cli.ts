#!/usr/bin/env tsx
// The command line of tools/prisma6 (the npm scripts prisma:drift, prisma:diff, prisma:create,
// prisma6:deploy and prisma6:status call it); see `--help`.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, UsageError } from '../../src/cli/errors.ts';
import { withDatabase } from '../../src/db/database.ts';
import { PROJECT_ROOT, readEnvironment } from '../../src/db/env.ts';
import { InvalidArgumentError, SupplyLedgerError } from '../../src/errors.ts';
import { SCHEMA_PATH } from '../../src/project.ts';
import { type PrismaRun, type ScratchOptions, createMigration, deploy, diff, drift, status } from './prisma6.ts';

const USAGE = `Prisma's own schema engine (Prisma 6.19 run as WebAssembly), for machines that cannot download
Prisma 7's native engine.

usage: tsx tools/prisma6/cli.ts <command> [--schema PATH] [--migrations DIR]
  drift          exit 0 when the migrations produce exactly the schema; else print the SQL that
                 is missing (what \`prisma migrate dev\` would add) and exit 1
  diff           print that SQL (\`prisma migrate diff --from-migrations ... --script\`)
  create NAME    write it as <migrations>/<UTC timestamp>_NAME/migration.sql, as
                 \`prisma migrate dev --create-only --name NAME\` does (empty when there is none)
  deploy         Prisma's own \`prisma migrate deploy\` against DATABASE_URL
  status         Prisma's own \`prisma migrate status\` against DATABASE_URL

  --schema PATH      Prisma schema file or folder (default prisma/schema)
  --migrations DIR   migrations folder (default prisma/migrations)

drift, diff and create replay the migrations into a scratch database, created and dropped on the
server of PRISMA_ENGINE_SERVER_URL, else of DATABASE_URL, else on the embedded PostgreSQL
(started for the command's duration when it is not running).
Exit codes: 0 success (no drift), 1 drift or failure, 2 a mistake on the command line.`;

const COMMANDS = ['drift', 'diff', 'create', 'deploy', 'status'] as const;

/** What each command needs from the command line. */
interface Invocation {
  command: (typeof COMMANDS)[number];
  name: string | undefined;
  schemaPath: string | undefined;
  migrationsDir: string | undefined;
}

function parseCommandLine(argv: string[]): Invocation | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { schema: { type: 'string' }, migrations: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help) return 'help';
  const [command, ...rest] = positionals;
  if (command === undefined) throw new UsageError('no command; run with --help for the list');
  if (!isCommand(command)) throw new UsageError(`unknown command '${command}'; run with --help for the list`);
  const arity = command === 'create' ? 1 : 0;
  if (rest.length < arity) throw new UsageError('create needs a migration NAME');
  if (rest.length > arity) throw new UsageError(`unexpected argument '${rest[arity]}'`);
  return { command, name: rest[0], schemaPath: values.schema, migrationsDir: values.migrations };
}

function isCommand(word: string): word is Invocation['command'] {
  return (COMMANDS as readonly string[]).includes(word);
}

async function run(invocation: Invocation): Promise<number> {
  const options = { schemaPath: invocation.schemaPath, migrationsDir: invocation.migrationsDir };
  const onScratchServer = (fn: (scratch: ScratchOptions) => Promise<number>) =>
    withDatabase(({ url }) => fn({ ...options, serverUrl: process.env.PRISMA_ENGINE_SERVER_URL?.trim() || url }));
  switch (invocation.command) {
    case 'drift':
      return onScratchServer(reportDrift);
    case 'diff':
      return onScratchServer(async (scratch) => {
        process.stdout.write((await diff(scratch)).sql);
        return EXIT.OK;
      });
    case 'create':
      return onScratchServer(async (scratch) => reportCreated(await createMigration(invocation.name ?? '', scratch)));
    case 'deploy':
      return passThrough(await deploy(requiredDatabaseUrl(), options));
    case 'status':
      return passThrough(await status(requiredDatabaseUrl(), options));
  }
}

async function reportDrift(options: ScratchOptions): Promise<number> {
  const schema = relative(options.schemaPath ?? SCHEMA_PATH);
  const { missingSql } = await drift(options);
  if (missingSql === '') {
    console.log(`no drift: the migrations produce exactly ${schema}`);
    return EXIT.OK;
  }
  console.log(`drift: the migrations do not produce ${schema}; this SQL is missing:\n${missingSql}`);
  return EXIT.FAILURE;
}

function reportCreated({ file, empty }: { file: string; empty: boolean }): number {
  console.log(`created ${relative(file)}${empty ? ' (empty: the migrations already produce the schema)' : ''}`);
  return EXIT.OK;
}

function passThrough(run: PrismaRun): number {
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  return run.exitCode;
}

function requiredDatabaseUrl(): string {
  const url = readEnvironment().databaseUrl;
  if (url === undefined) throw new UsageError('DATABASE_URL is not set: deploy and status run against that database');
  return url;
}

/** A path inside the project relative to its root, for shorter messages; any other absolute. */
function relative(file: string): string {
  const absolute = path.resolve(file);
  const inside = path.relative(PROJECT_ROOT, absolute);
  return inside === '' || inside.startsWith('..') ? absolute : inside;
}

/** Runs the command line; user errors are one line on stderr, without a stack trace. */
async function main(argv: string[]): Promise<number> {
  try {
    const invocation = parseCommandLine(argv);
    if (invocation === 'help') {
      console.log(USAGE);
      return EXIT.OK;
    }
    return await run(invocation);
  } catch (error) {
    if (error instanceof SupplyLedgerError) {
      console.error(`prisma6: ${error.message}`);
      // A bad migration name is a mistake on the command line, as a bad flag is.
      return error instanceof UsageError || error instanceof InvalidArgumentError ? EXIT.USAGE : EXIT.FAILURE;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
      console.error(`prisma6: ${(error as Error).message}`);
      return EXIT.USAGE;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
