// The bundled action with a real Docker engine and a real registry: image deploys end with
// the image in the registry under the tag the API handed out, and DAG checks stop a broken
// deploy before anything is created, with annotations on the right lines.
import { execFileSync } from 'node:child_process';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { silentLog } from '../../src/platform/log.js';
import { runPush, ok, type RunResult } from '../support/action.js';
import { dockerForTests } from '../support/docker-env.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { TestRepo, astroProject } from '../support/repo.js';
import { ensureRuntimeImage } from '../support/runtime-image.js';

const docker = await dockerForTests(silentLog);
const dtest = docker ? test : test.skip;

let emu: Emulator;
let registry: Registry;
let repo: TestRepo;
let base = '';

beforeAll(async () => {
  if (!docker) return;
  base = await ensureRuntimeImage(docker);
}, 600_000);

beforeEach(async () => {
  if (!docker) return;
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 100 });
  registry = await startRegistry({ username: 'cli', password: emu.token });
  for (const d of emu.state.deployments()) {
    emu.state.patchDeployment(d.id, {
      imageRepository: `${registry.host}/${d.organizationId}/${d.namespace}`,
    });
  }
  repo = new TestRepo();
}, 60_000);

afterEach(async () => {
  if (!docker) return;
  await emu.close();
  await registry.stop();
  repo.cleanup();
});

const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;

async function run(inputs: Record<string, string>): Promise<RunResult> {
  return runPush(
    { emu, repo },
    repo.head(),
    { 'wait-time': '1m', ...inputs },
    { timeoutMs: 300_000 },
  );
}

