// action: cleanup-previews end to end through the bundled action, run as a scheduled job
// would run it: a bare repository as origin (some preview branches deleted there), marked
// previews in the emulator, the GitHub stand-in answering the pull-request query. Only the
// preview whose branch is gone and whose pull request is not open goes; dry runs delete
// nothing; without a token the branches alone decide.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Deployment } from '../../src/astro/types.js';
import { runAction, type RunResult, ok } from '../support/action.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';
import { TestRepo, astroProject, git } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let gh: GitHubStandIn;
let analytics: string;
let sha: string;
/** Preview ids by branch, and the look-alike nobody marked. */
const ids: Record<string, string> = {};

function seed(name: string, description: string): Deployment {
  const base = emu.state.deployment(analytics)!;
  return emu.state.addDeployment({
    name,
    description,
    astroRuntimeVersion: base.astroRuntimeVersion,
    isDagDeployEnabled: true,
  });
}

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  gh = await startGitHubApi({ token: 'ghs_cleanup_token_0123456789' });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
  sha = repo.commit(astroProject(), 'project');
  repo.push('main');
  for (const b of ['feature/kept', 'feature/gone', 'feature/open-pr']) repo.push(b);
  for (const b of ['feature/gone', 'feature/open-pr'])
    git(repo.work, 'push', '-q', 'origin', '--delete', b);
  for (const b of ['feature/kept', 'feature/gone', 'feature/open-pr'])
    ids[b] = seed(
      `${b.replace('/', '-')}_analytics`,
      `Preview of ${analytics} for branch ${b} — copy of analytics, made for CI by the Astro deploy action`,
    ).id;
  // Named like a preview of a deleted branch, but not marked: never ours to delete.
  ids.unmarked = seed('feature-lookalike_analytics', 'made by hand').id;
  gh.seedPull('acme/airflow', 'feature/open-pr', 'open');
  gh.seedPull('acme/airflow', 'feature/gone', 'closed');
});
afterEach(async () => {
  await emu.close();
  await gh.close();
  repo.cleanup();
});

function run(
  inputs: Record<string, string>,
  workspace = repo.checkout(sha),
  token = emu.token,
): Promise<RunResult> {
  return runAction({
    inputs: { 'deployment-id': analytics, action: 'cleanup-previews', ...inputs },
    token,
    apiUrl: emu.url,
    workspace,
    eventName: 'schedule',
    event: { schedule: '17 3 * * *' },
    sha,
    serverUrl: repo.serverUrl,
    env: { GITHUB_API_URL: gh.url },
    secrets: [gh.token],
  });
}

const exists = (id: string) => emu.state.deployments().some((d) => d.id === id);
const deletes = () => emu.state.requests.filter((q) => q.method === 'DELETE');

