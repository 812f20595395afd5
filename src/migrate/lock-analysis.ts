/**
 * The table-level lock each statement of a migration takes, read from its parse tree alone (a dry
 * run must not touch the database). The rules follow PostgreSQL's documentation of lock levels per
 * command ("Explicit Locking", and the ALTER TABLE page for each sub-command).
 */
import type { AlterTableCmd, AlterTableStmt, Constraint, Node, ObjectType } from 'libpg-query';
import type pg from 'pg';
import { alterTableCommands, isConcurrentDetach, isOptionOn, nameParts, relationName, relationNames, renderName } from './nodes.ts';
import type { SqlStatement } from './sql.ts';

export type LockMode =
  | 'ACCESS SHARE'
  | 'ROW SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE'
  | 'SHARE ROW EXCLUSIVE'
  | 'EXCLUSIVE'
  | 'ACCESS EXCLUSIVE';

/** Lock modes from weakest to strongest; LOCK's `mode` is a position in this list, counted from 1. */
const STRENGTH: LockMode[] = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];

/** One lock a statement takes on one relation. */
export interface RelationLock {
  /** The relation as the statement names it (schema-qualified when it is). */
  relation: string;
  mode: LockMode;
  /** The statement creates this relation: it holds no rows yet and nobody else can be using it. */
  created?: boolean;
  /** `relation` is an index: the lock falls on its table, which the plan looks up. */
  index?: boolean;
}

/** What a statement locks, plus what else a reviewer should know (table scans and rewrites). */
export interface StatementLocks {
  locks: RelationLock[];
  /** Set when the locks cannot be read from the statement (DO blocks, function calls, queries). */
  unknown?: string;
  notes: string[];
}

const UNKNOWN = 'procedural code or a query: its locks depend on what it runs';

