// The pull-request lookup of cleanup-previews against the local GitHub API stand-in: the
// query (head=owner:branch, state=all), an open pull request found on a later page, only the
// branch's own pull requests counting, and the one sentence when GitHub cannot tell.
import { createPullLookup, pullLookup } from '../../src/github/pulls.js';
import { githubClient } from '../../src/github/octokit.js';
import { recordingLog } from '../../src/platform/log.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';

let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubApi({ maxPerPage: 2 });
});
afterEach(async () => {
  await gh.close();
});

async function lookup(token = gh.token) {
  const octokit = await githubClient({
    token,
    apiUrl: gh.url,
    log: recordingLog(),
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
  });
  return pullLookup(octokit, 'acme', 'airflow');
}

test('an open pull request behind closed ones (pages of 2) keeps the branch', async () => {
  gh.seedPull('acme/airflow', 'feature/x', 'open');
  for (let i = 0; i < 4; i++) gh.seedPull('acme/airflow', 'feature/x', 'closed');
  gh.seedPull('acme/airflow', 'feature/y', 'open');
  expect(await (await lookup())('feature/x')).toEqual({ open: 1 });
  const asked = gh.requests.map((q) => q.path);
  expect(asked.length).toBeGreaterThanOrEqual(3);
  expect(asked[0]).toMatch(/^\/repos\/acme\/airflow\/pulls\?/);
  const q = new URL(asked[0], 'http://x').searchParams;
  expect([q.get('head'), q.get('state')]).toEqual(['acme:feature/x', 'all']);
});

test.each([
  [
    'only closed ones: the newest closed',
    [
      ['feature/x', 'closed'],
      ['feature/x', 'closed'],
    ],
    { closed: 2 },
  ],
  ['none at all', [], {}],
  ["another branch's open one does not count", [['feature/x-2', 'open']], {}],
] as const)('%s', async (_name, seeded, expected) => {
  for (const [branch, state] of seeded) gh.seedPull('acme/airflow', branch, state);
  expect(await (await lookup())('feature/x')).toEqual(expected);
});

test.each([
  [403, 'Resource not accessible by integration', /permissions: pull-requests: read/],
  [401, 'Bad credentials', /The github-token is not valid\./],
])(
  'HTTP %i: one sentence that the preview is kept, and what to do',
  async (status, message, hint) => {
    gh.fail('GET', /\/pulls$/, status, 5, { message });
    await expect((await lookup())('feature/x')).rejects.toThrow(
      new RegExp(
        `^Could not read the pull requests of branch feature/x \\(HTTP ${status}: ${message}\\), so its preview is kept\\.`,
      ),
    );
    await expect((await lookup())('feature/x')).rejects.toThrow(hint);
  },
);

test('no lookup without a token or an owner/name repository, and why', async () => {
  const log = recordingLog();
  expect(
    await createPullLookup({ token: '', env: { GITHUB_REPOSITORY: 'acme/airflow' }, log }),
  ).toEqual({
    without: "'github-token' is empty",
  });
  expect(await createPullLookup({ token: gh.token, env: {}, log })).toEqual({
    without: 'GITHUB_REPOSITORY is not set',
  });
  const made = await createPullLookup({
    token: gh.token,
    env: { GITHUB_REPOSITORY: 'acme/airflow', GITHUB_API_URL: gh.url },
    log,
  });
  gh.seedPull('acme/airflow', 'b', 'open');
  expect(await made.lookup!('b')).toEqual({ open: 1 });
});
