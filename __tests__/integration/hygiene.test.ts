// Token hygiene and "never a shell", through the bundled action against the emulator.
// - The leak scan of runAction covers the workspace and RUNNER_TEMP (proved by planting), and
//   full runs (a DAG-only deploy, a preview create with a PR comment, its delete, an image
//   deploy, a clone over https) leave the Astro token and the github-token nowhere: not in
//   output, summary, files, the temp folder, nor in any child process's argv (git and docker
//   are wrapped first on PATH and log their argv).
// - User text with quotes, $(), backticks and newlines (description, branch names, build-secret
//   ids, root-folder and file names) arrives intact at git and the API and never executes.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type RunOptions, ok, type RunResult } from '../support/action.js';
import { startGitHubApi, type GitHubStandIn } from '../support/github-api.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let gh: GitHubStandIn;
let analytics: string;
let dir: string; // wrappers, argv logs, the TMPDIR of runs, payload markers
let bin: string;
let tmp: string;
let markers: string;
const githubToken = `ghs_${randomBytes(18).toString('hex')}`;

const which = (name: string) =>
  execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
const argvLog = (name: string) => path.join(dir, `${name}.argv`);

/** A wrapper that appends its argv (NUL-separated, one call per record) to a log. */
function wrapper(name: string, body: string): void {
  const file = path.join(bin, name);
  fs.writeFileSync(
    file,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> '${argvLog(name)}'\nprintf '\\n\\0' >> '${argvLog(name)}'\n${body}\n`,
    { mode: 0o755 },
  );
}

/** Every logged call as its argv. */
function calls(name: string): string[][] {
  if (!fs.existsSync(argvLog(name))) return [];
  const out: string[][] = [[]];
  for (const a of fs.readFileSync(argvLog(name), 'utf8').split('\0').slice(0, -1)) {
    if (a === '\n') out.push([]);
    else out[out.length - 1].push(a);
  }
  return out.filter((c) => c.length);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-hygiene-'));
  bin = path.join(dir, 'bin');
  tmp = path.join(dir, 'tmp');
  markers = path.join(dir, 'markers');
  for (const d of [bin, tmp, markers]) fs.mkdirSync(d);
  // git: notes whether an auth header came through the environment, then runs the real git.
  wrapper(
    'git',
    `env | grep -q '^GIT_CONFIG_VALUE_[0-9]*=AUTHORIZATION' && : > '${path.join(dir, 'git-auth-env')}'\nexec '${which('git')}' "$@"`,
  );
  // A docker client that acts like one with a working engine (no engine needed): it answers
  // what the action asks, keeps a hash of what login reads on stdin, and does nothing else.
  wrapper(
    'docker',
    [
      'case "$1" in',
      '  buildx|version) echo 28.0.0 ;;',
      '  --version) echo "Docker version 28.0.0, build test" ;;',
      `  login) sha256sum | cut -d' ' -f1 > '${path.join(dir, 'login-stdin.sha256')}' ;;`,
      '  image) case "$4" in *Labels*) echo \'{"io.astronomer.docker.runtime.version":"3.0-7"}\' ;; *) echo sha256:0000 ;; esac ;;',
      'esac',
      'exit 0',
    ].join('\n'),
  );
  gh = await startGitHubApi({ token: githubToken });
});
afterAll(async () => {
  await gh.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
  for (const f of [argvLog('git'), argvLog('docker'), path.join(dir, 'git-auth-env')])
    fs.rmSync(f, { force: true });
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

/** A run with the wrappers first on PATH, TMPDIR scanned, and both tokens checked. */
async function run(
  o: Partial<RunOptions> & { inputs: Record<string, string> },
): Promise<RunResult> {
  const sha = o.sha ?? repo.head();
  return runAction({
    token: emu.token,
    apiUrl: emu.url,
    workspace: o.workspace ?? repo.checkout(sha),
    eventName: 'push',
    event: { ref: 'refs/heads/main', after: sha },
    sha,
    serverUrl: repo.serverUrl,
    ...o,
    inputs: { 'wait-time': '30s', 'github-token': githubToken, ...o.inputs },
    env: {
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      TMPDIR: tmp,
      GITHUB_API_URL: gh.url,
      ...o.env,
    },
    secrets: [githubToken, ...(o.secrets ?? [])],
    scanDirs: [tmp, ...(o.scanDirs ?? [])],
  });
}

/** No argv of any git or docker call holds either token. */
function expectCleanArgv(): void {
  for (const name of ['git', 'docker']) {
    const text = calls(name).flat().join('\n');
    expect(text).not.toContain(emu.token);
    expect(text).not.toContain(githubToken);
  }
}

describe('token hygiene', () => {
  test('the leak scan covers files left in the workspace and in RUNNER_TEMP', async () => {
    repo.commit(astroProject());
    repo.push();
    const ws = repo.checkout(repo.head());
    fs.writeFileSync(path.join(ws, 'left-behind.txt'), `token=${emu.token}\n`);
    await expect(
      run({ inputs: { 'deployment-id': analytics, 'dry-run': 'true' }, workspace: ws }),
    ).rejects.toThrow(/secret leaked into .*left-behind\.txt/);
    // RUNNER_TEMP holds the event file: a token in it is found there.
    await expect(
      run({
        inputs: { 'deployment-id': analytics, 'dry-run': 'true' },
        event: { ref: 'refs/heads/main', note: githubToken },
      }),
    ).rejects.toThrow(/secret leaked into .*event\.json/);
    // And TMPDIR, when a run is given one to scan.
    fs.writeFileSync(path.join(tmp, 'stray'), emu.token);
    await expect(
      run({ inputs: { 'deployment-id': analytics, 'dry-run': 'true' } }),
    ).rejects.toThrow(/secret leaked into .*stray/);
    fs.rmSync(path.join(tmp, 'stray'));
  });

  test('a DAG-only deploy, a preview create (with a PR comment) and its delete leave neither token anywhere', async () => {
    repo.commit(astroProject());
    const sha = repo.commit({ 'dags/sales.py': 'S = 1\n' });
    repo.push();
    repo.push('feat/hygiene');
    ok(await run({ inputs: { 'deployment-id': analytics, 'deploy-type': 'dags-only' } }));
    expect(emu.state.deploys(analytics).filter((d) => d.status === 'DEPLOYED')).toHaveLength(1);

    const prEvent = (action: string) => ({
      action,
      number: 9,
      pull_request: { number: 9, head: { ref: 'feat/hygiene', sha }, base: { ref: 'main', sha } },
    });
    const created = ok(
      await run({
        inputs: {
          action: 'preview',
          'deployment-id': analytics,
          'deploy-type': 'dags-only',
          'pr-comment': 'true',
        },
        eventName: 'pull_request',
        event: prEvent('opened'),
      }),
    );
    const previewId = created.outputs['preview-id'];
    expect(emu.state.deployment(previewId)?.name).toBe('feat-hygiene_analytics');
    expect(gh.list('acme/airflow', 9)).toHaveLength(1);
    ok(
      await run({
        inputs: { action: 'preview', 'deployment-id': analytics },
        eventName: 'pull_request',
        event: prEvent('closed'),
      }),
    );
    expect(emu.state.deployment(previewId)).toBeUndefined();

    // git ran (through the wrapper) and no argv held a token.
    expect(calls('git').length).toBeGreaterThan(0);
    expectCleanArgv();
    // The temp folder the runs used is left empty.
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  test('an image deploy logs in with the token on stdin only, and build secrets pass as one argv element each', async () => {
    repo.commit({ ...astroProject(), 'secrets.txt': 'build-secret-value\n' });
    repo.push();
    const secretLine = `id=pip$(touch${'${IFS}'}${markers}/s1)\`touch ${markers}/s2\`'q'"d",src=secrets.txt`;
    ok(
      await run({
        inputs: {
          'deployment-id': analytics,
          'deploy-type': 'image-and-dags',
          'build-secrets': `${secretLine}\nid=plain,src=secrets.txt`,
        },
      }),
    );
    const docker = calls('docker');
    const login = docker.find((c) => c[0] === 'login')!;
    expect(login).toEqual(['login', expect.any(String), '--username', 'cli', '--password-stdin']);
    expect(fs.readFileSync(path.join(dir, 'login-stdin.sha256'), 'utf8').trim()).toBe(
      createHash('sha256').update(emu.token).digest('hex'),
    );
    const build = docker.find((c) => c[0] === 'build' || (c[0] === 'buildx' && c[1] === 'build'))!;
    const secrets = build.flatMap((a, i) => (build[i - 1] === '--secret' ? [a] : []));
    expect(secrets).toEqual([secretLine, 'id=plain,src=secrets.txt']);
    expect(fs.readdirSync(markers)).toEqual([]);
    expect(emu.state.deploys(analytics).filter((d) => d.status === 'DEPLOYED')).toHaveLength(1);
    expectCleanArgv();
  });

  test('the token is masked before anything is printed (bare too when saved as "Bearer …"), and the registry login gets it bare', async () => {
    repo.commit(astroProject());
    repo.push();
    const r = ok(
      await run({
        inputs: { 'deployment-id': analytics, 'deploy-type': 'image-and-dags' },
        env: { ASTRO_API_TOKEN: `Bearer ${emu.token}` },
      }),
    );
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      `::add-mask::Bearer ${emu.token}`,
      `::add-mask::${emu.token}`,
    ]);
    expect(fs.readFileSync(path.join(dir, 'login-stdin.sha256'), 'utf8').trim()).toBe(
      createHash('sha256').update(emu.token).digest('hex'),
    );
    expect(emu.state.deploys(analytics).filter((d) => d.status === 'DEPLOYED')).toHaveLength(1);
    expectCleanArgv();
  });

  test('a clone over https gets the github-token through the environment, never argv or the message', async () => {
    const sha = repo.commit(astroProject());
    const r = await run({
      inputs: { 'deployment-id': analytics, 'deploy-type': 'dags-only' },
      workspace: repo.emptyWorkspace(),
      serverUrl: 'https://127.0.0.1:9',
      sha,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /::error::Could not fetch [0-9a-f]{12} from https:\/\/127\.0\.0\.1:9\/acme\/airflow/,
    );
    expect(calls('git').some((c) => c[0] === 'fetch')).toBe(true);
    expect(fs.existsSync(path.join(dir, 'git-auth-env'))).toBe(true);
    expectCleanArgv();
  });
});

