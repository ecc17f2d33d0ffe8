// Two runs of the bundled action whose deploys roll out at once (ASTRO-API.md C5: Astro
// processes several deploys "one after another, in order"; the emulator's concurrentRollouts
// `queue`, and `replace` where the newer replaces the older at once). Run A (older commit) is
// finalized; run B (newer) is finalized while A's rollout is under way. A must not call its
// deploy live (it stops with "a newer deploy replaced ours"); B must call its own live only
// once its versions run and the Deployment is HEALTHY, though A's versions may show first.
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { ConcurrentRollouts } from '../../emulator/options.js';
import { runPush, ok, type RunResult } from '../support/action.js';
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

interface Case {
  deployType: 'dags-only' | 'image-and-dags' | 'image-only';
  imageTagAt?: 'rollout-end' | 'finalize';
  dagBundle?: string;
}

const CASES: [string, Case][] = [
  ['two DAG-only deploys', { deployType: 'dags-only' }],
  [
    'two image deploys, tag at rollout end',
    { deployType: 'image-and-dags', imageTagAt: 'rollout-end' },
  ],
  ['two image deploys, tag at finalize', { deployType: 'image-and-dags', imageTagAt: 'finalize' }],
  [
    'two image-only deploys, tag at rollout end',
    { deployType: 'image-only', imageTagAt: 'rollout-end' },
  ],
  ['two image-only deploys, tag at finalize', { deployType: 'image-only', imageTagAt: 'finalize' }],
  ['two deploys to a named DAG bundle', { deployType: 'dags-only', dagBundle: 'reporting' }],
];

/**
 * Runs A (cA) and B (cB) so that B's finalize comes right after A's: A's finalize is held
 * until B is about to finalize; B's then waits until A's has been processed.
 */
async function overlap(c: Case, cA: string, cB: string): Promise<{ a: RunResult; b: RunResult }> {
  let aDeployId: string | undefined;
  let aHeld!: () => void;
  const aIsHeld = new Promise<void>((resolve) => (aHeld = resolve));
  let bFinalizing!: () => void;
  const bIsFinalizing = new Promise<void>((resolve) => (bFinalizing = resolve));
  const holds: (() => Promise<unknown>)[] = [];
  emu!.setFaults({
    rate: 1,
    kinds: ['slow'],
    limit: 2,
    match: (req) => {
      if (req.method !== 'POST' || !req.path.endsWith('/finalize')) return false;
      if (!aDeployId) {
        aDeployId = req.path.split('/').at(-2);
        holds.push(() => bIsFinalizing);
        aHeld();
      } else {
        bFinalizing();
        const aDone = () =>
          emu!.state.deploys(analytics()).find((d) => d.id === aDeployId)?.finalizeCount === 1;
        holds.push(() => until(aDone));
      }
      return true;
    },
    hold: () => holds.shift()!(),
  });
  const inputs = {
    'deployment-id': analytics(),
    'deploy-type': c.deployType,
    'wait-time': '60s',
    ...(c.dagBundle ? { 'dag-bundle-name': c.dagBundle } : {}),
  };
  const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
  const a = runPush({ emu: emu!, repo }, cA, inputs, { env });
  await aIsHeld;
  const b = runPush({ emu: emu!, repo }, cB, inputs, { env });
  return { a: ok(await a), b: ok(await b) };
}

