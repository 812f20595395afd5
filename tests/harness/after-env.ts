import { afterAll } from '@jest/globals';
import { closeConnections } from './db.ts';
import { removeMigrationsFolders } from './fixtures.ts';

afterAll(async () => {
  removeMigrationsFolders();
  await closeConnections();
});
