// What a preview run reads from Astro, counted: each read happens once per run unless it is
// repeated on purpose (after a change of ours, or the stale guard just before the finalize).
// Runs the bundled action against the emulator, which records every request.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, ok, type RunResult } from '../support/action.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let gh: GitHubStandIn;
let analytics: string;

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
  gh = await startGitHubApi({ token: 'ghs_reads_token_0123456789' });
});
afterEach(async () => {
  await emu.close();
  await gh.close();
  repo.cleanup();
});

const BRANCH = 'feat/reads';

/** `action: preview` on a pull_request event, with the PR comment (which looks up the preview early). */
function prRun(action: string, head: string, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: {
      action: 'preview',
      'deployment-id': analytics,
      'deploy-type': 'dags-only',
      'wait-time': '30s',
      'pr-comment': 'true',
      'github-token': gh.token,
      ...inputs,
    },
    token: emu.token,
    apiUrl: emu.url,
    workspace: repo.checkout(head),
    eventName: 'pull_request',
    event: {
      action,
      number: 7,
      pull_request: {
        number: 7,
        head: { ref: BRANCH, sha: head },
        base: { ref: 'main', sha: head },
        merged: false,
      },
    },
    sha: head,
    ref: 'refs/pull/7/merge',
    serverUrl: repo.serverUrl,
    env: { GITHUB_API_URL: gh.url },
    secrets: [gh.token],
  });
}

/** The Astro requests of one run, counted by kind. */
async function counted(go: () => Promise<RunResult>) {
  const from = emu.state.requests.length;
  const r = ok(await go());
  const qs = emu.state.requests.slice(from);
  const n = (method: string, re: RegExp) =>
    qs.filter((q) => q.method === method && re.test(q.path)).length;
  return {
    r,
    counts: {
      /** The preview looked up by name (findPreview: the Deployment list). */
      lookups: n('GET', /\/deployments$/),
      /** A Deployment's deploy history. */
      histories: n('GET', /\/deployments\/[^/]+\/deploys$/),
      creates: n('POST', /\/deployments$/),
      deletes: n('DELETE', /\/deployments\/[^/]+$/),
      finalizes: n('POST', /\/finalize$/),
    },
  };
}

test('a create run looks the preview up once before creating it (plus the check for a racing job after)', async () => {
  const c1 = repo.commit(astroProject());
  repo.push(BRANCH);
  const { r, counts } = await counted(() => prRun('opened', c1));
  expect(r.outputs.skipped).toBe('false');
  expect(counts).toEqual({
    // One lookup before the create; one after it on purpose (two jobs racing for the branch
    // converge on the oldest preview).
    lookups: 2,
    // A fresh preview's history: once to decide, once more by the stale guard before the finalize.
    histories: 2,
    creates: 1,
    deletes: 0,
    finalizes: 1,
  });
});

test('a run that reuses a deployed preview looks it up once and reads its history once to decide', async () => {
  const c1 = repo.commit(astroProject());
  repo.push(BRANCH);
  ok(await prRun('opened', c1));
  const c2 = repo.commit({ 'dags/c.py': 'C = 1\n' });
  repo.push(BRANCH);
  const { r, counts } = await counted(() => prRun('synchronize', c2));
  expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
  expect(counts).toEqual({
    lookups: 1,
    // Once (did it ever take a deploy? and what is live: the same read), and once more by the
    // stale guard just before the finalize, on purpose.
    histories: 2,
    creates: 0,
    deletes: 0,
    finalizes: 1,
  });
});

test('a run that reuses a preview that never took a deploy reads its history again after copying', async () => {
  const c1 = repo.commit(astroProject());
  repo.push(BRANCH);
  // A preview whose first run stopped after creating it (made here directly, placed like the base).
  const base = emu.state.deployment(analytics)!;
  const seeded = emu.state.addDeployment({
    name: 'feat-reads_analytics',
    description: `Preview of ${analytics} for branch ${BRANCH}`,
    astroRuntimeVersion: base.astroRuntimeVersion,
    isDagDeployEnabled: true,
    ...(base.type ? { type: base.type } : {}),
    ...(base.clusterId ? { clusterId: base.clusterId } : {}),
    ...(base.cloudProvider ? { cloudProvider: base.cloudProvider } : {}),
    ...(base.region ? { region: base.region } : {}),
  });
  const { r, counts } = await counted(() => prRun('synchronize', c1));
  expect(r.outputs['preview-id']).toBe(seeded.id);
  expect(r.summary).toMatch(/Connections copied/);
  expect(counts).toEqual({
    lookups: 1,
    // Once to see it never took a deploy; again to decide, on purpose: copying the objects
    // (waiting for the preview's Airflow API) can take minutes, and another run may deploy
    // meanwhile; once more by the stale guard before the finalize.
    histories: 3,
    creates: 0,
    deletes: 0,
    finalizes: 1,
  });
});

test('a delete run looks the preview up once', async () => {
  const c1 = repo.commit(astroProject());
  repo.push(BRANCH);
  ok(await prRun('opened', c1));
  const { r, counts } = await counted(() => prRun('closed', c1));
  expect(r.outputs.reason).toMatch(/deleted preview/);
  expect(counts).toEqual({ lookups: 1, histories: 0, creates: 0, deletes: 1, finalizes: 0 });
});
