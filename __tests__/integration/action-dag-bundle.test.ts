// Named DAG bundles (`dag-bundle-name`) through the bundled action against the emulator: the
// DAGs land in that bundle (created on v1alpha1, finalized on v1) and not in the default
// one; the run waits for the bundle's currentVersion; the next run diffs from the bundle's
// live deploy; a missing bundle or an Airflow 2 Deployment fails before anything is created;
// a dry run decides and creates nothing.
import path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runPush, ok, errorLine } from '../support/action.js';
import { fakeDockerPath } from '../support/fake-docker.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

beforeEach(async () => {
  // The rollout starts late (lag) so that a run not waiting for the bundle would end before it.
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 50, rolloutLagMs: 300 });
  repo = new TestRepo();
});
afterEach(async () => {
  await emu.close();
  repo.cleanup();
});

const bundle = (name: string) =>
  emu.state.dagBundles(id('analytics')).find((b) => b.name === name) as
    { currentVersion?: string; desiredVersion?: string } | undefined;
const creates = () =>
  emu.state.requests.filter((r) => r.method === 'POST' && /\/deploys$/.test(r.path));

/** A project whose image is live at c1 (so DAG changes alone make a DAG deploy). */
function projectLiveAtC1(): string {
  const c1 = repo.commit(astroProject(), 'Initial project');
  emu.state.addDeploy(id('analytics'), {
    type: 'IMAGE_AND_DAG',
    status: 'DEPLOYED',
    git: { provider: 'GENERIC', commitSha: c1 },
  });
  return c1;
}

test('the DAGs land in the named bundle, not the default one; the next run diffs from that bundle', async () => {
  projectLiveAtC1();
  const c2 = repo.commit({ 'dags/report.py': 'R = 1\n' }, 'Add the report DAG');
  repo.push();
  const before = emu.state.deployment(id('analytics'))!;
  const inputs = { 'deployment-id': id('analytics'), 'dag-bundle-name': 'reporting' };

  const r = ok(await runPush({ emu, repo }, c2, { ...inputs, 'wait-time': '30s' }));
  expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'false' });
  const version = r.outputs['dag-tarball-version'];
  expect(version).toBeTruthy();
  // Created on v1alpha1, finalized on v1; live in the bundle when the run ends.
  expect(creates().map((c) => c.path)).toEqual([
    `/v1alpha1/organizations/${emu.organizationId}/deployments/${id('analytics')}/deploys`,
  ]);
  expect(bundle('reporting')).toMatchObject({ currentVersion: version, desiredVersion: version });
  expect(r.stdout).toContain("for DAG bundle 'reporting' of the Deployment to run version");
  expect(r.summary).toContain('| DAG bundle | reporting |');
  const after = emu.state.deployment(id('analytics'))!;
  expect(after.dagTarballVersion).toBe(before.dagTarballVersion);
  expect(after.desiredDagTarballVersion).toBe(before.desiredDagTarballVersion);
  expect(emu.state.blobFiles(version).sort()).toEqual(['dags/example_dag.py', 'dags/report.py']);
  const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
  expect(deploy).toMatchObject({ type: 'DAG_ONLY', status: 'DEPLOYED', finalizeCount: 1 });
  expect(deploy.git).toMatchObject({ commitSha: c2 });

  // The baseline is the bundle's live deploy (c2): one DAG path changed since, not two.
  const c3 = repo.commit({ 'dags/more.py': 'M = 1\n' });
  repo.push();
  const next = ok(await runPush({ emu, repo }, c3, { ...inputs, 'dry-run': 'true' }));
  expect(next.outputs['deploy-type']).toBe('dags-only');
  expect(next.outputs.reason).toContain('1 DAG path');
  expect(next.summary).toContain(c2.slice(0, 12));
  // Re-running the deployed commit converges.
  const again = ok(await runPush({ emu, repo }, c2, inputs));
  expect(again.outputs).toMatchObject({ 'deploy-type': 'none', skipped: 'true' });
});

