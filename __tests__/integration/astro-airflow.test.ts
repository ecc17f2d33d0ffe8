// The Airflow client against the emulated Airflow 2 (/api/v1) and Airflow 3 (/api/v2) APIs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { airflowApiVersion, airflowBaseUrl, createAirflowClient } from '../../src/astro/airflow.js';
import { AirflowApiError } from '../../src/astro/errors.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { airflowConnection } from '../support/fixtures.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await emu.close();
});

const dep = (name: string) => emu.state.deployment(name)!;
const client = (
  name: string,
  extra: { token?: string; log?: ReturnType<typeof recordingLog> } = {},
) =>
  createAirflowClient({
    apiUrl: dep(name).webServerAirflowApiUrl,
    token: extra.token ?? emu.token,
    log: extra.log ?? silentLog,
    sleep: async () => {},
  });

describe('URL and version', () => {
  it('adds https:// when Astro gives no scheme and keeps a given one', () => {
    expect(airflowBaseUrl('org.astronomer.run/d1234/api/v2/')).toBe(
      'https://org.astronomer.run/d1234/api/v2',
    );
    expect(airflowBaseUrl('http://127.0.0.1:9/d1/api/v1')).toBe('http://127.0.0.1:9/d1/api/v1');
    // Anything after `?` is cut, as the Astro CLI does.
    expect(airflowBaseUrl('org.astronomer.run/d1234/api/v2?orgId=o1')).toBe(
      'https://org.astronomer.run/d1234/api/v2',
    );
    expect(airflowApiVersion('org.astronomer.run/d1234/api/v1')).toBe(1);
    expect(airflowApiVersion('org.astronomer.run/d1234/api/v2')).toBe(2);
    expect(() => airflowApiVersion('org.astronomer.run/d1234')).toThrow(
      /ends neither in \/api\/v1 \(Airflow 2\) nor in \/api\/v2 \(Airflow 3\)/,
    );
  });

  it('picks the version from the Deployment URL', () => {
    expect(client('analytics').apiVersion).toBe(2);
    expect(client('warehouse').apiVersion).toBe(1);
  });
});

describe('Airflow 3 (/api/v2)', () => {
  it('lists connections, variables (with values) and pools', async () => {
    const af = client('analytics');
    const conns = await af.listConnections();
    expect(conns.map((c) => c.connection_id)).toEqual([
      'aws_default',
      'warehouse_db',
      'slack_alerts',
    ]);
    expect(conns.find((c) => c.connection_id === 'warehouse_db')!.password).toBe('***');
    expect(await af.listVariables()).toContainEqual(
      expect.objectContaining({ key: 'environment', value: 'production' }),
    );
    expect((await af.listPools()).map((p) => p.name)).toEqual(['default_pool', 'etl', 'reporting']);
  });

  it('follows pages past the 100-item cap', async () => {
    const vars = emu.state.airflow(dep('analytics').id).variables;
    for (let i = 0; i < 250; i++)
      vars.set(`v${i}`, { key: `v${i}`, value: String(i), description: null });
    const all = await client('analytics').listVariables();
    expect(all).toHaveLength(253);
    expect(new Set(all.map((v) => v.key)).size).toBe(253);
    expect(emu.state.requests.filter((r) => r.path.endsWith('/variables')).length).toBe(3);
  });

  it('upserts: create is POST (201), an existing object is PATCHed after the 409', async () => {
    const af = client('analytics');
    expect(
      await af.upsertConnection({ connection_id: 'new_conn', conn_type: 'http', host: 'a.test' }),
    ).toBe('created');
    expect(
      await af.upsertConnection({
        connection_id: 'warehouse_db',
        conn_type: 'postgres',
        host: 'db2.internal',
        password: 'p2',
      }),
    ).toBe('updated');
    expect(await af.upsertVariable({ key: 'environment', value: 'staging' })).toBe('updated');
    expect(
      await af.upsertPool({ name: 'etl', slots: 3, description: null, include_deferred: false }),
    ).toBe('updated');
    const objects = emu.state.airflow(dep('analytics').id);
    expect(objects.connections.get('warehouse_db')).toMatchObject({
      host: 'db2.internal',
      password: 'p2',
      login: 'analytics',
    });
    expect(objects.variables.get('environment')!.value).toBe('staging');
    expect(objects.pools.get('etl')!.slots).toBe(3);
    expect(emu.state.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 201',
      'POST 409',
      'PATCH 200',
      'POST 409',
      'PATCH 200',
      'POST 409',
      'PATCH 200',
    ]);
  });

  it('sends only the fields a body may carry (read-only pool fields left out)', async () => {
    const af = client('analytics');
    const [pool] = (await af.listPools()).filter((p) => p.name === 'reporting');
    expect(pool).toHaveProperty('occupied_slots');
    expect(await af.upsertPool(pool)).toBe('updated');
  });

  it('a refused body gives the Airflow detail', async () => {
    const err = (await client('analytics')
      .upsertConnection({ connection_id: 'bad id!', conn_type: 'http' })
      .catch((e: unknown) => e)) as AirflowApiError;
    expect(err).toBeInstanceOf(AirflowApiError);
    expect(err.status).toBe(422);
    expect(err.message).toMatch(
      /^The Airflow API refused POST http:\/\/127\.0\.0\.1:\d+\/d\w+\/api\/v2\/connections with 422: .*string_pattern_mismatch/,
    );
  });
});

