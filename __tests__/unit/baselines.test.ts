import type { Deploy } from '../../src/astro/types.js';
import { liveDeploys } from '../../src/baselines.js';

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
  expect(live.newest?.git?.commitSha).toBe('c2');
  expect(live.bundle).toBeUndefined();
});

test('bundle deploys are matched by mount path and never count as DAG deploys', () => {
  const history = [
    deploy('DAG_ONLY', 'DEPLOYED', 'b1', { bundleMountPath: '/m/a' }),
    deploy('DAG_ONLY', 'DEPLOYED', 'b2', { bundleMountPath: '/m/b' }),
  ];
  const live = liveDeploys(history, { mountPath: '/m/a', bundleType: 'dbt' });
  expect(live.bundle?.git?.commitSha).toBe('b1');
  expect(live.newest?.git?.commitSha).toBe('b1');
  expect(live.dags).toBeUndefined();
});

test('empty history has nothing live', () => {
  expect(liveDeploys([])).toEqual({
    image: undefined,
    dags: undefined,
    bundle: undefined,
    newest: undefined,
  });
});
