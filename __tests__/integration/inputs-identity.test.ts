// Inputs, forks and our identity on the wire, through the bundled action against the
// emulator: a wrong root-folder or dags-path is an error (a dry run's too), a pull request
// from a fork without ASTRO_API_TOKEN is skipped, every request names this action and its
// version, a query on webServerAirflowApiUrl is cut, and a pull request's deploy names the
// PR's head commit, not GitHub's merge commit.
import fs from 'node:fs';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type RunResult } from '../support/action.js';
import { TestRepo, astroProject, git } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let analytics: string;

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20, airflowUrlQuery: 'orgId=o1' });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

interface Run {
  inputs?: Record<string, string>;
  eventName?: string;
  event?: Record<string, unknown>;
  sha?: string;
  token?: string;
  workspace?: string;
  env?: Record<string, string>;
}

async function run(o: Run = {}): Promise<RunResult> {
  const sha = o.sha ?? repo.head();
  return runAction({
    inputs: { 'deployment-id': analytics, 'wait-time': '30s', ...o.inputs },
    token: o.token ?? emu.token,
    apiUrl: emu.url,
    workspace: o.workspace ?? repo.checkout(sha),
    eventName: o.eventName ?? 'push',
    event: o.event ?? { ref: 'refs/heads/main' },
    sha,
    serverUrl: repo.serverUrl,
    secrets: [emu.token],
    env: o.env,
  });
}

function errorOf(r: RunResult): string {
  if (r.code === 0) throw new Error(`action succeeded but should have failed:\n${r.stdout}`);
  expect(r.code).toBe(1);
  const errors = r.annotations.filter((l) => l.startsWith('::error'));
  expect(errors).toHaveLength(1);
  return decodeURIComponent(errors[0].replace(/^::error[^:]*::/, ''));
}

const writes = () => emu.state.requests.filter((q) => q.method !== 'GET');

/** An Astro project in astro/, deployed once (so an unchanged root-folder reads "nothing changed"). */
function projectInAstroFolder(): string {
  const first = repo.commit(
    { ...astroProject('astro'), 'README.md': '# data platform\n' },
    'Initial project',
  );
  emu.state.addDeploy(analytics, {
    type: 'IMAGE_AND_DAG',
    status: 'DEPLOYED',
    git: { provider: 'GENERIC', commitSha: first, remoteUrl: 'file:///acme/airflow' },
  });
  const sha = repo.commit({ 'astro/dags/orders.py': 'O = 1\n' }, 'Add the orders DAG');
  repo.push();
  return sha;
}

describe('root-folder and dags-path are checked against the commit', () => {
  test.each([
    ['a deploy', 'false'],
    ['a dry run', 'true'],
  ])(
    '%s with a typo in root-folder fails naming the near match, and changes nothing',
    async (_n, dry) => {
      const sha = projectInAstroFolder();
      emu.state.clearRequests();
      const r = await run({ inputs: { 'root-folder': 'astr0', 'dry-run': dry } });
      expect(errorOf(r)).toBe(
        `Input 'root-folder' is 'astr0', which is not a folder in commit ${sha.slice(0, 7)}; did you mean 'astro'? Set root-folder: astro.`,
      );
      // Nothing was deployed (INTERFACE: skipped is true then), and reason says why.
      expect(r.outputs.skipped).toBe('true');
      expect(r.outputs.reason).toBe(errorOf(r));
      expect(writes()).toEqual([]);
    },
  );

  test('root-folder left empty while the project is in astro/ says where it is', async () => {
    const sha = projectInAstroFolder();
    const r = await run({ inputs: { 'dry-run': 'true' } });
    expect(errorOf(r)).toBe(
      `Input 'root-folder' is empty (the repository's top level), which holds neither a Dockerfile nor a dags folder in commit ${sha.slice(0, 7)}; the repository has \`astro/Dockerfile\`: set root-folder: astro.`,
    );
  });

  test('a typo in dags-path fails before deciding, in a dry run too', async () => {
    const sha = projectInAstroFolder();
    const r = await run({
      inputs: {
        'root-folder': 'astro',
        'dags-path': 'dag',
        'deploy-type': 'dags-only',
        'dry-run': 'true',
      },
    });
    expect(errorOf(r)).toBe(
      `Input 'dags-path' is 'dag', and astro/dag does not exist in commit ${sha.slice(0, 7)}, so there are no DAGs to deploy; did you mean 'dags'? Set dags-path: dags.`,
    );
  });

  test('the right root-folder still decides (nothing else changed)', async () => {
    projectInAstroFolder();
    const r = await run({ inputs: { 'root-folder': 'astro', 'dry-run': 'true' } });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'true' });
    expect(r.outputs.reason).toMatch(/would deploy dags-only/);
  });

  test('a DAG folder an earlier step of the job generated (not in the commit) counts', async () => {
    const sha = projectInAstroFolder();
    const workspace = repo.checkout(sha);
    fs.mkdirSync(`${workspace}/astro/generated`);
    fs.writeFileSync(`${workspace}/astro/generated/made.py`, 'M = 1\n');
    const r = await run({
      workspace,
      inputs: {
        'root-folder': 'astro',
        'dags-path': 'generated',
        'deploy-type': 'dags-only',
        'dry-run': 'true',
      },
    });
    expect(r.code).toBe(0);
    expect(r.annotations.filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(r.outputs.skipped).toBe('true');
  });

  test('create-deployment-preview with a typo in root-folder creates no preview', async () => {
    projectInAstroFolder();
    repo.push('feature/x');
    const before = emu.state.deployments().length;
    emu.state.clearRequests();
    for (const dry of ['true', 'false']) {
      const r = await run({
        inputs: {
          action: 'create-deployment-preview',
          'deploy-type': 'dags-only',
          'root-folder': 'astr0',
          'dry-run': dry,
        },
        eventName: 'create',
        event: { ref: 'feature/x', ref_type: 'branch' },
      });
      expect(errorOf(r)).toMatch(/^Input 'root-folder' is 'astr0', which is not a folder/);
    }
    expect(emu.state.deployments()).toHaveLength(before);
    expect(writes()).toEqual([]);
  });
});

