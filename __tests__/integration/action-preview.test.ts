// The preview modes end to end through the bundled action, run the way a runner runs it,
// against the emulator: create (a copy of the base, Airflow objects, secrets reported, then a
// deploy), reuse, overrides, names, deploy to a preview, delete (and its guard), `action:
// preview` per event, the PR comment, and dry runs that only read.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import type { Deployment } from '../../src/astro/types.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { runAction, ok, type RunResult } from '../support/action.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let analytics: string;

beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

interface Run {
  inputs?: Record<string, string>;
  eventName: string;
  event: Record<string, unknown>;
  sha?: string;
  ref?: string;
  /** Default: a depth-1 checkout of `sha`. */
  workspace?: string;
  env?: Record<string, string>;
  secrets?: string[];
  /** Default: the emulator's. */
  apiUrl?: string;
}

async function run(o: Run): Promise<RunResult> {
  const sha = o.sha ?? repo.head();
  return runAction({
    inputs: {
      'deployment-id': analytics,
      'deploy-type': 'dags-only',
      'wait-time': '30s',
      ...o.inputs,
    },
    token: emu.token,
    apiUrl: o.apiUrl ?? emu.url,
    workspace: o.workspace ?? repo.checkout(sha),
    eventName: o.eventName,
    event: o.event,
    sha,
    ref: o.ref,
    serverUrl: repo.serverUrl,
    env: o.env,
    secrets: o.secrets,
  });
}

function failed(r: RunResult): string {
  if (r.code === 0) throw new Error(`action succeeded but should have failed:\n${r.stdout}`);
  expect(r.code).toBe(1);
  const errors = r.annotations.filter((l) => l.startsWith('::error'));
  expect(errors).toHaveLength(1);
  // `::error::<message>`; newlines in a message are escaped as %0A.
  return errors[0].replace(/^::error[^:]*::/, '');
}

const warnings = (r: RunResult) => r.annotations.filter((l) => l.startsWith('::warning'));

// GitHub's payloads, as far as the action reads them.
const createEvent = (branch: string) => ({
  eventName: 'create',
  event: { ref: branch, ref_type: 'branch' },
  ref: `refs/heads/${branch}`,
});
const deleteEvent = (branch: string) => ({
  eventName: 'delete',
  event: { ref: branch, ref_type: 'branch' },
});
function prEvent(
  action: string,
  branch: string,
  head: string,
  extra: Record<string, unknown> = {},
) {
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
      ...extra,
    },
  };
}

/** Inputs that keep a preview from copying the base's Airflow objects (not under test). */
const NO_COPY = {
  'copy-connections': 'false',
  'copy-airflow-variables': 'false',
  'copy-pools': 'false',
};
const byName = (name: string): Deployment[] =>
  emu.state.deployments().filter((d) => d.name === name);
const marker = (branch: string) => `Preview of ${analytics} for branch ${branch}`;
/** A preview (or look-alike) made directly in the emulator, placed like the base. */
function seedDeployment(name: string, description: string): Deployment {
  const base = emu.state.deployment(analytics)!;
  return emu.state.addDeployment({
    name,
    description,
    astroRuntimeVersion: base.astroRuntimeVersion,
    isDagDeployEnabled: true,
    ...(base.type ? { type: base.type } : {}),
    ...(base.clusterId ? { clusterId: base.clusterId } : {}),
    ...(base.cloudProvider ? { cloudProvider: base.cloudProvider } : {}),
    ...(base.region ? { region: base.region } : {}),
  });
}
const writes = (from: number) => emu.state.requests.slice(from).filter((q) => q.method !== 'GET');

