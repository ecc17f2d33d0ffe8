// GitHub deployments against the local GitHub API stand-in (loopback): the requests' paths and
// bodies, the order of statuses, a deleted preview's environment going inactive across pages,
// the 403 → one warning → off path, and which failures are retried (a GET's 502) or not (a POST's).
import { recordingLog } from '../../src/platform/log.js';
import { createGitHubDeployments } from '../../src/github/deployments.js';
import { githubClient } from '../../src/github/octokit.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';

const owner = 'acme';
const repo = 'pipelines';
const sha = 'a'.repeat(40);
const RUN = 'https://github.example/acme/pipelines/actions/runs/42';
const ASTRO = 'https://cloud.example/o/w/deployments/cldep1';

let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubApi();
});
afterEach(async () => {
  await gh.close();
});

async function parts() {
  const log = recordingLog();
  const octokit = await githubClient({
    token: gh.token,
    apiUrl: gh.url,
    log,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  return { log, deployments: createGitHubDeployments({ octokit, owner, repo, log }) };
}
const warnings = (log: { lines: string[] }) => log.lines.filter((l) => l.startsWith('warning:'));
const writes = () => gh.requests.filter((r) => r.method !== 'GET');

test('a deploy: deployment, then in_progress, then success with the Astro page and the run', async () => {
  const { log, deployments } = await parts();
  const h = await deployments.start({
    environment: 'prod',
    ref: sha,
    description: 'Deploying prod',
    logUrl: RUN,
  });
  expect(h.id).toEqual(expect.any(Number));
  await h.success({ environmentUrl: ASTRO, logUrl: RUN, description: 'Deployed dags-only.' });
  await h.success({ environmentUrl: ASTRO }); // a second finish is ignored

  expect(writes()).toEqual([
    {
      method: 'POST',
      path: `/repos/${owner}/${repo}/deployments`,
      body: {
        ref: sha,
        environment: 'prod',
        description: 'Deploying prod',
        transient_environment: false,
        auto_merge: false,
        required_contexts: [],
      },
    },
    {
      method: 'POST',
      path: `/repos/${owner}/${repo}/deployments/${h.id}/statuses`,
      body: { state: 'in_progress', log_url: RUN, description: 'Deploying prod' },
    },
    {
      method: 'POST',
      path: `/repos/${owner}/${repo}/deployments/${h.id}/statuses`,
      body: {
        state: 'success',
        environment_url: ASTRO,
        log_url: RUN,
        description: 'Deployed dags-only.',
      },
    },
  ]);
  expect(gh.statesOf(h.id!)).toEqual(['in_progress', 'success']);
  expect(gh.deployments[0]).toMatchObject({ environment: 'prod', ref: sha, sha });
  expect(warnings(log)).toEqual([]);
});

test('a failed preview deploy: failure with the sentence cut to 140 characters', async () => {
  const { log, deployments } = await parts();
  const h = await deployments.start({
    environment: 'preview/feature/x',
    ref: sha,
    transient: true,
    logUrl: RUN,
    environmentUrl: ASTRO,
  });
  const sentence = 'The DAG check failed: ' + 'x'.repeat(200);
  await h.failure({ description: sentence });
  expect(gh.statesOf(h.id!)).toEqual(['in_progress', 'failure']);
  const last = gh.deployments[0].statuses[1];
  expect(last.description.length).toBeLessThanOrEqual(140);
  expect(last.description.startsWith('The DAG check failed: xxx')).toBe(true);
  expect(last).toMatchObject({ environment_url: ASTRO, log_url: RUN });
  expect(gh.deployments[0]).toMatchObject({
    environment: 'preview/feature/x',
    transient_environment: true,
  });
  expect(warnings(log)).toEqual([]);
});

test("a deleted preview: all of its environment's deployments become inactive, across pages", async () => {
  gh.maxPerPage = 2;
  const { deployments } = await parts();
  const ids: number[] = [];
  for (const env of ['preview/feat', 'preview/feat', 'prod', 'preview/feat', 'preview/other']) {
    const h = await deployments.start({ environment: env, ref: sha, transient: env !== 'prod' });
    await h.success({ environmentUrl: ASTRO });
    ids.push(h.id!);
  }
  const n = await deployments.deactivate('preview/feat', { logUrl: RUN });
  expect(n).toBe(3);
  for (const i of [0, 1, 3]) expect(gh.statesOf(ids[i]).at(-1)).toBe('inactive');
  for (const i of [2, 4]) expect(gh.statesOf(ids[i]).at(-1)).toBe('success');
  // The list was read page by page (2 per page: 2 GETs for 3 deployments), filtered by environment.
  const gets = gh.requests.filter((r) => r.method === 'GET');
  expect(gets).toHaveLength(2);
  for (const g of gets) expect(g.path).toContain('environment=preview%2Ffeat');
});

test('no deployments: write → ONE warning naming the permission, then the part is off', async () => {
  gh.deploymentsDenied = true;
  const { log, deployments } = await parts();
  const h = await deployments.start({ environment: 'prod', ref: sha, logUrl: RUN });
  expect(h.id).toBeUndefined();
  await h.success({ environmentUrl: ASTRO });
  const h2 = await deployments.start({ environment: 'prod', ref: sha });
  await h2.failure({ description: 'x' });
  expect(await deployments.deactivate('preview/feat')).toBe(0);

  expect(deployments.enabled).toBe(false);
  const w = warnings(log);
  expect(w).toHaveLength(1);
  expect(w[0]).toMatch(/HTTP 403: Resource not accessible by integration/);
  expect(w[0]).toContain('permissions: deployments: write');
  expect(gh.requests).toHaveLength(1); // nothing after the refusal
  expect(gh.deployments).toEqual([]);
});

test('a 502 on a GET is retried; a 502 on a POST is not (it may have made a deployment)', async () => {
  const { log, deployments } = await parts();
  const h = await deployments.start({ environment: 'preview/feat', ref: sha, transient: true });
  gh.fail('GET', /\/deployments$/, 502, 1);
  expect(await deployments.deactivate('preview/feat')).toBe(1);
  expect(gh.statesOf(h.id!)).toEqual(['in_progress', 'inactive']);
  expect(gh.requests.filter((r) => r.method === 'GET')).toHaveLength(2);
  expect(log.lines.some((l) => /retrying GitHub GET .* after 502/.test(l))).toBe(true);

  gh.fail('POST', /\/deployments$/, 502, 1);
  const before = gh.requests.length;
  const h2 = await deployments.start({ environment: 'prod', ref: sha });
  expect(h2.id).toBeUndefined();
  expect(gh.requests.slice(before)).toHaveLength(1);
  const w = warnings(log);
  expect(w).toHaveLength(1);
  expect(w[0]).toMatch(
    /^warning: Could not create the GitHub deployment for environment prod \(HTTP 502/,
  );
  // A 502 does not turn the part off: the next deploy is recorded.
  expect(deployments.enabled).toBe(true);
  const h3 = await deployments.start({ environment: 'prod', ref: sha });
  expect(gh.statesOf(h3.id!)).toEqual(['in_progress']);
});

test('the stand-in is strict: auto_merge left on or required contexts are refused', async () => {
  const octokit = await githubClient({ token: gh.token, apiUrl: gh.url, log: recordingLog() });
  const merged = await octokit.rest.repos.createDeployment({ owner, repo, ref: 'feat' });
  expect(merged.status).toBe(202);
  await expect(
    octokit.rest.repos.createDeployment({ owner, repo, ref: 'feat', auto_merge: false }),
  ).rejects.toMatchObject({ status: 409 });
  expect(gh.deployments).toEqual([]);
});

test('a rate limit (403 with Retry-After) is not a missing permission: a warning, the part stays on', async () => {
  const { log, deployments } = await parts();
  gh.fail('POST', /\/deployments$/, 403, 1, {
    message: 'You have exceeded a secondary rate limit.',
    headers: { 'retry-after': '0' },
  });
  const h = await deployments.start({ environment: 'prod', ref: sha });
  expect(h.id).toBeUndefined();
  const w = warnings(log);
  expect(w).toHaveLength(1);
  expect(w[0]).toContain('secondary rate limit');
  expect(w[0]).not.toContain('deployments: write');
  expect(deployments.enabled).toBe(true);
  // A rate-limited GET is retried after Retry-After.
  const h2 = await deployments.start({ environment: 'preview/feat', ref: sha, transient: true });
  gh.fail('GET', /\/deployments$/, 403, 1, {
    message: 'API rate limit exceeded for installation.',
    headers: { 'x-ratelimit-remaining': '0', 'retry-after': '0' },
  });
  expect(await deployments.deactivate('preview/feat')).toBe(1);
  expect(gh.statesOf(h2.id!)).toEqual(['in_progress', 'inactive']);
  expect(warnings(log)).toHaveLength(1);
});

test('a deploy that will never go live (superseded): in_progress, then inactive; a later finish is ignored', async () => {
  const { log, deployments } = await parts();
  const h = await deployments.start({ environment: 'prod', ref: sha, logUrl: RUN });
  await h.inactive({ description: 'a newer commit is live' });
  await h.failure({ description: 'ignored' });
  expect(gh.statesOf(h.id!)).toEqual(['in_progress', 'inactive']);
  expect(writes().at(-1)).toEqual({
    method: 'POST',
    path: `/repos/${owner}/${repo}/deployments/${h.id}/statuses`,
    body: { state: 'inactive', log_url: RUN, description: 'a newer commit is live' },
  });
  expect(warnings(log)).toEqual([]);
});
