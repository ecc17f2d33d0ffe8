// Real deploys through the bundled action against the emulator: DAG-only (tarball entries,
// determinism, git metadata that later runs use as their baseline), dbt and non-DAG bundles,
// wake and restore, the wait timeout, and a description no shell could carry.
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, ok, type RunResult, errorLine } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50, wakeDelayMs: 50 });
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

async function run(
  inputs: Record<string, string>,
  o: {
    workspace?: string;
    sha?: string;
    event?: Record<string, unknown>;
    serverUrl?: string;
    env?: Record<string, string>;
  } = {},
): Promise<RunResult> {
  const sha = o.sha ?? repo.head();
  return runAction({
    inputs: { 'wait-time': '30s', ...inputs },
    token: emu.token,
    apiUrl: emu.url,
    workspace: o.workspace ?? repo.checkout(sha),
    eventName: 'push',
    event: o.event ?? { ref: 'refs/heads/main', after: sha },
    sha,
    serverUrl: o.serverUrl ?? repo.serverUrl,
    env: o.env,
  });
}

describe('DAG-only deploys', () => {
  test('ships the DAG folder (generated files too, never caches), records the commit, and the next run diffs from it', async () => {
    const c1 = repo.commit(astroProject(), 'Initial project');
    emu.state.addDeploy(id('analytics'), {
      type: 'IMAGE_AND_DAG',
      status: 'DEPLOYED',
      git: { provider: 'GENERIC', commitSha: c1 },
    });
    const c2 = repo.commit({ 'dags/sales.py': 'S = 1\n' }, 'Add the "sales" DAG');
    repo.push();
    const ws = repo.checkout(c2);
    // Files a previous workflow step generated ship too; caches never do.
    fs.writeFileSync(path.join(ws, 'dags', 'generated.py'), 'G = 1\n');
    fs.mkdirSync(path.join(ws, 'dags', '__pycache__'));
    fs.writeFileSync(path.join(ws, 'dags', '__pycache__', 'sales.cpython-311.pyc'), 'x');
    fs.writeFileSync(path.join(ws, 'dags', 'old.pyc'), 'x');

    const r = ok(await run({ 'deployment-id': id('analytics') }, { workspace: ws }));
    expect(r.outputs).toMatchObject({
      'deploy-type': 'dags-only',
      skipped: 'false',
      'deployment-id': id('analytics'),
    });
    const version = r.outputs['dag-tarball-version'];
    const deployment = emu.state.deployment(id('analytics'))!;
    expect(deployment.dagTarballVersion).toBe(version);
    expect(deployment.status).toBe('HEALTHY');
    expect(emu.state.blobFiles(version).sort()).toEqual([
      'dags/example_dag.py',
      'dags/generated.py',
      'dags/sales.py',
    ]);

    const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy).toMatchObject({
      type: 'DAG_ONLY',
      status: 'DEPLOYED',
      description: 'Add the "sales" DAG',
      finalizeCount: 1,
    });
    expect(deploy.git).toMatchObject({ provider: 'GENERIC', commitSha: c2, branch: 'main' });
    expect(r.summary).toContain('#### Live');
    expect(r.outputs['deployment-url']).toContain(id('analytics'));

    // The next run's baseline is the deploy this run made (history), not the event.
    const c3 = repo.commit({ 'dags/more.py': 'M = 1\n' });
    repo.push();
    const next = ok(
      await run(
        { 'deployment-id': id('analytics'), 'dry-run': 'true' },
        { sha: c3, event: { ref: 'refs/heads/main' } },
      ),
    );
    expect(next.outputs['deploy-type']).toBe('dags-only');
    expect(next.outputs.reason).toContain('1 DAG path');
    expect(next.summary).toContain(c2.slice(0, 12));

    // Re-running the deployed commit converges: nothing to do.
    const again = ok(await run({ 'deployment-id': id('analytics') }, { sha: c2 }));
    expect(again.outputs).toMatchObject({ 'deploy-type': 'none', skipped: 'true' });
  });

  test('on github.com the deploy carries GitHub metadata: account, repo, commit URL, author', async () => {
    repo.commit(astroProject());
    const sha = repo.commit({ 'dags/gh.py': 'G = 1\n' }, 'Add the gh DAG');
    repo.push();
    // The workspace is checked out already, so nothing is fetched from github.com.
    const r = ok(
      await run(
        { 'deployment-id': id('analytics'), 'deploy-type': 'dags-only' },
        { serverUrl: 'https://github.com' },
      ),
    );
    const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy.git).toEqual(
      expect.objectContaining({
        provider: 'GITHUB',
        account: 'acme',
        repo: 'airflow',
        branch: 'main',
        commitSha: sha,
        commitUrl: `https://github.com/acme/airflow/commit/${sha}`,
        authorUsername: 'octo',
        authorUrl: 'https://github.com/octo',
      }),
    );
    expect(deploy.git).not.toHaveProperty('remoteUrl');
    expect(deploy.description).toBe('Add the gh DAG');
  });

  test('the same folder gives the same tarball bytes', async () => {
    repo.commit(astroProject());
    repo.push();
    const inputs = {
      'deployment-id': id('analytics'),
      'deploy-type': 'dags-only',
      'skip-unchanged': 'false',
    };
    const a = ok(await run(inputs));
    const b = ok(await run(inputs));
    const bytes = (r: RunResult) => emu.state.blobs.get(r.outputs['dag-tarball-version'])!.bytes;
    expect(a.outputs['dag-tarball-version']).not.toBe(b.outputs['dag-tarball-version']);
    expect(bytes(a).equals(bytes(b))).toBe(true);
  });

  test('a DAG folder left with no .py file (only .airflowignore and __init__.py) deploys with a warning and a summary line', async () => {
    repo.commit(astroProject());
    repo.commit(
      { 'dags/example_dag.py': null, 'dags/.airflowignore': 'old\n', 'dags/__init__.py': '' },
      'Remove the last DAG',
    );
    repo.push();
    const r = ok(await run({ 'deployment-id': id('analytics'), 'deploy-type': 'dags-only' }));
    expect(r.outputs.skipped).toBe('false');
    expect(r.annotations).toContainEqual(
      expect.stringMatching(/^::warning::.*has no \.py file.*removes every DAG from analytics/),
    );
    expect(r.summary).toMatch(/Warning \|.*removes every DAG from analytics/);
  });

  test.each<[string, Record<string, string>, string[]]>([
    [
      'under the DAG folder’s base name, as the Astro CLI writes them',
      {},
      ['pipelines/etl.py', 'pipelines/sub/report.py'],
    ],
    [
      'at the archive root with no-dags-base-dir',
      { 'no-dags-base-dir': 'true' },
      ['etl.py', 'sub/report.py'],
    ],
  ])('dags-path src/pipelines: tarball entries %s', async (_name, extra, names) => {
    const project = astroProject();
    delete project['dags/example_dag.py'];
    repo.commit({
      ...project,
      'src/pipelines/etl.py': 'E = 1\n',
      'src/pipelines/sub/report.py': 'R = 1\n',
    });
    repo.push();
    const r = ok(
      await run({
        'deployment-id': id('analytics'),
        'deploy-type': 'dags-only',
        'dags-path': 'src/pipelines',
        ...extra,
      }),
    );
    expect(r.outputs['deploy-type']).toBe('dags-only');
    expect(emu.state.blobFiles(r.outputs['dag-tarball-version'])).toEqual(names);
  });

  test('a description with quotes, $() and backticks arrives as written', async () => {
    repo.commit(astroProject());
    repo.push();
    const description = `it's "quoted" $(touch pwned) \`uname\` ; echo hi`;
    const r = ok(
      await run({ 'deployment-id': id('analytics'), 'deploy-type': 'dags-only', description }),
    );
    const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy.description).toBe(description);
    expect(fs.existsSync(path.join(repo.root, 'pwned'))).toBe(false);
  });

  test('the wait gives up at wait-time naming the last status', async () => {
    await emu.close();
    emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 60_000 });
    repo.commit(astroProject());
    repo.push();
    const r = await run({
      'deployment-id': id('analytics'),
      'deploy-type': 'dags-only',
      'wait-time': '2s',
    });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toMatch(/DEPLOYING/);
    expect(errorLine(r)).toMatch(/wait-time/);
  });
});