describe('create-deployment-preview', () => {
  test('a branch create event: copy of the base with Airflow objects, secrets reported, DAGs deployed; a second run reuses it', async () => {
    const base = emu.state.patchDeployment(analytics, {
      environmentVariables: [
        { key: 'API_KEY', isSecret: true },
        { key: 'MODE', isSecret: false, value: 'batch' },
      ],
    });
    repo.commit(astroProject(), 'Initial project');
    repo.push('feature/a-b');
    const before = emu.state.deployments().length;

    const r = ok(
      await run({ inputs: { action: 'create-deployment-preview' }, ...createEvent('feature/a-b') }),
    );

    const [preview, ...more] = byName('feature-a-b_analytics');
    expect(more).toEqual([]);
    expect(emu.state.deployments()).toHaveLength(before + 1);
    expect(preview.description).toContain(marker('feature/a-b'));
    // The copy of the base's settings.
    expect(preview).toMatchObject({
      workspaceId: base.workspaceId,
      astroRuntimeVersion: base.astroRuntimeVersion,
      executor: base.executor,
      isDagDeployEnabled: base.isDagDeployEnabled,
      schedulerSize: base.schedulerSize,
      isHighAvailability: base.isHighAvailability,
      isDevelopmentMode: base.isDevelopmentMode,
    });
    expect(preview.environmentVariables).toEqual([
      expect.objectContaining({ key: 'MODE', isSecret: false, value: 'batch' }),
    ]);
    // Airflow objects.
    const copied = emu.state.airflow(preview.id);
    expect([...copied.connections.keys()].sort()).toEqual([
      'aws_default',
      'slack_alerts',
      'warehouse_db',
    ]);
    expect([...copied.variables.keys()].sort()).toEqual([
      'environment',
      'feature_flags',
      'retention_days',
    ]);
    expect([...copied.pools.keys()]).toEqual(expect.arrayContaining(['etl', 'reporting']));
    expect(copied.connections.get('warehouse_db')!.password ?? null).toBeNull();
    expect(r.summary).toMatch(/Connections copied \| 3 created/);
    expect(r.summary).toMatch(/Variables copied \| 3 created/);
    expect(r.summary).toMatch(/Pools copied \| 2 created/);
    expect(r.summary).toMatch(/Connections needing a password \| .*slack_alerts/);
    expect(r.summary).toMatch(/Connections needing a password \| .*warehouse_db/);
    // The base's secret variable: a warning annotation and a summary row.
    expect(warnings(r).filter((w) => w.includes('API_KEY'))).toHaveLength(1);
    expect(warnings(r).filter((w) => w.includes('passwords'))).toHaveLength(1);
    expect(r.summary).toMatch(/Secret variables not copied \| API_KEY/);
    expect(r.summary).toMatch(/created/);
    // Deployed: the whole DAG folder.
    expect(r.outputs).toMatchObject({
      'preview-id': preview.id,
      'deployment-id': preview.id,
      'deploy-type': 'dags-only',
      skipped: 'false',
    });
    expect(r.outputs['deployment-url']).toContain(preview.id);
    expect(emu.state.blobFiles(r.outputs['dag-tarball-version'])).toEqual(['dags/example_dag.py']);
    expect(emu.state.deployment(preview.id)!.dagTarballVersion).toBe(
      r.outputs['dag-tarball-version'],
    );
    // The base is untouched.
    expect(emu.state.deploys(analytics)).toEqual([]);

    // Idempotent: the same event again reuses the preview and has nothing new to deploy.
    const again = ok(
      await run({ inputs: { action: 'create-deployment-preview' }, ...createEvent('feature/a-b') }),
    );
    expect(byName('feature-a-b_analytics')).toHaveLength(1);
    expect(emu.state.deployments()).toHaveLength(before + 1);
    expect(again.outputs).toMatchObject({
      'preview-id': preview.id,
      'deploy-type': 'none',
      skipped: 'true',
    });
    expect(again.summary).toMatch(/reused/);
    // It took a deploy, so its objects are not copied again.
    expect(again.summary).not.toContain('Connections copied');
    // The secret is still not set on the preview, and the summary still says so.
    expect(again.summary).toMatch(/Secret variables not copied \| API_KEY/);
    expect(emu.state.deploys(preview.id)).toHaveLength(1);
  });

  test('a preview an earlier run created but never deployed to gets the Airflow objects when reused', async () => {
    repo.commit(astroProject());
    repo.push('feat/interrupted');
    // What a run that stopped right after creating the preview leaves behind.
    const left = seedDeployment('feat-interrupted_analytics', marker('feat/interrupted'));
    expect(emu.state.airflow(left.id).connections.size).toBe(0);
    const r = ok(
      await run({
        inputs: { action: 'create-deployment-preview', 'deploy-type': 'dags-only' },
        ...createEvent('feat/interrupted'),
      }),
    );
    expect(r.outputs['preview-id']).toBe(left.id);
    expect(r.summary).toMatch(/reused/);
    expect(r.summary).toMatch(/Connections copied \| 3 created/);
    expect(emu.state.airflow(left.id).variables.size).toBe(3);
    expect(emu.state.deploys(left.id).map((d) => d.status)).toEqual(['DEPLOYED']);
  });

  test('preview-overrides apply to the new preview; invalid overrides fail in one sentence and create nothing', async () => {
    repo.commit(astroProject());
    repo.push('feat/overrides');
    const base = emu.state.patchDeployment(analytics, {
      environmentVariables: [{ key: 'API_KEY', isSecret: true }],
    });
    expect(base.isDevelopmentMode).not.toBe(true);
    const secret = 'ov3rride-secret-value-4711';
    const r = ok(
      await run({
        secrets: [secret],
        inputs: {
          action: 'create-deployment-preview',
          'preview-overrides': [
            'isDevelopmentMode: true',
            'isHighAvailability: false',
            'schedulerSize: small',
            'description: for review',
            'environmentVariables:',
            `  - { key: API_KEY, isSecret: true, value: ${secret} }`,
            '',
          ].join('\n'),
          'copy-connections': 'false',
          'copy-airflow-variables': 'false',
          'copy-pools': 'false',
        },
        ...createEvent('feat/overrides'),
      }),
    );
    const preview = emu.state.deployment(r.outputs['preview-id'])!;
    expect(preview).toMatchObject({
      name: 'feat-overrides_analytics',
      isDevelopmentMode: true,
      isHighAvailability: false,
      schedulerSize: 'SMALL',
    });
    expect(preview.description).toContain(marker('feat/overrides'));
    expect(preview.description).toContain('for review');
    // The override supplies the secret the base cannot give: no warning about it.
    expect(preview.environmentVariables).toEqual([
      expect.objectContaining({ key: 'API_KEY', isSecret: true }),
    ]);
    expect(warnings(r).some((w) => w.includes('API_KEY'))).toBe(false);
    expect(r.summary).not.toContain('Secret variables not copied');
    // Copies switched off: nothing copied, no copy rows.
    expect(emu.state.airflow(preview.id).connections.size).toBe(0);
    expect(r.summary).not.toContain('Connections copied');

    const count = emu.state.deployments().length;
    const from = emu.state.requests.length;
    const bad = await run({
      inputs: { action: 'create-deployment-preview', 'preview-overrides': 'schedulerSize: HUGE\n' },
      ...createEvent('feat/other'),
    });
    const message = failed(bad);
    expect(message).toMatch(/preview-overrides/);
    expect(message).toMatch(/schedulerSize/);
    expect(message).not.toContain('%0A'); // one line
    expect(message.split(/\.\s/)).toHaveLength(1); // one sentence
    expect(emu.state.deployments()).toHaveLength(count);
    expect(writes(from)).toEqual([]);
  });

  test('names: slashes, unicode, a 150-character branch, a/fix vs b/fix, and preview-name', async () => {
    const sha = repo.commit(astroProject());
    repo.push();
    const long = `feature/${'x'.repeat(142)}`;
    expect(long).toHaveLength(150);
    const cases: [string, (n: string) => boolean][] = [
      ['a/fix', (n) => n === 'a-fix_analytics'],
      ['b/fix', (n) => n === 'b-fix_analytics'],
      ['déjà/vu ça', (n) => n === 'd-j-vu-a_analytics'],
      // Astro takes names that start and end with a letter or a digit.
      ['_x', (n) => n === 'x_analytics'],
      ['.hidden/_wip_', (n) => n === 'hidden-_wip_analytics'],
      [long, (n) => n.length <= 63 && /^feature-x+-[0-9a-f]{6}_analytics$/.test(n)],
    ];
    const ids = new Set<string>();
    for (const [branch, expected] of cases) {
      const r = ok(
        await run({
          inputs: { action: 'create-deployment-preview', ...NO_COPY },
          ...createEvent(branch),
          sha,
        }),
      );
      const preview = emu.state.deployment(r.outputs['preview-id'])!;
      expect({ branch, ok: expected(preview.name), name: preview.name }).toEqual({
        branch,
        ok: true,
        name: preview.name,
      });
      expect(preview.description).toContain(marker(branch));
      ids.add(preview.id);
    }
    expect(ids.size).toBe(cases.length);
    // The 63-character cut: the hash suffix keeps another long branch with the same prefix apart.
    const long2 = `feature/${'x'.repeat(141)}y`;
    const r2 = ok(
      await run({
        inputs: { action: 'create-deployment-preview', ...NO_COPY },
        ...createEvent(long2),
        sha,
      }),
    );
    expect(ids.has(r2.outputs['preview-id'])).toBe(false);
    expect(emu.state.deployment(r2.outputs['preview-id'])!.name).toHaveLength(63);

    // preview-name wins.
    const named = ok(
      await run({
        inputs: { action: 'create-deployment-preview', 'preview-name': 'review env', ...NO_COPY },
        ...createEvent('a/fix'),
        sha,
      }),
    );
    const p = emu.state.deployment(named.outputs['preview-id'])!;
    expect(p.name).toBe('review env');
    expect(p.description).toContain(marker('a/fix'));
    expect(byName('a-fix_analytics')).toHaveLength(1);
  });

  test.each([
    [
      'infer on a fresh preview without a Docker engine',
      'needs-image',
      { 'deploy-type': 'infer' },
      /^A image-and-dags deploy builds and pushes an image, which needs a Docker engine.*deploy-type dags-only/,
    ],
    [
      'parse on a fresh dags-only preview without a Docker engine',
      'needs-checks',
      { 'deploy-type': 'dags-only', parse: 'true' },
      /Docker/,
    ],
    [
      'image-only on a preview without DAG deploys',
      'image-only',
      { 'deploy-type': 'image-only', 'preview-overrides': 'isDagDeployEnabled: false' },
      /^'deploy-type: image-only' needs DAG deploys, .*use 'deploy-type: image-and-dags'/,
    ],
    [
      'a dbt preview without a dbt project',
      'no-dbt',
      { 'deploy-type': 'dbt', 'root-folder': 'include' },
      /^deploy-type dbt needs a dbt project.*no dbt_project\.yml/,
    ],
  ])(
    '%s fails with a clear sentence before creating anything',
    async (_name, branch, inputs, message) => {
      repo.commit(astroProject());
      repo.push(branch);
      const r = await run({
        inputs: { action: 'create-deployment-preview', ...inputs, ...NO_COPY },
        ...createEvent(branch),
        // No engine here: the Docker check comes first where Docker is needed.
        env: { DOCKER_HOST: `unix://${repo.root}/no-docker.sock` },
      });
      expect(failed(r)).toMatch(message);
      expect(byName(`${branch}_analytics`)).toEqual([]);
      // Every output is set on failure; no preview is known.
      expect(r.outputs['preview-id']).toBe('');
    },
  );

  test('a preview created on synchronize has no history: infer deploys the whole project, not what the event changed', async () => {
    const c1 = repo.commit(astroProject());
    const c2 = repo.commit({ 'dags/late.py': 'L = 1\n' });
    repo.push('feat/late');
    const r = ok(
      await run({
        inputs: { action: 'preview', 'deploy-type': 'infer', ...NO_COPY },
        ...prEvent('synchronize', 'feat/late', c2, { before: c1 }),
        env: { PATH: fakeDockerPath(path.join(repo.root, 'bin')) },
      }),
    );
    // Only DAGs changed in the event, but the new preview runs none of this project yet.
    expect(r.outputs['deploy-type']).toBe('image-and-dags');
    const [preview] = byName('feat-late_analytics');
    expect(emu.state.deploys(preview.id).map((d) => [d.type, d.status])).toEqual([
      ['IMAGE_AND_DAG', 'DEPLOYED'],
    ]);
  });
});