test('a bundle that does not exist: one sentence naming it and the ones that do; nothing created', async () => {
  projectLiveAtC1();
  const c2 = repo.commit({ 'dags/report.py': 'R = 1\n' });
  repo.push();
  for (const dryRun of ['false', 'true']) {
    const r = await runPush({ emu, repo }, c2, {
      'deployment-id': id('analytics'),
      'dag-bundle-name': 'reports',
      'dry-run': dryRun,
    });
    expect(r.code).not.toBe(0);
    expect(errorLine(r)).toContain(
      "analytics has no DAG bundle named 'reports' (its DAG bundles: 'main', 'reporting'); create it on the Deployment first or set 'dag-bundle-name' to one of those.",
    );
  }
  expect(creates()).toEqual([]);
  expect(emu.state.deploys(id('analytics')).length).toBe(1);
});

test('an Airflow 2 Deployment: refused before anything is created', async () => {
  const c1 = repo.commit(astroProject(), 'Initial project');
  repo.push();
  const r = await runPush({ emu, repo }, c1, {
    'deployment-id': id('warehouse'),
    'dag-bundle-name': 'reporting',
  });
  expect(r.code).not.toBe(0);
  expect(errorLine(r)).toContain(
    "Input 'dag-bundle-name' ('reporting') needs an Airflow 3 Deployment, but warehouse runs Airflow 2 (Astro Runtime 12.9.0), which has no DAG bundles;",
  );
  expect(creates()).toEqual([]);
  expect(emu.state.requests.some((q) => q.path.startsWith('/v1alpha1/'))).toBe(false);
});

test('a dry run names the decision for the bundle and creates nothing', async () => {
  projectLiveAtC1();
  const c2 = repo.commit({ 'dags/report.py': 'R = 1\n' });
  repo.push();
  const r = ok(
    await runPush({ emu, repo }, c2, {
      'deployment-id': id('analytics'),
      'dag-bundle-name': 'reporting',
      'dry-run': 'true',
    }),
  );
  expect(r.outputs).toMatchObject({ 'deploy-type': 'dags-only', skipped: 'true' });
  expect(r.outputs.reason).toMatch(
    /^dry run: would deploy dags-only because .*'reporting' DAG bundle/,
  );
  expect(creates()).toEqual([]);
  expect(bundle('reporting')?.desiredVersion).toBeUndefined();
});

test('an image change: an IMAGE deploy to the bundle; the image goes live and the DAGs land in the bundle', async () => {
  projectLiveAtC1();
  const c2 = repo.commit({ 'requirements.txt': 'pandas\n', 'dags/report.py': 'R = 1\n' });
  repo.push();
  const before = emu.state.deployment(id('analytics'))!;
  const env = { PATH: fakeDockerPath(path.join(repo.root, 'bin')), FAKE_DOCKER_RUNTIME: '3.0-7' };
  const r = ok(
    await runPush(
      { emu, repo },
      c2,
      { 'deployment-id': id('analytics'), 'dag-bundle-name': 'reporting', 'wait-time': '30s' },
      { env },
    ),
  );
  expect(r.outputs['deploy-type']).toBe('image-and-dags');
  const deploy = emu.state.deploys(id('analytics')).find((d) => d.id === r.outputs['deploy-id'])!;
  expect(deploy).toMatchObject({ type: 'IMAGE_AND_DAG', status: 'DEPLOYED' });
  expect(creates().map((c) => c.path)).toEqual([
    `/v1alpha1/organizations/${emu.organizationId}/deployments/${id('analytics')}/deploys`,
  ]);
  const after = emu.state.deployment(id('analytics'))!;
  expect(after.imageTag).toBe(deploy.imageTag);
  expect(after.dagTarballVersion).toBe(before.dagTarballVersion);
  expect(bundle('reporting')?.currentVersion).toBe(r.outputs['dag-tarball-version']);
});
