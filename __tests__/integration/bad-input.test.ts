// The bad-input corpus, through the bundled action against the emulator: every input with a
// wrong value, Deployments that cannot be found or are ambiguous, tokens that cannot serve,
// events `action: preview` cannot follow, and projects that do not fit the deploy type. Each
// case: exit code 1, one `::error::` line whose sentence starts with the expected words, no
// stack trace, and nothing changed through the API (the emulator saw only GETs, or nothing).
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction, type RunResult } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let sha: string;
let analytics: string;
let checkout: string;

beforeAll(async () => {
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  // Two Deployments with one name in the workspace.
  emu.state.addDeployment({ name: 'twins', isDagDeployEnabled: true });
  emu.state.addDeployment({ name: 'twins', isDagDeployEnabled: true });
  repo = new TestRepo();
  repo.commit(
    { ...astroProject(), 'bundle/readme.txt': 'a bundle\n', 'dbt/models/a.sql': 'select 1\n' },
    'Initial project',
  );
  sha = repo.commit({ 'dags/sales.py': 'S = 1\n' }, 'Add the sales DAG');
  repo.push();
  checkout = repo.checkout(sha);
});
afterAll(async () => {
  await emu.close();
  repo.cleanup();
});

interface Case {
  /** Inputs on top of a valid DAG-only deploy to analytics. */
  inputs?: Record<string, string | undefined>;
  /** The token to use: a function of the emulator (default: the workspace token). */
  token?: (e: Emulator) => string;
  eventName?: string;
  event?: Record<string, unknown>;
  /** The error sentence starts with this. */
  starts: string;
  /** …and contains these. */
  contains?: string[];
}

const push = { eventName: 'push', event: { ref: 'refs/heads/main' } };
const pr = (action: string) => ({
  eventName: 'pull_request',
  event: {
    action,
    number: 5,
    pull_request: {
      number: 5,
      head: { ref: 'feature/x', sha: '' },
      base: { ref: 'main', sha: '' },
    },
  },
});

const otherOrg = (e: Emulator) =>
  e.issueToken({ organizationId: e.state.addOrganization('Other Org').id });
