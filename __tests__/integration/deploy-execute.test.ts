// executeDeploy against the in-process emulator over loopback, with the real Astro client and
// blob upload: DAG-only (tarball entries and determinism), dbt, non-dags, wake and restore
// (with and without an earlier override), timeout, a newer deploy replacing ours, quotes in
// the description, and refusals that must come before any deploy is created.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAstroClient, type AstroClient } from '../../src/astro/client.js';
import type { GitInfo } from '../../src/astro/types.js';
import { uploadBlob } from '../../src/astro/upload.js';
import { executeDeploy, type DeployRequest } from '../../src/deploy/execute.js';
import { Journal } from '../../src/journal.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { listTarball } from '../../src/deploy/tar-read.js';
import { writeTarball } from '../../src/deploy/tarball.js';

const git: GitInfo = {
  provider: 'GITHUB',
  commitSha: '0123456789abcdef0123456789abcdef01234567',
  account: 'acme',
  repo: 'airflow',
  branch: 'main',
};

let tmp: string;
const emulators: Emulator[] = [];

async function emulator(
  opts: Parameters<typeof startEmulator>[0] = {},
): Promise<{ emu: Emulator; api: AstroClient }> {
  const emu = await startEmulator({
    createDelayMs: 50,
    rolloutDelayMs: 300,
    wakeDelayMs: 300,
    ...opts,
  });
  emulators.push(emu);
  const api = await createAstroClient({ baseUrl: emu.url, token: emu.token, log: silentLog });
  return { emu, api };
}

beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'deploy-exec-'));
});
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  await fs.rm(tmp, { recursive: true, force: true });
});

async function put(rel: string, content: string): Promise<void> {
  const p = path.join(tmp, rel);
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, content);
}

/** An Astro project: dags/, include/, a Dockerfile, caches that must not ship. */
async function astroProject(): Promise<string> {
  await put('project/Dockerfile', 'FROM astro-runtime-standin:3.0-1\n');
  await put('project/requirements.txt', '');
  await put('project/dags/etl.py', 'from airflow import DAG\n');
  await put('project/dags/reports/daily.py', 'x = 1\n');
  await put('project/dags/reports/__pycache__/daily.cpython-311.pyc', 'bytecode');
  await put('project/dags/generated/config.json', '{"a": 1}\n');
  await put('project/dags/.airflowignore', 'scratch/\n');
  await put('project/include/sql/q.sql', 'select 1;\n');
  return path.join(tmp, 'project');
}

async function request(
  api: AstroClient,
  nameOrId: string,
  over: Partial<DeployRequest> = {},
): Promise<DeployRequest> {
  const deployment = (await api.listDeployments()).find(
    (d) => d.name === nameOrId || d.id === nameOrId,
  )!;
  const projectDir = over.projectDir ?? path.join(tmp, 'project');
  return {
    kind: 'dags-only',
    deployment,
    projectDir,
    dagsDir: path.join(projectDir, 'dags'),
    noDagsBaseDir: false,
    description: 'Add the ETL DAG',
    git,
    buildSecrets: [],
    waitMs: 30_000,
    wakeOnDeploy: false,
    token: 'unused-for-dag-deploys',
    ...over,
  };
}

const deps = (api: AstroClient, log = recordingLog()) => ({ api, log, tmpDir: tmp });

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

