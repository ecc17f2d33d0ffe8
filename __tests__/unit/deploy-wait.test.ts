// Pure polling logic of waitUntilLive and wakeDeployment with a scripted fake of the two or
// three API calls they make and a fake clock (sleep advances time at once). The behaviour
// against the real emulator is in __tests__/integration/deploy-execute.test.ts.
import type { AstroApi, Deploy, Deployment, HibernationOverride } from '../../src/astro/types.js';
import { recordingLog } from '../../src/platform/log.js';
import {
  POLL_FIRST_MS,
  POLL_MAX_MS,
  ROLLOUT_START_GRACE_MS,
  imagesBefore,
  waitUntilLive,
} from '../../src/deploy/wait.js';
import { assertDeployable, restoreOverride, wakeDeployment } from '../../src/deploy/wake.js';
import { fakeClock } from '../support/fake-clock.js';
import { deploymentFixture } from '../support/fixtures.js';

function deployment(over: Partial<Deployment> = {}): Deployment {
  return deploymentFixture({ dagTarballVersion: 'v0', desiredDagTarballVersion: 'v0', ...over });
}

/** getDeployment answers from `states(t)`; the rest records calls. */
function fakeApi(
  states: (t: number) => Partial<Deployment>,
  clock: { now(): number },
  deploy?: (t: number) => Partial<Deploy>,
) {
  const calls: string[] = [];
  const api = {
    organizationId: 'org',
    getDeployment: async () => {
      calls.push('getDeployment');
      return deployment(states(clock.now()));
    },
    getDeploy: async () => {
      calls.push('getDeploy');
      return {
        id: 'd1',
        deploymentId: 'dep1',
        type: 'DAG_ONLY',
        status: 'INITIALIZED',
        ...(deploy?.(clock.now()) ?? {}),
      } as Deploy;
    },
    setHibernationOverride: async (_id: string, body: HibernationOverride) => {
      calls.push(`set ${JSON.stringify(body)}`);
      return body;
    },
    deleteHibernationOverride: async () => {
      calls.push('delete');
    },
  } as unknown as AstroApi;
  return { api, calls };
}

/** waitUntilLive on dep1 with a recording log; each test names what differs. */
type WaitArgs = Parameters<typeof waitUntilLive>[0];
function wait(args: Omit<WaitArgs, 'deploymentId' | 'log'> & Partial<WaitArgs>) {
  return waitUntilLive({ deploymentId: 'dep1', log: recordingLog(), ...args });
}

