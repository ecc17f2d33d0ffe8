// The ignore file an image build applies, read from the checkout. The decision reads it to
// tell which changes reach the image; the Docker build applies it.
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
