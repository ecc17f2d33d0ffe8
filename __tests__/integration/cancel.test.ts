// Cancelled runs (issue 14.3, 14.4): the bundled action as a real process gets SIGINT or
// SIGTERM (what a runner sends when a job is cancelled) at each stage of a woken deploy,
// held there by the emulator: waking, uploading the DAG tarball, waiting for the rollout.
// The user's own hibernation override must be back, no temporary file may be left (neither
// under RUNNER_TEMP nor the system's temp folder), and the post step, run the way a runner
// runs it (the state the main step saved in GITHUB_STATE passed as STATE_<name>), finds
// nothing left to put back. Killed outright (SIGKILL: no handler runs), the post step puts
// the override back itself; a preview created by a cancelled run is reported by it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { DIST, inputEnv, parseOutputFile } from '../support/action.js';
import { startGitHubApi } from '../support/github-api.js';
import { TestRepo, astroProject } from '../support/repo.js';

const POST = path.join(path.dirname(DIST), 'post.js');
const USER_OVERRIDE = { isHibernating: true, overrideUntil: '2030-01-02T03:04:05Z' };

let emu: Emulator;
let repo: TestRepo;
let dir: string;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

beforeEach(() => {
  repo = new TestRepo();
  repo.commit(astroProject());
  repo.push();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-cancel-'));
  for (const sub of ['runner-temp', 'tmp', 'files']) fs.mkdirSync(path.join(dir, sub));
});
afterEach(async () => {
  await emu?.close();
  repo.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function emulator(o: EmulatorOptions): Promise<void> {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50, wakeDelayMs: 50, ...o });
  // The user's own override: hibernate until a date.
  const res = await fetch(
    `${emu.url}/organizations/${emu.organizationId}/deployments/${id('sandbox')}/hibernation-override`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(USER_OVERRIDE),
    },
  );
  expect(res.status).toBe(200);
}

const override = () => emu.state.deployment(id('sandbox'))!.scalingSpec?.hibernationSpec?.override;

interface Proc {
  child: ChildProcess;
  stdout: () => string;
  exit: Promise<number | NodeJS.Signals>;
  env: Record<string, string>;
}

/** A step as a runner runs it: inputs as INPUT_*, files for outputs, summary and state. */
function start(
  script: string,
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
  ref = 'refs/heads/main',
): Proc {
  const sha = repo.head();
  const files = path.join(dir, 'files');
  const event = path.join(files, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ ref, after: sha }));
  for (const f of ['output', 'summary.md', 'state']) {
    if (!fs.existsSync(path.join(files, f))) fs.writeFileSync(path.join(files, f), '');
  }
  const workspace = repo.checkout(sha);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: path.join(files, 'output'),
    GITHUB_STEP_SUMMARY: path.join(files, 'summary.md'),
    GITHUB_STATE: path.join(files, 'state'),
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REPOSITORY: 'acme/airflow',
    GITHUB_SERVER_URL: repo.serverUrl,
    GITHUB_API_URL: 'http://127.0.0.1:9/unused',
    RUNNER_TEMP: path.join(dir, 'runner-temp'),
    TMPDIR: path.join(dir, 'tmp'),
    ASTRO_API_TOKEN: emu.token,
    ASTRO_API_URL: emu.url,
    ...inputEnv({ 'wait-time': '5m', ...inputs }),
    ...extra,
  };
  const child = spawn(process.execPath, [script], {
    cwd: workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stdout += d));
  const exit = new Promise<number | NodeJS.Signals>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, stdout: () => stdout, exit, env };
}

