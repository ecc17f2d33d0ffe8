// Deterministic, streaming tar.gz of a folder: the DAG tarball, a dbt project, a bundle.
//
// What goes in, and how:
// - every regular file and symlink under `dir`, generated files too, except `.git` (file or
//   folder, at any depth), `__pycache__/` folders and `*.pyc` files;
// - files of ours (extraFiles: Hybrid's monitoring DAG) at the folder's top level, in place of
//   a file of the same name;
// - entries sorted bytewise (UTF-8) by their archive path, paths with forward slashes,
//   prefixed with `<prefix>/` when a prefix is given (for DAG tarballs the DAG folder's own base
//   name, as the Astro CLI writes them: `pipelines/` for `dags-path: src/pipelines`; none for
//   bundles and with `no-dags-base-dir`, see dagTarballPrefix);
// - directories get NO entries (as the Astro CLI does): extractors create them from file
//   paths; an empty folder therefore does not ship;
// - mtime fixed (TARBALL_MTIME, override with `mtime`), uid/gid 0, uname/gname empty, mode
//   0755 when any execute bit is set, else 0644;
// - symlinks are stored as symlinks when they resolve inside `dir` (an absolute target inside
//   `dir` is rewritten relative, so it still works after extraction); a symlink resolving
//   outside `dir` is an error naming it; sockets, FIFOs and devices are skipped and listed;
// - ustar headers, with a PAX extended header for paths or link targets longer than 100
//   bytes or not plain ASCII, and for files of 8 GiB or more;
// - gzip (zlib level 6, header without mtime or name), written by streaming: memory stays
//   flat whatever the size of the folder (only the list of paths is held).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  closeSync,
  constants as fsConstants,
  createReadStream,
  createWriteStream,
  fstatSync,
  openSync,
  promises as fs,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
} from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

/** 2000-01-01T00:00:00Z: a constant mtime (0 makes some tar versions warn "implausibly old"). */
export const TARBALL_MTIME = 946684800;

/**
 * The archive path prefix of a DAG tarball: the DAG folder's own base name (`dags` by default,
 * `pipelines` for `dags-path: src/pipelines`), as the Astro CLI writes it; '' (entries at the
 * archive root) with `no-dags-base-dir`.
 */
export function dagTarballPrefix(dagsDir: string, noDagsBaseDir: boolean): string {
  return noDagsBaseDir ? '' : path.basename(path.resolve(dagsDir));
}

export interface TarballOptions {
  /** Folder to pack. */
  dir: string;
  /** Archive path prefix without slashes: dagTarballPrefix() for a DAG tarball, '' for a bundle. */
  prefix: string;
  /** Output file (.tar.gz). */
  out: string;
  /** Seconds since the epoch for every entry; default TARBALL_MTIME. */
  mtime?: number;
  /**
   * Files of ours added at the folder's top level (e.g. Hybrid's monitoring DAG), mode 0644;
   * one replaces a file of the folder with the same name.
   */
  extraFiles?: { name: string; content: string | Buffer }[];
}

export interface TarballResult {
  path: string;
  /** Size of the .tar.gz in bytes. */
  bytes: number;
  /** Regular files and symlinks in the archive. */
  files: number;
  /** Of those, `.py` files other than `__init__.py`: the ones that can hold DAGs. */
  dagFiles: number;
  /** Hex SHA-256 of the .tar.gz. */
  sha256: string;
  /** Paths (relative to dir) of sockets, FIFOs and devices that were left out. */
  skipped: string[];
}

export class TarballError extends Error {
  override name = 'TarballError';
}

interface Entry {
  /** Path inside the archive (prefix included). */
  name: string;
  /** Relative to dir, forward slashes (for messages). */
  rel: string;
  abs: string;
  kind: 'file' | 'symlink';
  mode: number;
  size: number;
  linkname?: string;
  /** Bytes of an added file (extraFiles), instead of reading `abs`. */
  content?: Buffer;
}

const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777;

