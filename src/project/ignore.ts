// The ignore file an image build applies, read from the checkout, and the one a build
// writes instead (our exclusions added, the DAG folder kept). The decision reads it to tell
// which changes reach the image; the Docker build applies it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The ignore file an image build of `context` applies, as BuildKit picks it: the
 * Dockerfile's own `<Dockerfile>.dockerignore`, else the context's .dockerignore; undefined
 * when there is neither. The decision reads it too, so "changed" and "shipped" agree.
 */
export async function buildIgnoreText(
  context: string,
  dockerfile = path.join(context, 'Dockerfile'),
): Promise<string | undefined> {
  for (const file of [`${dockerfile}.dockerignore`, path.join(context, '.dockerignore')]) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) return text;
  }
  return undefined;
}

export const normalizePath = (p: string) => p.replace(/^\.?\/+/, '').replace(/\/+$/, '');

/** The ignore patterns for a build that keeps `exclude` out: the project's own, then ours. */
export function ignoreWithExcludes(original: string | undefined, exclude: string[]): string {
  const base = original ?? '';
  const sep = base === '' || base.endsWith('\n') ? '' : '\n';
  const ours = exclude.map(normalizePath).filter((p) => p !== '');
  return `${base}${sep}# added by the deploy action for this build only\n${ours.join('\n')}\n`;
}

/**
 * The ignore text without the lines that leave out one of the `keep` folders (or all of its
 * contents): `dags`, `dags/`, `/dags`, `./dags/`, `dags/*`, `dags/**`, `dags/**` + `/*`; comments,
 * negations and lines about other paths stay, byte for byte. Undefined when no line goes.
 * (The Astro CLI drops only lines that read exactly `dags/`.)
 */
export function ignoreWithout(original: string, keep: string[]): string | undefined {
  const folders = new Set(keep.map(normalizePath).filter((p) => p !== ''));
  if (folders.size === 0) return undefined;
  const lines = original.split('\n');
  const kept = lines.filter((line) => {
    const pattern = line.replace(/\r$/, '').trim();
    if (pattern === '' || pattern.startsWith('#') || pattern.startsWith('!')) return true;
    const folder = normalizePath(pattern.replace(/\/\*\*(?:\/\*)?$|\/\*$/, ''));
    return !folders.has(folder);
  });
  return kept.length === lines.length ? undefined : kept.join('\n');
}

/**
 * The ignore text a build applies instead of `original` (the project's own, if any): without
 * the lines that leave out `keep`, then with `exclude` added. Undefined when the project's own
 * file (or its absence) serves as it is.
 */
export function buildIgnoreFor(
  original: string | undefined,
  exclude: string[],
  keep: string[],
): string | undefined {
  const kept = original !== undefined && keep.length ? ignoreWithout(original, keep) : undefined;
  if (exclude.length) return ignoreWithExcludes(kept ?? original, exclude);
  return kept;
}
