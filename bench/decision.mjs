// Decision on a large repository: 20,000 files, a push that changes 2,000 DAGs. The action's
// dry-run decision (bundle start, API reads, git diff, classification, plan, report) against
// `git diff --name-only` of the same range plus a bare node start, in the same run.
import fs from 'node:fs';
import path from 'node:path';
import { figure, git, median, runAction, sh, tmp } from './lib.mjs';

export async function benchDecision({ emulator }) {
  const root = tmp('bench-decision-');
  const origin = path.join(root, 'origin.git');
  const work = path.join(root, 'work');
  git(root, 'init', '-q', '--bare', '-b', 'main', origin);
  git(root, 'clone', '-q', `file://${origin}`, work);
  for (let i = 0; i < 18_000; i++) write(work, `include/pkg${i % 100}/mod${i}.py`, `X = ${i}\n`);
  for (let i = 0; i < 2_000; i++) write(work, `dags/team${i % 20}/dag_${i}.py`, `# dag ${i}\n`);
  write(work, 'Dockerfile', 'FROM scratch\n');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'base');
  const base = git(work, 'rev-parse', 'HEAD');
  for (let i = 0; i < 2_000; i++) write(work, `dags/team${i % 20}/dag_${i}.py`, `# dag ${i} v2\n`);
  git(work, 'commit', '-q', '-am', 'change 2000 DAGs');
  const head = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '-q', 'origin', 'HEAD:refs/heads/main');

  const target = emulator.deployments.find((d) => d.name === 'analytics').id;
  emulator.state.addDeploy(target, {
    type: 'IMAGE_AND_DAG',
    status: 'DEPLOYED',
    git: { provider: 'GENERIC', commitSha: base, remoteUrl: 'file:///bench' },
    createdAt: new Date(Date.now() - 60_000).toISOString(),
  });

  let last;
  const action = await median(5, async () => {
    last = await runAction({
      cwd: work,
      inputs: { 'deployment-id': target, 'dry-run': 'true' },
      env: {
        ASTRO_API_TOKEN: emulator.token,
        ASTRO_API_URL: emulator.url,
        GITHUB_SHA: head,
        GITHUB_REF: 'refs/heads/main',
      },
    });
  });
  if (last.code !== 0 || last.outputs['deploy-type'] !== 'dags-only') {
    throw new Error(
      `decision bench: unexpected result ${JSON.stringify(last.outputs)}\n${last.stdout}`,
    );
  }
  const baseline = await median(5, async () => {
    sh('git', ['diff', '--name-only', base, head], { cwd: work });
    sh(process.execPath, ['-e', '']);
  });
  fs.rmSync(root, { recursive: true, force: true });
  return [
    figure('decision: dry run on 20,000 files, 2,000 DAGs changed', action, 'ms', {
      baseline,
      goal: '≤ 4× git diff --name-only + bare node start',
    }),
  ];
}

function write(dir, rel, text) {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}
