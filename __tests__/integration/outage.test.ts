// A permanent outage (every request answered 503) through the bundled action: the run fails
// within a bounded time (the retry budget of one call, well under 2 minutes), in one sentence
// that names the step that failed and what the run left behind.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

const BOUND_MS = 120_000;

let emu: Emulator;
let repo: TestRepo;
let sha: string;
let analytics: string;

beforeAll(() => {
  repo = new TestRepo();
  repo.commit(astroProject(), 'Initial project');
  sha = repo.commit({ 'dags/sales.py': 'S = 1\n' }, 'Add the sales DAG');
  repo.push();
});
afterAll(() => repo.cleanup());
beforeEach(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
});
afterEach(() => emu.close());

const errorLines = (r: RunResult) => r.stdout.split('\n').filter((l) => l.startsWith('::error'));
const errorText = (r: RunResult) =>
  decodeURIComponent(errorLines(r)[0].replace(/^::error[^:]*::/, ''));

/** Every request from the first one `from` accepts on fails with 503. */
function outageFrom(from: (req: { method: string; path: string }) => boolean) {
  let down = false;
  emu.setFaults({
    rate: 1,
    kinds: ['503'],
    match: (req) => {
      if (down) return true;
      down = from(req);
      return down;
    },
  });
}

async function timed(
  inputs: Record<string, string>,
  preview = false,
): Promise<{ r: RunResult; ms: number; text: string }> {
  const started = Date.now();
  const r = await runAction({
    inputs: {
      'deployment-id': analytics,
      'deploy-type': 'dags-only',
      'wait-time': '60s',
      ...inputs,
    },
    token: emu.token,
    apiUrl: emu.url,
    workspace: repo.checkout(sha),
    eventName: preview ? 'pull_request' : 'push',
    event: preview
      ? {
          action: 'opened',
          number: 3,
          pull_request: { number: 3, head: { ref: 'outage', sha }, base: { ref: 'main', sha } },
        }
      : { ref: 'refs/heads/main', after: sha },
    sha,
    serverUrl: repo.serverUrl,
    timeoutMs: BOUND_MS + 30_000,
  });
  const ms = Date.now() - started;
  expect(r.code).toBe(1);
  expect(errorLines(r)).toHaveLength(1);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  expect(ms).toBeLessThan(BOUND_MS);
  return { r, ms, text: errorText(r) };
}

test(
  'an outage from the first request: fails in the first step, nothing changed',
  async () => {
    emu.setFaults({ rate: 1, permanent: true });
    const { ms, text } = await timed({});
    expect(text).toMatch(
      /^Find the Deployment failed: The Astro API refused GET \/organizations\/\w+\/deployments\/\w+ with 503: .*after 6 attempts\.$/,
    );
    expect(emu.state.requests.filter((q) => q.status !== 503)).toEqual([]);
    expect(emu.state.requests).toHaveLength(6);
    console.log(`outage from the start failed after ${ms} ms`);
  },
  BOUND_MS + 60_000,
);

test(
  'an outage once the deploy is created: the upload step fails, and the unfinalized deploy is named',
  async () => {
    outageFrom((q) => q.method === 'PUT' && q.path.startsWith('/blobs/'));
    const { r, ms, text } = await timed({});
    const [deploy] = emu.state.deploys(analytics);
    expect(deploy.finalizeCount).toBe(0);
    expect(text).toMatch(/^Deploy \(dags-only\) failed: upload to \S+ failed with 503/);
    expect(text).toContain(
      `Deploy ${deploy.id} was created on analytics but not finalized, so nothing of it went live`,
    );
    expect(r.outputs['deploy-id']).toBe(deploy.id);
    console.log(`outage during the upload failed after ${ms} ms`);
  },
  BOUND_MS + 60_000,
);

test(
  'an outage once the preview is created: the step fails, and the preview is reported as created',
  async () => {
    const before = new Set(emu.state.deployments().map((d) => d.id));
    let created = false;
    outageFrom((q) => {
      const after = created;
      if (q.method === 'POST' && /\/deployments$/.test(q.path)) created = true;
      return after;
    });
    const { r, ms, text } = await timed({ action: 'create-deployment-preview' }, true);
    const [preview] = emu.state.deployments().filter((d) => !before.has(d.id));
    expect(preview.name).toBe('outage_analytics');
    expect(text).toMatch(/^Create the preview failed: The Astro API refused GET \S+ with 503/);
    expect(text).toContain(
      `The preview outage_analytics (${preview.id}) was created by this run and is kept; running again reuses it.`,
    );
    expect(r.outputs['preview-id']).toBe(preview.id);
    console.log(`outage after the preview was created failed after ${ms} ms`);
  },
  BOUND_MS + 60_000,
);
