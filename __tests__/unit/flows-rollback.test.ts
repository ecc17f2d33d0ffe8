// The rollback flow with fakes: what it asks Astro (and what it never asks), what it returns,
// what the journal records, and the failure a stopped rollback reports.
import type { AstroApi, Deploy, Deployment } from '../../src/astro/types.js';
import { failure } from '../../src/failure.js';
import type { Parts } from '../../src/flows/parts.js';
import { airflow3To2, description, liveTarget, rollbackFlow } from '../../src/flows/rollback.js';
import type { Settings } from '../../src/inputs/settings-types.js';
import { Journal } from '../../src/journal.js';
import { silentLog } from '../../src/platform/log.js';
import { deploymentFixture } from '../support/fixtures.js';

const hour = 3_600_000;
const made = (id: string, hoursAgo: number, tag: string, sha: string): Deploy => ({
  id,
  deploymentId: 'd1',
  type: 'IMAGE_AND_DAG',
  status: 'DEPLOYED',
  imageRepository: 'repo',
  imageTag: tag,
  isDagDeployEnabled: true,
  dagTarballVersion: `v-${id}`,
  createdAt: new Date(Date.now() - hoursAgo * hour).toISOString(),
  git: { provider: 'GENERIC', commitSha: sha.repeat(40) },
});
const a = made('a', 2, 'tag-a', 'a');
const b = made('b', 1, 'tag-b', 'b');
const base = deploymentFixture({
  id: 'd1',
  name: 'prod',
  organizationId: 'o1',
  workspaceId: 'w1',
  type: 'STANDARD',
  imageTag: 'tag-b',
  dagTarballVersion: 'v-b',
  desiredDagTarballVersion: 'v-b',
});

interface Row {
  name: string;
  product?: string | Error;
  type?: Deployment['type'];
  dryRun?: boolean;
  /** The rolled-back deploy FAILED on Astro. */
  fails?: boolean;
}

function setup(row: Row) {
  const calls: string[] = [];
  let polls = 0;
  const newDeploy: Deploy = {
    ...a,
    id: 'r',
    rollbackFromId: 'a',
    createdAt: new Date().toISOString(),
  };
  const api = {
    organizationId: 'o1',
    getOrganization: async () => {
      calls.push('getOrganization');
      if (row.product instanceof Error) throw row.product;
      return { id: 'o1', name: 'Org', product: row.product ?? 'HOSTED' };
    },
    listDeploys: async () => {
      calls.push('listDeploys');
      return [b, a];
    },
    rollbackDeploy: async (dep: string, id: string, body: { description?: string }) => {
      calls.push(`rollback ${dep} ${id} ${body.description}`);
      return newDeploy;
    },
    // DEPLOYING once (for good when it fails), then HEALTHY with the restored versions.
    getDeployment: async () =>
      ++polls === 1 || row.fails
        ? { ...base, status: 'DEPLOYING' }
        : { ...base, imageTag: 'tag-a', dagTarballVersion: 'v-a', desiredDagTarballVersion: 'v-a' },
    getDeploy: async () => ({ ...newDeploy, status: row.fails ? 'FAILED' : 'DEPLOYED' }),
  } as unknown as AstroApi;
  const journal = new Journal();
  const parts = {
    settings: {
      rollbackTo: { kind: 'previous' },
      dryRun: row.dryRun ?? false,
      waitMs: 30_000,
      apiUrl: 'https://api.astronomer.io/v1',
    } as Settings,
    env: {
      GITHUB_REPOSITORY: 'me/repo',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
    },
    api,
    log: silentLog,
    journal,
    reporter: { group: (_t: string, fn: () => Promise<unknown>) => fn(), error: () => undefined },
  } as unknown as Parts;
  return { calls, journal, parts, deployment: { ...base, type: row.type ?? base.type } };
}

test('a rollback: asks Astro once, waits for the restored versions, outputs the new deploy', async () => {
  const { calls, journal, parts, deployment } = setup({ name: 'real' });
  const out = await rollbackFlow(parts, deployment);
  expect(calls).toEqual([
    'getOrganization',
    'listDeploys',
    `rollback d1 a Rollback to deploy a (commit aaaaaaaaaaaa, made ${a.createdAt.slice(0, 16).replace('T', ' ')} UTC) by https://github.com/me/repo/actions/runs/42`,
    // image deploys before the rollback, which may still roll out first
    'listDeploys',
  ]);
  expect(out).toMatchObject({
    deployType: 'rollback',
    skipped: false,
    deployId: 'r',
    deploymentId: 'd1',
    imageTag: 'tag-a',
    dagTarballVersion: 'v-a',
  });
  expect(out.reason).toMatch(
    /^rolled back prod from deploy b \(commit bbbbbbbbbbbb, .*\) to deploy a /,
  );
  expect(journal.deploys).toEqual([
    expect.objectContaining({ id: 'r', stage: 'finalized', done: true, open: false }),
  ]);
  expect(journal.sections.join('\n')).toMatch(/\| From \| deploy b .*\n\| To \| deploy a /);
}, 10_000);

