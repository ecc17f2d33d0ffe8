// action: rollback through the bundled action against the emulator: two pushes deploy, then a
// rollback puts the first deploy's image and DAGs live again (previous, by commit, by id); a
// dry run changes nothing; Astro Hybrid gets the Hosted-only sentence. Also the emulator's
// rollback endpoint itself, over HTTP: strict body, 404, Hybrid refusal, the new deploy.
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import type { RollbackRecord } from '../../emulator/model.js';
import type { ConcurrentRollouts } from '../../emulator/options.js';
import type { Deploy } from '../../src/astro/types.js';
import { runAction, runPush, type RunResult, ok, errorLine } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { startGitHubApi } from '../support/github-api.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

async function start(o: Partial<EmulatorOptions> = {}) {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50, wakeDelayMs: 50, ...o });
}
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(async () => {
  await emu?.close();
  repo.cleanup();
});

/** A manual run (workflow_dispatch), as docs/workflows/rollback.yml starts it. */
function dispatch(
  inputs: Record<string, string>,
  more: Partial<Parameters<typeof runAction>[0]> = {},
): Promise<RunResult> {
  const sha = repo.head();
  return runAction({
    ...more,
    inputs: { action: 'rollback', 'wait-time': '30s', ...inputs },
    token: emu.token,
    apiUrl: emu.url,
    workspace: repo.emptyWorkspace(),
    eventName: 'workflow_dispatch',
    event: { ref: 'refs/heads/main', inputs: {} },
    sha,
    serverUrl: repo.serverUrl,
  });
}

/** Two pushes, each deployed with its image and DAGs: returns the two deploys, oldest first. */
async function twoDeploys(): Promise<[Deploy, Deploy, string, string]> {
  const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
  const inputs = { 'deployment-id': id('analytics'), 'deploy-type': 'image-and-dags' };
  const c1 = repo.commit(astroProject(), 'First');
  repo.push();
  const r1 = ok(await runPush({ emu, repo }, c1, { ...inputs, 'wait-time': '30s' }, { env }));
  const c2 = repo.commit({ 'dags/second.py': 'S = 2\n' }, 'Second');
  repo.push();
  const r2 = ok(await runPush({ emu, repo }, c2, { ...inputs, 'wait-time': '30s' }, { env }));
  const all = emu.state.deploys(id('analytics'));
  const a = all.find((d) => d.id === r1.outputs['deploy-id'])!;
  const b = all.find((d) => d.id === r2.outputs['deploy-id'])!;
  expect(emu.state.deployment(id('analytics'))).toMatchObject({
    imageTag: b.imageTag,
    dagTarballVersion: b.dagTarballVersion,
  });
  return [a, b, c1, c2];
}

/** The rollback went live: outputs, the Deployment, and the new deploy in the history. */
function expectRolledBackTo(r: RunResult, target: Deploy) {
  ok(r);
  const made = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
  expect(made).toMatchObject({ rollbackFromId: target.id, status: 'DEPLOYED' });
  expect(r.outputs).toMatchObject({
    'deploy-type': 'rollback',
    skipped: 'false',
    'deployment-id': id('analytics'),
    'image-tag': target.imageTag,
    'dag-tarball-version': target.dagTarballVersion,
  });
  expect(r.outputs['deployment-url']).toContain(id('analytics'));
  expect(emu.state.deployment(id('analytics'))).toMatchObject({
    status: 'HEALTHY',
    imageTag: target.imageTag,
    dagTarballVersion: target.dagTarballVersion,
  });
  expect(r.summary).toContain(`deploy ${target.id}`);
}