describe('waitUntilLive', () => {
  test('returns once our dagTarballVersion is live and HEALTHY, polling fast then backing off to a cap', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      (t) =>
        t < 20_000
          ? { status: 'DEPLOYING', desiredDagTarballVersion: 'v1' }
          : { dagTarballVersion: 'v1', desiredDagTarballVersion: 'v1' },
      clock,
    );
    const log = recordingLog();
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', dagTarballVersion: 'v1' },
      before: deployment(),
      waitMs: 600_000,
      log,
    });
    expect(r.deployment.dagTarballVersion).toBe('v1');
    expect(r.supersededBy).toBeUndefined();
    expect(clock.sleeps[0]).toBe(POLL_FIRST_MS);
    expect(clock.sleeps[1]).toBeGreaterThan(POLL_FIRST_MS);
    expect(Math.max(...clock.sleeps)).toBe(POLL_MAX_MS);
    // returned within one capped interval of the rollout finishing
    expect(r.elapsedMs - 20_000).toBeLessThanOrEqual(POLL_MAX_MS);
    expect(log.lines.some((l) => l.includes('dagTarballVersion is v0, waiting for v1'))).toBe(true);
  });

  test('times out with the last status and what is pending', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(() => ({ status: 'DEPLOYING', desiredDagTarballVersion: 'v1' }), clock);
    await expect(
      wait({
        api,
        clock,
        target: { deployId: 'd1', dagTarballVersion: 'v1' },
        before: deployment(),
        waitMs: 600_000,
      }),
    ).rejects.toThrow(
      'prod is still DEPLOYING after 10m: dagTarballVersion is v0, waiting for v1; raise wait-time or check the Deployment in the Astro UI.',
    );
    expect(clock.now()).toBe(600_000);
  });

  test('an image deploy waits for the imageTag', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      (t) => (t < 3000 ? { status: 'DEPLOYING' } : { imageTag: 'deploy-2' }),
      clock,
    );
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', imageTag: 'deploy-2' },
      before: deployment(),
      waitMs: 60_000,
    });
    expect(r.deployment.imageTag).toBe('deploy-2');
  });

  test('UNHEALTHY once our version is live fails clearly', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      () => ({
        status: 'UNHEALTHY',
        statusReason: 'scheduler crash',
        dagTarballVersion: 'v1',
        desiredDagTarballVersion: 'v1',
      }),
      clock,
    );
    await expect(
      wait({
        api,
        clock,
        target: { deployId: 'd1', dagTarballVersion: 'v1' },
        waitMs: 60_000,
      }),
    ).rejects.toThrow(/live on prod but the Deployment is UNHEALTHY \(scheduler crash\)/);
  });

  test('a deploy that FAILED stops the wait', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      () => ({ status: 'DEPLOYING' }),
      clock,
      () => ({ status: 'FAILED' }),
    );
    await expect(
      wait({
        api,
        clock,
        target: { deployId: 'd1', bundle: { version: 'b1', mountPath: '/m' } },
        waitMs: 60_000,
      }),
    ).rejects.toThrow(/Deploy d1 to prod FAILED/);
  });

  test('a newer deploy replacing ours stops the wait without failing', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      (t) =>
        t < 1000
          ? { status: 'DEPLOYING', desiredDagTarballVersion: 'v1' }
          : { status: 'DEPLOYING', desiredDagTarballVersion: 'v2' },
      clock,
    );
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', dagTarballVersion: 'v1' },
      before: deployment(),
      waitMs: 60_000,
    });
    expect(r.supersededBy).toBe('dagTarballVersion v2');
  });

  test('bundles wait for the bundle currentVersion at the mount path', async () => {
    const clock = fakeClock();
    const { api, calls } = fakeApi(
      () => ({}),
      clock,
      (t) => ({
        status: 'DEPLOYED',
        bundles: [
          {
            bundleType: 'dbt',
            deployId: 'd1',
            mountPath: '/m',
            currentVersion: t < 2000 ? 'b0' : 'b1',
            desiredVersion: 'b1',
          },
        ],
      }),
    );
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', bundle: { version: 'b1', mountPath: '/m' } },
      waitMs: 60_000,
    });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(calls.filter((c) => c === 'getDeploy').length).toBeGreaterThan(1);
  });
});

/**
 * An image deploy's rollout as a server may show it: the tag changes at finalize or at the
 * rollout's end; the Deployment turns DEPLOYING `lag` ms after finalize (never, when
 * `hidden`), for `rollout` ms. Before: a rollout of someone else's deploy until `busyUntil`.
 */
interface World {
  tagAt: 'finalize' | 'rollout-end';
  lag: number;
  rollout: number;
  hidden?: boolean;
  busyUntil?: number;
}

function imageWorld(w: World) {
  const end = w.lag + w.rollout;
  return (t: number): Partial<Deployment> => {
    const tag = t >= end || w.tagAt === 'finalize' ? 'deploy-2' : 'deploy-1';
    if (w.busyUntil !== undefined && t < w.busyUntil)
      return { status: 'DEPLOYING', imageTag: tag, imageVersion: tag };
    const rolling = !w.hidden && t >= w.lag && t < end;
    return { status: rolling ? 'DEPLOYING' : 'HEALTHY', imageTag: tag, imageVersion: tag };
  };
}

