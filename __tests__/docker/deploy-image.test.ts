// Image deploys with a real Docker engine and a real registry: the registry sits behind
// htpasswd with user `cli` and the emulator's token as password, and the emulator's
// imageRepository points at it. The project's Dockerfile starts from a locally built base
// image labelled like an Astro Runtime image. Every deploy must end with the image in the
// registry under the tag the API handed out.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAstroClient, type AstroClient } from '../../src/astro/client.js';
import { executeDeploy, type DeployRequest } from '../../src/deploy/execute.js';
import { createDocker, type Docker } from '../../src/platform/docker.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { dockerForTests } from '../support/docker-env.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { ensureRuntimeImage } from '../support/runtime-image.js';

const docker = await dockerForTests();
const dtest = docker ? test : test.skip;

let base = '';
let emu: Emulator;
let api: AstroClient;
let registry: Registry;
let tmp: string;
const localImages: string[] = [];

beforeAll(async () => {
  if (!docker) return;
  base = await ensureRuntimeImage(docker);
  emu = await startEmulator({ createDelayMs: 50, rolloutDelayMs: 300 });
  registry = await startRegistry({ username: 'cli', password: emu.token });
  // Point every Deployment's image repository at the registry.
  for (const d of emu.state.deployments()) {
    emu.state.patchDeployment(d.id, {
      imageRepository: `${registry.host}/${d.organizationId}/${d.namespace}`,
    });
  }
  api = await createAstroClient({ baseUrl: emu.url, token: emu.token, log: silentLog });
  tmp = await mkdtemp(path.join(os.tmpdir(), 'deploy-image-'));
}, 300_000);