describe('action: rollback', () => {
  // (A rollout long enough for the wait to see it DEPLOYING when the tag changes at finalize.)
  test.each<['rollout-end' | 'finalize', number, number]>([
    ['rollout-end', 0, 50],
    ['finalize', 300, 1500],
  ])(
    'previous: the first push’s image and DAGs are live again (image tag at %s, lag %i ms)',
    async (imageTagAt, rolloutLagMs, rolloutDelayMs) => {
      await start({ imageTagAt, rolloutLagMs, rolloutDelayMs });
      const [a, b] = await twoDeploys();
      const r = await dispatch({ 'deployment-id': id('analytics') });
      expectRolledBackTo(r, a);
      expect(r.outputs['deploy-id']).not.toBe(a.id);
      expect(r.outputs.reason).toContain(`from deploy ${b.id}`);
      expect(r.summary).toMatch(/\| From \| deploy /);
      // Rolling back again goes back to what was live before the rollback.
      const again = await dispatch({ 'deployment-id': id('analytics') });
      expectRolledBackTo(again, b);
    },
  );

  // What Astro's rollback deploy shows is unknown: with or without the restored versions and
  // the target's commit, the rollback goes live, and the next push decides from what is live.
  test.each<[RollbackRecord, string]>([
    ['versions', 'image-and-dags'],
    ['versions-and-git', 'dags-only'],
    ['bare', 'dags-only'],
  ])('the rollback deploy shows %s: live, outputs, then a push deploys %s', async (shows, next) => {
    await start({ rollbackRecord: shows });
    const [a] = await twoDeploys();
    expectRolledBackTo(await dispatch({ 'deployment-id': id('analytics') }), a);
    const c3 = repo.commit({ 'dags/third.py': 'T = 3\n' }, 'Third');
    repo.push();
    const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
    const r = ok(
      await runPush(
        { emu, repo },
        c3,
        { 'deployment-id': id('analytics'), 'wait-time': '30s' },
        { env },
      ),
    );
    expect(r.outputs['deploy-type']).toBe(next);
    expect(emu.state.deployment(id('analytics'))!.dagTarballVersion).toBe(
      r.outputs['dag-tarball-version'],
    );
  });

  test('by commit (abbreviated SHA) and by deploy id', async () => {
    await start();
    const [a, b, c1, c2] = await twoDeploys();
    expectRolledBackTo(
      await dispatch({ 'deployment-id': id('analytics'), 'rollback-to': c1.slice(0, 7) }),
      a,
    );
    expectRolledBackTo(
      await dispatch({ 'deployment-id': id('analytics'), 'rollback-to': b.id }),
      b,
    );
    // The live deploy's commit again: nothing to do, said in one sentence.
    const same = await dispatch({ 'deployment-id': id('analytics'), 'rollback-to': c2 });
    expect(same.code).not.toBe(0);
    expect(errorLine(same)).toContain('runs already');
  });

  test('on GitHub: a deployment of the commit it puts back, in the Deployment-named environment, in_progress → success', async () => {
    await start();
    const [a, , c1] = await twoDeploys();
    const gh = await startGitHubApi({ token: 'ghs_rollback_token_0123456789' });
    try {
      const r = await dispatch(
        { 'deployment-id': id('analytics'), 'github-token': gh.token },
        { env: { GITHUB_API_URL: gh.url }, secrets: [gh.token] },
      );
      expectRolledBackTo(r, a);
      const [d, ...more] = gh.deployments;
      expect(more).toEqual([]);
      expect(d).toMatchObject({ environment: 'analytics', ref: c1, transient_environment: false });
      expect(gh.statesOf(d.id)).toEqual(['in_progress', 'success']);
      expect(d.statuses.at(-1)!.environment_url).toBe(r.outputs['deployment-url']);
      // A dry run writes nothing to GitHub.
      const before = gh.requests.length;
      ok(
        await dispatch(
          { 'deployment-id': id('analytics'), 'github-token': gh.token, 'dry-run': 'true' },
          { env: { GITHUB_API_URL: gh.url }, secrets: [gh.token] },
        ),
      );
      expect(gh.requests.slice(before).filter((q) => q.method !== 'GET')).toEqual([]);
    } finally {
      await gh.close();
    }
  });

  // Astro rolls deploys out one after another, in order (C5): a rollback made while a push's
  // deploy still rolls out goes live after it, so that deploy's tag shows first. That is not a
  // newer deploy replacing the rollback. (Under replace, the rollback replaces it at once.)
  test.each<ConcurrentRollouts>(['queue', 'replace'])(
    'concurrentRollouts %s: a rollback made while a deploy still rolls out waits until it is live',
    async (mode) => {
      await start({ imageTagAt: 'rollout-end', rolloutDelayMs: 4000, concurrentRollouts: mode });
      const c1 = repo.commit(astroProject(), 'First');
      const c2 = repo.commit({ 'dags/second.py': 'S = 2\n' }, 'Second');
      const c3 = repo.commit({ 'dags/third.py': 'T = 3\n' }, 'Third');
      repo.push();
      const seeded = (commitSha: string, v: string, ago: number) =>
        emu.state.addDeploy(id('analytics'), {
          dagTarballVersion: v,
          git: { provider: 'GENERIC', commitSha },
          createdAt: new Date(Date.now() - ago).toISOString(),
        });
      const a = seeded(c1, 'va', 60_000);
      const b = seeded(c2, 'vb', 30_000);
      emu.state.patchDeployment(id('analytics'), {
        imageTag: b.imageTag,
        imageVersion: b.imageTag,
        dagTarballVersion: 'vb',
        desiredDagTarballVersion: 'vb',
      });
      // A push stops waiting after 1 s: its rollout goes on while the rollback is made.
      const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
      const inputs = { 'deployment-id': id('analytics'), 'deploy-type': 'image-and-dags' };
      const x = await runPush({ emu, repo }, c3, { ...inputs, 'wait-time': '1s' }, { env });
      expect(x.stdout).toMatch(/still DEPLOYING after 1s/);
      const r = await dispatch({ 'deployment-id': id('analytics'), 'rollback-to': a.id });
      const [xRollout, rRollout] = emu.state.rollouts;
      expect(rRollout.finalizedAt).toBeLessThan(xRollout.finishedAt);
      expect(r.stdout).not.toContain('replaced');
      expectRolledBackTo(r, a);
    },
  );

  test('dry run names the target and changes nothing', async () => {
    await start();
    const [a, b] = await twoDeploys();
    const before = emu.state.deploys(id('analytics')).length;
    emu.state.clearRequests();
    const r = ok(await dispatch({ 'deployment-id': id('analytics'), 'dry-run': 'true' }));
    expect(r.outputs).toMatchObject({
      'deploy-type': 'rollback',
      skipped: 'true',
      'deploy-id': '',
    });
    expect(r.outputs.reason).toMatch(
      new RegExp(`^dry run: would roll back analytics from deploy ${b.id} .* to deploy ${a.id} `),
    );
    expect(r.summary).toContain('dry run: nothing changed');
    expect(emu.state.deploys(id('analytics'))).toHaveLength(before);
    expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    expect(emu.state.deployment(id('analytics'))!.imageTag).toBe(b.imageTag);
  });

  test('no such commit or deploy: one sentence, nothing changed', async () => {
    await start();
    await twoDeploys();
    const before = emu.state.deploys(id('analytics')).length;
    const sha = await dispatch({ 'deployment-id': id('analytics'), 'rollback-to': 'abcdef1' });
    expect(errorLine(sha)).toContain('No successful deploy of commit abcdef1');
    const dep = await dispatch({
      'deployment-id': id('analytics'),
      'rollback-to': 'clnosuchdeploy0000000000',
    });
    expect(errorLine(dep)).toContain(
      "Deploy clnosuchdeploy0000000000 is not in analytics's deploy history",
    );
    expect(emu.state.deploys(id('analytics'))).toHaveLength(before);
  });

  test('Astro Hybrid: one sentence that rollbacks are Hosted-only, nothing called', async () => {
    await start({ organizationProduct: 'HYBRID' });
    repo.commit(astroProject());
    const dep = id('analytics');
    emu.state.addDeploy(dep, {
      imageTag: 'tag-a',
      createdAt: new Date(Date.now() - 7200_000).toISOString(),
    });
    emu.state.addDeploy(dep, { imageTag: 'tag-b' });
    emu.state.clearRequests();
    const r = await dispatch({ 'deployment-id': dep });
    expect(r.code).not.toBe(0);
    expect(errorLine(r)).toContain('Rollbacks are available only on Astro Hosted');
    expect(r.outputs['deploy-type']).toBe('rollback');
    expect(emu.state.requests.filter((q) => q.path.endsWith('/rollback'))).toEqual([]);
  });

  test('a hibernating Deployment: refused without wake-on-deploy; with it woken, rolled back and put back to sleep', async () => {
    await start();
    repo.commit(astroProject());
    const sb = id('sandbox');
    const ago = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    const a = emu.state.addDeploy(sb, {
      imageTag: 'tag-a',
      dagTarballVersion: 'va',
      createdAt: ago(2),
    });
    emu.state.addDeploy(sb, { imageTag: 'tag-b', dagTarballVersion: 'vb', createdAt: ago(1) });
    emu.state.patchDeployment(sb, {
      imageTag: 'tag-b',
      dagTarballVersion: 'vb',
      desiredDagTarballVersion: 'vb',
    });
    expect(emu.state.deployment(sb)!.status).toBe('HIBERNATING');
    const refused = await dispatch({ 'deployment-id': sb });
    expect(errorLine(refused)).toContain('is hibernating');
    expect(emu.state.requests.filter((q) => q.path.endsWith('/rollback'))).toEqual([]);

    const r = ok(await dispatch({ 'deployment-id': sb, 'wake-on-deploy': 'true' }));
    expect(r.outputs).toMatchObject({ 'image-tag': 'tag-a', 'dag-tarball-version': 'va' });
    expect(emu.state.deploys(sb)[0]).toMatchObject({ rollbackFromId: a.id });
    expect(emu.state.deployment(sb)).toMatchObject({ status: 'HIBERNATING', imageTag: 'tag-a' });
  });

  test('rollback-to is checked up front', async () => {
    await start();
    repo.commit(astroProject());
    const r = await dispatch({ 'deployment-id': id('analytics'), 'rollback-to': 'HEAD~1' });
    expect(errorLine(r)).toContain("Input 'rollback-to' is 'HEAD~1'");
    const other = await dispatch({
      action: 'deploy',
      'deployment-id': id('analytics'),
      'rollback-to': 'abcdef1',
    });
    expect(errorLine(other)).toContain("Input 'rollback-to' is only for 'action: rollback'");
  });
});

