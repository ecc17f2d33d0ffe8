// `npm run local-action`: @github/local-action runs the action's sources with inputs from an
// env file made from .env.example, against the emulator, as the README tells a contributor.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { fakeDockerPath } from '../helpers/fake-docker.js';
import { TestRepo, astroProject } from '../helpers/repo.js';

let emu: Emulator;
let repo: TestRepo;
beforeAll(async () => {
  emu = await startEmulator({ createDelayMs: 10, rolloutDelayMs: 10 });
  repo = new TestRepo();
});
afterAll(async () => {
  await emu.close();
  repo.cleanup();
});

test('.env.example, with the emulator token pasted in, runs a dry run end to end', async () => {
  repo.commit(astroProject());
  repo.push();
  const workspace = repo.checkout(repo.head());
  const example = fs.readFileSync('.env.example', 'utf8');
  expect(example).toContain('paste-the-emulator-token-here');
  const envFile = path.join(repo.root, '.env');
  fs.writeFileSync(
    envFile,
    example
      .replace('paste-the-emulator-token-here', emu.token)
      .replace(/^ASTRO_API_URL=.*$/m, `ASTRO_API_URL=${emu.url}`) +
      `GITHUB_WORKSPACE=${workspace}\nGITHUB_SHA=${repo.head()}\n`,
  );
  const before = emu.state.requests.length;
  const { stdout } = await promisify(execFile)(
    path.join('node_modules', '.bin', 'local-action'),
    ['run', '.', 'src/main.ts', envFile],
    {
      // A dry run of an image deploy checks for Docker, as the real run would.
      env: {
        PATH: fakeDockerPath(path.join(repo.root, 'bin')),
        HOME: process.env.HOME ?? repo.root,
      },
      timeout: 60_000,
    },
  );
  expect(stdout).toContain('::set-output name=deploy-type::image-and-dags');
  expect(stdout).toContain('::set-output name=skipped::true');
  expect(stdout).toMatch(/::set-output name=reason::dry run: would deploy image-and-dags/);
  expect(stdout).not.toContain(emu.token);
  const calls = emu.state.requests.slice(before);
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((q) => q.method !== 'GET')).toEqual([]);
}, 90_000);
