// A private Docker registry for the Docker-tier tests: Debian's `docker-registry`
// (Distribution 2.8) on a free loopback port, filesystem storage in a temp folder, and
// htpasswd auth (file from `htpasswd -niB`, password on stdin; bcrypt compares only the first 72 bytes of the
// password, which is fine for a JWT). Pushes to 127.0.0.1:<port> need no insecure-registry
// setting in the engine.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { openSync, closeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface Registry {
  /** `127.0.0.1:<port>` */
  host: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startRegistry({
  username,
  password,
}: {
  username: string;
  password: string;
}): Promise<Registry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'registry-'));
  // The password goes on stdin (never argv). bcrypt compares only its first 72 bytes and
  // htpasswd refuses long passwords, so the hash is made of those 72 bytes: logins that send
  // a whole Astro token (as the action does) still match.
  const stdout = execFileSync('htpasswd', ['-niB', username], {
    input: password.slice(0, 72),
    encoding: 'utf8',
  });
  await writeFile(path.join(dir, 'htpasswd'), stdout.trim() + '\n');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  await writeFile(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${host}`,
      'auth:',
      '  htpasswd:',
      '    realm: test-registry',
      `    path: ${path.join(dir, 'htpasswd')}`,
      '',
    ].join('\n'),
  );
  const logFile = path.join(dir, 'registry.log');
  const fd = openSync(logFile, 'a');
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    if (!exited) {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
    }
    await rm(dir, { recursive: true, force: true });
  };

  // Ready when /v2/ answers (401 without credentials).
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(`http://${host}/v2/`);
      await res.arrayBuffer();
      if (res.status === 401 || res.status === 200) return { host, stop };
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  const tail = await readFile(logFile, 'utf8').catch(() => '');
  await stop();
  throw new Error(
    `docker-registry did not come up on ${host}: ${tail.trim().split('\n').slice(-3).join(' | ')}`,
  );
}
