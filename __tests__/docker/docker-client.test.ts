// Which docker binary the wrapper picks, with stub clients on a private PATH (no engine needed).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chooseDockerClient } from '../../src/platform/docker-cli.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'docker-stubs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A stub `docker` printing `version` for --version and succeeding on `buildx version` iff buildx. */
async function stub(dir: string, version: string, buildx: boolean): Promise<string> {
  const d = path.join(root, dir);
  await mkdir(d, { recursive: true });
  const file = path.join(d, 'docker');
  await writeFile(
    file,
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Docker version ${version}, build x"; exit 0; fi\n` +
      `if [ "$1" = "buildx" ]; then ${buildx ? 'echo "github.com/docker/buildx v0.20.0"; exit 0' : 'echo "docker: unknown command: docker buildx" >&2; exit 1'}; fi\nexit 2\n`,
  );
  await chmod(file, 0o755);
  return d;
}

test.each([
  [
    'new client with buildx first: it wins',
    [
      ['a', '28.2.2', true],
      ['b', '20.10.24', false],
    ],
    'a',
    'buildx',
  ],
  [
    'buildx anywhere on PATH beats an old client',
    [
      ['c', '20.10.24', false],
      ['d', '27.0.1', true],
    ],
    'd',
    'buildx',
  ],
  [
    'new client without buildx, then 20.10: the 20.10 one (BuildKit built in)',
    [
      ['e', '28.2.2', false],
      ['f', '20.10.24+dfsg1', false],
    ],
    'f',
    'builtin',
  ],
  ['only a new client without buildx: legacy builder', [['g', '28.2.2', false]], 'g', 'none'],
] as [string, [string, string, boolean][], string, string][])(
  '%s',
  async (_name, clients, dir, buildkit) => {
    const dirs: string[] = [];
    for (const [d, v, bx] of clients) dirs.push(await stub(d, v, bx));
    const chosen = await chooseDockerClient({
      PATH: [path.join(root, 'empty'), ...dirs].join(path.delimiter),
    });
    expect(chosen).toEqual({ path: path.join(root, dir, 'docker'), buildkit });
  },
);

test('no docker on PATH: undefined', async () => {
  expect(await chooseDockerClient({ PATH: path.join(root, 'nothing-here') })).toBeUndefined();
});
