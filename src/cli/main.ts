import { SupplyLedgerError } from '../errors.ts';
import { type FlagSpec, type ParsedArgs, parseArgs } from './args.ts';
import { EXIT, UsageError } from './errors.ts';
import { type Io, processIo } from './io.ts';
import { backfill } from './backfill.ts';
import { backupCreate, backupList, backupRestore, backupVerify } from './backup.ts';
import { dbSeed, dbSetup, dbStart, dbStop, dbUrl } from './db.ts';
import { matviewsRefresh } from './matviews.ts';
import { TIMEOUT_FLAGS, migrateDeploy, migrateResolve, migrateRollback, migrateStatus, migrateVerify } from './migrate.ts';
import { runPrisma } from './prisma.ts';
import { needsListCompute } from './replenishment.ts';
import { fsmaCommand, recallCommand, traceCommand } from './trace.ts';

interface Command {
  summary: string;
  run(args: string[], io: Io): Promise<number | void> | number | void;
}

/** The --client line of a command's help (a line `  LABEL\tTEXT`, aligned by {@link alignOptions}). */
const CLIENT_HELP = `  --client CODE\tthe client (tenant) whose data to read; needed when the database has several`;

const TIMEOUT_HELP = `  --lock-timeout D\tlock_timeout of migration statements (default 2s; env MIGRATE_LOCK_TIMEOUT)
  --statement-timeout D\tstatement_timeout of migration statements (default none; env MIGRATE_STATEMENT_TIMEOUT)
  --lock-wait D\thow long to wait for another run's migration lock (default 60s; env MIGRATE_LOCK_WAIT)
  --attempts N\tattempts of a migration that hits lock_timeout or a deadlock (default 10)
Durations: 500ms, 2s, 1min.`;

/**
 * `usage` with its option lines aligned: a line `  LABEL\tTEXT` becomes LABEL padded to the longest
 * label of the text, then TEXT; a line `\tMORE` continues the one before it under its TEXT.
 *
 * @example
 * alignOptions('x\n  --json\tas JSON\n  --at TIME\tas of TIME\n\tdefault now')
 * // 'x\n  --json     as JSON\n  --at TIME  as of TIME\n             default now'
 */
export function alignOptions(usage: string): string {
  const option = /^ {2}(\S[^\t]*)\t(.*)$/;
  const lines = usage.split('\n');
  const width = Math.max(0, ...lines.map((line) => option.exec(line)?.[1]!.length ?? 0));
  return lines
    .map((line) => {
      const parts = option.exec(line);
      if (parts !== null) return `  ${parts[1]!.padEnd(width)}  ${parts[2]}`;
      return line.startsWith('\t') ? `${' '.repeat(width + 4)}${line.slice(1)}` : line;
    })
    .join('\n');
}

/**
 * A command with flags `spec` and at most `maxPositionals` arguments; `--help` prints `usage`
 * (its option lines aligned by {@link alignOptions}). Anything else on the command line is a
 * usage error.
 */
function command<S extends FlagSpec>(
  summary: string,
  usage: string,
  spec: S,
  maxPositionals: number,
  run: (parsed: ParsedArgs<S>, io: Io) => Promise<number | void> | number | void,
): Command {
  return {
    summary,
    run: (args, io) => {
      const parsed = parseArgs(args, { ...spec, help: 'boolean' });
      if (parsed.flags.help) {
        io.out(`${summary}\n\nusage: supply-ledger ${alignOptions(usage)}`);
        return;
      }
      if (parsed.positionals.length > maxPositionals) {
        throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
      }
      return run(parsed as ParsedArgs<S>, io);
    },
  };
}