describe('waitUntilLive: an image deploy is live only once its rollout was seen', () => {
  test.each<[string, World]>([
    ['tag at finalize, DEPLOYING at once', { tagAt: 'finalize', lag: 0, rollout: 20_000 }],
    ['tag at finalize, DEPLOYING after 3s', { tagAt: 'finalize', lag: 3000, rollout: 20_000 }],
    ['tag at finalize, DEPLOYING after 10s', { tagAt: 'finalize', lag: 10_000, rollout: 60_000 }],
    ['tag at rollout end, DEPLOYING at once', { tagAt: 'rollout-end', lag: 0, rollout: 20_000 }],
    [
      'tag at rollout end, DEPLOYING after 10s',
      { tagAt: 'rollout-end', lag: 10_000, rollout: 5000 },
    ],
    [
      'tag at rollout end, rollout shorter than a poll',
      { tagAt: 'rollout-end', lag: 2000, rollout: 100 },
    ],
    [
      'tag at finalize, an earlier rollout under way, ours 4s after it',
      { tagAt: 'finalize', lag: 6000, rollout: 30_000, busyUntil: 2000 },
    ],
  ])('%s: returns after the rollout, within a poll of its end', async (_name, w) => {
    const clock = fakeClock();
    const { api } = fakeApi(imageWorld(w), clock);
    const log = recordingLog();
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', imageTag: 'deploy-2' },
      before: deployment({ status: w.busyUntil ? 'DEPLOYING' : 'HEALTHY' }),
      waitMs: 600_000,
      log,
    });
    const end = w.lag + w.rollout;
    expect(r.deployment.imageTag).toBe('deploy-2');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(end);
    // the rollout's end is visible (DEPLOYING → HEALTHY, or the tag): no grace period spent
    expect(r.elapsedMs - end).toBeLessThanOrEqual(POLL_MAX_MS);
    expect(log.lines).toContain(
      'info: Waiting up to 15s for the rollout of image deploy-2 to start.',
    );
  });

  test('a rollout that never shows: the status is trusted only after the grace period, and the log says so', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      imageWorld({ tagAt: 'finalize', lag: 0, rollout: 0, hidden: true }),
      clock,
    );
    const log = recordingLog();
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', imageTag: 'deploy-2' },
      before: deployment(),
      waitMs: 600_000,
      log,
    });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(ROLLOUT_START_GRACE_MS);
    expect(r.elapsedMs - ROLLOUT_START_GRACE_MS).toBeLessThanOrEqual(POLL_MAX_MS);
    expect(log.lines).toContain(
      "info: No rollout of image deploy-2 was seen in 15s; from now on the Deployment's status is trusted.",
    );
  });

  test('our tag and HEALTHY before the rollout starts is not success: the wait times out saying why', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(imageWorld({ tagAt: 'finalize', lag: 9000, rollout: 60_000 }), clock);
    await expect(
      wait({
        api,
        clock,
        target: { deployId: 'd1', imageTag: 'deploy-2' },
        before: deployment(),
        waitMs: 5000,
      }),
    ).rejects.toThrow(
      'prod is still HEALTHY after 5s: the rollout of image deploy-2 has not been seen to start; raise wait-time or check the Deployment in the Astro UI.',
    );
  });

  // Astro processes deploys one after another, in order (C5): a deploy finalized before ours
  // may put its tag live first (tag at rollout end). That is not a newer deploy replacing ours.
  test.each<[string, string, string | undefined]>([
    ['a tag finalized before ours shows first: waited through', 'deploy-1b', undefined],
    ['a tag finalized after ours shows: ours was replaced', 'deploy-3', 'imageTag deploy-3'],
  ])('%s', async (_name, between, supersededBy) => {
    const clock = fakeClock();
    const { api } = fakeApi(
      (t) =>
        t < 2000
          ? { status: 'DEPLOYING', imageTag: 'deploy-1', imageVersion: 'deploy-1' }
          : t < 4000
            ? { status: 'DEPLOYING', imageTag: between, imageVersion: between }
            : { status: 'HEALTHY', imageTag: 'deploy-2', imageVersion: 'deploy-2' },
      clock,
    );
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', imageTag: 'deploy-2', earlierImageTags: ['deploy-1b'] },
      before: deployment({ imageTag: 'deploy-1', imageVersion: 'deploy-1' }),
      waitMs: 60_000,
    });
    expect(r.supersededBy).toBe(supersededBy);
    if (!supersededBy) {
      expect(r.deployment.imageTag).toBe('deploy-2');
      expect(clock.now()).toBeGreaterThanOrEqual(4000);
    }
  });

  // A deploy created before ours (so listed as earlier) but finalized after it: our tag shows
  // at our finalize (tag at finalize), then theirs replaces it. Ours was replaced; waiting on
  // would only time out.
  test('a listed earlier tag that replaces ours after ours showed: ours was replaced', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      (t) =>
        t < 2000
          ? { status: 'DEPLOYING', imageTag: 'deploy-2', imageVersion: 'deploy-1' }
          : { status: 'DEPLOYING', imageTag: 'deploy-1b', imageVersion: 'deploy-1' },
      clock,
    );
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', imageTag: 'deploy-2', earlierImageTags: ['deploy-1b'] },
      before: deployment({ imageTag: 'deploy-1', imageVersion: 'deploy-1' }),
      waitMs: 60_000,
    });
    expect(r.supersededBy).toBe('imageTag deploy-1b');
    expect(clock.now()).toBeLessThan(10_000);
  });

  test('a DAG deploy is live only when dagTarballVersion and desiredDagTarballVersion are both ours', async () => {
    const clock = fakeClock();
    const { api } = fakeApi(
      (t) =>
        t < 2000
          ? { dagTarballVersion: 'v1', desiredDagTarballVersion: 'v0' }
          : { dagTarballVersion: 'v1', desiredDagTarballVersion: 'v1' },
      clock,
    );
    const r = await wait({
      api,
      clock,
      target: { deployId: 'd1', dagTarballVersion: 'v1' },
      waitMs: 60_000,
    });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(2000);
  });
});

