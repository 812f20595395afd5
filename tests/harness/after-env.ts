import { afterAll, beforeAll } from '@jest/globals';
import { closeConnections, dropScratchDatabases, ensureWorkerDatabase } from './db.ts';
import { removeMigrationsFolders } from './fixtures.ts';

beforeAll(ensureWorkerDatabase);

afterAll(async () => {
  removeMigrationsFolders();
  await dropScratchDatabases();
  await closeConnections();
});
