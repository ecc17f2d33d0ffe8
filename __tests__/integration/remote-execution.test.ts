// Remote Execution Deployments (C12) through the bundled action and the emulator: DAGs come
// from the agents' own DAG bundles, so a DAG-only change deploys nothing, dags-only is an
// error before anything is created, and an image deploy builds without the DAG folder, runs
// no DAG checks and finalizes with {}. Also the emulator's own strictness about them.
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Deployment } from '../../src/astro/types.js';
import { runAction, runPush, type RunResult, ok, errorLine } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let remote: Deployment;
let calls: string;

const AGENTS = "its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro";

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50 });
  repo = new TestRepo();
  calls = path.join(repo.root, 'docker-calls.log');
  remote = emu.state.addDeployment({
    name: 'remote',
    type: 'DEDICATED',
    executor: 'ASTRO',
    astroRuntimeVersion: '3.0-7',
    isDagDeployEnabled: false,
    remoteExecution: { enabled: true, allowedIpAddressRanges: ['10.0.0.0/8'] },
  });
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

/** The project deployed once (image), so later runs diff from it. */
function deployedProject(): string {
  const c1 = repo.commit(astroProject(), 'Initial project');
  const d = emu.state.addDeploy(remote.id, {
    type: 'IMAGE_AND_DAG',
    git: { provider: 'GENERIC', commitSha: c1 },
  });
  emu.state.patchDeployment(remote.id, { imageTag: d.imageTag, imageVersion: d.imageTag });
  return c1;
}

async function run(inputs: Record<string, string>): Promise<RunResult> {
  return runPush(
    { emu, repo },
    repo.head(),
    { 'deployment-id': remote.id, 'wait-time': '30s', ...inputs },
    { env: { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_CALLS: calls } },
  );
}

const dockerCalls = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').split('\n') : []);
const created = () =>
  emu.state.requests.filter((q) => q.method === 'POST' && /\/deploys$/.test(q.path));

