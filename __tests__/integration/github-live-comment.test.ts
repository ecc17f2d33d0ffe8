// The live pull-request comment against the local GitHub API stand-in (loopback): one comment
// per pull request and base Deployment, posted at the start and edited in place through
// success, failure and deletion; found again across pages; a 403 gives one warning and turns
// the part off; a 502 on a GET or a PATCH is retried, on a POST it is not.
import { recordingLog } from '../../src/platform/log.js';
import { writePrComment } from '../../src/github/comment.js';
import {
  createLiveComment,
  liveCommentMarker,
  type LiveCommentFacts,
} from '../../src/github/live-comment.js';
import { githubClient } from '../../src/github/octokit.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';

const owner = 'acme';
const repo = 'pipelines';
const full = `${owner}/${repo}`;
const RUN = 'https://github.example/acme/pipelines/actions/runs/42';
const base = { id: 'clbase1', name: 'prod' };
const facts = (over: Partial<LiveCommentFacts> = {}): LiveCommentFacts => ({
  state: 'deploying',
  base,
  target: { id: 'clprev1', name: 'feat_prod', url: 'https://cloud.example/d/clprev1' },
  preview: true,
  branch: 'feat',
  commitSha: 'b'.repeat(40),
  runUrl: RUN,
  ...over,
});

let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubApi();
});
afterEach(async () => {
  await gh.close();
});

