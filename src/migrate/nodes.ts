/**
 * Reading PostgreSQL parse trees (libpg-query's JSON form of the server's own nodes): the names
 * they hold and the options they carry. The parser has already folded unquoted identifiers to lower
 * case, so the names here are what the catalogs store.
 */
import type { AlterTableCmd, Node, RangeVar } from 'libpg-query';

/** The parts of the name a RangeVar holds (database, schema, relation: as many as the statement wrote). */
export function rangeVarParts(relation: RangeVar): string[] {
  return [relation.catalogname, relation.schemaname, relation.relname].filter((part) => part !== undefined);
}

/** The relation a RangeVar names, rendered as {@link renderName} does; undefined when there is none. */
export function relationName(relation: RangeVar | undefined): string | undefined {
  return relation?.relname === undefined ? undefined : renderName(rangeVarParts(relation));
}

/** The relations of a list of RangeVar nodes (LOCK, TRUNCATE, inheritance parents), rendered. */
export function relationNames(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => {
    const name = 'RangeVar' in node ? relationName(node.RangeVar) : undefined;
    return name === undefined ? [] : [name];
  });
}

/** The parts of a dotted name the parser gives as a List of String nodes (the objects of DROP and COMMENT). */
export function nameParts(node: Node | undefined): string[] {
  if (node === undefined || !('List' in node)) return [];
  return (node.List.items ?? []).flatMap((item) => ('String' in item && item.String.sval !== undefined ? [item.String.sval] : []));
}

/** A dotted name as PostgreSQL prints it: each part bare when it is a plain lower-case word, double-quoted otherwise. */
export function renderName(parts: string[]): string {
  return parts.map((part) => (/^[a-z_][a-z0-9_$]*$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`)).join('.');
}

/** Spellings PostgreSQL's boolean options accept for "off" (parse_bool, the unambiguous ones). */
const FALSE_WORDS = new Set(['false', 'off', 'no', 'f', 'n', '0']);

/**
 * Whether the boolean option `name` (VACUUM's FULL, REINDEX's CONCURRENTLY) is on in a list of
 * DefElem nodes: given without a value, or with one that is not false.
 */
export function isOptionOn(options: Node[] | undefined, name: string): boolean {
  const option = (options ?? []).find((node) => 'DefElem' in node && node.DefElem.defname === name);
  if (option === undefined || !('DefElem' in option)) return false;
  const value = option.DefElem.arg;
  if (value === undefined) return true;
  if ('Integer' in value) return (value.Integer.ival ?? 0) !== 0;
  if ('Boolean' in value) return value.Boolean.boolval === true;
  if ('String' in value) return !FALSE_WORDS.has((value.String.sval ?? '').toLowerCase());
  return true;
}

/** The sub-commands of an AlterTableStmt (ALTER TABLE, and ALTER INDEX, VIEW... parsed to the same node). */
export function alterTableCommands(nodes: Node[] | undefined): AlterTableCmd[] {
  return (nodes ?? []).flatMap((node) => ('AlterTableCmd' in node ? [node.AlterTableCmd] : []));
}

/** Whether a sub-command is DETACH PARTITION ... CONCURRENTLY. */
export function isConcurrentDetach({ subtype, def }: AlterTableCmd): boolean {
  return subtype === 'AT_DetachPartition' && def !== undefined && 'PartitionCmd' in def && def.PartitionCmd.concurrent === true;
}
