// The emulator is alive: Deployments are created, roll out deploys and hibernate over time.
// Seen from the outside with plain fetch. Waits poll with generous bounds.
import { gzipSync } from 'node:zlib';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
afterEach(async () => {
  await emu?.close();
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${emu.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const org = () => `/organizations/${emu.organizationId}`;
const dep = (name: string) =>
  `${org()}/deployments/${emu.deployments.find((d) => d.name === name)!.id}`;

/** Polls until `check` holds; fails after a generous bound. */
async function until<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  boundMs = 30_000,
): Promise<T> {
  const end = Date.now() + boundMs;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > end)
      throw new Error(`condition not met within ${boundMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A minimal tar with one file. */
function tar(name: string, content: string): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const data = Buffer.alloc(Math.ceil(content.length / 512) * 512);
  data.write(content);
  return Buffer.concat([header, data, Buffer.alloc(1024)]);
}

async function upload(url: string, bytes: Buffer): Promise<string> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'x-ms-blob-type': 'BlockBlob' },
    body: new Uint8Array(bytes),
  });
  expect(res.status).toBe(201);
  return res.headers.get('x-ms-version-id')!;
}

it('a new Deployment goes CREATING → HEALTHY', async () => {
  emu = await startEmulator({ createDelayMs: 500 });
  const made = (
    await call('POST', `${org()}/deployments`, { name: 'fresh', workspaceId: emu.workspaceId })
  ).body;
  expect(made.status).toBe('CREATING');
  const ready = await until(
    () => call('GET', `${org()}/deployments/${made.id}`),
    (r) => r.body.status === 'HEALTHY',
  );
  expect(ready.body.webServerAirflowApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/d\w+\/api\/v2$/);
});

it('finalize: deploy DEPLOYED, Deployment DEPLOYING with the desired version, then HEALTHY with it (tag at rollout end)', async () => {
  // The deploy's status at the finalize (deployStatusAt rollout-end: emulator-deploy-status.test.ts).
  emu = await startEmulator({
    rolloutDelayMs: 1000,
    imageTagAt: 'rollout-end',
    deployStatusAt: 'finalize',
  });
  const before = (await call('GET', dep('analytics'))).body;
  const deploy = (await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_AND_DAG' }))
    .body;
  const version = await upload(deploy.dagsUploadUrl, tar('dags/a.py', 'print(1)\n'));
  const done = await call('POST', `${dep('analytics')}/deploys/${deploy.id}/finalize`, {
    dagTarballVersion: version,
  });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ status: 'DEPLOYED', dagTarballVersion: version });
  const rolling = (await call('GET', dep('analytics'))).body;
  expect(rolling).toMatchObject({
    status: 'DEPLOYING',
    desiredDagTarballVersion: version,
    dagTarballVersion: before.dagTarballVersion,
    imageTag: before.imageTag,
  });
  const live = await until(
    () => call('GET', dep('analytics')),
    (r) => r.body.status === 'HEALTHY',
  );
  expect(live.body).toMatchObject({
    dagTarballVersion: version,
    desiredDagTarballVersion: version,
    imageTag: deploy.imageTag,
  });
  const [rollout] = emu.state.rollouts;
  expect(rollout).toMatchObject({ deployId: deploy.id, dagTarballVersion: version });
  expect(rollout.finishedAt - rollout.finalizedAt).toBe(1000);
  expect(emu.state.blobFiles(version)).toEqual(['dags/a.py']);
  expect(emu.state.deploys(emu.deployments[0].id)[0].finalizeCount).toBe(1);
});

it('--image-tag-at finalize and --rollout-lag-ms: the tag shows at finalize, DEPLOYING comes later', async () => {
  emu = await startEmulator({ rolloutDelayMs: 300, imageTagAt: 'finalize', rolloutLagMs: 1500 });
  const deploy = (await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_ONLY' })).body;
  await call('POST', `${dep('analytics')}/deploys/${deploy.id}/finalize`, {});
  const lagging = (await call('GET', dep('analytics'))).body;
  expect(lagging).toMatchObject({
    status: 'HEALTHY',
    imageTag: deploy.imageTag,
    imageVersion: deploy.imageTag,
  });
  await until(
    () => call('GET', dep('analytics')),
    (r) => r.body.status === 'DEPLOYING',
  );
  await until(
    () => call('GET', dep('analytics')),
    (r) => r.body.status === 'HEALTHY',
  );
  const [rollout] = emu.state.rollouts;
  expect(rollout.startedAt - rollout.finalizedAt).toBe(1500);
  expect(rollout.finishedAt - rollout.startedAt).toBe(300);
});

// Where Astro's behaviour is unknown the default is the harsher choice: the new tag shows at
// finalize, while the rollout is still under way (a client that trusts the tag is fooled).
it.each<['finalize' | 'rollout-end' | undefined, 'new' | 'old']>([
  [undefined, 'new'],
  ['finalize', 'new'],
  ['rollout-end', 'old'],
])('imageTagAt %s: while DEPLOYING the Deployment shows the %s tag', async (imageTagAt, shows) => {
  emu = await startEmulator({ rolloutDelayMs: 60_000, imageTagAt });
  const before = (await call('GET', dep('analytics'))).body;
  const deploy = (await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_ONLY' })).body;
  await call('POST', `${dep('analytics')}/deploys/${deploy.id}/finalize`, {});
  expect((await call('GET', dep('analytics'))).body).toMatchObject({
    status: 'DEPLOYING',
    imageTag: shows === 'new' ? deploy.imageTag : before.imageTag,
  });
  expect(deploy.imageTag).not.toBe(before.imageTag);
});

it('a DAG-only deploy leaves the image alone', async () => {
  emu = await startEmulator({ rolloutDelayMs: 50 });
  const before = (await call('GET', dep('analytics'))).body;
  const deploy = (await call('POST', `${dep('analytics')}/deploys`, { type: 'DAG_ONLY' })).body;
  const version = await upload(deploy.dagsUploadUrl, gzipSync(tar('dags/b.py', 'x = 1\n')));
  await call('POST', `${dep('analytics')}/deploys/${deploy.id}/finalize`, {
    dagTarballVersion: version,
  });
  const live = await until(
    () => call('GET', dep('analytics')),
    (r) => r.body.status === 'HEALTHY',
  );
  expect(live.body.imageTag).toBe(before.imageTag);
  expect(live.body.dagTarballVersion).toBe(version);
  expect(emu.state.blobs.get(version)!.format).toBe('tar.gz');
  expect(emu.state.blobFiles(version)).toEqual(['dags/b.py']);
});

it('finalize refuses missing, unknown and foreign versions, and a second finalize', async () => {
  emu = await startEmulator({ rolloutDelayMs: 50 });
  const a = (await call('POST', `${dep('analytics')}/deploys`, { type: 'DAG_ONLY' })).body;
  const b = (await call('POST', `${dep('analytics')}/deploys`, { type: 'DAG_ONLY' })).body;
  const versionOfB = await upload(b.dagsUploadUrl, tar('dags/x.py', ''));
  const fin = (d: { id: string }, body: unknown) =>
    call('POST', `${dep('analytics')}/deploys/${d.id}/finalize`, body);
  expect((await fin(a, {})).body.message).toMatch(/dagTarballVersion is required/);
  expect((await fin(a, { dagTarballVersion: '2024-01-01T00:00:00.0000000Z' })).status).toBe(400);
  expect((await fin(a, { dagTarballVersion: versionOfB })).body.message).toMatch(
    /was not uploaded to this deploy/,
  );
  expect((await fin(b, { dagTarballVersion: versionOfB })).status).toBe(200);
  expect((await fin(b, { dagTarballVersion: versionOfB })).body.message).toMatch(
    /already finalized/,
  );
  // Image-only and DAG-deploys-off deploys finalize with {} (or the CLI's empty version).
  const img = (await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_ONLY' })).body;
  expect((await fin(img, { dagTarballVersion: '' })).status).toBe(200);
  const w = (await call('POST', `${dep('warehouse')}/deploys`, { type: 'IMAGE_AND_DAG' })).body;
  expect((await call('POST', `${dep('warehouse')}/deploys/${w.id}/finalize`, {})).status).toBe(200);
});

it('a BUNDLE deploy finalizes with bundleTarballVersion', async () => {
  emu = await startEmulator({ rolloutDelayMs: 50 });
  const d = (
    await call('POST', `${dep('analytics')}/deploys`, {
      type: 'BUNDLE',
      bundleType: 'dbt',
      bundleMountPath: '/usr/local/airflow/dbt/p',
    })
  ).body;
  const v = await upload(d.bundleUploadUrl, gzipSync(tar('dbt_project.yml', 'name: p\n')));
  const fin = (body: unknown) => call('POST', `${dep('analytics')}/deploys/${d.id}/finalize`, body);
  expect((await fin({})).body.message).toMatch(/bundleTarballVersion is required/);
  const done = await fin({ bundleTarballVersion: v });
  expect(done.body.bundles[0]).toMatchObject({ desiredVersion: v });
  await until(
    () => call('GET', `${dep('analytics')}/deploys/${d.id}`),
    (r) => r.body.bundles[0].currentVersion === v,
  );
});

it('deploysRefusedAt create (default): a hibernating Deployment refuses the deploy create already', async () => {
  emu = await startEmulator({ rolloutDelayMs: 50 });
  const refused = await call('POST', `${dep('sandbox')}/deploys`, { type: 'IMAGE_ONLY' });
  expect(refused.status).toBe(400);
  expect(refused.body.message).toMatch(/^Deployment is hibernating/);
  expect(emu.state.deploys(emu.deployments.find((d) => d.name === 'sandbox')!.id)).toEqual([]);
});

it('hibernation (deploysRefusedAt finalize): no deploys while asleep; an override wakes it; removing it restores the schedule', async () => {
  emu = await startEmulator({ rolloutDelayMs: 50, wakeDelayMs: 300, deploysRefusedAt: 'finalize' });
  const sandbox = dep('sandbox');
  const asleep = (await call('GET', sandbox)).body;
  expect(asleep).toMatchObject({
    status: 'HIBERNATING',
    isDevelopmentMode: true,
    scalingStatus: { hibernationStatus: { isHibernating: true } },
  });
  const d = (await call('POST', `${sandbox}/deploys`, { type: 'IMAGE_ONLY' })).body;
  const refused = await call('POST', `${sandbox}/deploys/${d.id}/finalize`, {});
  expect(refused.status).toBe(400);
  expect(refused.body.message).toMatch(/^Deployment is hibernating/);

  const woken = await call('POST', `${sandbox}/hibernation-override`, { isHibernating: false });
  expect(woken.body).toEqual({ isActive: true, isHibernating: false });
  const awake = await until(
    () => call('GET', sandbox),
    (r) => r.body.status === 'HEALTHY',
  );
  expect(awake.body.scalingSpec.hibernationSpec).toMatchObject({
    override: { isActive: true, isHibernating: false },
    schedules: [expect.objectContaining({ isEnabled: true })],
  });
  expect((await call('POST', `${sandbox}/deploys/${d.id}/finalize`, {})).status).toBe(200);

  await call('POST', `${sandbox}/hibernation-override`, {
    isHibernating: true,
    overrideUntil: new Date(Date.now() + 3600_000).toISOString(),
  });
  expect((await call('GET', sandbox)).body.status).toBe('HIBERNATING');
  expect((await call('DELETE', `${sandbox}/hibernation-override`)).status).toBe(204);
  const back = (await call('GET', sandbox)).body;
  expect(back.status).toBe('HIBERNATING');
  expect(back.scalingSpec.hibernationSpec.override).toBeUndefined();
});

it('only development Deployments hibernate; a past overrideUntil is refused', async () => {
  emu = await startEmulator();
  expect(
    (await call('POST', `${dep('analytics')}/hibernation-override`, { isHibernating: true })).body
      .message,
  ).toMatch(/not a development Deployment/);
  const past = await call('POST', `${dep('sandbox')}/hibernation-override`, {
    isHibernating: false,
    overrideUntil: '2020-01-01T00:00:00Z',
  });
  expect(past.status).toBe(400);
  expect(
    (await call('POST', `${dep('sandbox')}/hibernation-override`, { isHibernating: 'no' })).status,
  ).toBe(400);
});

it('the registry option shapes imageRepository', async () => {
  emu = await startEmulator({ registry: '127.0.0.1:5000' });
  const d = (await call('GET', dep('analytics'))).body;
  expect(d.imageRepository).toBe(`127.0.0.1:5000/${emu.organizationId}/${d.namespace}`);
  const deploy = (await call('POST', `${dep('analytics')}/deploys`, { type: 'IMAGE_ONLY' })).body;
  expect(deploy.imageRepository).toBe(d.imageRepository);
});

it('seeded history shows in the deploy list', async () => {
  emu = await startEmulator();
  const id = emu.deployments[0].id;
  emu.state.addDeploy(id, {
    type: 'IMAGE_AND_DAG',
    git: { provider: 'GITHUB', commitSha: '1'.repeat(40), account: 'a', repo: 'r' },
    createdAt: '2024-01-01T00:00:00.000Z',
  });
  emu.state.addDeploy(id, {
    type: 'DAG_ONLY',
    status: 'FAILED',
    createdAt: '2024-02-01T00:00:00.000Z',
  });
  const list = (await call('GET', `${dep('analytics')}/deploys`)).body.deploys;
  expect(list.map((d: { type: string; status: string }) => `${d.type} ${d.status}`)).toEqual([
    'DAG_ONLY FAILED',
    'IMAGE_AND_DAG DEPLOYED',
  ]);
  expect(list[1].git.commitSha).toBe('1'.repeat(40));
});
