// The emulator's blob store and Airflow REST APIs from the outside, with plain fetch.
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  await emu.close();
});

const auth = () => ({ authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' });
const org = () => `/organizations/${emu.organizationId}`;
const depId = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

async function newUploadUrl(): Promise<string> {
  const res = await fetch(`${emu.url}${org()}/deployments/${depId('analytics')}/deploys`, {
    method: 'POST',
    headers: auth(),
    body: JSON.stringify({ type: 'DAG_ONLY' }),
  });
  return (await res.json()).dagsUploadUrl;
}

describe('blob store', () => {
  it('Put Blob: 201 with x-ms-version-id; x-ms-blob-type is required', async () => {
    const url = await newUploadUrl();
    const missing = await fetch(url, { method: 'PUT', body: 'x' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/<Code>MissingRequiredHeader<\/Code>/);
    const wrong = await fetch(url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'PageBlob' },
      body: 'x',
    });
    expect(wrong.status).toBe(400);
    const ok = await fetch(url, {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('x-ms-version-id')).toMatch(/^\d{4}-.*\d{7}Z$/);
  });

  it('a wrong signature → 403, an unknown blob → 404', async () => {
    const url = await newUploadUrl();
    const res = await fetch(url.replace(/sig=[^&]+/, 'sig=bad'), {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/AuthenticationFailed/);
    const gone = await fetch(url.replace(/\/dags\?/, '/other?'), {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'x',
    });
    expect(gone.status).toBe(404);
  });

  it('Put Block + Put Block List assemble the blob; unknown or unequal block ids are refused', async () => {
    const url = await newUploadUrl();
    const id = (n: number) => Buffer.from(`blk-${n}`).toString('base64');
    for (const [n, text] of [
      [0, 'hello '],
      [1, 'world'],
    ] as const) {
      expect(
        (
          await fetch(`${url}&comp=block&blockid=${encodeURIComponent(id(n))}`, {
            method: 'PUT',
            body: text,
          })
        ).status,
      ).toBe(201);
    }
    const odd = await fetch(
      `${url}&comp=block&blockid=${encodeURIComponent(Buffer.from('longer-id').toString('base64'))}`,
      { method: 'PUT', body: 'z' },
    );
    expect(odd.status).toBe(400);
    const badList = await fetch(`${url}&comp=blocklist`, {
      method: 'PUT',
      body: `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${id(7)}</Latest></BlockList>`,
    });
    expect(badList.status).toBe(400);
    const list = `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${id(0)}</Latest><Latest>${id(1)}</Latest></BlockList>`;
    const done = await fetch(`${url}&comp=blocklist`, { method: 'PUT', body: list });
    expect(done.status).toBe(201);
    const version = done.headers.get('x-ms-version-id')!;
    expect(emu.state.blobs.get(version)!.bytes.toString()).toBe('hello world');
  });
});

describe('Airflow 3 API (/api/v2)', () => {
  const base = () => emu.state.deployment('analytics')!.webServerAirflowApiUrl;

  it('needs the Astro bearer token', async () => {
    const res = await fetch(`${base()}/connections`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Not authenticated' });
  });

  it('create 201, duplicate 409, bad body 422, PATCH with update_mask, DELETE 204 then 404', async () => {
    const post = (body: unknown) =>
      fetch(`${base()}/pools`, { method: 'POST', headers: auth(), body: JSON.stringify(body) });
    const made = await post({ name: 'p1', slots: 2 });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({
      name: 'p1',
      slots: 2,
      open_slots: 2,
      include_deferred: false,
    });
    expect((await post({ name: 'p1', slots: 2 })).status).toBe(409);
    const bad = await post({ name: 'p2', slots: 'many', colour: 'red' });
    expect(bad.status).toBe(422);
    expect((await bad.json()).detail.map((d: { loc: string[] }) => d.loc[1]).sort()).toEqual([
      'colour',
      'slots',
    ]);
    const patched = await fetch(`${base()}/pools/p1?update_mask=slots`, {
      method: 'PATCH',
      headers: auth(),
      body: JSON.stringify({ name: 'p1', slots: 9, description: 'ignored' }),
    });
    expect(await patched.json()).toMatchObject({ slots: 9, description: null });
    expect((await fetch(`${base()}/pools/p1`, { method: 'DELETE', headers: auth() })).status).toBe(
      204,
    );
    expect((await fetch(`${base()}/pools/p1`, { method: 'DELETE', headers: auth() })).status).toBe(
      404,
    );
    expect(
      (await fetch(`${base()}/pools/default_pool`, { method: 'DELETE', headers: auth() })).status,
    ).toBe(400);
  });

  it('changes only slots and include_deferred of default_pool, and only when the mask says so', async () => {
    const patch = (query: string) =>
      fetch(`${base()}/pools/default_pool${query}`, {
        method: 'PATCH',
        headers: auth(),
        body: JSON.stringify({ name: 'default_pool', slots: 7, description: 'x' }),
      });
    for (const query of [
      '',
      '?update_mask=description',
      '?update_mask=slots&update_mask=description',
    ]) {
      const refused = await patch(query);
      expect(refused.status).toBe(400);
      expect((await refused.json()).detail).toBe(
        'Only slots and included_deferred can be modified on Default Pool',
      );
    }
    const ok = await patch('?update_mask=slots&update_mask=include_deferred');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ name: 'default_pool', slots: 7 });
  });

  it('pages with limit/offset/total_entries, capped at 100; list items mask passwords', async () => {
    const conns = emu.state.airflow(depId('analytics')).connections;
    for (let i = 0; i < 120; i++)
      conns.set(`c${i}`, { connection_id: `c${i}`, conn_type: 'http', password: 'pw' });
    const capped = await (
      await fetch(`${base()}/connections?limit=500`, { headers: auth() })
    ).json();
    expect(capped.total_entries).toBe(123);
    expect(capped.connections).toHaveLength(100);
    const last = await (
      await fetch(`${base()}/connections?limit=100&offset=100`, { headers: auth() })
    ).json();
    expect(last.connections.map((c: { connection_id: string }) => c.connection_id)).toEqual(
      Array.from({ length: 23 }, (_, i) => `c${i + 97}`),
    );
    const first = await (await fetch(`${base()}/connections`, { headers: auth() })).json();
    expect(first.connections).toHaveLength(50);
    expect(
      first.connections.find((c: { connection_id: string }) => c.connection_id === 'warehouse_db')
        .password,
    ).toBe('***');
  });
});

describe('Airflow 2 API (/api/v1)', () => {
  const base = () => emu.state.deployment('warehouse')!.webServerAirflowApiUrl;

  it('create 200; lists leave out passwords and extras but carry variable values; 409 with RFC 7807 body', async () => {
    const made = await fetch(`${base()}/connections`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ connection_id: 'n1', conn_type: 'http', password: 'pw', extra: '{}' }),
    });
    expect(made.status).toBe(200);
    expect(await made.json()).not.toHaveProperty('password');
    const dup = await fetch(`${base()}/connections`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ connection_id: 'n1', conn_type: 'http' }),
    });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({
      title: 'Connection already exist. ID: n1',
      status: 409,
    });
    const conns = await (await fetch(`${base()}/connections`, { headers: auth() })).json();
    expect(conns.connections[0]).toEqual({
      connection_id: 'snowflake_default',
      conn_type: 'snowflake',
      description: null,
      host: null,
      login: 'loader',
      schema: null,
      port: null,
    });
    const vars = await (await fetch(`${base()}/variables`, { headers: auth() })).json();
    expect(vars).toEqual({
      variables: [
        { key: 'env', value: 'prod', description: null },
        { key: 'batch_size', value: '500', description: 'Rows per batch' },
      ],
      total_entries: 2,
    });
    const one = await (await fetch(`${base()}/variables/env`, { headers: auth() })).json();
    expect(one).toEqual({ key: 'env', value: 'prod', description: null });
  });

  it('PATCH takes a comma-separated update_mask; a bad body is a 400', async () => {
    const res = await fetch(`${base()}/connections/snowflake_default?update_mask=login,port`, {
      method: 'PATCH',
      headers: auth(),
      body: JSON.stringify({
        connection_id: 'snowflake_default',
        conn_type: 'ignored',
        login: 'new',
        port: 443,
      }),
    });
    expect(await res.json()).toMatchObject({ conn_type: 'snowflake', login: 'new', port: 443 });
    const bad = await fetch(`${base()}/pools`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ name: 'x' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).detail).toMatch(/slots: Field required/);
  });

  it('the Airflow 2 Deployment has no /api/v2', async () => {
    expect((await fetch(base().replace(/v1$/, 'v2') + '/pools', { headers: auth() })).status).toBe(
      404,
    );
  });
});

