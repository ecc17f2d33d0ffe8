import { parse } from 'yaml';
import { SettingsError, loadSettings, readSettings } from '../../src/inputs/settings.js';
import { resolveMode } from '../../src/inputs/mode.js';
import { parseTrigger } from '../../src/inputs/trigger.js';

const env = {
  ASTRO_API_TOKEN: 'tok',
  ASTRO_API_URL: 'http://127.0.0.1:1/v1',
  GITHUB_WORKSPACE: '/ws',
};
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';

function problems(inputs: Record<string, string>, e: NodeJS.ProcessEnv = env): string[] {
  try {
    readSettings(reader(inputs), e, { parseYaml: parse });
  } catch (err) {
    if (err instanceof SettingsError) return err.problems;
    throw err;
  }
  return [];
}

test('action: cleanup-previews is accepted, with dry-run', () => {
  const s = readSettings(
    reader({ 'deployment-id': 'd1', action: 'cleanup-previews', 'dry-run': 'true' }),
    env,
  );
  expect(s).toMatchObject({ action: 'cleanup-previews', dryRun: true });
});

test('defaults match the interface', () => {
  const s = readSettings(reader({ 'deployment-id': 'd1' }), env);
  expect(s).toMatchObject({
    action: 'deploy',
    deployType: 'infer',
    rootFolder: '',
    dagsPath: 'dags',
    parse: false,
    pytest: false,
    pytestFile: 'tests/',
    force: false,
    imageName: undefined,
    copyConnections: true,
    copyVariables: true,
    copyPools: true,
    wakeOnDeploy: false,
    waitMs: 600_000,
    skipUnchanged: true,
    checkout: true,
    checkoutSubmodules: false,
    dryRun: false,
    prComment: false,
    githubDeployments: true,
    apiUrl: 'http://127.0.0.1:1/v1',
    token: 'tok',
  });
});

test.each([
  [
    { 'deployment-id': 'a', 'deployment-name': 'b' },
    "Only one of 'deployment-id' or 'deployment-name'",
  ],
  [{}, "Set 'deployment-id' or 'deployment-name'"],
  [
    { 'deployment-id': 'a', action: 'ship' },
    "Input 'action' is 'ship'; use one of: deploy, create-deployment-preview, delete-deployment-preview, deploy-deployment-preview, preview, rollback, cleanup-previews.",
  ],
  [
    { 'deployment-id': 'a', 'deploy-type': 'dags' },
    "Input 'deploy-type' is 'dags'; use one of: infer, dags-only, image-and-dags, image-only, dbt, non-dags.",
  ],
  [
    { 'deployment-id': 'a', 'root-folder': '../elsewhere' },
    "Input 'root-folder' ('../elsewhere') points outside the repository",
  ],
  [
    { 'deployment-id': 'a', 'wait-time': 'ten minutes' },
    "Input 'wait-time' ('ten minutes') is not a duration",
  ],
  [{ 'deployment-id': 'a', parse: 'maybe' }, "Input 'parse' must be true or false, not 'maybe'."],
  [
    { 'deployment-id': 'a', 'github-deployments': 'sometimes' },
    "Input 'github-deployments' must be true or false, not 'sometimes'.",
  ],
  [
    { 'deployment-id': 'a', 'deploy-type': 'non-dags' },
    "'deploy-type: non-dags' needs 'mount-path'",
  ],
  [
    { 'deployment-id': 'a', 'deploy-type': 'dags-only', 'deploy-image': 'true' },
    "'deploy-image: true' asks for an image deploy, but 'deploy-type' is 'dags-only'; set only one of them.",
  ],
  [
    { 'deployment-id': 'a', 'deploy-type': 'non-dags', 'mount-path': '/usr/local/airflow/cfg' },
    "'deploy-type: non-dags' needs 'bundle-type': a label for the bundle",
  ],
  [{ 'deployment-id': 'a', 'build-secrets': 'src=x.txt' }, "without 'id='"],
  [{ 'deployment-id': 'a', 'preview-overrides': '- a\n- b' }, "Input 'preview-overrides'"],
  [
    { 'deployment-id': 'a', 'checkout-submodules': 'deep' },
    "'checkout-submodules' must be true, false or recursive",
  ],
  [
    { 'deployment-id': 'a', 'no-dags-base-dir': 'true', 'image-name': 'my-image:1' },
    "Input 'no-dags-base-dir' changes the DAG tarball, which 'image-name' does not ship; remove one of them.",
  ],
  [
    {
      'deployment-id': 'a',
      'no-dags-base-dir': 'true',
      'deploy-type': 'non-dags',
      'mount-path': '/usr/local/airflow/cfg',
      'bundle-type': 'config',
    },
    "Input 'no-dags-base-dir' changes the DAG tarball, which 'deploy-type: non-dags' does not ship; remove one of them.",
  ],
  [
    { 'deployment-id': 'a', 'sparse-checkout': 'astro\n*.py' },
    "Input 'sparse-checkout' has '*.py', which is not a folder inside the repository",
  ],
  [
    { 'deployment-id': 'a', 'sparse-checkout': '../up' },
    "Input 'sparse-checkout' has '../up', which is not a folder inside the repository",
  ],
  [
    { 'deployment-id': 'a', 'root-folder': 'astro', 'sparse-checkout': 'libs, docs' },
    "Input 'sparse-checkout' leaves root-folder 'astro' out of the clone, so there would be nothing to deploy; add 'astro' (or a folder holding it) to it.",
  ],
  [
    { 'deployment-id': 'a', 'dags-path': 'src/pipelines', 'sparse-checkout': 'src/other' },
    "Input 'sparse-checkout' leaves the DAG folder 'src/pipelines' out of the clone",
  ],
])('%j → %s', (inputs, message) => {
  const p = problems(inputs);
  expect(p.some((line) => line.includes(message))).toBe(true);
});

