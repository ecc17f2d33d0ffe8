// A small wrapper over the docker CLI. Every command is an argv array run through
// @actions/exec with its output captured (nothing is echoed unless we log it); a failure
// becomes one sentence naming the command and the last lines it printed to stderr.
// Secrets never reach argv: the registry password goes on stdin, container environment
// values go through the client's environment (`-e NAME`), build secrets are file paths.
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Log } from './log.js';
import {
  buildIgnoreFor,
  buildIgnoreText,
  ignoreWithout,
  normalizePath,
} from '../project/ignore.js';
import {
  cacheArgs,
  chooseDockerClient,
  cleanEnv,
  outputTail,
  runArgs,
  runRaw,
} from './docker-cli.js';
import { makeTempDir, removeTempDir, tempRoot } from './temp.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Mount {
  source: string;
  target: string;
  readonly?: boolean;
}

export interface BuildOptions {
  /** The build context (a folder). */
  context: string;
  /** The Dockerfile; default `<context>/Dockerfile`. */
  dockerfile?: string;
  tag: string;
  /** Default linux/amd64 (what Astro runs). */
  platform?: string;
  /** Like `docker build --secret`: `id=x,src=path`. Needs BuildKit. */
  secrets?: string[];
  /** Context-relative paths to keep out of the build context (e.g. the dags folder). */
  exclude?: string[];
  /**
   * Context-relative folders the image must carry even where the project's ignore file
   * leaves them out (the DAG folder of a Deployment without DAG deploys): the ignore lines
   * naming them are dropped for this build only, as the Astro CLI drops `dags/`.
   */
  keep?: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** Images whose layers a BuildKit build may reuse (`--cache-from`); a missing one is skipped. */
  cacheFrom?: string[];
  /**
   * With BuildKit, write inline cache metadata into the image (`BUILDKIT_INLINE_CACHE=1`),
   * so that once pushed it can serve the next run's `--cache-from`.
   */
  inlineCache?: boolean;
}

export interface RunOptions {
  image: string;
  args?: string[];
  mounts?: Mount[];
  /** `--tmpfs` specs, e.g. `/usr/local/airflow:rw,exec,mode=1777`. */
  tmpfs?: string[];
  workdir?: string;
  /** Values travel in the client's environment, never in argv. */
  env?: Record<string, string>;
  user?: string;
  entrypoint?: string;
  network?: string;
}

export interface Docker {
  /** Does an engine answer? Never throws. */
  available(): Promise<boolean>;
  build(options: BuildOptions): Promise<void>;
  imageExists(image: string): Promise<boolean>;
  /** A label of a local image, undefined when the image has no such label. */
  imageLabel(image: string, key: string): Promise<string | undefined>;
  tag(source: string, target: string): Promise<void>;
  /** Logs in with the password on stdin, into this instance's throwaway DOCKER_CONFIG. */
  login(registry: string, username: string, password: string): Promise<void>;
  push(ref: string): Promise<void>;
  pull(ref: string): Promise<void>;
  /** Runs a container to completion (`--rm`); a non-zero exit is a result, not an error. */
  run(options: RunOptions): Promise<CommandResult>;
  /** Removes a local image; a missing image is not an error. */
  remove(image: string): Promise<void>;
  /** Any docker command, result returned as is (for the odd case the wrapper lacks). */
  command(
    args: string[],
    options?: { input?: Buffer; env?: Record<string, string> },
  ): Promise<CommandResult>;
  /** Which client is used and how it builds (for logs and tests). */
  client(): Promise<DockerClient>;
  /** The throwaway DOCKER_CONFIG folder after login(), until dispose(). */
  configDir(): string | undefined;
  /** Deletes the throwaway config directory (and the credentials in it). */
  dispose(): Promise<void>;
}

export interface DockerClient {
  path: string;
  /** 'buildx': BuildKit through the buildx plugin; 'builtin': an old client (< 23) that runs
   * BuildKit itself with DOCKER_BUILDKIT=1; 'none': legacy builder only. */
  buildkit: 'buildx' | 'builtin' | 'none';
}

export interface DockerOptions {
  log: Log;
  /** Environment for the docker client; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** 'legacy': never use BuildKit (tests of the legacy-builder path). Default 'auto'. */
  builder?: 'auto' | 'legacy';
}

