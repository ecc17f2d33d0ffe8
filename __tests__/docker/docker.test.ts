// The Docker wrapper against a real engine: build excludes, build secrets, login hygiene.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDocker, type Docker } from '../../src/platform/docker.js';
import { silentLog } from '../../src/platform/log.js';
import { dockerForTests } from '../support/docker-env.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { ensureRuntimeImage } from '../support/runtime-image.js';

const docker = await dockerForTests();
const dtest = docker ? test : test.skip;

let image = '';
const dirs: string[] = [];
const images: string[] = [];

beforeAll(async () => {
  if (docker) image = await ensureRuntimeImage(docker);
}, 300000);

afterAll(async () => {
  for (const i of images) await docker?.remove(i);
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function context(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('build-ctx-');
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  }
  return dir;
}

/** The files under /ctx of an image, sorted. */
async function filesIn(d: Docker, tag: string): Promise<string[]> {
  const r = await d.run({
    image: tag,
    entrypoint: 'python',
    args: [
      '-c',
      'import os\nfor r, _, fs in os.walk("/ctx"):\n    for f in fs: print(os.path.relpath(os.path.join(r, f), "/ctx"))',
    ],
  });
  expect(r.exitCode).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).sort();
}

function projectFiles(dockerfile: string): Record<string, string> {
  return {
    Dockerfile: dockerfile,
    'dags/a.py': 'dag a\n',
    'dags/sub/b.py': 'dag b\n',
    'include/x.txt': 'x\n',
    'secret.env': 'ignored by the project\n',
    'requirements.txt': '\n',
  };
}

let n = 0;
const uniqueTag = () => {
  const t = `exclude-test-${process.pid}-${++n}:latest`;
  images.push(t);
  return t;
};

for (const builder of ['auto', 'legacy'] as const) {
  describe(`build with exclude (${builder === 'auto' ? 'BuildKit' : 'legacy builder'})`, () => {
    const d = () => createDocker({ log: silentLog, builder });

    dtest('keeps the dags folder out and leaves .dockerignore byte-identical', async () => {
      // No trailing newline, CRLF and a negation: the exact bytes must come back.
      const original = Buffer.from('secret.env\r\n!include/x.txt\n# comment');
      const ctx = await context({ ...projectFiles(`FROM ${image}\nCOPY . /ctx/\n`) });
      await writeFile(path.join(ctx, '.dockerignore'), original);
      const tag = uniqueTag();
      await d().build({ context: ctx, tag, exclude: ['dags'] });
      const files = await filesIn(d(), tag);
      expect(files).toEqual(['.dockerignore', 'Dockerfile', 'include/x.txt', 'requirements.txt']);
      expect(await readFile(path.join(ctx, '.dockerignore'))).toEqual(original);
    });

    if (builder === 'auto') {
      dtest(
        "a project's own Dockerfile.dockerignore keeps its patterns (BuildKit reads it first)",
        async () => {
          const ctx = await context({ ...projectFiles(`FROM ${image}\nCOPY . /ctx/\n`) });
          await writeFile(path.join(ctx, 'Dockerfile.dockerignore'), 'secret.env\n');
          await writeFile(path.join(ctx, '.dockerignore'), 'requirements.txt\n');
          const tag = uniqueTag();
          await d().build({ context: ctx, tag, exclude: ['dags'] });
          expect(await filesIn(d(), tag)).toEqual([
            '.dockerignore',
            'Dockerfile',
            'Dockerfile.dockerignore',
            'include/x.txt',
            'requirements.txt',
          ]);
        },
      );
    }

    dtest('leaves no .dockerignore behind when there was none', async () => {
      const ctx = await context(projectFiles(`FROM ${image}\nCOPY . /ctx/\n`));
      const tag = uniqueTag();
      await d().build({ context: ctx, tag, exclude: ['./dags/'] });
      expect(await filesIn(d(), tag)).toEqual([
        'Dockerfile',
        'include/x.txt',
        'requirements.txt',
        'secret.env',
      ]);
      expect(existsSync(path.join(ctx, '.dockerignore'))).toBe(false);
      expect((await readdir(ctx)).sort()).toEqual([
        'Dockerfile',
        'dags',
        'include',
        'requirements.txt',
        'secret.env',
      ]);
    });

    dtest(
      'keep: the folder reaches the image though .dockerignore leaves it out; the file stays byte-identical, on failure too',
      async () => {
        const original = Buffer.from('secret.env\r\ndags/\r\n# comment');
        const ctx = await context(projectFiles(`FROM ${image}\nCOPY . /ctx/\n`));
        await writeFile(path.join(ctx, '.dockerignore'), original);
        const tag = uniqueTag();
        await d().build({ context: ctx, tag, keep: ['dags'] });
        expect(await filesIn(d(), tag)).toEqual([
          '.dockerignore',
          'Dockerfile',
          'dags/a.py',
          'dags/sub/b.py',
          'include/x.txt',
          'requirements.txt',
        ]);
        expect(await readFile(path.join(ctx, '.dockerignore'))).toEqual(original);
        const failing = await context(
          projectFiles(`FROM ${image}\nCOPY . /ctx/\nRUN echo about to fail && exit 3\n`),
        );
        await writeFile(path.join(failing, '.dockerignore'), original);
        await expect(
          d().build({ context: failing, tag: uniqueTag(), keep: ['dags'] }),
        ).rejects.toThrow(/exit 3/);
        expect(await readFile(path.join(failing, '.dockerignore'))).toEqual(original);
      },
    );

    dtest(
      'restores .dockerignore (or its absence) when the build fails, and says what failed',
      async () => {
        const failing = `FROM ${image}\nCOPY . /ctx/\nRUN echo about to fail && exit 3\n`;
        const withIgnore = await context(projectFiles(failing));
        await writeFile(path.join(withIgnore, '.dockerignore'), 'secret.env');
        await expect(
          d().build({ context: withIgnore, tag: uniqueTag(), exclude: ['dags'] }),
        ).rejects.toThrow(
          /^Building the image exclude-test-\d+-\d+:latest from Dockerfile failed \(docker exit code \d+\): .*exit 3/,
        );
        expect(await readFile(path.join(withIgnore, '.dockerignore'), 'utf8')).toBe('secret.env');

        const without = await context(projectFiles(failing));
        await expect(
          d().build({ context: without, tag: uniqueTag(), exclude: ['dags'] }),
        ).rejects.toThrow(/failed/);
        expect(existsSync(path.join(without, '.dockerignore'))).toBe(false);
      },
    );
  });
}

