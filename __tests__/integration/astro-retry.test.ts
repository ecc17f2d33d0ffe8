// The client's retry rules against injected faults. Sleeps are recorded, never waited.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAstroClient, type AstroClientOptions } from '../../src/astro/client.js';
import { AstroApiError } from '../../src/astro/errors.js';
import { uploadBlob } from '../../src/astro/upload.js';
import { recordingLog } from '../../src/platform/log.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
let dir: string;
let slept: number[];
let log: ReturnType<typeof recordingLog>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'astro-retry-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  // DEPLOYED at the finalize here; INITIALIZED until the rollout ends: the describe at the end.
  emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 20, deployStatusAt: 'finalize' });
  slept = [];
  log = recordingLog();
});
afterEach(async () => {
  await emu.close();
});

const client = (extra: Partial<AstroClientOptions> = {}) =>
  createAstroClient({
    baseUrl: emu.url,
    token: emu.token,
    log,
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    ...extra,
  });
const id = (name: string) => emu.deployments.find((d) => d.name === name)!.id;
const calls = (method: string, suffix: string) =>
  emu.state.requests.filter((r) => r.method === method && r.path.endsWith(suffix));

describe('reads', () => {
  it.each(['500', '502', '503', '504', 'reset'] as const)(
    'a GET is retried after %s',
    async (kind) => {
      const api = await client();
      emu.setFaults({ rate: 1, kinds: [kind], limit: 2 });
      const dep = await api.getDeployment(id('analytics'));
      expect(dep.name).toBe('analytics');
      const failed = kind === 'reset' ? 0 : Number(kind);
      expect(calls('GET', id('analytics')).map((r) => r.status)).toEqual([failed, failed, 200]);
      expect(slept).toEqual([250, 500]);
      expect(log.lines[0]).toMatch(
        new RegExp(
          `^info: retrying GET /organizations/\\w+/deployments/\\w+ after ${kind === 'reset' ? 'UND_ERR_SOCKET|ECONNRESET|\\w+' : '\\d+'} \\(attempt 2 of 6, in 250 ms\\)$`,
        ),
      );
    },
  );

  it('honours Retry-After on 429', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, kinds: ['429'], retryAfterSeconds: 7, limit: 2 });
    await api.listDeployments();
    expect(slept).toEqual([7000, 7000]);
    expect(log.lines).toEqual([
      expect.stringMatching(/after 429 \(attempt 2 of 6, in 7\.0 s\)$/),
      expect.stringMatching(/after 429 \(attempt 3 of 6, in 7\.0 s\)$/),
    ]);
  });

  it('gives up after the attempt budget in an outage, saying so', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, permanent: true });
    const err = (await api
      .getDeployment(id('analytics'))
      .catch((e: unknown) => e)) as AstroApiError;
    expect(err).toBeInstanceOf(AstroApiError);
    expect(err.message).toMatch(
      /^The Astro API refused GET \/organizations\/\w+\/deployments\/\w+ with 503: injected fault 503 \(request id req\d+\), after 6 attempts\.$/,
    );
    expect(emu.state.requests).toHaveLength(6);
    expect(slept).toEqual([250, 500, 1000, 2000, 4000]);
  });

  it('gives up when the total time budget would pass', async () => {
    let t = 0;
    const api = await client({
      now: () => t,
      sleep: async (ms) => void (slept.push(ms), (t += ms)),
      retry: { maxElapsedMs: 10_000 },
    });
    emu.setFaults({ rate: 1, kinds: ['429'], retryAfterSeconds: 4 });
    await expect(api.listDeploys(id('analytics'))).rejects.toThrow(/with 429/);
    expect(slept).toEqual([4000, 4000]);
  });

  it('times out a slow reply and retries it', async () => {
    const api = await client({ timeoutMs: 150 });
    emu.setFaults({ rate: 1, kinds: ['slow'], slowMs: 1500, limit: 1 });
    const dep = await api.getDeployment(id('warehouse'));
    expect(dep.name).toBe('warehouse');
    expect(log.lines[0]).toMatch(/retrying GET .* after TIMEOUT \(attempt 2 of 6/);
  });

  it('a reply that never comes fails with a clear sentence', async () => {
    const api = await client({ timeoutMs: 100, retry: { attempts: 2 } });
    emu.setFaults({ rate: 1, kinds: ['slow'], slowMs: 5000 });
    const started = Date.now();
    await expect(api.getDeployment(id('warehouse'))).rejects.toThrow(
      /^The Astro API did not answer GET \/organizations\/\w+\/deployments\/\w+ \(no reply within 0\.1 s, after 2 attempts\); check api-url/,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('updates and deletes', () => {
  it('an update is retried after 503 but not after 500', async () => {
    const api = await client();
    const dep = await api.getDeployment(id('analytics'));
    const body = {
      type: 'STANDARD' as const,
      name: dep.name,
      workspaceId: dep.workspaceId,
      executor: dep.executor,
      isCicdEnforced: true,
      isDagDeployEnabled: true,
      isHighAvailability: false,
      schedulerSize: 'SMALL' as const,
      environmentVariables: [],
    };
    emu.setFaults({ rate: 1, kinds: ['503'], limit: 1 });
    expect((await api.updateDeployment(dep.id, body)).isCicdEnforced).toBe(true);
    emu.setFaults({ rate: 1, kinds: ['500'], limit: 1 });
    await expect(api.updateDeployment(dep.id, body)).rejects.toThrow(/with 500/);
    expect(calls('POST', dep.id).map((r) => r.status)).toEqual([503, 200, 500]);
  });

  it('a DELETE whose reply was lost counts as done when the retry finds nothing', async () => {
    const api = await client();
    const made = emu.state.addDeployment({ name: 'to-delete' });
    emu.setFaults({ rate: 1, kinds: ['reset-after'], limit: 1 });
    await api.deleteDeployment(made.id);
    expect(calls('DELETE', made.id).map((r) => r.status)).toEqual([0, 404]);
    expect(emu.state.deployment(made.id)).toBeUndefined();
  });

  it('a DELETE of something absent is still a 404 error', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, kinds: ['429'], limit: 1 });
    await expect(api.deleteDeployment('cgone0000000000000000000')).rejects.toThrow(
      /Deployment cgone0000000000000000000 was not found/,
    );
  });
});

describe('creates', () => {
  const body = () => ({
    name: 'pr-7_analytics',
    workspaceId: emu.workspaceId,
    astroRuntimeVersion: '3.0-7',
  });

  it('createDeployment after a lost reply returns the Deployment the first try made', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, kinds: ['reset-after'], limit: 1, match: (r) => r.method === 'POST' });
    const made = await api.createDeployment(body());
    expect(
      emu.state
        .deployments()
        .filter((d) => d.name === 'pr-7_analytics')
        .map((d) => d.id),
    ).toEqual([made.id]);
    expect(calls('POST', '/deployments')).toHaveLength(1);
    expect(log.lines).toContainEqual(expect.stringContaining('was created by the earlier attempt'));
  });

  it('createDeployment after a refusal that did nothing creates it once', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, kinds: ['503'], limit: 1, match: (r) => r.method === 'POST' });
    await api.createDeployment(body());
    expect(emu.state.deployments().filter((d) => d.name === 'pr-7_analytics')).toHaveLength(1);
    expect(calls('POST', '/deployments').map((r) => r.status)).toEqual([503, 200]);
  });

  it('createDeployment is not retried after a 500', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, kinds: ['500'], limit: 1, match: (r) => r.method === 'POST' });
    await expect(api.createDeployment(body())).rejects.toThrow(/with 500/);
    expect(calls('POST', '/deployments')).toHaveLength(1);
  });

  it('createDeploy is retried; the orphan deploy stays INITIALIZED', async () => {
    const api = await client();
    emu.setFaults({ rate: 1, kinds: ['reset-after'], limit: 1, match: (r) => r.method === 'POST' });
    const deploy = await api.createDeploy(id('analytics'), { type: 'IMAGE_AND_DAG' });
    const all = emu.state.deploys(id('analytics'));
    expect(all).toHaveLength(2);
    expect(all.map((d) => d.status)).toEqual(['INITIALIZED', 'INITIALIZED']);
    expect(all.map((d) => d.id)).toContain(deploy.id);
  });
});

