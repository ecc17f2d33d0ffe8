// An api-url without its version segment (`http://127.0.0.1:PORT`, as a newcomer copies it
// from the emulator's host and port) reaches the host, not the API: the bundled action must
// say that api-url is wrong, not that the Deployment does not exist.
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { runAction } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

let emu: Emulator;
let repo: TestRepo;
let sha: string;
let checkout: string;
let analytics: string;

beforeAll(async () => {
  emu = await startEmulator({ createDelayMs: 10, rolloutDelayMs: 10 });
  analytics = emu.deployments.find((d) => d.name === 'analytics')!.id;
  repo = new TestRepo();
  sha = repo.commit(astroProject(), 'Initial project');
  repo.push();
  checkout = repo.checkout(sha);
});
afterAll(async () => {
  await emu.close();
  repo.cleanup();
});

const origin = () => emu.url.replace(/\/v1$/, '');

test.each([
  ['the api-url input without /v1', 'api-url', () => origin(), () => `${origin()}/v1`],
  [
    'the api-url input with a trailing slash only',
    'api-url',
    () => `${origin()}/`,
    () => `${origin()}/v1`,
  ],
  ['ASTRO_API_URL without /v1', 'ASTRO_API_URL', () => origin(), () => `${origin()}/v1`],
  ['api-url with an older version', 'api-url', () => `${origin()}/v1beta1`, () => `${origin()}/v1`],
])('%s: the error names %s and the URL to use', async (_name, where, given, fixed) => {
  emu.state.clearRequests();
  const viaInput = where === 'api-url';
  const r = await runAction({
    inputs: {
      'deployment-id': analytics,
      'deploy-type': 'dags-only',
      ...(viaInput ? { 'api-url': given() } : {}),
    },
    token: emu.token,
    apiUrl: viaInput ? emu.url : given(),
    workspace: checkout,
    eventName: 'push',
    event: { ref: 'refs/heads/main' },
    sha,
    serverUrl: repo.serverUrl,
  });
  expect(r.code).toBe(1);
  const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
  expect(errors).toHaveLength(1);
  const text = decodeURIComponent(errors[0].replace(/^::error[^:]*::/, ''));
  expect(text).toContain(`${where} "${given().replace(/\/+$/, '')}" does not end in /v1`);
  expect(text).toContain(`set it to ${fixed()}`);
  expect(text).not.toMatch(/not found/i);
  // Refused before any request: nothing reached the emulator.
  expect(emu.state.requests).toEqual([]);
});