describe('DAG-only', () => {
  test('ships the DAG folder as a deterministic tarball and waits until it is live', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const req = await request(api, 'analytics', {
      description: `Fix "quoted" names, it's $(not) a \`shell\`; 100% \\ safe`,
    });
    const log = recordingLog();
    const r = await executeDeploy(req, deps(api, log));

    expect(r.kind).toBe('dags-only');
    expect(r.dagTarballVersion).toBeTruthy();
    expect(r.warnings).toEqual([]);
    expect(emu.state.blobFiles(r.dagTarballVersion!)).toEqual([
      'dags/.airflowignore',
      'dags/etl.py',
      'dags/generated/config.json',
      'dags/reports/daily.py',
    ]);
    const live = emu.state.deployment('analytics')!;
    expect(live.dagTarballVersion).toBe(r.dagTarballVersion);
    expect(live.status).toBe('HEALTHY');
    expect(r.deployment?.dagTarballVersion).toBe(r.dagTarballVersion);
    const [deploy] = emu.state.deploys(live.id);
    expect(deploy).toMatchObject({
      id: r.deployId,
      type: 'DAG_ONLY',
      status: 'DEPLOYED',
      description: `Fix "quoted" names, it's $(not) a \`shell\`; 100% \\ safe`,
      git,
      finalizeCount: 1,
      dagTarballVersion: r.dagTarballVersion,
    });
    // the rollout finished before we returned, and our temp files are gone
    const rollout = emu.state.rollouts.find((x) => x.deployId === r.deployId)!;
    expect(rollout.finishedAt).toBeLessThanOrEqual(Date.now());
    expect(await fs.readdir(tmp)).toEqual(['project']);
    expect(log.lines.join('\n')).not.toContain('sig=');

    // Same folder again (files touched): byte-identical upload.
    const later = new Date(Date.now() + 3600_000);
    await fs.utimes(path.join(tmp, 'project/dags/etl.py'), later, later);
    const r2 = await executeDeploy(await request(api, 'analytics'), deps(api));
    expect(r2.dagTarballVersion).not.toBe(r.dagTarballVersion);
    const b1 = emu.state.blobs.get(r.dagTarballVersion!)!.bytes;
    const b2 = emu.state.blobs.get(r2.dagTarballVersion!)!.bytes;
    expect(sha(b2)).toBe(sha(b1));
    expect(r2.tarball?.sha256).toBe(sha(b1));
  });

  test('no-dags-base-dir puts the DAGs at the archive root', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const r = await executeDeploy(
      await request(api, 'analytics', { noDagsBaseDir: true }),
      deps(api),
    );
    expect(emu.state.blobFiles(r.dagTarballVersion!)).toEqual([
      '.airflowignore',
      'etl.py',
      'generated/config.json',
      'reports/daily.py',
    ]);
  });

  test('an empty DAG folder deploys with a warning that every DAG goes', async () => {
    const { emu, api } = await emulator();
    await fs.mkdir(path.join(tmp, 'project/dags'), { recursive: true });
    const r = await executeDeploy(await request(api, 'analytics'), deps(api));
    expect(r.warnings).toEqual([
      expect.stringMatching(/is empty: this deploy removes every DAG from analytics/),
    ]);
    expect(emu.state.blobFiles(r.dagTarballVersion!)).toEqual([]);
    expect(emu.state.deployment('analytics')!.dagTarballVersion).toBe(r.dagTarballVersion);
  });

  test.each<[string, Record<string, string>, boolean]>([
    ['only .airflowignore', { '.airflowignore': 'x\n' }, true],
    ['only __init__.py files', { '__init__.py': '', 'sub/__init__.py': '' }, true],
    [
      '.airflowignore, __init__.py and data',
      { '.airflowignore': '', '__init__.py': '', 'a.json': '{}' },
      true,
    ],
    ['one DAG file in a subfolder', { '__init__.py': '', 'sub/etl.py': 'x = 1\n' }, false],
  ])('a DAG folder with %s: every-DAG warning %s', async (_what, files, warned) => {
    const { api } = await emulator();
    for (const [rel, text] of Object.entries(files)) await put(`project/dags/${rel}`, text);
    const r = await executeDeploy(await request(api, 'analytics'), deps(api));
    const every = r.warnings.filter((w) => /this deploy removes every DAG from analytics/.test(w));
    expect(every).toHaveLength(warned ? 1 : 0);
    if (warned) expect(every[0]).toContain('has no .py file');
  });

  test('refusals come before any deploy is created', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const warehouse = (await request(api, 'warehouse')).deployment;
    // DAG deploys disabled
    await expect(executeDeploy(await request(api, 'warehouse'), deps(api))).rejects.toThrow(
      /DAG-only deploys need DAG deploys enabled on warehouse .*deploy-type: image-and-dags/,
    );
    // image-only without DAG deploys: the DAGs would ship nowhere
    await expect(
      executeDeploy(await request(api, 'warehouse', { kind: 'image-only' }), deps(api)),
    ).rejects.toThrow(
      /Image-only deploys need DAG deploys enabled on warehouse .*use deploy-type: image-and-dags/,
    );
    // missing DAG folder
    await expect(
      executeDeploy(
        await request(api, 'analytics', { dagsDir: path.join(tmp, 'project/nope') }),
        deps(api),
      ),
    ).rejects.toThrow(/DAG folder .*nope does not exist; set dags-path/);
    // a symlink out of the folder
    await put('outside.txt', 'not a DAG\n');
    await fs.symlink('../../outside.txt', path.join(tmp, 'project/dags/host.txt'));
    await expect(executeDeploy(await request(api, 'analytics'), deps(api))).rejects.toThrow(
      /A symlink points outside .*host\.txt -> \.\.\/\.\.\/outside\.txt/,
    );
    await fs.rm(path.join(tmp, 'project/dags/host.txt'));
    await fs.rm(path.join(tmp, 'outside.txt'));
    // the checks hook says no
    let called = 0;
    await expect(
      executeDeploy(
        await request(api, 'analytics', {
          beforeCreate: async (image) => {
            called++;
            expect(image).toBeUndefined();
            throw new Error('DAG import errors in dags/etl.py');
          },
        }),
        deps(api),
      ),
    ).rejects.toThrow('DAG import errors in dags/etl.py');
    expect(called).toBe(1);
    const analytics = emu.state.deployment('analytics')!;
    expect(
      emu.state
        .deploys(analytics.id)
        .filter((d) => d.createdBySubject?.apiTokenName !== 'emulator'),
    ).toEqual([]);
    expect(
      emu.state
        .deploys(warehouse.id)
        .filter((d) => d.createdBySubject?.apiTokenName !== 'emulator'),
    ).toEqual([]);
  });

  test('gives up at wait-time naming the status and the pending version, with the deploy id in the journal', async () => {
    const { emu, api } = await emulator({ rolloutDelayMs: 60_000 });
    await astroProject();
    const before = emu.state.deployment('analytics')!.dagTarballVersion;
    const journal = new Journal();
    const err = (await executeDeploy(await request(api, 'analytics', { waitMs: 1500 }), {
      ...deps(api),
      journal,
    }).catch((e) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    const [deploy] = emu.state.deploys(emu.state.deployment('analytics')!.id);
    expect(err.message).toBe(
      `analytics is still DEPLOYING after 2s: dagTarballVersion is ${before}, waiting for ${deploy.dagTarballVersion}; ` +
        'raise wait-time or check the Deployment in the Astro UI.',
    );
    expect(journal.failedDeploy?.id).toBe(deploy.id);
  });

  test('stops waiting, with a warning, when a newer deploy replaces ours before it is live', async () => {
    const { emu, api } = await emulator({ rolloutDelayMs: 4000 });
    await astroProject();
    const id = emu.state.deployment('analytics')!.id;
    const ours = executeDeploy(await request(api, 'analytics', { waitMs: 60_000 }), deps(api));
    // Once ours is finalized, someone else deploys.
    while (!emu.state.rollouts.length) await new Promise((r) => setTimeout(r, 20));
    const other = await api.createDeploy(id, { type: 'DAG_ONLY', description: 'newer' });
    const tar = await writeTarball({
      dir: path.join(tmp, 'project/dags'),
      prefix: 'dags',
      out: path.join(tmp, 'other.tar.gz'),
    });
    const version = await uploadBlob({ url: other.dagsUploadUrl!, file: tar.path, log: silentLog });
    await api.finalizeDeploy(id, other.id, { dagTarballVersion: version });
    const r = await ours;
    expect(r.supersededBy).toBe(`dagTarballVersion ${version}`);
    expect(r.warnings).toEqual([expect.stringMatching(/A newer deploy .* replaced deploy/)]);
  });
});

