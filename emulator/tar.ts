// Reading back what was uploaded: the names in a tar or gzip tar, for tests and the demo.
import { gunzipSync } from 'node:zlib';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'other';

export function archiveFormat(bytes: Buffer): ArchiveFormat {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  if (bytes.length >= 262 && bytes.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  // An empty archive is two zero blocks.
  if (bytes.length >= 1024 && bytes.subarray(0, 1024).every((b) => b === 0)) return 'tar';
  return 'other';
}

/** Entry names (files, links and folders) of a tar or tar.gz; [] for anything else. */
export function tarEntries(bytes: Buffer): string[] {
  const format = archiveFormat(bytes);
  if (format === 'other') return [];
  const tar = format === 'tar.gz' ? gunzipSync(bytes) : bytes;
  const names: string[] = [];
  let longName: string | undefined;
  let pax: string | undefined;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number) =>
      header
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const data = tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      pax = paxPath(data);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(345, 155);
    const name = pax ?? longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    names.push(name);
    longName = pax = undefined;
  }
  return names;
}

/** The `path` record of a pax header. Records are length-prefixed, so a name may hold a newline. */
function paxPath(body: Buffer): string | undefined {
  for (let at = 0; at < body.length;) {
    const space = body.indexOf(0x20, at);
    const len = space < 0 ? NaN : parseInt(body.subarray(at, space).toString('latin1'), 10);
    if (!(len > 0)) return undefined;
    const record = body.subarray(space + 1, at + len - 1).toString('utf8'); // without the final \n
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') return record.slice(eq + 1);
    at += len;
  }
  return undefined;
}