describe('pull requests from forks', () => {
  const prFrom = (headRepo: string | null) => ({
    eventName: 'pull_request',
    event: {
      action: 'opened',
      number: 9,
      pull_request: {
        number: 9,
        head: { ref: 'patch-1', sha: repo.head(), repo: headRepo && { full_name: headRepo } },
        base: { ref: 'main', sha: repo.head(), repo: { full_name: 'acme/airflow' } },
      },
    },
  });

  test.each([
    ['a fork', 'someone/airflow'],
    ['a deleted fork', null],
  ])('from %s without ASTRO_API_TOKEN: skipped with a notice, exit 0', async (_n, headRepo) => {
    repo.commit(astroProject(), 'Initial project');
    repo.push();
    const r = await run({ token: '', inputs: { action: 'preview' }, ...prFrom(headRepo) });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ skipped: 'true', 'deploy-type': 'none' });
    expect(r.outputs.reason).toMatch(/comes from a fork, .* ASTRO_API_TOKEN is empty/);
    expect(r.outputs.reason).toContain(
      'github.event.pull_request.head.repo.full_name == github.repository',
    );
    expect(r.annotations.filter((l) => l.startsWith('::notice'))).toEqual([
      expect.stringContaining('comes from a fork'),
    ]);
    expect(r.annotations.filter((l) => l.startsWith('::error'))).toEqual([]);
    expect(emu.state.requests).toEqual([]);
  });

  test('from the same repository without ASTRO_API_TOKEN: still an error', async () => {
    repo.commit(astroProject(), 'Initial project');
    repo.push();
    const r = await run({ token: '', inputs: { action: 'preview' }, ...prFrom('acme/airflow') });
    expect(errorOf(r)).toMatch(/^ASTRO_API_TOKEN is not set/);
  });

  test('pull_request_target from a fork gets the secrets: an empty token stays an error', async () => {
    repo.commit(astroProject(), 'Initial project');
    repo.push();
    const r = await run({
      token: '',
      inputs: { action: 'preview' },
      ...prFrom('someone/airflow'),
      eventName: 'pull_request_target',
    });
    expect(errorOf(r)).toMatch(/^ASTRO_API_TOKEN is not set/);
  });

  test.each([
    ['a pull request', () => prFrom('acme/airflow')],
    ['a push', () => ({ eventName: 'push', event: { ref: 'refs/heads/dependabot/pip/x' } })],
  ])(
    'started by Dependabot (%s) without ASTRO_API_TOKEN: skipped with a notice naming the Dependabot secrets',
    async (_n, event) => {
      repo.commit(astroProject(), 'Initial project');
      repo.push();
      const r = await run({ token: '', env: { GITHUB_ACTOR: 'dependabot[bot]' }, ...event() });
      expect(r.code).toBe(0);
      expect(r.outputs).toMatchObject({ skipped: 'true', 'deploy-type': 'none' });
      expect(r.outputs.reason).toMatch(/was started by Dependabot, .* ASTRO_API_TOKEN is empty/);
      expect(r.outputs.reason).toContain('Dependabot secrets');
      expect(r.annotations.filter((l) => l.startsWith('::error'))).toEqual([]);
      expect(emu.state.requests).toEqual([]);
      // With the token (a Dependabot secret), Dependabot's runs deploy like any other.
      const dry = await run({
        env: { GITHUB_ACTOR: 'dependabot[bot]' },
        inputs: { 'deploy-type': 'dags-only', 'dry-run': 'true' },
      });
      expect(dry.code).toBe(0);
      expect(dry.outputs.reason).toMatch(/^dry run: would deploy/);
    },
  );

  test('from a fork, other inputs are still checked', async () => {
    repo.commit(astroProject(), 'Initial project');
    repo.push();
    const r = await run({
      token: '',
      inputs: { action: 'preview', 'deploy-type': 'everything' },
      ...prFrom('someone/airflow'),
    });
    expect(errorOf(r)).toMatch(/^Input 'deploy-type' is 'everything'/);
  });
});

