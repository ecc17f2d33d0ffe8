// "Live" under every server behaviour Astro's docs allow (issue 13.2): the bundled action
// deploys to the emulator with Deployment.imageTag changing at finalize or at the rollout's
// end, and with the Deployment turning DEPLOYING at once or some seconds after the finalize.
// Under each, the action must return only once the rollout has ended.
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { runPush, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator | undefined;
let repo: TestRepo;

beforeEach(() => {
  repo = new TestRepo();
});
afterEach(async () => {
  await emu?.close();
  emu = undefined;
  repo.cleanup();
});

async function deploy(deployType: string): Promise<RunResult> {
  const sha = repo.commit(astroProject(), 'Initial project');
  repo.push();
  const r = await runPush(
    { emu: emu!, repo },
    sha,
    {
      'deployment-id': emu!.deployments.find((d) => d.name === 'analytics')!.id,
      'deploy-type': deployType,
      'wait-time': '60s',
    },
    { env: { PATH: fakeDockerPath(path.join(repo.root, 'bin')) } },
  );
  if (r.code !== 0) throw new Error(`action failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

describe.each([
  ['imageTag changes at finalize, DEPLOYING at once', 'finalize', 0],
  ['imageTag changes at finalize, DEPLOYING 3s later', 'finalize', 3000],
  ['imageTag changes at the rollout end, DEPLOYING at once', 'rollout-end', 0],
  ['imageTag changes at the rollout end, DEPLOYING 3s later', 'rollout-end', 3000],
] as const)('%s', (_name, imageTagAt, rolloutLagMs) => {
  beforeEach(async () => {
    emu = await startEmulator({
      createDelayMs: 20,
      rolloutDelayMs: 1500,
      imageTagAt,
      rolloutLagMs,
    });
  });

  test.each(['image-only', 'image-and-dags', 'dags-only'])(
    '%s: the action returns only after the rollout ended',
    async (deployType) => {
      const r = await deploy(deployType);
      const returnedAt = Date.now();
      const deployId = r.outputs['deploy-id'];
      const rollout = emu!.state.rollouts.find((x) => x.deployId === deployId)!;
      expect(rollout).toBeDefined();
      expect(rollout.finishedAt).toBeLessThanOrEqual(returnedAt);
      const live = emu!.state.deployment('analytics')!;
      expect(live.status).toBe('HEALTHY');
      if (deployType !== 'image-only')
        expect(live.dagTarballVersion).toBe(r.outputs['dag-tarball-version']);
      if (deployType !== 'dags-only') {
        expect(live.imageTag).toBe(r.outputs['image-tag']);
        // the rollout was seen, not assumed after the grace period
        expect(r.stdout).toContain(
          `The rollout of image ${r.outputs['image-tag']} has started (the Deployment is DEPLOYING).`,
        );
      }
    },
  );
});
