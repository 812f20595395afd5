/**
 * The database-level privileges create_roles sets (docs/design/tenancy.md#roles). They live in
 * pg_database, not in the database's own catalog, so `CREATE DATABASE ... TEMPLATE` does not copy
 * them: a clone of the migrated template starts with PostgreSQL's defaults (PUBLIC may connect and
 * create temporary tables, the owner role may not create), which create_roles' validate.sql reports.
 */
import type pg from 'pg';

/** Gives the database of `client` (a superuser's connection) the privileges create_roles gives a database it migrates. */
export async function grantDatabaseAccess(client: pg.ClientBase): Promise<void> {
  await client.query(`DO $$
    BEGIN
      EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO supply_ledger_app, supply_ledger_readonly, supply_ledger_backup', current_database());
      EXECUTE format('GRANT CONNECT, CREATE, TEMPORARY ON DATABASE %I TO supply_ledger_owner', current_database());
    END
    $$`);
}
