// GitHub deployments and the live pull-request comment end to end: the bundled action, run
// the way a runner runs it, against the emulator and the GitHub API stand-in over loopback
// (GITHUB_API_URL): what a push deploy, a failing deploy, a pull request's preview and its
// close leave on GitHub, a token without `deployments: write`, the opt-out, and a dry run.
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { runAction, runPush, type RunResult, ok } from '../support/action.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let gh: GitHubStandIn;
let repo: TestRepo;
let analytics: string;

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  gh = await startGitHubApi({ token: 'ghs_deployments_token_0123456789' });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
});
afterEach(async () => {
  await gh.close();
  await emu.close();
  repo.cleanup();
});

const RUN_ID = '4242';
/** The runner's view of GitHub: the stand-in's API, the run's id; the token as a secret. */
const github = (env: Record<string, string> = {}) => ({
  env: {
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_RUN_ID: RUN_ID,
    ...env,
  },
  secrets: [gh.token],
});
const runLink = `https://github.example/acme/airflow/actions/runs/${RUN_ID}`;

const warnings = (r: RunResult) => r.annotations.filter((l) => l.startsWith('::warning'));
const writes = () => gh.requests.filter((q) => q.method !== 'GET');
const deploymentRequests = () => gh.requests.filter((q) => q.path.includes('/deployments'));

function prEvent(action: string, branch: string, head: string) {
  return {
    eventName: 'pull_request',
    sha: head,
    ref: 'refs/pull/7/merge',
    event: {
      action,
      number: 7,
      pull_request: {
        number: 7,
        head: { ref: branch, sha: head },
        base: { ref: 'main', sha: head },
        merged: false,
      },
    },
  };
}

function runPr(
  action: string,
  branch: string,
  sha: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
) {
  return runAction({
    inputs: {
      'deployment-id': analytics,
      'deploy-type': 'dags-only',
      'wait-time': '30s',
      'github-token': gh.token,
      action: 'preview',
      ...inputs,
    },
    token: emu.token,
    apiUrl: emu.url,
    workspace: action === 'closed' ? repo.emptyWorkspace() : repo.checkout(sha),
    serverUrl: repo.serverUrl,
    ...prEvent(action, branch, sha),
    ...github(env),
  });
}

