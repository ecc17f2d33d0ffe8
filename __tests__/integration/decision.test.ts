// The decision end to end: real repositories (bare origin, depth-1 checkouts, force pushes,
// renames, unicode names), the bundled action run as a runner runs it, in dry run against
// the emulator, which must see only reads.
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Deploy } from '../../src/astro/types.js';
import { runAction, type RunResult } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { TestRepo, astroProject, git } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let analytics: string; // DAG deploys enabled
let warehouse: string; // DAG deploys disabled

// A fresh emulator per test: each starts with an empty deploy history.
beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 10, rolloutDelayMs: 10 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  warehouse = emu.deployments.find((d) => d.name === 'warehouse')!.id;
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

let clock = Date.UTC(2026, 0, 1);
function seed(
  deploymentId: string,
  type: Deploy['type'],
  commitSha: string,
  status: Deploy['status'] = 'DEPLOYED',
  extra: Partial<Deploy> = {},
) {
  clock += 60_000;
  emu.state.addDeploy(deploymentId, {
    type,
    status,
    git: { provider: 'GENERIC', commitSha, remoteUrl: 'file:///acme/airflow' },
    createdAt: new Date(clock).toISOString(),
    ...extra,
  });
}

interface Dry {
  inputs?: Record<string, string>;
  eventName?: string;
  event?: Record<string, unknown>;
  sha?: string;
  workspace?: string;
  ref?: string;
  env?: Record<string, string>;
}

async function dryRun(o: Dry = {}): Promise<RunResult> {
  const sha = o.sha ?? repo.head();
  const before = emu.state.requests.length;
  const r = await runAction({
    inputs: { 'deployment-id': analytics, 'dry-run': 'true', ...o.inputs },
    token: emu.token,
    apiUrl: emu.url,
    workspace: o.workspace ?? repo.checkout(sha),
    eventName: o.eventName ?? 'workflow_dispatch',
    event: o.event ?? { ref: 'refs/heads/main' },
    sha,
    ref: o.ref,
    serverUrl: repo.serverUrl,
    // A dry run of an image deploy checks for Docker, as the real run would.
    env: { PATH: fakeDockerPath(path.join(repo.root, 'bin')), ...o.env },
  });
  const writes = emu.state.requests.slice(before).filter((q) => q.method !== 'GET');
  expect(writes).toEqual([]);
  return r;
}

function expectDecision(r: RunResult, kind: string, reason: RegExp) {
  if (r.code !== 0) throw new Error(`action failed:\n${r.stdout}\n${r.stderr}`);
  expect(r.outputs['deploy-type']).toBe(kind);
  expect(r.outputs.skipped).toBe('true'); // a dry run never deploys
  expect(r.outputs.reason).toMatch(reason);
  expect(r.summary).toContain(kind === 'none' ? '**none**' : `**${kind}**`);
}

const push = (before: string, after: string, extra: Record<string, unknown> = {}) => ({
  eventName: 'push',
  event: { ref: 'refs/heads/main', before, after, ...extra },
});

