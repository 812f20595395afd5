import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';

/**
 * A Prisma client on `url`, through the node-postgres driver adapter (Prisma 7 has no built-in driver).
 *
 * @example
 * const prisma = createPrismaClient(process.env.DATABASE_URL!);
 * const brands = await prisma.brand.findMany({ orderBy: { name: 'asc' } });
 */
export function createPrismaClient(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

export type { PrismaClient };
