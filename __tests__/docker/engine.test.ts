// scripts/docker-engine.mjs: reuses an engine that answers; as root with dockerd, starts a
// private one and stops it by its PID, leaving nothing behind.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { recordingLog } from '../../src/platform/log.js';
import { dockerForTests } from '../support/docker-env.js';
import { ensureRuntimeImage } from '../support/runtime-image.js';

type Engine = {
  host: string;
  started: boolean;
  pid?: number;
  dataRoot?: string;
  bridge?: string;
  stop(): Promise<void>;
};
type EngineModule = {
  ensureDockerEngine(o: { log: unknown; dockerdArgs?: string[] }): Promise<Engine | null>;
};

const here = path.dirname(fileURLToPath(import.meta.url));
const modulePath = path.join(here, '..', '..', 'scripts', 'docker-engine.mjs');
const { ensureDockerEngine } = (await import(modulePath)) as EngineModule;
const docker = await dockerForTests();
const dtest = docker ? test : test.skip;
const canStart =
  process.getuid?.() === 0 &&
  (await promisify(execFile)('which', ['dockerd']).then(
    () => true,
    () => false,
  ));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

dtest('an engine that answers at DOCKER_HOST is reused, not started', async () => {
  const engine = await ensureDockerEngine({ log: recordingLog() });
  expect(engine).not.toBeNull();
  expect(engine!.started).toBe(false);
  if (process.env.DOCKER_HOST) expect(engine!.host).toBe(process.env.DOCKER_HOST);
  await engine!.stop(); // a no-op for an engine it did not start
  expect(await docker!.available()).toBe(true);
});

(canStart ? test : test.skip)(
  'starts a private dockerd when none answers, and stop() ends it by PID and cleans up',
  async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
    let engine: Engine | null = null;
    try {
      const messages: string[] = [];
      // A second engine next to the one the tests use: it gets a bridge of its own, so
      // starting and stopping it cannot disturb the first one's networking.
      engine = await ensureDockerEngine({ log: (m: string) => messages.push(m) });
      expect(engine).not.toBeNull();
      expect(engine!.started).toBe(true);
      expect(engine!.host).toMatch(/^unix:\/\/.+\/docker\.sock$/);
      expect(messages.join('\n')).toContain('started a private dockerd');
      const { stdout } = await promisify(execFile)(
        'docker',
        ['version', '--format', '{{.Server.Version}}'],
        {
          env: { ...process.env, DOCKER_HOST: engine!.host },
        },
      );
      expect(stdout.trim()).not.toBe('');
      expect(alive(engine!.pid!)).toBe(true);
    } finally {
      process.env.DOCKER_HOST = saved;
      await engine?.stop();
    }
    expect(alive(engine!.pid!)).toBe(false);
    expect(existsSync(engine!.dataRoot!)).toBe(false);
    if (engine!.bridge) {
      const gone = await promisify(execFile)('ip', ['link', 'show', engine!.bridge]).then(
        () => false,
        () => true,
      );
      expect(gone).toBe(true);
    }
    // The engine the other tests use still runs containers.
    const r = await docker!.run({
      image: await ensureRuntimeImage(docker!),
      entrypoint: 'python',
      args: ['-c', 'print("still fine")'],
    });
    expect(r.stdout.trim()).toBe('still fine');
  },
  120000,
);