const COMMANDS: Record<string, Command> = {
  'db start': command('start the embedded PostgreSQL in the background and print its URL', 'db start', {}, 0, (_, io) => dbStart(io)),
  'db stop': command('stop the embedded PostgreSQL', 'db stop', {}, 0, (_, io) => dbStop(io)),
  'db url': command('print the database URL commands use (DATABASE_URL, else the embedded server)', 'db url', {}, 0, (_, io) => dbUrl(io)),
  'db setup': command('resolve the database, deploy pending migrations, run the seed, print a summary', 'db setup', {}, 0, (_, io) =>
    dbSetup(io),
  ),
  'db seed': command('run the seed (idempotent; refused with NODE_ENV=production unless ALLOW_SEED=true)', 'db seed', {}, 0, (_, io) =>
    dbSeed(io),
  ),
  'migrate deploy': command(
    'apply pending migrations as `prisma migrate deploy` does',
    `migrate deploy [--dry-run] [--verify] [--backup [--backup-dir DIR]] [--json] [timeouts]
  --dry-run\tprint the plan (statements, locks, table sizes) and change nothing
  --verify\trun each migration's validate.sql right after it; undo the migration when it fails
  --backup\twhen migrations are pending, first a verified backup (see backup --help); a backup
\tthat fails verification stops the deploy before anything changes
  --backup-dir DIR\twhere the archive goes (default SUPPLY_LEDGER_BACKUP_DIR, else ./backups)
  --json\tone JSON object per line on stdout
${TIMEOUT_HELP}`,
    { ...TIMEOUT_FLAGS, 'dry-run': 'boolean', verify: 'boolean', json: 'boolean', backup: 'boolean', 'backup-dir': 'string' },
    0,
    ({ flags }, io) => migrateDeploy(flags, io),
  ),
  backup: command(
    'a verified backup: pg_dump -Fc as supply_ledger_backup, read in full, restored and counted, recorded',
    `backup [--dir DIR] [--json]
  --dir DIR\twhere the archive goes (default SUPPLY_LEDGER_BACKUP_DIR, else ./backups)
pg_dump and pg_restore must be at least the server's version: PG_BIN, else PATH. The verification
reads the whole archive (pg_restore to /dev/null), restores it into a scratch database and compares
every table's row count with the source's (counted in the dump's snapshot); ops.migration_backup
records it. Runs as an operator (a superuser: the scratch database is created and dropped).`,
    { dir: 'string', json: 'boolean' },
    0,
    ({ flags }, io) => backupCreate(flags, io),
  ),
  'backup verify': command(
    'verify a recorded backup again (sha256, full read, scratch restore, row counts); exit code 1 when it fails',
    'backup verify ID [--json]',
    { json: 'boolean' },
    1,
    ({ flags, positionals }, io) => backupVerify(positionals[0], flags, io),
  ),
  'backup restore': command(
    'restore a verified backup into an empty database (a drill, or a recovery) and compare its row counts',
    'backup restore ID --into URL [--json]',
    { into: 'string', json: 'boolean' },
    1,
    ({ flags, positionals }, io) => backupRestore(positionals[0], flags, io),
  ),
  'backup list': command(
    'the backups ops.migration_backup records, newest first',
    'backup list [--json]',
    { json: 'boolean' },
    0,
    ({ flags }, io) => backupList(flags, io),
  ),
  'migrate status': command(
    'compare the database with prisma/migrations; exit code 1 when not up to date',
    'migrate status [--json]',
    { json: 'boolean' },
    0,
    ({ flags }, io) => migrateStatus(flags, io),
  ),
  'migrate resolve': command(
    'record a migration as applied (baseline, hotfix) or a failed one as rolled back, as `prisma migrate resolve`',
    'migrate resolve (--applied NAME | --rolled-back NAME) [--lock-wait D]',
    { applied: 'string', 'rolled-back': 'string', 'lock-wait': 'string' },
    0,
    ({ flags }, io) => migrateResolve(flags, io),
  ),
  'migrate rollback': command(
    'run the down.sql of the latest applied migrations, newest first, and mark them rolled back',
    `migrate rollback [--steps N | --to NAME] [--json] [timeouts]
  --steps N\troll back the N latest applied migrations (default 1)
  --to NAME\troll back every migration applied after NAME
${TIMEOUT_HELP}`,
    { ...TIMEOUT_FLAGS, steps: 'string', to: 'string', json: 'boolean' },
    0,
    ({ flags }, io) => migrateRollback(flags, io),
  ),
  'migrate verify': command(
    'run the validate.sql of applied migrations (or of NAME) in a rolled-back transaction; exit code 1 on a failure',
    'migrate verify [NAME] [--json]',
    { json: 'boolean' },
    1,
    ({ flags, positionals }, io) => migrateVerify(positionals[0], flags, io),
  ),
  'matviews refresh': command(
    'refresh the inventory materialized views CONCURRENTLY (readers are not blocked)',
    `matviews refresh
Runs as an operator (a superuser or a member of supply_ledger_owner): the views hold every client's rows.`,
    {},
    0,
    (_, io) => matviewsRefresh(io),
  ),
  'trace forward': command(
    'every batch, pallet and shipment (with its customer) a lot or batch reached (recall), as a tree',
    `trace forward TLC [--client CODE] [--json] [--max-depth N]
  TLC\tthe traceability lot code of an ingredient lot or a batch
${CLIENT_HELP}
  --json\tthe nodes as JSON
  --max-depth N\tstop N hops from the start (default 50)`,
    { json: 'boolean', 'max-depth': 'string', client: 'string' },
    1,
    ({ flags, positionals }, io) => traceCommand('forward', positionals[0], flags, io),
  ),
  'trace backward': command(
    'every pallet, batch and ingredient lot (with its supplier) a batch, pallet or shipment came from, as a tree',
    `trace backward CODE [--client CODE] [--json] [--max-depth N]
  CODE\ta batch number or TLC, an SSCC or a pallet number, a shipment's tracking number or SHIPMENT-<id>
${CLIENT_HELP}
  --json\tthe nodes as JSON
  --max-depth N\tstop N hops from the start (default 50)`,
    { json: 'boolean', 'max-depth': 'string', client: 'string' },
    1,
    ({ flags, positionals }, io) => traceCommand('backward', positionals[0], flags, io),
  ),
  'trace recall': command(
    'recall report for a TLC: what it reached, statuses, what is still on hand where, the shipments and their customers',
    `trace recall TLC [--client CODE] [--json]
${CLIENT_HELP}`,
    { json: 'boolean', client: 'string' },
    1,
    ({ flags, positionals }, io) => recallCommand(positionals[0], flags, io),
  ),
  'trace fsma': command(
    'FSMA 204 records of a TLC as a sortable spreadsheet (CSV), one row per critical tracking event',
    `trace fsma TLC [--client CODE] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
${CLIENT_HELP}
  --from, --to\tonly events on or after, on or before these dates
  --json\tthe rows as JSON instead of CSV`,
    { from: 'string', to: 'string', json: 'boolean', client: 'string' },
    1,
    ({ flags, positionals }, io) => fsmaCommand(positionals[0], flags, io),
  ),
  'needs-list compute': command(
    'compute the needs list of a warehouse for a relief event (a new DRAFT, superseding the last one), or of all its warehouses',
    `needs-list compute --event CODE (--warehouse CODE | --all-warehouses [--concurrency N]) [--at ISO-TIME] [--actor NAME] [--client CODE] [--json]
  --event CODE\tthe relief event (its code or id)
  --warehouse CODE\tthe warehouse (its code or id)
  --all-warehouses\tevery active warehouse of the event, one transaction each: a summary line per list
\t(progress on stderr)
  --concurrency N\tlists computed at a time with --all-warehouses (default 2)
  --at ISO-TIME\tcompute as of this time (default now)
  --actor NAME\twho computes it (default 'supply-ledger cli')
${CLIENT_HELP}
  --json\tthe list as JSON (with --all-warehouses, the summaries)`,
    {
      event: 'string',
      warehouse: 'string',
      'all-warehouses': 'boolean',
      concurrency: 'string',
      at: 'string',
      actor: 'string',
      client: 'string',
      json: 'boolean',
    },
    0,
    ({ flags }, io) => needsListCompute(flags, io),
  ),
  backfill: command(
    'run a batched, resumable data backfill after a deploy, client by client (--list shows them)',
    `backfill NAME [--dry-run] [--batch-size N] [--from-client CODE] [--start-after ID] [--max-batches N] | backfill --list
  --dry-run\trun every batch and roll it back: shows what would change
  --batch-size N\trows per batch, each batch its own transaction (default 1000; product-timing 5000)
  --from-client CODE\tstart at this client, then the clients after it in id order (default: the first)
  --start-after ID\tresume that first client after the last_id a previous run printed; with several
\tclients it needs --from-client (the client= of that [progress] line)
  --max-batches N\tstop after N batches in all
Runs as an operator (a superuser or a member of supply_ledger_owner), each client's batches working
for that client; a database deployed before create_client has no clients and runs once.`,
    {
      'dry-run': 'boolean',
      'batch-size': 'string',
      'from-client': 'string',
      'start-after': 'string',
      'max-batches': 'string',
      list: 'boolean',
    },
    1,
    ({ flags, positionals }, io) => backfill(positionals[0], flags, io),
  ),
  prisma: { summary: 'run `prisma generate|validate|format` without downloading Prisma engines', run: (args, io) => runPrisma(args, io) },
};

