// The preview flow with fakes for its parts (no module mocking): the lifecycle as a table —
// create / reuse × dry run / real × success / failure after create — asserting what the
// journal, the outputs and the failure message say.
import type { AstroApi, Deploy, Deployment } from '../../src/astro/types.js';
import type { AlreadyRead } from '../../src/decide/facts.js';
import type { Docker } from '../../src/platform/docker.js';
import { failure } from '../../src/failure.js';
import type { Parts, PreviewOps } from '../../src/flows/parts.js';
import { previewFlow } from '../../src/flows/preview.js';
import type { Git } from '../../src/platform/git.js';
import { Journal } from '../../src/journal.js';
import { recordingLog } from '../../src/platform/log.js';
import type { Outcome } from '../../src/report/report.js';
import { readSettings } from '../../src/inputs/settings.js';
import type { Trigger } from '../../src/inputs/trigger.js';
import type { Checkout } from '../../src/platform/checkout.js';

const base = {
  id: 'base1',
  name: 'prod',
  workspaceId: 'w1',
  status: 'HEALTHY',
  isDagDeployEnabled: true,
} as Deployment;
const preview = { ...base, id: 'prev1', name: 'feature_prod' } as Deployment;

const trigger: Trigger = {
  kind: 'pull_request',
  eventName: 'pull_request',
  sha: 'm'.repeat(40),
  branch: 'feature',
  action: 'synchronize',
  number: 7,
  baseRef: 'main',
  headSha: 'h'.repeat(40),
  baseSha: 'b'.repeat(40),
  merged: false,
  fromFork: false,
};

/** A commit with an Astro project: root, dags/ and a Dockerfile (for checkProject). */
const tree = [
  '040000 tree aaa\tdags',
  '100644 blob bbb\tdags/a.py',
  '100644 blob ccc\tDockerfile',
].join('\0');

interface Row {
  name: string;
  exists: boolean;
  dryRun: boolean;
  /** Where it fails: nowhere, in the deploy, or in createPreview once the preview exists. */
  fails?: 'deploy' | 'create';
  /** What the flow ends with. */
  expect: {
    created: string[];
    deployedTo?: string;
    createCalled: boolean;
    skippedReason?: RegExp;
    message?: RegExp;
    previewId?: string;
  };
}

function setup(row: Row) {
  const journal = new Journal();
  const log = recordingLog();
  const calls: string[] = [];
  const settings = readSettings(
    (name) =>
      ({
        'deployment-id': base.id,
        action: 'preview',
        'dry-run': String(row.dryRun),
        'copy-connections': 'false',
        'copy-airflow-variables': 'false',
        'copy-pools': 'false',
      })[name] ?? '',
    { ASTRO_API_TOKEN: 'tok' },
  );
  const previews: PreviewOps = {
    existingPreview: async () => (row.exists ? preview : undefined),
    lookUpPreview: async () => (row.exists ? { preview } : {}),
    requirePreview: async () => preview,
    waitUntilReady: async () => preview,
    deletePreview: async () => ({ nothing: true }),
    createPreview: async (a) => {
      calls.push('create');
      if (row.exists) return { preview, created: false, omittedSecrets: [] };
      a.journal?.previewCreated({ id: preview.id, name: preview.name });
      if (row.fails === 'create') throw new Error('The preview did not become ready.');
      return { preview, created: true, omittedSecrets: [] };
    },
  };
  const ws = {
    git: { run: async () => tree } as unknown as Git,
    head: 'h'.repeat(40),
    repoRoot: '/nonexistent-repo',
  } as Checkout;
  const parts: Parts = {
    settings,
    trigger,
    env: {},
    api: { listDeploys: async () => [] } as unknown as AstroApi,
    log,
    journal,
    reporter: { group: (_t, fn) => fn(), error: () => undefined },
    docker: () => ({ available: async () => true, dispose: async () => undefined }) as Docker,
    checkout: async () => ws,
    previews,
  };
  const deploy = async (_p: Parts, target: Deployment): Promise<Outcome> => {
    calls.push(`deploy ${target.id}`);
    if (row.fails === 'deploy') throw new Error('The deploy failed.');
    return { deployType: 'dags-only', skipped: false, reason: 'DAGs changed' };
  };
  return { journal, parts, deploy, calls };
}

const rows: Row[] = [
  {
    name: 'create, real, success: the preview is created and deployed to',
    exists: false,
    dryRun: false,
    expect: { created: ['prev1'], deployedTo: 'prev1', createCalled: true, previewId: 'prev1' },
  },
  {
    name: 'create, real, the deploy fails after the create: the failure names the preview',
    exists: false,
    dryRun: false,
    fails: 'deploy',
    expect: {
      created: ['prev1'],
      deployedTo: 'prev1',
      createCalled: true,
      message:
        /^The deploy failed\. The preview feature_prod \(prev1\) was created by this run and is kept; running again reuses it\.$/,
      previewId: 'prev1',
    },
  },
  {
    name: 'create, real, createPreview fails once the preview exists: the failure names it',
    exists: false,
    dryRun: false,
    fails: 'create',
    expect: {
      created: ['prev1'],
      createCalled: true,
      message: /^The preview did not become ready\. The preview feature_prod \(prev1\) was created/,
      previewId: 'prev1',
    },
  },
  {
    name: 'create, dry run: nothing is created or deployed',
    exists: false,
    dryRun: true,
    expect: {
      created: [],
      createCalled: false,
      skippedReason: /^dry run: would create preview feature_prod from prod/,
    },
  },
  {
    name: 'reuse, real, success: deployed to, not reported as created',
    exists: true,
    dryRun: false,
    expect: { created: [], deployedTo: 'prev1', createCalled: true, previewId: 'prev1' },
  },
  {
    name: 'reuse, real, the deploy fails: the failure does not claim a created preview',
    exists: true,
    dryRun: false,
    fails: 'deploy',
    expect: {
      created: [],
      deployedTo: 'prev1',
      createCalled: true,
      message: /^The deploy failed\.$/,
      previewId: 'prev1',
    },
  },
  {
    name: 'reuse, dry run: the existing preview gets the dry-run deploy, nothing is created',
    exists: true,
    dryRun: true,
    expect: { created: [], deployedTo: 'prev1', createCalled: false, previewId: 'prev1' },
  },
];