describe.each<ConcurrentRollouts>(['queue', 'replace'])('concurrentRollouts %s', (mode) => {
  test.each(CASES)(
    '%s: the older run does not call its deploy live, the newer one waits for its own',
    async (_name, c) => {
      emu = await startEmulator({
        createDelayMs: 20,
        rolloutDelayMs: 1500,
        imageTagAt: c.imageTagAt,
        concurrentRollouts: mode,
      });
      repo.commit(astroProject(), 'Initial project');
      const cA = repo.commit({ 'dags/a.py': 'A = 1\n' }, 'Add A');
      const cB = repo.commit({ 'dags/b.py': 'B = 1\n' }, 'Add B');
      repo.push();

      const { a, b } = await overlap(c, cA, cB);
      const returnedAt = Date.now();

      // Both deploys were finalized, A's first, B's while A's rollout was under way.
      const rollouts = emu.state.rollouts;
      expect(rollouts.map((r) => r.deployId)).toEqual([
        a.outputs['deploy-id'],
        b.outputs['deploy-id'],
      ]);
      expect(rollouts[1].finalizedAt).toBeLessThan(rollouts[0].finishedAt);

      // A: stopped because B replaced it, never "live".
      expect(a.stdout).toContain(
        `replaced deploy ${a.outputs['deploy-id']} on analytics before it went live`,
      );
      expect(a.stdout).not.toMatch(/Live on analytics after/);

      // B: live only once its own versions run and the Deployment is HEALTHY.
      expect(b.stdout).toMatch(/Live on analytics after/);
      expect(b.stdout).not.toContain('replaced deploy');
      const bRollout = rollouts.find((r) => r.deployId === b.outputs['deploy-id'])!;
      expect(bRollout.finishedAt).toBeLessThanOrEqual(returnedAt);
      const live = emu.state.deployment(analytics())!;
      expect(live.status).toBe('HEALTHY');
      if (c.deployType !== 'dags-only') expect(live.imageTag).toBe(b.outputs['image-tag']);
      const dags = b.outputs['dag-tarball-version'];
      if (c.dagBundle) {
        const bundle = emu.state.dagBundles(analytics()).find((x) => x.name === c.dagBundle);
        expect(bundle).toMatchObject({ currentVersion: dags, desiredVersion: dags });
      } else if (c.deployType !== 'image-only') {
        expect(live).toMatchObject({ dagTarballVersion: dags, desiredDagTarballVersion: dags });
      }
    },
  );
});

// The newer commit's run (B) creates its deploy first, then takes long (its DAG upload is held);
// meanwhile the older commit's run (A) creates, finalizes and goes live. B then finalizes: A's tag
// may be what B sees first. A deploy that was in the list when B finalized is not a newer one.
describe.each<ConcurrentRollouts>(['queue', 'replace'])('concurrentRollouts %s', (mode) => {
  test.each<'rollout-end' | 'finalize'>(['rollout-end', 'finalize'])(
    'tag at %s: a deploy created after ours but finalized before it does not stop our wait',
    async (imageTagAt) => {
      emu = await startEmulator({
        createDelayMs: 20,
        rolloutDelayMs: 1500,
        imageTagAt,
        concurrentRollouts: mode,
      });
      repo.commit(astroProject(), 'Initial project');
      const cA = repo.commit({ 'requirements.txt': 'pandas\n' }, 'Add pandas');
      const cB = repo.commit({ 'requirements.txt': 'pandas\nnumpy\n' }, 'Add numpy');
      repo.push();
      let bHeld!: () => void;
      const bIsHeld = new Promise<void>((resolve) => (bHeld = resolve));
      let releaseB!: () => void;
      const bReleased = new Promise<void>((resolve) => (releaseB = resolve));
      emu.setFaults({
        rate: 1,
        kinds: ['slow'],
        limit: 1,
        match: (req) => {
          const upload = req.method === 'PUT' && req.path.startsWith('/blobs/');
          if (upload) bHeld();
          return upload;
        },
        hold: () => bReleased,
      });
      const inputs = { 'deployment-id': analytics(), 'wait-time': '60s' };
      const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
      const b = runPush({ emu, repo }, cB, inputs, { env });
      await bIsHeld;
      const a = ok(await runPush({ emu, repo }, cA, inputs, { env }));
      releaseB();
      const bDone = ok(await b);

      const [bDeploy, aDeploy] = [bDone, a].map((r) =>
        emu!.state.deploys(analytics()).find((d) => d.id === r.outputs['deploy-id'])!,
      );
      expect(Date.parse(aDeploy.createdAt)).toBeGreaterThan(Date.parse(bDeploy.createdAt));
      expect(a.stdout).toMatch(/Live on analytics after/);
      // B waited for its own image, though A's (created after B's) went live in between.
      expect(bDone.stdout).not.toContain('replaced deploy');
      expect(bDone.stdout).toMatch(/Live on analytics after/);
      const live = emu.state.deployment(analytics())!;
      expect(live).toMatchObject({ status: 'HEALTHY', imageTag: bDone.outputs['image-tag'] });
    },
  );
});
