// `npm run emulator`: the CLI prints one JSON line, serves, and stops on SIGTERM. Runs the
// real script against a bundle built into a temporary folder (dist/ is left alone).
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
  await mkdir(join(dir, 'scripts'));
  await copyFile(
    join(process.cwd(), 'scripts', 'emulator.mjs'),
    join(dir, 'scripts', 'emulator.mjs'),
  );
  await build({
    entryPoints: [join(process.cwd(), 'src', 'emulator', 'index.ts')],
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

it('prints {url, token, organizationId, workspaceId, deployments}, serves, stops on SIGTERM', async () => {
  const child = spawn(
    process.execPath,
    [join(dir, 'scripts', 'emulator.mjs'), '--port', '0', '--seed', '7', '--rollout-ms', '10'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', () => reject(new Error('emulator exited before printing')));
    });
    const info = JSON.parse(first);
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
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('refuses a bad number', async () => {
  const child = spawn(process.execPath, [join(dir, 'scripts', 'emulator.mjs'), '--port', 'abc'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).toBe(2);
  expect(stderr).toMatch(/--port must be a non-negative number, got abc/);
});

it.each([
  [['--image-tag-at', 'sometime'], /--image-tag-at must be rollout-end or finalize, got sometime/],
  [['--rollout-lag-ms', '20000'], /--rollout-lag-ms must be at most 10000, got 20000/],
])('refuses a bad rollout flag: %j', async (args, message) => {
  const child = spawn(process.execPath, [join(dir, 'scripts', 'emulator.mjs'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).toBe(2);
  expect(stderr).toMatch(message);
});

it('injects the faults its flags ask for: an outage answers 503 to everything', async () => {
  const child = spawn(
    process.execPath,
    [join(dir, 'scripts', 'emulator.mjs'), '--port', '0', '--outage'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', () => reject(new Error('emulator exited before printing')));
    });
    const info = JSON.parse(first);
    const res = await fetch(`${info.url}/organizations/${info.organizationId}/deployments`, {
      headers: { authorization: `Bearer ${info.token}` },
    });
    expect(res.status).toBe(503);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

it('refuses an unknown fault kind', async () => {
  const child = spawn(
    process.execPath,
    [join(dir, 'scripts', 'emulator.mjs'), '--fault-rate', '0.5', '--fault-kinds', '503,teapot'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  expect(code).toBe(2);
  expect(stderr).toMatch(/--fault-kinds: unknown kind "teapot"/);
});
