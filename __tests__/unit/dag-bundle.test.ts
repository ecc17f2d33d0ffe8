// Named DAG bundles in the decision: which Deployments can take one, the missing-bundle
// sentence, and which deploy is a bundle's baseline (the one whose version the bundle runs).
import type { DagBundle, Deploy, Deployment } from '../../src/astro/types.js';
import { liveDeploys } from '../../src/decide/baselines.js';
import {
  findNamedBundle,
  namedBundleTargetRefusal,
  withNamedBundle,
} from '../../src/decide/dag-bundle.js';

let n = 0;
function deploy(
  type: Deploy['type'],
  status: Deploy['status'],
  commit: string,
  dagTarballVersion?: string,
): Deploy {
  n++;
  return {
    id: `d${n}`,
    deploymentId: 'dep',
    type,
    status,
    imageRepository: 'r',
    imageTag: `t${n}`,
    isDagDeployEnabled: true,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    git: { provider: 'GENERIC', commitSha: commit },
    ...(dagTarballVersion ? { dagTarballVersion } : {}),
  };
}

const target = (fields: Partial<Deployment> = {}) =>
  ({
    id: 'dep',
    name: 'analytics',
    astroRuntimeVersion: '3.0-7',
    airflowVersion: '3.0.1',
    isDagDeployEnabled: true,
    ...fields,
  }) as Deployment;

const bundleOf = (name: string, currentVersion?: string, desiredVersion?: string): DagBundle => ({
  id: `b-${name}`,
  type: 'DEPLOY',
  isDagBundle: true,
  name,
  currentVersion,
  desiredVersion: desiredVersion ?? currentVersion,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

test.each<[string, Partial<Deployment>, string | undefined]>([
  ['Airflow 3 with DAG deploys', {}, undefined],
  [
    'Airflow 2',
    { astroRuntimeVersion: '12.9.0', airflowVersion: '2.10.5' },
    "Input 'dag-bundle-name' ('reporting') needs an Airflow 3 Deployment, but analytics runs Airflow 2 (Astro Runtime 12.9.0), which has no DAG bundles; upgrade it to Airflow 3 or remove 'dag-bundle-name'.",
  ],
  [
    'an unreadable Runtime: the Airflow version decides',
    { astroRuntimeVersion: 'custom', airflowVersion: '3.1.0' },
    undefined,
  ],
  [
    'DAG deploys off',
    { isDagDeployEnabled: false },
    "Input 'dag-bundle-name' ('reporting') needs DAG deploys, which analytics has disabled; enable DAG deploys on it or remove 'dag-bundle-name'.",
  ],
  [
    // DAG deploys cannot be turned on there: the sentence must not advise it.
    'Remote Execution',
    { isDagDeployEnabled: false, remoteExecution: { enabled: true } },
    "Input 'dag-bundle-name' ('reporting') names an Astro DAG bundle, but analytics is a Remote Execution Deployment: its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro; update the agents' DAG bundles, and remove 'dag-bundle-name' to deploy its image.",
  ],
])('target: %s', (_, fields, refusal) => {
  expect(namedBundleTargetRefusal(target(fields), 'reporting')).toBe(refusal);
});

test('a missing bundle is named with the DAG bundles that exist (non-DAG bundles left out)', () => {
  const bundles = [
    bundleOf('main'),
    bundleOf('reporting'),
    { ...bundleOf('dbt'), isDagBundle: false },
  ];
  expect(findNamedBundle(target(), 'reporting', bundles)).toBe(bundles[1]);
  expect(findNamedBundle(target(), 'reports', bundles)).toBe(
    "analytics has no DAG bundle named 'reports' (its DAG bundles: 'main', 'reporting'); create it on the Deployment first or set 'dag-bundle-name' to one of those.",
  );
  expect(findNamedBundle(target(), 'x', [])).toContain('(its DAG bundles: none)');
});

describe('the baseline of a named bundle', () => {
  // History: an image deploy (default bundle v0), DAGs to the default bundle (v1), then DAGs to
  // the named bundle (v2, then v3), and an image deploy whose DAGs went to the default (v4).
  const history = [
    deploy('IMAGE_AND_DAG', 'DEPLOYED', 'c0', 'v0'),
    deploy('DAG_ONLY', 'DEPLOYED', 'c1', 'v1'),
    deploy('DAG_ONLY', 'DEPLOYED', 'c2', 'v2'),
    deploy('DAG_ONLY', 'DEPLOYED', 'c3', 'v3'),
    deploy('DAG_ONLY', 'INITIALIZED', 'c5'),
    deploy('IMAGE_AND_DAG', 'DEPLOYED', 'c4', 'v4'),
    deploy('DAG_ONLY', 'INITIALIZED', 'c6', 'v6'), // finalized, still rolling out
  ];
  const running = { imageTag: history[5].imageTag, dagTarballVersion: 'v4' };
  const commit = (d?: Deploy) => d?.git?.commitSha;

  test.each<[string, DagBundle, string | undefined, string[]]>([
    ['the deploy whose version the bundle runs', bundleOf('reporting', 'v2'), 'c2', ['c4', 'c2']],
    [
      'while rolling out: the running one; the stale guard also sees the coming one',
      bundleOf('reporting', 'v2', 'v3'),
      'c2',
      ['c4', 'c3', 'c2'],
    ],
    [
      'while rolling out a deploy still INITIALIZED (Astro may mark it DEPLOYED at rollout end): the guard sees it by its version',
      bundleOf('reporting', 'v2', 'v6'),
      'c2',
      ['c6', 'c4', 'c2'],
    ],
    ['never deployed to: none (everything deploys)', bundleOf('reporting'), undefined, ['c4']],
    [
      'a version no deploy in the history carries: none',
      bundleOf('reporting', 'v9'),
      undefined,
      ['c4'],
    ],
  ])('%s', (_, bundle, dags, current) => {
    const live = withNamedBundle(liveDeploys(history, {}, running), history, bundle);
    expect(commit(live.dags)).toBe(dags);
    expect(commit(live.image)).toBe('c4');
    expect(live.current.map(commit)).toEqual(current);
  });

  test('without a named bundle the default bundle is what the Deployment runs (unchanged)', () => {
    expect(commit(liveDeploys(history, {}, running).dags)).toBe('c4');
  });
});
