/** What a migration command works on, described once and passed to every command. */
export interface MigrationTarget {
  /** The Prisma migrations folder (one sub-folder per migration, and migration_lock.toml). */
  migrationsDir: string;
  /** Schema holding `_prisma_migrations`: the connection URL's `schema` parameter, else `public` (Prisma's rule). */
  historySchema?: string | undefined;
  /**
   * The schemas the Prisma schema manages (its datasource `schemas`). Like Prisma (P3005), deploy
   * refuses a database with no migration history whose history schema or these hold tables.
   */
  namespaces?: string[] | undefined;
}