function isExcluded(name: string, isDir: boolean): boolean {
  if (name === '.git') return true;
  if (isDir && name === '__pycache__') return true;
  if (!isDir && name.endsWith('.pyc')) return true;
  return false;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

async function collect(dir: string, prefix: string, skipped: string[]): Promise<Entry[]> {
  const root = path.resolve(dir);
  const realRoot = await fs.realpath(root);
  const entries: Entry[] = [];
  const outside: string[] = [];

  // Synchronous: thousands of small calls, each far cheaper than a trip to the thread pool.
  function walk(absDir: string, relDir: string): void {
    const dirents = readdirSync(absDir, { withFileTypes: true });
    for (const d of dirents) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      const abs = path.join(absDir, d.name);
      const name = prefix ? `${prefix}/${rel}` : rel;
      if (d.isDirectory()) {
        if (isExcluded(d.name, true)) continue;
        walk(abs, rel);
      } else if (d.isFile()) {
        if (isExcluded(d.name, false)) continue;
        // Mode and size come from fstat on the open file when it is packed (one syscall
        // fewer per file, and they describe the bytes that are read).
        entries.push({ name, rel, abs, kind: 'file', mode: 0o644, size: -1 });
      } else if (d.isSymbolicLink()) {
        if (d.name === '.git' || d.name.endsWith('.pyc')) continue;
        const target = readlinkSync(abs);
        const lexical = path.resolve(absDir, target);
        let resolved: string | undefined;
        try {
          resolved = realpathSync(abs);
        } catch {
          resolved = undefined; // dangling: judge by the lexical target
        }
        const inside =
          resolved !== undefined ? isInside(realRoot, resolved) : isInside(root, lexical);
        if (!inside) {
          outside.push(`${rel} -> ${target}`);
          continue;
        }
        // Stored as the shortest relative path inside the folder: a target written through
        // the folder's own name (../my_dags/x) or absolute would dangle once the entries sit
        // under `dags/` (or at the root) on Astro.
        const within = isInside(root, lexical)
          ? lexical
          : path.join(root, path.relative(realRoot, resolved!));
        const linkname = path.relative(absDir, within).split(path.sep).join('/') || '.';
        entries.push({ name, rel, abs, kind: 'symlink', mode: 0o777, size: 0, linkname });
      } else {
        skipped.push(rel);
      }
    }
  }

  walk(root, '');
  if (outside.length > 0) {
    throw new TarballError(
      `${outside.length === 1 ? 'A symlink points' : `${outside.length} symlinks point`} outside ${dir}: ` +
        `${outside.join(', ')}. Only symlinks to files inside the folder can ship; ` +
        'replace each with a copy of what it points to, or remove it.',
    );
  }
  sortByName(entries);
  return entries;
}

/** Sorts entries bytewise (UTF-8) by archive path; each key is encoded once. */
function sortByName(entries: Entry[]): void {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.name, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  keyed.forEach((k, i) => (entries[i] = k.e));
}

// ---- tar headers ----

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value, offset, length, 'utf8');
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  // length-1 octal digits, zero padded, then NUL
  const s = value.toString(8).padStart(length - 1, '0');
  buf.write(s + '\0', offset, length, 'ascii');
}

function needsPax(s: string, max: number): boolean {
  return Buffer.byteLength(s, 'utf8') > max || /[^\x20-\x7e]/.test(s);
}

/** A plain-ASCII stand-in of at most `max` bytes for the ustar field when PAX carries the real value. */
function fallback(s: string, max: number): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(-max);
}

/** The fields every header shares (uid, gid, mtime, magic…), built once per mtime. */
let template: { mtime: number; block: Buffer } | undefined;

function headerTemplate(mtime: number): Buffer {
  if (template?.mtime !== mtime) {
    const h = Buffer.alloc(BLOCK, 0);
    writeOctal(h, 108, 8, 0); // uid
    writeOctal(h, 116, 8, 0); // gid
    writeOctal(h, 136, 12, mtime);
    h.fill(0x20, 148, 156); // checksum placeholder: spaces
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    // uname (265..297) and gname (297..329) stay empty; devmajor/devminor as zeros
    writeOctal(h, 329, 8, 0);
    writeOctal(h, 337, 8, 0);
    template = { mtime, block: h };
  }
  return template.block;
}

function header(fields: {
  name: string;
  mode: number;
  size: number;
  type: string;
  linkname?: string;
  mtime: number;
}): Buffer {
  const h = Buffer.allocUnsafe(BLOCK);
  headerTemplate(fields.mtime).copy(h);
  writeString(h, 0, 100, fields.name);
  writeOctal(h, 100, 8, fields.mode);
  writeOctal(h, 124, 12, fields.size);
  h.write(fields.type, 156, 1, 'ascii');
  if (fields.linkname) writeString(h, 157, 100, fields.linkname);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i]!;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body, 'utf8');
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = bodyLen + String(len).length;
  return `${len}${body}`;
}

