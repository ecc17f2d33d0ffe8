// Repository-relative path helpers shared by settings and classification.
import path from 'node:path';

/**
 * Normalizes a folder given by a user (`x`, `./x`, `x/`, `/x` all mean the same folder) to a
 * repository-relative POSIX path without leading or trailing slash ('' = repository root).
 * Returns undefined when it escapes the repository.
 */
export function normalizeFolder(input: string): string | undefined {
  const trimmed = input.trim().replace(/\\/g, '/');
  const joined = path.posix.normalize('/' + trimmed);
  // normalize('/..') stays '/', so detect escapes on the raw segments instead.
  let depth = 0;
  for (const part of trimmed.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return undefined;
  }
  return joined.replace(/^\/+|\/+$/g, '');
}

/** `a` + `b` as a repository-relative path ('' parts vanish). */
export function joinRel(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** True when `file` is `folder` itself or inside it ('' contains everything). */
export function isInside(file: string, folder: string): boolean {
  return folder === '' || file === folder || file.startsWith(folder + '/');
}

/** `file` relative to `folder` (caller checked isInside). */
export function relativeTo(file: string, folder: string): string {
  return folder === '' ? file : file.slice(folder.length + 1);
}
