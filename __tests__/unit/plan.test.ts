import { decide, PlanError, staleReason, type PlanInput } from '../../src/decide/plan.js';

const base: PlanInput = {
  deployType: 'infer',
  skipUnchanged: true,
  dagDeployEnabled: true,
  imageChanges: [],
  dagChanges: [],
  dagChangesSinceImage: [],
};

// [name, overrides, expected kind, a word the reason must contain]
const rows: [string, Partial<PlanInput>, string, string][] = [
  [
    'no baseline at all → full deploy',
    { imageChanges: undefined, dagChanges: undefined },
    'image-and-dags',
    'no baseline',
  ],
  [
    'image paths changed',
    { imageChanges: ['Dockerfile'], dagChanges: ['dags/a.py'] },
    'image-and-dags',
    '1 image path',
  ],
  ['only DAGs changed', { dagChanges: ['dags/a.py', 'dags/b.py'] }, 'dags-only', '2 DAG paths'],
  ['nothing relevant changed', {}, 'none', 'nothing relevant'],
  [
    'image baseline but no DAG deploy yet',
    { dagChanges: undefined },
    'dags-only',
    'no DAG deploy is known to be live',
  ],
  [
    'DAG deploys disabled, DAGs changed',
    { dagDeployEnabled: false, dagChangesSinceImage: ['dags/a.py'] },
    'image-and-dags',
    'DAG deploys disabled',
  ],
  [
    'DAG deploys disabled, nothing changed',
    { dagDeployEnabled: false },
    'none',
    'nothing relevant',
  ],
  ['image-name set', { imageName: 'my:img' }, 'image-and-dags', 'image-name'],
  ['skip-unchanged false', { skipUnchanged: false }, 'image-and-dags', 'skip-unchanged'],
  [
    'newer commit live',
    { newerLive: 'a'.repeat(40), dagChanges: ['dags/a.py'] },
    'none',
    'newer commit',
  ],
  [
    'newer commit live, but the branch was moved back to HEAD: a rollback decides from changes',
    { newerLive: 'a'.repeat(40), branchMovedBack: true, dagChanges: ['dags/a.py'] },
    'dags-only',
    '1 DAG path',
  ],
  [
    'newer commit maybe on its way (an image deploy made after the live one while DEPLOYING)',
    { newerLive: 'a'.repeat(40), newerMaybe: true, dagChanges: ['dags/a.py'] },
    'none',
    'may be on its way',
  ],
  [
    'newer commit maybe on its way, but the branch was moved back to HEAD',
    { newerLive: 'a'.repeat(40), newerMaybe: true, branchMovedBack: true, dagChanges: ['d.py'] },
    'dags-only',
    '1 DAG path',
  ],
  [
    'newer commit live beats skip-unchanged false and image-name',
    { newerLive: 'a'.repeat(40), skipUnchanged: false, imageName: 'my:img' },
    'none',
    'newer commit',
  ],
  [
    'dags-only: DAGs changed',
    { deployType: 'dags-only', dagChanges: ['dags/x.py'] },
    'dags-only',
    '1 DAG path',
  ],
  [
    'dags-only: image changes only',
    { deployType: 'dags-only', imageChanges: ['requirements.txt'] },
    'none',
    'no DAG path',
  ],
  [
    'dags-only: no DAG baseline',
    { deployType: 'dags-only', dagChanges: undefined },
    'dags-only',
    'whole DAG folder',
  ],
  [
    'dags-only: skip-unchanged false',
    { deployType: 'dags-only', skipUnchanged: false },
    'dags-only',
    'skip-unchanged',
  ],
  [
    'image-and-dags: DAG change',
    { deployType: 'image-and-dags', dagChanges: ['dags/a.py'] },
    'image-and-dags',
    'DAG path',
  ],
  [
    'image-and-dags: image change',
    { deployType: 'image-and-dags', imageChanges: ['Dockerfile'] },
    'image-and-dags',
    'image path',
  ],
  ['image-and-dags: nothing', { deployType: 'image-and-dags' }, 'none', 'no image or DAG'],
  [
    'image-and-dags: no baseline',
    { deployType: 'image-and-dags', imageChanges: undefined },
    'image-and-dags',
    'no image deploy is known to be live',
  ],
  [
    'image-only: image change',
    { deployType: 'image-only', imageChanges: ['packages.txt'] },
    'image-only',
    'image path',
  ],
  [
    'image-only: DAG-only change',
    { deployType: 'image-only', dagChanges: ['dags/a.py'] },
    'none',
    'would not ship',
  ],
  ['image-only: nothing', { deployType: 'image-only' }, 'none', 'no image path'],
  [
    'image-only: no baseline',
    { deployType: 'image-only', imageChanges: undefined },
    'image-only',
    'no image deploy is known to be live',
  ],
  [
    'dbt: bundle changed',
    { deployType: 'dbt', bundleChanges: ['dbt/models/a.sql'] },
    'dbt',
    '1 bundle path',
  ],
  ['dbt: nothing', { deployType: 'dbt', bundleChanges: [] }, 'none', 'no dbt bundle path'],
  [
    'dbt: no baseline',
    { deployType: 'dbt', bundleChanges: undefined },
    'dbt',
    'no dbt bundle deploy is known to be live',
  ],
  [
    'no baseline: the reason says why (no commit recorded)',
    {
      imageChanges: undefined,
      dagChanges: undefined,
      unknown: { image: 'the live image deploy d1 has no commit recorded' },
    },
    'image-and-dags',
    '(the live image deploy d1 has no commit recorded), so the whole project is deployed',
  ],
  [
    'no baseline: the reason says why (a commit that cannot be fetched)',
    {
      imageChanges: undefined,
      dagChanges: undefined,
      unknown: { image: 'the live image commit abc cannot be fetched from this repository' },
    },
    'image-and-dags',
    'cannot be fetched',
  ],
  [
    'image known, DAGs not: the whole DAG folder, and why',
    {
      dagChanges: undefined,
      unknown: { dags: "no successful DAG deploy in the Deployment's history" },
    },
    'dags-only',
    "(no successful DAG deploy in the Deployment's history), so the whole DAG folder is deployed",
  ],
  [
    'image-and-dags, DAGs unknown: image and the whole DAG folder',
    { deployType: 'image-and-dags', dagChanges: undefined },
    'image-and-dags',
    'whole DAG folder',
  ],
  [
    'non-dags: no baseline, and why',
    {
      deployType: 'non-dags',
      bundleChanges: undefined,
      unknown: { bundle: 'the live bundle deploy d9 has no commit recorded' },
    },
    'non-dags',
    'the live bundle deploy d9 has no commit recorded',
  ],
  [
    'non-dags: changed',
    { deployType: 'non-dags', bundleChanges: ['x'] },
    'non-dags',
    'bundle path',
  ],
  [
    'non-dags: skip-unchanged false',
    { deployType: 'non-dags', bundleChanges: [], skipUnchanged: false },
    'non-dags',
    'skip-unchanged',
  ],
];

