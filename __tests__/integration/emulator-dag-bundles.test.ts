// Named DAG bundles (ASTRO-API.md C10): the client's v1alpha1 calls against the emulator's
// strict v1alpha1 routes, over loopback. A deploy to a named bundle is created on v1alpha1,
// uploaded and finalized on v1; the bundle's desiredVersion is set at the finalize and its
// currentVersion follows when the rollout ends, while the Deployment's own (default bundle)
// DAG versions stay as they were.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAstroClient } from '../../src/astro/client.js';
import { v1alpha1Base } from '../../src/astro/dag-bundles.js';
import { uploadBlob } from '../../src/astro/upload.js';
import { silentLog } from '../../src/platform/log.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
let dir: string;

beforeEach(async () => {
  emu = await startEmulator({ rolloutDelayMs: 200, dagBundles: { analytics: ['ml'] } });
});
afterEach(async () => {
  await emu.close();
});
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dag-bundles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const client = () =>
  createAstroClient({ baseUrl: emu.url, token: emu.token, log: silentLog, sleep: async () => {} });
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;
const git = {
  provider: 'GITHUB' as const,
  commitSha: 'b'.repeat(40),
  account: 'acme',
  repo: 'airflow',
};

async function raw(method: string, path: string, body?: unknown) {
  const res = await fetch(`${v1alpha1Base(emu.url)}${path}`, {
    method,
    headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

test('v1alpha1 is the v1 base URL with its version changed', () => {
  expect(v1alpha1Base('https://api.astronomer.io/v1')).toBe('https://api.astronomer.io/v1alpha1');
  expect(v1alpha1Base('http://127.0.0.1:8871/v1')).toBe('http://127.0.0.1:8871/v1alpha1');
});

test('the bundle list: main, then the named bundles, with paging fields', async () => {
  const api = await client();
  const bundles = await api.listDagBundles(id('analytics'));
  expect(bundles.map((b) => b.name)).toEqual(['main', 'reporting', 'ml']);
  expect(bundles[1]).toMatchObject({ type: 'DEPLOY', isDagBundle: true });
  expect(bundles[1].currentVersion).toBeUndefined();
  const page = await raw(
    'GET',
    `/organizations/${emu.organizationId}/deployments/${id('analytics')}/bundles?isDagBundle=true&limit=1&offset=1`,
  );
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({ limit: 1, offset: 1, totalCount: 3 });
  expect(page.body.bundles.map((b: { name: string }) => b.name)).toEqual(['reporting']);
  const bad = await raw(
    'GET',
    `/organizations/${emu.organizationId}/deployments/${id('analytics')}/bundles?isDagBundle=yes`,
  );
  expect(bad.status).toBe(400);
  expect(await api.listDagBundles(id('warehouse'))).toEqual([]);
});

test('create (v1alpha1) → upload → finalize (v1): the bundle rolls out, the default bundle is untouched', async () => {
  const api = await client();
  const dep = id('analytics');
  const before = await api.getDeployment(dep);
  const deploy = await api.createDagBundleDeploy(dep, {
    type: 'DAG',
    dagBundleName: 'reporting',
    description: 'reporting DAGs',
    git,
  });
  expect(deploy).toMatchObject({ status: 'INITIALIZED', type: 'DAG_ONLY' });
  const file = join(dir, 'dags.tar');
  await writeFile(file, Buffer.alloc(2048));
  const version = await uploadBlob({ url: deploy.dagsUploadUrl!, file, log: silentLog });
  await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
  const rolling = (await api.listDagBundles(dep)).find((b) => b.name === 'reporting')!;
  expect(rolling.desiredVersion).toBe(version);
  expect(rolling.currentVersion).toBeUndefined();
  // The rollout ends on its own; poll (bounded) instead of assuming its length.
  let live = rolling;
  for (let i = 0; i < 100 && live.currentVersion === undefined; i++) {
    await new Promise((r) => setTimeout(r, 50));
    live = (await api.listDagBundles(dep)).find((b) => b.name === 'reporting')!;
  }
  expect(live.currentVersion).toBe(version);
  const after = await api.getDeployment(dep);
  expect(after.dagTarballVersion).toBe(before.dagTarballVersion);
  expect(after.desiredDagTarballVersion).toBe(before.desiredDagTarballVersion);
  expect((await api.listDeploys(dep))[0]).toMatchObject({
    id: deploy.id,
    dagTarballVersion: version,
    git: { commitSha: 'b'.repeat(40) },
  });
});

test('the create is strict: type, a bundle that exists, Airflow 3, no unknown fields', async () => {
  const path = (name: string) =>
    `/organizations/${emu.organizationId}/deployments/${id(name)}/deploys`;
  const cases: [string, unknown, RegExp][] = [
    ['analytics', { type: 'DAG_ONLY', dagBundleName: 'reporting' }, /type/],
    ['analytics', { type: 'DAG', dagBundleName: 'nope' }, /DAG bundle nope not found/],
    ['analytics', { type: 'DAG', dagBundleName: 'reporting', bundleName: 'x' }, /bundleName/],
    ['warehouse', { type: 'IMAGE', dagBundleName: 'reporting' }, /need Airflow 3/],
  ];
  for (const [deployment, body, message] of cases) {
    const r = await raw('POST', path(deployment), body);
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(message);
  }
  expect(emu.state.deploys(id('analytics')).length).toBe(0);
  const made = await raw('POST', path('analytics'), { type: 'IMAGE', dagBundleName: 'ml' });
  expect(made.status).toBe(200);
  expect(made.body.type).toBe('IMAGE_AND_DAG');
});

test('a deleted Deployment is gone from v1alpha1 too once its linger is over', async () => {
  await emu.close();
  emu = await startEmulator({ deleteLingerMs: 50 });
  const org = emu.organizationId;
  const bundles = `/organizations/${org}/deployments/${id('analytics')}/bundles?isDagBundle=true`;
  expect((await raw('GET', bundles)).status).toBe(200);
  const gone = await fetch(`${emu.url}/organizations/${org}/deployments/${id('analytics')}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${emu.token}` },
  });
  expect(gone.status).toBeLessThan(300);
  await new Promise((r) => setTimeout(r, 120));
  // No v1 request in between: v1alpha1 itself sees that the linger is over.
  expect((await raw('GET', bundles)).status).toBe(404);
});
