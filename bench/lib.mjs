// Shared bits of the benchmarks: timing, a runner-like action run, small repositories.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export { runAction } from '../scripts/runner.mjs';

export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Median of n runs of an async function, in ms. */
export async function median(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await fn();
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  });
}

export const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};
export const git = (cwd, ...args) => sh('git', args, { cwd, env: gitEnv }).trim();

export function tmp(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function figure(name, value, unit, { baseline, goal, note } = {}) {
  const ratio = baseline ? value / baseline : undefined;
  return {
    name,
    value: round(value),
    unit,
    baseline: baseline && round(baseline),
    ratio: ratio && round(ratio, 2),
    goal,
    note,
  };
}

/** A log for the action's parts that says only warnings. */
export const quiet = { info() {}, debug() {}, warning: (m) => process.stderr.write(`${m}\n`) };

export const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The Docker client, the checks and the test helpers that make a stand-in runtime image and a
 * registry, bundled from their TypeScript for a bench (`name` names the bundle file).
 */
export async function bundleDockerParts(name) {
  const { build } = await import('esbuild');
  const outfile = path.join(ROOT, 'bench', 'results', `${name}-bench-bundle.mjs`);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    stdin: {
      contents: [
        "export * from './src/platform/docker.ts';",
        "export * from './src/checks/index.ts';",
        "export * from './__tests__/support/runtime-image.ts';",
        "export * from './__tests__/support/registry.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(outfile);
}

/**
 * The DAG parse check (no pytest) of `project` (in the repository `root`) in `image`, as a
 * DAG-only deploy runs it; throws when it fails, so no figure times a failed check.
 */
export async function parseCheck({ lib, docker, root, quiet }, project, image) {
  const r = await lib.runChecks({
    docker,
    image,
    projectDir: project,
    repoRoot: root,
    dagsPath: 'dags',
    parse: true,
    pytest: false,
    pytestFile: 'tests/',
    log: quiet,
  });
  if (!r.ok) throw new Error(`parse check failed: ${r.problems[0]?.message}`);
  return r;
}

/**
 * What the Docker benches share: an engine (an existing one, or a private dockerd), the action's
 * Docker parts bundled, the stand-in runtime image, a loopback registry with a login, and a temp
 * folder; all undone afterwards. Without an engine, one figure says so.
 */
export async function withDockerBench(name, missing, fn) {
  const { ensureDockerEngine } = await import('../scripts/docker-engine.mjs');
  const engine = await ensureDockerEngine({ log: quiet });
  if (!engine) return [figure(missing, NaN, 'ms', { note: 'no Docker engine on this machine' })];
  const savedHost = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = engine.host;
  const token = `bench.${'t'.repeat(100)}.token`;
  let registry;
  let docker;
  const root = tmp(`bench-${name}-`);
  try {
    const lib = await bundleDockerParts(name);
    docker = lib.createDocker({ log: quiet });
    const standin = await lib.ensureRuntimeImage(docker);
    registry = await lib.startRegistry({ username: 'cli', password: token });
    await docker.login(registry.host, 'cli', token);
    return await fn({ lib, docker, standin, registry, token, root, quiet });
  } finally {
    await docker?.dispose();
    await registry?.stop();
    fs.rmSync(root, { recursive: true, force: true });
    if (savedHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedHost;
    await engine.stop();
  }
}
