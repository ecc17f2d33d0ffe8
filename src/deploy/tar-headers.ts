// The tar headers of the DAG tarball: ustar, with a PAX extended header for long or
// non-ASCII paths and link targets and for files of 8 GiB or more (see tarball.ts).

export const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777;

/** One archive member as the packer holds it. */
export interface Entry {
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

export const ZEROS = Buffer.alloc(BLOCK * 2, 0);

/** Zeros up to the next 512-byte boundary (a shared, never written, buffer). */
export function padding(size: number): Buffer {
  const rem = size % BLOCK;
  return ZEROS.subarray(0, rem === 0 ? 0 : BLOCK - rem);
}

export function headersFor(e: Entry, mtime: number): Buffer[] {
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