/** Wait until the run has logged `re` and (when given) `also` holds on the emulator. */
async function until(what: string, p: Proc, re: RegExp, also = () => true): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (re.test(p.stdout()) && also()) return;
    if (p.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never reached ${what}:\n${p.stdout()}`);
}

/** The post step with the state the main step saved (the last value of each name wins). */
async function runPost(main: Proc): Promise<{ code: number | NodeJS.Signals; stdout: string }> {
  const saved = parseAll(fs.readFileSync(main.env.GITHUB_STATE, 'utf8'));
  const state: Record<string, string> = {};
  for (const [k, v] of Object.entries(saved)) state[`STATE_${k}`] = v;
  const p = start(POST, { 'deployment-id': id('sandbox') }, state);
  const code = await p.exit;
  return { code, stdout: p.stdout() };
}

/** Like parseOutputFile, but a later value of a name replaces an earlier one. */
function parseAll(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm)) out[m[1]] = m[3];
  return out;
}

const leftovers = () => [
  ...fs.readdirSync(path.join(dir, 'runner-temp')),
  ...fs.readdirSync(path.join(dir, 'tmp')),
];

const ours = () => override()?.isHibernating === false;

const STAGES: [string, EmulatorOptions, RegExp][] = [
  ['waking', { wakeDelayMs: 600_000 }, /is hibernating: waking it/],
  [
    'uploading',
    {
      faults: {
        rate: 1,
        kinds: ['slow'],
        slowMs: 600_000,
        match: (q) => q.method === 'PUT' && q.path.includes('/blobs/'),
      },
    },
    /Created DAG_ONLY deploy/,
  ],
  ['waiting for the rollout', { rolloutDelayMs: 600_000 }, /Finalized deploy/],
];

describe.each(STAGES)('cancelled while %s', (stage, options, reached) => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    "%s puts the user's override back, leaves no temporary file, fails with the outputs set",
    async (signal) => {
      await emulator(options);
      const main = start(DIST, {
        'deployment-id': id('sandbox'),
        'deploy-type': 'dags-only',
        'wake-on-deploy': 'true',
      });
      await until(stage, main, reached, ours);
      // Our override replaced the user's while the run works.
      expect(override()).toMatchObject({ isHibernating: false });
      if (stage === 'uploading') {
        // The tarball lives under RUNNER_TEMP, not the system's temp folder.
        expect(fs.readdirSync(path.join(dir, 'runner-temp'))).toEqual([
          expect.stringMatching(/^astro-deploy-/),
        ]);
        expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
      }
      main.child.kill(signal);
      expect(await main.exit).toBe(1);
      expect(override()).toMatchObject(USER_OVERRIDE);
      expect(leftovers()).toEqual([]);
      const out = parseOutputFile(fs.readFileSync(main.env.GITHUB_OUTPUT, 'utf8'));
      expect(out.reason).toMatch(new RegExp(`^The run was cancelled \\(${signal}\\)`));
      // A finalized deploy may still go live: not skipped.
      expect(out).toMatchObject({
        'deployment-id': id('sandbox'),
        skipped: stage === 'waiting for the rollout' ? 'false' : 'true',
      });
      expect(main.stdout()).toMatch(/^::error::The run was cancelled/m);

      const post = await runPost(main);
      expect(post.code).toBe(0);
      expect(override()).toMatchObject(USER_OVERRIDE);
      if (stage === 'waking') {
        expect(post.stdout).toMatch(/left nothing to put back or report/);
      } else {
        // The deploy it created is reported (it was not finalized, or not live yet).
        const deployId = emu.state.deploys(id('sandbox'))[0].id;
        expect(out['deploy-id']).toBe(deployId);
        expect(post.stdout).toMatch(
          new RegExp(
            `^::warning::Deploy ${deployId} was created ${stage === 'uploading' ? 'on sandbox .* before finalizing it' : 'and finalized on sandbox'}`,
            'm',
          ),
        );
      }
    },
  );
});

test("a cancelled deploy's GitHub deployment is marked failure with the cancellation's sentence", async () => {
  const gh = await startGitHubApi({ token: 'ghs_cancel_token_0123456789' });
  try {
    await emulator({ rolloutDelayMs: 600_000 });
    const main = start(
      DIST,
      {
        'deployment-id': id('sandbox'),
        'deploy-type': 'dags-only',
        'wake-on-deploy': 'true',
        'github-token': gh.token,
      },
      { GITHUB_API_URL: gh.url },
    );
    await until('waiting for the rollout', main, /Finalized deploy/, ours);
    expect(gh.deployments.map((d) => gh.statesOf(d.id))).toEqual([['in_progress']]);
    main.child.kill('SIGINT');
    expect(await main.exit).toBe(1);
    const [d] = gh.deployments;
    expect(d.environment).toBe('sandbox');
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'failure']);
    expect(d.statuses[1].description).toMatch(/^The run was cancelled \(SIGINT\)/);
  } finally {
    await gh.close();
  }
});

test('killed outright while waiting: the post step marks the GitHub deployment failed', async () => {
  const gh = await startGitHubApi({ token: 'ghs_cancel_token_0123456789' });
  try {
    await emulator({ rolloutDelayMs: 600_000 });
    const inputs = { 'deployment-id': id('sandbox'), 'github-token': gh.token };
    const withGitHub = { GITHUB_API_URL: gh.url, GITHUB_RUN_ID: '77' };
    const main = start(
      DIST,
      { ...inputs, 'deploy-type': 'dags-only', 'wake-on-deploy': 'true' },
      withGitHub,
    );
    await until('waiting for the rollout', main, /Finalized deploy/, ours);
    main.child.kill('SIGKILL');
    await main.exit;
    const [d] = gh.deployments;
    expect(gh.statesOf(d.id)).toEqual(['in_progress']);
    // The post step, with the state the main step saved.
    const saved = parseAll(fs.readFileSync(main.env.GITHUB_STATE, 'utf8'));
    const state: Record<string, string> = {};
    for (const [k, v] of Object.entries(saved)) state[`STATE_${k}`] = v;
    const post = start(POST, inputs, { ...state, ...withGitHub });
    expect(await post.exit).toBe(0);
    expect(gh.statesOf(d.id)).toEqual(['in_progress', 'failure']);
    expect(d.statuses[1].description).toMatch(/^The run stopped before the deploy finished/);
    expect(d.statuses[1].log_url).toBe(`${repo.serverUrl}/acme/airflow/actions/runs/77`);
  } finally {
    await gh.close();
  }
});

test('killed outright while waking: the post step puts the override back', async () => {
  await emulator({ wakeDelayMs: 600_000 });
  const main = start(DIST, {
    'deployment-id': id('sandbox'),
    'deploy-type': 'dags-only',
    'wake-on-deploy': 'true',
  });
  await until('waking', main, /is hibernating: waking it/, ours);
  expect(override()).toMatchObject({ isHibernating: false });
  main.child.kill('SIGKILL');
  await main.exit;
  expect(override()).toMatchObject({ isHibernating: false }); // nobody put it back yet
  const post = await runPost(main);
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/Put back the hibernation override of sandbox/);
  expect(override()).toMatchObject(USER_OVERRIDE);
});

test('the post step leaves an override someone else set meanwhile', async () => {
  await emulator({ wakeDelayMs: 600_000 });
  const main = start(DIST, {
    'deployment-id': id('sandbox'),
    'deploy-type': 'dags-only',
    'wake-on-deploy': 'true',
  });
  await until('waking', main, /is hibernating: waking it/, ours);
  main.child.kill('SIGKILL');
  await main.exit;
  const theirs = { isHibernating: false, overrideUntil: '2031-05-06T07:08:09Z' };
  await fetch(
    `${emu.url}/organizations/${emu.organizationId}/deployments/${id('sandbox')}/hibernation-override`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(theirs),
    },
  );
  const post = await runPost(main);
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/changed by someone else meanwhile/);
  expect(override()).toMatchObject(theirs);
});

test('a finished run leaves the post step nothing to do', async () => {
  await emulator({});
  const main = start(DIST, {
    'deployment-id': id('sandbox'),
    'deploy-type': 'dags-only',
    'wake-on-deploy': 'true',
  });
  expect(await main.exit).toBe(0);
  expect(override()).toMatchObject(USER_OVERRIDE);
  expect(leftovers()).toEqual([]);
  const post = await runPost(main);
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(/left nothing to put back or report/);
});

test('a preview created by a cancelled run is reported by the post step', async () => {
  await emulator({ rolloutDelayMs: 600_000 });
  const main = start(
    DIST,
    {
      'deployment-id': id('analytics'),
      action: 'create-deployment-preview',
      'deploy-type': 'dags-only',
    },
    {},
    'refs/heads/feature/x',
  );
  await until('waiting for the rollout', main, /Finalized deploy/);
  main.child.kill('SIGTERM');
  expect(await main.exit).toBe(1);
  const preview = emu.state.deployments().find((d) => d.name.startsWith('feature-x'))!;
  expect(preview).toBeDefined();
  const out = parseOutputFile(fs.readFileSync(main.env.GITHUB_OUTPUT, 'utf8'));
  expect(out['preview-id']).toBe(preview.id);
  expect(out.reason).toContain(`The preview ${preview.name} (${preview.id}) was created`);
  const post = await runPost(main);
  expect(post.code).toBe(0);
  expect(post.stdout).toMatch(
    new RegExp(
      `^::warning::The preview ${preview.name} \\(${preview.id}\\) was created by a run that stopped`,
      'm',
    ),
  );
});

test('a failed run leaves no temporary file either', async () => {
  await emulator({
    faults: {
      rate: 1,
      kinds: ['500'],
      match: (q) => q.method === 'PUT' && q.path.includes('/blobs/'),
    },
  });
  const main = start(DIST, { 'deployment-id': id('analytics'), 'deploy-type': 'dags-only' });
  expect(await main.exit).toBe(1);
  expect(main.stdout()).toMatch(/^::error::.*Deploy \S+ was created on analytics/m);
  expect(leftovers()).toEqual([]);
});
