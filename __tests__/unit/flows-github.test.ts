// What a run records on GitHub (flows/github-record.ts), with fake GitHub parts: which
// environment, ref and flags a deploy's GitHub deployment gets, the comment's states, and how
// success, a superseded deploy, the failure path (through the journal) and a deleted preview
// close them. Nothing for a dry run or when the parts are off.
import type { Deployment } from '../../src/astro/types.js';
import type { Parts } from '../../src/flows/parts.js';
import {
  creatingOnGitHub,
  deletedOnGitHub,
  startOnGitHub,
  unchangedOnGitHub,
  type GitHubRecord,
} from '../../src/flows/github-record.js';
import type { GitHubParts } from '../../src/github/parts.js';
import type { LiveCommentFacts } from '../../src/github/live-comment.js';
import type { Trigger } from '../../src/inputs/trigger.js';
import { Journal } from '../../src/journal.js';
import { deploymentFixture } from '../support/fixtures.js';

const base = deploymentFixture({ id: 'clbase', name: 'prod', workspaceId: 'w1' });
const preview = deploymentFixture({ id: 'clprev', name: 'feat-x_prod', workspaceId: 'w1' });
const URL_OF = (d: Deployment) => `https://cloud.example/${d.id}`;
const RUN = 'https://github.example/acme/p/actions/runs/7';

function fakeGitHub(o: { deployments?: boolean; comment?: boolean } = {}) {
  const calls: string[] = [];
  const comments: LiveCommentFacts[] = [];
  const parts: GitHubParts = {
    runUrl: RUN,
    deployments:
      o.deployments === false
        ? undefined
        : {
            enabled: true,
            async start(s) {
              calls.push(
                `start ${s.environment} ref=${s.ref} transient=${s.transient} log=${s.logUrl} env=${s.environmentUrl}`,
              );
              const end = (state: string) => async (f: { description?: string }) => {
                calls.push(`${state}: ${f.description}`);
              };
              return {
                id: 1,
                success: end('success'),
                failure: end('failure'),
                inactive: end('inactive'),
              };
            },
            async markFailed(id, environment, f) {
              calls.push(`markFailed ${id} ${environment}: ${f.description}`);
            },
            async deactivate(environment, d) {
              calls.push(`deactivate ${environment}: ${d?.description}`);
              return 1;
            },
          },
    comment: o.comment
      ? {
          enabled: true,
          async write(f) {
            comments.push(f);
            calls.push(`comment ${f.state}`);
          },
        }
      : undefined,
  };
  return { parts, calls, comments };
}

const push = { kind: 'push', sha: 's'.repeat(40), branch: 'main' } as Trigger;
const pr = {
  kind: 'pull_request',
  sha: 'm'.repeat(40),
  headSha: 'h'.repeat(40),
  number: 7,
  branch: 'feat/x',
} as Trigger;

function parts(trigger: Trigger, github: GitHubParts | undefined, dryRun = false) {
  const journal = new Journal();
  const p = { trigger, journal, github, settings: { dryRun } } as unknown as Parts;
  return { p, journal };
}

const ok = { deployType: 'dags-only', skipped: false, reason: 'x' } as const;
const decided = (target: Deployment, isPreview: boolean) => ({
  target,
  preview: isPreview,
  url: URL_OF(target),
  kind: 'dags-only',
  reason: 'DAGs changed',
});