describe('bundles', () => {
  test('dbt: the project folder ships without a prefix, mounted by its dbt name', async () => {
    repo.commit({
      'dbt/dbt_project.yml': "name: 'jaffle_shop'\nversion: '1.0'\n",
      'dbt/models/orders.sql': 'select 1\n',
    });
    repo.push();
    const r = ok(
      await run({ 'deployment-id': id('analytics'), 'deploy-type': 'dbt', 'root-folder': 'dbt' }),
    );
    expect(r.outputs).toMatchObject({ 'deploy-type': 'dbt', skipped: 'false' });
    const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy.bundleMountPath).toBe('/usr/local/airflow/dbt/jaffle_shop');
    const blob = [...emu.state.blobs.values()].find((b) => b.deployId === deploy.id)!;
    expect(emu.state.blobFiles(blob.versionId).sort()).toEqual([
      'dbt_project.yml',
      'models/orders.sql',
    ]);
  });

  test('dbt without dbt_project.yml fails clearly before any deploy', async () => {
    repo.commit({ 'dbt/models/orders.sql': 'select 1\n' });
    repo.push();
    const r = await run({
      'deployment-id': id('analytics'),
      'deploy-type': 'dbt',
      'root-folder': 'dbt',
    });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toContain('dbt_project.yml');
    expect(emu.state.deploys(id('analytics')).filter((d) => d.bundleMountPath)).toHaveLength(0);
  });

  test('non-dags: mount path and bundle type as given', async () => {
    repo.commit({ 'assets/config.json': '{}\n', 'assets/data/a.csv': 'a,b\n' });
    repo.push();
    const r = ok(
      await run({
        'deployment-id': id('analytics'),
        'deploy-type': 'non-dags',
        'root-folder': 'assets',
        'mount-path': '/usr/local/airflow/assets',
        'bundle-type': 'assets',
      }),
    );
    const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy.bundleMountPath).toBe('/usr/local/airflow/assets');
    expect(deploy.bundles?.[0]).toMatchObject({
      bundleType: 'assets',
      mountPath: '/usr/local/airflow/assets',
    });
  });
});

