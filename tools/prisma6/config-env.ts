/**
 * The variables through which `prisma6.ts` tells `prisma.config.ts` what to work on: the Prisma
 * CLI loads the config in its own process, so environment variables are the only way in.
 */
export const CONFIG_ENV = {
  /** The database the driver adapter connects to; the patched schema's datasource reads it too. */
  DATABASE_URL: 'PRISMA6_DATABASE_URL',
  /** The patched copy of the Prisma schema (file or folder). */
  SCHEMA: 'PRISMA6_SCHEMA',
  /** The migrations folder. */
  MIGRATIONS: 'PRISMA6_MIGRATIONS',
} as const;