async function live(prNumber: number) {
  const log = recordingLog();
  const octokit = await githubClient({
    token: gh.token,
    apiUrl: gh.url,
    log,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  return { log, octokit, comment: createLiveComment({ octokit, owner, repo, prNumber, log }) };
}
const warnings = (log: { lines: string[] }) => log.lines.filter((l) => l.startsWith('warning:'));
const ours = (n: number, baseId = base.id) =>
  gh.list(full, n).filter((c) => c.body.startsWith(liveCommentMarker(baseId)));

test('posted at the start, edited in place to success; a later run edits the same comment to failure, then deleted', async () => {
  // Other comments fill more than one page (100 a page): ours is found on page 2 next run.
  for (let i = 0; i < 130; i += 1) gh.seed(full, 7, `comment ${i}`);
  // Another base's comment on the same pull request is left alone.
  const other = gh.seed(
    full,
    7,
    `${liveCommentMarker('clother')}\nother base`,
    'github-actions[bot]',
  );

  const run1 = await live(7);
  await run1.comment.write(facts());
  expect(ours(7)).toHaveLength(1);
  expect(ours(7)[0].body).toContain('### Deploying to Astro:');
  await run1.comment.write(facts({ state: 'success', deployType: 'image-and-dags' }));
  expect(ours(7)).toHaveLength(1);
  expect(ours(7)[0].body).toContain('### Deployed to Astro:');
  expect(ours(7)[0].body).toContain('| Deployed | `image-and-dags` |');
  const id = ours(7)[0].id;
  expect(run1.comment.commentId).toBe(id);

  // The second run of the same pull request: a new process, it finds the comment again.
  const run2 = await live(7);
  await run2.comment.write(facts({ commitSha: 'c'.repeat(40) }));
  await run2.comment.write(
    facts({ state: 'failure', error: 'The DAG check failed: dags/a.py has an import error.' }),
  );
  const run3 = await live(7);
  await run3.comment.write(facts({ state: 'deleted' }));

  expect(ours(7)).toHaveLength(1);
  expect(ours(7)[0].id).toBe(id);
  expect(ours(7)[0].body).toContain('### Astro preview deleted: `feat_prod`');
  expect(gh.list(full, 7)).toHaveLength(132);
  expect(gh.list(full, 7).find((c) => c.id === other.id)!.body).toBe(
    `${liveCommentMarker('clother')}\nother base`,
  );
  // Writes: one POST, then PATCHes of that one comment only.
  const w = gh.requests.filter((r) => r.method !== 'GET');
  expect(w.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH']);
  for (const r of w.slice(1)) expect(r.path).toBe(`/repos/${full}/issues/comments/${id}`);
  // The failure's body, as it was sent: its sentence and the run link.
  const failure = w[3].body as { body: string };
  expect(failure.body).toContain('> The DAG check failed: dags/a.py has an import error.');
  expect(failure.body).toContain(`[Workflow run](${RUN})`);
  // Run 2 and 3 each read two pages (100 + 31) to find ours; run 1 read two and posted.
  const gets = gh.requests.filter((r) => r.method === 'GET');
  expect(gets).toHaveLength(6);
  expect(gets.filter((g) => /[?&]page=2/.test(g.path))).toHaveLength(3);
  expect([...warnings(run1.log), ...warnings(run2.log), ...warnings(run3.log)]).toEqual([]);
});

test('one comment per base Deployment: another base gets its own', async () => {
  const run = await live(3);
  await run.comment.write(facts());
  await run.comment.write(facts({ base: { id: 'clbase2', name: 'staging' } }));
  const again = await live(3);
  await again.comment.write(facts({ base: { id: 'clbase2', name: 'staging' }, state: 'success' }));
  expect(ours(3)).toHaveLength(1);
  expect(ours(3, 'clbase2')).toHaveLength(1);
  expect(ours(3, 'clbase2')[0].body).toContain('### Deployed to Astro:');
  expect(gh.list(full, 3)).toHaveLength(2);
});

test('a token that cannot comment → ONE warning naming the permission, then the part is off', async () => {
  gh.commentsDenied = true;
  const { log, comment } = await live(5);
  await comment.write(facts());
  await comment.write(facts({ state: 'success' }));
  await comment.write(facts({ state: 'failure', error: 'x' }));
  expect(comment.enabled).toBe(false);
  const w = warnings(log);
  expect(w).toHaveLength(1);
  expect(w[0]).toMatch(/Could not post the comment on pull request #5 \(HTTP 403/);
  expect(w[0]).toContain('pull-requests: write');
  expect(w[0]).toContain('the deploy itself is not affected');
  // One read, one refused post, nothing after.
  expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  expect(gh.list(full, 5)).toHaveLength(0);
});

test('a 502 on a GET or on a PATCH is retried; a 502 on a POST is a warning, not a retry', async () => {
  const { log, comment } = await live(9);
  gh.fail('GET', /\/issues\/9\/comments$/, 502, 1);
  await comment.write(facts());
  expect(ours(9)).toHaveLength(1);
  gh.fail('PATCH', /\/issues\/comments\/\d+$/, 502, 1);
  await comment.write(facts({ state: 'success' }));
  expect(ours(9)[0].body).toContain('### Deployed to Astro:');
  expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'POST', 'PATCH', 'PATCH']);
  expect(log.lines.filter((l) => /retrying GitHub (GET|PATCH) .* after 502/.test(l))).toHaveLength(
    2,
  );
  expect(warnings(log)).toEqual([]);

  // writePrComment (the preview comment of today's callers) follows the same rule.
  gh.fail('POST', /\/issues\/10\/comments$/, 502, 1);
  const r = await writePrComment({
    apiUrl: gh.url,
    token: gh.token,
    repo: full,
    prNumber: 10,
    body: 'hello',
    marker: '<!-- m -->',
    log,
    retry: { baseDelayMs: 1 },
  });
  expect(r.warning).toMatch(/^Could not post the comment on pull request #10 \(HTTP 502/);
  expect(gh.requests.filter((x) => x.method === 'POST' && x.path.includes('/10/'))).toHaveLength(1);
});

test('a comment deleted by someone during the run is posted again', async () => {
  const { comment } = await live(4);
  await comment.write(facts());
  const list = gh.list(full, 4);
  list.splice(0, list.length);
  await comment.write(facts({ state: 'success' }));
  expect(ours(4)).toHaveLength(1);
  expect(ours(4)[0].body).toContain('### Deployed to Astro:');
});

test('writePrComment (today’s preview comment) retries a 502 on reading the comments', async () => {
  const log = recordingLog();
  gh.fail('GET', /\/issues\/12\/comments$/, 502, 2);
  const r = await writePrComment({
    apiUrl: gh.url,
    token: gh.token,
    repo: full,
    prNumber: 12,
    body: 'hello',
    marker: '<!-- m -->',
    log,
    retry: { baseDelayMs: 1 },
  });
  expect(r).toMatchObject({ action: 'created' });
  expect(r.warning).toBeUndefined();
  expect(gh.list(full, 12).map((c) => c.body)).toEqual(['<!-- m -->\nhello']);
  expect(gh.requests.map((x) => x.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
});

test('a GitHub that does not answer in time: a warning naming the timeout, after bounded tries', async () => {
  gh.slowMs = 1500;
  const log = recordingLog();
  const octokit = await githubClient({
    token: gh.token,
    apiUrl: gh.url,
    log,
    timeoutMs: 200,
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  const comment = createLiveComment({ octokit, owner, repo, prNumber: 2, log });
  await comment.write(facts());
  const w = warnings(log);
  expect(w).toHaveLength(1);
  expect(w[0]).toMatch(
    /^warning: Could not read the comments of pull request #2 \(no reply within 0\.2 s\)/,
  );
  // GETs are retried up to the policy's attempts (3), never more.
  expect(gh.requests.filter((r) => r.method === 'GET')).toHaveLength(3);
  expect(log.lines.filter((l) => /retrying GitHub GET .* after a timeout/.test(l))).toHaveLength(2);
  expect(comment.enabled).toBe(true);
});