const ZEROS = Buffer.alloc(BLOCK * 2, 0);

/** Zeros up to the next 512-byte boundary (a shared, never written, buffer). */
function padding(size: number): Buffer {
  const rem = size % BLOCK;
  return ZEROS.subarray(0, rem === 0 ? 0 : BLOCK - rem);
}

function headersFor(e: Entry, mtime: number): Buffer[] {
  const records: string[] = [];
  let name = e.name;
  let linkname = e.linkname;
  if (needsPax(e.name, 100)) {
    records.push(paxRecord('path', e.name));
    name = fallback(e.name, 100);
  }
  if (linkname !== undefined && needsPax(linkname, 100)) {
    records.push(paxRecord('linkpath', linkname));
    linkname = fallback(linkname, 100);
  }
  let size = e.kind === 'file' ? e.size : 0;
  if (size > MAX_OCTAL_SIZE) {
    records.push(paxRecord('size', String(size)));
    size = 0;
  }
  const out: Buffer[] = [];
  if (records.length > 0) {
    const body = Buffer.from(records.join(''), 'utf8');
    const paxName = fallback(`PaxHeaders/${e.name.split('/').pop() ?? ''}`, 100);
    out.push(
      header({ name: paxName, mode: 0o644, size: body.length, type: 'x', mtime }),
      body,
      padding(body.length),
    );
  }
  out.push(
    header({
      name,
      mode: e.mode,
      size,
      type: e.kind === 'file' ? '0' : '2',
      linkname,
      mtime,
    }),
  );
  return out;
}

// ---- packing ----
//
// Per-file costs dominate a DAG folder (thousands of small files), so the hot path makes few
// calls per file: each file is read with open/fstat/read/close straight into a batch of about
// BATCH bytes, and gzip gets one write per batch instead of three or four per file (each write
// costs a round trip to zlib's thread). The reads are synchronous: while zlib compresses one
// batch on its thread, the next is read, as `tar | gzip` overlaps them; the event loop is held
// for one batch at most. Memory stays flat: one batch, plus at most IN_FLIGHT bytes queued
// for gzip (then we wait for it to drain), plus one READ_CHUNK of a large file.

/** Bytes gathered before one write to gzip. */
const BATCH = 1 << 20;
/** Bytes queued in gzip before we wait for it to drain. */
const IN_FLIGHT = 4 << 20;
/** Largest read of a file at once (big files are read in pieces of this size). */
const READ_CHUNK = 1 << 20;
const OPEN_FLAGS =
  fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

class Packer {
  private parts: Buffer[] = [];
  private length = 0;

  constructor(private readonly sink: (chunk: Buffer) => Promise<void>) {}

  /** Adds bytes; true when a batch is full and flush() should be awaited. */
  push(b: Buffer): boolean {
    if (b.length > 0) {
      this.parts.push(b);
      this.length += b.length;
    }
    return this.length >= BATCH;
  }

  flush(): Promise<void> {
    if (this.length === 0) return Promise.resolve();
    const chunk = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return this.sink(chunk);
  }
}

/** Reads a file's bytes (all of them when small, else in READ_CHUNK pieces) into the packer. */
async function packFile(e: Entry, mtime: number, packer: Packer): Promise<void> {
  let fd: number;
  try {
    fd = openSync(e.abs, OPEN_FLAGS);
  } catch (err) {
    throw new TarballError(
      `${e.rel} changed while it was being packed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); run again.`,
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new TarballError(
        `${e.rel} changed while it was being packed (no longer a file); run again.`,
      );
    }
    e.size = st.size;
    e.mode = st.mode & 0o111 ? 0o755 : 0o644;
    for (const b of headersFor(e, mtime)) if (packer.push(b)) await packer.flush();
    let read = 0;
    while (read < e.size) {
      const want = Math.min(READ_CHUNK, e.size - read);
      const buf = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, read + got);
        if (n === 0) break;
        got += n;
      }
      read += got;
      if (got < want) {
        throw new TarballError(
          `${e.rel} changed while it was being packed (${e.size} bytes expected, ${read} read); run again.`,
        );
      }
      if (packer.push(buf)) await packer.flush();
    }
    if (packer.push(padding(e.size))) await packer.flush();
  } finally {
    closeSync(fd);
  }
}

