// The Airflow objects a new preview gets, through the bundled action against the emulator as
// Astro behaves: keys with `/` (which Astro's proxy cannot take in a path), Airflow 2
// connections whose extra cannot be read, and a new preview's Airflow API that answers 404
// for a while after the preview turns HEALTHY.
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import type { Deployment } from '../../src/astro/types.js';
import { runAction, ok, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';
import { airflowConnection } from '../support/fixtures.js';

let emu: Emulator;
let repo: TestRepo;

async function start(options: EmulatorOptions = {}): Promise<void> {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20, ...options });
}
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

async function createPreview(
  base: string,
  branch: string,
  inputs: Record<string, string> = {},
): Promise<RunResult> {
  const sha = repo.head();
  return runAction({
    inputs: {
      action: 'create-deployment-preview',
      'deployment-id': base,
      'deploy-type': 'dags-only',
      'wait-time': '60s',
      ...inputs,
    },
    token: emu.token,
    apiUrl: emu.url,
    workspace: repo.checkout(sha),
    eventName: 'create',
    event: { ref: branch, ref_type: 'branch' },
    sha,
    ref: `refs/heads/${branch}`,
    serverUrl: repo.serverUrl,
  });
}

const warnings = (r: RunResult) => r.annotations.filter((l) => l.startsWith('::warning'));

/** An Airflow 2 base with DAG deploys, placed like the seeded Airflow 3 one. */
function airflow2Base(): Deployment {
  const like = emu.state.deployment(id('analytics'))!;
  const runtime = emu.state.deployment(id('warehouse'))!.astroRuntimeVersion;
  return emu.state.addDeployment({
    name: 'legacy',
    astroRuntimeVersion: runtime,
    isDagDeployEnabled: true,
    ...(like.type ? { type: like.type } : {}),
    ...(like.clusterId ? { clusterId: like.clusterId } : {}),
    ...(like.cloudProvider ? { cloudProvider: like.cloudProvider } : {}),
    ...(like.region ? { region: like.region } : {}),
  });
}

const connection = (connection_id: string, extra: string | null) =>
  airflowConnection(connection_id, 'aws', extra);

/** Requests that name an object with `/` by path: encoded, or as extra path segments. */
const byPath = (slashKeys: string[]) =>
  emu.state.requests.filter(
    (q) =>
      /%2F/i.test(q.path) ||
      slashKeys.some((k) => q.path.endsWith(`/${k}`) || q.path.includes(`/${k.split('/')[0]}/`)),
  );

describe('Airflow 2 base: keys with a slash', () => {
  test('are created, never read or changed by path, and do not stop the preview; extras that cannot be read are named', async () => {
    await start();
    const base = airflow2Base();
    const objects = emu.state.airflow(base.id);
    objects.connections.set('aws/prod', connection('aws/prod', '{"region": "eu"}'));
    objects.connections.set('plain', connection('plain', '{"region": "us"}'));
    objects.variables.set('team/owner', { key: 'team/owner', value: 'data', description: null });
    objects.variables.set('env', { key: 'env', value: 'prod', description: null });
    objects.pools.set('etl/big', {
      name: 'etl/big',
      slots: 6,
      description: null,
      include_deferred: false,
    });
    repo.commit(astroProject());
    repo.push('feat/slash');
    emu.state.clearRequests();

    const r = ok(await createPreview(base.id, 'feat/slash'));

    const preview = emu.state.deployment(r.outputs['preview-id'])!;
    expect(preview.name).toBe('feat-slash_legacy');
    const copied = emu.state.airflow(preview.id);
    expect(copied.variables.get('team/owner')?.value).toBe('data');
    expect(copied.variables.get('env')?.value).toBe('prod');
    expect(copied.pools.get('etl/big')?.slots).toBe(6);
    expect(copied.connections.get('aws/prod')?.extra ?? null).toBeNull();
    expect(JSON.parse(copied.connections.get('plain')!.extra!)).toEqual({ region: 'us' });
    expect(r.summary).toMatch(/Variables copied \| 2 created/);
    expect(r.summary).toMatch(/Connections copied \| 2 created/);
    expect(r.summary).toMatch(/Connections copied without extra \(not readable\) \| aws\/prod/);
    expect(warnings(r).filter((w) => /without their extra field.*aws\/prod/.test(w))).toHaveLength(
      1,
    );
    expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
    // No variable was read by key, and nothing with a slash was addressed by path.
    expect(byPath(['aws/prod', 'team/owner', 'etl/big'])).toEqual([]);
    const variableReads = emu.state.requests.filter(
      (q) => q.method === 'GET' && /\/variables\/./.test(q.path),
    );
    expect(variableReads).toEqual([]);
  });

  test('a reused preview that already has them keeps them, with a warning, and still deploys', async () => {
    await start();
    const base = airflow2Base();
    const objects = emu.state.airflow(base.id);
    objects.connections.set('aws/prod', connection('aws/prod', null));
    objects.pools.set('etl/big', {
      name: 'etl/big',
      slots: 6,
      description: null,
      include_deferred: false,
    });
    repo.commit(astroProject());
    repo.push('feat/again');
    // What a run that stopped after copying, before deploying, leaves behind.
    const left = emu.state.addDeployment({
      name: 'feat-again_legacy',
      description: `Preview of ${base.id} for branch feat/again`,
      astroRuntimeVersion: base.astroRuntimeVersion,
      isDagDeployEnabled: true,
      ...(base.type ? { type: base.type } : {}),
      ...(base.clusterId ? { clusterId: base.clusterId } : {}),
      ...(base.cloudProvider ? { cloudProvider: base.cloudProvider } : {}),
      ...(base.region ? { region: base.region } : {}),
    });
    const there = emu.state.airflow(left.id);
    there.connections.set('aws/prod', { ...connection('aws/prod', null), conn_type: 'http' });
    there.pools.set('etl/big', {
      name: 'etl/big',
      slots: 1,
      description: null,
      include_deferred: false,
    });
    emu.state.clearRequests();

    const r = ok(await createPreview(base.id, 'feat/again'));

    expect(r.outputs['preview-id']).toBe(left.id);
    expect(there.connections.get('aws/prod')?.conn_type).toBe('http');
    expect(there.pools.get('etl/big')?.slots).toBe(1);
    expect(r.summary).toMatch(
      /Already on the preview, left as is \('\/' in the name\) \| connection "aws\/prod"; pool "etl\/big"/,
    );
    expect(warnings(r).filter((w) => /left as they are/.test(w))).toHaveLength(1);
    // Only default_pool (every Airflow has it) is updated in place.
    const patched = emu.state.requests.filter((q) => q.method === 'PATCH').map((q) => q.path);
    expect(patched).toEqual([expect.stringMatching(/\/pools\/default_pool$/)]);
    expect(byPath(['aws/prod', 'etl/big'])).toEqual([]);
    expect(emu.state.deploys(left.id).map((d) => d.status)).toEqual(['DEPLOYED']);
  });
});

