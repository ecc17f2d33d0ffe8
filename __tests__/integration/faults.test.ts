// The bundled action under injected faults (429 with Retry-After, 5xx, connection resets and
// replies lost after the server acted), at 10 %, 30 % and 50 % of requests over several seeds:
// every run either succeeds with exactly one finalized deploy and every object copied once,
// or fails with one clear sentence that reports what it left behind (a created deploy, a
// created preview). A permanent outage fails within a bounded time, naming the step.
import type { FaultKind } from '../../emulator/index.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, runPush, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

// Each test runs several whole actions.
const SLOW = 300_000;

const KINDS: FaultKind[] = ['429', '500', '502', '503', '504', 'reset', 'reset-after'];
const RATES = [0.1, 0.3, 0.5];
const SEEDS = [11, 23, 37];

let repo: TestRepo;
let sha: string;

beforeAll(() => {
  repo = new TestRepo();
  repo.commit(astroProject(), 'Initial project');
  sha = repo.commit({ 'dags/sales.py': 'S = 1\n' }, 'Add the sales DAG');
  repo.push();
  repo.push('feature/faults');
});
afterAll(() => repo.cleanup());

async function withEmulator<T>(fn: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

const errorLines = (r: RunResult) => r.stdout.split('\n').filter((l) => l.startsWith('::error'));
/** `::error::` lines escape newlines as %0A; this is the text the user reads. */
const errorText = (r: RunResult) =>
  errorLines(r)
    .map((l) => decodeURIComponent(l.replace(/^::error[^:]*::/, '')))
    .join('\n');

/** A failed run: exit 1, exactly one ::error:: line, no stack trace anywhere. */
function expectCleanFailure(r: RunResult): string {
  expect(r.code).toBe(1);
  expect(errorLines(r)).toHaveLength(1);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  return errorText(r);
}

/** Deploys made during the run on one Deployment: exactly one finalized once on success. */
function checkDeploys(
  emu: Emulator,
  deploymentId: string,
  known: Set<string>,
  r: RunResult,
  text: string,
) {
  const made = emu.state.deploys(deploymentId).filter((d) => !known.has(d.id));
  const finalized = made.filter((d) => d.finalizeCount > 0);
  for (const d of finalized) expect(d.finalizeCount).toBe(1);
  // Lost replies and resets: the client looks before it repeats a finalize, never after.
  for (const d of made) expect(d.repeatedFinalizes).toBe(0);
  if (r.code === 0) {
    expect(finalized).toHaveLength(1);
    expect(finalized[0].id).toBe(r.outputs['deploy-id']);
    expect(emu.state.deployment(deploymentId)!.dagTarballVersion).toBe(
      r.outputs['dag-tarball-version'],
    );
    return;
  }
  // A failure reports every deploy it finalized, and every deploy it knows it created.
  expect(finalized.length).toBeLessThanOrEqual(1);
  for (const d of finalized) expect(text).toContain(d.id);
  const created = /Created DAG_ONLY deploy (\S+) on/.exec(r.stdout)?.[1];
  if (created) {
    expect(text).toContain(created);
    if (!finalized.length) expect(text).toMatch(/not finalized/);
  }
}

async function deployUnderFaults(rate: number, seed: number) {
  return withEmulator(async (emu) => {
    const analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
    const known = new Set(emu.state.deploys(analytics).map((d) => d.id));
    emu.setFaults({ rate, seed, kinds: KINDS, retryAfterSeconds: 0.05 });
    const r = await runPush({ emu, repo }, sha, {
      'deployment-id': analytics,
      'deploy-type': 'dags-only',
      'wait-time': '60s',
    });
    emu.setFaults(undefined);
    const faults = emu.state.requests.filter((q) => q.fault);
    const text = r.code === 0 ? '' : expectCleanFailure(r);
    if (r.code === 0) expect(errorLines(r)).toEqual([]);
    else expect(faults.length).toBeGreaterThan(0); // only an injected fault may fail a run
    checkDeploys(emu, analytics, known, r, text);
    return { code: r.code, faults: faults.length, text };
  });
}

describe('DAG-only deploys under faults', () => {
  for (const rate of RATES) {
    test(
      `${rate * 100} % faults, seeds ${SEEDS.join(', ')}`,
      async () => {
        const results = [];
        for (const seed of SEEDS) results.push(await deployUnderFaults(rate, seed));
        // Faults were injected (or the rate means nothing), and low rates are absorbed.
        expect(results.reduce((n, x) => n + x.faults, 0)).toBeGreaterThan(0);
        if (rate <= 0.1) expect(results.filter((x) => x.code === 0).length).toBeGreaterThan(0);
        console.log(`dags-only ${rate}: ${JSON.stringify(results)}`);
      },
      SLOW,
    );
  }
});

/** Fields that carry a value (null and absent are the same); `extra` as parsed JSON. */
const meaning = (o: object): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, k === 'extra' && typeof v === 'string' ? JSON.parse(v) : v]),
  );

/** A Deployment's Airflow objects as comparable values (passwords cannot be copied: left out). */
const objects = (emu: Emulator, deploymentId: string) => {
  const a = emu.state.airflow(deploymentId);
  return {
    connections: [...a.connections.values()]
      .map(({ password: _p, ...c }) => meaning(c))
      .sort((x, y) => String(x.connection_id).localeCompare(String(y.connection_id))),
    variables: [...a.variables.values()]
      .map(meaning)
      .sort((x, y) => String(x.key).localeCompare(String(y.key))),
    pools: [...a.pools.values()]
      .map(meaning)
      .sort((x, y) => String(x.name).localeCompare(String(y.name))),
  };
};

