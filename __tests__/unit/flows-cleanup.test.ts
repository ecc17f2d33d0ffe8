// The preview cleanup flow (action: cleanup-previews) with fakes for its parts and the real
// preview operations (so deletePreview's guard is the one under test): which previews are
// kept, deleted or never touched, and why; a dry run; no token; a failing delete.
import type { AstroApi, Deployment } from '../../src/astro/types.js';
import { cleanupFlow, type Pulls } from '../../src/flows/cleanup.js';
import type { Parts } from '../../src/flows/parts.js';
import type { BranchPulls } from '../../src/github/pulls.js';
import { readSettings } from '../../src/inputs/settings.js';
import type { Trigger } from '../../src/inputs/trigger.js';
import { Journal } from '../../src/journal.js';
import type { Checkout } from '../../src/platform/checkout.js';
import type { Docker } from '../../src/platform/docker.js';
import type { Git } from '../../src/platform/git.js';
import { recordingLog } from '../../src/platform/log.js';
import * as previews from '../../src/preview/ops.js';
import type { Outcome } from '../../src/report/report.js';
import { deploymentFixture } from '../support/fixtures.js';

const dep = (id: string, name: string, description?: string, workspaceId = 'w1') =>
  deploymentFixture({ id, name, description, workspaceId });
const marker = (baseId: string, branch: string) =>
  `Preview of ${baseId} for branch ${branch} — copy of prod, made for CI by the Astro deploy action`;

const base = dep('base1', 'prod', 'the production Deployment');
const world: Deployment[] = [
  base,
  dep('base2', 'stage'),
  dep('pAlive', 'feature-a_prod', marker('base1', 'feature/a')),
  dep('pOpen', 'feature-b_prod', marker('base1', 'feature/b')),
  dep('pClosed', 'feature-c_prod', marker('base1', 'feature/c')),
  dep('pNoPr', 'custom-name', `Ours. ${marker('base1', 'feature/d')}`),
  // Has the name a preview of feature/e would have, but no marker: someone else's.
  dep('unmarked', 'feature-e_prod', 'a Deployment someone made by hand'),
  // Marked, but for another base.
  dep('otherBase', 'feature-f_stage', marker('base2', 'feature/f')),
  // Marked for this base, but in another workspace.
  dep('otherWs', 'feature-h_prod', marker('base1', 'feature/h'), 'w2'),
  // Its delete fails (a 500 after the client's retries).
  dep('pFails', 'feature-g_prod', marker('base1', 'feature/g')),
];
/** Branches on origin: main and feature/a only. */
const heads = new Set(['main', 'feature/a']);
const prs: Record<string, BranchPulls> = {
  'feature/b': { open: 11 },
  'feature/c': { closed: 12 },
};

function setup(o: { dryRun?: boolean; pulls: Pulls; failDelete?: string[] }) {
  const log = recordingLog();
  const journal = new Journal();
  const deleted: string[] = [];
  const api = {
    listDeployments: async (q: { names?: string[]; workspaceIds?: string[] }) =>
      world.filter(
        (d) =>
          (!q.names || q.names.includes(d.name)) &&
          (!q.workspaceIds || q.workspaceIds.includes(d.workspaceId)) &&
          !deleted.includes(d.id),
      ),
    deleteDeployment: async (id: string) => {
      if (o.failDelete?.includes(id))
        throw Object.assign(new Error('HTTP 500: internal error'), { status: 500 });
      deleted.push(id);
    },
  } as unknown as AstroApi;
  const settings = readSettings(
    (name) =>
      ({ 'deployment-id': base.id, action: 'cleanup-previews', 'dry-run': String(!!o.dryRun) })[
        name
      ] ?? '',
    { ASTRO_API_TOKEN: 'tok' },
  );
  const ws = {
    git: { remoteBranches: async () => new Set(heads) } as unknown as Git,
    head: 'h'.repeat(40),
    repoRoot: '/nonexistent-repo',
  } as Checkout;
  const parts: Parts = {
    settings,
    trigger: { kind: 'other', eventName: 'schedule', sha: 'h'.repeat(40) } as Trigger,
    env: {},
    api,
    log,
    journal,
    reporter: { group: (_t, fn) => fn(), error: () => undefined },
    docker: () => ({}) as Docker,
    checkout: async () => ws,
    previews,
  };
  return { parts, log, journal, deleted, pulls: o.pulls };
}