describe('baselines from deploy history', () => {
  test('never deployed and a new branch: everything deploys', async () => {
    const c1 = repo.commit(astroProject());
    repo.push();
    expectDecision(
      await dryRun(push('0'.repeat(40), c1, { created: true })),
      'image-and-dags',
      /no baseline/,
    );
  });

  test('only DAGs changed since the live deploy (depth-1 checkout fetches the baseline)', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/new_dag.py': 'x = 1\n' });
    repo.push();
    seed(analytics, 'IMAGE_AND_DAG', c1);
    const r = await dryRun(push(c1, c2));
    expectDecision(r, 'dags-only', /only DAGs changed: 1 DAG path/);
    expect(r.summary).toContain('new_dag.py');
    expect(r.summary).toContain('deploy history');
  });

  test('image paths changed', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'requirements.txt': 'pandas\n', 'dags/a.py': '' });
    repo.push();
    expectDecision(await dryRun(), 'image-and-dags', /1 image path/);
  });

  test('state, not events: a failed run in between does not hide an image change', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    const c2 = repo.commit({ 'requirements.txt': 'pandas\n' });
    seed(analytics, 'IMAGE_AND_DAG', c2, 'FAILED');
    const c3 = repo.commit({ 'dags/b.py': 'y = 2\n' });
    repo.push();
    // The event says only dags/b.py changed (c2..c3); what is live is c1.
    expectDecision(await dryRun(push(c2, c3)), 'image-and-dags', /1 image path/);
  });

  test('a live commit unknown to the repository is no baseline: everything deploys, never a diff against the event', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/c.py': 'z = 3\n' });
    repo.push();
    seed(analytics, 'IMAGE_AND_DAG', 'f'.repeat(40));
    const r = await dryRun(push(c1, c2));
    expectDecision(
      r,
      'image-and-dags',
      /because no baseline: no image deploy is known to be live \(the live image commit ffffffffffff cannot be fetched from this repository\), so the whole project is deployed$/,
    );
  });

  test('first run after switching: nothing known to be live deploys everything, from a push and a manual run alike', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/only.py': 'o = 1\n' });
    repo.push();
    // The event says only a DAG changed; the Deployment never ran this repository's image.
    const reason =
      /because no baseline: no image deploy is known to be live \(no successful image deploy in the Deployment's history\), so the whole project is deployed$/;
    expectDecision(await dryRun(push(c1, c2)), 'image-and-dags', reason);
    expectDecision(await dryRun(), 'image-and-dags', reason);
    // dags-only deploys the whole DAG folder, and says why
    expectDecision(
      await dryRun({ ...push(c1, c2), inputs: { 'deploy-type': 'dags-only' } }),
      'dags-only',
      /because no DAG deploy is known to be live \(no successful DAG deploy in the Deployment's history\), so the whole DAG folder is deployed$/,
    );
  });

  test('a history without git metadata is no baseline: everything deploys, and the reason says why', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/only.py': 'o = 1\n' });
    repo.push();
    emu.state.addDeploy(analytics, { type: 'IMAGE_AND_DAG', status: 'DEPLOYED' });
    const id = emu.state.deploys(analytics)[0].id;
    expectDecision(
      await dryRun(push(c1, c2)),
      'image-and-dags',
      new RegExp(`\\(the live image deploy ${id} has no commit recorded\\)`),
    );
  });

  test("the Astro CLI's deploys (deploy-action's, CLI 1.40+) carry their commit and are baselines like ours", async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/only.py': 'o = 1\n' });
    repo.push();
    // As `astro deploy` records it from the local repository.
    emu.state.addDeploy(analytics, {
      type: 'IMAGE_AND_DAG',
      status: 'DEPLOYED',
      description: 'Deployed via <astro deploy>',
      git: {
        provider: 'GITHUB',
        commitSha: c1,
        account: 'acme',
        repo: 'airflow',
        branch: 'main',
        commitUrl: `https://github.com/acme/airflow/commit/${c1}`,
        authorName: 'Octo Cat',
      },
      createdBySubject: { id: 'cli-user', subjectType: 'USER', username: 'octo@example.com' },
    });
    expectDecision(await dryRun(push(c1, c2)), 'dags-only', /only DAGs changed: 1 DAG path/);
  });

  test('nothing relevant changed: skipped with the reason', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'README.md': '# docs\n', 'airflow_settings.yaml': 'changed: 1\n' });
    repo.push();
    expectDecision(await dryRun(), 'none', /nothing relevant changed/);
  });

  test('force push: the old live commit is fetched by SHA and diffed as a tree', async () => {
    const c1 = repo.commit(astroProject());
    const old = repo.commit({ 'dags/old.py': 'o = 1\n' });
    repo.push();
    seed(analytics, 'IMAGE_AND_DAG', old);
    repo.resetHard(c1);
    const c3 = repo.commit({ 'dags/other.py': 'p = 1\n' });
    repo.push('main', true);
    // Live has dags/old.py, HEAD has dags/other.py: both are DAG changes.
    const r = await dryRun(push(old, c3, { forced: true }));
    expectDecision(r, 'dags-only', /2 DAG paths/);
  });

  test('stale guard: a newer commit is already live', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/a.py': 'a = 1\n' });
    repo.push();
    seed(analytics, 'IMAGE_AND_DAG', c2);
    expectDecision(await dryRun({ sha: c1 }), 'none', /newer commit .* already live/);
  });

  test('a branch force-pushed back to an older commit is a rollback, not a stale run', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/bad.py': 'b = 1\n' });
    repo.push();
    seed(analytics, 'IMAGE_AND_DAG', c2);
    repo.resetHard(c1);
    repo.push('main', true);
    const r = await dryRun({ ...push(c2, c1, { forced: true }), sha: c1 });
    expectDecision(r, 'dags-only', /1 DAG path/);
    expect(r.stdout).toContain('a rollback');
  });

  test('renames count on both sides, deletions count, unicode and spaces in names', async () => {
    const c1 = repo.commit({
      ...astroProject(),
      'dags/ünïcode dag.py': 'u = 1\n',
      'dags/gone.py': 'g = 1\n',
    });
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.rename('dags/ünïcode dag.py', 'include/ünïcode dag.py');
    repo.push();
    const r = await dryRun();
    expectDecision(r, 'image-and-dags', /1 image path/);
    expect(r.summary).toContain('include/ünïcode dag.py');
    expect(r.summary).toContain('dags/ünïcode dag.py');
  });

  test('a file name with a newline in it is one path', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'dags/two\nlines.py': 'n = 1\n' });
    repo.push();
    expectDecision(await dryRun(), 'dags-only', /1 DAG path/);
  });

  test('.dockerignore negation: a re-included file reaches the image, its siblings do not', async () => {
    const c1 = repo.commit({
      ...astroProject(),
      '.dockerignore': 'docs\n!docs/runtime.txt\n',
      'docs/notes.md': 'n\n',
      'docs/runtime.txt': 'r\n',
    });
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'docs/notes.md': 'n2\n' });
    repo.push();
    expectDecision(await dryRun(), 'none', /nothing relevant/);
    repo.commit({ 'docs/runtime.txt': 'r2\n' });
    repo.push();
    expectDecision(await dryRun(), 'image-and-dags', /1 image path/);
  });

  test('a deleted DAG is a DAG change', async () => {
    const c1 = repo.commit({ ...astroProject(), 'dags/gone.py': 'g = 1\n' });
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'dags/gone.py': null });
    repo.push();
    expectDecision(await dryRun(), 'dags-only', /1 DAG path/);
  });
});