describe('deploy-deployment-preview', () => {
  test('a preview still being created (by another job) is waited for, then deployed', async () => {
    // Creation takes a while here: a deploy finalized before it ends is refused.
    await emu.close();
    emu = await startEmulator({ createDelayMs: 2500, rolloutDelayMs: 20 });
    analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
    const c1 = repo.commit(astroProject());
    repo.push('feat/young');
    const base = emu.state.deployment(analytics)!;
    const young = emu.state.addDeployment({
      name: 'feat-young_analytics',
      description: marker('feat/young'),
      astroRuntimeVersion: base.astroRuntimeVersion,
      isDagDeployEnabled: true,
      creating: true,
    });
    expect(emu.state.deployment(young.id)!.status).toBe('CREATING');
    const r = ok(
      await run({
        inputs: { action: 'deploy-deployment-preview', 'deploy-type': 'dags-only' },
        ...prEvent('opened', 'feat/young', c1),
      }),
    );
    expect(r.outputs).toMatchObject({
      'preview-id': young.id,
      'deploy-type': 'dags-only',
      skipped: 'false',
    });
    expect(emu.state.deploys(young.id)[0].status).toBe('DEPLOYED');
  });

  test('pull_request synchronize: DAG change since the preview’s own last deploy → dags-only; nothing changed → skipped', async () => {
    const c1 = repo.commit(astroProject());
    repo.push('feat/sync');
    const created = ok(
      await run({
        inputs: { action: 'create-deployment-preview', 'copy-connections': 'false' },
        ...createEvent('feat/sync'),
      }),
    );
    const previewId = created.outputs['preview-id'];
    // The base has its own, newer history: the preview's own deploys are what counts.
    emu.state.addDeploy(analytics, {
      type: 'IMAGE_AND_DAG',
      status: 'DEPLOYED',
      git: { provider: 'GENERIC', commitSha: c1 },
    });

    const c2 = repo.commit({ 'dags/sales.py': 'S = 1\n', 'README.md': '# x\n' });
    repo.push('feat/sync');
    const r = ok(
      await run({
        inputs: { action: 'deploy-deployment-preview' },
        ...prEvent('synchronize', 'feat/sync', c2, { before: c1 }),
      }),
    );
    expect(r.outputs).toMatchObject({
      'preview-id': previewId,
      'deployment-id': previewId,
      'deploy-type': 'dags-only',
      skipped: 'false',
    });
    expect(r.outputs.reason).toMatch(/1 DAG path/);
    expect(emu.state.blobFiles(r.outputs['dag-tarball-version']).sort()).toEqual([
      'dags/example_dag.py',
      'dags/sales.py',
    ]);
    const deploy = emu.state.deploys(previewId).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy.git).toMatchObject({ commitSha: c2, branch: 'feat/sync' });
    expect(emu.state.deploys(analytics)).toHaveLength(1);

    // Nothing relevant since the preview's last deploy.
    const c3 = repo.commit({ 'README.md': '# y\n' });
    repo.push('feat/sync');
    const same = ok(
      await run({
        inputs: { action: 'deploy-deployment-preview' },
        ...prEvent('synchronize', 'feat/sync', c3, { before: c2 }),
      }),
    );
    expect(same.outputs).toMatchObject({
      'preview-id': previewId,
      'deploy-type': 'none',
      skipped: 'true',
    });
    expect(same.outputs.reason).toMatch(/no DAG path changed since the live DAG deploy/);
    expect(emu.state.deploys(previewId)).toHaveLength(2);
  });

  test('no preview: exit 1 saying how to create one, nothing created', async () => {
    const c1 = repo.commit(astroProject());
    repo.push('feat/none');
    const count = emu.state.deployments().length;
    const message = failed(
      await run({
        inputs: { action: 'deploy-deployment-preview' },
        ...prEvent('synchronize', 'feat/none', c1),
      }),
    );
    expect(message).toMatch(/No preview of analytics .* for branch feat\/none was found/);
    expect(message).toMatch(/action: create-deployment-preview/);
    expect(emu.state.deployments()).toHaveLength(count);
  });
});

