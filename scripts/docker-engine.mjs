// Finds a Docker engine for the Docker-tier tests, or starts a private one.
//
//   const engine = await ensureDockerEngine({ log: console });
//   if (engine) { process.env.DOCKER_HOST = engine.host; ... await engine.stop(); }
//
// 1. DOCKER_HOST (or the client's default socket) already answers `docker version`:
//    use it, started=false, stop() does nothing.
// 2. Running as root with `dockerd` on PATH: start a private dockerd with its own data root,
//    exec root, pidfile and socket under a temp dir (overlay2, falling back to vfs), poll
//    until `docker version` answers, and hand back stop() that ends it by its PID and
//    removes the temp dir.
// 3. Otherwise: null (no engine; the Docker tier skips, or fails under CI).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, readFile, access, constants } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** Runs a command; resolves { code, stdout, stderr }, never rejects. */
function run(file, args, { env = process.env, timeoutMs = 20000 } = {}) {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env, timeout: timeoutMs, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr) || (err && !stderr ? String(err.message) : ''),
        });
      },
    );
  });
}

/** The first executable called `name` on PATH, or undefined. */
async function which(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

/** Does an engine answer at `host` (undefined: the client's default)? */
async function engineAnswers(docker, host) {
  const env = { ...process.env };
  if (host) env.DOCKER_HOST = host;
  else delete env.DOCKER_HOST;
  const r = await run(docker, ['version', '--format', '{{.Server.Version}}'], {
    env,
    timeoutMs: 10000,
  });
  return r.code === 0 && r.stdout.trim() !== '';
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  return !isAlive(pid);
}

/**
 * A network bridge of this engine's own. Every dockerd started with the defaults shares
 * `docker0` and its iptables rules, and one that stops deletes docker0 under the others, so
 * two test runs on one machine (or a test that starts a second engine) would break each
 * other's containers and BuildKit RUN steps. A bridge per engine (random name, random
 * 10.x.y.0/24 address) with `--iptables=false` keeps engines apart; containers then have no
 * NAT to the outside, which the tests do not need (the registry is reached by the daemon,
 * on the host's loopback). Skipped when `ip` is missing or the caller passes its own
 * network flags.
 */
async function ownBridge(extraArgs, log) {
  if (extraArgs.some((a) => /^--(bridge|bip|iptables)\b/.test(a))) return undefined;
  const ip = await which('ip');
  if (!ip) return undefined;
  const name = `dkt${randomBytes(4).toString('hex')}`.slice(0, 15);
  const b = randomBytes(2);
  const cidr = `10.${200 + (b[0] % 50)}.${b[1]}.1/24`;
  for (const args of [
    ['link', 'add', 'name', name, 'type', 'bridge'],
    ['addr', 'add', cidr, 'dev', name],
    ['link', 'set', name, 'up'],
  ]) {
    const r = await run(ip, args);
    if (r.code !== 0) {
      log.warning(
        `could not set up a bridge for the private engine (ip ${args.join(' ')}: ${r.stderr.trim()}); using docker0`,
      );
      await run(ip, ['link', 'delete', name]);
      return undefined;
    }
  }
  return { name, remove: async () => void (await run(ip, ['link', 'delete', name])) };
}

/**
 * Starts dockerd with one storage driver; resolves the running engine or undefined when it
 * exits or does not answer within the time limit (its log tail goes to log.warning).
 */
async function startDockerd({ dockerd, docker, driver, log, extraArgs = [] }) {
  const base = await mkdtemp(path.join(tmpdir(), 'dockerd-'));
  const sock = path.join(base, 'docker.sock');
  const host = `unix://${sock}`;
  const logFile = path.join(base, 'dockerd.log');
  const bridge = await ownBridge(extraArgs, log);
  const fd = openSync(logFile, 'a');
  const args = [
    `--data-root=${path.join(base, 'data')}`,
    `--exec-root=${path.join(base, 'exec')}`,
    `--pidfile=${path.join(base, 'docker.pid')}`,
    `-H`,
    host,
    `--storage-driver=${driver}`,
    ...(bridge ? [`--bridge=${bridge.name}`, '--iptables=false'] : []),
    ...extraArgs,
  ];
  const child = spawn(dockerd, args, { stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  child.unref();
  let exited = false;
  child.on('exit', () => (exited = true));
  const pid = child.pid;

  const cleanup = async () => {
    if (pid && isAlive(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone already
      }
      if (!(await waitForExit(pid, 20000))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
        await waitForExit(pid, 5000);
      }
    }
    if (bridge) await bridge.remove();
    await rm(base, { recursive: true, force: true }).catch((e) =>
      log.warning(`could not remove the private engine's directory ${base}: ${e.message}`),
    );
  };

  const deadline = Date.now() + 60000;
  while (!exited && Date.now() < deadline) {
    if (await engineAnswers(docker, host)) {
      return { host, started: true, pid, dataRoot: base, bridge: bridge?.name, stop: cleanup };
    }
    await sleep(100);
  }
  const tail = (await readFile(logFile, 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .slice(-5)
    .join('\n');
  log.warning(`dockerd with --storage-driver=${driver} did not come up${tail ? `:\n${tail}` : ''}`);
  await cleanup();
  return undefined;
}

/**
 * @param {{ log?: { info(m: string): void, warning(m: string): void } | ((m: string) => void), dockerdArgs?: string[] }} [options]
 *   dockerdArgs: extra dockerd flags for an engine it starts (e.g. `--bridge=none`).
 * @returns {Promise<{ host: string, started: boolean, stop(): Promise<void> } | null>}
 */
export async function ensureDockerEngine({ log: given = console, dockerdArgs = [] } = {}) {
  // A plain function is accepted too: it gets every message.
  const log = typeof given === 'function' ? { info: given, warning: given } : given;
  const docker = await which('docker');
  if (!docker) {
    log.warning('no docker client on PATH: no Docker engine for the Docker tier');
    return null;
  }
  const current = process.env.DOCKER_HOST;
  if (current && (await engineAnswers(docker, current))) {
    return { host: current, started: false, stop: async () => {} };
  }
  if (!current && (await engineAnswers(docker, undefined))) {
    // The client's default; report it as the conventional socket unless a context says otherwise.
    const r = await run(docker, ['context', 'inspect', '--format', '{{.Endpoints.docker.Host}}']);
    const host = r.code === 0 && r.stdout.trim() ? r.stdout.trim() : 'unix:///var/run/docker.sock';
    return { host, started: false, stop: async () => {} };
  }
  const dockerd = await which('dockerd');
  if (!dockerd || typeof process.getuid !== 'function' || process.getuid() !== 0) {
    log.warning(
      `no Docker engine answers${current ? ` at DOCKER_HOST=${current}` : ''} and none can be started here (${
        dockerd ? 'not running as root' : 'no dockerd on PATH'
      })`,
    );
    return null;
  }
  for (const driver of ['overlay2', 'vfs']) {
    const t0 = Date.now();
    const engine = await startDockerd({ dockerd, docker, driver, log, extraArgs: dockerdArgs });
    if (engine) {
      log.info(
        `started a private dockerd (pid ${engine.pid}, ${driver}) at ${engine.host} in ${Date.now() - t0} ms`,
      );
      return engine;
    }
  }
  log.warning('could not start dockerd with overlay2 or vfs');
  return null;
}