describe('deploy types and inputs', () => {
  test.each([
    [
      'a DAG change: image-and-dags',
      { 'dags/a.py': 'a = 1\n' },
      'image-and-dags',
      /DAG deploys disabled/,
    ],
    [
      'nothing relevant changed: skipped',
      { 'README.md': '# readme\n' },
      'none',
      /nothing relevant/,
    ],
  ])('a Deployment with DAG deploys disabled, %s', async (_name, files, kind, reason) => {
    const c1 = repo.commit(astroProject());
    seed(warehouse, 'IMAGE_AND_DAG', c1);
    repo.commit(files);
    repo.push();
    expectDecision(await dryRun({ inputs: { 'deployment-id': warehouse } }), kind, reason);
  });

  test('dags-only on a Deployment without DAG deploys fails with one clear sentence', async () => {
    repo.commit(astroProject());
    repo.push();
    const r = await dryRun({ inputs: { 'deployment-id': warehouse, 'deploy-type': 'dags-only' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::'deploy-type: dags-only' needs DAG deploys");
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('image-only on a Deployment without DAG deploys fails in the plan, a dry run too, before any build', async () => {
    const c1 = repo.commit(astroProject());
    seed(warehouse, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'requirements.txt': 'pandas\n' });
    repo.push();
    const r = await dryRun({ inputs: { 'deployment-id': warehouse, 'deploy-type': 'image-only' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("::error::'deploy-type: image-only' needs DAG deploys");
    expect(r.outputs.reason ?? r.stdout).toMatch(/use 'deploy-type: image-and-dags'/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('image-only ignores DAG-only changes, and says so', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_ONLY', c1);
    seed(analytics, 'DAG_ONLY', c1);
    repo.commit({ 'dags/a.py': 'a = 2\n' });
    repo.push();
    expectDecision(
      await dryRun({ inputs: { 'deploy-type': 'image-only' } }),
      'none',
      /would not ship/,
    );
  });

  test('explicit types: dags-only and image-and-dags each compare with their own live deploy', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'dags/a.py': 'a = 1\n' });
    repo.push();
    const dagsOnly = { 'deploy-type': 'dags-only' };
    expectDecision(await dryRun({ inputs: dagsOnly }), 'dags-only', /1 DAG path/);
    const full = { 'deploy-type': 'image-and-dags' };
    expectDecision(await dryRun({ inputs: full }), 'image-and-dags', /1 DAG path/);
    // Once the DAGs are live, a change only the image carries is not for dags-only.
    const c2 = repo.head();
    seed(analytics, 'DAG_ONLY', c2);
    repo.commit({ 'requirements.txt': 'pandas\n' });
    repo.push();
    expectDecision(await dryRun({ inputs: dagsOnly }), 'none', /no DAG path changed/);
    expectDecision(await dryRun({ inputs: full }), 'image-and-dags', /1 image path/);
    expectDecision(
      await dryRun({ inputs: { 'deploy-type': 'image-only' } }),
      'image-only',
      /1 image path/,
    );
  });

  test('non-dags: bundle paths since the live bundle at the same mount path', async () => {
    const c1 = repo.commit({ 'config/settings.json': '{}\n' });
    seed(analytics, 'DAG_ONLY', c1, 'DEPLOYED', { bundleMountPath: '/usr/local/airflow/config' });
    repo.push();
    const inputs = {
      'deploy-type': 'non-dags',
      'root-folder': 'config',
      'mount-path': '/usr/local/airflow/config',
      'bundle-type': 'config',
    };
    expectDecision(await dryRun({ inputs }), 'none', /no non-dags bundle path changed/);
    repo.commit({ 'config/settings.json': '{"a": 1}\n' });
    repo.push();
    expectDecision(await dryRun({ inputs }), 'non-dags', /1 bundle path/);
  });

  test('skip-unchanged false always deploys what the type dictates', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.push();
    expectDecision(
      await dryRun({ inputs: { 'skip-unchanged': 'false' } }),
      'image-and-dags',
      /skip-unchanged is false/,
    );
  });

  test('image-name forces an image deploy', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.push();
    expectDecision(
      await dryRun({ inputs: { 'image-name': 'my-image:1' } }),
      'image-and-dags',
      /image-name is set/,
    );
  });

  test('monorepo: root-folder given as ./astro ignores the other project, and a trigger path forces an image', async () => {
    const c1 = repo.commit({
      ...astroProject('astro'),
      ...astroProject('other'),
      'shared/lib.py': 'L = 1\n',
    });
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'other/dags/x.py': 'x = 1\n', 'astro-not/dags/y.py': '' });
    repo.push();
    expectDecision(
      await dryRun({ inputs: { 'root-folder': './astro' } }),
      'none',
      /nothing relevant/,
    );
    repo.commit({ 'shared/lib.py': 'L = 2\n' });
    repo.push();
    expectDecision(
      await dryRun({
        inputs: { 'root-folder': '/astro/', 'image-trigger-paths': 'shared/**/*.py' },
      }),
      'image-and-dags',
      /1 image path/,
    );
  });

  test('dbt: bundle paths since the live bundle deploy', async () => {
    const dbt = { 'dbt/dbt_project.yml': 'name: jaffle\n', 'dbt/models/a.sql': 'select 1\n' };
    const c1 = repo.commit(dbt);
    seed(analytics, 'DAG_ONLY', c1, 'DEPLOYED', {
      bundleMountPath: '/usr/local/airflow/dbt/jaffle',
    });
    repo.commit({ 'dbt/models/a.sql': 'select 2\n' });
    repo.push();
    const inputs = {
      'deploy-type': 'dbt',
      'root-folder': 'dbt',
      'mount-path': '/usr/local/airflow/dbt/jaffle',
    };
    expectDecision(await dryRun({ inputs }), 'dbt', /1 bundle path/);
  });

  test('bundle-trigger-paths: a change outside the dbt folder ships the bundle', async () => {
    const c1 = repo.commit({
      'dbt/dbt_project.yml': 'name: jaffle\n',
      'dbt/models/a.sql': 'select 1\n',
      'macros/shared.sql': '-- v1\n',
    });
    seed(analytics, 'DAG_ONLY', c1, 'DEPLOYED', {
      bundleMountPath: '/usr/local/airflow/dbt/jaffle',
    });
    repo.commit({ 'macros/shared.sql': '-- v2\n' });
    repo.push();
    const inputs = { 'deploy-type': 'dbt', 'root-folder': 'dbt' };
    expectDecision(await dryRun({ inputs }), 'none', /no dbt bundle path changed/);
    expectDecision(
      await dryRun({ inputs: { ...inputs, 'bundle-trigger-paths': 'macros/**' } }),
      'dbt',
      /1 bundle path/,
    );
  });

  test('dbt without mount-path: another dbt bundle in the history is not this one', async () => {
    const c1 = repo.commit({
      'dbt/dbt_project.yml': 'name: jaffle\n',
      'dbt/models/a.sql': 'select 1\n',
    });
    seed(analytics, 'DAG_ONLY', c1, 'DEPLOYED', {
      bundleMountPath: '/usr/local/airflow/dbt/jaffle',
      bundles: [{ bundleType: 'dbt', deployId: 'd1', mountPath: '/usr/local/airflow/dbt/jaffle' }],
    });
    const c2 = repo.commit({ 'dbt/models/a.sql': 'select 2\n' });
    // A later deploy of another dbt project (its own workflow) at the newer commit.
    seed(analytics, 'DAG_ONLY', c2, 'DEPLOYED', {
      bundleMountPath: '/usr/local/airflow/dbt/orders',
      bundles: [{ bundleType: 'dbt', deployId: 'd2', mountPath: '/usr/local/airflow/dbt/orders' }],
    });
    repo.push();
    const inputs = { 'deploy-type': 'dbt', 'root-folder': 'dbt' };
    expectDecision(await dryRun({ inputs }), 'dbt', /1 bundle path/);
  });

  test("a project's Dockerfile.dockerignore is the one its image build reads", async () => {
    const c1 = repo.commit({ ...astroProject(), 'Dockerfile.dockerignore': 'notes\n' });
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'notes/todo.txt': 'later\n' });
    repo.push();
    expectDecision(await dryRun(), 'none', /nothing relevant/);
  });
});

