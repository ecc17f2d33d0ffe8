// Pure parts of the GitHub building blocks: the live PR comment's bodies and Markdown escaping,
// deployment status descriptions, environments, the run link and the retry kind of a method.
import {
  liveCommentBody,
  liveCommentMarker,
  type LiveCommentFacts,
} from '../../src/github/live-comment.js';
import { cell, mdCode, mdUrl } from '../../src/report/markdown.js';
import { previewEnvironment, runUrl, statusDescription } from '../../src/github/deployments.js';
import { kindOf, toGitHubApiError } from '../../src/github/octokit.js';

const base = { id: 'clbase1', name: 'prod' };
const facts = (over: Partial<LiveCommentFacts>): LiveCommentFacts => ({
  state: 'deploying',
  base,
  target: { id: 'clprev1', name: 'feature-x_prod', url: 'https://cloud.example/d/clprev1' },
  preview: true,
  branch: 'feature/x',
  commitSha: '0123456789abcdef0123456789abcdef01234567',
  runUrl: 'https://github.example/acme/p/actions/runs/42',
  ...over,
});

describe('liveCommentBody', () => {
  test.each<[string, Partial<LiveCommentFacts>, (string | RegExp)[], (string | RegExp)[]]>([
    [
      'deploying',
      {},
      [
        '### Deploying to Astro: [feature-x_prod](https://cloud.example/d/clprev1)',
        'Preview of `prod` (`clbase1`): deploying commit `0123456789ab` of branch `feature/x` …',
        '[Workflow run](https://github.example/acme/p/actions/runs/42)',
      ],
      ['| Deployment |', '> '],
    ],
    [
      'success',
      { state: 'success', deployType: 'dags-only', reason: 'Only dags/ changed.', deployId: 'd1' },
      [
        '### Deployed to Astro: [feature-x_prod](https://cloud.example/d/clprev1)',
        'deployed commit `0123456789ab` of branch `feature/x`.',
        '| Deployment | `clprev1` |',
        '| Deployed | `dags-only` |',
        '| Why | Only dags/ changed. |',
        '| Deploy | `d1` |',
      ],
      ['> '],
    ],
    [
      'failure with its sentence',
      {
        state: 'failure',
        error: 'The DAG check failed: dags/a.py line 3 | *boom* <script>.',
      },
      [
        '### Astro deploy failed: [feature-x_prod](https://cloud.example/d/clprev1)',
        'the deploy of commit `0123456789ab` of branch `feature/x` failed.',
        '> The DAG check failed: dags/a.py line 3 \\| \\*boom\\* &lt;script&gt;.',
        '[Workflow run](https://github.example/acme/p/actions/runs/42)',
      ],
      ['<script>'],
    ],
    [
      'deleted: no link to a Deployment that is gone',
      { state: 'deleted' },
      [
        '### Astro preview deleted: `feature-x_prod`',
        'the preview was deleted with the pull request.',
      ],
      ['https://cloud.example', '| Deployment |'],
    ],
    [
      'a base deploy (no preview), no URL, no commit',
      {
        state: 'success',
        preview: false,
        target: { id: 'clbase1', name: 'prod' },
        commitSha: undefined,
        branch: undefined,
        runUrl: undefined,
      },
      ['### Deployed to Astro: `prod`', 'Deployment `prod` (`clbase1`): deployed.'],
      ['Workflow run', 'Preview of'],
    ],
    [
      'what went live, and what a new preview lacks (said on every state but deleted)',
      {
        state: 'success',
        deployType: 'image-and-dags',
        imageTag: 'deploy-1',
        dagTarballVersion: 'v2',
        omittedSecrets: ['API_KEY', 'TOKEN'],
        connectionsWithoutPassword: ['pg'],
      },
      [
        '| Image tag | `deploy-1` |',
        '| DAG tarball | `v2` |',
        'Secret environment variables not copied from the base (set them on the preview): `API_KEY`, `TOKEN`.',
        'Connections copied without a password: `pg`.',
      ],
      [],
    ],
    [
      'deleted: what the preview lacked is not said any more',
      { state: 'deleted', omittedSecrets: ['API_KEY'], connectionsWithoutPassword: ['pg'] },
      ['### Astro preview deleted'],
      ['API_KEY', '`pg`'],
    ],
    [
      'unchanged: nothing to deploy for this commit, and why',
      { state: 'unchanged', deployType: 'none', reason: 'Only README.md changed.' },
      [
        '### Up to date on Astro: [feature-x_prod](https://cloud.example/d/clprev1)',
        'Preview of `prod` (`clbase1`): nothing to deploy for commit `0123456789ab` of branch `feature/x`.',
        '| Deployed | `none` |',
        '| Why | Only README.md changed. |',
      ],
      ['> '],
    ],
    [
      'a javascript: URL is not linked',
      { target: { name: 'x', url: 'javascript:alert(1)' }, runUrl: 'javascript:alert(2)' },
      ['### Deploying to Astro: `x`'],
      ['javascript:'],
    ],
    [
      'a name with backticks and brackets cannot break out',
      { target: { name: 'a`b](http://evil)' }, state: 'deploying' },
      ['### Deploying to Astro: ``a`b](http://evil)``'],
      [],
    ],
  ])('%s', (_t, over, want, notWant) => {
    const body = liveCommentBody(facts(over));
    expect(body.startsWith(liveCommentMarker('clbase1') + '\n')).toBe(true);
    for (const w of want) expect(body).toContain(w);
    for (const n of notWant) expect(body).not.toContain(n);
    // The marker is the only HTML comment: nothing in the facts can close or fake one.
    expect(body.match(/<!--/g)).toHaveLength(1);
  });

  test('the marker carries the base id and cannot be closed by it', () => {
    expect(liveCommentMarker('cl1')).toBe('<!-- astro-deploy-action pr-comment base=cl1 -->');
    expect(liveCommentMarker('a -->b')).toBe(
      '<!-- astro-deploy-action pr-comment base=a%20--%3Eb -->',
    );
    expect(liveCommentMarker('a')).not.toBe(liveCommentMarker('b'));
  });
});