describe('a deploy that acts', () => {
  test.each([
    {
      name: 'a push: the Deployment-named environment, the pushed commit, not transient',
      trigger: push,
      target: base,
      isPreview: false,
      start: `start prod ref=${'s'.repeat(40)} transient=false log=${RUN} env=${URL_OF(base)}`,
    },
    {
      name: "a pull request's preview: preview/<branch>, the head commit, transient",
      trigger: pr,
      target: preview,
      isPreview: true,
      start: `start preview/feat/x ref=${'h'.repeat(40)} transient=true log=${RUN} env=${URL_OF(preview)}`,
    },
  ])('$name; success closes both', async ({ trigger, target, isPreview, start }) => {
    const gh = fakeGitHub({ comment: true });
    const { p, journal } = parts(trigger, gh.parts);
    const rec = await startOnGitHub(p, decided(target, isPreview), { base }, 'c'.repeat(40));
    expect(gh.calls).toEqual([start, 'comment deploying']);
    await rec.success({
      deployType: 'dags-only',
      skipped: false,
      reason: 'DAGs changed',
      deployId: 'd1',
      dagTarballVersion: 'v1',
    });
    expect(gh.calls.slice(2)).toEqual(['success: Live: DAGs changed', 'comment success']);
    expect(gh.comments[1]).toMatchObject({
      state: 'success',
      base: { id: 'clbase', name: 'prod' },
      target: { id: target.id, name: target.name, url: URL_OF(target) },
      preview: isPreview,
      deployId: 'd1',
      dagTarballVersion: 'v1',
      runUrl: RUN,
    });
    // Closed: the failure path finds nothing open.
    await journal.closeGitHub('too late');
    expect(gh.calls).toHaveLength(4);
  });

  test('a failure after the start: the journal closes both with the sentence', async () => {
    const gh = fakeGitHub({ comment: true });
    const { p, journal } = parts(pr, gh.parts);
    await startOnGitHub(
      p,
      decided(preview, true),
      {
        base,
        omittedSecrets: ['API_KEY'],
        connectionsWithoutPassword: ['pg'],
      },
      'c',
    );
    await journal.closeGitHub('The DAG check failed.');
    expect(gh.calls.slice(2)).toEqual(['failure: The DAG check failed.', 'comment failure']);
    expect(gh.comments[1]).toMatchObject({
      state: 'failure',
      error: 'The DAG check failed.',
      omittedSecrets: ['API_KEY'],
      connectionsWithoutPassword: ['pg'],
    });
    // Once only.
    await journal.closeGitHub('again');
    expect(gh.calls).toHaveLength(4);
  });

  test('a deploy left unfinalized (a newer commit is live): inactive; the comment is the newer run’s', async () => {
    const gh = fakeGitHub({ comment: true });
    const { p, journal } = parts(pr, gh.parts);
    const rec = await startOnGitHub(p, decided(preview, true), { base }, 'c');
    await rec.superseded({ deployType: 'none', skipped: true, reason: 'a newer commit is live' });
    expect(gh.calls.slice(2)).toEqual(['inactive: a newer commit is live']);
    await journal.closeGitHub('x');
    expect(gh.calls).toHaveLength(3);
  });

  test.each([
    { name: 'a dry run', make: () => fakeGitHub({ comment: true }), dryRun: true },
    { name: 'both parts off', make: () => fakeGitHub({ deployments: false }), dryRun: false },
    { name: 'no GitHub parts', make: () => undefined, dryRun: false },
  ])('$name: nothing is started', async ({ make, dryRun }) => {
    const gh = make();
    const { p, journal } = parts(pr, gh?.parts, dryRun);
    const rec = await startOnGitHub(p, decided(preview, true), { base }, 'c');
    await rec.success({ deployType: 'dags-only', skipped: false, reason: 'x' });
    await journal.closeGitHub('x');
    expect(gh?.calls ?? []).toEqual([]);
  });

  test.each([
    { name: 'success', close: (r: GitHubRecord, j: Journal) => r.success(ok).then(() => j) },
    { name: 'the failure path', close: (_r: GitHubRecord, j: Journal) => j.closeGitHub('x') },
  ])(
    'the GitHub deployment is saved for the post step of a killed run, and cleared by $name',
    async ({ close }) => {
      const saved: [string, string][] = [];
      const gh = fakeGitHub();
      const journal = new Journal((name, value) => saved.push([name, value]));
      const p = {
        trigger: pr,
        journal,
        github: gh.parts,
        settings: { dryRun: false },
      } as unknown as Parts;
      const rec = await startOnGitHub(p, decided(preview, true), { base }, 'c');
      expect(saved).toEqual([['github', JSON.stringify({ id: 1, environment: 'preview/feat/x' })]]);
      await close(rec, journal);
      expect(saved.at(-1)).toEqual(['github', '']);
    },
  );

  test('a failing GitHub closer never stops the failure path', async () => {
    const journal = new Journal();
    const seen: string[] = [];
    journal.githubStarted('a', async () => {
      throw new Error('boom');
    });
    journal.githubStarted('b', async (s) => {
      seen.push(s);
    });
    await expect(journal.closeGitHub('why')).resolves.toBeUndefined();
    expect(seen).toEqual(['why']);
  });
});