describe('delete-deployment-preview', () => {
  test('a delete event deletes only the marked preview of that branch', async () => {
    repo.commit(astroProject());
    const mine = seedDeployment('feat-gone_analytics', `${marker('feat/gone')} — copy`);
    const other = seedDeployment('feat-stays_analytics', `${marker('feat/stays')} — copy`);
    const r = ok(
      await run({
        inputs: { action: 'delete-deployment-preview' },
        ...deleteEvent('feat/gone'),
        workspace: repo.emptyWorkspace(),
      }),
    );
    expect(emu.state.deployment(mine.id)).toBeUndefined();
    expect(emu.state.deployment(other.id)).toBeDefined();
    expect(emu.state.deployment(analytics)).toBeDefined();
    expect(r.outputs).toMatchObject({
      'preview-id': mine.id,
      'deploy-type': 'none',
      skipped: 'true',
    });
    expect(r.outputs.reason).toMatch(/deleted preview feat-gone_analytics/);
  });

  test('a closed pull request deletes its preview', async () => {
    const sha = repo.commit(astroProject());
    repo.push('feat/pr');
    const mine = seedDeployment('feat-pr_analytics', `${marker('feat/pr')} — copy`);
    const r = ok(
      await run({
        inputs: { action: 'delete-deployment-preview' },
        ...prEvent('closed', 'feat/pr', sha, {
          pull_request: {
            number: 7,
            head: { ref: 'feat/pr', sha },
            base: { ref: 'main' },
            merged: true,
          },
        }),
      }),
    );
    expect(emu.state.deployment(mine.id)).toBeUndefined();
    expect(r.outputs['preview-id']).toBe(mine.id);
  });

  test('the computed name without the marker is refused and kept', async () => {
    repo.commit(astroProject());
    const foreign = seedDeployment('feat-x_analytics', 'Team X staging, hands off');
    const from = emu.state.requests.length;
    const message = failed(
      await run({
        inputs: { action: 'delete-deployment-preview' },
        ...deleteEvent('feat/x'),
        workspace: repo.emptyWorkspace(),
      }),
    );
    expect(message).toMatch(
      /"feat-x_analytics".*is not a preview of analytics.*refusing to touch it/,
    );
    expect(emu.state.deployment(foreign.id)).toBeDefined();
    expect(writes(from)).toEqual([]);
  });

  test('the base is never deleted (nor deployed to as a preview), even when preview-name is its name', async () => {
    const sha = repo.commit(astroProject());
    repo.push('feat/x');
    const from = emu.state.requests.length;
    const message = failed(
      await run({
        inputs: { action: 'delete-deployment-preview', 'preview-name': 'analytics' },
        ...deleteEvent('feat/x'),
        workspace: repo.emptyWorkspace(),
      }),
    );
    expect(message).toMatch(/is the name of the base Deployment/);
    expect(emu.state.deployment(analytics)).toBeDefined();
    for (const action of ['deploy-deployment-preview', 'create-deployment-preview', 'preview']) {
      const r = await run({
        inputs: { action, 'preview-name': 'analytics' },
        ...prEvent('synchronize', 'feat/x', sha),
      });
      expect({ action, message: failed(r) }).toEqual({
        action,
        message: expect.stringMatching(/is the name of the base Deployment/),
      });
    }
    expect(writes(from)).toEqual([]);
    expect(emu.state.deploys(analytics)).toEqual([]);
  });

  test('no preview: success, saying nothing was there', async () => {
    repo.commit(astroProject());
    const count = emu.state.deployments().length;
    const r = ok(
      await run({
        inputs: { action: 'delete-deployment-preview' },
        ...deleteEvent('feat/never'),
        workspace: repo.emptyWorkspace(),
      }),
    );
    expect(r.outputs.reason).toMatch(
      /no preview of analytics for branch feat\/never exists, so nothing was deleted/,
    );
    expect(r.summary).toMatch(/nothing was deleted/);
    expect(emu.state.deployments()).toHaveLength(count);
  });

  test("a preview named as Astronomer's deploy-action named it is found and deleted", async () => {
    repo.commit(astroProject());
    // deploy-action's name: `<last segment>_<base name>`, the base's description copied, no marker.
    const legacy = seedDeployment('fix-login_analytics', 'Analytics DAGs');
    const r = ok(
      await run({
        inputs: { action: 'delete-deployment-preview' },
        ...deleteEvent('team/fix-login'),
        workspace: repo.emptyWorkspace(),
      }),
    );
    expect(emu.state.deployment(legacy.id)).toBeUndefined();
    expect(r.outputs['preview-id']).toBe(legacy.id);
    expect(emu.state.deployment(analytics)).toBeDefined();
  });

  test('a deploy-action preview is reused and deployed to by action: preview, not duplicated', async () => {
    const sha = repo.commit(astroProject());
    repo.push('team/fix-login');
    const legacy = seedDeployment('fix-login_analytics', 'Analytics DAGs');
    const count = emu.state.deployments().length;
    const r = ok(
      await run({ inputs: { action: 'preview' }, ...prEvent('opened', 'team/fix-login', sha) }),
    );
    expect(r.outputs).toMatchObject({
      'preview-id': legacy.id,
      'deploy-type': 'dags-only',
      skipped: 'false',
    });
    expect(emu.state.deployments()).toHaveLength(count);
    expect(emu.state.deploys(legacy.id)).toHaveLength(1);
    expect(emu.state.deploys(analytics)).toEqual([]);
  });
});