describe('finalize', () => {
  async function prepared() {
    const api = await client();
    const dep = id('analytics');
    const deploy = await api.createDeploy(dep, { type: 'DAG_ONLY' });
    const file = join(dir, 'dags.tar');
    await writeFile(file, Buffer.alloc(1024));
    const version = await uploadBlob({
      url: deploy.dagsUploadUrl!,
      file,
      log,
      sleep: async () => {},
    });
    return { api, dep, deploy, version };
  }

  it('after a lost reply, finds the deploy DEPLOYED and does not finalize again', async () => {
    const { api, dep, deploy, version } = await prepared();
    emu.setFaults({
      rate: 1,
      kinds: ['reset-after'],
      limit: 1,
      match: (r) => r.path.endsWith('/finalize'),
    });
    const done = await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
    expect(done).toMatchObject({ id: deploy.id, status: 'DEPLOYED', dagTarballVersion: version });
    expect(emu.state.deploys(dep).find((d) => d.id === deploy.id)!.finalizeCount).toBe(1);
    expect(calls('POST', '/finalize')).toHaveLength(1);
    expect(log.lines).toContainEqual(
      expect.stringContaining('was finalized by the earlier attempt'),
    );
  });

  it('after a refusal that did nothing, checks and finalizes once', async () => {
    const { api, dep, deploy, version } = await prepared();
    emu.setFaults({
      rate: 1,
      kinds: ['502'],
      limit: 1,
      match: (r) => r.path.endsWith('/finalize'),
    });
    await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
    expect(calls('POST', '/finalize').map((r) => r.status)).toEqual([502, 200]);
    expect(calls('GET', `/deploys/${deploy.id}`)).toHaveLength(1);
    expect(emu.state.deploys(dep).find((d) => d.id === deploy.id)!.finalizeCount).toBe(1);
  });

  it('a first try that lands only after the retry looked: the refusal is checked, not reported', async () => {
    // A proxy in front of the emulator holds the first finalize until the retry's own
    // finalize arrives, then lets the first through first: the retry saw INITIALIZED, and its
    // finalize meets "already finalized". The client must find the deploy DEPLOYED with our
    // version and succeed, having finalized once.
    const { dep, deploy, version } = await prepared();
    const target = new URL(emu.url);
    let held: (() => Promise<void>) | undefined;
    const forward = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) =>
      new Promise<void>((done) => {
        const out = http.request(
          {
            host: target.hostname,
            port: target.port,
            path: req.url,
            method: req.method,
            headers: req.headers,
          },
          (reply) => {
            const chunks: Buffer[] = [];
            reply.on('data', (c) => chunks.push(c));
            reply.on('end', () => {
              if (!res.destroyed) {
                res.writeHead(reply.statusCode ?? 502, reply.headers);
                res.end(Buffer.concat(chunks));
              }
              done();
            });
          },
        );
        out.end(body);
      });
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        if (req.url?.endsWith('/finalize') && !held) {
          held = () => forward(req, body, res); // its caller times out meanwhile
          return;
        }
        if (req.url?.endsWith('/finalize')) await held!();
        await forward(req, body, res);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const port = (proxy.address() as { port: number }).port;
      const api = await client({
        baseUrl: `http://127.0.0.1:${port}${target.pathname}`,
        timeoutMs: 300,
      });
      const done = await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
      expect(done).toMatchObject({ id: deploy.id, status: 'DEPLOYED', dagTarballVersion: version });
      expect(calls('POST', '/finalize').map((r) => r.status)).toEqual([200, 400]);
      expect(emu.state.deploys(dep).find((d) => d.id === deploy.id)!.finalizeCount).toBe(1);
      expect(log.lines).toContainEqual(
        expect.stringContaining('was finalized by the earlier attempt'),
      );
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  // Faults met by the seeds below, by step, to show they exercised every step.
  const faultsSeen: string[] = [];

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])(
    'create → upload → finalize with 30%% faults (seed %i) lands exactly one finalize',
    async (seed) => {
      const api = await client();
      const dep = id('analytics');
      emu.setFaults({
        rate: 0.3,
        seed,
        kinds: ['429', '500', '502', '503', 'reset', 'reset-after'],
        retryAfterSeconds: 1,
      });
      const deploy = await api.createDeploy(dep, {
        type: 'IMAGE_AND_DAG',
        git: { provider: 'GITHUB', commitSha: 'c'.repeat(40), account: 'a', repo: 'r' },
      });
      const file = join(dir, `dags-${seed}.tar`);
      await writeFile(file, Buffer.alloc(4096, seed));
      const version = await uploadBlob({
        url: deploy.dagsUploadUrl!,
        file,
        log,
        sleep: async () => {},
      });
      const done = await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
      expect(done.status).toBe('DEPLOYED');
      const deploys = emu.state.deploys(dep);
      expect(
        deploys.filter((d) => d.finalizeCount > 0).map((d) => [d.id, d.finalizeCount]),
      ).toEqual([[deploy.id, 1]]);
      expect(emu.state.blobs.get(version)!.bytes.equals(Buffer.alloc(4096, seed))).toBe(true);
      for (const r of emu.state.requests.filter((q) => q.fault)) {
        const step = r.path.endsWith('/finalize')
          ? 'finalize'
          : r.path.startsWith('/blobs/')
            ? 'upload'
            : r.method === 'POST'
              ? 'create'
              : 'check';
        faultsSeen.push(`${step} ${r.fault}`);
      }
    },
  );

  it('those seeds met faults at every step, a lost finalize reply among them', () => {
    expect(faultsSeen).toContain('finalize reset-after');
    expect(faultsSeen).toContain('create reset-after');
    expect(faultsSeen.some((f) => f.startsWith('upload '))).toBe(true);
    expect(faultsSeen.some((f) => f.startsWith('check '))).toBe(true);
  });
});

