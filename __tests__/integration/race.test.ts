// Two runs of the bundled action racing on one Deployment (issue 14.1): run A (the older
// commit) decides and starts its upload, which the emulator holds; run B (the newer commit)
// deploys meanwhile; then A's upload goes through. A must not finalize — the older commit
// never wins — and says why; B's DAGs stay live, and later runs take B as what is live.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Deploy } from '../../src/astro/types.js';
import { runPush, ok, type RunOptions, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let analytics: string;

/** A fresh emulator whose rollouts take `rolloutDelayMs`, and its analytics Deployment. */
async function useEmulator(rolloutDelayMs: number) {
  // DEPLOYED at the finalize; a deploy INITIALIZED until its rollout ends: deploy-status-at.test.ts.
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs, deployStatusAt: 'finalize' });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
}

beforeEach(async () => {
  await useEmulator(200);
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

/** A push of `sha` deploying to analytics; `extra` overrides run options (the event…). */
function run(sha: string, extra: Partial<RunOptions> = {}, waitTime = '60s'): Promise<RunResult> {
  return runPush(
    { emu, repo },
    sha,
    { 'deployment-id': analytics, 'deploy-type': 'infer', 'wait-time': waitTime },
    extra,
  );
}

/** The history the races start from: the project (c1), then A's DAG (cA), then B's (cB), pushed. */
function threeCommits() {
  const c1 = repo.commit(astroProject(), 'Initial project');
  const cA = repo.commit({ 'dags/a.py': 'A = 1\n' }, 'Add A');
  const cB = repo.commit({ 'dags/b.py': 'B = 1\n' }, 'Add B');
  repo.push();
  return { c1, cA, cB };
}

/** Records a deploy of `commitSha` on analytics that an earlier run made and finalized. */
function deployed(
  type: 'IMAGE_AND_DAG' | 'DAG_ONLY',
  commitSha: string,
  extra: Partial<Deploy> = {},
) {
  emu.state.addDeploy(analytics, {
    type,
    status: 'DEPLOYED',
    git: { provider: 'GENERIC', commitSha },
    ...extra,
  });
}

test('an older run whose upload ends last does not finalize: it skips with a reason, and the newer commit stays live', async () => {
  const { c1, cA, cB } = threeCommits();
  deployed('IMAGE_AND_DAG', c1);

  // Hold the first upload (run A's) until run B is done.
  let aUploading!: () => void;
  const aIsUploading = new Promise<void>((resolve) => (aUploading = resolve));
  let releaseA!: () => void;
  const bDone = new Promise<void>((resolve) => (releaseA = resolve));
  let held = false;
  emu.setFaults({
    rate: 1,
    kinds: ['slow'],
    hold: () => bDone,
    match: (req) => {
      if (held || req.method !== 'PUT' || !req.path.startsWith('/blobs/')) return false;
      held = true;
      aUploading();
      return true;
    },
  });

  const a = run(cA);
  await aIsUploading;
  const b = ok(await run(cB));
  expect(b.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
  releaseA();
  const ra = ok(await a);

  expect(ra.outputs['skipped']).toBe('true');
  expect(ra.outputs['deploy-type']).toBe('none');
  expect(ra.outputs['reason']).toBe(
    `a later run deployed a newer commit ${cB.slice(0, 12)} while this run was deploying, so this older commit's deploy was not finalized (left unfinalized, it changes nothing)`,
  );
  const deploys = emu.state.deploys(analytics);
  const aDeploy = deploys.find((d) => d.git?.commitSha === cA)!;
  const bDeploy = deploys.find((d) => d.git?.commitSha === cB)!;
  expect(ra.outputs['deploy-id']).toBe(aDeploy.id);
  expect(aDeploy).toMatchObject({ status: 'INITIALIZED', finalizeCount: 0 });
  expect(bDeploy).toMatchObject({ status: 'DEPLOYED', finalizeCount: 1 });
  expect(emu.state.deployment(analytics)!.dagTarballVersion).toBe(b.outputs['dag-tarball-version']);

  // What is live is B's: running B's commit again finds nothing to deploy.
  emu.setFaults(undefined);
  const again = ok(await run(cB));
  expect(again.outputs).toMatchObject({ 'deploy-type': 'none', skipped: 'true' });
});

test('what is live is what the Deployment runs: an older deploy finalized last is the baseline, not the newest created', async () => {
  const { c1, cA, cB } = threeCommits();
  deployed('IMAGE_AND_DAG', c1, { createdAt: new Date(Date.now() - 60_000).toISOString() });
  // B was created after A, but A (finalized last, e.g. by an older tool) is what runs.
  deployed('DAG_ONLY', cA, {
    dagTarballVersion: 'vA',
    createdAt: new Date(Date.now() - 30_000).toISOString(),
  });
  deployed('DAG_ONLY', cB, {
    dagTarballVersion: 'vB',
    createdAt: new Date(Date.now() - 20_000).toISOString(),
  });
  emu.state.patchDeployment(analytics, { dagTarballVersion: 'vA', desiredDagTarballVersion: 'vA' });

  // Running B again: B is not live (A is), so B's DAG change since A is deployed.
  const r = ok(await run(cB));
  expect(r.outputs['deploy-type']).toBe('dags-only');
  expect(r.outputs['reason']).toMatch(/1 DAG path changed/);
});

test('the guard before the finalize keeps the rollback exception: a branch force-pushed back to an older commit deploys it', async () => {
  const c1 = repo.commit(astroProject(), 'Initial project');
  const c2 = repo.commit({ 'dags/bad.py': 'b = 1\n' }, 'A bad DAG');
  repo.push();
  deployed('IMAGE_AND_DAG', c2, { dagTarballVersion: 'v2' });
  emu.state.patchDeployment(analytics, { dagTarballVersion: 'v2', desiredDagTarballVersion: 'v2' });
  repo.resetHard(c1);
  repo.push('main', true);

  const r = ok(
    await run(c1, { event: { ref: 'refs/heads/main', before: c2, after: c1, forced: true } }),
  );
  expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
  const ours = emu.state.deploys(analytics).find((d) => d.git?.commitSha === c1)!;
  expect(ours).toMatchObject({ status: 'DEPLOYED', finalizeCount: 1 });
  expect(emu.state.deployment(analytics)!.dagTarballVersion).toBe(r.outputs['dag-tarball-version']);
});

test('a newer commit finalized but still rolling out counts: an older run started meanwhile deploys nothing', async () => {
  await emu.close();
  await useEmulator(60_000);
  const { c1, cA, cB } = threeCommits();
  deployed('IMAGE_AND_DAG', c1, {
    dagTarballVersion: 'v1',
    createdAt: new Date(Date.now() - 60_000).toISOString(),
  });
  emu.state.patchDeployment(analytics, { dagTarballVersion: 'v1', desiredDagTarballVersion: 'v1' });

  // B finalizes and stops waiting after 1 s: its rollout is still under way when A decides.
  const runNoWait = (sha: string) => run(sha, {}, '1s');
  const b = await runNoWait(cB);
  expect(b.code).toBe(1);
  expect(b.stdout).toMatch(/still DEPLOYING after 1s/);
  const bDeploy = emu.state.deploys(analytics).find((d) => d.git?.commitSha === cB)!;
  expect(bDeploy).toMatchObject({ status: 'DEPLOYED', finalizeCount: 1 });
  expect(emu.state.deployment(analytics)!.status).toBe('DEPLOYING');

  const a = ok(await runNoWait(cA));
  expect(a.outputs).toMatchObject({ 'deploy-type': 'none', skipped: 'true' });
  expect(a.outputs['reason']).toContain(`a newer commit ${cB.slice(0, 12)} is already live`);
  expect(emu.state.deploys(analytics).filter((d) => d.git?.commitSha === cA)).toEqual([]);
});