test('all problems are found in one run', () => {
  const p = problems({ action: 'x', 'deploy-type': 'y', 'wait-time': 'z' }, {});
  expect(p.length).toBeGreaterThanOrEqual(5); // action, deploy-type, id/name, wait-time, token
  expect(p.some((l) => l.startsWith('ASTRO_API_TOKEN is not set'))).toBe(true);
});

test('a fork pull request may lack the token; its other inputs are still checked', () => {
  const noToken = { ...env, ASTRO_API_TOKEN: '' };
  const s = readSettings(reader({ 'deployment-id': 'd1' }), noToken, { tokenOptional: true });
  expect(s.token).toBe('');
  expect(() =>
    readSettings(reader({ 'deployment-id': 'd1', parse: 'maybe' }), noToken, {
      tokenOptional: true,
    }),
  ).toThrow(/Input 'parse' must be true or false/);
});

test.each([
  ['x', 'x'],
  ['./x', 'x'],
  ['x/', 'x'],
  ['/x', 'x'],
])('root-folder %j is the folder %j', (given, folder) => {
  expect(readSettings(reader({ 'deployment-id': 'a', 'root-folder': given }), env).rootFolder).toBe(
    folder,
  );
});

test('compatibility inputs: deploy-image means image-and-dags; others give notices', () => {
  const s = readSettings(
    reader({ 'deployment-id': 'a', 'deploy-image': 'true', 'cli-version': '1.30.0' }),
    env,
  );
  expect(s.deployType).toBe('image-and-dags');
  expect(s.notices.join('\n')).toMatch(/cli-version.*no effect/);
  expect(s.notices).toContain("'deploy-image: true' is read as 'deploy-type: image-and-dags'.");
  const same = readSettings(
    reader({ 'deployment-id': 'a', 'deploy-image': 'true', 'deploy-type': 'image-only' }),
    env,
  );
  expect(same.deployType).toBe('image-only');
  expect(same.notices).toContain("'deploy-image: true' adds nothing to 'deploy-type: image-only'.");
});

test.each<[string, Record<string, string>, string[]]>([
  ['none', {}, []],
  ['newlines', { 'sparse-checkout': 'astro\nlibs/common\n' }, ['astro', 'libs/common']],
  ['commas', { 'sparse-checkout': 'astro, libs/common' }, ['astro', 'libs/common']],
  [
    'both, with ./ and trailing /',
    { 'sparse-checkout': './astro/,\n libs/common/ ' },
    ['astro', 'libs/common'],
  ],
  [
    'a parent of root-folder',
    { 'root-folder': 'services/astro', 'sparse-checkout': 'services' },
    ['services'],
  ],
])('sparse-checkout %s → %j', (_name, inputs, folders) => {
  const s = readSettings(reader({ 'deployment-id': 'a', 'root-folder': 'astro', ...inputs }), env);
  expect(s.sparseCheckout).toEqual(folders);
  expect(s.notices.join('\n')).not.toMatch(/sparse-checkout/);
});