describe('imagesBefore: the tags that may show before ours', () => {
  // A deploy as the list read just before our finalize shows it.
  const dep = (id: string, createdAt: string, over: Partial<Deploy> = {}): Deploy =>
    ({
      id,
      deploymentId: 'prod',
      type: 'IMAGE_AND_DAG',
      status: 'DEPLOYED',
      imageTag: `tag-${id}`,
      createdAt,
      ...over,
    }) as Deploy;
  const T = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s)).toISOString();

  test.each<[string, Deploy[], string[]]>([
    [
      // A newer commit's run created its deploy first; ours came later, but theirs was
      // finalized before ours: theirs rolls out first.
      'a deploy created after ours but finalized before it',
      [dep('ours', T(20), { status: 'INITIALIZED' }), dep('later', T(30)), dep('live', T(0))],
      ['tag-later'],
    ],
    [
      'deploys finalized before the one that was live have run already',
      [dep('ours', T(20), { status: 'INITIALIZED' }), dep('live', T(10)), dep('old', T(0))],
      [],
    ],
    [
      'an old deploy not finalized yet may finalize just before ours',
      [
        dep('ours', T(20), { status: 'INITIALIZED' }),
        dep('live', T(10)),
        dep('slow', T(0), { status: 'INITIALIZED' }),
      ],
      ['tag-slow'],
    ],
    [
      'failed deploys and DAG-only deploys show no tag',
      [
        dep('ours', T(20), { status: 'INITIALIZED' }),
        dep('failed', T(15), { status: 'FAILED' }),
        dep('dags', T(14), { type: 'DAG_ONLY', imageTag: '' }),
        dep('live', T(10)),
      ],
      [],
    ],
    [
      // As strings '…:20Z' sorts after '…:20.500Z'; as times it is earlier.
      'times with and without fractions of a second are ordered as times',
      [
        dep('ours', '2026-11-30T12:00:40Z', { status: 'INITIALIZED' }),
        dep('live', '2026-11-30T12:00:20.500Z'),
        dep('before-live', '2026-11-30T12:00:20Z'),
      ],
      [],
    ],
  ])('%s', (_name, deploys, tags) => {
    expect(imagesBefore(deploys, 'ours', 'tag-live')).toEqual(tags);
  });
});