/** Runs the action as a pull request opened from `branch` would: a DAG-only preview of `baseId`. */
function openPreview(emu: Emulator, baseId: string, number: number, branch: string) {
  return runAction({
    inputs: {
      action: 'create-deployment-preview',
      'deployment-id': baseId,
      'deploy-type': 'dags-only',
      'wait-time': '60s',
    },
    token: emu.token,
    apiUrl: emu.url,
    workspace: repo.checkout(sha),
    eventName: 'pull_request',
    event: {
      action: 'opened',
      number,
      pull_request: { number, head: { ref: branch, sha }, base: { ref: 'main', sha } },
    },
    sha,
    serverUrl: repo.serverUrl,
  });
}

async function previewUnderFaults(rate: number, seed: number) {
  return withEmulator(async (emu) => {
    const base = emu.deployments.find((d) => d.name === 'analytics')!;
    const before = new Set(emu.state.deployments().map((d) => d.id));
    const started = Date.now();
    emu.setFaults({ rate, seed, kinds: KINDS, retryAfterSeconds: 0.05 });
    const r = await openPreview(emu, base.id, 7, 'feature/faults');
    emu.setFaults(undefined);
    const faults = emu.state.requests.filter((q) => q.fault);
    const text = r.code === 0 ? '' : expectCleanFailure(r);
    if (r.code !== 0) expect(faults.length).toBeGreaterThan(0);
    // Never two previews: a lost create reply is found again, not repeated.
    const made = emu.state.deployments().filter((d) => !before.has(d.id));
    expect(made.length).toBeLessThanOrEqual(1);
    const preview = made[0];
    if (r.code === 0) {
      expect(errorLines(r)).toEqual([]);
      expect(preview).toBeDefined();
      expect(r.outputs['preview-id']).toBe(preview.id);
      expect(preview.description).toContain(`Preview of ${base.id} for branch feature/faults`);
      // Every object of the base, copied (the copy equals the base).
      const want = objects(emu, base.id);
      const got = objects(emu, preview.id);
      expect(got).toEqual(want);
      // Once each: the summary counts add up to what the base has.
      const counted = (what: string) => {
        const m = new RegExp(`${what} copied \\| (\\d+) created, (\\d+) updated`).exec(r.summary);
        return m ? Number(m[1]) + Number(m[2]) : -1;
      };
      expect(counted('Connections')).toBe(want.connections.length);
      expect(counted('Variables')).toBe(want.variables.length);
    } else if (preview) {
      // A preview that exists was reported: by name and as created, with its id as output.
      expect(text).toContain(preview.name);
      expect(text).toMatch(/created/);
      expect(r.outputs['preview-id']).toBe(preview.id);
    }
    if (preview) checkDeploys(emu, preview.id, new Set(), r, text);
    return { code: r.code, faults: faults.length, text, ms: Date.now() - started };
  });
}

describe('preview creation (copying connections, variables and pools) under faults', () => {
  for (const rate of RATES) {
    test(
      `${rate * 100} % faults, seeds ${SEEDS.join(', ')}`,
      async () => {
        const results = [];
        for (const seed of SEEDS) results.push(await previewUnderFaults(rate, seed));
        expect(results.reduce((n, x) => n + x.faults, 0)).toBeGreaterThan(0);
        if (rate <= 0.1) expect(results.filter((x) => x.code === 0).length).toBeGreaterThan(0);
        console.log(`preview ${rate}: ${JSON.stringify(results)}`);
      },
      SLOW,
    );
  }
});

describe('replies lost after the server acted', () => {
  // Each of these requests acts on the first try and its reply is dropped; the retry must
  // find what the first try did instead of doing it again.
  const lost: [string, (q: { method: string; path: string }) => boolean][] = [
    ['the preview create', (q) => q.method === 'POST' && /\/deployments$/.test(q.path)],
    ['a connection create', (q) => q.method === 'POST' && q.path.endsWith('/connections')],
    ['a pool create', (q) => q.method === 'POST' && q.path.endsWith('/pools')],
    ['the deploy create', (q) => q.method === 'POST' && q.path.endsWith('/deploys')],
    ['the upload', (q) => q.method === 'PUT' && q.path.startsWith('/blobs/')],
    ['the finalize', (q) => q.method === 'POST' && q.path.endsWith('/finalize')],
  ];
  test.each(lost)(
    '%s: one preview, every object once, one finalized deploy',
    async (_what, match) => {
      await withEmulator(async (emu) => {
        const base = emu.deployments.find((d) => d.name === 'analytics')!;
        const before = new Set(emu.state.deployments().map((d) => d.id));
        emu.setFaults({ rate: 1, kinds: ['reset-after'], match, limit: 1 });
        const r = await openPreview(emu, base.id, 8, 'feature/lost');
        if (r.code !== 0) throw new Error(`action failed:\n${r.stdout}\n${r.stderr}`);
        expect(emu.state.requests.filter((q) => q.fault === 'reset-after')).toHaveLength(1);
        const made = emu.state.deployments().filter((d) => !before.has(d.id));
        expect(made).toHaveLength(1);
        expect(objects(emu, made[0].id)).toEqual(objects(emu, base.id));
        const finalized = emu.state.deploys(made[0].id).filter((d) => d.finalizeCount > 0);
        expect(finalized.map((d) => [d.id, d.finalizeCount])).toEqual([
          [r.outputs['deploy-id'], 1],
        ]);
        expect(emu.state.deployment(made[0].id)!.dagTarballVersion).toBe(
          r.outputs['dag-tarball-version'],
        );
      });
    },
  );
});