describe('a push deploy', () => {
  test('is a GitHub deployment in the Deployment-named environment: in_progress → success with the Astro page and the run', async () => {
    const sha = repo.commit(astroProject());
    repo.push();
    const r = ok(
      await runPush(
        { emu, repo },
        sha,
        { 'deployment-id': analytics, 'deploy-type': 'dags-only', 'github-token': gh.token },
        github(),
      ),
    );
    expect(r.outputs['deploy-type']).toBe('dags-only');
    expect(warnings(r)).toEqual([]);
    const [d, ...more] = gh.deployments;
    expect(more).toEqual([]);
    expect(d).toMatchObject({
      repo: 'acme/airflow',
      environment: 'analytics',
      ref: sha,
      sha,
      transient_environment: false,
    });
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'success']);
    for (const st of d.statuses) {
      expect(st.environment_url).toBe(r.outputs['deployment-url']);
      expect(st.log_url).toBe(runLink);
    }
    // Not a pull request: no comment.
    expect(gh.requests.filter((q) => q.path.includes('/comments'))).toEqual([]);

    // Nothing changed: the skipped run records no deployment.
    const again = ok(
      await runPush(
        { emu, repo },
        sha,
        { 'deployment-id': analytics, 'deploy-type': 'dags-only', 'github-token': gh.token },
        github(),
      ),
    );
    expect(again.outputs.skipped).toBe('true');
    expect(gh.deployments).toHaveLength(1);
  });

  test('that fails: the GitHub deployment is marked failure with the failure’s sentence', async () => {
    const sha = repo.commit(astroProject());
    repo.push();
    // The built image runs an older Runtime than the Deployment: refused after the build.
    const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_RUNTIME: '3.0-5' };
    const r = await runPush(
      { emu, repo },
      sha,
      { 'deployment-id': analytics, 'deploy-type': 'image-and-dags', 'github-token': gh.token },
      github(env),
    );
    expect(r.code).toBe(1);
    const [d, ...more] = gh.deployments;
    expect(more).toEqual([]);
    expect(d.environment).toBe('analytics');
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'failure']);
    const failed = d.statuses[1];
    expect(failed.description).toMatch(
      /^The image's Astro Runtime 3\.0-5 is older than the 3\.0-7/,
    );
    expect(failed.description.length).toBeLessThanOrEqual(140);
    expect(failed.log_url).toBe(runLink);
    expect(r.outputs.reason.startsWith(failed.description.replace(/…$/, ''))).toBe(true);
  });

  test('a token without deployments: write is one warning, and the deploy succeeds', async () => {
    gh.deploymentsDenied = true;
    const sha = repo.commit(astroProject());
    repo.push();
    const r = ok(
      await runPush(
        { emu, repo },
        sha,
        { 'deployment-id': analytics, 'deploy-type': 'dags-only', 'github-token': gh.token },
        github(),
      ),
    );
    expect(r.outputs['deploy-type']).toBe('dags-only');
    const w = warnings(r).filter((l) => /deployments: write/.test(l));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/HTTP 403/);
    // One refused create, then nothing more for the rest of the run.
    expect(deploymentRequests().map((q) => `${q.method} ${q.path}`)).toEqual([
      'POST /repos/acme/airflow/deployments',
    ]);
    expect(gh.deployments).toEqual([]);
  });

  test('github-deployments: false sends no deployment requests', async () => {
    const sha = repo.commit(astroProject());
    repo.push();
    const r = ok(
      await runPush(
        { emu, repo },
        sha,
        {
          'deployment-id': analytics,
          'deploy-type': 'dags-only',
          'github-token': gh.token,
          'github-deployments': 'false',
        },
        github(),
      ),
    );
    expect(r.outputs['deploy-type']).toBe('dags-only');
    expect(gh.requests).toEqual([]);
  });
});

