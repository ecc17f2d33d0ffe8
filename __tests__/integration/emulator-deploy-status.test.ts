// When a finalized deploy's own status turns DEPLOYED in the emulator (`deployStatusAt`): at the
// finalize, or when the rollout that carries it ends (with `replace`: a replaced deploy's when the
// rollout that replaced it ends). The model is driven with explicit times; one test goes through
// HTTP as a client sees it (statuses settle on read; a second finalize is refused all the same).
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { Model, emulatorSubject } from '../../emulator/model.js';
import type { ConcurrentRollouts } from '../../emulator/options.js';
import type { DeployStatusAt } from '../../emulator/options.js';

const ROLLOUT_MS = 1000;

function world(concurrentRollouts: ConcurrentRollouts, deployStatusAt: DeployStatusAt) {
  const model = new Model({
    seed: 1,
    createDelayMs: 0,
    rolloutDelayMs: ROLLOUT_MS,
    wakeDelayMs: 0,
    concurrentRollouts,
    deployStatusAt,
  });
  const org = model.addOrganization('org', 0);
  const ws = model.addWorkspace(org.id, 'ws', 0);
  const rec = model.createDeployment(
    { name: 'd', workspaceId: ws.id, astroRuntimeVersion: '3.0-7' },
    emulatorSubject,
    0,
    false,
  );
  return { model, rec };
}

describe.each<[ConcurrentRollouts, DeployStatusAt, string[]]>([
  [
    'queue',
    'finalize',
    ['0: DEPLOYED vA -', '500: DEPLOYED vA DEPLOYED vB', '1000: DEPLOYED vA DEPLOYED vB'],
  ],
  [
    'replace',
    'finalize',
    ['0: DEPLOYED vA -', '500: DEPLOYED vA DEPLOYED vB', '1000: DEPLOYED vA DEPLOYED vB'],
  ],
  [
    // A's rollout 0..1000, B's 1000..2000: each turns DEPLOYED when its own ends
    'queue',
    'rollout-end',
    [
      '0: INITIALIZED vA -',
      '500: INITIALIZED vA INITIALIZED vB',
      '999: INITIALIZED vA INITIALIZED vB',
      '1000: DEPLOYED vA INITIALIZED vB',
      '1999: DEPLOYED vA INITIALIZED vB',
      '2000: DEPLOYED vA DEPLOYED vB',
    ],
  ],
  [
    // B replaces A's rollout at 500 and ends at 1500: both turn DEPLOYED then
    'replace',
    'rollout-end',
    [
      '0: INITIALIZED vA -',
      '500: INITIALIZED vA INITIALIZED vB',
      '1000: INITIALIZED vA INITIALIZED vB',
      '1499: INITIALIZED vA INITIALIZED vB',
      '1500: DEPLOYED vA DEPLOYED vB',
    ],
  ],
])('concurrentRollouts %s, deployStatusAt %s', (mode, statusAt, expected) => {
  test("two DAG deploys finalized 500 ms apart: each one's status and dagTarballVersion when", () => {
    const { model, rec } = world(mode, statusAt);
    const a = model.createDeploy(rec, { type: 'DAG_ONLY' }, emulatorSubject, 0);
    const b = model.createDeploy(rec, { type: 'DAG_ONLY' }, emulatorSubject, 0);
    const show = (d: typeof a, finalized: boolean) =>
      finalized ? `${d.deploy.status} ${d.deploy.dagTarballVersion}` : '-';
    const times = expected.map((line) => Number(line.split(':')[0]));
    const seen: string[] = [];
    for (const at of times) {
      if (at === 0) model.finalize(rec, a, { dags: 'vA' }, 0);
      if (at === 500) model.finalize(rec, b, { dags: 'vB' }, 500);
      model.view(rec, at); // a read settles
      seen.push(`${at}: ${show(a, true)} ${show(b, at >= 500)}`);
    }
    expect(seen).toEqual(expected);
    expect([a.finalizeCount, b.finalizeCount]).toEqual([1, 1]);
  });
});

describe('over HTTP', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  test.each<[DeployStatusAt | undefined, string[]]>([
    [undefined, ['INITIALIZED', 'DEPLOYED']],
    ['finalize', ['DEPLOYED']],
    ['rollout-end', ['INITIALIZED', 'DEPLOYED']],
  ])(
    'deployStatusAt %s: the statuses a client polling the deploy sees after its finalize; a second finalize is refused',
    async (statusAt, order) => {
      emu = await startEmulator({ rolloutDelayMs: 500, deployStatusAt: statusAt });
      const e = emu;
      const dep = `${e.url}/organizations/${e.organizationId}/deployments/${e.deployments[0].id}`;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${dep}${path}`, {
          method,
          headers: { authorization: `Bearer ${e.token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: await res.json() };
      };
      const d = (await call('POST', '/deploys', { type: 'DAG_ONLY' })).body;
      const up = await fetch(d.dagsUploadUrl, {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: new Uint8Array(Buffer.alloc(1024)),
      });
      const version = up.headers.get('x-ms-version-id')!;
      const fin = { dagTarballVersion: version };
      const first = await call('POST', `/deploys/${d.id}/finalize`, fin);
      expect(first.status).toBe(200);
      expect(first.body.dagTarballVersion).toBe(version);
      // refused as a repeated finalize is, whatever the status shows
      const again = await call('POST', `/deploys/${d.id}/finalize`, fin);
      expect(again.status).toBe(400);
      expect(again.body.message).toContain('is already finalized');
      const seen: string[] = [];
      for (;;) {
        // The list and the read of one deploy agree: the list shows what a read just before
        // or just after it shows (the rollout may end between two requests).
        const before = (await call('GET', `/deploys/${d.id}`)).body.status;
        const listed = (await call('GET', '/deploys')).body.deploys.find(
          (x: { id: string }) => x.id === d.id,
        );
        const one = (await call('GET', `/deploys/${d.id}`)).body;
        expect([before, one.status]).toContain(listed.status);
        expect(one.dagTarballVersion).toBe(version); // recorded at the finalize
        if (seen.at(-1) !== one.status) seen.push(one.status);
        // the read after HEALTHY shows the rollout ended: DEPLOYED
        const healthy = (await call('GET', '')).body.status === 'HEALTHY';
        if (healthy && one.status === 'DEPLOYED') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen).toEqual(order);
      expect(e.state.deploys(e.deployments[0].id).find((x) => x.id === d.id)).toMatchObject({
        status: 'DEPLOYED',
        finalizeCount: 1,
        repeatedFinalizes: 1,
      });
    },
  );
});