describe('trigger kinds', () => {
  test('pull_request synchronize without history deploys everything: the event before is no baseline', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/pr.py': 'p = 1\n' });
    repo.push('feature');
    const event = {
      action: 'synchronize',
      number: 5,
      before: c1,
      after: c2,
      pull_request: {
        number: 5,
        head: { ref: 'feature', sha: c2 },
        base: { ref: 'main', sha: c1 },
      },
    };
    expectDecision(
      await dryRun({ eventName: 'pull_request', event }),
      'image-and-dags',
      /no baseline/,
    );
  });

  test('tag push with history', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    const c2 = repo.commit({ 'packages.txt': 'git\n' });
    repo.push();
    repo.pushTag('v1.0.0');
    const r = await dryRun({
      eventName: 'push',
      event: { ref: 'refs/tags/v1.0.0', before: '0'.repeat(40), after: c2 },
      ref: 'refs/tags/v1.0.0',
    });
    expectDecision(r, 'image-and-dags', /1 image path/);
  });

  test('merge_group and create events decide from history', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    const c2 = repo.commit({ 'dags/mq.py': 'q = 1\n' });
    repo.push();
    const mg = await dryRun({
      eventName: 'merge_group',
      event: {
        merge_group: {
          head_sha: c2,
          base_sha: c1,
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-1',
        },
      },
    });
    expectDecision(mg, 'dags-only', /1 DAG path/);
    const cr = await dryRun({ eventName: 'create', event: { ref: 'main', ref_type: 'branch' } });
    expectDecision(cr, 'dags-only', /1 DAG path/);
  });

  test('schedule: no event commits, the decision comes from history alone', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    repo.commit({ 'dags/nightly.py': 'n = 1\n' });
    repo.push();
    const r = await dryRun({ eventName: 'schedule', event: { schedule: '0 3 * * *' } });
    expectDecision(r, 'dags-only', /1 DAG path/);
  });

  test('no checkout step, checkout-submodules: true: submodules come with the clone', async () => {
    const shared = path.join(repo.root, 'server', 'acme', 'shared');
    fs.mkdirSync(shared, { recursive: true });
    git(shared, 'init', '-q', '--bare', '-b', 'main');
    const seedDir = path.join(repo.root, 'shared-work');
    git(repo.root, 'clone', '-q', `file://${shared}`, seedDir);
    fs.writeFileSync(path.join(seedDir, 'lib.py'), 'SHARED = 1\n');
    git(seedDir, 'add', '-A');
    git(seedDir, 'commit', '-q', '-m', 'shared');
    git(seedDir, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
    repo.commit(astroProject());
    // file:// submodules are refused by default since git 2.38.1; GitHub's are https.
    const fileOk = ['-c', 'protocol.file.allow=always'];
    git(repo.work, ...fileOk, 'submodule', 'add', '-q', `file://${shared}`, 'include/shared');
    git(repo.work, 'commit', '-q', '-m', 'submodule');
    repo.push();
    const ws = repo.emptyWorkspace();
    const env = {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'protocol.file.allow',
      GIT_CONFIG_VALUE_0: 'always',
    };
    const r = await dryRun({ workspace: ws, inputs: { 'checkout-submodules': 'true' }, env });
    expectDecision(r, 'image-and-dags', /no baseline/);
    expect(fs.readFileSync(path.join(ws, 'include', 'shared', 'lib.py'), 'utf8')).toBe(
      'SHARED = 1\n',
    );
  });

  test('no checkout step: the action clones the repository at GITHUB_SHA', async () => {
    const c1 = repo.commit(astroProject());
    seed(analytics, 'IMAGE_AND_DAG', c1);
    const c2 = repo.commit({ 'dags/cloned.py': 'c = 1\n' });
    repo.push();
    const ws = repo.emptyWorkspace();
    const r = await dryRun({ workspace: ws, sha: c2 });
    expectDecision(r, 'dags-only', /1 DAG path/);
    expect(git(ws, 'rev-parse', 'HEAD')).toBe(c2);
    expect(r.stdout).toContain('cloning');
  });

  // sparse-checkout narrows the action's own clone to cone-mode folders (newlines or commas);
  // history stays whole, so the decision is the one a full clone makes.
  test.each<[string, string, string[]]>([
    ['none (a full clone)', '', ['astro/dags/new.py', 'web/app.js', 'libs/common/x.py']],
    ['one folder', 'astro', ['astro/dags/new.py']],
    ['comma-separated', 'astro, libs/common', ['astro/dags/new.py', 'libs/common/x.py']],
    ['newline-separated', 'astro\nlibs/common\n', ['astro/dags/new.py', 'libs/common/x.py']],
  ])('no checkout step, sparse-checkout %s: same decisions', async (_name, sparse, present) => {
    const c1 = repo.commit({
      ...astroProject('astro'),
      'web/app.js': 'v1\n',
      'libs/common/x.py': 'x = 1\n',
      'README.md': '# top\n',
    });
    seed(analytics, 'IMAGE_AND_DAG', c1);
    const c2 = repo.commit({ 'astro/dags/new.py': 'n = 1\n' });
    const c3 = repo.commit({ 'web/app.js': 'v2\n' });
    repo.push();
    const inputs = { 'root-folder': 'astro', 'sparse-checkout': sparse };
    const ws = repo.emptyWorkspace();
    expectDecision(await dryRun({ workspace: ws, sha: c2, inputs }), 'dags-only', /1 DAG path/);
    const all = ['astro/dags/new.py', 'web/app.js', 'libs/common/x.py'];
    for (const f of all)
      expect([f, fs.existsSync(path.join(ws, f))]).toEqual([f, present.includes(f)]);
    // Top-level files are always in a cone-mode checkout; history is whole.
    expect(fs.existsSync(path.join(ws, 'README.md'))).toBe(true);
    expect(git(ws, 'cat-file', '-t', `${c1}:web/app.js`)).toBe('blob');
    // A change outside the checked-out folders still counts (image-trigger-paths).
    const ws3 = repo.emptyWorkspace();
    expectDecision(
      await dryRun({
        workspace: ws3,
        sha: c3,
        inputs: { ...inputs, 'image-trigger-paths': 'web' },
      }),
      'image-and-dags',
      /1 image path changed/,
    );
    expect(fs.existsSync(path.join(ws3, 'web/app.js'))).toBe(!sparse);
  });

  test('sparse-checkout with a checkout step already done: the work tree is used as it is, and the log says so', async () => {
    repo.commit(astroProject());
    repo.push();
    const r = await dryRun({ inputs: { 'sparse-checkout': 'dags' } });
    expectDecision(r, 'image-and-dags', /no baseline/);
    expect(r.stdout).toContain(
      "Input 'sparse-checkout' applies only when the action clones the repository",
    );
  });
});