describe("Astro's proxy in front of every Airflow API", () => {
  const api = (name: string) => emu.state.deployment(name)!.webServerAirflowApiUrl;

  it.each([
    ['analytics', 'variables', 'team%2Fowner', '/variables/team/owner'],
    ['analytics', 'pools', 'a%2fb', '/pools/a/b'],
    ['warehouse', 'connections', 'aws%2Fprod', '/connections/aws/prod'],
    ['warehouse', 'variables', '%2Fleading', '/variables/leading'],
  ])(
    '%s: an encoded slash in /%s/%s is a 308 to the decoded path, never served',
    async (name, kind, key, to) => {
      emu.state.airflow(depId(name)).variables.set('team/owner', {
        key: 'team/owner',
        value: 'x',
        description: null,
      });
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const res = await fetch(`${api(name)}/${kind}/${key}?update_mask=value`, {
          method,
          headers: auth(),
          body: method === 'PATCH' ? JSON.stringify({ key: 'k', value: 'v' }) : undefined,
          redirect: 'manual',
        });
        expect(res.status).toBe(308);
        const prefix = new URL(api(name)).pathname;
        expect(res.headers.get('location')).toBe(`${prefix}${to}?update_mask=value`);
      }
      expect(emu.state.airflow(depId(name)).variables.get('team/owner')?.value).toBe('x');
    },
  );
});

