// The emulator's Astro API from the outside, over HTTP with plain fetch: auth, scopes,
// strict validation, status codes and response shapes.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { minimalUpdate } from '../support/fixtures.js';

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 50, rolloutDelayMs: 50 });
});
afterEach(async () => {
  await emu.close();
});

interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = emu.token,
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const org = () => `/organizations/${emu.organizationId}`;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;
const dep = (name: string) => `${org()}/deployments/${id(name)}`;

describe('auth', () => {
  it('401 without a bearer token, with the error shape', async () => {
    const r = await call('GET', `${org()}/deployments`, undefined, null);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({
      message: expect.stringMatching(/^Unauthorized: missing or malformed Authorization header/),
      requestId: expect.any(String),
      statusCode: 401,
    });
  });

  it('401 for forged, expired and revoked tokens', async () => {
    const [h, p] = emu.token.split('.');
    expect((await call('GET', org(), undefined, `${h}.${p}.forged`)).body.message).toMatch(
      /signature is invalid/,
    );
    expect(
      (await call('GET', org(), undefined, emu.issueToken({ expired: true }))).body.message,
    ).toMatch(/token has expired/);
    const t = emu.issueToken();
    emu.revokeToken(t);
    expect((await call('GET', org(), undefined, t)).body.message).toMatch(/revoked/);
    expect((await call('GET', org(), undefined, 'opaque')).status).toBe(401);
  });

  it('403 for another organization, workspace or Deployment', async () => {
    expect((await call('GET', `/organizations/cother/deployments`)).status).toBe(403);
    const wsToken = emu.issueToken({ workspaceId: 'cotherworkspace' });
    expect((await call('GET', dep('analytics'), undefined, wsToken)).status).toBe(403);
    const depToken = emu.issueToken({
      workspaceId: emu.workspaceId,
      deploymentId: id('warehouse'),
    });
    expect((await call('GET', dep('analytics'), undefined, depToken)).status).toBe(403);
    expect((await call('GET', dep('warehouse'), undefined, depToken)).status).toBe(200);
    const listed = await call('GET', `${org()}/deployments`, undefined, depToken);
    expect(listed.body.deployments.map((d: { name: string }) => d.name)).toEqual(['warehouse']);
    expect(
      (
        await call(
          'POST',
          `${org()}/deployments`,
          { name: 'x', workspaceId: emu.workspaceId },
          depToken,
        )
      ).status,
    ).toBe(403);
  });

  it('a token without an organization claim lists the organizations it may use', async () => {
    const r = await call(
      'GET',
      '/organizations',
      undefined,
      emu.issueToken({ organizationId: null }),
    );
    expect(r.body).toMatchObject({
      organizations: [{ id: emu.organizationId }],
      totalCount: 1,
      limit: 20,
      offset: 0,
    });
  });
});