describe('no shell', () => {
  test('description, branch, root-folder and file names with quotes, $(), backticks and newlines arrive intact and never run', async () => {
    const p = (n: string) => path.join(markers, n);
    const description = `It's "quoted" $(touch ${p('d1')}) \`touch ${p('d2')}\`; echo $HOME\nsecond line | tee ${p('d3')}`;
    const branch = `feat/$(touch\${IFS}${p('b1')})-\`touch\${IFS}${p('b2')}\`-'q'-"d";x`;
    const root = `proj $(touch ${p('r1')}) 'q' "d"`;
    const dagFile = `a $(touch ${p('f1')}) \`touch ${p('f2')}\` 'q' "d"\nline.py`;
    repo.commit({ ...astroProject(root), [`${root}/dags/${dagFile}`]: 'X = 1\n' }, 'Odd names');
    const sha = repo.head();
    repo.push();
    repo.push(branch);

    // A DAG-only deploy from the odd root-folder, with the odd description.
    const r = ok(
      await run({
        inputs: {
          'deployment-id': analytics,
          'deploy-type': 'dags-only',
          'root-folder': root,
          description,
        },
      }),
    );
    const deploy = emu.state.deploys(analytics).find((d) => d.id === r.outputs['deploy-id'])!;
    expect(deploy.description).toBe(description);
    expect(deploy.git?.path).toBe(root);
    expect(emu.state.blobFiles(r.outputs['dag-tarball-version']).sort()).toEqual(
      [`dags/${dagFile}`, 'dags/example_dag.py'].sort(),
    );

    // A preview for the odd branch: marked with the whole branch name, deployed from it.
    const pv = ok(
      await run({
        inputs: {
          action: 'create-deployment-preview',
          'deployment-id': analytics,
          'deploy-type': 'dags-only',
          'root-folder': root,
          'copy-connections': 'false',
          'copy-airflow-variables': 'false',
          'copy-pools': 'false',
        },
        eventName: 'pull_request',
        event: {
          action: 'opened',
          number: 4,
          pull_request: { number: 4, head: { ref: branch, sha }, base: { ref: 'main', sha } },
        },
        sha,
      }),
    );
    const preview = emu.state.deployment(pv.outputs['preview-id'])!;
    expect(preview.description).toContain(`Preview of ${analytics} for branch ${branch}`);
    expect(preview.name).toMatch(/^[A-Za-z0-9._-]+_analytics$/);
    const pd = emu.state.deploys(preview.id).find((d) => d.id === pv.outputs['deploy-id'])!;
    expect(pd.git?.branch).toBe(branch);
    expect(pd.description).toBe('Odd names');

    // The branch reached git as one argument, and nothing ran.
    expect(fs.readdirSync(markers)).toEqual([]);
    expectCleanArgv();
  });
});
