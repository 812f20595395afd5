import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { databaseName, defaultSchema, redact, serverAddress, urlForDatabase } from '../../src/db/connect.ts';
import { PROJECT_ROOT, readEnvironment } from '../../src/db/env.ts';
import { ConfigurationError, InvalidArgumentError } from '../../src/errors.ts';
import { thrownBy } from '../harness/thrown.ts';

describe('environment', () => {
  it('treats empty variables as unset and resolves EMBEDDED_PG_DIR from the project root', () => {
    expect(readEnvironment({ DATABASE_URL: ' ', EMBEDDED_PG_DIR: 'tmp/pg' })).toEqual({
      databaseUrl: undefined,
      testDatabaseUrl: undefined,
      embeddedDir: path.join(PROJECT_ROOT, 'tmp/pg'),
      embeddedPort: undefined,
    });
    expect(readEnvironment({}).embeddedDir).toBe(path.join(PROJECT_ROOT, '.db/embedded'));
    expect(readEnvironment({ EMBEDDED_PG_PORT: '5555' }).embeddedPort).toBe(5555);
  });

  it.each(['abc', '0', '70000', '5.5'])('rejects EMBEDDED_PG_PORT=%s', (port) => {
    const caught = thrownBy(() => readEnvironment({ EMBEDDED_PG_PORT: port }));
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect(caught).toMatchObject({ variable: 'EMBEDDED_PG_PORT', value: port });
  });
});

describe('connection URLs', () => {
  const url = 'postgresql://app:s3cret@db.example:6543/ledger?schema=tenant_a';

  it('names the server, swaps the database, finds the default schema, hides the password', () => {
    expect(serverAddress(url)).toBe('db.example:6543');
    expect(serverAddress('postgresql://localhost/x')).toBe('localhost:5432');
    expect(databaseName(urlForDatabase(url, 'other'))).toBe('other');
    expect(urlForDatabase(url, 'other')).toContain('?schema=tenant_a');
    expect(defaultSchema(url)).toBe('tenant_a');
    expect(defaultSchema('postgresql://localhost/x')).toBe('public');
    expect(redact(url)).toBe('postgresql://app:***@db.example:6543/ledger?schema=tenant_a');
  });

  it('rejects what is not a PostgreSQL URL', () => {
    for (const url of ['mysql://localhost/x', 'nonsense']) {
      const caught = thrownBy(() => serverAddress(url));
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect(caught).toMatchObject({ argument: 'url', value: url });
    }
  });
});
