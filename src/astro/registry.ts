// Astro's image registry, as the deploy (push) and the checks (pull) reach it: one way to
// read an image repository, and the user name to log in with.

/** Astro's registry user name; the password is the API token (given on stdin). */
export const REGISTRY_USER = 'cli';

/** The repository as an image reference takes it: Astro may hand it out with a scheme. */
export function imageRepositoryRef(imageRepository: string): string {
  return imageRepository.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
}

/** The registry host of an image repository (`host[:port]/path` → `host[:port]`). */
export function registryHost(imageRepository: string): string {
  const first = imageRepositoryRef(imageRepository).split('/')[0];
  return /[.:]/.test(first) || first === 'localhost' ? first : 'docker.io';
}

/** `https://host/a/b` or `host/a/b` → { host, repo: 'host/a/b' }; anything else is refused. */
export function parseImageRepository(imageRepository: string): { host: string; repo: string } {
  const repo = imageRepositoryRef(imageRepository);
  const host = repo.split('/')[0];
  if (!host || !repo.includes('/')) {
    throw new Error(
      `Astro returned an image repository "${imageRepository}" that is not <registry>/<path>.`,
    );
  }
  return { host, repo };
}