describe('Astro Hybrid: the monitoring DAG', () => {
  const MONITORING = 'astronomer_monitoring_dag.py';
  /** The DAG tarball's entries of a deploy, and the monitoring DAG's text when it is there. */
  async function shipped(emu: Emulator, version: string) {
    const file = path.join(tmp, `${version.replace(/[^0-9A-Za-z]/g, '')}.tar.gz`);
    await fs.writeFile(file, emu.state.blobs.get(version)!.bytes);
    const entries = await listTarball(file, { withData: true });
    const dag = entries.find((e) => e.name.endsWith(MONITORING));
    return { names: entries.map((e) => e.name), dag: dag?.data?.toString('utf8') };
  }

  test.each([
    ['Airflow 3 (3.0-7)', '3.0-7', 'from airflow.providers.standard.operators.bash import'],
    ['Airflow 2 (12.9.0)', '12.9.0', 'from airflow.operators.bash import'],
  ])(
    'a HYBRID Deployment of a Hybrid organization gets it at the DAG folder top level: %s',
    async (_name, runtime, importLine) => {
      const { emu, api } = await emulator({ organizationProduct: 'HYBRID' });
      await astroProject();
      const dep = emu.state.addDeployment({
        name: `hybrid-${runtime}`,
        type: 'HYBRID',
        astroRuntimeVersion: runtime,
        isDagDeployEnabled: true,
      });
      const r = await executeDeploy(await request(api, dep.id), deps(api));
      const { names, dag } = await shipped(emu, r.dagTarballVersion!);
      expect(names).toContain(`dags/${MONITORING}`);
      expect(names.filter((n) => n.endsWith(MONITORING))).toHaveLength(1);
      expect(dag).toContain('dag_id="astronomer_monitoring_dag"');
      expect(dag).toContain(importLine);
      // Only in the tarball: the project's DAG folder is untouched.
      await expect(fs.stat(path.join(tmp, 'project/dags', MONITORING))).rejects.toThrow();
      // no-dags-base-dir: at the archive root, like the other DAG files.
      const root = await executeDeploy(
        await request(api, dep.id, { noDagsBaseDir: true }),
        deps(api),
      );
      expect((await shipped(emu, root.dagTarballVersion!)).names).toContain(MONITORING);
    },
  );

  test.each<[string, 'HOSTED' | 'HYBRID', string | undefined]>([
    ['a Hosted organization, STANDARD Deployment', 'HOSTED', undefined],
    ['a Hosted organization, even with a HYBRID-typed Deployment', 'HOSTED', 'HYBRID'],
    ['a Hybrid organization, STANDARD Deployment', 'HYBRID', 'STANDARD'],
  ])('nothing is added for %s', async (_name, product, type) => {
    const { emu, api } = await emulator({ organizationProduct: product });
    await astroProject();
    const dep = emu.state.addDeployment({
      name: 'not-hybrid',
      ...(type ? { type } : {}),
      astroRuntimeVersion: '3.0-7',
      isDagDeployEnabled: true,
    });
    const r = await executeDeploy(await request(api, dep.id), deps(api));
    const { names } = await shipped(emu, r.dagTarballVersion!);
    expect(names.filter((n) => n.includes('monitoring'))).toEqual([]);
    expect(names).toContain('dags/etl.py');
  });
});

