import {
  imageRepositoryRef,
  parseImageRepository,
  registryHost,
} from '../../src/astro/registry.js';

describe('an image repository, read once for the push and the pull', () => {
  it.each([
    { given: 'images.astronomer.cloud/org/dep', ref: 'images.astronomer.cloud/org/dep' },
    { given: 'https://images.astronomer.cloud/org/dep/', ref: 'images.astronomer.cloud/org/dep' },
    { given: 'HTTP://127.0.0.1:5000/org/dep', ref: '127.0.0.1:5000/org/dep' },
  ])('$given', ({ given, ref }) => {
    expect(imageRepositoryRef(given)).toBe(ref);
    expect(parseImageRepository(given)).toEqual({ host: ref.split('/')[0], repo: ref });
    expect(registryHost(given)).toBe(ref.split('/')[0]);
  });

  it('refuses a repository that is not <registry>/<path>, in one sentence', () => {
    expect(() => parseImageRepository('https://justahost')).toThrow(
      'Astro returned an image repository "https://justahost" that is not <registry>/<path>.',
    );
  });
});