/** The width of the longest command name: the summaries of a command list start one space after it. */
const NAME_WIDTH = Math.max(...Object.keys(COMMANDS).map((name) => name.length));

const USAGE = `usage: supply-ledger <command> [flags]   (--help after a command tells more)

commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(NAME_WIDTH)} ${summary}`)
  .join('\n')}

The database is DATABASE_URL when set, else the embedded PostgreSQL (started for the command's
duration when it is not running). Exit codes: 0 success, 1 failure (or not up to date, for
status; an assertion failed, for verify), 2 bad command line.`;

/**
 * Runs one command line, writing to `io`, and returns the process exit code. User mistakes print
 * one line, never a stack.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.out(USAGE);
      return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    const group = Object.keys(COMMANDS).filter((name) => name.startsWith(`${argv[0]} `));
    if (group.length > 0 && !(argv[0]! in COMMANDS) && (argv.length === 1 || argv[1] === '--help' || argv[1] === '-h')) {
      io.out(group.map((name) => `  ${name.padEnd(NAME_WIDTH)} ${COMMANDS[name]!.summary}`).join('\n'));
      return argv.length === 1 ? EXIT.USAGE : EXIT.OK;
    }
    const [name, args] = findCommand(argv);
    return (await COMMANDS[name]!.run(args, io)) ?? EXIT.OK;
  } catch (error) {
    if (error instanceof SupplyLedgerError) {
      io.err(`supply-ledger: ${error.message}`);
      return exitCode(error);
    }
    if (isDatabaseError(error)) {
      io.err(`supply-ledger: database error: ${error.message} (SQLSTATE ${error.code})`);
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
  const group = Object.keys(COMMANDS).some((name) => name.startsWith(`${argv[0]} `));
  const what = group ? `'${argv.slice(0, 2).join(' ')}'` : `'${argv[0]}'`;
  throw new UsageError(`unknown command ${what}; run with --help for the list`);
}

/** 2 for a mistake on the command line (the CLI checks its flags and arguments itself), 1 for any other failure. */
function exitCode(error: SupplyLedgerError): number {
  return error instanceof UsageError ? EXIT.USAGE : EXIT.FAILURE;
}

function isDatabaseError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && 'severity' in error;
}
