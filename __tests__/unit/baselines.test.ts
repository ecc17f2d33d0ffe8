import type { Deploy } from '../../src/astro/types.js';
import { liveDeploys, type Running } from '../../src/decide/baselines.js';

let n = 0;
function deploy(
  type: Deploy['type'],
  status: Deploy['status'],
  commit: string,
  extra: Partial<Deploy> = {},
): Deploy {
  n++;
  return {
    id: `d${n}`,
    deploymentId: 'dep',
    type,
    status,
    imageRepository: 'r',
    imageTag: 't',
    isDagDeployEnabled: true,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    git: { provider: 'GENERIC', commitSha: commit },
    ...extra,
  };
}

test('newest DEPLOYED per kind; FAILED and INITIALIZED never count; order of input does not matter', () => {
  const history = [
    deploy('IMAGE_AND_DAG', 'DEPLOYED', 'c1'),
    deploy('DAG_ONLY', 'DEPLOYED', 'c2'),
    deploy('IMAGE_ONLY', 'FAILED', 'c3'),
    deploy('DAG_ONLY', 'INITIALIZED', 'c4'),
    deploy('DAG_ONLY', 'DEPLOYED', 'c5', { bundleMountPath: '/usr/local/airflow/dbt/x' }),
  ].reverse();
  const live = liveDeploys(history);
  expect(live.image?.git?.commitSha).toBe('c1');
  expect(live.dags?.git?.commitSha).toBe('c2');
  expect(live.current.map((d) => d.git?.commitSha)).toEqual(['c2', 'c1']);
  expect(live.bundle).toBeUndefined();
});

test('bundle deploys are matched by mount path and never count as DAG deploys', () => {
  const history = [
    deploy('DAG_ONLY', 'DEPLOYED', 'b1', { bundleMountPath: '/m/a' }),
    deploy('DAG_ONLY', 'DEPLOYED', 'b2', { bundleMountPath: '/m/b' }),
  ];
  const live = liveDeploys(history, { mountPath: '/m/a', bundleType: 'dbt' });
  expect(live.bundle?.git?.commitSha).toBe('b1');
  expect(live.current.map((d) => d.git?.commitSha)).toEqual(['b1']);
  expect(live.dags).toBeUndefined();
});

test('empty history has nothing live', () => {
  expect(liveDeploys([])).toEqual({
    image: undefined,
    dags: undefined,
    bundle: undefined,
    current: [],
    maybe: [],
  });
});

describe('what is live is what the Deployment runs, not the newest deploy', () => {
  // A (commit a) was created first but finalized last: the Deployment runs A.
  const A = deploy('DAG_ONLY', 'DEPLOYED', 'a', { dagTarballVersion: 'vA' });
  const B = deploy('DAG_ONLY', 'DEPLOYED', 'b', { dagTarballVersion: 'vB' });
  const I1 = deploy('IMAGE_ONLY', 'DEPLOYED', 'i1', { imageTag: 'tag-1' });
  const I2 = deploy('IMAGE_AND_DAG', 'DEPLOYED', 'i2', {
    imageTag: 'tag-2',
    dagTarballVersion: 'v2',
  });
  const history = [A, B, I1, I2];
  test.each<[string, { imageTag?: string; dagTarballVersion?: string }, string, string, string[]]>([
    [
      'runs A and the first image',
      { imageTag: 'tag-1', dagTarballVersion: 'vA' },
      'i1',
      'a',
      ['i2', 'i1', 'b', 'a'],
    ],
    [
      'runs B and the second image',
      { imageTag: 'tag-2', dagTarballVersion: 'vB' },
      'i2',
      'b',
      ['i2', 'b'],
    ],
    [
      'runs the second image and its DAGs',
      { imageTag: 'tag-2', dagTarballVersion: 'v2' },
      'i2',
      'i2',
      ['i2'],
    ],
    [
      'names nothing in the history: the newest finalized of each kind',
      { imageTag: 'other', dagTarballVersion: 'vX' },
      'i2',
      'i2',
      ['i2'],
    ],
    ['says nothing: the newest finalized of each kind', {}, 'i2', 'i2', ['i2']],
  ])('the Deployment %s', (_name, running, image, dags, current) => {
    const live = liveDeploys(history, {}, running);
    expect(live.image?.git?.commitSha).toBe(image);
    expect(live.dags?.git?.commitSha).toBe(dags);
    // the stale guard looks at what is live and at what was finalized after it
    expect(live.current.map((d) => d.git?.commitSha)).toEqual(current);
  });

  test('a bundle is live when its current version is its own; the last one finalized wins', () => {
    const bundleDeploy = (
      commit: string,
      version: string,
      current: string | undefined,
      at: number,
    ) =>
      deploy('DAG_ONLY', 'DEPLOYED', commit, {
        bundleMountPath: '/m',
        updatedAt: new Date(Date.UTC(2026, 1, 1, 0, at)).toISOString(),
        bundles: [
          {
            bundleType: 'dbt',
            deployId: 'x',
            mountPath: '/m',
            desiredVersion: version,
            currentVersion: current,
          },
        ],
      });
    const older = bundleDeploy('old', 'v1', 'v1', 9); // created first, finalized last
    const newer = bundleDeploy('new', 'v2', 'v2', 5);
    const pending = bundleDeploy('pending', 'v3', undefined, 1);
    const live = liveDeploys([older, newer, pending], { mountPath: '/m', bundleType: 'dbt' });
    expect(live.bundle?.git?.commitSha).toBe('old');
    expect(live.current.map((d) => d.git?.commitSha)).toEqual(['pending', 'new', 'old']);
  });
});

