// Reads a tarball back (for tests and checks): the entries of a .tar or .tar.gz, streamed.
import { createReadStream, promises as fs } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { BLOCK } from './tar-headers.js';

export interface TarEntry {
  name: string;
  type: 'file' | 'symlink' | 'directory' | 'other';
  mode: number;
  size: number;
  mtime: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  linkname?: string;
  /** File content, with `withData`. */
  data?: Buffer;
}

function readString(b: Buffer, off: number, len: number): string {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end === -1 || end > off + len ? off + len : end);
}

function readOctal(b: Buffer, off: number, len: number): number {
  const s = readString(b, off, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const sp = body.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(body.toString('ascii', i, sp), 10);
    if (!len) break;
    const rec = body.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** The entries of a .tar or .tar.gz, in archive order (streamed; `withData` keeps file contents). */
export async function listTarball(
  file: string,
  opts: { withData?: boolean } = {},
): Promise<TarEntry[]> {
  const src = createReadStream(file);
  const stream: AsyncIterable<Buffer> = (await isGzip(file)) ? src.pipe(createGunzip()) : src;

  const entries: TarEntry[] = [];
  let buf: Buffer = Buffer.alloc(0);
  let pax: Record<string, string> = {};
  let current: {
    entry: TarEntry | null;
    remaining: number;
    pad: number;
    chunks: Buffer[];
    paxBody?: boolean;
  } | null = null;
  let done = false;

  for await (const chunk of stream) {
    if (done) continue;
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (current) {
        if (current.remaining > 0) {
          const take = Math.min(current.remaining, buf.length);
          if (take === 0) break;
          if (opts.withData || current.paxBody) current.chunks.push(buf.subarray(0, take));
          buf = buf.subarray(take);
          current.remaining -= take;
          if (current.remaining > 0) break;
        }
        if (buf.length < current.pad) break;
        buf = buf.subarray(current.pad);
        if (current.paxBody) {
          pax = parsePax(Buffer.concat(current.chunks));
        } else if (current.entry && opts.withData && current.entry.type === 'file') {
          current.entry.data = Buffer.concat(current.chunks);
        }
        current = null;
      }
      if (buf.length < BLOCK) break;
      const h = buf.subarray(0, BLOCK);
      buf = buf.subarray(BLOCK);
      if (h.every((x) => x === 0)) {
        done = true;
        break;
      }
      const typeflag = String.fromCharCode(h[156] || 0x30);
      let size = readOctal(h, 124, 12);
      const pad = size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK);
      if (typeflag === 'x' || typeflag === 'g') {
        current = { entry: null, remaining: size, pad, chunks: [], paxBody: typeflag === 'x' };
        continue;
      }
      const entry = entryOf(h, typeflag, size, pax);
      size = entry.size;
      pax = {};
      entries.push(entry);
      const realPad = size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK);
      current = { entry, remaining: size, pad: realPad, chunks: [] };
    }
  }
  return entries;
}

/** The entry a ustar header describes, with what a preceding PAX header overrides. */
function entryOf(h: Buffer, typeflag: string, size: number, pax: Record<string, string>): TarEntry {
  const prefix = readString(h, 345, 155);
  let name = readString(h, 0, 100);
  if (prefix) name = `${prefix}/${name}`;
  if (pax.path) name = pax.path;
  const linkname = pax.linkpath ?? readString(h, 157, 100);
  const type =
    typeflag === '0' || typeflag === '\0'
      ? 'file'
      : typeflag === '2'
        ? 'symlink'
        : typeflag === '5'
          ? 'directory'
          : 'other';
  const entry: TarEntry = {
    name,
    type,
    mode: readOctal(h, 100, 8),
    size: pax.size ? parseInt(pax.size, 10) : size,
    mtime: readOctal(h, 136, 12),
    uid: readOctal(h, 108, 8),
    gid: readOctal(h, 116, 8),
    uname: readString(h, 265, 32),
    gname: readString(h, 297, 32),
    ...(type === 'symlink' ? { linkname } : {}),
  };
  return entry;
}

async function isGzip(file: string): Promise<boolean> {
  const fd = await fs.open(file, 'r');
  const magic = Buffer.alloc(2);
  await fd.read(magic, 0, 2, 0);
  await fd.close();
  return magic[0] === 0x1f && magic[1] === 0x8b;
}