// Astro may keep a finalized deploy INITIALIZED until its rollout ends (the emulator's
// deployStatusAt rollout-end): a finalize whose reply was lost must still count as done.
describe('finalize, the deploy INITIALIZED until its rollout ends', () => {
  beforeEach(async () => {
    await emu.close();
    emu = await startEmulator({
      createDelayMs: 20,
      rolloutDelayMs: 60_000,
      deployStatusAt: 'rollout-end',
    });
  });
  const lostReply = () =>
    emu.setFaults({
      rate: 1,
      kinds: ['reset-after'],
      limit: 1,
      match: (r) => r.path.endsWith('/finalize'),
    });

  it('after a lost reply, takes an INITIALIZED deploy with our dagTarballVersion as finalized', async () => {
    const api = await client();
    const dep = id('analytics');
    const deploy = await api.createDeploy(dep, { type: 'DAG_ONLY' });
    const file = join(dir, 'dags-initialized.tar');
    await writeFile(file, Buffer.alloc(1024));
    const version = await uploadBlob({
      url: deploy.dagsUploadUrl!,
      file,
      log,
      sleep: async () => {},
    });
    lostReply();
    const done = await api.finalizeDeploy(dep, deploy.id, { dagTarballVersion: version });
    expect(done).toMatchObject({
      id: deploy.id,
      status: 'INITIALIZED',
      dagTarballVersion: version,
    });
    expect(calls('POST', '/finalize')).toHaveLength(1);
    expect(emu.state.deploys(dep).find((d) => d.id === deploy.id)!.finalizeCount).toBe(1);
    expect(log.lines).toContainEqual(
      expect.stringContaining('was finalized by the earlier attempt'),
    );
  });

  it('an image-only finalize (no version to look for) whose reply was lost: the refusal of the retry says it took', async () => {
    const api = await client();
    const dep = id('analytics');
    const deploy = await api.createDeploy(dep, { type: 'IMAGE_ONLY' });
    lostReply();
    const done = await api.finalizeDeploy(dep, deploy.id, {});
    expect(done).toMatchObject({ id: deploy.id, status: 'INITIALIZED' });
    // the first reply was lost (0: the connection dropped after the emulator acted)
    expect(calls('POST', '/finalize').map((r) => r.status)).toEqual([0, 400]);
    const record = emu.state.deploys(dep).find((d) => d.id === deploy.id)!;
    expect(record).toMatchObject({ finalizeCount: 1, repeatedFinalizes: 1 });
    expect(log.lines).toContainEqual(
      expect.stringContaining(
        'was finalized by the earlier attempt (Astro refused a second finalize)',
      ),
    );
  });
});