describe('a new Deployment’s Airflow API', () => {
  it('answers 404 while CREATING and for airflowApiDelayMs after turning HEALTHY; seeded ones at once', async () => {
    await emu.close();
    emu = await startEmulator({ createDelayMs: 50, airflowApiDelayMs: 60_000 });
    const fresh = emu.state.addDeployment({ name: 'fresh', creating: true });
    const pools = async (url: string) => (await fetch(`${url}/pools`, { headers: auth() })).status;
    expect(await pools(fresh.webServerAirflowApiUrl)).toBe(404);
    // HEALTHY now, still 404 (the flag keeps it so for a minute).
    for (let i = 0; i < 100 && emu.state.deployment('fresh')!.status !== 'HEALTHY'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(emu.state.deployment('fresh')!.status).toBe('HEALTHY');
    expect(await pools(fresh.webServerAirflowApiUrl)).toBe(404);
    expect(await pools(emu.state.deployment('analytics')!.webServerAirflowApiUrl)).toBe(200);
  });

  it('without the flag it answers once HEALTHY', async () => {
    await emu.close();
    emu = await startEmulator({ createDelayMs: 50 });
    const fresh = emu.state.addDeployment({ name: 'fresh', creating: true });
    const status = async () =>
      (await fetch(`${fresh.webServerAirflowApiUrl}/version`, { headers: auth() })).status;
    expect(await status()).toBe(404);
    for (let i = 0; i < 100 && emu.state.deployment('fresh')!.status !== 'HEALTHY'; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await status()).toBe(200);
  });
});