describe('the action on a Remote Execution Deployment', () => {
  test('a DAG-only change deploys nothing: skipped, the reason says why, the summary names the agents', async () => {
    deployedProject();
    repo.commit({ 'dags/sales.py': 'S = 1\n' }, 'Add the sales DAG');
    repo.push();
    const r = ok(await run({}));
    expect(r.outputs).toMatchObject({ 'deploy-type': 'none', skipped: 'true' });
    expect(r.outputs.reason).toContain('only DAG paths changed (1)');
    expect(r.outputs.reason).toContain(AGENTS);
    expect(created()).toEqual([]);
    expect(emu.state.deploys(remote.id)).toHaveLength(1);
    const note = "the agents' images and DAG bundles are updated outside Astro";
    expect(r.summary).toContain(note);
    expect(r.stdout).toContain(note);
  });

  test('deploy-type dags-only is one clear error, and nothing is created', async () => {
    deployedProject();
    repo.commit({ 'dags/sales.py': 'S = 1\n' });
    repo.push();
    const r = await run({ 'deploy-type': 'dags-only' });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toContain(
      `'deploy-type: dags-only' cannot deploy to a Remote Execution Deployment: ${AGENTS}`,
    );
    expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  test('deploy-type non-dags (a bundle) is one clear error, and nothing is created', async () => {
    deployedProject();
    repo.push();
    const r = await run({
      'deploy-type': 'non-dags',
      'mount-path': '/usr/local/airflow/extra',
      'bundle-type': 'extra',
    });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toContain(
      `Bundle deploys cannot go to remote (${remote.id}), a Remote Execution Deployment, which has DAG deploys off: ${AGENTS}`,
    );
    expect(created()).toEqual([]);
  });

  test('an image change: an image deploy built without the DAG folder, no DAG checks, finalized with {}', async () => {
    deployedProject();
    repo.commit({ 'requirements.txt': 'pandas\n', 'dags/sales.py': 'S = 1\n' });
    repo.push();
    const r = ok(await run({ parse: 'true' }));
    expect(r.outputs).toMatchObject({ 'deploy-type': 'image-and-dags', skipped: 'false' });
    expect(r.outputs['dag-tarball-version'] ?? '').toBe('');
    const deploy = emu.state.deploys(remote.id).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy).toMatchObject({ type: 'IMAGE_AND_DAG', status: 'DEPLOYED', finalizeCount: 1 });
    expect(deploy.dagTarballVersion).toBeUndefined();
    expect(deploy.dagsUploadUrl).toBeUndefined();
    // Live on its image (no DAG tarball waited for).
    expect(emu.state.deployment(remote.id)!.imageTag).toBe(deploy.imageTag);
    // The build's ignore file leaves the DAG folder out; no check ran in a container.
    const docker = dockerCalls();
    expect(docker).toContain('build');
    expect(docker).toContain('ignore dags');
    expect(docker).not.toContain('run');
    expect(r.stdout).toContain(
      'DAG checks (parse, pytest) skipped: remote is a Remote Execution Deployment',
    );
    expect(r.stdout).toMatch(/without dags\/: the Remote Execution agents' DAG bundles have them/);
    expect(emu.state.blobs.size).toBe(0);
  });

  // Whether Astro takes IMAGE_ONLY on Remote Execution is undocumented (the CLI sends it with
  // --image): the action sends IMAGE_AND_DAG, which is right whether Astro takes it or not.
  test.each([false, true])(
    'deploy-type image-only is allowed (the exception to "needs DAG deploys"); IMAGE_ONLY refused by Astro: %s',
    async (refuseRemoteImageOnly) => {
      await emu.close();
      emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50, refuseRemoteImageOnly });
      remote = emu.state.addDeployment({
        name: 'remote',
        type: 'DEDICATED',
        isDagDeployEnabled: false,
        remoteExecution: { enabled: true },
      });
      deployedProject();
      repo.commit({ 'requirements.txt': 'pandas\n' });
      repo.push();
      const r = ok(await run({ 'deploy-type': 'image-only' }));
      expect(r.outputs['deploy-type']).toBe('image-only');
      const deploy = emu.state.deploys(remote.id).find((d) => d.id === r.outputs['deploy-id'])!;
      expect(deploy).toMatchObject({ type: 'IMAGE_AND_DAG', status: 'DEPLOYED', finalizeCount: 1 });
      expect(deploy.dagTarballVersion).toBeUndefined();
    },
  );
});

describe('a preview of a Remote Execution base', () => {
  test('is Remote Execution too, and its first deploy is the image (without the DAG folder)', async () => {
    repo.commit(astroProject());
    const head = repo.commit({ 'dags/late.py': 'L = 1\n' });
    repo.push('feat/re');
    const r = ok(
      await runAction({
        inputs: {
          action: 'preview',
          'deployment-id': remote.id,
          'wait-time': '30s',
          'copy-connections': 'false',
          'copy-airflow-variables': 'false',
          'copy-pools': 'false',
        },
        token: emu.token,
        apiUrl: emu.url,
        workspace: repo.checkout(head),
        eventName: 'pull_request',
        event: {
          action: 'opened',
          number: 7,
          pull_request: {
            number: 7,
            head: { ref: 'feat/re', sha: head },
            base: { ref: 'main', sha: head },
            merged: false,
          },
        },
        sha: head,
        ref: 'refs/pull/7/merge',
        serverUrl: repo.serverUrl,
        env: { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_CALLS: calls },
      }),
    );
    const preview = emu.state.deployment(r.outputs['preview-id'])!;
    expect(preview.id).not.toBe(remote.id);
    expect(preview).toMatchObject({
      type: 'DEDICATED',
      executor: 'ASTRO',
      isDagDeployEnabled: false,
      remoteExecution: { enabled: true, allowedIpAddressRanges: ['10.0.0.0/8'] },
    });
    expect(r.outputs['deploy-type']).toBe('image-and-dags');
    expect(
      emu.state.deploys(preview.id).map((d) => [d.type, d.status, d.dagTarballVersion]),
    ).toEqual([['IMAGE_AND_DAG', 'DEPLOYED', undefined]]);
    expect(dockerCalls()).toContain('ignore dags');
    expect(r.summary).toContain("the agents' images and DAG bundles are updated outside Astro");
  });
});

