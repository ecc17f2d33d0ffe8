// Writing the pull-request comment (found again by its marker) against the local stand-in of
// GitHub's issue-comments API. The bodies are the live comment's (live-comment.ts).

import { silentLog, recordingLog } from '../../src/platform/log.js';
import { writePrComment } from '../../src/github/comment.js';
import {
  liveCommentBody,
  liveCommentMarker,
  type LiveCommentFacts,
} from '../../src/github/live-comment.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';

const repo = 'acme/pipelines';
const marker = liveCommentMarker('base1');

const facts = (over: Partial<LiveCommentFacts> = {}) =>
  liveCommentBody({
    state: 'success',
    base: { id: 'base1', name: 'prod' },
    target: { id: 'p1', name: 'feature-x_prod', url: 'http://127.0.0.1/ui/p1' },
    preview: true,
    branch: 'feature/x',
    deployType: 'image-and-dags',
    reason: 'A new preview gets everything.',
    commitSha: 'abc123',
    deployId: 'dep1',
    imageTag: 'deploy-1',
    omittedSecrets: ['TOKEN'],
    connectionsWithoutPassword: ['pg'],
    ...over,
  });

describe('writePrComment', () => {
  let gh: GitHubStandIn;
  beforeEach(async () => {
    gh = await startGitHubApi();
  });
  afterEach(async () => {
    await gh.close();
  });

  test('creates one comment, then updates it in place (found across pages)', async () => {
    // Other people's comments fill more than one page, ours comes after them.
    gh.maxPerPage = 100;
    for (let i = 0; i < 230; i += 1) gh.seed(repo, 7, `comment ${i}`);
    const log = recordingLog();
    const first = await writePrComment({
      apiUrl: gh.url,
      token: gh.token,
      repo,
      prNumber: 7,
      body: facts(),
      marker,
      log,
    });
    expect(first.warning).toBeUndefined();
    expect(first.action).toBe('created');
    const ours = gh.list(repo, 7).filter((c) => c.body.includes(marker));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toContain('[feature-x_prod](http://127.0.0.1/ui/p1)');
    expect(ours[0].body).toContain('| Deployed | `image-and-dags` |');
    expect(ours[0].body).toContain('`TOKEN`');

    const second = await writePrComment({
      apiUrl: gh.url + '/',
      token: gh.token,
      repo,
      prNumber: 7,
      body: facts({ deployType: 'dags-only', imageTag: undefined, dagTarballVersion: 'v2' }),
      marker,
      log,
    });
    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    const after = gh.list(repo, 7).filter((c) => c.body.includes(marker));
    expect(after).toHaveLength(1);
    expect(after[0].body).toContain('| Deployed | `dags-only` |');
    expect(after[0].body).toContain('| DAG tarball | `v2` |');
    expect(gh.list(repo, 7)).toHaveLength(231);
    // Pages were followed by the Link header: three GETs of 100/100/31 the second time.
    const gets = gh.requests.filter((r) => r.method === 'GET');
    expect(gets.length).toBe(6);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);

    const third = await writePrComment({
      apiUrl: gh.url,
      token: gh.token,
      repo,
      prNumber: 7,
      body: facts({ deployType: 'dags-only', imageTag: undefined, dagTarballVersion: 'v2' }),
      marker,
      log: silentLog,
    });
    expect(third.action).toBe('unchanged');
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  test('a comment for another base is left alone', async () => {
    const other = liveCommentMarker('base2');
    gh.seed(repo, 3, `${other}\nsomething`, 'github-actions[bot]');
    const r = await writePrComment({
      apiUrl: gh.url,
      token: gh.token,
      repo,
      prNumber: 3,
      body: 'hello',
      marker,
      log: silentLog,
    });
    expect(r.action).toBe('created');
    const cs = gh.list(repo, 3);
    expect(cs).toHaveLength(2);
    expect(cs[0].body).toBe(`${other}\nsomething`);
    expect(cs[1].body).toBe(`${marker}\nhello`);
  });

  test.each([
    {
      title: 'write denied',
      setup: (g: GitHubStandIn) => {
        g.writeDenied = true;
      },
      token: undefined as string | undefined,
      want: /Could not post the comment on pull request #5 \(HTTP 403: Resource not accessible by integration\).*pull-requests: write/,
    },
    {
      title: 'bad token',
      setup: () => {},
      token: 'wrong',
      want: /Could not read the comments of pull request #5 \(HTTP 401: Bad credentials\).*not valid/,
    },
    {
      title: 'bad repo',
      setup: () => {},
      token: undefined,
      repo: 'nope',
      want: /"nope" is not an owner\/name repository/,
    },
  ])('failure is a warning, never a throw: $title', async ({ setup, token, want, ...rest }) => {
    setup(gh);
    const r = await writePrComment({
      apiUrl: gh.url,
      token: token ?? gh.token,
      repo: (rest as { repo?: string }).repo ?? repo,
      prNumber: 5,
      body: facts(),
      marker,
      log: silentLog,
    });
    expect(r.warning).toMatch(want);
    expect(r.warning).not.toContain(gh.token);
    expect(gh.list(repo, 5)).toHaveLength(0);
  });

  test("a comment that quotes our marker is somebody else's: ours is created beside it", async () => {
    const quoted = gh.seed(repo, 11, `Why does this say:\n\n\`\`\`\n${marker}\n\`\`\``, 'reviewer');
    const r = await writePrComment({
      apiUrl: gh.url,
      token: gh.token,
      repo,
      prNumber: 11,
      body: facts(),
      marker,
      log: silentLog,
    });
    expect(r.action).toBe('created');
    const all = gh.list(repo, 11);
    expect(all).toHaveLength(2);
    expect(all[0]).toEqual(quoted);
    expect(all[1].body.startsWith(marker)).toBe(true);
  });

  test('update denied is a warning and the old comment stays', async () => {
    gh.seed(repo, 9, `${marker}\nold`, 'github-actions[bot]');
    gh.writeDenied = true;
    const r = await writePrComment({
      apiUrl: gh.url,
      token: gh.token,
      repo,
      prNumber: 9,
      body: facts(),
      marker,
      log: silentLog,
    });
    expect(r.warning).toMatch(/^Could not update the comment on pull request #9 \(HTTP 403/);
    expect(gh.list(repo, 9)[0].body).toBe(`${marker}\nold`);
  });

  test('an unreachable API is a warning', async () => {
    const url = gh.url;
    await gh.close();
    const r = await writePrComment({
      apiUrl: url,
      token: 't',
      repo,
      prNumber: 1,
      body: 'x',
      marker,
      log: silentLog,
      timeoutMs: 2000,
    });
    expect(r.warning).toMatch(/^Could not read the comments of pull request #1/);
    gh = await startGitHubApi(); // for afterEach
  });
});