/**
 * A pass-through to the emulator's Astro API that holds Deployment creates until `count` of
 * them are waiting, then lets them all through: two jobs that both looked and found no
 * preview send their creates at the same moment, whatever the machine's speed.
 */
async function holdCreates(apiUrl: string, count: number) {
  const target = new URL(apiUrl);
  let held: (() => void)[] = [];
  let most = 0;
  const release = () => {
    const go = held;
    held = [];
    for (const f of go) f();
  };
  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const reply = await fetch(new URL(req.url ?? '/', target.origin), {
      method: req.method,
      headers,
      body: body.length ? new Uint8Array(body) : undefined,
    });
    const text = Buffer.from(await reply.arrayBuffer());
    res.writeHead(reply.status, {
      'content-type': reply.headers.get('content-type') ?? 'application/json',
      ...(reply.headers.get('retry-after')
        ? { 'retry-after': reply.headers.get('retry-after')! }
        : {}),
    });
    res.end(text);
  };
  // Should a job never send its create, the others still go on (and the test says so).
  const timer = setInterval(release, 60_000);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const go = () => void forward(req, res, body).catch(() => res.destroy());
      if (req.method === 'POST' && /\/organizations\/[^/]+\/deployments$/.test(req.url ?? '')) {
        held.push(go);
        most = Math.max(most, held.length);
        if (held.length >= count) release();
      } else go();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    /** The most creates that were held at once. */
    heldTogether: () => most,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(timer);
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('two jobs creating one preview at once', () => {
  test.each([400, 409] as const)(
    'both end green with the one preview when Astro refuses the second name with %s',
    async (status) => {
      await emu.close();
      emu = await startEmulator({
        createDelayMs: 20,
        rolloutDelayMs: 20,
        duplicateNameStatus: status,
      });
      analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
      const sha = repo.commit(astroProject());
      repo.push('feat/twice');
      const proxy = await holdCreates(emu.url, 2);
      try {
        // A workflow on both `create` and `pull_request: opened`.
        const [a, b] = await Promise.all([
          run({ inputs: { action: 'preview' }, ...createEvent('feat/twice'), apiUrl: proxy.url }),
          run({
            inputs: { action: 'preview' },
            ...prEvent('opened', 'feat/twice', sha),
            apiUrl: proxy.url,
          }),
        ]);
        ok(a);
        ok(b);
        expect(proxy.heldTogether()).toBe(2);
        const previews = byName('feat-twice_analytics');
        expect(previews).toHaveLength(1);
        expect([a.outputs['preview-id'], b.outputs['preview-id']]).toEqual([
          previews[0].id,
          previews[0].id,
        ]);
        const creates = emu.state.requests
          .filter((q) => q.method === 'POST' && /\/deployments$/.test(q.path))
          .map((q) => q.status)
          .sort();
        expect(creates).toEqual([200, status]);
        const made = [a, b].map((r) => /\) (created|reused)/.exec(r.summary)?.[1]).sort();
        expect(made).toEqual(['created', 'reused']);
        expect(emu.state.deploys(analytics)).toEqual([]);
      } finally {
        await proxy.close();
      }
    },
  );
});