// Remote Execution Deployments: DAG deploys off, DAGs from the agents' own bundles, never Astro.
const re: Partial<PlanInput> = {
  remoteExecution: true,
  dagDeployEnabled: false,
  dagChanges: undefined,
};
const AGENTS = "its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro";
const remoteRows: [string, Partial<PlanInput>, string, string][] = [
  [
    'infer: only DAGs changed → nothing, and why',
    { ...re, dagChangesSinceImage: ['dags/a.py'] },
    'none',
    AGENTS,
  ],
  ['infer: nothing changed', re, 'none', 'nothing relevant'],
  [
    'infer: an image path changed → an image deploy',
    { ...re, imageChanges: ['requirements.txt'], dagChangesSinceImage: ['dags/a.py'] },
    'image-and-dags',
    '1 image path',
  ],
  [
    'infer: no image baseline → the image',
    { ...re, imageChanges: undefined, dagChangesSinceImage: undefined },
    'image-and-dags',
    'no baseline',
  ],
  [
    'image-and-dags: only DAGs changed → nothing, and why',
    { ...re, deployType: 'image-and-dags', dagChangesSinceImage: ['dags/a.py', 'dags/b.py'] },
    'none',
    AGENTS,
  ],
  [
    'image-only is allowed (the exception to "needs DAG deploys"): image changed',
    { ...re, deployType: 'image-only', imageChanges: ['Dockerfile'] },
    'image-only',
    '1 image path',
  ],
  [
    'image-only: only DAGs changed → nothing, and why',
    { ...re, deployType: 'image-only', dagChangesSinceImage: ['dags/a.py'] },
    'none',
    AGENTS,
  ],
];

describe('decide: Remote Execution', () => {
  test.each(remoteRows)('%s', (_name, overrides, kind, word) => {
    const plan = decide({ ...base, ...overrides });
    expect(plan.kind).toBe(kind);
    expect(plan.reason).toContain(word);
  });

  test.each<[string, Partial<PlanInput>]>([
    ['DAGs changed', { dagChangesSinceImage: ['dags/a.py'] }],
    ['skip-unchanged false', { skipUnchanged: false }],
  ])('dags-only is one clear sentence (%s)', (_name, overrides) => {
    const input = { ...base, ...re, ...overrides, deployType: 'dags-only' } as PlanInput;
    expect(() => decide(input)).toThrow(PlanError);
    expect(() => decide(input)).toThrow(
      /^'deploy-type: dags-only' cannot deploy to a Remote Execution Deployment: its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro; .*'deploy-type: image-and-dags'/,
    );
  });
});

