// Prisma 6 configuration for tools/prisma6 (the project's own, for Prisma 7, is ../../prisma.config.ts).
// It runs Prisma's schema engine as WebAssembly through the node-postgres driver adapter, so that
// `prisma migrate diff/deploy/status` need no native engine download. prisma6.ts passes what to
// work on through the CONFIG_ENV variables.
//
// Two differences between the pg driver adapter of Prisma 6.19 and the native schema engine of
// Prisma 7, which `prisma migrate` uses, are mended here:
// 1. The adapter splits a migration script at every ';' (breaking $$ function bodies), where the
//    native engine sends the whole script as one simple query: one implicit transaction, so that a
//    script fails or applies as a whole.
// 2. The adapter refuses two catalog column types that the engine's introspection queries return:
//    `name` (e.g. pg_class.relname) and `"char"` (e.g. pg_constraint.contype). `name` is passed on
//    as text; `"char"` must reach the engine as a Character value, or its describer panics
//    ("RuntimeError: unreachable") on any CHECK or EXCLUDE constraint.
import { defineConfig } from 'prisma6/config';
import { PrismaPg } from 'prisma6-adapter-pg';
import { CONFIG_ENV } from './config-env.ts';

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;
/** `ColumnTypeEnum.Character` of @prisma/driver-adapter-utils 6.19. */
const CHARACTER_COLUMN = 6;
/** Marks a `"char"` field's name between performIO, which sees its type, and queryRaw, which reports it. */
const CHAR_MARK = '\u0000char';

/** The adapter's connection or transaction, with the internals (not in its types) mended here. */
interface PgQueryable {
  client: { query(text: string): Promise<unknown> };
  onError(error: unknown): never;
  executeScript?(script: string): Promise<void>;
  performIO(query: unknown): Promise<{ fields?: { name: string; dataTypeID: number }[] }>;
  queryRaw(query: unknown): Promise<{ columnNames: string[]; columnTypes: number[] }>;
  startTransaction?(...args: unknown[]): Promise<PgQueryable>;
}

/** Fix 1: a migration script goes to PostgreSQL whole, as one simple query. */
function sendScriptsWhole(queryable: PgQueryable): void {
  if (!queryable.executeScript) return;
  queryable.executeScript = async (script) => {
    try {
      await queryable.client.query(script);
    } catch (error) {
      queryable.onError(error);
    }
  };
}

/** Fix 2: `name` columns arrive as text, `"char"` columns as characters. */
function acceptCatalogCharTypes(queryable: PgQueryable): void {
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === NAME_OID) {
        field.dataTypeID = TEXT_OID;
      } else if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        field.name += CHAR_MARK;
      }
    }
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (!name.endsWith(CHAR_MARK)) return;
      result.columnNames[i] = name.slice(0, -CHAR_MARK.length);
      result.columnTypes[i] = CHARACTER_COLUMN;
    });
    return result;
  };
}

/** Applies both fixes to a connection and to every transaction it starts. */
function likeNativeEngine(queryable: PgQueryable): PgQueryable {
  sendScriptsWhole(queryable);
  acceptCatalogCharTypes(queryable);
  const startTransaction = queryable.startTransaction?.bind(queryable);
  if (startTransaction) queryable.startTransaction = async (...args) => likeNativeEngine(await startTransaction(...args));
  return queryable;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run Prisma 6 through tools/prisma6 (npm run prisma:drift ...)`);
  return value;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: required(CONFIG_ENV.SCHEMA),
  migrations: { path: required(CONFIG_ENV.MIGRATIONS) },
  async adapter() {
    // allowExitOnIdle: an idle pool does not keep the CLI's process alive.
    const factory = new PrismaPg({ connectionString: required(CONFIG_ENV.DATABASE_URL), allowExitOnIdle: true });
    const connect = factory.connect.bind(factory);
    const connectToShadowDb = factory.connectToShadowDb.bind(factory);
    factory.connect = async () => likeNativeEngine((await connect()) as unknown as PgQueryable) as never;
    factory.connectToShadowDb = async () => likeNativeEngine((await connectToShadowDb()) as unknown as PgQueryable) as never;
    return factory;
  },
});