describe('action: preview', () => {
  test('pull request lifecycle: opened creates and deploys, reopened / ready_for_review reuse, synchronize deploys, closed deletes', async () => {
    const c1 = repo.commit(astroProject());
    repo.push('feat/pr');
    const inputs = { action: 'preview', 'copy-connections': 'false' };
    const count = emu.state.deployments().length;

    const opened = ok(await run({ inputs, ...prEvent('opened', 'feat/pr', c1) }));
    const id = opened.outputs['preview-id'];
    expect(emu.state.deployment(id)).toMatchObject({ name: 'feat-pr_analytics' });
    expect(emu.state.deployment(id)!.description).toContain(marker('feat/pr'));
    expect(opened.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });

    for (const action of ['reopened', 'ready_for_review']) {
      const r = ok(await run({ inputs, ...prEvent(action, 'feat/pr', c1) }));
      expect({ action, ...r.outputs }).toMatchObject({
        action,
        'preview-id': id,
        'deploy-type': 'none',
        skipped: 'true',
      });
    }
    expect(emu.state.deployments()).toHaveLength(count + 1);

    const c2 = repo.commit({ 'dags/b.py': 'B = 1\n' });
    repo.push('feat/pr');
    const sync = ok(
      await run({ inputs, ...prEvent('synchronize', 'feat/pr', c2, { before: c1 }) }),
    );
    expect(sync.outputs).toMatchObject({
      'preview-id': id,
      'deploy-type': 'dags-only',
      skipped: 'false',
    });
    expect(emu.state.deploys(id)).toHaveLength(2);

    const closed = ok(await run({ inputs, ...prEvent('closed', 'feat/pr', c2) }));
    expect(closed.outputs['preview-id']).toBe(id);
    expect(emu.state.deployment(id)).toBeUndefined();
    expect(emu.state.deployments()).toHaveLength(count);
  });

  test('branch create creates, branch delete deletes, a push fails in one sentence', async () => {
    const sha = repo.commit(astroProject());
    repo.push('feat/branch');
    const inputs = {
      action: 'preview',
      'copy-connections': 'false',
      'copy-airflow-variables': 'false',
      'copy-pools': 'false',
    };
    const created = ok(await run({ inputs, ...createEvent('feat/branch') }));
    const id = created.outputs['preview-id'];
    expect(emu.state.deployment(id)).toMatchObject({ name: 'feat-branch_analytics' });
    expect(created.outputs['deploy-type']).toBe('dags-only');

    const count = emu.state.deployments().length;
    const from = emu.state.requests.length;
    const message = failed(
      await run({
        inputs,
        eventName: 'push',
        event: { ref: 'refs/heads/feat/branch', after: sha },
      }),
    );
    expect(message).toMatch(
      /action 'preview' follows pull_request events and branch create\/delete events, not push to feat\/branch/,
    );
    const labeled = failed(await run({ inputs, ...prEvent('labeled', 'feat/branch', sha) }));
    expect(labeled).toMatch(/action 'preview' does nothing for pull_request 'labeled' events/);
    expect(emu.state.deployments()).toHaveLength(count);
    expect(writes(from)).toEqual([]);

    ok(await run({ inputs, ...deleteEvent('feat/branch'), workspace: repo.emptyWorkspace() }));
    expect(emu.state.deployment(id)).toBeUndefined();
    expect(emu.state.deployment(analytics)).toBeDefined();
  });
});