describe('wake', () => {
  const hibernating = (override?: HibernationOverride) =>
    deployment({
      status: 'HIBERNATING',
      isDevelopmentMode: true,
      scalingSpec: override ? { hibernationSpec: { override } } : undefined,
      scalingStatus: { hibernationStatus: { isHibernating: true } },
    });

  test('without wake-on-deploy a hibernating Deployment is refused with a hint', () => {
    expect(() => assertDeployable(hibernating(), false)).toThrow(
      /hibernating.*wake-on-deploy: true/,
    );
    expect(() => assertDeployable(hibernating(), true)).not.toThrow();
    expect(() => assertDeployable(deployment(), false)).not.toThrow();
  });

  test('wakes, waits for HEALTHY, and removes its override when there was none', async () => {
    const clock = fakeClock();
    const { api, calls } = fakeApi(
      (t) => (t < 1500 ? { status: 'HIBERNATING' } : { status: 'HEALTHY' }),
      clock,
    );
    const w = await wakeDeployment({
      api,
      deployment: hibernating(),
      waitMs: 60_000,
      log: recordingLog(),
      clock,
    });
    expect(w.deployment.status).toBe('HEALTHY');
    expect(calls[0]).toMatch(/^set \{"isHibernating":false,"overrideUntil":"[0-9T:-]+Z"\}$/);
    expect(await w.restore()).toBeUndefined();
    expect(calls[calls.length - 1]).toBe('delete');
  });

  test('puts an earlier override back exactly', async () => {
    const clock = fakeClock();
    const earlier = { isActive: true, isHibernating: true, overrideUntil: '2099-01-02T03:04:05Z' };
    const { api, calls } = fakeApi(() => ({ status: 'HEALTHY' }), clock);
    const w = await wakeDeployment({
      api,
      deployment: hibernating(earlier),
      waitMs: 60_000,
      log: recordingLog(),
      clock,
    });
    await w.restore();
    expect(calls[calls.length - 1]).toBe(
      'set {"isHibernating":true,"overrideUntil":"2099-01-02T03:04:05Z"}',
    );
  });

  test('a Deployment that does not wake in time fails, and the override is restored', async () => {
    const clock = fakeClock();
    const { api, calls } = fakeApi(() => ({ status: 'HIBERNATING' }), clock);
    await expect(
      wakeDeployment({
        api,
        deployment: hibernating(),
        waitMs: 30_000,
        log: recordingLog(),
        clock,
      }),
    ).rejects.toThrow(/Woke prod, but it is still HIBERNATING after 30s/);
    expect(calls[calls.length - 1]).toBe('delete');
  });
});

describe('restoreOverride (after the deploy, on a signal, and in the post step)', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const ours = { isHibernating: false, overrideUntil: '2026-06-01T03:00:00Z' };
  const earlier = { isHibernating: true, overrideUntil: '2026-06-02T00:00:00Z' };
  const expired = { isHibernating: true, overrideUntil: '2026-05-31T00:00:00Z' };
  const someoneElse = { isHibernating: false, overrideUntil: '2026-07-01T00:00:00Z' };
  test.each<[string, HibernationOverride | undefined, HibernationOverride | undefined, string]>([
    ['ours in place, no earlier one: ours is removed', ours, undefined, 'delete'],
    [
      'ours in place (same instant, other spelling), an earlier one: it is put back',
      { isActive: true, isHibernating: false, overrideUntil: '2026-06-01T03:00:00.000Z' },
      earlier,
      `set ${JSON.stringify(earlier)}`,
    ],
    ['ours in place, the earlier one expired: ours is removed', ours, expired, 'delete'],
    [
      'none in place (ours expired), an earlier one: it is put back',
      undefined,
      earlier,
      `set ${JSON.stringify(earlier)}`,
    ],
    ['the earlier one already back: nothing', { isActive: true, ...earlier }, earlier, 'none'],
    ["someone else's in place: it stays", { isActive: true, ...someoneElse }, earlier, 'none'],
    ["someone else's in place, no earlier one: it stays", someoneElse, undefined, 'none'],
  ])('%s', async (_what, current, previous, expected) => {
    const calls: string[] = [];
    const api = {
      getDeployment: async () =>
        deployment({
          scalingSpec: current ? { hibernationSpec: { override: current } } : undefined,
        }),
      setHibernationOverride: async (_id: string, body: HibernationOverride) => {
        calls.push(`set ${JSON.stringify(body)}`);
        return body;
      },
      deleteHibernationOverride: async () => {
        calls.push('delete');
      },
    } as unknown as AstroApi;
    const problem = await restoreOverride(
      api,
      { deploymentId: 'dep1', name: 'prod', previous, ours },
      recordingLog(),
      () => NOW,
    );
    expect(problem).toBeUndefined();
    expect(calls).toEqual(expected === 'none' ? [] : [expected]);
  });

  test('an API failure is a warning naming when it wakes up on its own, never a throw', async () => {
    const api = {
      getDeployment: async () => {
        throw new Error('503 from the API');
      },
    } as unknown as AstroApi;
    const problem = await restoreOverride(
      api,
      { deploymentId: 'dep1', name: 'prod', ours },
      recordingLog(),
      () => NOW,
    );
    expect(problem).toMatch(
      /^Could not put back the hibernation override of prod: 503 from the API\. It stays awake until 2026-06-01T03:00:00Z/,
    );
  });
});