/** The relation locks `statement` takes, by the rules of PostgreSQL's lock levels. */
export function statementLocks(statement: SqlStatement): StatementLocks {
  const result: StatementLocks = { locks: [], notes: [] };
  const lock = (relation: string | undefined, mode: LockMode, extra: Pick<RelationLock, 'created' | 'index'> = {}) => {
    if (relation !== undefined) result.locks.push({ relation, mode, ...extra });
  };
  const { node } = statement;

  if ('CreateStmt' in node) {
    const { relation, partbound, inhRelations, tableElts } = node.CreateStmt;
    lock(relationName(relation), 'ACCESS EXCLUSIVE', { created: true });
    if (partbound !== undefined) for (const parent of relationNames(inhRelations)) lock(parent, 'ACCESS EXCLUSIVE');
    for (const referenced of referencedTables(tableElts ?? [])) lock(referenced, 'SHARE ROW EXCLUSIVE');
  } else if ('CreateTableAsStmt' in node) {
    // CREATE TABLE ... AS and CREATE MATERIALIZED VIEW (SELECT ... INTO is a SelectStmt, a query).
    lock(relationName(node.CreateTableAsStmt.into?.rel), 'ACCESS EXCLUSIVE', { created: true });
  } else if ('ViewStmt' in node) {
    lock(relationName(node.ViewStmt.view), 'ACCESS EXCLUSIVE', node.ViewStmt.replace ? {} : { created: true });
  } else if ('IndexStmt' in node) {
    const { relation, concurrent } = node.IndexStmt;
    lock(relationName(relation), concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
    if (!concurrent) result.notes.push('blocks writes while the index builds');
  } else if ('CreateTrigStmt' in node) {
    lock(relationName(node.CreateTrigStmt.relation), 'SHARE ROW EXCLUSIVE');
  } else if ('CreatePolicyStmt' in node) {
    lock(relationName(node.CreatePolicyStmt.table), 'ACCESS EXCLUSIVE');
  } else if ('AlterPolicyStmt' in node) {
    lock(relationName(node.AlterPolicyStmt.table), 'ACCESS EXCLUSIVE');
  } else if ('RuleStmt' in node) {
    lock(relationName(node.RuleStmt.relation), 'ACCESS EXCLUSIVE');
  } else if ('AlterTableStmt' in node) {
    const { objtype, relation, cmds } = node.AlterTableStmt;
    if (objtype === 'OBJECT_TABLE') alterTableLocks(node.AlterTableStmt, result);
    else
      alterRelationLock(
        objtype,
        relationName(relation),
        lock,
        alterTableCommands(cmds).some((command) => command.subtype === 'AT_SetTableSpace'),
      );
  } else if ('RenameStmt' in node) {
    const { renameType, relationType, relation } = node.RenameStmt;
    // RENAME COLUMN and RENAME CONSTRAINT are sub-commands of the ALTER command of their relation.
    const altered = renameType === 'OBJECT_COLUMN' ? relationType : renameType === 'OBJECT_TABCONSTRAINT' ? 'OBJECT_TABLE' : renameType;
    alterRelationLock(altered, relationName(relation), lock);
  } else if ('AlterObjectSchemaStmt' in node) {
    alterRelationLock(node.AlterObjectSchemaStmt.objectType, relationName(node.AlterObjectSchemaStmt.relation), lock);
  } else if ('AlterObjectDependsStmt' in node) {
    alterRelationLock(node.AlterObjectDependsStmt.objectType, relationName(node.AlterObjectDependsStmt.relation), lock);
  } else if ('DropStmt' in node) {
    const { removeType, objects, concurrent, behavior } = node.DropStmt;
    const names = (objects ?? []).map(nameParts).filter((parts) => parts.length > 0);
    if (removeType === 'OBJECT_TABLE' || removeType === 'OBJECT_VIEW' || removeType === 'OBJECT_MATVIEW') {
      for (const parts of names) lock(renderName(parts), 'ACCESS EXCLUSIVE');
    } else if (removeType === 'OBJECT_INDEX') {
      for (const parts of names) lock(renderName(parts), concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', { index: true });
    } else if (removeType === 'OBJECT_TRIGGER' || removeType === 'OBJECT_POLICY' || removeType === 'OBJECT_RULE') {
      // Named `name ON table`: the parts are the table's, then the object's own name.
      for (const parts of names) lock(renderName(parts.slice(0, -1)), 'ACCESS EXCLUSIVE');
    } else if (removeType === 'OBJECT_SCHEMA' && behavior === 'DROP_CASCADE') {
      result.notes.push('CASCADE drops every object in the schema, each under ACCESS EXCLUSIVE');
    }
  } else if ('TruncateStmt' in node) {
    for (const relation of relationNames(node.TruncateStmt.relations)) lock(relation, 'ACCESS EXCLUSIVE');
  } else if ('InsertStmt' in node || 'UpdateStmt' in node || 'DeleteStmt' in node || 'MergeStmt' in node) {
    const write =
      'InsertStmt' in node
        ? node.InsertStmt
        : 'UpdateStmt' in node
          ? node.UpdateStmt
          : 'DeleteStmt' in node
            ? node.DeleteStmt
            : node.MergeStmt;
    if (write.withClause !== undefined) {
      result.unknown = UNKNOWN; // its WITH queries may write to other tables
    } else {
      lock(relationName(write.relation), 'ROW EXCLUSIVE');
      if ('UpdateStmt' in node) result.notes.push('locks every row it changes until the migration commits');
      if ('DeleteStmt' in node) result.notes.push('locks every row it deletes until the migration commits');
    }
  } else if ('LockStmt' in node) {
    const mode = STRENGTH[(node.LockStmt.mode ?? STRENGTH.length) - 1] ?? 'ACCESS EXCLUSIVE';
    for (const relation of relationNames(node.LockStmt.relations)) lock(relation, mode);
  } else if ('CommentStmt' in node) {
    const { objtype, object } = node.CommentStmt;
    const parts = nameParts(object);
    if (objtype === 'OBJECT_TABLE') lock(renderName(parts), 'SHARE UPDATE EXCLUSIVE');
    else if (objtype === 'OBJECT_COLUMN' && parts.length > 1) lock(renderName(parts.slice(0, -1)), 'SHARE UPDATE EXCLUSIVE');
  } else if ('RefreshMatViewStmt' in node) {
    lock(relationName(node.RefreshMatViewStmt.relation), node.RefreshMatViewStmt.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE');
  } else if ('VacuumStmt' in node) {
    // VACUUM and ANALYZE; only VACUUM FULL rewrites the table.
    const { is_vacuumcmd, options, rels } = node.VacuumStmt;
    const mode = is_vacuumcmd && isOptionOn(options, 'full') ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE';
    for (const rel of rels ?? []) if ('VacuumRelation' in rel) lock(relationName(rel.VacuumRelation.relation), mode);
  } else if ('ClusterStmt' in node) {
    lock(relationName(node.ClusterStmt.relation), 'ACCESS EXCLUSIVE');
  } else if ('ReindexStmt' in node) {
    const { kind, relation, params } = node.ReindexStmt;
    const index = kind === 'REINDEX_OBJECT_INDEX';
    const mode = isOptionOn(params, 'concurrently') ? 'SHARE UPDATE EXCLUSIVE' : index ? 'ACCESS EXCLUSIVE' : 'SHARE';
    if (index || kind === 'REINDEX_OBJECT_TABLE') lock(relationName(relation), mode, index ? { index } : {});
  } else if ('DoStmt' in node || 'SelectStmt' in node || 'CallStmt' in node) {
    result.unknown = UNKNOWN;
  }
  return result;
}

/**
 * The lock of an ALTER INDEX, ALTER VIEW, ALTER MATERIALIZED VIEW, ALTER POLICY, or of an ALTER
 * TABLE that renames or moves the table, whichever statement node it parsed to: `altered` is the
 * kind of relation the command alters.
 */
function alterRelationLock(
  altered: ObjectType | undefined,
  relation: string | undefined,
  lock: (relation: string | undefined, mode: LockMode, extra?: Pick<RelationLock, 'index'>) => void,
  movesTablespace = false,
): void {
  if (altered === 'OBJECT_INDEX') lock(relation, movesTablespace ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', { index: true });
  else if (altered === 'OBJECT_TABLE' || altered === 'OBJECT_VIEW' || altered === 'OBJECT_MATVIEW' || altered === 'OBJECT_POLICY') {
    lock(relation, 'ACCESS EXCLUSIVE');
  }
}

/** ALTER TABLE takes, for all its sub-commands, the strongest lock any of them needs. */
function alterTableLocks(statement: AlterTableStmt, result: StatementLocks): void {
  const table = relationName(statement.relation);
  if (table === undefined) return;
  const commands = alterTableCommands(statement.cmds);
  result.locks.push({ relation: table, mode: strongest(commands.map(subcommandLock)) });
  for (const referenced of referencedTables(commands.map((command) => command.def))) {
    result.locks.push({ relation: referenced, mode: 'SHARE ROW EXCLUSIVE' });
  }
  for (const { subtype, def } of commands) {
    const partition =
      subtype === 'AT_AttachPartition' && def !== undefined && 'PartitionCmd' in def ? relationName(def.PartitionCmd.name) : undefined;
    if (partition !== undefined) result.locks.push({ relation: partition, mode: 'ACCESS EXCLUSIVE' });
  }
  const has = (subtype: AlterTableCmd['subtype']) => commands.some((command) => command.subtype === subtype);
  if (has('AT_AlterColumnType')) result.notes.push('changing a column type rewrites the table unless the types are binary-compatible');
  if (has('AT_SetNotNull')) result.notes.push('scans the whole table to check NOT NULL');
  const validated = commands.flatMap(({ subtype, def }): Constraint[] =>
    subtype === 'AT_AddConstraint' && def !== undefined && 'Constraint' in def && !def.Constraint.skip_validation ? [def.Constraint] : [],
  );
  if (validated.some(({ contype }) => contype === 'CONSTR_CHECK' || contype === 'CONSTR_FOREIGN')) {
    result.notes.push('validates every existing row (add it NOT VALID, then VALIDATE CONSTRAINT)');
  }
  // UNIQUE/PRIMARY KEY ... USING INDEX adopts an index that is already built.
  if (
    validated.some(({ contype, indexname }) => (contype === 'CONSTR_UNIQUE' || contype === 'CONSTR_PRIMARY') && indexname === undefined)
  ) {
    result.notes.push('builds a unique index while holding the lock');
  }
}

/**
 * Sub-commands taking SHARE UPDATE EXCLUSIVE (the ALTER TABLE page gives the lock of each form; those
 * not listed here or in {@link TRIGGER_SUBCOMMANDS}, other than adding a foreign key, take ACCESS EXCLUSIVE).
 */
const SHARE_UPDATE_EXCLUSIVE_SUBCOMMANDS = new Set<AlterTableCmd['subtype']>([
  'AT_ValidateConstraint',
  'AT_AttachPartition',
  'AT_SetStatistics',
  'AT_ClusterOn',
  'AT_DropCluster',
]);
/** ENABLE/DISABLE TRIGGER, in all their forms: SHARE ROW EXCLUSIVE. */
const TRIGGER_SUBCOMMANDS = new Set<AlterTableCmd['subtype']>([
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_DisableTrig',
  'AT_EnableTrigAll',
  'AT_DisableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrigUser',
]);

/** The lock one ALTER TABLE sub-command needs. */
function subcommandLock(command: AlterTableCmd): LockMode {
  const { subtype, def } = command;
  if (SHARE_UPDATE_EXCLUSIVE_SUBCOMMANDS.has(subtype)) return 'SHARE UPDATE EXCLUSIVE';
  if (isConcurrentDetach(command)) return 'SHARE UPDATE EXCLUSIVE';
  if (subtype === 'AT_AddConstraint' && def !== undefined && 'Constraint' in def && def.Constraint.contype === 'CONSTR_FOREIGN')
    return 'SHARE ROW EXCLUSIVE';
  if (TRIGGER_SUBCOMMANDS.has(subtype)) return 'SHARE ROW EXCLUSIVE';
  return 'ACCESS EXCLUSIVE';
}

/**
 * The tables the foreign keys among `definitions` (CREATE TABLE's columns and table constraints,
 * ALTER TABLE's added columns and constraints) reference, in order, each once.
 */
function referencedTables(definitions: (Node | undefined)[]): string[] {
  const constraints = definitions.flatMap((definition): Constraint[] => {
    if (definition === undefined) return [];
    if ('Constraint' in definition) return [definition.Constraint];
    if ('ColumnDef' in definition)
      return (definition.ColumnDef.constraints ?? []).flatMap((node) => ('Constraint' in node ? [node.Constraint] : []));
    return [];
  });
  const names = constraints.filter(({ contype }) => contype === 'CONSTR_FOREIGN').map(({ pktable }) => relationName(pktable));
  return [...new Set(names.filter((name) => name !== undefined))];
}

function strongest(modes: LockMode[]): LockMode {
  return modes.reduce<LockMode>((a, b) => (STRENGTH.indexOf(b) > STRENGTH.indexOf(a) ? b : a), 'ACCESS SHARE');
}

/** Size of a relation now: estimated rows and bytes on disk (table, indexes and TOAST). */
export interface RelationSize {
  relation: string;
  /** The table an index belongs to, for index locks. */
  table?: string;
  exists: boolean;
  rows?: number;
  /** Whether `rows` is the planner's estimate (pg_class.reltuples) rather than a count. */
  estimated?: boolean;
  bytes?: number;
}

/** Below this size a table whose statistics were never gathered is counted exactly. */
const COUNT_EXACTLY_BELOW_BYTES = 64 * 1024 * 1024;

/** Looks up the current size of the relations (or the tables of the indexes) that `locks` name. Read-only. */
export async function relationSizes(client: pg.Client, locks: RelationLock[]): Promise<Map<string, RelationSize>> {
  const sizes = new Map<string, RelationSize>();
  for (const { relation, index, created } of locks) {
    if (sizes.has(relation)) continue;
    if (created) {
      sizes.set(relation, { relation, exists: false });
      continue;
    }
    const { rows } = await client.query<{ table: string; reltuples: number; bytes: string; relpages: number }>(
      `SELECT t.oid::regclass::text AS table, t.reltuples, pg_total_relation_size(t.oid) AS bytes, t.relpages
         FROM pg_class t
        WHERE t.oid = CASE WHEN $2 THEN (SELECT indrelid FROM pg_index WHERE indexrelid = to_regclass($1))
                           ELSE to_regclass($1) END`,
      [relation, index === true],
    );
    const found = rows[0];
    if (!found) {
      sizes.set(relation, { relation, exists: false });
      continue;
    }
    const bytes = Number(found.bytes);
    let count = found.reltuples;
    let estimated = true;
    if (count < 0 && bytes < COUNT_EXACTLY_BELOW_BYTES) {
      const exact = await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${found.table}`);
      count = Number(exact.rows[0]!.count);
      estimated = false;
    }
    sizes.set(relation, {
      relation,
      ...(index ? { table: found.table } : {}),
      exists: true,
      ...(count >= 0 ? { rows: Math.round(count), estimated } : {}),
      bytes,
    });
  }
  return sizes;
}