test('no-dags-base-dir alone, or with an image deploy type, is accepted', () => {
  for (const deployType of ['infer', 'dags-only', 'image-and-dags']) {
    const s = readSettings(
      reader({ 'deployment-id': 'a', 'no-dags-base-dir': 'true', 'deploy-type': deployType }),
      env,
    );
    expect(s.noDagsBaseDir).toBe(true);
  }
});

test('build secrets and trigger paths are split per line / comma', () => {
  const s = readSettings(
    reader({
      'deployment-id': 'a',
      'build-secrets': 'id=a,src=a.txt\nsrc=b.txt,id=b',
      'image-trigger-paths': 'shared/**, lib\nx',
    }),
    env,
  );
  expect(s.buildSecrets).toEqual(['id=a,src=a.txt', 'src=b.txt,id=b']);
  expect(s.imageTriggerPaths).toEqual(['shared/**', 'lib', 'x']);
});

describe('action: preview follows the event', () => {
  const pr = (action: string) =>
    parseTrigger(
      'pull_request',
      { action, number: 1, pull_request: { head: { ref: 'f' }, base: { ref: 'main' } } },
      {},
    );
  test.each([
    ['opened', 'deploy-deployment-preview'],
    ['reopened', 'deploy-deployment-preview'],
    ['synchronize', 'deploy-deployment-preview'],
    ['ready_for_review', 'deploy-deployment-preview'],
    ['closed', 'delete-deployment-preview'],
  ])('pull_request %s → %s', (action, mode) => {
    expect(resolveMode('preview', pr(action))).toBe(mode);
  });
  test('branch create and delete', () => {
    expect(
      resolveMode('preview', parseTrigger('create', { ref: 'f', ref_type: 'branch' }, {})),
    ).toBe('create-deployment-preview');
    expect(
      resolveMode('preview', parseTrigger('delete', { ref: 'f', ref_type: 'branch' }, {})),
    ).toBe('delete-deployment-preview');
  });
  test('other events are a clear error', () => {
    expect(() => resolveMode('preview', parseTrigger('schedule', {}, {}))).toThrow(
      /follows pull_request events and branch create\/delete events/,
    );
    expect(() => resolveMode('preview', pr('labeled'))).toThrow(
      /does nothing for pull_request 'labeled'/,
    );
  });
  test('explicit modes pass through', () => {
    expect(resolveMode('deploy', parseTrigger('schedule', {}, {}))).toBe('deploy');
  });
});

test('a token saved with a "Bearer " prefix is used bare (the registry login needs it so)', () => {
  for (const raw of ['Bearer tok', '  bearer   tok ', 'tok']) {
    const s = readSettings(reader({ 'deployment-id': 'd1' }), { ...env, ASTRO_API_TOKEN: raw });
    expect(s.token).toBe('tok');
  }
  expect(
    problems({ 'deployment-id': 'd1' }, { ...env, ASTRO_API_TOKEN: 'Bearer ' }).some((l) =>
      l.startsWith('ASTRO_API_TOKEN is not set'),
    ),
  ).toBe(true);
});

test('a malformed api-url names the input, a malformed ASTRO_API_URL names the variable', () => {
  expect(problems({ 'deployment-id': 'd1', 'api-url': 'ftp://x' })).toEqual([
    'Input \'api-url\': api-url "ftp://x" must start with https:// (or http:// for a local emulator).',
  ]);
  expect(problems({ 'deployment-id': 'd1' }, { ...env, ASTRO_API_URL: 'not a url' })).toEqual([
    'ASTRO_API_URL "not a url" is not a URL; give the full base URL, e.g. https://api.astronomer.io/v1.',
  ]);
});