describe('waitUntilLive for a named DAG bundle', () => {
  /** The bundle list at time t, next to a Deployment whose own DAG versions never change. */
  function bundleApi(bundle: (t: number) => { currentVersion?: string; desiredVersion?: string }) {
    const clock = fakeClock();
    const { api } = fakeApi(() => ({}), clock);
    const at = '2024-01-01T00:00:00Z';
    const listDagBundles: AstroApi['listDagBundles'] = async () => [
      {
        id: 'b1',
        type: 'DEPLOY',
        name: 'main',
        currentVersion: 'v0',
        createdAt: at,
        updatedAt: at,
      },
      {
        id: 'b2',
        type: 'DEPLOY',
        name: 'reporting',
        ...bundle(clock.now()),
        createdAt: at,
        updatedAt: at,
      },
    ];
    Object.assign(api, { listDagBundles });
    return { api, clock };
  }
  const target = { deployId: 'd1', dagBundle: { name: 'reporting', version: 'v7' } };

  test.each<[string, (t: number) => { currentVersion?: string; desiredVersion?: string }]>([
    [
      'the bundle rolls out later',
      (t) =>
        t < 5_000 ? { desiredVersion: 'v7' } : { currentVersion: 'v7', desiredVersion: 'v7' },
    ],
    ['the bundle already runs it', () => ({ currentVersion: 'v7', desiredVersion: 'v7' })],
  ])(
    'live once the bundle runs our version, though the Deployment’s own stays v0: %s',
    async (_, bundle) => {
      const { api, clock } = bundleApi(bundle);
      const log = recordingLog();
      const r = await waitUntilLive({
        api,
        deploymentId: 'dep1',
        target,
        before: deployment(),
        waitMs: 60_000,
        log,
        clock,
      });
      expect(r.supersededBy).toBeUndefined();
      expect(r.deployment.dagTarballVersion).toBe('v0');
      expect(log.lines.join('\n')).toContain(
        "for DAG bundle 'reporting' of the Deployment to run version v7",
      );
    },
  );

  test('times out naming the bundle and its version', async () => {
    const { api, clock } = bundleApi(() => ({ currentVersion: 'v6', desiredVersion: 'v7' }));
    await expect(
      waitUntilLive({
        api,
        deploymentId: 'dep1',
        target,
        before: deployment(),
        waitMs: 60_000,
        log: recordingLog(),
        clock,
      }),
    ).rejects.toThrow("DAG bundle 'reporting' runs v6, waiting for v7");
  });

  // Astro processes deploys one after another (C5): an earlier deploy to the bundle may still
  // be its desiredVersion when we first look. That is not a newer deploy.
  test('a deploy before ours still rolling out is waited through, not taken for a newer one', async () => {
    const { api, clock } = bundleApi((t) =>
      t < 3_000
        ? { currentVersion: 'v5', desiredVersion: 'v6' }
        : t < 6_000
          ? { currentVersion: 'v6', desiredVersion: 'v7' }
          : { currentVersion: 'v7', desiredVersion: 'v7' },
    );
    const r = await waitUntilLive({
      api,
      deploymentId: 'dep1',
      target: { ...target, dagBundle: { ...target.dagBundle, earlier: ['v6', 'v5'] } },
      before: deployment(),
      waitMs: 60_000,
      log: recordingLog(),
      clock,
    });
    expect(r.supersededBy).toBeUndefined();
    expect(clock.now()).toBeGreaterThanOrEqual(6_000);
  });

  test('a newer finalize to the bundle supersedes ours', async () => {
    const { api, clock } = bundleApi(() => ({ currentVersion: 'v6', desiredVersion: 'v8' }));
    const r = await waitUntilLive({
      api,
      deploymentId: 'dep1',
      target,
      before: deployment(),
      waitMs: 60_000,
      log: recordingLog(),
      clock,
    });
    expect(r.supersededBy).toBe("DAG bundle 'reporting' version v8");
  });
});