describe('decide', () => {
  test.each(rows)('%s', (_name, overrides, kind, word) => {
    const plan = decide({ ...base, ...overrides });
    expect(plan.kind).toBe(kind);
    expect(plan.reason).toContain(word);
  });

  test('dags-only on a Deployment without DAG deploys is an error that says what to do', () => {
    expect(() => decide({ ...base, deployType: 'dags-only', dagDeployEnabled: false })).toThrow(
      PlanError,
    );
    expect(() => decide({ ...base, deployType: 'dags-only', dagDeployEnabled: false })).toThrow(
      /enable DAG deploys/,
    );
  });

  // Bundles (dbt, non-dags) ride on DAG deploys: the plan refuses them where there are none, so
  // a dry run says what the real run's preflight would (it said "would deploy dbt").
  test.each<[string, Partial<PlanInput>, RegExp]>([
    [
      'dbt, DAG deploys off',
      { deployType: 'dbt', dagDeployEnabled: false },
      /^Bundle deploys need DAG deploys enabled on wh \(d9\); enable them/,
    ],
    [
      'non-dags, Remote Execution',
      { deployType: 'non-dags', dagDeployEnabled: false, remoteExecution: true },
      /^Bundle deploys cannot go to wh \(d9\), a Remote Execution Deployment/,
    ],
  ])('%s: refused by the plan, naming the Deployment', (_n, over, message) => {
    const input = { ...base, ...over, target: { name: 'wh', id: 'd9' } };
    expect(() => decide(input)).toThrow(PlanError);
    expect(() => decide(input)).toThrow(message);
  });

  test('dbt with DAG deploys on is not refused', () => {
    expect(() => decide({ ...base, deployType: 'dbt', dagDeployEnabled: true })).not.toThrow();
  });

  // Astro: with DAG deploys disabled, image-only deploys do not work (docs, and the CLI refuses).
  test.each<[string, Partial<PlanInput>]>([
    ['image changed', { imageChanges: ['Dockerfile'] }],
    ['nothing changed', {}],
    ['no baseline', { imageChanges: undefined, dagChanges: undefined }],
    ['skip-unchanged false', { skipUnchanged: false }],
    ['image-name set', { imageName: 'my:img' }],
    ['a newer commit is live', { newerLive: 'a'.repeat(40) }],
  ])(
    'image-only on a Deployment without DAG deploys is refused (%s), naming image-and-dags',
    (_name, overrides) => {
      const input = { ...base, ...overrides, deployType: 'image-only', dagDeployEnabled: false };
      expect(() => decide(input as PlanInput)).toThrow(PlanError);
      expect(() => decide(input as PlanInput)).toThrow(
        /^'deploy-type: image-only' needs DAG deploys, .*use 'deploy-type: image-and-dags'/,
      );
    },
  );

  test('only a newer live commit marks the plan stale (a skip for any other reason is not)', () => {
    expect(decide({ ...base, newerLive: 'a'.repeat(40) }).stale).toBe(true);
    expect(decide({ ...base, dagChanges: [] }).stale).toBeUndefined();
    expect(
      decide({ ...base, newerLive: 'a'.repeat(40), branchMovedBack: true }).stale,
    ).toBeUndefined();
  });

  test('every kind of plan carries a reason sentence', () => {
    for (const [, overrides] of rows) {
      expect(decide({ ...base, ...overrides }).reason.length).toBeGreaterThan(10);
    }
  });
});

// The stale guard just before the finalize: its sentence says whether the newer commit is
// finalized (live or rolling out) or only maybe on its way.
test.each<[string, Parameters<typeof staleReason>[0], RegExp | undefined]>([
  ['nothing newer', {}, undefined],
  [
    'newer finalized',
    { newerLive: 'a'.repeat(40) },
    /^a later run deployed a newer commit a{12} while this run was deploying, so this older commit's deploy was not finalized/,
  ],
  [
    'newer maybe on its way',
    { newerLive: 'a'.repeat(40), newerMaybe: true },
    /^a later run's deploy of a newer commit a{12} may be on its way \(the Deployment is DEPLOYING.*\), so this older commit's deploy was not finalized/,
  ],
  [
    'branch moved back',
    { newerLive: 'a'.repeat(40), newerMaybe: true, branchMovedBack: true },
    undefined,
  ],
])('staleReason before the finalize: %s', (_name, input, expected) => {
  const reason = staleReason(input, true);
  if (expected) expect(reason).toMatch(expected);
  else expect(reason).toBeUndefined();
});