describe('the stale guard sees a newer deploy finalized but still INITIALIZED (Astro may mark it DEPLOYED only when its rollout ends)', () => {
  // L is live; N (commit n) was made after it and finalized, but may still show INITIALIZED.
  const L = deploy('IMAGE_AND_DAG', 'DEPLOYED', 'l', {
    imageTag: 'tag-l',
    dagTarballVersion: 'vL',
  });
  const running = { imageTag: 'tag-l', dagTarballVersion: 'vL' };
  test.each<
    [string, Deploy['type'], Deploy['status'], Partial<Deploy>, Running, string[], string[]]
  >([
    [
      'DEPLOYED (status at finalize)',
      'DAG_ONLY',
      'DEPLOYED',
      { dagTarballVersion: 'vN' },
      {},
      ['n', 'l'],
      [],
    ],
    [
      'DAG deploy: its own dagTarballVersion (set by the finalize)',
      'DAG_ONLY',
      'INITIALIZED',
      { dagTarballVersion: 'vN' },
      {},
      ['n', 'l'],
      [],
    ],
    [
      'image-and-dags: its own dagTarballVersion',
      'IMAGE_AND_DAG',
      'INITIALIZED',
      { imageTag: 'tag-n', dagTarballVersion: 'vN' },
      {},
      ['n', 'l'],
      [],
    ],
    [
      'the Deployment rolls its DAGs out (desiredDagTarballVersion)',
      'DAG_ONLY',
      'INITIALIZED',
      {},
      { desiredDagTarballVersion: 'vN' },
      ['l'],
      [],
    ],
    [
      'image-only, tag shown at finalize: the Deployment imageTag is its own',
      'IMAGE_ONLY',
      'INITIALIZED',
      { imageTag: 'tag-n' },
      { imageTag: 'tag-n', status: 'DEPLOYING' },
      ['n', 'l'],
      [],
    ],
    [
      'image-only, tag at rollout end, DEPLOYING: maybe on its way',
      'IMAGE_ONLY',
      'INITIALIZED',
      { imageTag: 'tag-n' },
      { status: 'DEPLOYING' },
      ['l'],
      ['n'],
    ],
    [
      'image-only, tag at rollout end, HEALTHY: not finalized (a run still shipping)',
      'IMAGE_ONLY',
      'INITIALIZED',
      { imageTag: 'tag-n' },
      { status: 'HEALTHY' },
      ['l'],
      [],
    ],
    [
      'DAG deploy with no version, DEPLOYING: not finalized (only image deploys are guessed at)',
      'DAG_ONLY',
      'INITIALIZED',
      {},
      { status: 'DEPLOYING' },
      ['l'],
      [],
    ],
    [
      'FAILED, DEPLOYING: never',
      'IMAGE_ONLY',
      'FAILED',
      { imageTag: 'tag-n', dagTarballVersion: 'vN' },
      { status: 'DEPLOYING' },
      ['l'],
      [],
    ],
  ])('%s', (_name, type, status, extra, more, current, maybe) => {
    const N = deploy(type, status, 'n', extra);
    const live = liveDeploys([N, L], {}, { ...running, ...more });
    expect(live.image?.git?.commitSha).toBe('l');
    expect(live.current.map((d) => d.git?.commitSha)).toEqual(current);
    expect(live.maybe.map((d) => d.git?.commitSha)).toEqual(maybe);
  });
});