dtest(
  'a build secret reaches a RUN --mount=type=secret step (BuildKit) and stays out of the image history',
  async () => {
    const secretValue = `s3cr3t-${process.pid}-value`;
    const ctx = await context({
      // BuildKit caches RUN steps regardless of the secret's content: a unique ENV busts it.
      Dockerfile: `FROM ${image}\nENV NONCE=${secretValue.length}-${Date.now()}-${Math.random()}\nRUN --mount=type=secret,id=mysecret python -c "import hashlib; open('/secret-digest','w').write(hashlib.sha256(open('/run/secrets/mysecret','rb').read()).hexdigest())"\n`,
    });
    const secretDir = await tempDir('build-secret-');
    await writeFile(path.join(secretDir, 'secret.txt'), secretValue);
    const tag = uniqueTag();
    const d = createDocker({ log: silentLog });
    await d.build({
      context: ctx,
      tag,
      secrets: [`id=mysecret,src=${path.join(secretDir, 'secret.txt')}`],
    });
    const r = await d.run({
      image: tag,
      entrypoint: 'python',
      args: ['-c', 'print(open("/secret-digest").read())'],
    });
    const { createHash } = await import('node:crypto');
    expect(r.stdout.trim()).toBe(createHash('sha256').update(secretValue).digest('hex'));
    const history = await d.command(['history', '--no-trunc', tag]);
    expect(history.exitCode).toBe(0);
    expect(history.stdout).not.toContain(secretValue);
    const files = await d.run({
      image: tag,
      entrypoint: 'python',
      args: ['-c', 'import os; print(os.path.exists("/run/secrets/mysecret"))'],
    });
    expect(files.stdout.trim()).toBe('False');
  },
);

dtest('build secrets without BuildKit are refused with a clear message', async () => {
  const ctx = await context({ Dockerfile: `FROM ${image}\n` });
  const d = createDocker({ log: silentLog, builder: 'legacy' });
  await expect(
    d.build({ context: ctx, tag: uniqueTag(), secrets: ['id=a,src=/dev/null'] }),
  ).rejects.toThrow(/build-secrets need BuildKit/);
});

describe('login', () => {
  let registry: Registry | undefined;
  const token = `eyJ0eXAiOiJKV1QifQ.${'t'.repeat(100)}.login-test`;

  beforeAll(async () => {
    if (docker) registry = await startRegistry({ username: 'cli', password: token });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  dtest(
    'leaves no credentials in ~/.docker, keeps other logins usable, and none after dispose',
    async () => {
      const home = await tempDir('fake-home-');
      // A user config with a credential store that does not exist here: had it been kept,
      // `docker login` would fail trying to run docker-credential-nowhere.
      const userConfig = JSON.stringify({
        auths: { 'other.example': { auth: 'dXNlcjpwYXNz' } },
        credsStore: 'nowhere',
      });
      await mkdir(path.join(home, '.docker'));
      await writeFile(path.join(home, '.docker', 'config.json'), userConfig);
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
      delete env.DOCKER_CONFIG;
      const d = createDocker({ log: silentLog, env });
      const ref = `${registry!.host}/org/login-test:1`;
      try {
        await d.login(registry!.host, 'cli', token);
        await d.tag(image, ref);
        await d.push(ref); // authenticated through the throwaway config
        expect(await readFile(path.join(home, '.docker', 'config.json'), 'utf8')).toBe(userConfig);
        expect(await readdir(path.join(home, '.docker'))).toEqual(['config.json']);
        const config = JSON.parse(
          await readFile(path.join(d.configDir()!, 'config.json'), 'utf8'),
        ) as {
          auths: Record<string, unknown>;
          credsStore?: string;
        };
        expect(Object.keys(config.auths).sort()).toEqual(
          ['127.0.0.1:' + registry!.host.split(':')[1], 'other.example'].sort(),
        );
        expect(config.credsStore).toBeUndefined();
      } finally {
        await d.remove(ref);
        await d.dispose();
      }
      expect(d.configDir()).toBeUndefined();
      // After dispose the instance is back to the user's config: the registry refuses it.
      await d.tag(image, ref);
      await expect(d.push(ref)).rejects.toThrow(/Pushing .* failed/);
      await d.remove(ref);
      // Nothing under the fake home mentions the token.
      for (const f of await readdir(home, { recursive: true })) {
        const p = path.join(home, f);
        if ((await import('node:fs')).statSync(p).isFile())
          expect(await readFile(p, 'utf8')).not.toContain(token);
      }
    },
  );

  dtest('a wrong password is one clear error that does not contain the password', async () => {
    const d = createDocker({ log: silentLog });
    try {
      const err = await d.login(registry!.host, 'cli', 'not-the-token-123').then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(new RegExp(`^Logging in to ${registry!.host} as cli failed`));
      expect(err?.message).not.toContain('not-the-token-123');
    } finally {
      await d.dispose();
    }
  });
});