describe('Airflow 2 (/api/v1)', () => {
  it('takes variable values from the list: no variable is read by its key', async () => {
    emu.state.airflow(dep('warehouse').id).variables.set('team/owner', {
      key: 'team/owner',
      value: 'data',
      description: null,
    });
    const vars = await client('warehouse').listVariables();
    expect(vars).toEqual([
      { key: 'env', value: 'prod', description: null },
      { key: 'batch_size', value: '500', description: 'Rows per batch' },
      { key: 'team/owner', value: 'data', description: null },
    ]);
    expect(emu.state.requests.map((r) => r.path.replace(/^\/d\w+\/api\/v1/, ''))).toEqual([
      '/variables',
    ]);
  });

  it('a connection whose read fails is listed without extra, with the reason; one with `/` is never read', async () => {
    const objects = emu.state.airflow(dep('warehouse').id);
    objects.connections.set('aws/prod', airflowConnection('aws/prod', 'aws', '{"region": "eu"}'));
    emu.setFaults({ rate: 1, kinds: ['500'], match: (q) => q.path.endsWith('/s3_landing') });
    const conns = await client('warehouse').listConnections();
    const byId = new Map(conns.map((c) => [c.connection_id, c]));
    expect(byId.get('s3_landing')).toMatchObject({ conn_type: 'aws' });
    expect(byId.get('s3_landing')).not.toHaveProperty('extra');
    expect(byId.get('s3_landing')!.extraUnread).toMatch(/refused GET .*s3_landing with 500/);
    expect(byId.get('aws/prod')!.extraUnread).toMatch(/has a '\/'/);
    expect(byId.get('snowflake_default')!.extraUnread).toBeUndefined();
    expect(emu.state.requests.filter((r) => /aws|%2F/i.test(r.path))).toEqual([]);
  });

  it('a key with `/` is created by POST; one that exists is left as it is, never PATCHed by path', async () => {
    const af = client('warehouse');
    emu.state.clearRequests();
    expect(await af.upsertPool({ name: 'etl/big', slots: 3 })).toBe('created');
    expect(await af.upsertPool({ name: 'etl/big', slots: 5 })).toBe('exists');
    expect(await af.upsertConnection({ connection_id: 'a/b', conn_type: 'http' })).toBe('created');
    expect(await af.upsertConnection({ connection_id: 'a/b', conn_type: 'ftp' })).toBe('exists');
    const objects = emu.state.airflow(dep('warehouse').id);
    expect(objects.pools.get('etl/big')!.slots).toBe(3);
    expect(objects.connections.get('a/b')!.conn_type).toBe('http');
    expect(emu.state.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 200',
      'POST 409',
      'POST 200',
      'POST 409',
    ]);
  });

  it('upserts connections and pools (409 → PATCH) and variables (POST overwrites)', async () => {
    const af = client('warehouse');
    expect(
      await af.upsertConnection({
        connection_id: 's3_landing',
        conn_type: 'aws',
        extra: '{"bucket": "other"}',
      }),
    ).toBe('updated');
    expect(await af.upsertPool({ name: 'loads', slots: 4 })).toBe('updated');
    expect(await af.upsertPool({ name: 'fresh', slots: 1 })).toBe('created');
    await af.upsertVariable({ key: 'env', value: 'staging' });
    const objects = emu.state.airflow(dep('warehouse').id);
    expect(objects.connections.get('s3_landing')!.extra).toBe('{"bucket": "other"}');
    expect(objects.pools.get('loads')!.slots).toBe(4);
    expect(objects.variables.get('env')!.value).toBe('staging');
  });

  it('lists leave out passwords and extras, so each connection is read for its extra', async () => {
    emu.state.clearRequests();
    const conns = await client('warehouse').listConnections();
    expect(conns.length).toBeGreaterThan(0);
    for (const c of conns) expect(c).not.toHaveProperty('password');
    expect(conns.find((c) => c.connection_id === 's3_landing')?.extra).toEqual(
      expect.stringContaining('"bucket"'),
    );
    const reads = emu.state.requests.filter((r) => /\/connections\/[^/]+$/.test(r.path));
    expect(reads).toHaveLength(conns.length);
  });
});

