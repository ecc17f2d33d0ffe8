import {
  apiTypeOf,
  apiTypeIsBundle,
  apiTypeShipsDags,
  apiTypeShipsImage,
  DEPLOY_KINDS,
  KINDS,
  buildsImage,
  inputExcludesImage,
  inputIsBundle,
  kindOfInput,
  shipsDagFolder,
  type DeployKind,
} from '../../src/decide/kinds.js';

describe('the deploy kinds table', () => {
  const rows: {
    kind: DeployKind;
    image: boolean;
    bundle: boolean;
    apiType: string;
    dagsWithDagDeploy: boolean;
    dagsWithout: boolean;
  }[] = [
    {
      kind: 'dags-only',
      image: false,
      bundle: false,
      apiType: 'DAG_ONLY',
      dagsWithDagDeploy: true,
      dagsWithout: true,
    },
    {
      kind: 'image-and-dags',
      image: true,
      bundle: false,
      apiType: 'IMAGE_AND_DAG',
      dagsWithDagDeploy: true,
      dagsWithout: false,
    },
    {
      kind: 'image-only',
      image: true,
      bundle: false,
      apiType: 'IMAGE_ONLY',
      dagsWithDagDeploy: false,
      dagsWithout: false,
    },
    {
      kind: 'dbt',
      image: false,
      bundle: true,
      apiType: 'BUNDLE',
      dagsWithDagDeploy: false,
      dagsWithout: false,
    },
    {
      kind: 'non-dags',
      image: false,
      bundle: true,
      apiType: 'BUNDLE',
      dagsWithDagDeploy: false,
      dagsWithout: false,
    },
  ];

  it('has one row per kind', () => {
    expect([...DEPLOY_KINDS].sort()).toEqual(rows.map((r) => r.kind).sort());
  });

  it.each(rows)('$kind', (r) => {
    expect(buildsImage(r.kind)).toBe(r.image);
    expect(KINDS[r.kind].bundle).toBe(r.bundle);
    expect(inputIsBundle(r.kind)).toBe(r.bundle);
    expect(inputExcludesImage(r.kind)).toBe(!r.image);
    expect(KINDS[r.kind].apiType).toBe(r.apiType);
    expect(shipsDagFolder(r.kind, true)).toBe(r.dagsWithDagDeploy);
    expect(shipsDagFolder(r.kind, false)).toBe(r.dagsWithout);
    expect(kindOfInput(r.kind)).toBe(r.kind);
  });

  it('reads infer as a kind that may build an image, and neither a bundle nor image-free', () => {
    expect(kindOfInput('infer')).toBe('image-and-dags');
    expect(inputIsBundle('infer')).toBe(false);
    expect(inputExcludesImage('infer')).toBe(false);
  });

  it.each([
    { type: 'IMAGE_AND_DAG', image: true, dags: true, bundle: false },
    { type: 'IMAGE_ONLY', image: true, dags: false, bundle: false },
    { type: 'DAG_ONLY', image: false, dags: true, bundle: false },
    { type: 'BUNDLE', image: false, dags: false, bundle: true },
  ] as const)('a deploy of API type $type', ({ type, image, dags, bundle }) => {
    expect(apiTypeShipsImage(type)).toBe(image);
    expect(apiTypeShipsDags(type)).toBe(dags);
    expect(apiTypeIsBundle(type)).toBe(bundle);
  });
});

// Remote Execution: every image deploy is IMAGE_AND_DAG (taken on any Deployment without DAG
// deploys); the other kinds keep their type (and are refused before they are created).
test.each<[DeployKind, string, string]>([
  ['image-and-dags', 'IMAGE_AND_DAG', 'IMAGE_AND_DAG'],
  ['image-only', 'IMAGE_ONLY', 'IMAGE_AND_DAG'],
  ['dags-only', 'DAG_ONLY', 'DAG_ONLY'],
  ['dbt', 'BUNDLE', 'BUNDLE'],
  ['non-dags', 'BUNDLE', 'BUNDLE'],
])('apiTypeOf(%s): %s, on Remote Execution %s', (kind, usual, remote) => {
  expect(apiTypeOf(kind, false)).toBe(usual);
  expect(apiTypeOf(kind, true)).toBe(remote);
});