describe('hibernating development Deployments', () => {
  test('without wake-on-deploy: a clear error and no deploy', async () => {
    repo.commit(astroProject());
    repo.push();
    const r = await run({ 'deployment-id': id('sandbox'), 'deploy-type': 'dags-only' });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toContain('wake-on-deploy');
    expect(emu.state.deploys(id('sandbox'))).toHaveLength(0);
  });

  test('woken, deployed, and put back to sleep (no earlier override: ours is removed)', async () => {
    repo.commit(astroProject());
    repo.push();
    const r = ok(
      await run({
        'deployment-id': id('sandbox'),
        'deploy-type': 'dags-only',
        'wake-on-deploy': 'true',
      }),
    );
    expect(r.outputs.skipped).toBe('false');
    const d = emu.state.deployment(id('sandbox'))!;
    expect(d.scalingSpec?.hibernationSpec?.override).toBeFalsy();
    expect(emu.state.deploys(id('sandbox'))[0].status).toBe('DEPLOYED');
  });

  test('an earlier override is restored exactly', async () => {
    repo.commit(astroProject());
    repo.push();
    const until = '2030-01-02T03:04:05Z';
    const res = await fetch(
      `${emu.url}/organizations/${emu.organizationId}/deployments/${id('sandbox')}/hibernation-override`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ isHibernating: true, overrideUntil: until }),
      },
    );
    expect(res.status).toBe(200);
    ok(
      await run({
        'deployment-id': id('sandbox'),
        'deploy-type': 'dags-only',
        'wake-on-deploy': 'true',
      }),
    );
    const override = emu.state.deployment(id('sandbox'))!.scalingSpec?.hibernationSpec?.override;
    expect(override).toMatchObject({ isHibernating: true, overrideUntil: until });
  });
});