test('deletes the preview whose branch is gone and whose pull request is closed; keeps the others', async () => {
  const r = ok(await run({ 'github-token': gh.token }));
  expect(exists(ids['feature/gone'])).toBe(false);
  expect(exists(ids['feature/kept'])).toBe(true);
  expect(exists(ids['feature/open-pr'])).toBe(true);
  expect(exists(ids.unmarked)).toBe(true);
  expect(deletes().map((q) => q.path)).toEqual([
    expect.stringMatching(new RegExp(`/deployments/${ids['feature/gone']}$`)),
  ]);
  expect(r.outputs['deploy-type']).toBe('none');
  expect(r.outputs.skipped).toBe('true');
  expect(r.outputs.reason).toBe('deleted 1 and kept 2 of the 3 preview(s) of analytics');
  // Asked GitHub only about the branches that are gone, as owner:branch, all states.
  const asked = gh.requests.filter((q) => q.path.includes('/pulls')).map((q) => q.path);
  expect(asked.sort()).toEqual([
    expect.stringMatching(/^\/repos\/acme\/airflow\/pulls\?.*head=acme%3Afeature%2Fgone/),
    expect.stringMatching(/^\/repos\/acme\/airflow\/pulls\?.*head=acme%3Afeature%2Fopen-pr/),
  ]);
  for (const q of asked) expect(q).toContain('state=all');
  // The summary lists each preview with its branch, what happened and why.
  const row = (id: string) => r.summary.split('\n').find((l) => l.includes(`\`${id}\``));
  expect(row(ids['feature/gone'])).toMatch(
    /\| `feature\/gone` \| deleted \| branch feature\/gone is gone from origin and pull request \\#2 is closed \|/,
  );
  expect(row(ids['feature/open-pr'])).toMatch(/\| kept \| .*pull request \\#1 is open \|/);
  expect(row(ids['feature/kept'])).toMatch(
    /\| kept \| branch feature\/kept still exists on origin \|/,
  );
  expect(row(ids.unmarked)).toBeUndefined();
  expect(r.stdout).toMatch(/Deleting feature-gone_analytics \(\w+\), branch feature\/gone: /);
});

test("a deleted preview's GitHub environment goes inactive; a kept one's is left alone", async () => {
  // What earlier preview runs left on GitHub: a successful deployment per preview environment.
  const api = (p: string, body: unknown) =>
    fetch(`${gh.url}/repos/acme/airflow${p}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gh.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((res) => res.json() as Promise<{ id: number }>);
  const made: Record<string, number> = {};
  for (const branch of ['feature/gone', 'feature/kept']) {
    const d = await api('/deployments', {
      ref: 'main',
      environment: `preview/${branch}`,
      auto_merge: false,
      required_contexts: [],
      transient_environment: true,
    });
    await api(`/deployments/${d.id}/statuses`, { state: 'success' });
    made[branch] = d.id;
  }
  ok(await run({ 'github-token': gh.token }));
  expect(gh.statesOf(made['feature/gone'])).toEqual(['success', 'inactive']);
  expect(gh.statesOf(made['feature/kept'])).toEqual(['success']);
});

test('a dry run lists what would go and deletes nothing', async () => {
  const r = ok(await run({ 'github-token': gh.token, 'dry-run': 'true' }));
  expect(deletes()).toEqual([]);
  expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  expect(r.outputs.reason).toBe(
    'dry run: would delete 1 and keep 2 of the 3 preview(s) of analytics',
  );
  expect(r.summary).toContain('(dry run: nothing deleted)');
  expect(r.summary).toMatch(/\| would delete \| branch feature\/gone is gone from origin/);
});

test('without a github-token the branches alone decide, and the run says so once (cloning itself)', async () => {
  const r = ok(await run({ 'github-token': '' }, repo.emptyWorkspace()));
  expect(exists(ids['feature/gone'])).toBe(false);
  expect(exists(ids['feature/open-pr'])).toBe(false);
  expect(exists(ids['feature/kept'])).toBe(true);
  expect(exists(ids.unmarked)).toBe(true);
  expect(r.stdout.match(/Pull requests are not checked \('github-token' is empty\)/g)).toHaveLength(
    1,
  );
  expect(gh.requests).toEqual([]);
  expect(r.outputs.reason).toBe('deleted 2 and kept 1 of the 3 preview(s) of analytics');
});

test('a failed delete does not stop the others; the run fails naming it', async () => {
  // A second orphan (first by name), whose delete fails with a 500 (not retried for a DELETE).
  repo.push('feature/also-gone');
  git(repo.work, 'push', '-q', 'origin', '--delete', 'feature/also-gone');
  const other = seed(
    'feature-also-gone_analytics',
    `Preview of ${analytics} for branch feature/also-gone`,
  ).id;
  emu.setFaults({
    rate: 1,
    kinds: ['500'],
    match: (q) => q.method === 'DELETE' && q.path.endsWith(`/deployments/${other}`),
  });
  const r = await run({ 'github-token': gh.token });
  expect(exists(ids['feature/gone'])).toBe(false);
  expect(exists(other)).toBe(true);
  expect(r.code).toBe(1);
  const error = r.annotations.find((l) => l.startsWith('::error'))!;
  expect(error).toContain(
    `feature-also-gone_analytics (${other}): branch feature/also-gone is gone`,
  );
  expect(r.outputs.reason).toMatch(
    /^Deleted 1 and kept 2 of the 4 preview\(s\) of analytics, but 1/,
  );
});

test('a Deployment API token fails with one sentence and deletes nothing', async () => {
  const token = emu.issueToken({ workspaceId: emu.workspaceId, deploymentId: analytics });
  const r = await run({ 'github-token': gh.token }, repo.checkout(sha), token);
  expect(r.code).toBe(1);
  expect(deletes()).toEqual([]);
  expect(r.outputs.reason).toMatch(
    /^action cleanup-previews needs a Workspace or Organization API token, but ASTRO_API_TOKEN is a Deployment API token/,
  );
});

test('a preview deleted by an earlier run but still listed (deleteLingerMs) counts as deleted, already gone', async () => {
  await emu.close();
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20, deleteLingerMs: 600_000 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  const gone = seed('feature-gone_analytics', `Preview of ${analytics} for branch feature/gone`).id;
  ok(await run({ 'github-token': gh.token }));
  // Astro may still list it: the next run tries again, gets a 404, and says so.
  expect(exists(gone)).toBe(true);
  const r = ok(await run({ 'github-token': gh.token }));
  expect(deletes().map((q) => q.status)).toEqual([204, 404]);
  expect(r.outputs.reason).toBe('deleted 1 and kept 0 of the 1 preview(s) of analytics');
  expect(r.summary).toMatch(
    /\| deleted \| branch feature\/gone is gone from origin .*; it was already gone \|/,
  );
});