describe('pr-comment', () => {
  let gh: GitHubStandIn;
  beforeEach(async () => {
    gh = await startGitHubApi({ token: 'ghs_comment_token_0123456789' });
  });
  afterEach(async () => {
    await gh.close();
  });
  const withGitHub = () => ({ env: { GITHUB_API_URL: gh.url }, secrets: [gh.token] });

  test('one comment: created on opened, updated in place on synchronize', async () => {
    const c1 = repo.commit(astroProject());
    repo.push('feat/comment');
    const inputs = {
      action: 'preview',
      'pr-comment': 'true',
      'github-token': gh.token,
      'copy-connections': 'false',
    };
    const opened = ok(
      await run({ inputs, ...prEvent('opened', 'feat/comment', c1), ...withGitHub() }),
    );
    const [comment, ...more] = gh.list('acme/airflow', 7);
    expect(more).toEqual([]);
    expect(comment.body).toContain('feat-comment_analytics'); // (an _ inside a word needs no escape)
    expect(comment.body).toContain(opened.outputs['deployment-url']);
    expect(comment.body).toContain('dags-only');
    const firstBody = comment.body;

    const c2 = repo.commit({ 'dags/c.py': 'C = 1\n' });
    repo.push('feat/comment');
    ok(
      await run({
        inputs,
        ...prEvent('synchronize', 'feat/comment', c2, { before: c1 }),
        ...withGitHub(),
      }),
    );
    const after = gh.list('acme/airflow', 7);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(comment.id);
    expect(after[0].body).not.toBe(firstBody);
    expect(after[0].body).toContain(c2.slice(0, 7));
    // The comment follows each run (deploying, then deployed): posted once (when the preview
    // is about to be created), edited since.
    const comments = gh.requests.filter((q) => q.path.includes('/comments'));
    expect(comments.filter((q) => q.method === 'POST')).toHaveLength(1);
    expect(comments.filter((q) => q.method === 'PATCH')).toHaveLength(4);

    // Closing the pull request deletes the preview and says so in the same comment.
    ok(await run({ inputs, ...prEvent('closed', 'feat/comment', c2), ...withGitHub() }));
    const closed = gh.list('acme/airflow', 7);
    expect(closed).toHaveLength(1);
    expect(closed[0].id).toBe(comment.id);
    expect(closed[0].body).toMatch(/was deleted/);
    expect(closed[0].body).not.toContain('| Deployment |');
  });

  test('a token that cannot write: a warning, the step still succeeds', async () => {
    gh.writeDenied = true;
    const c1 = repo.commit(astroProject());
    repo.push('feat/denied');
    const inputs = {
      action: 'preview',
      'pr-comment': 'true',
      'github-token': gh.token,
      'copy-connections': 'false',
    };
    const r = ok(await run({ inputs, ...prEvent('opened', 'feat/denied', c1), ...withGitHub() }));
    expect(r.outputs['deploy-type']).toBe('dags-only');
    expect(warnings(r).some((w) => /Could not .*comment/i.test(w))).toBe(true);
    expect(gh.list('acme/airflow', 7)).toEqual([]);
    expect(gh.requests.some((q) => q.method === 'POST')).toBe(true);
  });
});