describe('Airflow 3 base: keys with a slash', () => {
  test('variables and pools are created; a connection id its API refuses is named, not fatal', async () => {
    await start();
    const base = id('analytics');
    const objects = emu.state.airflow(base);
    objects.connections.set('aws/prod', { ...connection('aws/prod', null), conn_type: 'aws' });
    objects.variables.set('team/owner', { key: 'team/owner', value: 'data', description: null });
    objects.pools.set('etl/big', {
      name: 'etl/big',
      slots: 6,
      description: null,
      include_deferred: false,
    });
    repo.commit(astroProject());
    repo.push('feat/three');
    emu.state.clearRequests();

    const r = ok(await createPreview(base, 'feat/three'));

    const copied = emu.state.airflow(r.outputs['preview-id']);
    expect(copied.variables.get('team/owner')?.value).toBe('data');
    expect(copied.pools.get('etl/big')?.slots).toBe(6);
    expect(copied.connections.has('aws/prod')).toBe(false);
    expect(copied.connections.size).toBe(3);
    expect(r.summary).toMatch(/Connections Airflow 3's API refuses \(id\) \| aws\/prod/);
    expect(warnings(r).filter((w) => /takes only letters.*aws\/prod/.test(w))).toHaveLength(1);
    expect(byPath(['aws/prod', 'team/owner', 'etl/big'])).toEqual([]);
    expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
  });
});

describe("a new preview's Airflow API answers 404 for a while", () => {
  test('the objects are copied once it answers', async () => {
    await start({ airflowApiDelayMs: 2_000 });
    repo.commit(astroProject());
    repo.push('feat/late');

    const r = ok(await createPreview(id('analytics'), 'feat/late'));

    const preview = emu.state.deployment(r.outputs['preview-id'])!;
    const copied = emu.state.airflow(preview.id);
    expect([...copied.connections.keys()].sort()).toEqual([
      'aws_default',
      'slack_alerts',
      'warehouse_db',
    ]);
    expect(copied.variables.size).toBe(3);
    expect(r.summary).toMatch(/Connections copied \| 3 created/);
    expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
    // It did answer 404 first, and nothing was written before it answered.
    const prefix = new URL(preview.webServerAirflowApiUrl).pathname;
    const onPreview = emu.state.requests.filter((q) => q.path.startsWith(prefix));
    const firstOk = onPreview.findIndex((q) => q.status !== 404);
    expect(firstOk).toBeGreaterThan(0);
    expect(onPreview.slice(0, firstOk).every((q) => q.method === 'GET')).toBe(true);
    expect(onPreview.slice(firstOk).filter((q) => q.status === 404)).toEqual([]);
  });

  test('past wait-time: one sentence, the preview is kept for the next run', async () => {
    await start({ airflowApiDelayMs: 600_000 });
    repo.commit(astroProject());
    repo.push('feat/never');

    const r = await createPreview(id('analytics'), 'feat/never', { 'wait-time': '3s' });

    expect(r.code).toBe(1);
    const errors = r.annotations.filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /The Airflow API of feat-never_analytics \(.*\) still answered 404 after 3 s, so its Airflow objects were not copied; run again \(the preview is reused and the objects copied\) or raise wait-time\./,
    );
    const [preview] = emu.state.deployments().filter((d) => d.name === 'feat-never_analytics');
    expect(preview).toBeDefined();
    expect(emu.state.deploys(preview.id)).toEqual([]);
  });
});

describe('a `|` in a key', () => {
  test('stays inside its cell of the summary table', async () => {
    await start();
    const base = id('analytics');
    // Airflow 3 masks the value of a variable with a sensitive name: it is named, not copied.
    emu.state.airflow(base).variables.set('team|api_key', {
      key: 'team|api_key',
      value: 'x',
      description: null,
    });
    repo.commit(astroProject());
    repo.push('feat/pipe');

    const r = ok(await createPreview(base, 'feat/pipe'));

    const row = r.summary.split('\n').find((l) => l.includes('Variables with masked values'));
    expect(row).toBeDefined();
    // Cells split at each `|` not escaped by a backslash: the label and the keys, no more.
    const cells = row!.split(/(?<!\\)\|/).slice(1, -1);
    expect(cells.map((c) => c.trim())).toEqual([
      'Variables with masked values (not copied)',
      expect.stringContaining('team\\|api_key'),
    ]);
  });
});
