import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from '../../src/db/connect.ts';
import { EmbeddedServer } from '../../src/db/embedded.ts';

// Each test gets its own server folder, so these tests never touch the server the suite runs on.
const servers: EmbeddedServer[] = [];
const dirs: string[] = [];

/**
 * A data folder initialised once for this file: initdb costs a few seconds, and only the first
 * test needs to see a server initialised from nothing. The others start from a copy of it.
 */
let initialisedData: string;

beforeAll(async () => {
  const { server, dir } = newServer({ initialised: false });
  await server.startPersistent();
  await server.stop();
  initialisedData = path.join(dir, 'data');
  dirs.splice(dirs.indexOf(dir), 1); // kept until afterAll
});

afterAll(() => fs.rmSync(path.dirname(initialisedData), { recursive: true, force: true }));

function newServer(options: { initialised: boolean } = { initialised: true }): { server: EmbeddedServer; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-embedded-'));
  dirs.push(dir);
  if (options.initialised) {
    // As root, the server runs as the postgres user, which must own the folder and the data in it:
    // cp -a keeps the data's owner, and the folder gets the one the server's first start gave its own.
    execFileSync('cp', ['-a', initialisedData, path.join(dir, 'data')]);
    const { uid, gid } = fs.statSync(path.dirname(initialisedData));
    fs.chownSync(dir, uid, gid);
  }
  const server = new EmbeddedServer(dir);
  servers.push(server);
  return { server, dir };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function serverVersion(url: string): Promise<string> {
  const client = await connect(url);
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('embedded PostgreSQL', () => {
  it('initialises a server in an empty folder, starts it for its users and stops it when the last one releases it', async () => {
    const { server } = newServer({ initialised: false });
    expect(server.running()).toBeUndefined();

    const first = await server.acquire();
    const second = await server.acquire();
    expect(second.url).toBe(first.url);
    expect(first.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/supply_ledger$/);
    expect(await serverVersion(first.url)).toMatch(/^18\./);

    await first.release();
    expect(server.running()).toMatchObject({ mode: 'temporary' });
    await second.release();
    expect(server.running()).toBeUndefined();
  });

  it('starts one server for concurrent users', async () => {
    const { server } = newServer();
    const leases = await Promise.all([server.acquire(), server.acquire(), server.acquire(), server.acquire()]);
    expect(new Set(leases.map((lease) => lease.url)).size).toBe(1);
    await Promise.all(leases.map((lease) => lease.release()));
    expect(server.running()).toBeUndefined();
  });

  it('keeps a persistent server (db:start) running after its users leave, until stop', async () => {
    const { server } = newServer();
    const started = await server.startPersistent();
    expect(started).toMatchObject({ started: true, mode: 'persistent' });
    expect(await server.startPersistent()).toMatchObject({ started: false, url: started.url });

    const lease = await server.acquire();
    await lease.release();
    expect(server.running()).toMatchObject({ url: started.url, mode: 'persistent' });

    expect(await server.stop()).toBe(true);
    expect(server.running()).toBeUndefined();
    expect(await server.stop()).toBe(false);
  });

  it('turns a temporary server persistent when db:start is run while it is in use', async () => {
    const { server } = newServer();
    const lease = await server.acquire();
    await server.startPersistent();
    await lease.release();
    expect(server.running()).toMatchObject({ mode: 'persistent' });
  });

  it('ignores the lease of a process that died without releasing it', async () => {
    const { server, dir } = newServer();
    const lease = await server.acquire();
    fs.writeFileSync(path.join(dir, 'leases', `${deadPid()}.killed`), '');
    await lease.release();
    expect(server.running()).toBeUndefined();
  });

  it('keeps its port across restarts, and uses EMBEDDED_PG_PORT when given', async () => {
    const { server, dir } = newServer();
    const first = await server.startPersistent();
    await server.stop();
    const again = await server.startPersistent();
    expect(again.port).toBe(first.port);
    await server.stop();

    const port = await freePort();
    const fixed = new EmbeddedServer(dir, { port });
    servers.push(fixed);
    expect((await fixed.startPersistent()).port).toBe(port);
  });
});
