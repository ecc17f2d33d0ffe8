// The docker CLI itself: which binary to run (buildx, a client that runs BuildKit, or the
// legacy builder), running it with its output captured, and the argv of `docker run`.
import * as exec from '@actions/exec';
import { constants as fsConstants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { CommandResult, DockerClient, Mount, RunOptions } from './docker.js';

export type Env = Record<string, string>;

export function cleanEnv(env: NodeJS.ProcessEnv): Env {
  const out: Env = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function runRaw(
  file: string,
  args: string[],
  env: Env,
  input?: Buffer,
  onLine?: (line: string) => void,
): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  try {
    const exitCode = await exec.exec(file, args, {
      silent: true,
      ignoreReturnCode: true,
      env,
      input,
      listeners: {
        stdout: (b) => (stdout += b.toString()),
        stderr: (b) => (stderr += b.toString()),
        stdline: onLine,
        errline: onLine,
      },
    });
    return { exitCode, stdout, stderr };
  } catch (e) {
    // The binary could not be started at all.
    return { exitCode: 127, stdout, stderr: stderr || (e as Error).message };
  }
}

/** The last few non-empty lines of what a command printed (stderr first). */
export function outputTail(result: CommandResult, lines = 5): string {
  const text = result.stderr.trim() || result.stdout.trim();
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join(' | ');
}

/** The major version of a `docker --version` line ("Docker version 20.10.24+dfsg1, build …"). */
export function clientMajor(versionLine: string): number | undefined {
  const m = /version\s+(\d+)\./i.exec(versionLine);
  return m ? Number(m[1]) : undefined;
}

/**
 * Chooses the docker binary. Every `docker` on PATH is a candidate, in PATH order:
 * 1. the first whose `docker buildx version` works (BuildKit through buildx; the normal case
 *    on GitHub's runners);
 * 2. else the first client older than 23, which still runs BuildKit itself with
 *    DOCKER_BUILDKIT=1 (e.g. Debian's docker.io 20.10 next to a newer client lacking buildx);
 * 3. else the first one, legacy builder only (then build secrets cannot work).
 */
export async function chooseDockerClient(env: Env): Promise<DockerClient | undefined> {
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, 'docker');
    if (!(await isExecutable(file))) continue;
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) continue;
    seen.add(real);
    candidates.push(file);
  }
  if (candidates.length === 0) return undefined;
  for (const file of candidates) {
    if ((await runRaw(file, ['buildx', 'version'], env)).exitCode === 0)
      return { path: file, buildkit: 'buildx' };
  }
  for (const file of candidates) {
    const v = await runRaw(file, ['--version'], env);
    const major = clientMajor(v.stdout);
    if (v.exitCode === 0 && major !== undefined && major < 23)
      return { path: file, buildkit: 'builtin' };
  }
  return { path: candidates[0], buildkit: 'none' };
}

/** One field of a `--mount` value; docker parses the value as CSV. */
function csvField(field: string): string {
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function mountArg(m: Mount): string {
  const fields = ['type=bind', `source=${m.source}`, `target=${m.target}`];
  if (m.readonly) fields.push('readonly');
  return fields.map(csvField).join(',');
}

/** The docker run argv (without the binary) for RunOptions. */
export function runArgs(o: RunOptions): string[] {
  const args = ['run', '--rm'];
  for (const m of o.mounts ?? []) args.push('--mount', mountArg(m));
  for (const t of o.tmpfs ?? []) args.push('--tmpfs', t);
  if (o.workdir) args.push('--workdir', o.workdir);
  for (const name of Object.keys(o.env ?? {})) args.push('-e', name);
  if (o.user) args.push('--user', o.user);
  if (o.entrypoint !== undefined) args.push('--entrypoint', o.entrypoint);
  if (o.network) args.push('--network', o.network);
  args.push(o.image, ...(o.args ?? []));
  return args;
}

/**
 * The layer-reuse arguments of a build: `--cache-from` each image, then the inline cache
 * metadata. BuildKit only: it reads the cache from the registry and skips an image it cannot
 * get; the legacy builder would need each image pulled first.
 */
export function cacheArgs(cacheFrom: string[], inlineCache: boolean, buildkit: boolean): string[] {
  if (!buildkit) return [];
  const args = cacheFrom.flatMap((ref) => ['--cache-from', ref]);
  if (inlineCache) args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1');
  return args;
}