describe('the emulator is strict about Remote Execution', () => {
  async function call(method: string, p: string, body?: unknown) {
    const res = await fetch(`${emu.url}/organizations/${emu.organizationId}${p}`, {
      method,
      headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  test('it shows remoteExecution, with DAG deploys off', async () => {
    const r = await call('GET', `/deployments/${remote.id}`);
    expect(r.body).toMatchObject({
      isDagDeployEnabled: false,
      remoteExecution: {
        enabled: true,
        remoteApiUrl: expect.stringMatching(/^http/),
        allowedIpAddressRanges: ['10.0.0.0/8'],
      },
    });
  });

  test('DAG_ONLY and BUNDLE deploys are refused; IMAGE_ONLY and IMAGE_AND_DAG are taken', async () => {
    for (const type of ['DAG_ONLY']) {
      const r = await call('POST', `/deployments/${remote.id}/deploys`, { type });
      expect(r.status).toBe(400);
      expect(r.body.message).toMatch(/Remote Execution/);
    }
    const bundle = await call('POST', `/deployments/${remote.id}/deploys`, {
      type: 'BUNDLE',
      bundleType: 'dbt',
      bundleMountPath: '/usr/local/airflow/dbt/x',
    });
    expect(bundle.status).toBe(400);
    for (const type of ['IMAGE_ONLY', 'IMAGE_AND_DAG']) {
      const r = await call('POST', `/deployments/${remote.id}/deploys`, { type });
      expect(r.status).toBe(200);
      expect(r.body.dagsUploadUrl).toBeUndefined();
    }
  });

  test('refuseRemoteImageOnly: IMAGE_ONLY is refused there too (undocumented either way)', async () => {
    await emu.close();
    emu = await startEmulator({ refuseRemoteImageOnly: true });
    remote = emu.state.addDeployment({
      name: 'remote',
      type: 'DEDICATED',
      isDagDeployEnabled: false,
      remoteExecution: { enabled: true },
    });
    const refused = await call('POST', `/deployments/${remote.id}/deploys`, { type: 'IMAGE_ONLY' });
    expect(refused.status).toBe(400);
    const taken = await call('POST', `/deployments/${remote.id}/deploys`, {
      type: 'IMAGE_AND_DAG',
    });
    expect(taken.status).toBe(200);
  });

  test('a finalize with a dagTarballVersion is refused; {} is taken', async () => {
    const made = await call('POST', `/deployments/${remote.id}/deploys`, { type: 'IMAGE_AND_DAG' });
    const fin = `/deployments/${remote.id}/deploys/${made.body.id}/finalize`;
    const bad = await call('POST', fin, { dagTarballVersion: 'v1' });
    expect(bad.status).toBe(400);
    expect(bad.body.fieldErrors).toEqual([
      expect.objectContaining({ field: 'dagTarballVersion', code: 'excluded_if' }),
    ]);
    expect((await call('POST', fin, {})).status).toBe(200);
  });

  test('a create needs DEDICATED, the ASTRO executor, Airflow 3 and no DAG deploys', async () => {
    const body = {
      name: 'remote-two',
      workspaceId: emu.workspaceId,
      type: 'STANDARD',
      executor: 'CELERY',
      isDagDeployEnabled: true,
      remoteExecution: { enabled: true },
    };
    const r = await call('POST', '/deployments', body);
    expect(r.status).toBe(400);
    expect(r.body.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual([
      'executor',
      'isDagDeployEnabled',
      'type',
    ]);
    const fine = await call('POST', '/deployments', {
      ...body,
      type: 'DEDICATED',
      executor: 'ASTRO',
      isDagDeployEnabled: false,
    });
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({
      isDagDeployEnabled: false,
      remoteExecution: { enabled: true },
    });
    const unknownField = await call('POST', '/deployments', {
      ...body,
      name: 'remote-three',
      remoteExecution: { enabled: true, remoteApiUrl: 'x' },
    });
    expect(unknownField.status).toBe(400);
  });
});