/** Does the registry hold this repository:tag? (Registry API, with the cli login.) */
async function inRegistry(repository: string, tag: string): Promise<boolean> {
  const name = repository.slice(registry.host.length + 1);
  const res = await fetch(`http://${registry.host}/v2/${name}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      authorization: `Basic ${Buffer.from(`cli:${emu.token}`).toString('base64')}`,
      accept: 'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return res.status === 200;
}

describe('image deploys', () => {
  dtest(
    'first deploy: image and DAGs, the image under the API tag, DAGs kept out of the image',
    async () => {
      repo.commit({ ...astroProject(), Dockerfile: `FROM ${base}\nCOPY . /usr/local/airflow/\n` });
      repo.push();
      const r = ok(await run({ 'deployment-id': id('analytics') }));
      expect(r.outputs).toMatchObject({ 'deploy-type': 'image-and-dags', skipped: 'false' });
      const d = emu.state.deployment(id('analytics'))!;
      expect(d.imageTag).toBe(r.outputs['image-tag']);
      expect(d.dagTarballVersion).toBe(r.outputs['dag-tarball-version']);
      expect(await inRegistry(d.imageRepository, r.outputs['image-tag'])).toBe(true);
      // The DAG folder is deployed as a tarball, not baked into the image.
      const ref = `${d.imageRepository}:${r.outputs['image-tag']}`;
      await docker!.login(registry.host, 'cli', emu.token);
      await docker!.pull(ref);
      const out = await docker!.run({
        image: ref,
        args: ['sh', '-c', 'ls /usr/local/airflow; ls /usr/local/airflow/dags 2>&1 || true'],
      });
      expect(out.stdout).toContain('requirements.txt');
      expect(out.stdout).not.toContain('example_dag.py');
      await docker!.remove(ref);
    },
  );

  dtest('image-only and a prebuilt image-name', async () => {
    repo.commit(astroProject());
    repo.push();
    const a = ok(await run({ 'deployment-id': id('analytics'), 'deploy-type': 'image-only' }));
    expect(a.outputs['deploy-type']).toBe('image-only');
    const w = emu.state.deployment(id('analytics'))!;
    expect(await inRegistry(w.imageRepository, a.outputs['image-tag'])).toBe(true);
    // Without DAG deploys, Astro takes no image-only deploy: refused in the plan, nothing built.
    const refused = await run({ 'deployment-id': id('warehouse'), 'deploy-type': 'image-only' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("::error::'deploy-type: image-only' needs DAG deploys");
    expect(refused.stdout).not.toMatch(/Building the image/);
    expect(emu.state.deploys(id('warehouse'))).toEqual([]);

    const prebuilt = 'prebuilt-airflow:test';
    execFileSync('docker', ['tag', base, prebuilt], { env: process.env });
    const b = ok(await run({ 'deployment-id': id('analytics'), 'image-name': prebuilt }));
    expect(b.outputs['deploy-type']).toBe('image-and-dags');
    const d = emu.state.deployment(id('analytics'))!;
    expect(await inRegistry(d.imageRepository, b.outputs['image-tag'])).toBe(true);
    await docker!.remove(prebuilt);
  });
});

describe('DAG checks before anything ships', () => {
  dtest(
    'a syntax error and a missing import fail with file and line; nothing is deployed',
    async () => {
      repo.commit({
        ...astroProject(),
        'dags/broken.py': 'from airflow import DAG\n\ndag = DAG("x"\n',
        // Like Airflow's safe mode, only files that mention airflow and DAG are parsed.
        'dags/missing.py': 'from airflow import DAG\nimport not_a_module_anywhere\n',
      });
      repo.push();
      const r = await run({ 'deployment-id': id('analytics'), parse: 'true' });
      expect(r.code).toBe(1);
      const errors = r.annotations.filter((l) => l.startsWith('::error'));
      expect(errors.some((l) => /file=dags\/broken\.py,line=3/.test(l))).toBe(true);
      expect(
        errors.some(
          (l) => /file=dags\/missing\.py,line=2/.test(l) && /not_a_module_anywhere/.test(l),
        ),
      ).toBe(true);
      expect(r.stdout).toMatch(/DAG checks failed with 2 problem/);
      expect(emu.state.deploys(id('analytics'))).toHaveLength(0);
      expect(r.summary).toContain('DAG checks');
    },
  );

  dtest('a failing pytest is annotated; force deploys anyway and still reports', async () => {
    repo.commit({
      ...astroProject(),
      'tests/test_dags.py':
        'def test_ok():\n    assert True\n\n\ndef test_bad():\n    assert 1 == 2\n',
    });
    repo.push();
    const r = await run({ 'deployment-id': id('analytics'), pytest: 'true' });
    expect(r.code).toBe(1);
    expect(r.annotations.some((l) => /::error .*file=tests\/test_dags\.py,line=6/.test(l))).toBe(
      true,
    );
    expect(emu.state.deploys(id('analytics'))).toHaveLength(0);

    const forced = ok(
      await run({ 'deployment-id': id('analytics'), pytest: 'true', force: 'true' }),
    );
    expect(forced.outputs.skipped).toBe('false');
    expect(forced.annotations.some((l) => /file=tests\/test_dags\.py/.test(l))).toBe(true);
    expect(forced.stdout).toContain('force is true');
    expect(forced.summary).toContain('`force: true`: deploying anyway.');
    expect(forced.summary.match(/### DAG checks/g)).toHaveLength(1);
  });

  dtest('a DAG-only deploy checks against the live image, pulled from the registry', async () => {
    repo.commit(astroProject());
    repo.push();
    const first = ok(await run({ 'deployment-id': id('analytics') }));
    const d = emu.state.deployment(id('analytics'))!;
    const live = `${d.imageRepository}:${first.outputs['image-tag']}`;
    repo.commit({ 'dags/second.py': 'from airflow import DAG\n\ndag = DAG("second")\n' });
    repo.push();
    await docker!.remove(live);
    const r = ok(await run({ 'deployment-id': id('analytics'), parse: 'true' }));
    expect(r.outputs['deploy-type']).toBe('dags-only');
    expect(r.stdout).toContain(`inside ${live}`);
    expect(r.stdout).not.toMatch(/building the image for the checks/);
    // Pulled only for the checks: not left on the runner.
    expect(await docker!.imageExists(live)).toBe(false);

    // The live image cannot be pulled (gone from the registry's view): build it for the checks.
    emu.state.patchDeployment(id('analytics'), { imageTag: 'no-such-tag' });
    repo.commit({ 'dags/third.py': 'from airflow import DAG\n\ndag = DAG("third")\n' });
    repo.push();
    const built = ok(await run({ 'deployment-id': id('analytics'), parse: 'true' }));
    expect(built.outputs['deploy-type']).toBe('dags-only');
    expect(built.stdout).toMatch(/could not be pulled.*building the image for the checks/);
    const checkTag = `astro-deploy-check:${repo.head().slice(0, 12)}`;
    expect(built.stdout).toContain(`inside ${checkTag}`);
    expect(await docker!.imageExists(checkTag)).toBe(false);
  });
});