describe('redirects', () => {
  it('the client never follows one (Astro redirects an encoded `/` to another object)', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(308, { location: '/d1/api/v1/pools/other' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const af = createAirflowClient({
        apiUrl: `http://127.0.0.1:${port}/d1/api/v1`,
        token: emu.token,
        log: silentLog,
        sleep: async () => {},
      });
      await expect(af.listPools()).rejects.toThrow(
        /refused GET http:\/\/127\.0\.0\.1:\d+\/d1\/api\/v1\/pools with 308: redirected to \/d1\/api\/v1\/pools\/other, not followed/,
      );
      expect(seen).toEqual(['GET /d1/api/v1/pools?limit=100&offset=0']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('a new Deployment (waitUntilServing)', () => {
  it('404s are waited through; any other failure is not', async () => {
    await emu.close();
    emu = await startEmulator({ createDelayMs: 10, airflowApiDelayMs: 60_000 });
    const fresh = emu.state.addDeployment({ name: 'fresh', creating: true });
    let now = Date.now();
    const log = recordingLog();
    const af = createAirflowClient({
      apiUrl: fresh.webServerAirflowApiUrl,
      token: emu.token,
      log,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    await expect(af.waitUntilServing({ timeoutMs: 30_000, name: 'fresh' })).rejects.toThrow(
      /^The Airflow API of fresh \(.*\/api\/v2\) still answered 404 after 30 s, so its Airflow objects were not copied; run again .* or raise wait-time\.$/,
    );
    expect(log.lines.filter((l) => l.includes('does not answer yet')).length).toBeGreaterThan(3);
    // Serving: at once.
    const ready = client('analytics');
    await expect(ready.waitUntilServing({ timeoutMs: 0, name: 'analytics' })).resolves.toBe(
      undefined,
    );
    // A 403 is no reason to wait.
    const token = emu.issueToken({ workspaceId: emu.workspaceId, deploymentId: 'other' });
    await expect(
      client('analytics', { token }).waitUntilServing({ timeoutMs: 30_000, name: 'analytics' }),
    ).rejects.toThrow(/may not read/);
  });
});

describe('auth and retries', () => {
  it('a token without access to the Deployment gets one clear sentence', async () => {
    const token = emu.issueToken({
      workspaceId: emu.workspaceId,
      deploymentId: dep('warehouse').id,
    });
    await expect(client('analytics', { token }).listPools()).rejects.toThrow(
      /^ASTRO_API_TOKEN may not read http:\/\/127\.0\.0\.1:\d+\/d\w+\/api\/v2\/pools \(403: .*\): use a Workspace or Deployment token with access to that Deployment\.$/,
    );
  });

  it('reads and upserts are retried through faults', async () => {
    const log = recordingLog();
    emu.setFaults({ rate: 1, kinds: ['503', 'reset'], limit: 3 });
    const af = client('analytics', { log });
    expect(await af.listPools()).toHaveLength(3);
    emu.setFaults({ rate: 1, kinds: ['reset-after'], limit: 1 });
    // The POST landed but its reply was lost: the retry meets the duplicate and PATCHes.
    expect(await af.upsertPool({ name: 'after_reset', slots: 2 })).toBe('updated');
    expect(emu.state.airflow(dep('analytics').id).pools.get('after_reset')!.slots).toBe(2);
    expect(log.lines.filter((l) => l.startsWith('info: retrying'))).toHaveLength(4);
  });
});
