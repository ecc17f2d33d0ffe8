// Overlapping rollouts in the emulator (emulator/rollouts.ts): deploys finalized while another's
// rollout is pending or under way, under `concurrentRollouts: queue` (Astro's docs: processed
// one after another, in order) and `replace`. The model is driven with explicit times, so each
// instant's state is exact; one test per mode goes through HTTP as a client sees it.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { Model, emulatorSubject, type DeploymentRecord } from '../../emulator/model.js';
import type { ConcurrentRollouts } from '../../emulator/options.js';

const ROLLOUT_MS = 1000;

function world(concurrentRollouts: ConcurrentRollouts, more: Partial<Model['options']> = {}) {
  const model = new Model({
    seed: 1,
    createDelayMs: 0,
    rolloutDelayMs: ROLLOUT_MS,
    wakeDelayMs: 0,
    concurrentRollouts,
    ...more,
  });
  const org = model.addOrganization('org', 0);
  const ws = model.addWorkspace(org.id, 'ws', 0);
  const rec = model.createDeployment(
    { name: 'd', workspaceId: ws.id, astroRuntimeVersion: '3.0-7' },
    emulatorSubject,
    0,
    false,
  );
  rec.dep.dagTarballVersion = rec.dep.desiredDagTarballVersion = 'v0';
  const finalize = (
    type: 'DAG_ONLY' | 'IMAGE_ONLY',
    at: number,
    dags?: string,
    bundle?: string,
  ) => {
    const made = model.createDeploy(rec, { type }, emulatorSubject, at);
    made.dagBundleName = bundle;
    model.finalize(rec, made, { dags }, at);
    return made.deploy;
  };
  return { model, rec, finalize };
}

/**
 * Plays finalizes and reads in time order (a finalize first at the same instant): the
 * Deployment's status and one field at each of `times`, as a client polling then would see it.
 */
