// The Astro API client against the emulator over loopback: every call, pagination, the
// organization lookup, headers, and the error sentences a user sees.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAstroClient, type AstroClientOptions } from '../../src/astro/client.js';
import { AstroApiError } from '../../src/astro/errors.js';
import { uploadBlob } from '../../src/astro/upload.js';
import type { DeploymentRequest } from '../../src/astro/types.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
let dir: string;
const noWait = { sleep: async () => {} };

beforeEach(async () => {
  // Finalized deploys show DEPLOYED at once here (rollout-end: emulator-deploy-status.test.ts).
  emu = await startEmulator({
    createDelayMs: 50,
    rolloutDelayMs: 50,
    wakeDelayMs: 50,
    deployStatusAt: 'finalize',
  });
});
afterEach(async () => {
  await emu.close();
});
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'astro-client-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const client = (extra: Partial<AstroClientOptions> = {}) =>
  createAstroClient({ baseUrl: emu.url, token: emu.token, log: silentLog, ...noWait, ...extra });
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

describe('organization and workspace', () => {
  it('takes them from the token claims without asking the API', async () => {
    const api = await client();
    expect(api.organizationId).toBe(emu.organizationId);
    expect(api.workspaceId).toBe(emu.workspaceId);
    expect(emu.state.requests).toEqual([]);
  });

  it('asks GET /organizations when the token names no organization', async () => {
    const api = await client({ token: emu.issueToken({ organizationId: null }) });
    expect(api.organizationId).toBe(emu.organizationId);
    expect(api.workspaceId).toBeUndefined();
    expect(emu.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/organizations',
    ]);
  });

  it('fails clearly when the token sees several organizations', async () => {
    const other = emu.state.addOrganization('Second Org');
    await expect(client({ token: emu.issueToken({ organizationId: null }) })).rejects.toThrow(
      `ASTRO_API_TOKEN can see several organizations (Emulated Organization (${emu.organizationId}), Second Org (${other.id})); use an API token of the one organization to deploy to.`,
    );
  });

  it('lists workspaces, by name too', async () => {
    const api = await client({ token: emu.issueToken() });
    emu.state.addWorkspace('other');
    expect((await api.listWorkspaces()).map((w) => w.name).sort()).toEqual([
      'data-platform',
      'other',
    ]);
    expect((await api.listWorkspaces(['other'])).map((w) => w.name)).toEqual(['other']);
  });
});

describe('Deployments', () => {
  it('lists with repeated-key filters and gets one', async () => {
    const api = await client();
    const all = await api.listDeployments();
    expect(all.map((d) => d.name)).toEqual(['analytics', 'warehouse', 'sandbox']);
    const two = await api.listDeployments({
      names: ['analytics', 'sandbox'],
      workspaceIds: [emu.workspaceId],
    });
    expect(two.map((d) => d.name)).toEqual(['analytics', 'sandbox']);
    const byId = await api.listDeployments({ deploymentIds: [id('warehouse')] });
    expect(byId.map((d) => d.name)).toEqual(['warehouse']);
    const one = await api.getDeployment(id('warehouse'));
    expect(one).toMatchObject({ name: 'warehouse', isDagDeployEnabled: false, status: 'HEALTHY' });
    expect(one.webServerAirflowApiUrl).toMatch(/\/api\/v1$/);
  });

  it('follows every page (small pages here)', async () => {
    for (let i = 0; i < 23; i++) emu.state.addDeployment({ name: `bulk-${i}` });
    const api = await client({ pageSize: 5 });
    const all = await api.listDeployments();
    expect(all).toHaveLength(26);
    expect(new Set(all.map((d) => d.id)).size).toBe(26);
    expect(emu.state.requests.filter((r) => r.path.endsWith('/deployments'))).toHaveLength(6);
  });

  it('creates, updates and deletes', async () => {
    const api = await client();
    const made = await api.createDeployment({
      name: 'feature-x_analytics',
      workspaceId: emu.workspaceId,
      astroRuntimeVersion: '3.0-7',
      isDevelopmentMode: true,
    });
    expect(made.status).toBe('CREATING');
    const body: DeploymentRequest = {
      type: 'STANDARD',
      name: 'feature-x_analytics',
      workspaceId: emu.workspaceId,
      executor: 'ASTRO',
      isCicdEnforced: false,
      isDagDeployEnabled: true,
      isHighAvailability: false,
      schedulerSize: 'SMALL',
      description: 'Preview of x',
      environmentVariables: [{ key: 'A', value: '1', isSecret: false }],
    };
    const updated = await api.updateDeployment(made.id, body);
    expect(updated.description).toBe('Preview of x');
    expect(updated.environmentVariables).toEqual([
      expect.objectContaining({ key: 'A', value: '1', isSecret: false }),
    ]);
    await api.deleteDeployment(made.id);
    await expect(api.getDeployment(made.id)).rejects.toThrow(
      `Deployment ${made.id} was not found in organization ${emu.organizationId}`,
    );
    expect(emu.state.deployment(made.id)).toBeUndefined();
  });

  it('reads deployment options', async () => {
    const api = await client();
    const options = await api.getDeploymentOptions(id('analytics'));
    expect(options.executors).toContain('ASTRO');
    expect(options.runtimeReleases.map((r) => r.version)).toContain('3.0-7');
    expect((await api.getDeploymentOptions()).runtimeReleases.length).toBeGreaterThan(1);
  });
});