const revoked = (e: Emulator) => {
  const t = e.issueToken({ workspaceId: e.workspaceId });
  e.revokeToken(t);
  return t;
};
const forged = (e: Emulator) => e.token.slice(0, -4) + (e.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');

const CASES: [string, Case][] = [
  // enums and booleans
  [
    'action: an unknown mode',
    { inputs: { action: 'ship' }, starts: "Input 'action' is 'ship'; use one of" },
  ],
  [
    'deploy-type: an unknown type',
    { inputs: { 'deploy-type': 'full' }, starts: "Input 'deploy-type' is 'full'; use one of" },
  ],
  [
    'parse: not a boolean',
    { inputs: { parse: 'maybe' }, starts: "Input 'parse' must be true or false, not 'maybe'" },
  ],
  [
    'pytest: not a boolean',
    { inputs: { pytest: '2' }, starts: "Input 'pytest' must be true or false" },
  ],
  [
    'force: not a boolean',
    { inputs: { force: 'yes please' }, starts: "Input 'force' must be true or false" },
  ],
  [
    'wake-on-deploy: not a boolean',
    {
      inputs: { 'wake-on-deploy': 'TRUEISH' },
      starts: "Input 'wake-on-deploy' must be true or false",
    },
  ],
  [
    'dry-run: not a boolean',
    { inputs: { 'dry-run': 'ja' }, starts: "Input 'dry-run' must be true or false" },
  ],
  [
    'skip-unchanged: not a boolean',
    {
      inputs: { 'skip-unchanged': 'sometimes' },
      starts: "Input 'skip-unchanged' must be true or false",
    },
  ],
  [
    'checkout: not a boolean',
    { inputs: { checkout: 'shallow' }, starts: "Input 'checkout' must be true or false" },
  ],
  [
    'copy-connections: not a boolean',
    {
      inputs: { 'copy-connections': 'all' },
      starts: "Input 'copy-connections' must be true or false",
    },
  ],
  [
    'copy-airflow-variables: not a boolean',
    {
      inputs: { 'copy-airflow-variables': 'some' },
      starts: "Input 'copy-airflow-variables' must be true or false",
    },
  ],
  [
    'copy-pools: not a boolean',
    { inputs: { 'copy-pools': 'nope' }, starts: "Input 'copy-pools' must be true or false" },
  ],
  [
    'pr-comment: not a boolean',
    { inputs: { 'pr-comment': 'loud' }, starts: "Input 'pr-comment' must be true or false" },
  ],
  [
    'deploy-image: not a boolean',
    { inputs: { 'deploy-image': 'latest' }, starts: "Input 'deploy-image' must be true or false" },
  ],
  [
    'no-dags-base-dir: not a boolean',
    {
      inputs: { 'no-dags-base-dir': 'flat' },
      starts: "Input 'no-dags-base-dir' must be true or false",
    },
  ],
  [
    'no-dags-base-dir with image-name',
    {
      inputs: { 'no-dags-base-dir': 'true', 'image-name': 'my-image:1' },
      starts: "Input 'no-dags-base-dir' changes the DAG tarball, which 'image-name' does not ship",
    },
  ],
  [
    'sparse-checkout: leaves root-folder out',
    {
      inputs: { 'root-folder': 'astro', 'sparse-checkout': 'web,libs' },
      starts: "Input 'sparse-checkout' leaves root-folder 'astro' out of the clone",
    },
  ],
  [
    'checkout-submodules: not a choice',
    {
      inputs: { 'checkout-submodules': 'deep' },
      starts: "Input 'checkout-submodules' must be true, false or recursive",
    },
  ],
  // paths
  [
    'root-folder: escapes the repository',
    {
      inputs: { 'root-folder': '../outside' },
      starts: "Input 'root-folder' ('../outside') points outside the repository",
    },
  ],
  [
    'root-folder: escapes through a subfolder',
    {
      inputs: { 'root-folder': 'dags/../../..' },
      starts: "Input 'root-folder' ('dags/../../..') points outside the repository",
    },
  ],
  [
    'root-folder: absolute-looking but escaping',
    {
      inputs: { 'root-folder': '/../etc' },
      starts: "Input 'root-folder' ('/../etc') points outside the repository",
    },
  ],
  [
    'dags-path: escapes the project',
    {
      inputs: { 'dags-path': '../../dags' },
      starts: "Input 'dags-path' ('../../dags') must be a folder inside 'root-folder'",
    },
  ],
  [
    'dags-path: a folder that does not exist',
    {
      inputs: { 'dags-path': 'no_such_dags' },
      starts: "Input 'dags-path' is 'no_such_dags', and no_such_dags does not exist in commit ",
      contains: ['set dags-path to the DAG folder'],
    },
  ],
  [
    'mount-path: relative',
    {
      inputs: {
        'deploy-type': 'non-dags',
        'root-folder': 'bundle',
        'mount-path': 'usr/local/x',
        'bundle-type': 'docs',
      },
      starts: "Input 'mount-path' ('usr/local/x') must be an absolute path",
    },
  ],
  [
    'mount-path: missing for non-dags',
    {
      inputs: { 'deploy-type': 'non-dags', 'root-folder': 'bundle', 'bundle-type': 'docs' },
      starts: "'deploy-type: non-dags' needs 'mount-path'",
    },
  ],
  [
    'bundle-type: missing for non-dags',
    {
      inputs: { 'deploy-type': 'non-dags', 'root-folder': 'bundle', 'mount-path': '/usr/local/x' },
      starts: "'deploy-type: non-dags' needs 'bundle-type'",
    },
  ],
  [
    'dbt: no dbt_project.yml',
    {
      inputs: { 'deploy-type': 'dbt', 'root-folder': 'dbt' },
      starts: 'deploy-type dbt needs a dbt project',
      contains: ['no dbt_project.yml'],
    },
  ],
  // durations
  [
    'wait-time: words',
    {
      inputs: { 'wait-time': '10 minutes' },
      starts: "Input 'wait-time' ('10 minutes') is not a duration",
    },
  ],
  [
    'wait-time: an unknown unit',
    { inputs: { 'wait-time': '5x' }, starts: "Input 'wait-time' ('5x') is not a duration" },
  ],
  [
    'wait-time: negative',
    { inputs: { 'wait-time': '-1m' }, starts: "Input 'wait-time' ('-1m') is not a duration" },
  ],
  // YAML
  [
    'preview-overrides: a list, not a map',
    {
      inputs: { action: 'create-deployment-preview', 'preview-overrides': '- a\n- b\n' },
      ...pr('opened'),
      starts: "Input 'preview-overrides':",
    },
  ],
  [
    'preview-overrides: a scalar, not a map',
    {
      inputs: { action: 'create-deployment-preview', 'preview-overrides': 'just words' },
      ...pr('opened'),
      starts: "Input 'preview-overrides':",
    },
  ],
  [
    'preview-overrides: not YAML',
    {
      inputs: { action: 'create-deployment-preview', 'preview-overrides': '{ a: [1, 2' },
      ...pr('opened'),
      starts: "Input 'preview-overrides':",
    },
  ],
  [
    'preview-overrides: an unknown field',
    {
      inputs: {
        action: 'create-deployment-preview',
        'preview-overrides': 'isDevelopmentMode: true\nturboMode: true\n',
      },
      ...pr('opened'),
      starts: "Input 'preview-overrides':",
      contains: ['turboMode'],
    },
  ],
  [
    'preview-overrides: a wrong type',
    {
      inputs: {
        action: 'create-deployment-preview',
        'preview-overrides': 'isHighAvailability: sometimes',
      },
      ...pr('opened'),
      starts: "Input 'preview-overrides':",
      contains: ['isHighAvailability'],
    },
  ],
  [
    'several mistakes at once: each named',
    {
      inputs: { parse: 'maybe', 'wait-time': 'soon' },
      starts: "Input 'wait-time' ('soon') is not a duration",
      contains: ["\nInput 'parse' must be true or false"],
    },
  ],
  // other inputs
  [
    'build-secrets: without id=',
    {
      inputs: { 'build-secrets': 'src=secrets.txt' },
      starts: "Input 'build-secrets' has 'src=secrets.txt…' without 'id='",
    },
  ],
  [
    'image-name with dags-only',
    {
      inputs: { 'image-name': 'my-image:1' },
      starts: "Input 'image-name' deploys an image; it cannot go with 'deploy-type: dags-only'",
    },
  ],
  ['api-url: not a URL', { inputs: { 'api-url': 'not a url' }, starts: "Input 'api-url':" }],
  // Deployments
  [
    'deployment-id and deployment-name both',
    {
      inputs: { 'deployment-name': 'analytics' },
      starts: "Only one of 'deployment-id' or 'deployment-name' may be set",
    },
  ],
  [
    'neither deployment-id nor deployment-name',
    { inputs: { 'deployment-id': undefined }, starts: "Set 'deployment-id' or 'deployment-name'" },
  ],
  [
    'an unknown deployment-id',
    {
      inputs: { 'deployment-id': 'clnotthere000000000000000' },
      starts: 'Deployment clnotthere000000000000000 was not found',
    },
  ],
  [
    'an unknown deployment-name',
    {
      inputs: { 'deployment-id': undefined, 'deployment-name': 'nowhere' },
      starts: "No Deployment named 'nowhere' in workspace",
    },
  ],
  [
    'two Deployments with the name',
    {
      inputs: { 'deployment-id': undefined, 'deployment-name': 'twins' },
      starts: "2 Deployments are named 'twins'",
    },
  ],
  [
    'preview-name: the base name',
    {
      inputs: { action: 'create-deployment-preview', 'preview-name': 'analytics' },
      ...pr('opened'),
      starts: 'The preview name "analytics" is the name of the base Deployment',
    },
  ],
  [
    'preview-name: a name Astro does not take',
    {
      inputs: { action: 'create-deployment-preview', 'preview-name': '_mine' },
      ...pr('opened'),
      starts: 'preview-name "_mine" is not a name Astro accepts',
    },
  ],
  // tokens
  ['token: missing', { token: () => '', starts: 'ASTRO_API_TOKEN is not set' }],
  [
    'token: expired',
    {
      token: (e) => e.issueToken({ workspaceId: e.workspaceId, expired: true }),
      starts: 'ASTRO_API_TOKEN expired on',
    },
  ],
  [
    'token: not a JWT',
    {
      token: () => 'definitely-not-an-astro-token',
      starts: 'ASTRO_API_TOKEN was rejected by the Astro API (401',
    },
  ],
  [
    'token: a forged signature',
    { token: forged, starts: 'ASTRO_API_TOKEN was rejected by the Astro API (401' },
  ],
  [
    'token: revoked',
    { token: revoked, starts: 'ASTRO_API_TOKEN was rejected by the Astro API (401' },
  ],
  [
    'token: of another organization',
    {
      token: otherOrg,
      starts: 'Deployment ',
      contains: ['was not found in organization', 'ASTRO_API_TOKEN belongs to that organization'],
    },
  ],
  [
    'token: of another Deployment',
    {
      token: (e) =>
        e.issueToken({ deploymentId: e.deployments.find((d) => d.name === 'warehouse')!.id }),
      starts: 'ASTRO_API_TOKEN may not read Deployment ',
    },
  ],
  // events action: preview cannot serve
  [
    'action: preview on a push',
    {
      inputs: { action: 'preview' },
      starts: "action 'preview' follows pull_request events and branch create/delete events, not",
    },
  ],
  [
    'action: preview on a labeled pull request',
    {
      inputs: { action: 'preview' },
      ...pr('labeled'),
      starts: "action 'preview' does nothing for pull_request 'labeled' events",
    },
  ],
  [
    'action: preview on a tag create',
    {
      inputs: { action: 'preview' },
      eventName: 'create',
      event: { ref: 'v1.0', ref_type: 'tag' },
      starts: "action 'preview' follows pull_request events",
    },
  ],
  [
    'action: preview on workflow_dispatch',
    {
      inputs: { action: 'preview' },
      eventName: 'workflow_dispatch',
      event: {},
      starts: "action 'preview' follows pull_request events",
    },
  ],
  [
    'create-deployment-preview on a tag push',
    {
      inputs: { action: 'create-deployment-preview' },
      eventName: 'push',
      event: { ref: 'refs/tags/v1' },
      starts: 'The preview actions need a branch',
    },
  ],
];

async function runCase(c: Case): Promise<{ r: RunResult; text: string }> {
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    'deployment-id': analytics,
    'deploy-type': 'dags-only',
    'wait-time': '30s',
    ...c.inputs,
  })) {
    if (v !== undefined) inputs[k] = v;
  }
  const token = c.token ? c.token(emu) : emu.token;
  const ev = c.eventName ? { eventName: c.eventName, event: c.event ?? {} } : push;
  emu.state.clearRequests();
  const r = await runAction({
    inputs,
    token,
    apiUrl: emu.url,
    workspace: checkout,
    eventName: ev.eventName,
    event: ev.event,
    sha,
    serverUrl: repo.serverUrl,
    secrets: [emu.token],
  });
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  const text = lines.map((l) => decodeURIComponent(l.replace(/^::error[^:]*::/, ''))).join('\n');
  return { r, text };
}

test.each(CASES)('%s', async (_name, c) => {
  const { r, text } = await runCase(c);
  expect(r.code).toBe(1);
  expect(r.stdout.split('\n').filter((l) => l.startsWith('::error'))).toHaveLength(1);
  expect(text.slice(0, c.starts.length)).toBe(c.starts);
  for (const part of c.contains ?? []) expect(text).toContain(part);
  // One sentence per problem: no stack trace, no "Error:" prefix, no object dump.
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  expect(text).not.toMatch(/^\w*Error:|\[object |undefined/);
  // Nothing changed through the API.
  expect(emu.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  // Every output is set on failure (issue 14.8): no deploy, and the reason is the sentence.
  expect(r.outputs['deploy-id']).toBe('');
  expect(r.outputs.skipped).toBe('true');
  expect(r.outputs.reason.slice(0, c.starts.length)).toBe(c.starts);
});

test('the corpus changed nothing: no deploy, no new Deployment', () => {
  expect(emu.state.deploys()).toEqual([]);
  expect(
    emu.state
      .deployments()
      .map((d) => d.name)
      .sort(),
  ).toEqual(['analytics', 'sandbox', 'twins', 'twins', 'warehouse']);
});