function play(
  model: Model,
  rec: DeploymentRecord,
  finalizes: [number, () => void][],
  times: number[],
  field: (rec: DeploymentRecord) => string | undefined,
): string[] {
  const seen: string[] = [];
  const events = [
    ...finalizes.map(([at, run]) => ({ at, order: 0, run })),
    ...times.map((at) => ({
      at,
      order: 1,
      run: () => seen.push(`${at}: ${model.view(rec, at).status} ${field(rec)}`),
    })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  for (const e of events) e.run();
  return seen;
}

describe.each<ConcurrentRollouts>(['queue', 'replace'])('concurrentRollouts %s', (mode) => {
  test('two DAG deploys, the second finalized while the first rolls out: which version is live when', () => {
    const { model, rec, finalize } = world(mode);
    const seen = play(
      model,
      rec,
      [
        [0, () => finalize('DAG_ONLY', 0, 'vA')],
        [500, () => finalize('DAG_ONLY', 500, 'vB')],
      ],
      [0, 499, 500, 999, 1000, 1499, 1500, 1999, 2000],
      (r) => `${r.dep.dagTarballVersion} desired ${r.dep.desiredDagTarballVersion}`,
    );
    // desired is the newest finalized at once, under both
    const rollingA = ['0: DEPLOYING v0 desired vA', '499: DEPLOYING v0 desired vA'];
    expect(seen).toEqual(
      mode === 'queue'
        ? // A from 0 to 1000, then B right after it (no lag) to 2000: vA is live in between
          [
            ...rollingA,
            '500: DEPLOYING v0 desired vB',
            '999: DEPLOYING v0 desired vB',
            '1000: DEPLOYING vA desired vB',
            '1499: DEPLOYING vA desired vB',
            '1500: DEPLOYING vA desired vB',
            '1999: DEPLOYING vA desired vB',
            '2000: HEALTHY vB desired vB',
          ]
        : // B replaces A at 500 and ends at 1500: vA never shows
          [
            ...rollingA,
            '500: DEPLOYING v0 desired vB',
            '999: DEPLOYING v0 desired vB',
            '1000: DEPLOYING v0 desired vB',
            '1499: DEPLOYING v0 desired vB',
            '1500: HEALTHY vB desired vB',
            '1999: HEALTHY vB desired vB',
            '2000: HEALTHY vB desired vB',
          ],
    );
    expect(model.rollouts.map((r) => [r.startedAt, r.finishedAt, r.superseded ?? false])).toEqual(
      mode === 'queue'
        ? [
            [0, 1000, false],
            [1000, 2000, false],
          ]
        : [
            [0, 1000, true],
            [500, 1500, false],
          ],
    );
  });

  test.each(['rollout-end', 'finalize'] as const)(
    'two image deploys, imageTagAt %s: the tags seen, in order',
    (imageTagAt) => {
      const { model, rec, finalize } = world(mode, { imageTagAt });
      const old = rec.dep.imageTag;
      const tags: Record<string, string> = { [old!]: 'old' };
      const times = [0, 499, 500, 999, 1000, 1499, 1500, 1999, 2000];
      const seen = play(
        model,
        rec,
        [
          [0, () => (tags[finalize('IMAGE_ONLY', 0).imageTag] = 'A')],
          [500, () => (tags[finalize('IMAGE_ONLY', 500).imageTag] = 'B')],
        ],
        times,
        (r) => `${tags[r.dep.imageTag!]}/${tags[r.dep.imageVersion!]}`,
      );
      const ends = mode === 'queue' ? 2000 : 1500;
      const expected = times.map((t) => {
        const status = t < ends ? 'DEPLOYING' : 'HEALTHY';
        // finalize: the newest finalized at once; an older rollout ending never puts its tag back
        const tag =
          imageTagAt === 'finalize'
            ? t < 500
              ? 'A'
              : 'B'
            : mode === 'queue'
              ? t < 1000
                ? 'old'
                : t < 2000
                  ? 'A'
                  : 'B'
              : t < 1500
                ? 'old'
                : 'B';
        return `${t}: ${status} ${tag}/${tag}`;
      });
      expect(seen).toEqual(expected);
    },
  );

  test.each([
    ["the second finalized during the first one's lag", 100],
    ['the second finalized while the first rolls out', 500],
  ])('with a rollout lag, %s: DEPLOYING after the lag, through both rollouts', (_name, second) => {
    const { model, rec, finalize } = world(mode, { rolloutLagMs: 300 });
    // queued: right after the first (no lag between); replaced: at once if one was under way
    const start = mode === 'queue' ? 1300 : second < 300 ? second + 300 : second;
    const end = start + ROLLOUT_MS;
    const seen = play(
      model,
      rec,
      [
        [0, () => finalize('DAG_ONLY', 0, 'vA')],
        [second, () => finalize('DAG_ONLY', second, 'vB')],
      ],
      [299, 300, start, end - 1, end],
      (r) => r.dep.dagTarballVersion,
    );
    const lagOfB = mode === 'replace' && second < 300; // A replaced before it started
    expect(seen).toEqual([
      '299: HEALTHY v0',
      lagOfB ? '300: HEALTHY v0' : '300: DEPLOYING v0',
      `${start}: DEPLOYING ${mode === 'queue' ? 'vA' : 'v0'}`,
      `${end - 1}: DEPLOYING ${mode === 'queue' ? 'vA' : 'v0'}`,
      `${end}: HEALTHY vB`,
    ]);
    expect(model.rollouts[1]).toMatchObject({ startedAt: start, finishedAt: end });
  });

  test('a named DAG bundle: currentVersion follows each rollout in order, desiredVersion is the newest', () => {
    const { model, rec, finalize } = world(mode);
    model.addDagBundle(rec, 'reporting', 0);
    const bundle = () => rec.dagBundles[0];
    const seen = play(
      model,
      rec,
      [
        [0, () => finalize('DAG_ONLY', 0, 'vA', 'reporting')],
        [500, () => finalize('DAG_ONLY', 500, 'vB', 'reporting')],
      ],
      [999, 1000, 1500, 2000],
      () => `${bundle().currentVersion}/${bundle().desiredVersion}`,
    );
    expect(seen).toEqual(
      mode === 'queue'
        ? [
            '999: DEPLOYING undefined/vB',
            '1000: DEPLOYING vA/vB',
            '1500: DEPLOYING vA/vB',
            '2000: HEALTHY vB/vB',
          ]
        : [
            '999: DEPLOYING undefined/vB',
            '1000: DEPLOYING undefined/vB',
            '1500: HEALTHY vB/vB',
            '2000: HEALTHY vB/vB',
          ],
    );
    // the Deployment's own DAG versions are left alone
    expect(rec.dep.dagTarballVersion).toBe('v0');
  });
});

describe('over HTTP', () => {
  let emu: Emulator | undefined;
  afterEach(async () => {
    await emu?.close();
    emu = undefined;
  });

  test.each<[ConcurrentRollouts | undefined, string[]]>([
    [undefined, ['v0', 'A', 'B']],
    ['queue', ['v0', 'A', 'B']],
    ['replace', ['v0', 'B']],
  ])(
    'concurrentRollouts %s: the DAG versions a client sees, in order, DEPLOYING until the last',
    async (mode, order) => {
      emu = await startEmulator({ rolloutDelayMs: 1000, concurrentRollouts: mode });
      const e = emu;
      const dep = `${e.url}/organizations/${e.organizationId}/deployments/${e.deployments[0].id}`;
      const call = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${dep}${path}`, {
          method,
          headers: { authorization: `Bearer ${e.token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return res.json();
      };
      const before = await call('GET', '');
      const versions: Record<string, string> = { [before.dagTarballVersion]: 'v0' };
      for (const name of ['A', 'B']) {
        const d = await call('POST', '/deploys', { type: 'DAG_ONLY' });
        const up = await fetch(d.dagsUploadUrl, {
          method: 'PUT',
          headers: { 'x-ms-blob-type': 'BlockBlob' },
          body: new Uint8Array(Buffer.alloc(1024)),
        });
        const version = up.headers.get('x-ms-version-id')!;
        versions[version] = name;
        await call('POST', `/deploys/${d.id}/finalize`, { dagTarballVersion: version });
      }
      const seen: string[] = [];
      for (;;) {
        const d = await call('GET', '');
        const v = versions[d.dagTarballVersion] ?? d.dagTarballVersion;
        if (seen.at(-1) !== v) seen.push(v);
        if (d.status === 'HEALTHY') break;
        expect(d.status).toBe('DEPLOYING');
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen).toEqual(order);
    },
  );
});
