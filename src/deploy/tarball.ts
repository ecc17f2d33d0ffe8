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
import { createGzip } from 'node:zlib';
import { headersFor, padding, ZEROS, type Entry } from './tar-headers.js';

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
  /** Of those, the ones from the folder (not the files we add). */
  folderFiles: number;
  /** Of the folder's, `.py` files other than `__init__.py`: the ones that can hold DAGs. */
  dagFiles: number;
  /** Hex SHA-256 of the .tar.gz. */
  sha256: string;
  /** Paths (relative to dir) of sockets, FIFOs and devices that were left out. */
  skipped: string[];
}

export class TarballError extends Error {
  override name = 'TarballError';
}

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
        if (isExcluded(d.name, false)) continue;
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
  // Added files carry their content; the folder's are read from disk.
  const folder = entries.filter((e) => !e.content);
  const folderFiles = folder.length;
  const dagFiles = folder.filter((e) => isDagFile(e.rel)).length;
  return {
    path: opts.out,
    bytes,
    files: entries.length,
    folderFiles,
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