describe('a fresh preview', () => {
  test('the comment says deploying before the create, and a failure before the deploy reaches it', async () => {
    const gh = fakeGitHub({ comment: true });
    const { p, journal } = parts(pr, gh.parts);
    await creatingOnGitHub(p, base, 'feat-x_prod', 'feat/x');
    expect(gh.calls).toEqual(['comment deploying']);
    expect(gh.comments[0]).toMatchObject({
      state: 'deploying',
      base: { id: 'clbase', name: 'prod' },
      target: { name: 'feat-x_prod' },
      preview: true,
      commitSha: 'h'.repeat(40),
    });
    await journal.closeGitHub('The preview did not become ready.');
    expect(gh.calls).toEqual(['comment deploying', 'comment failure']);
    expect(gh.comments[1]).toMatchObject({
      state: 'failure',
      error: 'The preview did not become ready.',
    });
  });

  test('once its deploy started, a failure is said once (the deploy’s comment replaced it)', async () => {
    const gh = fakeGitHub({ comment: true });
    const { p, journal } = parts(pr, gh.parts);
    await creatingOnGitHub(p, base, 'feat-x_prod', 'feat/x');
    await startOnGitHub(p, decided(preview, true), { base }, 'c');
    await journal.closeGitHub('boom');
    expect(gh.calls.filter((c) => c === 'comment failure')).toHaveLength(1);
    expect(gh.comments.at(-1)).toMatchObject({
      state: 'failure',
      error: 'boom',
      target: { id: 'clprev', url: URL_OF(preview) },
    });
  });

  test.each([
    { name: 'a dry run', comment: true, dryRun: true },
    { name: 'no comment part', comment: false, dryRun: false },
  ])('$name: no comment', async ({ comment, dryRun }) => {
    const gh = fakeGitHub({ comment });
    const { p, journal } = parts(pr, gh.parts, dryRun);
    await creatingOnGitHub(p, base, 'feat-x_prod', 'feat/x');
    await journal.closeGitHub('x');
    expect(gh.calls).toEqual([]);
  });
});

describe('nothing to deploy', () => {
  test.each([
    {
      name: 'no GitHub deployment; the comment says up to date',
      dryRun: false,
      want: ['comment unchanged'],
    },
    { name: 'a dry run: nothing', dryRun: true, want: [] },
    { name: 'a stale run (a newer commit is live): nothing', dryRun: false, stale: true, want: [] },
  ])('$name', async ({ dryRun, stale, want }) => {
    const gh = fakeGitHub({ comment: true });
    const { p } = parts(pr, gh.parts, dryRun);
    await unchangedOnGitHub(p, { ...decided(preview, true), kind: 'none', stale }, { base }, 'c');
    expect(gh.calls).toEqual(want);
    if (want.length)
      expect(gh.comments[0]).toMatchObject({
        state: 'unchanged',
        deployType: 'none',
        commitSha: 'h'.repeat(40),
      });
  });
});

describe('a deleted preview', () => {
  test.each([
    {
      name: 'deleted: its environment inactive, the comment says deleted',
      deleted: { id: 'clprev', name: 'feat-x_prod' },
      want: ['deactivate preview/feat/x: deleted it', 'comment deleted'],
    },
    {
      name: 'none was there: the environment inactive all the same, no comment',
      deleted: undefined,
      want: ['deactivate preview/feat/x: deleted it'],
    },
  ])('$name', async ({ deleted, want }) => {
    const gh = fakeGitHub({ comment: true });
    const { p } = parts(pr, gh.parts);
    await deletedOnGitHub(p, base, 'feat/x', deleted, 'deleted it');
    expect(gh.calls).toEqual(want);
    if (deleted)
      expect(gh.comments[0]).toMatchObject({
        state: 'deleted',
        target: { id: 'clprev', name: 'feat-x_prod' },
        preview: true,
      });
  });

  test('a dry run deactivates nothing', async () => {
    const gh = fakeGitHub({ comment: true });
    const { p } = parts(pr, gh.parts, true);
    await deletedOnGitHub(p, base, 'feat/x', { id: 'clprev', name: 'feat-x_prod' }, 'x');
    expect(gh.calls).toEqual([]);
  });
});
