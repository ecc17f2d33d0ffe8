// The deploy flow's pure-ish parts with fakes: the Deployment lookup, the git record every
// deploy carries, the commit it names, and when a fresh preview needs Docker.
import type { AstroApi, Deployment } from '../../src/astro/types.js';
import { needsDockerWhenFresh, runsChecks } from '../../src/flows/checks.js';
import type { Parts } from '../../src/flows/parts.js';
import { resolveDeployment } from '../../src/flows/deploy.js';
import { gitInfo, namedCommit } from '../../src/flows/git-record.js';
import type { Git } from '../../src/platform/git.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import type { Settings } from '../../src/inputs/settings-types.js';
import type { Trigger } from '../../src/inputs/trigger.js';
import type { Checkout } from '../../src/platform/checkout.js';

const dep = (id: string, name: string, workspaceId = 'w1') =>
  ({ id, name, workspaceId, status: 'HEALTHY' }) as Deployment;

function fakeApi(all: Deployment[], workspaceId?: string): AstroApi {
  return {
    organizationId: 'org1',
    workspaceId,
    getDeployment: async (id: string) => all.find((d) => d.id === id)!,
    listDeployments: async (q: { names?: string[]; workspaceIds?: string[] }) =>
      all.filter(
        (d) =>
          (!q.names || q.names.includes(d.name)) &&
          (!q.workspaceIds || q.workspaceIds.includes(d.workspaceId)),
      ),
  } as unknown as AstroApi;
}

describe('resolveDeployment', () => {
  test.each<{
    name: string;
    all: Deployment[];
    settings: { deploymentId?: string; deploymentName?: string; workspace?: string };
    tokenWorkspace?: string;
    found?: string;
    error?: string;
  }>([
    {
      name: 'by id',
      all: [dep('d1', 'prod')],
      settings: { deploymentId: 'd1' },
      found: 'd1',
    },
    {
      name: 'by name, exactly (not a prefix)',
      all: [dep('d1', 'prod'), dep('d2', 'prod-2')],
      settings: { deploymentName: 'prod' },
      found: 'd1',
    },
    {
      name: 'no such name in the organization',
      all: [],
      settings: { deploymentName: 'prod' },
      error:
        "No Deployment named 'prod' in organization org1; check deployment-name or set workspace.",
    },
    {
      name: "no such name in the token's workspace",
      all: [dep('d1', 'prod', 'w2')],
      settings: { deploymentName: 'prod' },
      tokenWorkspace: 'w1',
      error: "No Deployment named 'prod' in workspace w1; check deployment-name.",
    },
    {
      name: 'two of that name',
      all: [dep('d1', 'prod', 'w1'), dep('d2', 'prod', 'w2')],
      settings: { deploymentName: 'prod' },
      error:
        "2 Deployments are named 'prod' (d1 in workspace w1, d2 in workspace w2); set deployment-id, or workspace to pick one.",
    },
    {
      name: 'two of that name, workspace picks one',
      all: [dep('d1', 'prod', 'w1'), dep('d2', 'prod', 'w2')],
      settings: { deploymentName: 'prod', workspace: 'w2' },
      found: 'd2',
    },
  ])('$name', async (row) => {
    const run = resolveDeployment(fakeApi(row.all, row.tokenWorkspace), row.settings, silentLog);
    if (row.error) await expect(run).rejects.toThrow(row.error);
    else expect((await run).id).toBe(row.found);
  });
});

const ws = (over: Partial<Git> = {}, head = 'a'.repeat(40)) =>
  ({
    head,
    repoRoot: '/repo',
    git: { remoteUrl: async () => undefined, ensureCommit: async () => true, ...over } as Git,
  }) as Checkout;
const push: Trigger = {
  kind: 'push',
  eventName: 'push',
  sha: 'a'.repeat(40),
  branch: 'main',
  ref: 'refs/heads/main',
  after: 'a'.repeat(40),
  forced: false,
  created: false,
  deleted: false,
};