test.each<Row & { error: string }>([
  {
    name: 'Hybrid organization',
    product: 'HYBRID',
    error:
      'Rollbacks are available only on Astro Hosted, and prod is in an organization whose product is HYBRID; to go back, revert the change in git and deploy that commit.',
  },
  {
    name: 'organization unreadable, HYBRID Deployment',
    product: new Error('403'),
    type: 'HYBRID',
    error:
      'Rollbacks are available only on Astro Hosted, and prod is an Astro Hybrid Deployment; to go back, revert the change in git and deploy that commit.',
  },
])('$name: one sentence, nothing listed or rolled back', async (row) => {
  const { calls, parts, deployment } = setup(row);
  await expect(rollbackFlow(parts, deployment)).rejects.toThrow(row.error);
  expect(calls).toEqual(['getOrganization']);
});

test('organization unreadable, a Hosted Deployment type: goes ahead', async () => {
  const { calls, parts, deployment } = setup({
    name: 'x',
    product: new Error('403'),
    dryRun: true,
  });
  await rollbackFlow(parts, deployment);
  expect(calls).toEqual(['getOrganization', 'listDeploys']);
});

test('dry run: names the target, rolls nothing back', async () => {
  const { calls, journal, parts, deployment } = setup({ name: 'dry', dryRun: true });
  const out = await rollbackFlow(parts, deployment);
  expect(calls).toEqual(['getOrganization', 'listDeploys']);
  expect(out).toMatchObject({ deployType: 'rollback', skipped: true });
  expect(out.deployId).toBeUndefined();
  expect(out.reason).toMatch(/^dry run: would roll back prod from deploy b .* to deploy a /);
  expect(journal.deploys).toEqual([]);
});

test('the rollback deploy FAILED on Astro: the failure names it and outputs its id', async () => {
  const { journal, parts, deployment } = setup({ name: 'fails', fails: true });
  const err = await rollbackFlow(parts, deployment).catch((e: Error) => e);
  expect((err as Error).message).toMatch(/^Deploy r to prod FAILED on Astro/);
  const { outcome } = failure(err, journal);
  expect(outcome).toMatchObject({ deployType: 'rollback', deployId: 'r', deploymentId: 'd1' });
  // This run reported it: the post step is not left to warn about it a second time.
  expect(journal.openDeploy).toBeUndefined();
}, 10_000);

test.each<[string, Partial<Deploy>, Partial<Deployment>, object]>([
  ['both restored', {}, {}, { imageTag: 'tag-a', dagTarballVersion: 'v-a' }],
  [
    'the image runs already: only the DAGs',
    {},
    { imageTag: 'tag-a' },
    { dagTarballVersion: 'v-a' },
  ],
  [
    'the new deploy names no versions: the ones the target ran with',
    { imageTag: '', dagTarballVersion: undefined },
    {},
    { imageTag: 'tag-a', dagTarballVersion: 'v-a' },
  ],
  [
    'the new deploy names a new tag: that one',
    { imageTag: 'tag-r' },
    {},
    { imageTag: 'tag-r', dagTarballVersion: 'v-a' },
  ],
])('liveTarget: %s', (_n, newFields, before, expected) => {
  const r = { ...a, id: 'r', ...newFields };
  const restores = { imageTag: 'tag-a', dagTarballVersion: 'v-a' };
  expect(liveTarget(r, restores, { ...base, ...before })).toEqual({ deployId: 'r', ...expected });
});

test('description: the given one, or one naming the target and the run, at most 500 characters', () => {
  expect(description({}, 'mine', a)).toBe('mine');
  expect(description({}, undefined, a)).toMatch(
    /^Rollback to deploy a \(commit aaaaaaaaaaaa, made .* UTC\)$/,
  );
  const long = description({}, 'x'.repeat(600), a);
  expect(long).toHaveLength(500);
  expect(long.endsWith('…')).toBe(true);
});

test.each<[string, string, string | undefined, boolean]>([
  ['Airflow 3 back to Airflow 2', '3.0.6', '2.10.5', true],
  ['Airflow 3 to 3', '3.1.0', '3.0.6', false],
  ['Airflow 2 to 2', '2.10.5', '2.9.3', false],
  ['Airflow 2 to 3 (an earlier upgrade undone the other way)', '2.10.5', '3.0.6', false],
  ['the target names no Airflow version', '3.0.6', undefined, false],
])('airflow3To2: %s', (_n, now, then, warns) => {
  // (Only the Airflow versions are given here: the Runtime, which would decide first, is not.)
  const said = airflow3To2(
    { ...base, astroRuntimeVersion: '', airflowVersion: now },
    { ...a, airflowVersion: then },
  );
  if (warns)
    expect(said).toMatch(/^prod runs Airflow 3\.0\.6 and deploy a .* ran Airflow 2\.10\.5: /);
  else expect(said).toBeUndefined();
});