describe('bundles', () => {
  test('dbt: the project ships at the archive root to the default mount path', async () => {
    const { emu, api } = await emulator();
    await put('dbt/dbt_project.yml', "name: 'jaffle_shop'\nversion: '1.0'\nprofile: jaffle\n");
    await put('dbt/models/orders.sql', 'select 1\n');
    await put('dbt/target/manifest.json', '{}\n');
    const r = await executeDeploy(
      await request(api, 'analytics', {
        kind: 'dbt',
        projectDir: path.join(tmp, 'dbt'),
        description: 'dbt models',
      }),
      deps(api),
    );
    expect(r.bundleMountPath).toBe('/usr/local/airflow/dbt/jaffle_shop');
    expect(emu.state.blobFiles(r.bundleVersion!)).toEqual([
      'dbt_project.yml',
      'models/orders.sql',
      'target/manifest.json',
    ]);
    const deploy = emu.state
      .deploys(emu.state.deployment('analytics')!.id)
      .find((d) => d.id === r.deployId)!;
    expect(deploy.bundles).toEqual([
      {
        bundleType: 'dbt',
        deployId: r.deployId,
        mountPath: '/usr/local/airflow/dbt/jaffle_shop',
        currentVersion: r.bundleVersion,
        desiredVersion: r.bundleVersion,
      },
    ]);
    expect(deploy.finalizeCount).toBe(1);
  });

  test('dbt without dbt_project.yml is a clear error', async () => {
    const { api } = await emulator();
    await put('dbt/models/orders.sql', 'select 1\n');
    await expect(
      executeDeploy(
        await request(api, 'analytics', { kind: 'dbt', projectDir: path.join(tmp, 'dbt') }),
        deps(api),
      ),
    ).rejects.toThrow(/deploy-type dbt needs a dbt project, but .* has no dbt_project\.yml/);
  });

  test('non-dags needs a mount path, then ships with its bundle type', async () => {
    const { emu, api } = await emulator();
    await put('bundle/data/lookup.csv', 'a,b\n');
    const base = { kind: 'non-dags' as const, projectDir: path.join(tmp, 'bundle') };
    await expect(executeDeploy(await request(api, 'analytics', base), deps(api))).rejects.toThrow(
      /non-dags needs mount-path/,
    );
    const r = await executeDeploy(
      await request(api, 'analytics', {
        ...base,
        mountPath: '/usr/local/airflow/data',
        bundleType: 'lookups',
      }),
      deps(api),
    );
    expect(emu.state.blobFiles(r.bundleVersion!)).toEqual(['data/lookup.csv']);
    const deploy = emu.state
      .deploys(emu.state.deployment('analytics')!.id)
      .find((d) => d.id === r.deployId)!;
    expect(deploy.bundles?.[0]).toMatchObject({
      bundleType: 'lookups',
      mountPath: '/usr/local/airflow/data',
      currentVersion: r.bundleVersion,
    });
  });
});