describe('dry run changes nothing', () => {
  test('every preview mode only reads', async () => {
    const c1 = repo.commit(astroProject());
    repo.push('feat/dry');
    const dry = { 'dry-run': 'true' };
    const check = async (o: Run, expectOk = true): Promise<RunResult> => {
      const count = emu.state.deployments().length;
      const deploys = emu.state.deploys().length;
      const from = emu.state.requests.length;
      const r = await run(o);
      if (expectOk) ok(r);
      expect(writes(from)).toEqual([]);
      expect(emu.state.deployments()).toHaveLength(count);
      expect(emu.state.deploys()).toHaveLength(deploys);
      return r;
    };

    // No preview yet.
    let r = await check({
      inputs: { ...dry, action: 'create-deployment-preview' },
      ...createEvent('feat/dry'),
    });
    expect(r.outputs.reason).toMatch(/dry run: would create preview feat-dry_analytics/);
    r = await check({
      inputs: { ...dry, action: 'preview' },
      ...prEvent('opened', 'feat/dry', c1),
    });
    expect(r.outputs.reason).toMatch(/would create preview feat-dry_analytics/);
    r = await check({
      inputs: { ...dry, action: 'delete-deployment-preview' },
      ...deleteEvent('feat/dry'),
    });
    expect(r.outputs.reason).toMatch(/dry run: no preview/);
    r = await check(
      {
        inputs: { ...dry, action: 'deploy-deployment-preview' },
        ...prEvent('synchronize', 'feat/dry', c1),
      },
      false,
    );
    expect(failed(r)).toMatch(/action: create-deployment-preview/);

    // With a preview (made for real), and a DAG change on the branch.
    const made = ok(
      await run({
        inputs: { action: 'create-deployment-preview', 'copy-connections': 'false' },
        ...createEvent('feat/dry'),
      }),
    );
    const id = made.outputs['preview-id'];
    const c2 = repo.commit({ 'dags/d.py': 'D = 1\n' });
    repo.push('feat/dry');
    for (const action of ['create-deployment-preview', 'deploy-deployment-preview', 'preview']) {
      r = await check({
        inputs: { ...dry, action },
        ...prEvent('synchronize', 'feat/dry', c2, { before: c1 }),
      });
      expect({ action, ...r.outputs }).toMatchObject({
        action,
        'preview-id': id,
        'deploy-type': 'dags-only',
        skipped: 'true',
      });
      expect(r.outputs.reason).toMatch(/^dry run: would deploy dags-only/);
    }
    for (const o of [
      { action: 'delete-deployment-preview', ...deleteEvent('feat/dry') },
      { action: 'preview', ...prEvent('closed', 'feat/dry', c2) },
    ]) {
      const { action, ...event } = o;
      r = await check({ inputs: { ...dry, action }, ...event, workspace: repo.emptyWorkspace() });
      expect(r.outputs.reason).toMatch(/dry run: would delete preview feat-dry_analytics/);
    }
    expect(emu.state.deployment(id)).toBeDefined();
  });

  test('a dry run predicts the refusal of a Deployment that only has the computed name', async () => {
    const c1 = repo.commit(astroProject());
    repo.push('feat/taken');
    const foreign = seedDeployment('feat-taken_analytics', 'Someone else');
    for (const [action, event] of [
      ['delete-deployment-preview', deleteEvent('feat/taken')],
      ['create-deployment-preview', createEvent('feat/taken')],
      ['preview', prEvent('opened', 'feat/taken', c1)],
    ] as const) {
      const from = emu.state.requests.length;
      const r = await run({ inputs: { 'dry-run': 'true', action }, ...event });
      expect({ action, message: failed(r) }).toEqual({
        action,
        message: expect.stringMatching(/refusing to touch it/),
      });
      expect(writes(from)).toEqual([]);
    }
    expect(emu.state.deployment(foreign.id)).toBeDefined();
  });
});
