// `npm run local-action` the way the README tells a newcomer: in a fresh clone, copy
// .env.example to the file the script reads, paste the emulator's token, run. It dry-runs the
// sample Airflow project (examples/sample-project), not this repository, against the emulator.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { git } from '../support/repo.js';

const ROOT = process.cwd();
let emu: Emulator;
let dir: string;
let clone: string;

beforeAll(async () => {
  emu = await startEmulator({ createDelayMs: 10, rolloutDelayMs: 10 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-action-'));
  // A fresh clone of this repository, with this checkout's modules as if `npm ci` had run
  // (kept out of git's view, as the ignored folder would be).
  clone = path.join(dir, 'clone');
  git(dir, 'clone', '-q', ROOT, clone);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  fs.appendFileSync(path.join(clone, '.git', 'info', 'exclude'), 'node_modules\n');
});
afterAll(async () => {
  await emu.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The env file `npm run local-action` reads: the last argument of the script. */
function envFileOfScript(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8'));
  return String(pkg.scripts['local-action']).trim().split(/\s+/).pop()!;
}

async function npmRunLocalAction(): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', 'local-action'], {
    cwd: clone,
    env: {
      // A dry run of an image deploy checks for Docker, as the real run would.
      PATH: fakeDockerPath(path.join(dir, 'bin')),
      HOME: process.env.HOME ?? dir,
      npm_config_update_notifier: 'false',
    },
    timeout: 90_000,
  });
  return stdout;
}

test('README and package.json agree: copy .env.example to the file the script reads', () => {
  const envFile = envFileOfScript();
  expect(envFile).not.toBe('.env.example');
  const readme = fs.readFileSync(path.join(clone, 'README.md'), 'utf8');
  expect(readme).toContain(`cp .env.example ${envFile}`);
  expect(fs.readFileSync(path.join(clone, '.env.example'), 'utf8')).toContain(
    `cp .env.example ${envFile}`,
  );
  expect(fs.readFileSync(path.join(clone, '.gitignore'), 'utf8').split('\n')).toContain(envFile);
});

test('the example dry-runs the sample project: everything first, then only a DAG change', async () => {
  const example = fs.readFileSync(path.join(clone, '.env.example'), 'utf8');
  expect(example).toContain('paste-the-emulator-token-here');
  // The sample project is a whole Astro project.
  const root = /^INPUT_ROOT-FOLDER=(.+)$/m.exec(example)?.[1].trim() ?? '';
  for (const f of ['Dockerfile', 'requirements.txt', 'dags/example_dag.py'])
    expect(fs.existsSync(path.join(clone, root, f))).toBe(true);
  fs.writeFileSync(
    path.join(clone, envFileOfScript()),
    example
      .replace('paste-the-emulator-token-here', emu.token)
      .replace(/^ASTRO_API_URL=.*$/m, `ASTRO_API_URL=${emu.url}`),
  );
  const analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;

  // 1. Nothing deployed yet: the whole project would ship; nothing changes on the emulator.
  const before = emu.state.requests.length;
  const first = await npmRunLocalAction();
  expect(first).toContain('::set-output name=deploy-type::image-and-dags');
  expect(first).toContain('::set-output name=skipped::true');
  expect(first).toMatch(/::set-output name=reason::dry run: would deploy image-and-dags/);
  // `::add-mask::` is how the action asks the runner to mask the token; nothing else shows it.
  expect(
    first
      .split('\n')
      .filter((l) => !l.trim().startsWith('::add-mask::'))
      .join('\n'),
  ).not.toContain(emu.token);
  const calls = emu.state.requests.slice(before);
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((q) => q.method !== 'GET')).toEqual([]);

  // 2. The clone's commit is live; a commit changes only a DAG of the sample project: a
  //    DAG-only deploy (the repository's root would call that path an image change).
  emu.state.addDeploy(analytics, {
    type: 'IMAGE_AND_DAG',
    status: 'DEPLOYED',
    git: { provider: 'GENERIC', commitSha: git(clone, 'rev-parse', 'HEAD') },
  });
  fs.appendFileSync(path.join(clone, root, 'dags', 'example_dag.py'), '# changed\n');
  git(clone, 'commit', '-q', '-am', 'Change the example DAG');
  const second = await npmRunLocalAction();
  expect(second).toContain('::set-output name=deploy-type::dags-only');
  expect(second).toMatch(/::set-output name=reason::dry run: would deploy dags-only/);
  expect(emu.state.deploys(analytics)).toHaveLength(1);
}, 180_000);
