// Upload of a tarball to the blob-store URL a deploy hands out (an Azure SAS URL on Astro).
// Small files go up in one Put Blob; large ones in blocks (Put Block, then Put Block List),
// a few at a time, each retried on its own. The file is streamed, never read whole. The
// URL's query is a signature: it never appears in logs or messages.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { Log } from '../platform/log.js';
import { DEFAULT_TIMEOUT_MS, NetworkError, send, withoutQuery, type HttpReply } from './http.js';
import {
  clockOf,
  formatDelay,
  parseRetryAfter,
  policyOf,
  withRetry,
  type RetryTiming,
} from './retry.js';

const MiB = 1024 * 1024;
// A service version that returns x-ms-version-id (blob versioning is on at Astro).
const MS_VERSION = '2023-11-03';

export interface UploadOptions extends RetryTiming {
  url: string;
  file: string;
  log: Log;
  /** Block size for large files. Default 8 MiB. */
  blockSize?: number;
  /** Files up to this size go in one PUT. Default 64 MiB. */
  singlePutLimit?: number;
  /** Blocks in flight at once. Default 4. */
  concurrency?: number;
  contentType?: string;
  /** Per request. Default: 30 s plus 1 s per MiB sent, so slow links can finish a block. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

export class UploadError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Uploads `file` and returns the blob's version id (what finalize wants). */
export async function uploadBlob(options: UploadOptions): Promise<string> {
  const { url, file, log } = options;
  const blockSize = options.blockSize ?? 8 * MiB;
  const singlePutLimit = options.singlePutLimit ?? 64 * MiB;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const clock = clockOf(options);
  const policy = policyOf(options);
  const where = withoutQuery(url);
  const contentType =
    options.contentType ?? (/\.(tgz|gz)$/i.test(file) ? 'application/gzip' : 'application/x-tar');
  const size = (await stat(file)).size;
  const timeoutFor = (bytes: number) =>
    options.timeoutMs ?? DEFAULT_TIMEOUT_MS + Math.ceil(bytes / MiB) * 1000;

  /** One PUT, retried (a PUT replaces: repeating it is harmless). */
  const put = (
    label: string,
    target: string,
    headers: Record<string, string>,
    body: () => Buffer | ReturnType<typeof createReadStream>,
    bytes: number,
  ) =>
    withRetry<HttpReply>({
      label: `PUT ${label}`,
      kind: 'safe',
      policy,
      clock,
      log,
      attempt: async () => {
        let reply: HttpReply;
        try {
          reply = await send({
            url: target,
            method: 'PUT',
            headers: { 'x-ms-version': MS_VERSION, 'content-length': String(bytes), ...headers },
            body: body(),
            timeoutMs: timeoutFor(bytes),
            dispatcher: options.dispatcher,
          });
        } catch (err) {
          if (err instanceof NetworkError)
            throw new UploadError(
              0,
              `upload to ${where} got no reply (${err.message})`,
              undefined,
              err.code,
            );
          throw err;
        }
        if (reply.status === 201 || reply.status === 200) return reply;
        const code = /<Code>([^<]*)<\/Code>/.exec(reply.text)?.[1] ?? reply.text.slice(0, 120);
        throw new UploadError(
          reply.status,
          `upload to ${where} failed with ${reply.status}${code ? ` (${code})` : ''}`,
          parseRetryAfter(reply.headers['retry-after'], clock.now()),
        );
      },
      exhausted: (err, n) =>
        err instanceof UploadError
          ? new UploadError(err.status, `${err.message}, after ${n} attempts`)
          : err,
    });

  const versionOf = (reply: HttpReply): string => {
    const v = reply.headers['x-ms-version-id'];
    const id = (Array.isArray(v) ? v[0] : v)?.trim();
    if (!id)
      throw new UploadError(
        reply.status,
        `upload to ${where} returned no x-ms-version-id; blob versioning must be on for Astro deploys`,
      );
    return id;
  };

  const started = clock.now();
  if (size <= singlePutLimit) {
    log.info(`uploading ${formatSize(size)} to ${where}`);
    const reply = await put(
      where,
      url,
      { 'x-ms-blob-type': 'BlockBlob', 'content-type': contentType },
      () => (size ? createReadStream(file) : Buffer.alloc(0)),
      size,
    );
    const version = versionOf(reply);
    log.info(
      `uploaded ${formatSize(size)} in ${formatDelay(clock.now() - started)} (version ${version})`,
    );
    return version;
  }

  const count = Math.ceil(size / blockSize);
  // Azure wants block ids of equal length within a blob, base64 encoded.
  const ids = Array.from({ length: count }, (_, i) =>
    Buffer.from(`block-${String(i).padStart(6, '0')}`).toString('base64'),
  );
  log.info(
    `uploading ${formatSize(size)} to ${where} in ${count} blocks of ${formatSize(blockSize)}`,
  );
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const start = i * blockSize;
      const end = Math.min(size, start + blockSize) - 1;
      await put(
        `${where} (block ${i + 1} of ${count})`,
        withQuery(url, `comp=block&blockid=${encodeURIComponent(ids[i])}`),
        {},
        () => createReadStream(file, { start, end }),
        end - start + 1,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
  const body = Buffer.from(xml, 'utf8');
  const reply = await put(
    `${where} (block list)`,
    withQuery(url, 'comp=blocklist'),
    { 'content-type': 'application/xml', 'x-ms-blob-content-type': contentType },
    () => body,
    body.length,
  );
  const version = versionOf(reply);
  log.info(
    `uploaded ${formatSize(size)} in ${formatDelay(clock.now() - started)} (version ${version})`,
  );
  return version;
}

/** Adds parameters to a URL that may already carry a query (the SAS). */
function withQuery(url: string, extra: string): string {
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  return `${base}${base.includes('?') ? '&' : '?'}${extra}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MiB) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / MiB).toFixed(1)} MiB`;
}