describe('deploys', () => {
  it('create → upload → finalize; the Deployment rolls out; history lists it first', async () => {
    const api = await client();
    const dep = id('analytics');
    const deploy = await api.createDeploy(dep, {
      type: 'DAG_ONLY',
      description: 'dags',
      git: {
        provider: 'GITHUB',
        commitSha: 'a'.repeat(40),
        account: 'acme',
        repo: 'airflow',
        branch: 'main',
      },
    });
    expect(deploy.status).toBe('INITIALIZED');
    const file = join(dir, 'dags.tar');
    await writeFile(file, Buffer.alloc(2048));
    const version = await uploadBlob({ url: deploy.dagsUploadUrl!, file, log: silentLog });
    const done = await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
    expect(done).toMatchObject({ id: deploy.id, status: 'DEPLOYED', dagTarballVersion: version });
    expect((await api.getDeploy(dep, deploy.id)).status).toBe('DEPLOYED');
    const history = await api.listDeploys(dep);
    expect(history[0]).toMatchObject({
      id: deploy.id,
      git: { commitSha: 'a'.repeat(40), branch: 'main' },
    });
    expect((await api.getDeployment(dep)).desiredDagTarballVersion).toBe(version);
  });

  it('a BUNDLE deploy carries its bundle fields and finalizes with bundleTarballVersion', async () => {
    const api = await client();
    const dep = id('analytics');
    const deploy = await api.createDeploy(dep, {
      type: 'BUNDLE',
      bundleType: 'dbt',
      bundleMountPath: '/usr/local/airflow/dbt/jaffle',
    });
    expect(deploy.bundleUploadUrl).toBeDefined();
    const file = join(dir, 'bundle.tar.gz');
    await writeFile(file, Buffer.from([0x1f, 0x8b, 8, 0]));
    const version = await uploadBlob({ url: deploy.bundleUploadUrl!, file, log: silentLog });
    const done = await api.finalizeDeploy(dep, deploy.id, { bundleTarballVersion: version });
    expect(done.bundles).toEqual([
      expect.objectContaining({
        bundleType: 'dbt',
        mountPath: '/usr/local/airflow/dbt/jaffle',
        desiredVersion: version,
      }),
    ]);
  });

  it('lists more than 1000 deploys across pages, newest first', async () => {
    const dep = id('warehouse');
    const t0 = Date.parse('2024-01-01T00:00:00Z');
    for (let i = 0; i < 1105; i++)
      emu.state.addDeploy(dep, { createdAt: new Date(t0 + i * 1000).toISOString() });
    const api = await client();
    const deploys = await api.listDeploys(dep);
    expect(deploys).toHaveLength(1105);
    expect(deploys[0].createdAt).toBe(new Date(t0 + 1104 * 1000).toISOString());
    expect(deploys[1104].createdAt).toBe(new Date(t0).toISOString());
    expect(emu.state.requests.filter((r) => r.path.endsWith('/deploys'))).toHaveLength(2);
  });
});