describe('hibernation', () => {
  test('without wake-on-deploy a hibernating Deployment is refused before any deploy', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    await expect(executeDeploy(await request(api, 'sandbox'), deps(api))).rejects.toThrow(
      /sandbox .* is hibernating.*`wake-on-deploy: true`/,
    );
    const sandbox = emu.state.deployment('sandbox')!;
    expect(emu.state.deploys(sandbox.id).filter((d) => d.status === 'INITIALIZED')).toEqual([]);
    expect(emu.state.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('wakes, deploys, and removes its override when there was none', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const r = await executeDeploy(await request(api, 'sandbox', { wakeOnDeploy: true }), deps(api));
    const sandbox = emu.state.deployment('sandbox')!;
    expect(sandbox.dagTarballVersion).toBe(r.dagTarballVersion);
    expect(sandbox.scalingSpec?.hibernationSpec?.override).toBeUndefined();
    expect(sandbox.status).toBe('HIBERNATING'); // its schedule applies again
    expect(r.warnings).toEqual([]);
  });

  test('puts an earlier override back exactly', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const id = emu.state.deployment('sandbox')!.id;
    const until = new Date(Date.now() + 5 * 86400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await api.setHibernationOverride(id, { isHibernating: true, overrideUntil: until });
    const r = await executeDeploy(await request(api, 'sandbox', { wakeOnDeploy: true }), deps(api));
    const sandbox = emu.state.deployment('sandbox')!;
    expect(sandbox.dagTarballVersion).toBe(r.dagTarballVersion);
    expect(sandbox.scalingSpec?.hibernationSpec?.override).toEqual({
      isActive: true,
      isHibernating: true,
      overrideUntil: until,
    });
    expect(sandbox.status).toBe('HIBERNATING');
  });

  test('an override without an end date comes back without one', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const id = emu.state.deployment('sandbox')!.id;
    await api.setHibernationOverride(id, { isHibernating: true });
    await executeDeploy(await request(api, 'sandbox', { wakeOnDeploy: true }), deps(api));
    expect(emu.state.deployment('sandbox')!.scalingSpec?.hibernationSpec?.override).toEqual({
      isActive: true,
      isHibernating: true,
    });
  });

  test('a deploy failing while the Deployment still wakes stops waiting and restores at once', async () => {
    // Waking would take 10 minutes: the test only ends if the failure stops the wait.
    const { emu, api } = await emulator({ wakeDelayMs: 600_000 });
    await astroProject();
    const id = emu.state.deployment('sandbox')!.id;
    await expect(
      executeDeploy(
        await request(api, 'sandbox', {
          wakeOnDeploy: true,
          waitMs: 600_000,
          beforeCreate: async () => {
            throw new Error('parse failed');
          },
        }),
        deps(api),
      ),
    ).rejects.toThrow('parse failed');
    expect(emu.state.deployment('sandbox')!.scalingSpec?.hibernationSpec?.override).toBeUndefined();
    expect(emu.state.deploys(id)).toEqual([]);
  }, 20_000);

  test('a failed deploy restores the override too', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const id = emu.state.deployment('sandbox')!.id;
    await api.setHibernationOverride(id, { isHibernating: true });
    await expect(
      executeDeploy(
        await request(api, 'sandbox', {
          wakeOnDeploy: true,
          beforeCreate: async () => {
            throw new Error('pytest failed');
          },
        }),
        deps(api),
      ),
    ).rejects.toThrow('pytest failed');
    const sandbox = emu.state.deployment('sandbox')!;
    expect(sandbox.scalingSpec?.hibernationSpec?.override).toEqual({
      isActive: true,
      isHibernating: true,
    });
    expect(emu.state.deploys(id).filter((d) => d.status === 'INITIALIZED')).toEqual([]);
    // it was woken (override set to false) and put back: two POSTs, no deploy
    const posts = emu.state.requests
      .filter((r) => r.method === 'POST')
      .map((r) => r.path.split('/').pop());
    expect(posts).toEqual(['hibernation-override', 'hibernation-override', 'hibernation-override']);
  });
});

