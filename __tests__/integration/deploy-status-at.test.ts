// Astro may keep a finalized deploy INITIALIZED until its rollout ends (ASTRO-API.md C5; the
// emulator's `deployStatusAt: rollout-end`). The stale guard before the finalize must still see
// a newer commit's finalized deploy: run A (older commit) decides, then its deploy create is held
// until run B (newer commit) has finalized; A reaches its finalize while B's deploy still rolls
// out and shows INITIALIZED. A must not finalize (its reason says why) and B ends live.
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runPush, ok } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { TestRepo, astroProject } from '../support/repo.js';
import { until } from '../support/until.js';

let emu: Emulator | undefined;
let repo: TestRepo;
const analytics = () => emu!.deployments.find((d) => d.name === 'analytics')!.id;

beforeEach(() => {
  repo = new TestRepo();
});
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  repo.cleanup();
});

type DeployType = 'dags-only' | 'image-and-dags' | 'image-only';
const CASES: [DeployType, 'rollout-end' | 'finalize'][] = [
  ['dags-only', 'rollout-end'],
  ['dags-only', 'finalize'],
  ['image-and-dags', 'rollout-end'],
  ['image-and-dags', 'finalize'],
  ['image-only', 'rollout-end'],
  ['image-only', 'finalize'],
];

// Only the newer deploy is ever finalized, so how overlapping rollouts are processed
// (concurrentRollouts) cannot matter here: the default is used.
test.each(CASES)(
  '%s, tag at %s: an older run reaching its finalize while a newer, finalized deploy rolls out (still INITIALIZED) does not finalize',
  async (deployType, imageTagAt) => {
    emu = await startEmulator({
      createDelayMs: 20,
      rolloutDelayMs: 6000,
      imageTagAt,
      deployStatusAt: 'rollout-end',
    });
    const c1 = repo.commit(astroProject(), 'Initial project');
    const cA = repo.commit({ 'requirements.txt': 'pandas\n', 'dags/a.py': 'A = 1\n' }, 'A');
    const cB = repo.commit({ 'requirements.txt': 'numpy\n', 'dags/b.py': 'B = 1\n' }, 'B');
    repo.push();
    // c1 is live (an earlier run's deploy).
    const live = emu.state.addDeploy(analytics(), {
      type: 'IMAGE_AND_DAG',
      dagTarballVersion: 'v1',
      git: { provider: 'GENERIC', commitSha: c1 },
      createdAt: new Date(Date.now() - 60_000).toISOString(),
    });
    emu.state.patchDeployment(analytics(), {
      imageTag: live.imageTag,
      imageVersion: live.imageTag,
      dagTarballVersion: 'v1',
      desiredDagTarballVersion: 'v1',
    });

    // A's deploy create (after its decision) is held until B's deploy was finalized.
    const bFinalized = () =>
      emu!.state.deploys(analytics()).some((d) => d.git?.commitSha === cB && d.finalizeCount);
    let aHeld!: () => void;
    const aIsHeld = new Promise<void>((resolve) => (aHeld = resolve));
    emu.setFaults({
      rate: 1,
      kinds: ['slow'],
      limit: 1,
      match: (req) => {
        const create = req.method === 'POST' && req.path.endsWith('/deploys');
        if (create) aHeld();
        return create;
      },
      hold: () => until(bFinalized),
    });
    const inputs = {
      'deployment-id': analytics(),
      'deploy-type': deployType,
      'wait-time': '60s',
    };
    const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
    const a = runPush({ emu, repo }, cA, inputs, { env });
    await aIsHeld;
    const b = ok(await runPush({ emu, repo }, cB, inputs, { env }));
    const ra = ok(await a);

    const deploys = emu.state.deploys(analytics());
    const aDeploy = deploys.find((d) => d.git?.commitSha === cA)!;
    const bDeploy = deploys.find((d) => d.git?.commitSha === cB)!;
    // The race as meant: A's deploy was made while B's rollout was under way.
    const bRollout = emu.state.rollouts.find((r) => r.deployId === bDeploy.id)!;
    expect(Date.parse(aDeploy.createdAt)).toBeLessThan(bRollout.finishedAt);

    // A: not finalized, and says why.
    expect(ra.outputs).toMatchObject({ skipped: 'true', 'deploy-type': 'none' });
    expect(ra.outputs['deploy-id']).toBe(aDeploy.id);
    expect(aDeploy).toMatchObject({ status: 'INITIALIZED', finalizeCount: 0 });
    const sha = cB.slice(0, 12);
    const maybe = deployType === 'image-only' && imageTagAt === 'rollout-end';
    expect(ra.outputs['reason']).toBe(
      maybe
        ? `a later run's deploy of a newer commit ${sha} may be on its way (the Deployment is DEPLOYING and that deploy was made after the live one), so this older commit's deploy was not finalized (left unfinalized, it changes nothing)`
        : `a later run deployed a newer commit ${sha} while this run was deploying, so this older commit's deploy was not finalized (left unfinalized, it changes nothing)`,
    );

    // B: live, its versions running; only its rollout happened.
    expect(b.stdout).toMatch(/Live on analytics after/);
    expect(emu.state.rollouts.map((r) => r.deployId)).toEqual([bDeploy.id]);
    expect(bDeploy).toMatchObject({ status: 'DEPLOYED', finalizeCount: 1 });
    const dep = emu.state.deployment(analytics())!;
    expect(dep.status).toBe('HEALTHY');
    if (deployType !== 'dags-only') expect(dep.imageTag).toBe(b.outputs['image-tag']);
    if (deployType !== 'image-only')
      expect(dep.dagTarballVersion).toBe(b.outputs['dag-tarball-version']);
  },
  120_000,
);
