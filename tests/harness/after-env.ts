import { afterAll, beforeAll } from '@jest/globals';
import { closeConnections, ensureWorkerDatabase } from './db.ts';
import { removeMigrationsFolders } from './fixtures.ts';

beforeAll(ensureWorkerDatabase);

afterAll(async () => {
  removeMigrationsFolders();
  await closeConnections();
});
