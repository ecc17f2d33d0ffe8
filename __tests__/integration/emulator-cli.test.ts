// `npm run emulator`: the CLI prints one JSON line, serves, and stops on SIGTERM. Runs the
// real script against a bundle built into a temporary folder (dist/ is left alone).
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { minimalUpdate } from '../support/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
  await mkdir(join(dir, 'scripts'));
  await copyFile(
    join(process.cwd(), 'scripts', 'emulator.mjs'),
    join(dir, 'scripts', 'emulator.mjs'),
  );
  // `npm run emulator` reads the project's package.json and .npmrc.
  await copyFile(join(process.cwd(), 'package.json'), join(dir, 'package.json'));
  await copyFile(join(process.cwd(), '.npmrc'), join(dir, '.npmrc'));
  await build({
    entryPoints: [join(process.cwd(), 'emulator', 'index.ts')],
    outfile: join(dir, 'dist', 'emulator.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the emulator CLI with flags it must refuse: its exit code and what it wrote to stderr. */
async function refused(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(dir, 'scripts', 'emulator.mjs'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, stderr };
}

/** What the emulator CLI prints on its first line. */
interface Info {
  url: string;
  token: string;
  organizationId: string;
  workspaceId: string;
  deployments: { id: string; name: string }[];
}

/**
 * Starts the emulator CLI with `args`, hands its first line (parsed) to `use`, then stops it with
 * SIGTERM and expects a clean exit.
 */
async function serving(args: string[], use: (info: Info) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, [join(dir, 'scripts', 'emulator.mjs'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', () => reject(new Error('emulator exited before printing')));
    });
    await use(JSON.parse(first) as Info);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
}

it('prints {url, token, organizationId, workspaceId, deployments}, serves, stops on SIGTERM', async () => {
  await serving(['--port', '0', '--seed', '7', '--rollout-ms', '10'], async (info) => {
    expect(Object.keys(info)).toEqual([
      'url',
      'token',
      'organizationId',
      'workspaceId',
      'deployments',
    ]);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(info.deployments.map((d: { name: string }) => d.name)).toEqual([
      'analytics',
      'warehouse',
      'sandbox',
    ]);
    const res = await fetch(`${info.url}/organizations/${info.organizationId}/deployments`, {
      headers: { authorization: `Bearer ${info.token}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).totalCount).toBe(3);
  });
});

it('refuses a bad number', async () => {
  const { code, stderr } = await refused(['--port', 'abc']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--port must be a non-negative number, got abc/);
});

it.each([
  [['--image-tag-at', 'sometime'], /--image-tag-at must be rollout-end or finalize, got sometime/],
  [['--rollout-lag-ms', '20000'], /--rollout-lag-ms must be at most 10000, got 20000/],
  [
    ['--rollback-record', 'some'],
    /--rollback-record must be versions, versions-and-git or bare, got some/,
  ],
  [['--updates', 'patch'], /--updates must be replace or merge, got patch/],
  [
    ['--concurrent-rollouts', 'parallel'],
    /--concurrent-rollouts must be queue or replace, got parallel/,
  ],
  [
    ['--deploy-status-at', 'never'],
    /--deploy-status-at must be finalize or rollout-end, got never/,
  ],
  [
    ['--deploys-refused-at', 'upload'],
    /--deploys-refused-at must be create or finalize, got upload/,
  ],
])('refuses a bad rollout flag: %j', async (args, message) => {
  const { code, stderr } = await refused(args);
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
});

it('injects the faults its flags ask for: an outage answers 503 to everything', async () => {
  await serving(['--port', '0', '--outage'], async (info) => {
    const res = await fetch(`${info.url}/organizations/${info.organizationId}/deployments`, {
      headers: { authorization: `Bearer ${info.token}` },
    });
    expect(res.status).toBe(503);
  });
});

it('refuses an unknown fault kind', async () => {
  const { code, stderr } = await refused(['--fault-rate', '0.5', '--fault-kinds', '503,teapot']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--fault-kinds: unknown kind "teapot"/);
});

it('`npm run emulator` prints only the JSON line (no npm banner), so `| jq` can read it', async () => {
  // Only PATH and HOME: no npm_config_* of a parent npm may change how this npm prints.
  const child = spawn('npm', ['run', 'emulator', '--', '--port', '0', '--seed', '3'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      npm_config_update_notifier: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', () => stdout.includes('\n') && resolve());
      child.once('exit', () => reject(new Error(`npm exited before printing: ${stdout}`)));
    });
    const first = stdout.split('\n')[0];
    const info = JSON.parse(first);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(info.deployments).toHaveLength(3);
  } finally {
    // npm and the emulator it started: their own process group.
    process.kill(-child.pid!, 'SIGTERM');
  }
  // npm passes the signal on and may end by it itself.
  expect(['0', 'SIGTERM']).toContain(await exited);
  // Nothing but that line on stdout, as `| jq` needs.
  expect(stdout.trimEnd().split('\n')).toHaveLength(1);
});

it('--airflow-api-delay-ms keeps a new Deployment’s Airflow API at 404 after it turns HEALTHY', async () => {
  await serving(
    ['--port', '0', '--create-ms', '10', '--airflow-api-delay-ms', '600000'],
    async (info) => {
      const headers = {
        authorization: `Bearer ${info.token}`,
        'content-type': 'application/json',
      };
      const deployments = `${info.url}/organizations/${info.organizationId}/deployments`;
      const made = await fetch(deployments, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'fresh', workspaceId: info.workspaceId }),
      });
      expect(made.status).toBe(200);
      const { id } = await made.json();
      let dep = { status: 'CREATING', webServerAirflowApiUrl: '' };
      for (let i = 0; i < 100 && dep.status !== 'HEALTHY'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        dep = await (await fetch(`${deployments}/${id}`, { headers })).json();
      }
      expect(dep.status).toBe('HEALTHY');
      expect((await fetch(`${dep.webServerAirflowApiUrl}/pools`, { headers })).status).toBe(404);
      const seeded = await (
        await fetch(`${deployments}/${info.deployments[0].id}`, { headers })
      ).json();
      expect((await fetch(`${seeded.webServerAirflowApiUrl}/pools`, { headers })).status).toBe(200);
    },
  );
});

it('--duplicate-name-status and --refuse-updates-while-creating pick undocumented behaviours', async () => {
  const args = ['--port', '0', '--duplicate-name-status', '409'];
  await serving(
    [...args, '--refuse-updates-while-creating', '--create-ms', '600000'],
    async (info) => {
      const res = await fetch(`${info.url}/organizations/${info.organizationId}/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'analytics', workspaceId: info.workspaceId }),
      });
      expect(res.status).toBe(409);
      const made = await fetch(`${info.url}/organizations/${info.organizationId}/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'fresh', workspaceId: info.workspaceId }),
      });
      const d = (await made.json()) as Record<string, unknown>;
      const update = await fetch(
        `${info.url}/organizations/${info.organizationId}/deployments/${String(d.id)}`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(minimalUpdate(d)),
        },
      );
      expect(((await update.json()) as { message: string }).message).toMatch(/still being created/);
    },
  );

  const { code, stderr } = await refused(['--duplicate-name-status', '418']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--duplicate-name-status must be 400 or 409, got 418/);
});

it('--org-product HYBRID models Astro Hybrid: the organization and its seeded Deployments', async () => {
  await serving(['--port', '0', '--org-product', 'HYBRID'], async (info) => {
    const get = async (p: string) =>
      (await fetch(`${info.url}/organizations/${info.organizationId}${p}`, {
        headers: { authorization: `Bearer ${info.token}` },
      }).then((r) => r.json())) as Record<string, unknown>;
    expect((await get('')).product).toBe('HYBRID');
    const deployments = (await get('/deployments')).deployments as { name: string; type: string }[];
    expect(Object.fromEntries(deployments.map((d) => [d.name, d.type]))).toEqual({
      analytics: 'HYBRID',
      warehouse: 'HYBRID',
      sandbox: 'STANDARD',
    });
  });
});

it('refuses an unknown organization product', async () => {
  const { code, stderr } = await refused(['--org-product', 'CLOUD']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/--org-product must be HOSTED or HYBRID, got CLOUD/);
});

it('--refuse-remote-image-only refuses IMAGE_ONLY deploys on a Remote Execution Deployment', async () => {
  // (--create-ms 0: the new Deployment is HEALTHY at once, so only the deploy type decides.)
  await serving(['--port', '0', '--refuse-remote-image-only', '--create-ms', '0'], async (info) => {
    const post = (path: string, body: unknown) =>
      fetch(`${info.url}/organizations/${info.organizationId}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const made = await post('/deployments', {
      name: 'remote',
      workspaceId: info.workspaceId,
      type: 'DEDICATED',
      isDagDeployEnabled: false,
      remoteExecution: { enabled: true },
    });
    const d = (await made.json()) as { id: string };
    const deploys = `/deployments/${d.id}/deploys`;
    const imageOnly = await post(deploys, { type: 'IMAGE_ONLY' });
    expect(imageOnly.status).toBe(400);
    expect(((await imageOnly.json()) as { message: string }).message).toMatch(/IMAGE_ONLY/);
    expect((await post(deploys, { type: 'IMAGE_AND_DAG' })).status).toBe(200);
  });
});

it('--dag-bundle adds named DAG bundles, listed on v1alpha1 after the seeded reporting bundle', async () => {
  await serving(['--port', '0', '--dag-bundle', 'analytics=ml'], async (info) => {
    const analytics = info.deployments.find((d) => d.name === 'analytics')!.id;
    const base = String(info.url).replace(/\/v1$/, '/v1alpha1');
    const listed = (await fetch(
      `${base}/organizations/${info.organizationId}/deployments/${analytics}/bundles?isDagBundle=true`,
      { headers: { authorization: `Bearer ${info.token}` } },
    ).then((r) => r.json())) as { bundles: { name: string }[]; totalCount: number };
    expect(listed.bundles.map((b) => b.name)).toEqual(['main', 'reporting', 'ml']);
    expect(listed.totalCount).toBe(3);
  });
});

it.each([
  ['queue', ['old', 'A', 'B']],
  ['replace', ['old', 'B']],
])('--concurrent-rollouts %s: the image tags a client sees, in order', async (mode, order) => {
  const args = [
    '--concurrent-rollouts',
    mode,
    '--image-tag-at',
    'rollout-end',
    '--rollout-ms',
    '600',
  ];
  await serving(['--port', '0', ...args], async (info) => {
    const dep = `${info.url}/organizations/${info.organizationId}/deployments/${info.deployments[0].id}`;
    const call = (path: string, method = 'GET') =>
      fetch(`${dep}${path}`, {
        method,
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: method === 'POST' ? '{"type":"IMAGE_ONLY"}' : undefined,
      }).then((r) => r.json() as Promise<{ id: string; imageTag: string; status: string }>);
    const tags: Record<string, string> = { [(await call('')).imageTag]: 'old' };
    for (const name of ['A', 'B']) {
      const d = await call('/deploys', 'POST');
      tags[d.imageTag] = name;
      await fetch(`${dep}/deploys/${d.id}/finalize`, {
        method: 'POST',
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    }
    const seen: string[] = [];
    for (let d = await call(''); ; d = await call('')) {
      if (seen.at(-1) !== tags[d.imageTag]) seen.push(tags[d.imageTag]);
      if (d.status === 'HEALTHY') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toEqual(order);
  });
});

it.each([
  ['finalize', ['DEPLOYED']],
  ['rollout-end', ['INITIALIZED', 'DEPLOYED']],
])('--deploy-status-at %s: the statuses a finalized deploy shows, in order', async (at, order) => {
  await serving(['--port', '0', '--deploy-status-at', at, '--rollout-ms', '400'], async (info) => {
    const dep = `${info.url}/organizations/${info.organizationId}/deployments/${info.deployments[0].id}`;
    const call = (path: string, method = 'GET', body?: string) =>
      fetch(`${dep}${path}`, {
        method,
        headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' },
        body,
      }).then((r) => r.json() as Promise<{ id: string; status: string }>);
    const d = await call('/deploys', 'POST', '{"type":"IMAGE_ONLY"}');
    await call(`/deploys/${d.id}/finalize`, 'POST', '{}');
    const seen: string[] = [];
    for (;;) {
      const { status } = await call(`/deploys/${d.id}`);
      if (seen.at(-1) !== status) seen.push(status);
      if (status === 'DEPLOYED') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toEqual(order);
  });
});

it('refuses a --dag-bundle without a bundle name', async () => {
  const child = spawn(
    process.execPath,
    [join(dir, 'scripts', 'emulator.mjs'), '--dag-bundle', 'analytics'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).toBe(2);
  expect(stderr).toMatch(/--dag-bundle must be <deployment>=<bundle name>, got analytics/);
});
