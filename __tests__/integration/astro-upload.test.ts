// Blob upload against the emulator's blob endpoint: one PUT, blocks, retries, SAS hygiene.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAstroClient } from '../../src/astro/client.js';
import { uploadBlob, UploadError } from '../../src/astro/upload.js';
import { recordingLog, silentLog } from '../../src/platform/log.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';

let emu: Emulator;
let dir: string;
let url: string;
const noWait = { sleep: async () => {} };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'astro-upload-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emu = await startEmulator();
  const api = await createAstroClient({ baseUrl: emu.url, token: emu.token, log: silentLog });
  const deploy = await api.createDeploy(emu.deployments[0].id, { type: 'DAG_ONLY' });
  url = deploy.dagsUploadUrl!;
  emu.state.clearRequests();
});
afterEach(async () => {
  await emu.close();
});

async function file(name: string, bytes: Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

const puts = () => emu.state.requests.filter((r) => r.method === 'PUT');

it('sends a small file in one Put Blob and returns its version id', async () => {
  const bytes = randomBytes(5000);
  const log = recordingLog();
  const version = await uploadBlob({ url, file: await file('small.tar', bytes), log });
  expect(version).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
  expect(emu.state.blobs.get(version)!.bytes.equals(bytes)).toBe(true);
  expect(puts()).toHaveLength(1);
  expect(url).toContain('?sv=');
  expect(log.lines.join('\n')).not.toMatch(/sig=|sv=|\?/);
  expect(log.lines[0]).toMatch(
    /^info: uploading 4\.9 KiB to http:\/\/127\.0\.0\.1:\d+\/blobs\/.+\/dags$/,
  );
});

it('sends an empty file', async () => {
  const version = await uploadBlob({
    url,
    file: await file('empty.tar', Buffer.alloc(0)),
    log: silentLog,
  });
  expect(emu.state.blobs.get(version)!.bytes.length).toBe(0);
});

it('sends a large file in blocks, then the block list', async () => {
  const bytes = randomBytes(10 * 1024 + 3);
  const version = await uploadBlob({
    url,
    file: await file('big.tar', bytes),
    log: silentLog,
    blockSize: 1024,
    singlePutLimit: 4096,
    concurrency: 3,
  });
  expect(emu.state.blobs.get(version)!.bytes.equals(bytes)).toBe(true);
  expect(puts()).toHaveLength(12);
});

it('keeps at most `concurrency` blocks in flight, with equal-length block ids', async () => {
  let inFlight = 0;
  let most = 0;
  const ids = new Set<string>();
  const server = createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams;
    inFlight++;
    most = Math.max(most, inFlight);
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        inFlight--;
        if (q.get('comp') === 'block') ids.add(q.get('blockid')!);
        res.writeHead(201, q.get('comp') === 'blocklist' ? { 'x-ms-version-id': 'v1' } : {});
        res.end();
      }, 20),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const version = await uploadBlob({
      url: `http://127.0.0.1:${port}/c/blob?sv=1&sig=s`,
      file: await file('conc.tar', randomBytes(12 * 1024)),
      log: silentLog,
      blockSize: 1024,
      singlePutLimit: 1,
      concurrency: 3,
    });
    expect(version).toBe('v1');
    expect(most).toBe(3);
    expect(ids.size).toBe(12);
    expect(new Set([...ids].map((id) => id.length)).size).toBe(1);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it('retries blocks through faults', async () => {
  const bytes = randomBytes(20 * 1024);
  emu.setFaults({
    rate: 0.35,
    seed: 3,
    kinds: ['500', '503', 'reset', 'reset-after'],
    match: (r) => r.query.includes('comp=block&'),
  });
  const version = await uploadBlob({
    url,
    file: await file('faulty.tar', bytes),
    log: silentLog,
    blockSize: 2048,
    singlePutLimit: 1,
    concurrency: 4,
    ...noWait,
  });
  expect(emu.state.blobs.get(version)!.bytes.equals(bytes)).toBe(true);
  expect(puts().filter((r) => r.fault).length).toBeGreaterThan(0);
});

it('commits again after the reply to Put Block List was lost', async () => {
  const bytes = randomBytes(5 * 1024);
  emu.setFaults({
    rate: 1,
    kinds: ['reset-after'],
    limit: 1,
    match: (r) => r.query.includes('comp=blocklist'),
  });
  const version = await uploadBlob({
    url,
    file: await file('commit.tar', bytes),
    log: silentLog,
    blockSize: 2048,
    singlePutLimit: 1,
    ...noWait,
  });
  expect(emu.state.blobs.get(version)!.bytes.equals(bytes)).toBe(true);
  expect(puts().map((r) => r.status)).toEqual([201, 201, 201, 0, 201]);
});

it('a refused upload says where and why, without the signature', async () => {
  const bad = url.replace(/sig=[^&]+/, 'sig=forged');
  const err = (await uploadBlob({
    url: bad,
    file: await file('x.tar', Buffer.alloc(10)),
    log: silentLog,
  }).catch((e: unknown) => e)) as UploadError;
  expect(err).toBeInstanceOf(UploadError);
  expect(err.status).toBe(403);
  expect(err.message).toMatch(
    /^upload to http:\/\/127\.0\.0\.1:\d+\/blobs\/\S+\/dags failed with 403 \(AuthenticationFailed\)$/,
  );
  expect(err.message).not.toContain('forged');
});

it('gives up after the attempt budget when the store is down', async () => {
  emu.setFaults({ rate: 1, permanent: true });
  await expect(
    uploadBlob({
      url,
      file: await file('down.tar', Buffer.alloc(10)),
      log: silentLog,
      retry: { attempts: 3 },
      ...noWait,
    }),
  ).rejects.toThrow(/failed with 503 \(ServerBusy\), after 3 attempts$/);
  expect(puts()).toHaveLength(3);
});