describe('on the wire', () => {
  test('every Astro API request names this action and its version', async () => {
    const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version as string;
    repo.commit(astroProject(), 'Initial project');
    repo.push();
    const r = await run({ inputs: { 'deploy-type': 'dags-only', 'dry-run': 'true' } });
    expect(r.code).toBe(0);
    const astro = emu.state.requests.filter((q) => q.path.startsWith('/v1/'));
    expect(astro.length).toBeGreaterThan(0);
    for (const q of astro) {
      expect(q.client).toMatchObject({
        'x-astro-client-identifier': 'astro-deploy-action',
        'x-astro-client-version': version,
        'user-agent': `astro-deploy-action/${version}`,
      });
    }
    // The record keeps who the client is, never its credentials.
    expect(JSON.stringify(emu.state.requests)).not.toContain(emu.token);
  });

  test('a query on webServerAirflowApiUrl is cut: a new preview gets the Airflow objects', async () => {
    expect(emu.state.deployment(analytics)!.webServerAirflowApiUrl).toMatch(
      /\/api\/v\d\?orgId=o1$/,
    );
    repo.commit(astroProject(), 'Initial project');
    repo.push('feature/q');
    const r = await run({
      inputs: { action: 'create-deployment-preview', 'deploy-type': 'dags-only' },
      eventName: 'create',
      event: { ref: 'feature/q', ref_type: 'branch' },
    });
    if (r.code !== 0) throw new Error(r.stdout);
    const preview = emu.state.deployment('feature-q_analytics')!;
    const copied = emu.state.airflow(preview.id);
    expect([...copied.variables.keys()].sort()).toEqual(
      [...emu.state.airflow(analytics).variables.keys()].sort(),
    );
    expect(copied.connections.size).toBe(emu.state.airflow(analytics).connections.size);
  });

  test("a pull request's deploy names the PR's head commit, not GitHub's merge commit", async () => {
    repo.commit(astroProject(), 'Initial project');
    repo.push();
    // The PR branch: one commit by its author.
    git(repo.work, 'checkout', '-q', '-b', 'feature/orders');
    fs.writeFileSync(`${repo.work}/dags/orders.py`, 'O = 1\n');
    git(repo.work, 'add', '-A');
    git(
      repo.work,
      'commit',
      '-q',
      '--author=Pat Feature <pat@example.invalid>',
      '-m',
      'Add the orders DAG',
    );
    const head = repo.head();
    repo.push('feature/orders');
    // main moved on; GitHub's test merge of the PR into it is what GITHUB_SHA names.
    git(repo.work, 'checkout', '-q', 'main');
    const mainSha = repo.commit({ 'include/more.py': 'M = 1\n' }, 'Main moves on');
    repo.push();
    git(
      repo.work,
      'merge',
      '-q',
      '--no-ff',
      '-m',
      `Merge ${head} into ${mainSha}`,
      'feature/orders',
    );
    const merge = repo.head();
    git(repo.work, 'push', '-q', 'origin', `${merge}:refs/pull/7/merge`);

    const r = await run({
      sha: merge,
      inputs: { 'deploy-type': 'dags-only' },
      eventName: 'pull_request',
      event: {
        action: 'synchronize',
        number: 7,
        pull_request: {
          number: 7,
          head: { ref: 'feature/orders', sha: head },
          base: { ref: 'main', sha: mainSha },
        },
      },
    });
    if (r.code !== 0) throw new Error(r.stdout);
    const [deploy] = emu.state.deploys(analytics);
    expect(deploy.description).toBe('Add the orders DAG');
    expect(deploy.git).toMatchObject({
      commitSha: head,
      branch: 'feature/orders',
      authorName: 'Pat Feature',
    });
  });
});