describe('markdown helpers', () => {
  test.each([
    ['plain text.', 'plain text.'],
    [
      '*bold* _it_ `code` [l](u) #h |c| ~s~ !',
      '\\*bold\\* \\_it\\_ \\`code\\` \\[l\\]\\(u\\) \\#h \\|c\\| \\~s\\~ \\!',
    ],
    ['<!-- x --> & y', '&lt;\\!-- x --&gt; &amp; y'],
    ['two\nlines\r\nhere', 'two lines here'],
    ['back\\slash', 'back\\\\slash'],
  ])('cell(%j)', (input, want) => {
    expect(cell(input)).toBe(want);
  });

  test.each([
    ['abc', '`abc`'],
    ['a`b', '``a`b``'],
    ['`a', '`` `a ``'],
    ['a\nb', '`a b`'],
  ])('mdCode(%j)', (input, want) => {
    expect(mdCode(input)).toBe(want);
  });

  test.each([
    ['https://x.example/a(b)', 'https://x.example/a%28b%29'],
    ['http://127.0.0.1:8080/p', 'http://127.0.0.1:8080/p'],
    ['javascript:alert(1)', undefined],
    ['https://x.example/a b', undefined],
    [undefined, undefined],
    ['', undefined],
  ])('mdUrl(%j)', (input, want) => {
    expect(mdUrl(input)).toBe(want);
  });
});

describe('deployment helpers', () => {
  test.each([
    [undefined, undefined],
    ['Deploying prod.', 'Deploying prod.'],
    ['a\n  b', 'a b'],
    ['x'.repeat(140), 'x'.repeat(140)],
    ['x'.repeat(141), 'x'.repeat(139) + '…'],
  ])('statusDescription(%j) fits GitHub’s 140 characters', (input, want) => {
    const got = statusDescription(input);
    expect(got).toBe(want);
    if (got) expect(got.length).toBeLessThanOrEqual(140);
  });

  test.each([
    ['feature/x', 'preview/feature/x'],
    ['refs/heads/main', 'preview/main'],
  ])('previewEnvironment(%j)', (branch, want) => {
    expect(previewEnvironment(branch)).toBe(want);
  });

  test.each([
    [
      { GITHUB_SERVER_URL: 'https://ghe.example/', GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7' },
      'https://ghe.example/a/b/actions/runs/7',
    ],
    [{ GITHUB_REPOSITORY: 'a/b', GITHUB_RUN_ID: '7' }, 'https://github.com/a/b/actions/runs/7'],
    [{ GITHUB_REPOSITORY: 'a/b' }, undefined],
  ])('runUrl(%j)', (env, want) => {
    expect(runUrl(env as NodeJS.ProcessEnv)).toBe(want);
  });
});

describe('GitHub retry rules', () => {
  test.each([
    ['GET', 'safe'],
    ['get', 'safe'],
    ['PATCH', 'idempotent'],
    ['POST', 'once'],
  ])('%s is %s', (method, kind) => {
    expect(kindOf(method)).toBe(kind);
  });

  test.each([
    [
      'HTTP reply',
      { status: 502, response: { status: 502, data: { message: 'Bad gateway' }, headers: {} } },
      { status: 502, message: 'HTTP 502: Bad gateway' },
    ],
    [
      'Retry-After',
      { status: 429, response: { status: 429, data: '', headers: { 'retry-after': '2' } } },
      { status: 429, retryAfterMs: 2000 },
    ],
    [
      'a secondary rate limit is "later", not a missing permission',
      {
        status: 403,
        response: {
          status: 403,
          data: { message: 'You have exceeded a secondary rate limit.' },
          headers: { 'retry-after': '60' },
        },
      },
      {
        status: 429,
        retryAfterMs: 60_000,
        message: 'HTTP 403: You have exceeded a secondary rate limit.',
      },
    ],
    [
      'a spent primary rate limit waits for its reset',
      {
        status: 403,
        response: {
          status: 403,
          data: { message: 'API rate limit exceeded for installation.' },
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '30' },
        },
      },
      { status: 429, retryAfterMs: 20_000 },
    ],
    [
      'a plain 403 stays a 403',
      {
        status: 403,
        response: {
          status: 403,
          data: { message: 'Resource not accessible by integration' },
          headers: { 'x-ratelimit-remaining': '4999' },
        },
      },
      { status: 403, retryAfterMs: undefined },
    ],
    [
      'network error',
      { status: 500, message: 'fetch failed', cause: { code: 'ECONNREFUSED' } },
      { status: 0, message: 'fetch failed (ECONNREFUSED)' },
    ],
    [
      'timeout',
      { status: 500, message: 'x', cause: { name: 'TimeoutError' } },
      { status: 0, message: 'no reply within 5 s', timedOut: true },
    ],
  ])('toGitHubApiError: %s', (_t, err, want) => {
    expect(toGitHubApiError(err, 5000, 10_000)).toMatchObject(want);
  });
});