describe('emulator: POST …/deploys/{deployId}/rollback', () => {
  async function post(dep: string, deployId: string, body?: unknown) {
    const res = await fetch(
      `${emu.url}/organizations/${emu.organizationId}/deployments/${dep}/deploys/${deployId}/rollback`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
    );
    return { status: res.status, body: await res.json() };
  }

  test('strict: unknown deploy 404, long description and unknown fields 400, not DEPLOYED 400, too old 400', async () => {
    await start({ deployStatusAt: 'finalize' }); // the rollback's deploy DEPLOYED at once
    const dep = id('analytics');
    const day = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * day).toISOString();
    const old = emu.state.addDeploy(dep, { createdAt: ago(100) });
    const recent = emu.state.addDeploy(dep, { createdAt: ago(89) });
    const failed = emu.state.addDeploy(dep, { status: 'FAILED' });
    expect((await post(dep, 'clnosuch', {})).status).toBe(404);
    expect((await post(dep, recent.id, { description: 'x'.repeat(501) })).status).toBe(400);
    expect((await post(dep, recent.id, { note: 'x' })).status).toBe(400);
    expect((await post(dep, failed.id, {})).body.message).toContain('only a DEPLOYED deploy');
    expect((await post(dep, old.id, {})).body.message).toContain('older than 90 days');
    // Within 90 days; the body may be left out.
    const r = await post(dep, recent.id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      rollbackFromId: recent.id,
      status: 'DEPLOYED',
      imageTag: recent.imageTag,
    });
    expect(r.body.git).toBeUndefined();
    // Older than 90 days, but the Deployment's last deploy: still kept.
    const lone = emu.state.addDeployment({ name: 'lone' });
    const last = emu.state.addDeploy(lone.id, { createdAt: ago(100) });
    expect((await post(lone.id, last.id)).status).toBe(200);
  });

  test('restores the Runtime and the DAG-deploy setting; refused outside Hosted', async () => {
    await start();
    const dep = id('analytics');
    const was = emu.state.deployment(dep)!;
    const t = emu.state.addDeploy(dep, {
      createdAt: new Date(Date.now() - 3600_000).toISOString(),
      astroRuntimeVersion: '3.0-1',
      isDagDeployEnabled: false,
      imageTag: 'old-tag',
    });
    const r = await post(dep, t.id, { description: 'back' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      description: 'back',
      type: 'IMAGE_AND_DAG',
      imageTag: 'old-tag',
    });
    expect(emu.state.deployment(dep)).toMatchObject({
      astroRuntimeVersion: '3.0-1',
      isDagDeployEnabled: false,
    });
    expect(was.isDagDeployEnabled).toBe(true);
    await emu.close();

    await start({ organizationProduct: 'HYBRID' });
    const h = emu.state.addDeploy(id('analytics'));
    const refused = await post(id('analytics'), h.id, {});
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('only available on Astro Hosted');
  });
});