describe('a pull request preview', () => {
  test('opened: environment preview/<branch>, transient, one comment edited deploying → success; closed: inactive and "deleted"', async () => {
    emu.state.patchDeployment(analytics, {
      environmentVariables: [{ key: 'API_KEY', isSecret: true }],
    });
    const sha = repo.commit(astroProject());
    repo.push('feat/live');
    const inputs = { 'pr-comment': 'true', 'copy-connections': 'false' };
    const opened = ok(await runPr('opened', 'feat/live', sha, inputs));
    expect(opened.outputs['deploy-type']).toBe('dags-only');

    const [d, ...more] = gh.deployments;
    expect(more).toEqual([]);
    expect(d).toMatchObject({
      environment: 'preview/feat/live',
      ref: sha,
      transient_environment: true,
    });
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'success']);
    expect(d.statuses[1].environment_url).toBe(opened.outputs['deployment-url']);

    // One comment: posted as "deploying" before the preview is created (no page yet), edited
    // with its page once the deploy starts, then to success.
    const comments = gh.requests.filter((q) => q.path.includes('/comments') && q.method !== 'GET');
    expect(comments.map((q) => q.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    const bodyOf = (q: { body?: unknown }) => (q.body as { body: string }).body;
    expect(bodyOf(comments[0])).toMatch(/### Deploying to Astro: `feat-live_analytics`/);
    expect(bodyOf(comments[1])).toMatch(/### Deploying to Astro: \[feat-live_analytics\]/);
    const [comment, ...others] = gh.list('acme/airflow', 7);
    expect(others).toEqual([]);
    expect(comment.body).toMatch(/### Deployed to Astro: \[feat-live_analytics\]/);
    expect(comment.body).toContain(opened.outputs['deployment-url']);
    expect(comment.body).toContain('| Deployed | `dags-only` |');
    expect(comment.body).toContain(sha.slice(0, 12));
    // What the preview lacks is said in the comment too.
    expect(comment.body).toMatch(/Secret environment variables not copied.*`API_KEY`/);
    expect(comment.body).toContain(`[Workflow run](${runLink})`);

    // A push that changes nothing the preview runs: no deployment, the comment says up to date.
    const readme = repo.commit({ 'README.md': 'notes\n' });
    repo.push('feat/live');
    const same = ok(await runPr('synchronize', 'feat/live', readme, inputs));
    expect(same.outputs.skipped).toBe('true');
    expect(gh.deployments).toHaveLength(1);
    expect(gh.list('acme/airflow', 7)).toHaveLength(1);
    expect(gh.list('acme/airflow', 7)[0].body).toMatch(
      new RegExp(
        `### Up to date on Astro: [^\\n]*\\n\\n.*nothing to deploy for commit \`${readme.slice(0, 12)}\``,
      ),
    );

    ok(await runPr('closed', 'feat/live', sha, inputs));
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'success', 'inactive']);
    const closed = gh.list('acme/airflow', 7);
    expect(closed).toHaveLength(1);
    expect(closed[0].id).toBe(comment.id);
    expect(closed[0].body).toMatch(/### Astro preview deleted: `feat-live_analytics`/);
  });

  test('a failing deploy: the deployment → failure, the comment → failure with the sentence and the run link', async () => {
    const sha = repo.commit(astroProject());
    repo.push('feat/bad');
    // The built image runs an older Runtime than the preview: refused after the build.
    const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_RUNTIME: '3.0-5' };
    const inputs = { 'pr-comment': 'true', 'copy-connections': 'false' };
    const r = await runPr(
      'opened',
      'feat/bad',
      sha,
      { ...inputs, 'deploy-type': 'image-and-dags' },
      env,
    );
    expect(r.code).toBe(1);
    const [d] = gh.deployments;
    expect(d.environment).toBe('preview/feat/bad');
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'failure']);
    expect(d.statuses[1].description).toMatch(/^The image's Astro Runtime 3\.0-5 is older/);
    const [comment, ...others] = gh.list('acme/airflow', 7);
    expect(others).toEqual([]);
    expect(comment.body).toMatch(/### Astro deploy failed: \[feat-bad_analytics\]/);
    expect(comment.body).toMatch(/^> The image's Astro Runtime 3\.0-5 is older/m);
    expect(comment.body).toContain(`[Workflow run](${runLink})`);
  });

  test('a preview that fails before its deploy: the comment posted at the start says failed; no GitHub deployment', async () => {
    // The preview's Airflow API never answers, so its objects cannot be copied within wait-time.
    await emu.close();
    emu = await startEmulator({
      createDelayMs: 20,
      rolloutDelayMs: 20,
      airflowApiDelayMs: 600_000,
    });
    analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
    const sha = repo.commit(astroProject());
    repo.push('feat/slow');
    const r = await runPr('opened', 'feat/slow', sha, { 'pr-comment': 'true', 'wait-time': '3s' });
    expect(r.code).toBe(1);
    expect(gh.deployments).toEqual([]);
    const [comment, ...others] = gh.list('acme/airflow', 7);
    expect(others).toEqual([]);
    expect(comment.body).toMatch(/### Astro deploy failed: `feat-slow_analytics`/);
    expect(comment.body).toMatch(
      /^> The Airflow API of feat-slow_analytics .* still answered 404/m,
    );
    expect(comment.body).toContain(`[Workflow run](${runLink})`);
  });

  test('a dry run writes nothing to GitHub', async () => {
    const sha = repo.commit(astroProject());
    repo.push('feat/dry');
    const r = ok(
      await runPr('opened', 'feat/dry', sha, { 'pr-comment': 'true', 'dry-run': 'true' }),
    );
    expect(r.outputs.skipped).toBe('true');
    expect(r.stdout).toMatch(
      /Dry run: nothing is written to GitHub \(github-deployments and pr-comment\)/,
    );
    expect(writes()).toEqual([]);
    ok(await runPr('closed', 'feat/dry', sha, { 'pr-comment': 'true', 'dry-run': 'true' }));
    expect(writes()).toEqual([]);
  });
});
