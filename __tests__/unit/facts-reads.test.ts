// What deciding reads, with fakes: the project check (git ls-tree) and the deploy history
// (listDeploys) happen once per run: a caller that read them moments ago hands them over
// (AlreadyRead) and they are not read again; the stale guard before the finalize always reads.
import type { AstroApi, Deploy, Deployment } from '../../src/astro/types.js';
import { gatherFacts, staleBeforeFinalize, type AlreadyRead } from '../../src/decide/facts.js';
import type { Git } from '../../src/platform/git.js';
import { silentLog } from '../../src/platform/log.js';
import { readSettings } from '../../src/inputs/settings.js';
import type { Trigger } from '../../src/inputs/trigger.js';

const target = {
  id: 'prev1',
  name: 'feature_prod',
  workspaceId: 'w1',
  status: 'HEALTHY',
  isDagDeployEnabled: true,
} as Deployment;

/** A commit with an Astro project (for checkProject). */
const tree = ['040000 tree aaa\tdags', '100644 blob bbb\tdags/a.py', '100644 blob ccc\tDockerfile'];

function setup() {
  const reads = { lsTree: 0, histories: 0, gets: 0 };
  const git = {
    run: async (args: string[]) => {
      if (args.includes('ls-tree')) reads.lsTree++;
      return tree.join('\0');
    },
  } as unknown as Git;
  const api = {
    listDeploys: async () => {
      reads.histories++;
      return [] as Deploy[];
    },
    getDeployment: async () => {
      reads.gets++;
      return target;
    },
  } as unknown as AstroApi;
  const settings = readSettings(
    (name) => ({ 'deployment-id': 'base1', 'deploy-type': 'dags-only' })[name] ?? '',
    { ASTRO_API_TOKEN: 'tok' },
  );
  const ctx = {
    api,
    git,
    log: silentLog,
    settings,
    trigger: { kind: 'push', eventName: 'push', sha: 'h'.repeat(40), branch: 'feature' } as Trigger,
    target,
    head: 'h'.repeat(40),
    repoRoot: '/nonexistent-repo',
    preview: true,
  };
  return { reads, ctx };
}

describe('gatherFacts reads what it is not handed', () => {
  test.each<{ name: string; read?: AlreadyRead; lsTree: number; histories: number }>([
    { name: 'nothing handed over: checks the project, reads the history', lsTree: 1, histories: 1 },
    {
      name: 'the history handed over: not read again',
      read: { history: [] },
      lsTree: 1,
      histories: 0,
    },
    {
      name: 'the project checked with DAG deploys on, as the target has them: not checked again',
      read: { projectCheckedWith: true, history: [] },
      lsTree: 0,
      histories: 0,
    },
    {
      name: 'the project checked with DAG deploys off, the target has them on: checked again',
      read: { projectCheckedWith: false },
      lsTree: 1,
      histories: 1,
    },
  ])('$name', async ({ read, lsTree, histories }) => {
    const { reads, ctx } = setup();
    const facts = await gatherFacts(ctx, read);
    expect(facts.head).toBe(ctx.head);
    expect(reads).toEqual({ lsTree, histories, gets: 0 });
  });

  test('the stale guard before the finalize reads the Deployment and its history again, on purpose', async () => {
    const { reads, ctx } = setup();
    await gatherFacts(ctx, { projectCheckedWith: true, history: [] });
    expect(await staleBeforeFinalize(ctx)).toEqual({ stale: undefined, history: [] });
    expect(reads).toEqual({ lsTree: 0, histories: 1, gets: 1 });
  });
});