describe('Astro Runtime checks before an image is pushed', () => {
  // analytics runs 3.0-7, warehouse 12.9.0; the deployment options list 3.1-1, 3.0-7, 3.0-5,
  // 12.9.0, 12.8.0 and 11.18.0. The fake docker labels the built image FAKE_DOCKER_RUNTIME.
  test.each([
    [
      'a downgrade',
      'analytics',
      '3.0-5',
      /^The image's Astro Runtime 3\.0-5 is older than the 3\.0-7 that analytics runs/,
    ],
    [
      'a Runtime the deployment options do not list',
      'analytics',
      '3.0-9',
      /^The image's Astro Runtime 3\.0-9 is not one the organization's deployment options list for analytics/,
    ],
    [
      'a downgrade, with force: true',
      'warehouse',
      '12.8.0',
      /^The image's Astro Runtime 12\.8\.0 is older than the 12\.9\.0 that warehouse runs/,
    ],
  ])(
    '%s is refused with one sentence; nothing is created or pushed',
    async (_name, target, runtime, message) => {
      repo.commit(astroProject());
      repo.push();
      const pushes = path.join(repo.root, 'pushes.log');
      const r = await run(
        { 'deployment-id': id(target), 'deploy-type': 'image-and-dags', force: 'true' },
        {
          env: {
            PATH: fakeDockerPath(path.join(repo.root, 'bin')),
            FAKE_DOCKER_RUNTIME: runtime,
            FAKE_DOCKER_LOG: pushes,
          },
        },
      );
      expect(r.code).toBe(1);
      expect(errorLine(r).replace(/^::error::/, '')).toMatch(message);
      expect(emu.state.deploys(id(target)).filter((d) => d.status === 'INITIALIZED')).toEqual([]);
      expect(emu.state.deploys(id(target))).toEqual([]);
      expect(fs.existsSync(pushes)).toBe(false);
    },
  );

  test('Airflow 2 → 3 from a Runtime below 12.0.0 is refused; from 12.x it deploys', async () => {
    const old = emu.state.addDeployment({
      name: 'legacy',
      astroRuntimeVersion: '11.18.0',
      isDagDeployEnabled: true,
    });
    repo.commit(astroProject());
    repo.push();
    const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_RUNTIME: '3.0-7' };
    const r = await run({ 'deployment-id': old.id, 'deploy-type': 'image-and-dags' }, { env });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toMatch(/moves legacy from Airflow 2 to Airflow 3.*runs 11\.18\.0/);
    expect(emu.state.deploys(old.id)).toEqual([]);
    const w = ok(
      await run({ 'deployment-id': id('warehouse'), 'deploy-type': 'image-and-dags' }, { env }),
    );
    expect(w.outputs['deploy-type']).toBe('image-and-dags');
  });

  test('a dry run reports the refusal when the Dockerfile names the Runtime', async () => {
    repo.commit({ ...astroProject(), Dockerfile: 'FROM quay.io/astronomer/astro-runtime:3.0-5\n' });
    repo.push();
    const before = emu.state.requests.length;
    // A dry run checks for Docker first, as the real run would: give it one.
    const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')) };
    const r = await run({ 'deployment-id': id('analytics'), 'dry-run': 'true' }, { env });
    expect(r.code).toBe(1);
    expect(errorLine(r)).toMatch(
      /Astro Runtime 3\.0-5 is older than the 3\.0-7 that analytics runs/,
    );
    expect(emu.state.requests.slice(before).filter((q) => q.method !== 'GET')).toEqual([]);
    // The same project FROM an allowed Runtime plans as before.
    repo.commit({ Dockerfile: 'FROM quay.io/astronomer/astro-runtime:3.1-1\n' });
    repo.push();
    const fine = ok(await run({ 'deployment-id': id('analytics'), 'dry-run': 'true' }, { env }));
    expect(fine.outputs.reason).toMatch(/^dry run: would deploy image-and-dags/);
  });
});