describe('the stale guard before the finalize', () => {
  test('a reason not to finalize leaves the created deploy unfinalized, and nothing goes live', async () => {
    const { emu, api } = await emulator();
    await astroProject();
    const before = emu.state.deployment('analytics')!;
    const log = recordingLog();
    let asked = 0;
    const r = await executeDeploy(
      await request(api, 'analytics', {
        beforeFinalize: async () => {
          asked++;
          // the upload is done by now: only the finalize is left
          expect(emu.state.blobs.size).toBe(1);
          return { stale: 'a later run deployed a newer commit abc while this run was deploying' };
        },
      }),
      deps(api, log),
    );
    expect(asked).toBe(1);
    expect(r.notFinalized).toBe(
      'a later run deployed a newer commit abc while this run was deploying',
    );
    const [deploy] = emu.state.deploys(before.id);
    expect(r.deployId).toBe(deploy.id);
    expect(deploy).toMatchObject({ status: 'INITIALIZED', finalizeCount: 0 });
    expect(emu.state.rollouts).toEqual([]);
    expect(emu.state.deployment('analytics')!.dagTarballVersion).toBe(before.dagTarballVersion);
    expect(log.lines).toContain(
      `info: Not finalizing deploy ${deploy.id}: a later run deployed a newer commit abc while this run was deploying.`,
    );
  });
});