afterAll(async () => {
  if (!docker) return;
  for (const i of localImages) await docker.remove(i);
  await docker.dispose();
  await emu?.close();
  await registry?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function project(
  name: string,
  dockerfile = `FROM ${base}\nCOPY . /usr/local/airflow/\n`,
): Promise<string> {
  const dir = path.join(tmp, name);
  const files: Record<string, string> = {
    Dockerfile: dockerfile,
    'requirements.txt': '',
    'dags/etl.py': 'from airflow import DAG\n',
    'dags/sub/report.py': 'x = 1\n',
    'include/q.sql': 'select 1;\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

function deploymentNamed(name: string) {
  return emu.state.deployments().find((d) => d.name === name)!;
}

function request(
  name: string,
  projectDir: string,
  over: Partial<DeployRequest> = {},
): DeployRequest {
  return {
    kind: 'image-and-dags',
    deployment: deploymentNamed(name),
    projectDir,
    dagsDir: path.join(projectDir, 'dags'),
    noDagsBaseDir: false,
    description: 'Image deploy from the Docker tier',
    git: {
      provider: 'GITHUB',
      commitSha: 'f'.repeat(40),
      account: 'acme',
      repo: 'airflow',
      branch: 'main',
    },
    buildSecrets: [],
    waitMs: 60_000,
    wakeOnDeploy: false,
    token: emu.token,
    ...over,
  };
}

/** Tags of a repository in the registry (basic auth as `cli`). */
async function registryTags(imageRef: string): Promise<string[]> {
  const repo = imageRef.slice(registry.host.length + 1, imageRef.lastIndexOf(':'));
  const res = await fetch(`http://${registry.host}/v2/${repo}/tags/list`, {
    headers: { authorization: `Basic ${Buffer.from(`cli:${emu.token}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { tags: string[] }).tags;
}

/** Files under /usr/local/airflow of an image pulled back from the registry. */
async function filesInPushedImage(d: Docker, ref: string): Promise<string[]> {
  await d.remove(ref);
  await d.login(registry.host, 'cli', emu.token);
  await d.pull(ref);
  localImages.push(ref);
  const r = await d.run({
    image: ref,
    entrypoint: 'python',
    args: [
      '-c',
      'import os\nfor r, _, fs in os.walk("/usr/local/airflow"):\n    for f in fs: print(os.path.relpath(os.path.join(r, f), "/usr/local/airflow"))',
    ],
  });
  expect({ exitCode: r.exitCode, stderr: r.stderr }).toEqual({ exitCode: 0, stderr: '' });
  return r.stdout.trim().split('\n').filter(Boolean).sort();
}

dtest(
  'image-and-dags: builds without the DAG folder, pushes under the API tag, ships the DAGs, waits',
  async () => {
    const dir = await project('full');
    const d = createDocker({ log: silentLog });
    const seen: (string | undefined)[] = [];
    const log = recordingLog();
    const r = await executeDeploy(
      request('analytics', dir, { beforeCreate: async (image) => void seen.push(image) }),
      { api, docker: d, log, tmpDir: tmp },
    );
    const analytics = deploymentNamed('analytics');
    const deploy = emu.state.deploys(analytics.id).find((x) => x.id === r.deployId)!;
    expect(deploy).toMatchObject({ type: 'IMAGE_AND_DAG', status: 'DEPLOYED', finalizeCount: 1 });
    expect(r.imageTag).toBe(deploy.imageTag);
    expect(r.imageRef).toBe(`${analytics.imageRepository}:${deploy.imageTag}`);
    expect(await registryTags(r.imageRef!)).toContain(deploy.imageTag);
    expect(analytics.imageTag).toBe(deploy.imageTag);
    expect(analytics.dagTarballVersion).toBe(r.dagTarballVersion);
    expect(emu.state.blobFiles(r.dagTarballVersion!)).toEqual([
      'dags/etl.py',
      'dags/sub/report.py',
    ]);
    // the checks hook got the locally built image, before the deploy existed
    expect(seen).toEqual([expect.stringMatching(/^astro-deploy-[a-z0-9]+:local-[0-9a-f]{12}$/)]);
    // our local tags are gone, the registry credentials too
    expect(await d.imageExists(seen[0]!)).toBe(false);
    expect(d.configDir()).toBeUndefined();
    // DAGs ship separately: the image has none
    const files = await filesInPushedImage(d, r.imageRef!);
    expect(files).toEqual(
      expect.arrayContaining(['Dockerfile', 'include/q.sql', 'requirements.txt']),
    );
    expect(files.filter((f) => f.startsWith('dags/'))).toEqual([]);
    await d.dispose();
    expect(log.lines.join('\n')).not.toContain(emu.token);
  },
  300_000,
);

dtest(
  "the next image deploy reuses the live image's layers (inline cache), on a fresh builder after an include/ change",
  async () => {
    // `REQ""-INSTALLED` in the Dockerfile prints REQ-INSTALLED only when the step really runs.
    const dir = await project(
      'cached',
      `FROM ${base}\nCOPY requirements.txt /tmp/requirements.txt\nRUN echo REQ""-INSTALLED > /tmp/installed && echo REQ""-INSTALLED\nCOPY . /usr/local/airflow/\n`,
    );
    const built = recordingLog(); // the build's own output
    const d = createDocker({ log: built });
    const buildkit = (await d.client()).buildkit !== 'none';
    const r1 = await executeDeploy(request('analytics', dir), {
      api,
      docker: d,
      log: silentLog,
      tmpDir: tmp,
    });
    expect(built.lines.join('\n')).toContain('REQ-INSTALLED');
    built.lines.length = 0;
    // A new runner: no build cache, no local image.
    await d.command(['builder', 'prune', '--all', '--force']);
    await d.remove(r1.imageRef!);
    await writeFile(path.join(dir, 'include/q.sql'), 'select 2;\n');
    const r2 = await executeDeploy(request('analytics', dir), {
      api,
      docker: d,
      log: silentLog,
      tmpDir: tmp,
    });
    expect(r2.imageRef).not.toBe(r1.imageRef);
    const text = built.lines.join('\n');
    if (buildkit) {
      expect(text).toContain(`importing cache manifest from ${r1.imageRef}`);
      expect(text).not.toContain('REQ-INSTALLED');
    } else {
      // The legacy builder gets no cache arguments: the step runs again.
      expect(text).toContain('REQ-INSTALLED');
    }
    expect(await filesInPushedImage(d, r2.imageRef!)).toContain('include/q.sql');
  },
  300_000,
);

dtest(
  'image-only: pushes the image, finalizes without a DAG tarball, keeps the live DAGs',
  async () => {
    const dir = await project('image-only');
    const d = createDocker({ log: silentLog });
    const before = deploymentNamed('analytics');
    const r = await executeDeploy(request('analytics', dir, { kind: 'image-only' }), {
      api,
      docker: d,
      log: silentLog,
      tmpDir: tmp,
    });
    const after = deploymentNamed('analytics');
    const deploy = emu.state.deploys(after.id).find((x) => x.id === r.deployId)!;
    expect(deploy).toMatchObject({ type: 'IMAGE_ONLY', status: 'DEPLOYED', finalizeCount: 1 });
    expect(r.dagTarballVersion).toBeUndefined();
    expect(after.imageTag).toBe(deploy.imageTag);
    expect(after.dagTarballVersion).toBe(before.dagTarballVersion);
    expect(await registryTags(r.imageRef!)).toContain(deploy.imageTag);
  },
  300_000,
);

dtest(
  'image-name: a prebuilt image goes to a Deployment without DAG deploys (DAGs stay in the image)',
  async () => {
    const dir = await project('prebuilt');
    const d = createDocker({ log: silentLog });
    const prebuilt = `prebuilt-project-${process.pid}:v1`;
    localImages.push(prebuilt);
    await d.build({ context: dir, tag: prebuilt, platform: 'linux/amd64' });
    const r = await executeDeploy(request('warehouse', dir, { imageName: prebuilt }), {
      api,
      docker: d,
      log: silentLog,
      tmpDir: tmp,
    });
    const warehouse = deploymentNamed('warehouse');
    const deploy = emu.state.deploys(warehouse.id).find((x) => x.id === r.deployId)!;
    expect(deploy).toMatchObject({
      type: 'IMAGE_AND_DAG',
      status: 'DEPLOYED',
      isDagDeployEnabled: false,
    });
    expect(deploy.dagsUploadUrl).toBeUndefined();
    expect(r.dagTarballVersion).toBeUndefined();
    expect(warehouse.imageTag).toBe(deploy.imageTag);
    expect(await registryTags(r.imageRef!)).toContain(deploy.imageTag);
    // the user's image is left alone; only our registry tag is removed locally
    expect(await d.imageExists(prebuilt)).toBe(true);
    const files = await filesInPushedImage(d, r.imageRef!);
    expect(files).toEqual(expect.arrayContaining(['dags/etl.py', 'dags/sub/report.py']));
    await d.dispose();
  },
  300_000,
);

// With DAG deploys disabled the DAGs ship in the image, as the Astro CLI makes sure by
// dropping `dags/` from .dockerignore for the build; the user's file stays as it was.
dtest.each([
  ['.dockerignore', 'airflow_settings.yaml\r\ndags/\r\n*.md\r\n'],
  ['Dockerfile.dockerignore', '/dags\nREADME.md\n'],
])(
  'DAG deploys disabled: the image carries the DAGs even where %s leaves dags/ out; the file is untouched',
  async (ignoreFile, text) => {
    const dir = await project(`keep-dags-${ignoreFile}`);
    await writeFile(path.join(dir, ignoreFile), text);
    await writeFile(path.join(dir, 'README.md'), 'not for the image\n');
    const log = recordingLog();
    const d = createDocker({ log });
    const r = await executeDeploy(request('warehouse', dir), {
      api,
      docker: d,
      log,
      tmpDir: tmp,
    });
    const warehouse = deploymentNamed('warehouse');
    const deploy = emu.state.deploys(warehouse.id).find((x) => x.id === r.deployId)!;
    expect(deploy).toMatchObject({ type: 'IMAGE_AND_DAG', status: 'DEPLOYED' });
    expect(r.dagTarballVersion).toBeUndefined();
    const files = await filesInPushedImage(d, r.imageRef!);
    expect(files).toEqual(expect.arrayContaining(['dags/etl.py', 'dags/sub/report.py']));
    // The file's other lines still apply.
    expect(files).not.toContain('README.md');
    expect(await readFile(path.join(dir, ignoreFile), 'utf8')).toBe(text);
    expect(log.lines.join('\n')).toMatch(/leaves out dags\/, which this image must carry/);
    await d.dispose();
  },
  300_000,
);

// Remote Execution (C12): the agents' DAG bundles have the DAGs, so the image leaves the DAG
// folder out (the Astro CLI adds it to the build's ignore file) and the finalize is {}.
dtest(
  'Remote Execution: the image has no DAG folder although DAG deploys are off; no DAG tarball',
  async () => {
    const remote = emu.state.addDeployment({
      name: 'remote',
      type: 'DEDICATED',
      isDagDeployEnabled: false,
      remoteExecution: { enabled: true },
    });
    emu.state.patchDeployment(remote.id, {
      imageRepository: `${registry.host}/${remote.organizationId}/${remote.namespace}`,
    });
    const dir = await project('remote');
    const d = createDocker({ log: silentLog });
    const r = await executeDeploy(request('remote', dir), {
      api,
      docker: d,
      log: silentLog,
      tmpDir: tmp,
    });
    const deploy = emu.state.deploys(remote.id).find((x) => x.id === r.deployId)!;
    expect(deploy).toMatchObject({ type: 'IMAGE_AND_DAG', status: 'DEPLOYED', finalizeCount: 1 });
    expect(r.dagTarballVersion).toBeUndefined();
    expect(deploymentNamed('remote').imageTag).toBe(deploy.imageTag);
    const files = await filesInPushedImage(d, r.imageRef!);
    expect(files).toEqual(expect.arrayContaining(['Dockerfile', 'include/q.sql']));
    expect(files.filter((f) => f.startsWith('dags/'))).toEqual([]);
    await d.dispose();
  },
  300_000,
);

dtest(
  'an image not based on Astro Runtime is refused before any deploy is created',
  async () => {
    const dir = await project(
      'not-runtime',
      'FROM scratch\nCOPY requirements.txt /requirements.txt\n',
    );
    const d = createDocker({ log: silentLog });
    const id = deploymentNamed('analytics').id;
    const count = emu.state.deploys(id).length;
    await expect(
      executeDeploy(request('analytics', dir), { api, docker: d, log: silentLog, tmpDir: tmp }),
    ).rejects.toThrow(
      /The image astro-deploy-.* has no io\.astronomer\.docker\.runtime\.version label, so it is not based on Astro Runtime/,
    );
    expect(emu.state.deploys(id).length).toBe(count);
    const prebuilt = 'image-name-missing:nope';
    await expect(
      executeDeploy(request('analytics', dir, { imageName: prebuilt }), {
        api,
        docker: d,
        log: silentLog,
        tmpDir: tmp,
      }),
    ).rejects.toThrow(`image-name ${prebuilt} is not a local image`);
    expect(emu.state.deploys(id).length).toBe(count);
  },
  300_000,
);