describe('the git record every deploy carries', () => {
  const settings = { rootFolder: 'astro' } as Settings;
  test.each<{ name: string; env: NodeJS.ProcessEnv; remote?: string; expected: object }>([
    {
      name: 'github.com: a GITHUB record with commit and author links',
      env: { GITHUB_REPOSITORY: 'acme/airflow', GITHUB_ACTOR: 'ada' },
      expected: {
        provider: 'GITHUB',
        account: 'acme',
        repo: 'airflow',
        commitUrl: `https://github.com/acme/airflow/commit/${'a'.repeat(40)}`,
        authorUrl: 'https://github.com/ada',
        commitSha: 'a'.repeat(40),
        branch: 'main',
        path: 'astro',
        authorName: 'Ada',
        authorUsername: 'ada',
      },
    },
    {
      name: 'GitHub Enterprise: a GENERIC record, credentials stripped from the remote',
      env: { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_REPOSITORY: 'acme/airflow' },
      remote: 'https://x-access-token:secret@ghe.example.com/acme/airflow',
      expected: {
        provider: 'GENERIC',
        remoteUrl: 'https://ghe.example.com/acme/airflow',
        commitSha: 'a'.repeat(40),
        branch: 'main',
        path: 'astro',
        authorName: 'Ada',
      },
    },
  ])('$name', async (row) => {
    const w = ws({ remoteUrl: async () => row.remote });
    const info = await gitInfo(w, 'a'.repeat(40), push, row.env, settings, 'Ada');
    expect(JSON.parse(JSON.stringify(info))).toEqual(row.expected);
  });

  test("a pull request's merge commit: the deploy names the head commit, or says why not", async () => {
    const merge = 'm'.repeat(40);
    const head = 'h'.repeat(40);
    const pr = {
      ...push,
      kind: 'pull_request',
      eventName: 'pull_request',
      sha: merge,
      headSha: head,
    } as unknown as Trigger;
    expect(await namedCommit(ws({}, merge), pr, silentLog)).toBe(head);
    const log = recordingLog();
    expect(await namedCommit(ws({ ensureCommit: async () => false }, merge), pr, log)).toBe(merge);
    expect(log.lines).toEqual([
      `warning: The pull request's head commit ${head.slice(0, 12)} could not be fetched, so the deploy names the merge commit ${merge.slice(0, 12)} instead.`,
    ]);
  });
});

describe('does a fresh preview need Docker?', () => {
  test.each<[string, Partial<Settings>, boolean]>([
    ['infer (an image may ship)', { deployType: 'infer' }, true],
    ['image-and-dags', { deployType: 'image-and-dags' }, true],
    ['image-only', { deployType: 'image-only' }, true],
    ['dags-only', { deployType: 'dags-only' }, false],
    ['dags-only with the parse check', { deployType: 'dags-only', parse: true }, true],
    ['dbt', { deployType: 'dbt' }, false],
  ])('%s', (_name, s, expected) => {
    expect(needsDockerWhenFresh({ parse: false, pytest: false, ...s } as Settings)).toBe(expected);
  });
});

// Remote Execution: Astro never gets the DAGs, so the checks are skipped, and the log says why.
describe('do the DAG checks run?', () => {
  const remote = { name: 're', remoteExecution: { enabled: true } } as Deployment;
  const usual = { name: 'prod' } as Deployment;
  test.each<[string, Partial<Settings>, Deployment, boolean, string[]]>([
    ['parse asked', { parse: true }, usual, true, []],
    ['none asked', {}, usual, false, []],
    [
      'parse and pytest asked, Remote Execution',
      { parse: true, pytest: true },
      remote,
      false,
      [
        "info: DAG checks (parse, pytest) skipped: re is a Remote Execution Deployment, and its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro.",
      ],
    ],
    ['none asked, Remote Execution: nothing to say', {}, remote, false, []],
  ])('%s', (_name, s, target, expected, lines) => {
    const log = recordingLog();
    const p = { settings: { parse: false, pytest: false, ...s }, log } as unknown as Parts;
    expect(runsChecks(p, target)).toBe(expected);
    expect(log.lines).toEqual(lines);
  });
});