describe('validation', () => {
  it('unknown fields, wrong types and bad enum values → 400 with fieldErrors', async () => {
    const r = await call('POST', `${dep('analytics')}/deploys`, {
      type: 'EVERYTHING',
      description: 5,
      color: 'red',
    });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'type', code: 'oneof' }),
        expect.objectContaining({ field: 'description', code: 'type' }),
        expect.objectContaining({ field: 'color', code: 'unknown' }),
      ]),
    );
    expect(r.body.statusCode).toBe(400);
  });

  it('missing required fields and broken JSON → 400', async () => {
    expect((await call('POST', `${dep('analytics')}/deploys`, {})).body.fieldErrors).toEqual([
      expect.objectContaining({ field: 'type', code: 'required' }),
    ]);
    expect((await call('POST', `${dep('analytics')}/deploys`, '{nope')).status).toBe(400);
    const r = await call('POST', `${org()}/deployments`, { name: 'x' });
    expect(r.body.fieldErrors).toEqual([
      expect.objectContaining({ field: 'workspaceId', code: 'required' }),
    ]);
  });

  it('BUNDLE needs bundleType and bundleMountPath; git rules by provider', async () => {
    const r = await call('POST', `${dep('analytics')}/deploys`, { type: 'BUNDLE' });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual([
      'bundleMountPath',
      'bundleType',
    ]);
    const g = await call('POST', `${dep('analytics')}/deploys`, {
      type: 'IMAGE_AND_DAG',
      git: { provider: 'GITHUB', commitSha: 'abc' },
    });
    expect(g.body.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual([
      'git.account',
      'git.repo',
    ]);
  });

  it('DAG_ONLY and BUNDLE need DAG deploys on the Deployment', async () => {
    const r = await call('POST', `${dep('warehouse')}/deploys`, { type: 'DAG_ONLY' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/not enabled/);
    expect(
      (
        await call('POST', `${dep('warehouse')}/deploys`, {
          type: 'BUNDLE',
          bundleType: 'dbt',
          bundleMountPath: '/x',
        })
      ).status,
    ).toBe(400);
  });

  it('IMAGE_ONLY needs DAG deploys too (the DAGs must ride in the image); IMAGE_AND_DAG does not', async () => {
    const r = await call('POST', `${dep('warehouse')}/deploys`, { type: 'IMAGE_ONLY' });
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/IMAGE_ONLY deploys need DAG deploys/);
    expect(emu.state.deploys(id('warehouse'))).toHaveLength(0);
    const full = await call('POST', `${dep('warehouse')}/deploys`, { type: 'IMAGE_AND_DAG' });
    expect(full.status).toBe(200);
  });

  it('paging: limit over 1000 or negative → 400', async () => {
    expect((await call('GET', `${dep('analytics')}/deploys?limit=1001`)).status).toBe(400);
    expect((await call('GET', `${org()}/deployments?offset=-1`)).status).toBe(400);
    expect((await call('GET', `${org()}/deployments?limit=1000`)).status).toBe(200);
  });

  it('an update must carry the full settings', async () => {
    const r = await call('POST', dep('analytics'), {
      name: 'analytics',
      workspaceId: emu.workspaceId,
    });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining([
        'type',
        'executor',
        'isCicdEnforced',
        'isDagDeployEnabled',
        'environmentVariables',
      ]),
    );
    const bad = await call('POST', `${org()}/deployments`, {
      name: 'x',
      workspaceId: emu.workspaceId,
      astroRuntimeVersion: '99.0.0',
    });
    expect(bad.body.fieldErrors).toEqual([
      expect.objectContaining({ field: 'astroRuntimeVersion' }),
    ]);
  });
});