export function createDocker({
  log,
  env: baseEnv = process.env,
  builder = 'auto',
}: DockerOptions): Docker {
  let env = cleanEnv(baseEnv);
  let configDir: string | undefined;
  /** The logins this instance's config holds (registry, user, password): one per run suffices. */
  const logins = new Set<string>();
  /** The engine's answer to `docker version`, asked once per instance. */
  let up: Promise<boolean> | undefined;
  /** Unhooks the exit and signal handlers that remove the config folder. */
  let removeOnExit: (() => void) | undefined;
  let chosen: Promise<DockerClient | undefined> | undefined;

  const client = async (): Promise<DockerClient> => {
    chosen ??= chooseDockerClient(env).then((c) =>
      c && builder === 'legacy' ? { ...c, buildkit: 'none' as const } : c,
    );
    const c = await chosen;
    if (!c)
      throw new Error(
        'No docker client was found on PATH; install Docker or use a runner that has it (ubuntu-latest).',
      );
    return c;
  };

  const command = async (
    args: string[],
    options: { input?: Buffer; env?: Record<string, string>; onLine?: (l: string) => void } = {},
  ): Promise<CommandResult> => {
    const c = await client();
    log.debug(`docker ${args.join(' ')}`);
    return runRaw(c.path, args, { ...env, ...(options.env ?? {}) }, options.input, options.onLine);
  };

  const must = async (
    what: string,
    args: string[],
    options: { input?: Buffer; env?: Record<string, string>; onLine?: (l: string) => void } = {},
  ): Promise<CommandResult> => {
    const r = await command(args, options);
    if (r.exitCode !== 0) {
      const tail = outputTail(r);
      throw new Error(`${what} failed (docker exit code ${r.exitCode})${tail ? `: ${tail}` : '.'}`);
    }
    return r;
  };

  const streamTo = (l: string) => {
    if (l.trim() !== '') log.info(l);
  };

  async function build(o: BuildOptions): Promise<void> {
    const c = await client();
    const context = path.resolve(o.context);
    const dockerfile = path.resolve(context, o.dockerfile ?? 'Dockerfile');
    const secrets = o.secrets ?? [];
    const exclude = o.exclude ?? [];
    const keep = o.keep ?? [];
    if (secrets.length > 0 && c.buildkit === 'none') {
      throw new Error(
        `build-secrets need BuildKit, and the docker client ${c.path} has no buildx plugin; install docker buildx (GitHub's runners have it).`,
      );
    }
    const useBuildkit = c.buildkit !== 'none';
    const args = ['build', '--tag', o.tag, '--platform', o.platform ?? 'linux/amd64'];
    for (const s of secrets) args.push('--secret', s);
    for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of Object.entries(o.labels ?? {})) args.push('--label', `${k}=${v}`);
    args.push(...cacheArgs(o.cacheFrom ?? [], o.inlineCache === true, useBuildkit));
    if (useBuildkit) args.push('--progress', 'plain');
    const buildEnv = { DOCKER_BUILDKIT: useBuildkit ? '1' : '0' };
    const shown = path.relative(context, dockerfile);
    const what = `Building the image ${o.tag} from ${shown.startsWith('..') ? dockerfile : shown}`;

    const plain = () =>
      must(what, [...args, '--file', dockerfile, context], { env: buildEnv, onLine: streamTo });
    const keptNote = (original: string | undefined) => {
      if (original !== undefined && ignoreWithout(original, keep) !== undefined)
        log.info(
          `The ignore file leaves out ${keep.map((k) => `${normalizePath(k)}/`).join(', ')}, which this image must carry: those lines are not applied to this build (the file itself is unchanged).`,
        );
    };
    if (exclude.length === 0 && keep.length === 0) {
      await plain();
      return;
    }
    if (useBuildkit) {
      // BuildKit reads `<Dockerfile>.dockerignore` next to the Dockerfile instead of the
      // context's .dockerignore. So the Dockerfile is copied into a temp folder with such a
      // file (the project's patterns plus ours) and the build points at that copy: the
      // project's files are never touched, so neither a failure nor an interruption can
      // leave them changed. COPY/ADD paths stay relative to the context, as before.
      const ownIgnore = await buildIgnoreText(context, dockerfile);
      const ignoreText = buildIgnoreFor(ownIgnore, exclude, keep);
      if (ignoreText === undefined) {
        await plain();
        return;
      }
      keptNote(ownIgnore);
      const dir = makeTempDir('astro-build-');
      try {
        const copy = path.join(dir, 'Dockerfile');
        await copyFile(dockerfile, copy);
        await writeFile(`${copy}.dockerignore`, ignoreText);
        await must(what, [...args, '--file', copy, context], { env: buildEnv, onLine: streamTo });
      } finally {
        removeTempDir(dir);
      }
      return;
    }
    // Legacy builder: it only reads <context>/.dockerignore, so ours is appended for the build
    // and the exact original bytes (or the file's absence) are put back afterwards, on
    // failure too, and on SIGINT/SIGTERM while the build runs.
    const ignorePath = path.join(context, '.dockerignore');
    const originalIgnore = await readFile(ignorePath).catch(() => undefined);
    // With no .dockerignore before, ours must not end up in the image either.
    const ours =
      originalIgnore === undefined && exclude.length ? [...exclude, '.dockerignore'] : exclude;
    const ignoreText = buildIgnoreFor(originalIgnore?.toString('utf8'), ours, keep);
    if (ignoreText === undefined) {
      await plain();
      return;
    }
    keptNote(originalIgnore?.toString('utf8'));
    const restoreSync = () => {
      if (originalIgnore === undefined) rmSync(ignorePath, { force: true });
      else writeFileSync(ignorePath, originalIgnore);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      restoreSync();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    await writeFile(ignorePath, ignoreText);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await must(what, [...args, '--file', dockerfile, context], {
        env: buildEnv,
        onLine: streamTo,
      });
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      if (originalIgnore === undefined) await rm(ignorePath, { force: true });
      else await writeFile(ignorePath, originalIgnore);
    }
  }

  async function login(registry: string, username: string, password: string): Promise<void> {
    const key = JSON.stringify([registry, username, password]);
    if (logins.has(key)) return;
    if (!configDir) {
      // A throwaway config directory for this instance: the user's config.json is copied
      // (so earlier logins, e.g. for a private base image, keep working) without its
      // credential store settings (so our token lands in this folder, which dispose()
      // deletes, and never in a keychain or ~/.docker). cli-plugins stay reachable.
      const dir = await mkdtemp(
        path.join(tempRoot(), `docker-config-${randomBytes(4).toString('hex')}-`),
      );
      const userDir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
      const config: Record<string, unknown> = {};
      try {
        Object.assign(
          config,
          JSON.parse(await readFile(path.join(userDir, 'config.json'), 'utf8')),
        );
      } catch {
        // no user config
      }
      delete config.credsStore;
      const helpers = config.credHelpers as Record<string, string> | undefined;
      if (helpers) delete helpers[registry];
      await writeFile(path.join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
      if (existsSync(path.join(userDir, 'cli-plugins'))) {
        await symlink(path.join(userDir, 'cli-plugins'), path.join(dir, 'cli-plugins')).catch(
          () => undefined,
        );
      }
      configDir = dir;
      env = { ...env, DOCKER_CONFIG: dir };
      // Should dispose() never be reached (a crash), the folder still goes when the process exits.
      // Also on SIGINT/SIGTERM (a cancelled job): the folder is removed, then the signal is
      // raised again for whoever else listens, or for the default (exit) when nobody does.
      const remove = () => rmSync(dir, { recursive: true, force: true });
      const onSignal = (signal: NodeJS.Signals) => {
        remove();
        unhook();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      const unhook = () => {
        process.removeListener('exit', remove);
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      };
      process.once('exit', remove);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      removeOnExit = unhook;
    }
    await must(
      `Logging in to ${registry} as ${username}`,
      ['login', registry, '--username', username, '--password-stdin'],
      {
        input: Buffer.from(password),
      },
    );
    logins.add(key);
  }

  return {
    available() {
      up ??= command(['version', '--format', '{{.Server.Version}}']).then(
        (r) => r.exitCode === 0 && r.stdout.trim() !== '',
        () => false,
      );
      return up;
    },
    build,
    async imageExists(image) {
      return (await command(['image', 'inspect', '--format', '{{.Id}}', image])).exitCode === 0;
    },
    async imageLabel(image, key) {
      const r = await must(`Reading the labels of ${image}`, [
        'image',
        'inspect',
        '--format',
        '{{json .Config.Labels}}',
        image,
      ]);
      const labels = JSON.parse(r.stdout.trim() || 'null') as Record<string, string> | null;
      return labels?.[key];
    },
    async tag(source, target) {
      await must(`Tagging ${source} as ${target}`, ['tag', source, target]);
    },
    login,
    async push(ref) {
      await must(`Pushing ${ref}`, ['push', ref], { onLine: (l) => log.debug(l) });
    },
    async pull(ref) {
      await must(`Pulling ${ref}`, ['pull', ref], { onLine: (l) => log.debug(l) });
    },
    async run(o) {
      return command(runArgs(o), { env: o.env });
    },
    async remove(image) {
      const r = await command(['image', 'rm', '--force', image]);
      if (r.exitCode !== 0 && !/no such image/i.test(r.stderr)) {
        throw new Error(`Removing the image ${image} failed: ${outputTail(r)}`);
      }
    },
    command: (args, options) => command(args, options),
    client,
    configDir: () => configDir,
    async dispose() {
      if (configDir) {
        await rm(configDir, { recursive: true, force: true });
        removeOnExit?.();
        removeOnExit = undefined;
        configDir = undefined;
        logins.clear();
        env = cleanEnv(baseEnv);
      }
    },
  };
}
