// One image deploy asks the Docker engine once whether it is up, and logs in to the
// Deployment's registry once, though several stages need both (the cache read before the
// build, the push after it): the bundled action with a recording docker client.
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { ok, runPush } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

test('an image-and-dags deploy: one `docker version`, one `docker login`, then build and push', async () => {
  const calls = path.join(repo.root, 'docker-calls');
  const sha = repo.commit(astroProject(), 'Initial project');
  repo.push();
  const analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  const r = ok(
    await runPush(
      { emu, repo },
      sha,
      { 'deployment-id': analytics, 'deploy-type': 'image-and-dags', 'wait-time': '30s' },
      { env: { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_CALLS: calls } },
    ),
  );
  expect(r.outputs['deploy-type']).toBe('image-and-dags');
  const commands = fs.readFileSync(calls, 'utf8').split('\n').filter(Boolean);
  const count = (c: string) => commands.filter((x) => x === c).length;
  expect(count('build')).toBe(1);
  expect(count('push')).toBe(1);
  expect(count('version')).toBe(1);
  expect(count('login')).toBe(1);
  // Astro too is asked once: the deploy list the stale guard reads just before the finalize
  // also tells the wait which image deploys may roll out before ours.
  const paths = emu.state.requests.map((q) => `${q.method} ${q.path}`);
  const created = paths.findIndex((x) => /^POST .*\/deploys$/.test(x));
  const finalized = paths.findIndex((x) => x.startsWith('POST') && x.endsWith('/finalize'));
  const between = paths.slice(created, finalized);
  expect(between.filter((x) => /^GET .*\/deploys$/.test(x))).toHaveLength(1);
});