describe('Deployment creates and updates as Astro does them (ASTRO-API.md C3)', () => {
  const create = (body: Record<string, unknown>) =>
    call('POST', `${org()}/deployments`, { workspaceId: emu.workspaceId, ...body });

  it('a create ignores environment variables and contact emails; an update sets them', async () => {
    const made = await create({
      name: 'envless',
      environmentVariables: [{ key: 'A', isSecret: false, value: '1' }],
      contactEmails: ['team@example.com'],
    });
    expect(made.status).toBe(200);
    expect(made.body.environmentVariables).toEqual([]);
    expect(made.body.contactEmails).toEqual([]);
    const d = made.body;
    const updated = await call('POST', `${org()}/deployments/${d.id}`, {
      type: d.type,
      name: d.name,
      workspaceId: d.workspaceId,
      executor: d.executor,
      isCicdEnforced: d.isCicdEnforced,
      isDagDeployEnabled: d.isDagDeployEnabled,
      isHighAvailability: d.isHighAvailability,
      schedulerSize: d.schedulerSize,
      environmentVariables: [{ key: 'A', isSecret: false, value: '1' }],
      contactEmails: ['team@example.com'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.environmentVariables).toEqual([
      expect.objectContaining({ key: 'A', isSecret: false, value: '1' }),
    ]);
    expect(updated.body.contactEmails).toEqual(['team@example.com']);
  });

  it('an update of a Standard Deployment without schedulerSize or isHighAvailability is refused', async () => {
    const d = (await create({ name: 'partial' })).body;
    const r = await call('POST', `${org()}/deployments/${d.id}`, {
      type: d.type,
      name: d.name,
      workspaceId: d.workspaceId,
      executor: d.executor,
      isCicdEnforced: false,
      isDagDeployEnabled: true,
      environmentVariables: [],
    });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual([
      'isHighAvailability',
      'schedulerSize',
    ]);
  });

  it('a Deployment without workloadIdentity gets its own; one given is applied', async () => {
    const own = (await create({ name: 'own-identity' })).body;
    const given = (await create({ name: 'given-identity', workloadIdentity: 'arn:role/x' })).body;
    expect(given.effectiveWorkloadIdentity).toBe('arn:role/x');
    expect(own.effectiveWorkloadIdentity).toMatch(/^arn:aws:iam::/);
    expect(own.effectiveWorkloadIdentity).not.toBe(given.effectiveWorkloadIdentity);
  });

  it('KUBERNETES: the Deployment shows a default queue, but a create or update with workerQueues is refused', async () => {
    const queue = {
      name: 'default',
      isDefault: true,
      maxWorkerCount: 1,
      minWorkerCount: 0,
      workerConcurrency: 5,
      astroMachine: 'A5',
    };
    const r = await create({ name: 'kube', executor: 'KUBERNETES', workerQueues: [queue] });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors).toEqual([
      expect.objectContaining({ field: 'workerQueues', code: 'excluded_if' }),
    ]);
    const k = (await create({ name: 'kube', executor: 'KUBERNETES' })).body;
    expect(k.workerQueues.map((q: { name: string }) => q.name)).toEqual(['default']);
    expect(
      (await create({ name: 'celery', executor: 'CELERY', workerQueues: [queue] })).status,
    ).toBe(200);
  });

  it('hibernation schedules only on development Deployments', async () => {
    const scalingSpec = {
      hibernationSpec: {
        schedules: [{ hibernateAtCron: '0 20 * * *', wakeAtCron: '0 8 * * *', isEnabled: true }],
      },
    };
    const r = await create({ name: 'prod-like', scalingSpec });
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors).toEqual([
      expect.objectContaining({ field: 'scalingSpec.hibernationSpec.schedules' }),
    ]);
    const dev = await create({ name: 'dev-like', isDevelopmentMode: true, scalingSpec });
    expect(dev.status).toBe(200);
    expect(dev.body.scalingSpec.hibernationSpec.schedules).toEqual(
      scalingSpec.hibernationSpec.schedules,
    );
  });

  it.each(['_x_analytics', '.x_analytics', 'x_analytics-', 'x_analytics.'])(
    'a name that does not start and end with a letter or digit is refused: %s',
    async (name) => {
      const r = await create({ name });
      expect(r.status).toBe(400);
      expect(r.body.fieldErrors).toEqual([expect.objectContaining({ field: 'name' })]);
    },
  );

  it('refuseUpdatesWhileCreating: an update of a CREATING Deployment is refused, then taken', async () => {
    const other = await startEmulator({ createDelayMs: 300, refuseUpdatesWhileCreating: true });
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${other.url}/organizations/${other.organizationId}/deployments${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const d = (await (
        await post('', { name: 'young', workspaceId: other.workspaceId })
      ).json()) as Record<string, unknown>;
      const update = minimalUpdate(d);
      const early = await post(`/${String(d.id)}`, update);
      expect(early.status).toBe(400);
      expect(((await early.json()) as { message: string }).message).toMatch(/still being created/);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await post(`/${String(d.id)}`, update)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it.each([
    [undefined, 'cleared'],
    ['replace', 'cleared'],
    ['merge', 'kept'],
  ] as const)(
    'an update that leaves out optional settings (updates %s): they are %s',
    async (updates, fate) => {
      const other = await startEmulator({ createDelayMs: 0, updates });
      try {
        const post = (path: string, body: unknown) =>
          fetch(`${other.url}/organizations/${other.organizationId}/deployments${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${other.token}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify(body),
          }).then((r) => r.json() as Promise<Record<string, unknown>>);
        const made = await post('', { name: 'full', workspaceId: other.workspaceId });
        const id = `/${String(made.id)}`;
        const settings = { description: 'kept or not', contactEmails: ['data@example.com'] };
        const full = await post(id, { ...minimalUpdate(made), ...settings });
        expect(full).toMatchObject(settings);
        const after = await post(id, minimalUpdate(made));
        expect(after.id).toBe(made.id); // taken, not refused
        if (fate === 'cleared') {
          expect(after.description).toBeUndefined();
          expect(after.contactEmails ?? []).toEqual([]);
        } else {
          expect(after).toMatchObject(settings);
        }
      } finally {
        await other.close();
      }
    },
  );

  it.each([undefined, 400, 409] as const)(
    'a second Deployment with a name used in the workspace is refused (duplicateNameStatus %s)',
    async (status) => {
      const other = await startEmulator({ duplicateNameStatus: status });
      try {
        const post = (name: string) =>
          fetch(`${other.url}/organizations/${other.organizationId}/deployments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${other.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name, workspaceId: other.workspaceId }),
          });
        expect((await post('twin')).status).toBe(200);
        const again = await post('twin');
        expect(again.status).toBe(status ?? 400);
        expect(((await again.json()) as { fieldErrors: unknown }).fieldErrors).toEqual([
          expect.objectContaining({ field: 'name', code: 'unique' }),
        ]);
        expect((await post('analytics')).status).toBe(status ?? 400);
        expect(other.state.deployments().filter((d) => d.name === 'twin')).toHaveLength(1);
      } finally {
        await other.close();
      }
    },
  );
});

describe('status codes and shapes', () => {
  it('creates answer 200; deletes 204, then 404', async () => {
    const made = await call('POST', `${org()}/deployments`, {
      name: 'tmp',
      workspaceId: emu.workspaceId,
    });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({
      name: 'tmp',
      status: 'CREATING',
      workspaceId: emu.workspaceId,
      organizationId: emu.organizationId,
    });
    const path = `${org()}/deployments/${made.body.id}`;
    const del = await call('DELETE', path);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    expect((await call('DELETE', path)).status).toBe(404);
    expect((await call('GET', path)).status).toBe(404);
  });

  it('deleteLingerMs: a deleted Deployment is still listed and read for a while; a second DELETE is 404', async () => {
    await emu.close();
    emu = await startEmulator({ createDelayMs: 50, rolloutDelayMs: 50, deleteLingerMs: 60_000 });
    const path = dep('warehouse');
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('GET', path)).status).toBe(200);
    const listed = await call('GET', `${org()}/deployments?names=warehouse`);
    expect(listed.body.deployments.map((d: { id: string }) => d.id)).toEqual([id('warehouse')]);
    expect((await call('DELETE', path)).status).toBe(404);
    // Read, but it takes nothing more: no deploy, no update.
    expect((await call('POST', `${path}/deploys`, { type: 'IMAGE_AND_DAG' })).status).toBe(404);
    expect((await call('POST', path, { name: 'warehouse' })).status).toBe(404);
  });

  it('unknown ids → 404', async () => {
    expect((await call('GET', `${org()}/deployments/cnope`)).status).toBe(404);
    expect((await call('GET', `${dep('analytics')}/deploys/cnope`)).status).toBe(404);
    expect((await call('POST', `${dep('analytics')}/deploys/cnope/finalize`, {})).status).toBe(404);
    expect((await call('GET', `${org()}/nothing`)).status).toBe(404);
  });

  it('deploys: fresh image tags, upload URL only with DAG deploys, git echoed, newest first', async () => {
    const git = {
      provider: 'GITHUB',
      commitSha: 'f'.repeat(40),
      account: 'acme',
      repo: 'dags',
      branch: 'main',
      authorName: 'A',
    };
    const a = (await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_AND_DAG', git }))
      .body;
    const b = (await call('POST', `${dep('analytics')}/deploys`, { type: 'DAG_ONLY' })).body;
    expect(a).toMatchObject({
      status: 'INITIALIZED',
      type: 'IMAGE_AND_DAG',
      git,
      isDagDeployEnabled: true,
    });
    expect(a.imageTag).toMatch(/^deploy-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d+$/);
    expect(b.imageTag).not.toBe(a.imageTag);
    expect(a.dagsUploadUrl).toMatch(/\?sv=.*&sig=/);
    const w = (await call('POST', `${dep('warehouse')}/deploys`, { type: 'IMAGE_AND_DAG' })).body;
    expect(w.dagsUploadUrl).toBeUndefined();
    const list = (await call('GET', `${dep('analytics')}/deploys`)).body;
    expect(list.deploys.map((d: { id: string }) => d.id)).toEqual([b.id, a.id]);
    expect(list).toMatchObject({ totalCount: 2, offset: 0, limit: 20 });
  });

  it('a BUNDLE deploy is listed as DAG_ONLY with its bundle fields', async () => {
    const made = (
      await call('POST', `${dep('analytics')}/deploys`, {
        type: 'BUNDLE',
        bundleType: 'dbt',
        bundleMountPath: '/usr/local/airflow/dbt/p',
      })
    ).body;
    expect(made.bundleUploadUrl).toMatch(/\/bundle\?/);
    expect(made.dagsUploadUrl).toBeUndefined();
    const listed = (await call('GET', `${dep('analytics')}/deploys`)).body.deploys[0];
    expect(listed).toMatchObject({
      id: made.id,
      type: 'DAG_ONLY',
      bundleMountPath: '/usr/local/airflow/dbt/p',
      bundles: [{ bundleType: 'dbt', deployId: made.id, mountPath: '/usr/local/airflow/dbt/p' }],
    });
  });

  it('deployment options and workspaces', async () => {
    const o = await call(
      'GET',
      `${org()}/deployment-options?deploymentId=${id('analytics')}&executor=ASTRO`,
    );
    expect(o.body.runtimeReleases[0]).toEqual(
      expect.objectContaining({ version: expect.any(String), airflowVersion: expect.any(String) }),
    );
    expect((await call('GET', `${org()}/deployment-options?executor=SEQUENTIAL`)).status).toBe(400);
    const ws = await call('GET', `${org()}/workspaces?names=data-platform`);
    expect(ws.body.workspaces).toEqual([
      expect.objectContaining({ id: emu.workspaceId, cicdEnforcedDefault: false }),
    ]);
  });

  it('every request is in the log with method, path and status', async () => {
    await call('GET', `${org()}/deployments?limit=5`);
    await call('POST', `${dep('warehouse')}/deploys`, { type: 'DAG_ONLY' });
    expect(
      emu.state.requests.map(({ method, path, status }) => ({ method, path, status })),
    ).toEqual([
      { method: 'GET', path: `/v1${org()}/deployments`, status: 200 },
      { method: 'POST', path: `/v1${dep('warehouse')}/deploys`, status: 400 },
    ]);
  });
});

describe('faults', () => {
  it('reply before acting: a faulted create leaves nothing', async () => {
    emu.setFaults({ rate: 1, kinds: ['503'] });
    const r = await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_ONLY' });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ statusCode: 503, requestId: expect.any(String) });
    expect(emu.state.deploys(id('analytics'))).toHaveLength(0);
  });

  it('429 carries Retry-After', async () => {
    emu.setFaults({ rate: 1, kinds: ['429'], retryAfterSeconds: 4 });
    const r = await call('GET', org());
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('4');
  });

  it("'reset-after' acts, then drops the connection", async () => {
    emu.setFaults({ rate: 1, kinds: ['reset-after'] });
    await expect(
      call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_ONLY' }),
    ).rejects.toThrow();
    expect(emu.state.deploys(id('analytics'))).toHaveLength(1);
  });

  it('the same seed gives the same faults', async () => {
    const run = async () => {
      emu.setFaults({ rate: 0.5, seed: 42, kinds: ['500', '503', '429'] });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await call('GET', org())).status);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(200);
    expect(first.some((s) => s !== 200)).toBe(true);
    expect(await run()).toEqual(first);
  });
});
