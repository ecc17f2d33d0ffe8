// A dry run foresees the failures it can (issue 14.11): a hibernating Deployment without
// wake-on-deploy, a missing DAG folder, no Docker engine for an image deploy. For each, the
// dry run exits 1 with the very sentence the real run gives (instead of "would deploy"),
// and changes nothing.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, errorLine } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

beforeAll(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => repo.cleanup());

async function run(
  workspace: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
) {
  const sha = repo.head();
  return runAction({
    inputs: { 'wait-time': '30s', ...inputs },
    token: emu.token,
    apiUrl: emu.url,
    workspace,
    eventName: 'workflow_dispatch',
    event: { ref: 'refs/heads/main' },
    sha,
    serverUrl: repo.serverUrl,
    // No Docker engine unless a case gives one.
    env: { DOCKER_HOST: `unix://${repo.root}/no-docker.sock`, ...env },
  });
}

interface Case {
  inputs: () => Record<string, string>;
  sentence: RegExp;
  setup?: () => void;
}

const CASES: [string, Case][] = [
  [
    'a hibernating Deployment without wake-on-deploy',
    {
      inputs: () => ({ 'deployment-id': id('sandbox'), 'deploy-type': 'dags-only' }),
      sentence: /is hibernating, so a deploy cannot go live; set `wake-on-deploy: true`/,
    },
  ],
  [
    'a missing DAG folder',
    {
      inputs: () => ({ 'deployment-id': id('analytics'), 'deploy-type': 'dags-only' }),
      sentence: /dags-path/,
      setup: () => repo.commit({ 'dags/example_dag.py': null }, 'No DAG folder'),
    },
  ],
  [
    'no Docker engine for an image deploy',
    {
      inputs: () => ({ 'deployment-id': id('analytics'), 'deploy-type': 'image-and-dags' }),
      sentence:
        /^::error::A image-and-dags deploy builds and pushes an image, which needs a Docker engine/,
    },
  ],
];

test.each(CASES)(
  '%s: the dry run fails with the real run’s sentence, and nothing changes',
  async (_what, c) => {
    repo.commit(astroProject());
    c.setup?.();
    repo.push();
    const workspace = repo.checkout(repo.head());
    const inputs = c.inputs();
    const before = emu.state.requests.length;
    const dry = await run(workspace, { ...inputs, 'dry-run': 'true' });
    expect(emu.state.requests.slice(before).filter((q) => q.method !== 'GET')).toEqual([]);
    expect(dry.code).toBe(1);
    expect(errorLine(dry)).toMatch(c.sentence);
    expect(dry.stdout).not.toMatch(/would deploy/);
    const real = await run(workspace, inputs);
    expect(real.code).toBe(1);
    expect(errorLine(real)).toBe(errorLine(dry));
    expect(emu.state.deploys(inputs['deployment-id'])).toEqual([]);
  },
);