async function packEntries(entries: Entry[], mtime: number, packer: Packer): Promise<void> {
  for (const e of entries) {
    if (e.kind === 'file' && !e.content) {
      await packFile(e, mtime, packer);
      continue;
    }
    for (const b of headersFor(e, mtime)) if (packer.push(b)) await packer.flush();
    if (e.content) {
      if (packer.push(e.content)) await packer.flush();
      if (packer.push(padding(e.content.length))) await packer.flush();
    }
  }
  packer.push(ZEROS); // end of archive: two zero blocks
  await packer.flush();
}

/** Pack `dir` into a deterministic gzip'd tar at `out` (see the notes at the top of this file). */
export async function writeTarball(opts: TarballOptions): Promise<TarballResult> {
  const prefix = opts.prefix.replace(/^\/+|\/+$/g, '');
  const st = await fs.stat(opts.dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new TarballError(`${opts.dir} is not a folder.`);
  const skipped: string[] = [];
  const entries = await collect(opts.dir, prefix, skipped);
  for (const extra of opts.extraFiles ?? []) {
    if (!/^[^/\\]+$/.test(extra.name) || extra.name === '.' || extra.name === '..')
      throw new TarballError(`An added file must sit at the folder's top level: ${extra.name}.`);
    const content = Buffer.from(extra.content);
    const at = entries.findIndex((e) => e.rel === extra.name);
    if (at >= 0) entries.splice(at, 1);
    entries.push({
      name: prefix ? `${prefix}/${extra.name}` : extra.name,
      rel: extra.name,
      abs: '',
      kind: 'file',
      mode: 0o644,
      size: content.length,
      content,
    });
  }
  if (opts.extraFiles?.length) sortByName(entries);
  const hash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const gzip = createGzip({ level: 6, chunkSize: 1 << 18 });
  const done = pipeline(gzip, counter, createWriteStream(opts.out));
  done.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
  const ended = done.then(() => {
    throw new TarballError(`Writing ${opts.out} stopped before the archive was complete.`);
  });
  ended.catch(() => undefined);
  const sink = async (chunk: Buffer): Promise<void> => {
    if (gzip.destroyed) await ended; // the output failed: stop reading, report its error
    gzip.write(chunk);
    if (gzip.writableLength > IN_FLIGHT) await Promise.race([once(gzip, 'drain'), ended]);
  };
  try {
    await packEntries(entries, opts.mtime ?? TARBALL_MTIME, new Packer(sink));
    gzip.end();
  } catch (err) {
    gzip.destroy();
    throw err;
  }
  await done;
  const dagFiles = entries.filter((e) => isDagFile(e.rel)).length;
  return {
    path: opts.out,
    bytes,
    files: entries.length,
    dagFiles,
    sha256: hash.digest('hex'),
    skipped,
  };
}

/** A `.py` file that is not a package's `__init__.py`: what can define a DAG. */
export function isDagFile(rel: string): boolean {
  const base = rel.split('/').pop() ?? '';
  return base.endsWith('.py') && base !== '__init__.py';
}

// ---- reading (for tests and checks) ----

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
  const fd = await fs.open(file, 'r');
  const magic = Buffer.alloc(2);
  await fd.read(magic, 0, 2, 0);
  await fd.close();
  const gz = magic[0] === 0x1f && magic[1] === 0x8b;
  const src = createReadStream(file);
  const stream: AsyncIterable<Buffer> = gz ? src.pipe(createGunzip()) : src;

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
      const prefix = readString(h, 345, 155);
      let name = readString(h, 0, 100);
      if (prefix) name = `${prefix}/${name}`;
      if (pax.path) name = pax.path;
      if (pax.size) size = parseInt(pax.size, 10);
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
        size,
        mtime: readOctal(h, 136, 12),
        uid: readOctal(h, 108, 8),
        gid: readOctal(h, 116, 8),
        uname: readString(h, 265, 32),
        gname: readString(h, 297, 32),
        ...(type === 'symlink' ? { linkname } : {}),
      };
      pax = {};
      entries.push(entry);
      const realPad = size % BLOCK === 0 ? 0 : BLOCK - (size % BLOCK);
      current = { entry, remaining: size, pad: realPad, chunks: [] };
    }
  }
  return entries;
}