describe('dag-bundle-name', () => {
  test.each<[string, Record<string, string>]>([
    ['infer', {}],
    ['dags-only', { 'deploy-type': 'dags-only' }],
    ['image-and-dags', { 'deploy-type': 'image-and-dags' }],
  ])('is taken (trimmed) with deploy-type %s, and gives no notice', (_, more) => {
    const s = readSettings(
      reader({ 'deployment-id': 'a', 'dag-bundle-name': '  reporting \n', ...more }),
      env,
    );
    expect(s.dagBundleName).toBe('reporting');
    expect(s.notices.join('\n')).not.toMatch(/dag-bundle-name/);
  });

  test('unset: the default bundle', () => {
    expect(readSettings(reader({ 'deployment-id': 'a' }), env).dagBundleName).toBeUndefined();
  });

  test.each<[Record<string, string>, string]>([
    [
      { 'deploy-type': 'image-only' },
      "Input 'dag-bundle-name' ('reporting') deploys DAGs to a named DAG bundle, but 'deploy-type: image-only' deploys no DAGs; remove one of them.",
    ],
    [
      { 'deploy-type': 'dbt' },
      "Input 'dag-bundle-name' ('reporting') deploys DAGs to a named DAG bundle, but 'deploy-type: dbt' deploys a dbt project, not DAGs; remove one of them.",
    ],
    [
      { 'deploy-type': 'non-dags', 'mount-path': '/usr/local/airflow/cfg', 'bundle-type': 'cfg' },
      "Input 'dag-bundle-name' ('reporting') deploys DAGs to a named DAG bundle, but 'deploy-type: non-dags' deploys a non-DAG bundle, not DAGs; remove one of them.",
    ],
    [
      { 'image-name': 'my-image:1' },
      "Input 'dag-bundle-name' ('reporting') deploys DAGs, but 'image-name' deploys only an image; remove one of them.",
    ],
  ])('is refused with %j', (more, message) => {
    expect(problems({ 'deployment-id': 'a', 'dag-bundle-name': 'reporting', ...more })).toContain(
      message,
    );
  });
});

describe('rollback-to', () => {
  test.each<[string, Record<string, string>, unknown]>([
    ['default', {}, { kind: 'previous' }],
    ['previous', { 'rollback-to': 'previous' }, { kind: 'previous' }],
    ['a short SHA (lower-cased)', { 'rollback-to': 'ABCDEF1' }, { kind: 'commit', sha: 'abcdef1' }],
    ['a full SHA', { 'rollback-to': 'a'.repeat(40) }, { kind: 'commit', sha: 'a'.repeat(40) }],
    [
      'a deploy id',
      { 'rollback-to': 'clvetru2w000201mowqwua63n' },
      { kind: 'deploy', id: 'clvetru2w000201mowqwua63n' },
    ],
  ])('%s', (_name, inputs, expected) => {
    const s = readSettings(reader({ 'deployment-id': 'd1', action: 'rollback', ...inputs }), env);
    expect(s.action).toBe('rollback');
    expect(s.rollbackTo).toEqual(expected);
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'six hex characters',
      { action: 'rollback', 'rollback-to': 'abcdef' },
      "Input 'rollback-to' is 'abcdef', which is neither 'previous', a commit SHA (7 to 40 hex characters) nor an Astro deploy id (such as clvetru2w000201mowqwua63n); use one of those.",
    ],
    [
      'a git revision',
      { action: 'rollback', 'rollback-to': 'HEAD~1' },
      "Input 'rollback-to' is 'HEAD~1', which is neither 'previous', a commit SHA (7 to 40 hex characters) nor an Astro deploy id (such as clvetru2w000201mowqwua63n); use one of those.",
    ],
    [
      'with another action',
      { 'rollback-to': 'abcdef1' },
      "Input 'rollback-to' is only for 'action: rollback', and this run's action is 'deploy'; remove 'rollback-to' or set 'action: rollback'.",
    ],
  ])('%s is refused', (_name, inputs, message) => {
    expect(problems({ 'deployment-id': 'd1', ...inputs })).toEqual([message]);
  });

  test("the runner's default (previous) goes with every action", () => {
    expect(problems({ 'deployment-id': 'd1', 'rollback-to': 'previous' })).toEqual([]);
  });
});

describe('loadSettings: the YAML parser loads only when an input needs it', () => {
  test('preview-overrides set: parsed, and its problems reported like any other input', async () => {
    const s = await loadSettings(
      reader({ 'deployment-id': 'd1', 'preview-overrides': 'schedulerSize: SMALL\n' }),
      env,
    );
    expect(s.previewOverrides).toEqual({ schedulerSize: 'SMALL' });
    await expect(
      loadSettings(reader({ 'deployment-id': 'd1', 'preview-overrides': '- a\n- b' }), env),
    ).rejects.toThrow(/Input 'preview-overrides': preview-overrides must be a YAML or JSON map/);
  });

  test('no preview-overrides: settings without a parser', async () => {
    const s = await loadSettings(reader({ 'deployment-id': 'd1' }), env);
    expect(s.previewOverrides).toEqual({});
    expect(readSettings(reader({ 'deployment-id': 'd1' }), env).previewOverrides).toEqual({});
  });

  test('readSettings given preview-overrides but no parser says so (a wiring mistake)', () => {
    expect(() =>
      readSettings(reader({ 'deployment-id': 'd1', 'preview-overrides': 'a: 1' }), env),
    ).toThrow('preview-overrides is set but no YAML parser was given: use loadSettings.');
  });
});
