// Every failure sets every output (issue 14.8): `reason` holds the failure's sentence, and
// deploy-type, skipped, deployment-id, preview-id and deploy-id hold what was known when the
// run stopped. Run through the bundled action against the emulator, read from GITHUB_OUTPUT.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, runPush, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50, wakeDelayMs: 50 });
  repo = new TestRepo();
  repo.commit(astroProject());
  repo.push();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

async function run(inputs: Record<string, string>): Promise<RunResult> {
  return runPush({ emu, repo }, repo.head(), { 'wait-time': '30s', ...inputs });
}

/** The `::error::` sentence (as the runner shows it: %0A is a newline). */
const errorText = (r: RunResult) =>
  (r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '')
    .slice('::error::'.length)
    .replace(/%0A/g, '\n')
    .replace(/%0D/g, '\r')
    .replace(/%25/g, '%');

const OUTPUT_NAMES = [
  'preview-id',
  'deployment-id',
  'deploy-type',
  'skipped',
  'reason',
  'deploy-id',
  'image-tag',
  'dag-tarball-version',
  'deployment-url',
];

function failed(r: RunResult): RunResult {
  expect(r.code).toBe(1);
  expect(Object.keys(r.outputs).sort()).toEqual([...OUTPUT_NAMES].sort());
  expect(r.outputs.reason).toBe(errorText(r));
  expect(r.outputs.reason.length).toBeGreaterThan(20);
  return r;
}

test('a bad input: nothing known but the sentence', async () => {
  const r = failed(await run({ 'deployment-id': id('analytics'), 'deploy-type': 'full' }));
  expect(r.outputs.reason).toMatch(/^Input 'deploy-type' is 'full'/);
  expect(r.outputs).toMatchObject({
    'deploy-type': 'none',
    skipped: 'true',
    'deployment-id': '',
    'preview-id': '',
    'deploy-id': '',
  });
});

test('a Deployment that is not found: no ids', async () => {
  const r = failed(await run({ 'deployment-name': 'no-such-deployment' }));
  expect(r.outputs.reason).toMatch(/No Deployment named 'no-such-deployment'/);
  expect(r.outputs).toMatchObject({
    'deploy-type': 'none',
    skipped: 'true',
    'deployment-id': '',
    'deploy-id': '',
  });
});

test('a deploy that fails after it was created: its id, the type and the target', async () => {
  // Every DAG upload fails (after the client's retries).
  emu.setFaults({
    rate: 1,
    kinds: ['500'],
    match: (q) => q.method === 'PUT' && /\/blobs\//.test(q.path),
  });
  const r = failed(await run({ 'deployment-id': id('analytics'), 'deploy-type': 'dags-only' }));
  const deploys = emu.state.deploys(id('analytics'));
  expect(deploys).toHaveLength(1);
  expect(r.outputs).toMatchObject({
    'deploy-type': 'dags-only',
    skipped: 'true',
    'deployment-id': id('analytics'),
    'preview-id': id('analytics'),
    'deploy-id': deploys[0].id,
  });
  expect(r.outputs['deployment-url']).toContain(id('analytics'));
  expect(r.outputs.reason).toContain(`Deploy ${deploys[0].id} was created`);
});

test('a finalized deploy that does not go live in time: not skipped', async () => {
  await emu.close();
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 60_000 });
  const r = failed(
    await run({ 'deployment-id': id('analytics'), 'deploy-type': 'dags-only', 'wait-time': '2s' }),
  );
  const deploys = emu.state.deploys(id('analytics'));
  expect(r.outputs).toMatchObject({
    'deploy-type': 'dags-only',
    skipped: 'false',
    'deployment-id': id('analytics'),
    'deploy-id': deploys[0].id,
  });
});

test('a preview created, then its deploy fails after it was created: both are named, both ids output', async () => {
  emu.setFaults({
    rate: 1,
    kinds: ['500'],
    match: (q) => q.method === 'PUT' && /\/blobs\//.test(q.path),
  });
  const sha = repo.head();
  const r = failed(
    await runAction({
      inputs: {
        'wait-time': '30s',
        'deployment-id': id('analytics'),
        'deploy-type': 'dags-only',
        action: 'create-deployment-preview',
      },
      token: emu.token,
      apiUrl: emu.url,
      workspace: repo.checkout(sha),
      eventName: 'pull_request',
      event: {
        action: 'opened',
        number: 4,
        pull_request: { number: 4, head: { ref: 'both', sha }, base: { ref: 'main', sha } },
      },
      sha,
      serverUrl: repo.serverUrl,
    }),
  );
  const preview = emu.state.deployments().find((d) => d.name === 'both_analytics')!;
  const [deploy] = emu.state.deploys(preview.id);
  expect(r.outputs).toMatchObject({
    skipped: 'true',
    'preview-id': preview.id,
    'deployment-id': preview.id,
    'deploy-id': deploy.id,
  });
  expect(r.outputs.reason).toContain(
    `Deploy ${deploy.id} was created on both_analytics but not finalized, so nothing of it went live; the next run deploys again.`,
  );
  expect(r.outputs.reason).toContain(
    `The preview both_analytics (${preview.id}) was created by this run and is kept; running again reuses it.`,
  );
});
