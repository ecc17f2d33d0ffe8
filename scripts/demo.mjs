// `npm run demo`: the bundled action deploys the sample Airflow project (examples/sample-project)
// to the local Astro emulator, through a short story: first deploy, a DAG-only push, a push that
// needs an image, and a preview created, deployed and deleted. Each step prints the action's
// decision and the job summary it wrote. With a Docker engine (and Debian's docker-registry) the
// image steps build and push for real; without one the emulator records them as done, and says so.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from './runner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) {
  console.error('dist/ is missing: run npm run build first.');
  process.exit(1);
}
const { startEmulator } = await import(path.join(ROOT, 'dist', 'emulator.js'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-demo-'));
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.invalid',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.invalid',
};
const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
const started = Date.now();
const cleanups = [];

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

try {
  const registry = await startRegistryIfPossible();
  const emu = await startEmulator({
    createDelayMs: 300,
    rolloutDelayMs: 400,
    registry: registry?.host,
  });
  cleanups.push(() => emu.close());
  const docker = Boolean(registry);
  console.log(bold('Astro emulator'), emu.url);
  console.log(
    docker
      ? 'Docker engine found: image steps build and push for real.'
      : 'No Docker engine (or no docker-registry): image steps are recorded as done, not built.',
  );
  const analytics = emu.deployments.find((d) => d.name === 'analytics');

  // A sample project in a repository with a bare "server" origin, as GitHub would have it.
  const server = path.join(tmp, 'server', 'acme', 'airflow');
  fs.mkdirSync(server, { recursive: true });
  git(server, 'init', '-q', '--bare', '-b', 'main');
  git(server, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  const work = path.join(tmp, 'work');
  git(tmp, 'clone', '-q', `file://${server}`, work);
  const write = (files) => {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
      fs.writeFileSync(path.join(work, rel), text);
    }
  };
  const commit = (message) => {
    git(work, 'add', '-A');
    git(work, 'commit', '-q', '-m', message);
    git(work, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
    return git(work, 'rev-parse', 'HEAD');
  };
  // The sample project that `npm run local-action` dry-runs too (see .env.example).
  fs.cpSync(path.join(ROOT, 'examples', 'sample-project'), work, { recursive: true });
  let before = '0'.repeat(40);
  let head = commit('Initial Airflow project');

  const step = async (title, inputs, { event, eventName = 'push', branch = 'main' } = {}) => {
    console.log(`\n${bold('▶ ' + title)}`);
    const r = await runAction({
      cwd: fs.mkdtempSync(path.join(tmp, 'job-')), // an empty workspace: the action clones
      inputs: { 'wait-time': '1m', ...inputs },
      eventName,
      event: event ?? { ref: `refs/heads/${branch}`, before, after: head },
      env: {
        ASTRO_API_TOKEN: emu.token,
        ASTRO_API_URL: emu.url,
        GITHUB_SHA: head,
        GITHUB_REF: `refs/heads/${branch}`,
        GITHUB_SERVER_URL: `file://${path.join(tmp, 'server')}`,
        DOCKER_HOST: process.env.DOCKER_HOST ?? '',
      },
    });
    const o = r.outputs;
    console.log(
      `  decision: ${bold(o['deploy-type'] ?? '?')}${o.skipped === 'true' ? ' (skipped)' : ''} — ${o.reason ?? ''}`,
    );
    if (o['deploy-id'])
      console.log(
        `  deploy ${o['deploy-id']} live${o['dag-tarball-version'] ? `, DAG tarball ${o['dag-tarball-version']}` : ''}${o['image-tag'] ? `, image ${o['image-tag']}` : ''}`,
      );
    console.log(indent(r.summary.trim()));
    if (r.code !== 0) {
      console.error(r.stdout);
      throw new Error(`step "${title}" failed (exit ${r.code})`);
    }
    return o;
  };

  // Without Docker an image deploy cannot run, and a dry run of one fails as the real run would
  // (it foresees the missing engine): the emulator then records the image deploy as done, so
  // the story can go on.
  const imageDeployedWithoutDocker = (what) => {
    console.log(
      `  (no Docker engine: ${what} needs an image build, which this machine cannot run; the emulator records it as deployed, so the story can go on)`,
    );
    emu.state.addDeploy(analytics.id, {
      type: 'IMAGE_AND_DAG',
      status: 'DEPLOYED',
      git: { provider: 'GENERIC', commitSha: head, remoteUrl: `file://${server}` },
      createdAt: new Date().toISOString(),
    });
  };

  // 1. First deploy: nothing of ours is live, so the whole project ships.
  if (docker) await step('First deploy (nothing deployed yet)', { 'deployment-id': analytics.id });
  else {
    console.log(`\n${bold('▶ First deploy (nothing deployed yet)')}`);
    imageDeployedWithoutDocker('the first deploy ships the whole project, which');
  }

  // 2. A DAG-only push: only the DAG tarball ships.
  write({
    'dags/sales_dag.py': 'from airflow import DAG\n\nwith DAG("sales") as dag:\n    pass\n',
  });
  [before, head] = [head, commit('Add the sales DAG')];
  await step('Push that changes only DAGs', { 'deployment-id': analytics.id });

  // 3. A push that needs an image.
  write({ 'requirements.txt': 'apache-airflow-providers-http\n' });
  [before, head] = [head, commit('Add the HTTP provider')];
  if (docker) await step('Push that changes requirements.txt', { 'deployment-id': analytics.id });
  else {
    console.log(`\n${bold('▶ Push that changes requirements.txt')}`);
    imageDeployedWithoutDocker('a change to requirements.txt');
  }

  // 4. A preview for a feature branch: created from the base, deployed, deleted.
  const branch = 'feature/new-report';
  git(work, 'checkout', '-q', '-b', branch);
  write({
    'dags/report_dag.py': 'from airflow import DAG\n\nwith DAG("report") as dag:\n    pass\n',
  });
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'Add the report DAG');
  git(work, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`);
  head = git(work, 'rev-parse', 'HEAD');
  const pr = (action) => ({
    action,
    number: 42,
    pull_request: { number: 42, head: { ref: branch, sha: head }, base: { ref: 'main' } },
  });
  const previewInputs = {
    action: 'preview',
    'deployment-name': 'analytics',
    'deploy-type': docker ? 'infer' : 'dags-only',
  };
  const created = await step('Pull request opened: preview created and deployed', previewInputs, {
    eventName: 'pull_request',
    event: pr('opened'),
    branch,
  });
  console.log(`  preview: ${created['preview-id']} ${created['deployment-url']}`);
  await step('Pull request closed: preview deleted', previewInputs, {
    eventName: 'pull_request',
    event: pr('closed'),
    branch,
  });

  console.log(`\n${bold('Demo finished')} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  for (const c of cleanups.reverse()) await c();
  fs.rmSync(tmp, { recursive: true, force: true });
}

function indent(text) {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** A loopback registry behind htpasswd, when a Docker engine and Debian's registry exist. */
async function startRegistryIfPossible() {
  const has = (cmd, args) => {
    try {
      execFileSync(cmd, args, { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!has('docker', ['version']) || !has('which', ['docker-registry'])) return undefined;
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(tmp, 'registry-'));
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  cleanups.push(() => child.kill());
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/v2/`);
      if (r.status < 500) return { host: `127.0.0.1:${port}` };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return undefined;
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