describe('the preview lifecycle (create-deployment-preview)', () => {
  test.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const { journal, parts, deploy, calls } = setup(row);
    let outcome: Outcome | undefined;
    let error: unknown;
    try {
      outcome = await previewFlow('create-deployment-preview', parts, base, deploy);
    } catch (e) {
      error = e;
    }
    expect(journal.previews.map((p) => p.id)).toEqual(row.expect.created);
    expect(calls.includes('create')).toBe(row.expect.createCalled);
    expect(calls.filter((c) => c.startsWith('deploy'))).toEqual(
      row.expect.deployedTo ? [`deploy ${row.expect.deployedTo}`] : [],
    );
    if (row.fails) {
      expect(outcome).toBeUndefined();
      const f = failure(error, journal);
      expect(f.message).toMatch(row.expect.message!);
      expect(f.outcome.previewId).toBe(row.expect.previewId);
      expect(f.outcome.skipped).toBe(true);
      expect(journal.sections[journal.sections.length - 1]).toMatch(/^### Failed\n\n/);
    } else {
      expect(error).toBeUndefined();
      expect(outcome!.previewId).toBe(row.expect.previewId);
      if (row.expect.skippedReason) {
        expect(outcome!.skipped).toBe(true);
        expect(outcome!.reason).toMatch(row.expect.skippedReason);
      }
    }
  });
});

describe('delete-deployment-preview', () => {
  test('a dry run names the preview it would delete, and deletes nothing', async () => {
    const { parts, deploy } = setup({
      name: '',
      exists: true,
      dryRun: true,
      expect: { created: [], createCalled: false },
    });
    let deleted = false;
    parts.previews.deletePreview = async () => {
      deleted = true;
      return { nothing: true };
    };
    const o = await previewFlow('delete-deployment-preview', parts, base, deploy);
    expect(deleted).toBe(false);
    expect(o).toMatchObject({
      skipped: true,
      reason: 'dry run: would delete preview feature_prod (prev1)',
      previewId: 'prev1',
    });
  });
});

describe('what the create flow reads once and hands on', () => {
  const deployed = [{ id: 'dep1', status: 'DEPLOYED' }] as Deploy[];
  const failed = [{ id: 'dep0', status: 'FAILED' }] as Deploy[];
  test.each<{
    name: string;
    exists: boolean;
    dryRun?: boolean;
    history?: Deploy[];
    /** listDeploys calls the flow makes itself. */
    historyReads: number;
    /** What the deploy gets: the history is handed on only when it cannot have changed. */
    read: AlreadyRead;
  }>([
    {
      name: 'fresh: looked up once, the answer handed to createPreview; the project check handed on',
      exists: false,
      historyReads: 0,
      read: { projectCheckedWith: true, history: undefined },
    },
    {
      name: 'reused, deployed before: its history read once and handed to the deploy',
      exists: true,
      history: deployed,
      historyReads: 1,
      read: { projectCheckedWith: true, history: deployed },
    },
    {
      name: 'reused, never deployed: the objects are copied, so the deploy reads the history again',
      exists: true,
      history: failed,
      historyReads: 1,
      read: { projectCheckedWith: true, history: undefined },
    },
    {
      name: 'dry run, reused: the project check handed on',
      exists: true,
      dryRun: true,
      historyReads: 0,
      read: { projectCheckedWith: true },
    },
  ])('$name', async ({ exists, dryRun, history, historyReads, read }) => {
    const { parts } = setup({
      name: '',
      exists,
      dryRun: dryRun ?? false,
      expect: { created: [], createCalled: false },
    });
    const seen = { lookups: 0, histories: 0, found: [] as unknown[], read: [] as unknown[] };
    const lookUp = parts.previews.lookUpPreview;
    parts.previews.lookUpPreview = async (a) => {
      seen.lookups++;
      return lookUp(a);
    };
    const create = parts.previews.createPreview;
    parts.previews.createPreview = async (a) => {
      seen.found.push(a.found);
      return create(a);
    };
    parts.api = {
      listDeploys: async () => {
        seen.histories++;
        return history ?? [];
      },
    } as unknown as AstroApi;
    const deploy = async (
      _p: Parts,
      _t: Deployment,
      _pr: boolean,
      _gh: unknown,
      r?: AlreadyRead,
    ) => {
      seen.read.push(r);
      return { deployType: 'dags-only', skipped: false, reason: 'DAGs changed' } as Outcome;
    };
    await previewFlow('create-deployment-preview', parts, base, deploy);
    expect(seen.lookups).toBe(dryRun ? 0 : 1);
    expect(seen.found).toEqual(dryRun ? [] : [exists ? { preview } : {}]);
    expect(seen.histories).toBe(historyReads);
    expect(seen.read).toEqual([read]);
  });
});