async function run(o: Parameters<typeof setup>[0]) {
  const s = setup(o);
  let outcome: Outcome | undefined;
  let error: Error | undefined;
  try {
    outcome = await cleanupFlow(s.parts, base, s.pulls);
  } catch (e) {
    error = e as Error;
  }
  const summary = s.journal.sections.join('\n');
  /** The summary's row of a Deployment, by id. */
  const row = (id: string) => summary.split('\n').find((l) => l.includes(`\`${id}\``));
  return { ...s, outcome, error, summary, row };
}

const lookup: Pulls = { lookup: async (branch) => prs[branch] ?? {} };

describe('cleanup-previews: which previews go (with a github-token)', () => {
  let r: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    r = await run({ pulls: lookup, failDelete: ['pFails'] });
  });

  test.each<[string, string, 'kept' | 'deleted' | 'not deleted' | 'untouched', RegExp?]>([
    ['branch exists on origin', 'pAlive', 'kept', /branch feature\/a still exists on origin/],
    [
      'branch gone, pull request open',
      'pOpen',
      'kept',
      /branch feature\/b is gone from origin, but pull request \\#11 is open/,
    ],
    [
      'branch gone, pull request closed',
      'pClosed',
      'deleted',
      /branch feature\/c is gone from origin and pull request \\#12 is closed/,
    ],
    [
      'branch gone, never a pull request (marker not first in the description, any name)',
      'pNoPr',
      'deleted',
      /branch feature\/d is gone from origin and no pull request was opened from it/,
    ],
    [
      'an unmarked Deployment with a preview-like name is never touched',
      'unmarked',
      'untouched',
      undefined,
    ],
    ["another base's preview is never touched", 'otherBase', 'untouched', undefined],
    [
      'a preview of this base in another workspace is never touched',
      'otherWs',
      'untouched',
      undefined,
    ],
    ['the base is never touched', 'base1', 'untouched', undefined],
    [
      'one deletion fails: it is reported, the others still go',
      'pFails',
      'not deleted',
      /deleting it failed: HTTP 500/,
    ],
  ])('%s', (_name, id, expected, why) => {
    const line = r.row(id);
    expect(r.deleted.includes(id)).toBe(expected === 'deleted');
    if (expected === 'untouched') {
      expect(line).toBeUndefined();
      expect(r.log.lines.join('\n')).not.toContain(`(${id}), branch`);
      return;
    }
    expect(line).toContain(`| ${expected} |`);
    expect(line).toMatch(why!);
    // One log line per preview, with why (a failed delete adds its warning).
    const lines = r.log.lines.filter((l) => l.includes(`(${id}), branch`));
    expect(lines.filter((l) => l.startsWith('info: '))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('warning: '))).toHaveLength(
      expected === 'not deleted' ? 1 : 0,
    );
  });

  it('the run fails at the end naming the failed preview, after deleting the others', () => {
    expect(r.outcome).toBeUndefined();
    expect(r.error?.message).toMatch(
      /^Deleted 2 and kept 2 of the 5 preview\(s\) of prod, but 1 orphaned preview\(s\) could not be judged or deleted and stay — feature-g_prod \(pFails\): branch feature\/g is gone/,
    );
    expect(r.deleted.sort()).toEqual(['pClosed', 'pNoPr']);
  });
});

