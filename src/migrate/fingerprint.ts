/**
 * The fingerprint of what Prisma's drift check cannot see (functions, triggers, policies, views,
 * constraints, privileges, row-level security switches: `ops.schema_fingerprint()`, migration
 * add_schema_fingerprint), as the migrations left it. The runner records, after a deploy or a
 * rollback, what its migrations changed: the difference between the database's fingerprint before
 * and after them, applied to the recorded one, so that a change made by hand in between is not
 * absorbed. `migrate status` compares the recorded fingerprint with the database's.
 */
import type pg from 'pg';
import type { Emit } from './events.ts';

/** One object of the fingerprint: its kind, its name, the md5 of its definition. */
export interface FingerprintEntry {
  kind: string;
  name: string;
  md5: string;
}

/** Objects by `kind\0name`. */
export type Fingerprint = Map<string, FingerprintEntry>;

/** How the database differs from the recorded fingerprint, object by object. */
export interface ObjectDrift {
  kind: string;
  name: string;
  change: 'changed' | 'dropped' | 'created';
}

/** What `migrate status` says about objects changed outside the migrations. */
export type SchemaDrift =
  /** The database predates add_schema_fingerprint. */
  | { state: 'unavailable' }
  /** The table exists but nothing was recorded yet (a database deployed by Prisma only). */
  | { state: 'not recorded' }
  | { state: 'checked'; objects: ObjectDrift[] };

const key = (entry: { kind: string; name: string }) => `${entry.kind}\0${entry.name}`;

/** Whether the database has the fingerprint function and table. */
export async function fingerprintAvailable(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ available: boolean }>(
    `SELECT to_regprocedure('ops.schema_fingerprint()') IS NOT NULL AND to_regclass('ops.schema_object_fingerprint') IS NOT NULL AS available`,
  );
  return rows[0]?.available === true;
}

/** The database's fingerprint now; undefined when it predates add_schema_fingerprint. */
export async function currentFingerprint(client: pg.ClientBase): Promise<Fingerprint | undefined> {
  if (!(await fingerprintAvailable(client))) return undefined;
  const { rows } = await client.query<FingerprintEntry>('SELECT kind, name, definition_md5 AS md5 FROM ops.schema_fingerprint()');
  return new Map(rows.map((row) => [key(row), row]));
}

async function recordedFingerprint(client: pg.ClientBase): Promise<Fingerprint> {
  const { rows } = await client.query<FingerprintEntry>('SELECT kind, name, definition_md5 AS md5 FROM ops.schema_object_fingerprint');
  return new Map(rows.map((row) => [key(row), row]));
}

/** What differs from `from` in `to`, object by object, sorted by kind and name. */
export function diffFingerprints(from: Fingerprint, to: Fingerprint): ObjectDrift[] {
  const drift: ObjectDrift[] = [];
  for (const [k, entry] of to) {
    const was = from.get(k);
    if (was === undefined) drift.push({ kind: entry.kind, name: entry.name, change: 'created' });
    else if (was.md5 !== entry.md5) drift.push({ kind: entry.kind, name: entry.name, change: 'changed' });
  }
  for (const [k, entry] of from) if (!to.has(k)) drift.push({ kind: entry.kind, name: entry.name, change: 'dropped' });
  return drift.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}

/**
 * Records what the migrations just run changed: `before` is the database's fingerprint before
 * them (undefined when the database had no fingerprint function then). With nothing recorded yet,
 * the whole current fingerprint becomes the record (the baseline). Nothing happens when the
 * database has no fingerprint table (before add_schema_fingerprint, or after rolling it back).
 */
export async function recordFingerprintChanges(client: pg.ClientBase, before: Fingerprint | undefined, migration: string): Promise<void> {
  const after = await currentFingerprint(client);
  if (after === undefined) return;
  await client.query('BEGIN');
  try {
    await client.query('LOCK TABLE ops.schema_object_fingerprint IN SHARE ROW EXCLUSIVE MODE');
    const recorded = await recordedFingerprint(client);
    const baseline = recorded.size === 0 || before === undefined;
    const changes = baseline ? diffFingerprints(recorded, after) : diffFingerprints(before, after);
    const upserts = changes.filter((c) => c.change !== 'dropped').map((c) => after.get(key(c))!);
    const drops = changes.filter((c) => c.change === 'dropped');
    if (upserts.length > 0) {
      await client.query(
        `INSERT INTO ops.schema_object_fingerprint (kind, name, definition_md5, migration)
         SELECT kind, name, md5, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u (kind, name, md5)
         ON CONFLICT (kind, name) DO UPDATE SET definition_md5 = excluded.definition_md5, migration = excluded.migration, recorded_at = now()`,
        [upserts.map((e) => e.kind), upserts.map((e) => e.name), upserts.map((e) => e.md5), migration],
      );
    }
    if (drops.length > 0) {
      await client.query(
        `DELETE FROM ops.schema_object_fingerprint f USING unnest($1::text[], $2::text[]) AS u (kind, name)
          WHERE f.kind = u.kind AND f.name = u.name`,
        [drops.map((d) => d.kind), drops.map((d) => d.name)],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Runs `run`, which pushes each migration it finished onto the list it is given, and records what
 * they changed ({@link recordFingerprintChanges}, labelled `label(last finished)`). When `run`
 * fails, what the finished ones changed is recorded too, and a failed recording only warns: the
 * migration's own error is what the caller must see. Returns the finished migrations.
 */
export async function recordingFingerprint(
  client: pg.ClientBase,
  emit: Emit,
  run: (finished: string[]) => Promise<void>,
  label: (lastFinished: string) => string,
): Promise<string[]> {
  const before = await currentFingerprint(client);
  const finished: string[] = [];
  const record = () => recordFingerprintChanges(client, before, label(finished.at(-1)!));
  try {
    await run(finished);
  } catch (error) {
    if (finished.length > 0)
      await record().catch((recording: unknown) =>
        emit({ event: 'warning', message: `schema fingerprint not recorded: ${(recording as Error).message}` }),
      );
    throw error;
  }
  if (finished.length > 0) await record();
  return finished;
}

/** The objects changed, dropped or created outside the migrations (read-only). */
export async function schemaDrift(client: pg.ClientBase): Promise<SchemaDrift> {
  const current = await currentFingerprint(client);
  if (current === undefined) return { state: 'unavailable' };
  const recorded = await recordedFingerprint(client);
  if (recorded.size === 0) return { state: 'not recorded' };
  return { state: 'checked', objects: diffFingerprints(recorded, current) };
}

/** `function inventory.f(bigint) changed`, for messages. */
export function describeObjectDrift(drift: ObjectDrift): string {
  return `${drift.kind} ${drift.name} ${drift.change}`;
}
