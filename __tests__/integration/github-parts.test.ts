// The GitHub parts of a run, made from the inputs and the runner's environment, against the
// local GitHub API stand-in: what is on works end to end; what is off says why, once.
import { recordingLog } from '../../src/platform/log.js';
import { createGitHubParts, type GitHubPartsOptions } from '../../src/github/parts.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';

let gh: GitHubStandIn;
beforeEach(async () => {
  gh = await startGitHubApi();
});
afterEach(async () => {
  await gh.close();
});

const env = () => ({
  GITHUB_API_URL: gh.url,
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_REPOSITORY: 'acme/pipelines',
  GITHUB_RUN_ID: '42',
});

test('on: a deployment and a comment of one pull request, through GITHUB_API_URL', async () => {
  const log = recordingLog();
  const parts = await createGitHubParts({
    token: gh.token,
    deployments: true,
    prComment: true,
    prNumber: 8,
    env: env(),
    log,
    retry: { baseDelayMs: 1 },
  });
  expect(parts.runUrl).toBe('https://github.example/acme/pipelines/actions/runs/42');
  const h = await parts.deployments!.start({
    environment: 'preview/feat',
    ref: 'a'.repeat(40),
    transient: true,
    logUrl: parts.runUrl,
  });
  await parts.comment!.write({
    state: 'deploying',
    base: { id: 'clbase1', name: 'prod' },
    target: { name: 'feat_prod' },
    preview: true,
    runUrl: parts.runUrl,
  });
  await h.success({ environmentUrl: 'https://cloud.example/d/1' });
  expect(gh.statesOf(h.id!)).toEqual(['in_progress', 'success']);
  expect(gh.deployments[0].statuses[0].log_url).toBe(parts.runUrl);
  expect(gh.list('acme/pipelines', 8)).toHaveLength(1);
  expect(log.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
});

test.each<
  [string, Partial<GitHubPartsOptions>, Record<string, string | undefined>, RegExp | undefined]
>([
  ['both off', { deployments: false, prComment: false }, {}, undefined],
  [
    'no pull request: no comment, said so',
    { deployments: false, prNumber: undefined },
    {},
    undefined,
  ],
  ['dry run', { dryRun: true }, {}, undefined],
  [
    'no token',
    { token: '' },
    {},
    /^warning: github-deployments and pr-comment are on but 'github-token' is empty/,
  ],
  [
    'no repository',
    { prComment: false },
    { GITHUB_REPOSITORY: undefined },
    /^warning: github-deployments is on but GITHUB_REPOSITORY is not set/,
  ],
])('off: %s', async (_t, over, envOver, warning) => {
  const log = recordingLog();
  const parts = await createGitHubParts({
    token: gh.token,
    deployments: true,
    prComment: true,
    prNumber: 8,
    env: { ...env(), ...envOver },
    log,
    ...over,
  });
  expect(parts.deployments).toBeUndefined();
  expect(parts.comment).toBeUndefined();
  const warnings = log.lines.filter((l) => l.startsWith('warning:'));
  if (warning) {
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(warning);
  } else expect(warnings).toEqual([]);
  if (over.dryRun)
    expect(log.lines).toContain(
      'info: Dry run: nothing is written to GitHub (github-deployments and pr-comment).',
    );
  if ('prNumber' in over)
    expect(log.lines).toContain(
      'info: pr-comment is true but this run is not for a pull request, so no comment.',
    );
  expect(gh.requests).toEqual([]);
});