describe('cleanup-previews: without a github-token', () => {
  it('decides from branches alone, says so once, and deletes the preview whose PR is open', async () => {
    const r = await run({ pulls: { without: "'github-token' is empty" } });
    expect(r.error).toBeUndefined();
    expect(r.deleted.sort()).toEqual(['pClosed', 'pFails', 'pNoPr', 'pOpen']);
    const said = r.log.lines.filter((l) => l.includes('Pull requests are not checked'));
    expect(said).toEqual([
      "info: Pull requests are not checked ('github-token' is empty), so the branches alone decide: a preview whose branch is gone from origin is deleted even if a pull request from it is still open.",
    ]);
    expect(r.outcome).toEqual({
      deployType: 'none',
      skipped: true,
      reason: 'deleted 4 and kept 1 of the 5 preview(s) of prod',
      deploymentId: 'base1',
    });
  });
});

describe('cleanup-previews: dry run', () => {
  it('lists what would go and deletes nothing', async () => {
    const r = await run({ dryRun: true, pulls: lookup });
    expect(r.error).toBeUndefined();
    expect(r.deleted).toEqual([]);
    expect(r.outcome?.reason).toBe(
      'dry run: would delete 3 and keep 2 of the 5 preview(s) of prod',
    );
    expect(r.row('pClosed')).toContain('| would delete |');
    expect(r.row('pAlive')).toContain('| kept |');
    expect(r.summary).toContain('(dry run: nothing deleted)');
  });
});

describe('cleanup-previews: when GitHub cannot tell', () => {
  it('keeps the preview, goes on with the others, and fails naming it', async () => {
    const r = await run({
      pulls: {
        lookup: async (branch) => {
          if (branch === 'feature/c')
            throw new Error(
              'Could not read the pull requests of branch feature/c (HTTP 403), so its preview is kept.',
            );
          return prs[branch] ?? {};
        },
      },
    });
    expect(r.deleted.sort()).toEqual(['pFails', 'pNoPr']);
    expect(r.row('pClosed')).toContain('| not deleted |');
    expect(r.error?.message).toContain(
      'feature-c_prod (pClosed): Could not read the pull requests of branch feature/c (HTTP 403)',
    );
  });
});

describe('cleanup-previews: the token', () => {
  it('a Deployment API token fails clearly before anything is listed', async () => {
    const s = setup({ pulls: lookup });
    const claims = { permissions: ['organizationId:o1', 'workspaceId:w1', 'deploymentId:base1'] };
    const jwt = ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');
    s.parts.settings = { ...s.parts.settings, token: jwt };
    let listed = false;
    s.parts.api = {
      listDeployments: async () => {
        listed = true;
        return world;
      },
    } as unknown as AstroApi;
    await expect(cleanupFlow(s.parts, base, s.pulls)).rejects.toThrow(
      /^action cleanup-previews needs a Workspace or Organization API token, but ASTRO_API_TOKEN is a Deployment API token/,
    );
    expect(listed).toBe(false);
  });
});

describe('cleanup-previews: nothing to look at', () => {
  it('with no marked previews, origin is not asked and the run says so', async () => {
    const s = setup({ pulls: lookup });
    let asked = false;
    s.parts.checkout = async () => {
      asked = true;
      throw new Error('not expected');
    };
    s.parts.api = { listDeployments: async () => [base, world[1]] } as unknown as AstroApi;
    const outcome = await cleanupFlow(s.parts, base, s.pulls);
    expect(asked).toBe(false);
    expect(outcome.reason).toBe('deleted 0 and kept 0 of the 0 preview(s) of prod');
    expect(s.journal.sections.join('\n')).toContain('No marked previews of this Deployment.');
  });

  it('an origin that lists no branches deletes nothing and fails clearly', async () => {
    const s = setup({ pulls: lookup });
    s.parts.checkout = async () =>
      ({ git: { remoteBranches: async () => new Set() } }) as unknown as Checkout;
    await expect(cleanupFlow(s.parts, base, s.pulls)).rejects.toThrow(
      /^origin lists no branches at all, so no preview was deleted/,
    );
    expect(s.deleted).toEqual([]);
  });
});