describe('hibernation', () => {
  it('sets and removes an override', async () => {
    const api = await client();
    const dep = id('sandbox');
    expect((await api.getDeployment(dep)).status).toBe('HIBERNATING');
    const o = await api.setHibernationOverride(dep, { isHibernating: false });
    expect(o).toEqual({ isActive: true, isHibernating: false });
    expect((await api.getDeployment(dep)).scalingSpec?.hibernationSpec?.override).toEqual({
      isActive: true,
      isHibernating: false,
    });
    await api.deleteHibernationOverride(dep);
    const after = await api.getDeployment(dep);
    expect(after.status).toBe('HIBERNATING');
    expect(after.scalingSpec?.hibernationSpec?.override).toBeUndefined();
    await expect(api.deleteHibernationOverride(dep)).rejects.toThrow(
      `Deployment ${dep} has no hibernation override to remove in organization ${emu.organizationId}`,
    );
  });
});

describe('errors a user sees', () => {
  it('an expired token fails before any request', async () => {
    const token = emu.issueToken({ expired: true });
    await expect(client({ token })).rejects.toThrow(
      /^ASTRO_API_TOKEN expired on \d{4}-\d\d-\d\dT.*; create a new token/,
    );
    expect(emu.state.requests).toEqual([]);
  });

  it('401: a revoked token', async () => {
    const token = emu.issueToken();
    const api = await client({ token });
    emu.revokeToken(token);
    const err = await api.getDeployment(id('analytics')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AstroApiError);
    expect((err as AstroApiError).status).toBe(401);
    expect((err as AstroApiError).message).toMatch(
      /^ASTRO_API_TOKEN was rejected by the Astro API \(401: invalid, revoked or expired, request id req\d+\); create a new API token/,
    );
  });

  it('403: a Deployment token used on another Deployment', async () => {
    const token = emu.issueToken({ workspaceId: emu.workspaceId, deploymentId: id('warehouse') });
    const api = await client({ token });
    await expect(api.createDeploy(id('analytics'), { type: 'IMAGE_AND_DAG' })).rejects.toThrow(
      `ASTRO_API_TOKEN may not deploy to Deployment ${id('analytics')} in organization ${emu.organizationId}: give it the Workspace Operator role in the Deployment's Workspace or use a Deployment token for that Deployment`,
    );
    await expect(api.deleteDeployment(id('warehouse'))).rejects.toThrow(
      /a Deployment token cannot create or delete Deployments/,
    );
  });

  it('404: an unknown Deployment and an unknown deploy', async () => {
    const api = await client();
    await expect(api.getDeployment('cnotthere0000000000000000')).rejects.toThrow(
      `Deployment cnotthere0000000000000000 was not found in organization ${emu.organizationId}: check deployment-id`,
    );
    await expect(api.getDeploy(id('analytics'), 'cnodeploy')).rejects.toThrow(
      `Deploy cnodeploy of Deployment ${id('analytics')} was not found in organization ${emu.organizationId}; it may have been deleted`,
    );
  });

  it('400: the server message with its field errors', async () => {
    const api = await client();
    await expect(api.createDeploy(id('warehouse'), { type: 'DAG_ONLY' })).rejects.toThrow(
      /^The Astro API refused POST \/organizations\/.+\/deploys with 400: DAG_ONLY deploys need DAG deploys, which are not enabled on Deployment .+ \(request id req\d+\)\.$/,
    );
  });
});

describe('what is sent', () => {
  it('bearer auth, JSON, client identifier and version headers; a Bearer-prefixed token works', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'd1' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const api = await createAstroClient({
        baseUrl: `http://127.0.0.1:${port}/v1/`,
        token: `Bearer ${emu.token}`,
        log: recordingLog(),
        organizationId: 'o1',
        version: '9.9.9',
      });
      await api.getDeployment('d1');
      expect(seen[0]).toMatchObject({
        authorization: `Bearer ${emu.token}`,
        'content-type': 'application/json',
        // Our own name, not that of Astronomer's deploy-action.
        'x-astro-client-identifier': 'astro-deploy-action',
        'x-astro-client-version': '9.9.9',
        'user-agent': 'astro-deploy-action/9.9.9',
      });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
