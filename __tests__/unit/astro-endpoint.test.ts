import { domainToApiUrl, resolveApiUrl } from '../../src/astro/endpoint.js';

describe('resolveApiUrl', () => {
  it('prefers the api-url input, then ASTRO_API_URL, then ASTRO_DOMAIN', () => {
    const env = { ASTRO_API_URL: 'http://127.0.0.1:9/v1', ASTRO_DOMAIN: 'astronomer-dev.io' };
    expect(resolveApiUrl({ input: 'http://127.0.0.1:8871/v1/', env })).toBe(
      'http://127.0.0.1:8871/v1',
    );
    expect(resolveApiUrl({ input: '', env })).toBe('http://127.0.0.1:9/v1');
    expect(resolveApiUrl({ env: { ASTRO_DOMAIN: 'astronomer-dev.io' } })).toBe(
      'https://api.astronomer-dev.io/v1',
    );
    expect(resolveApiUrl({ env: {} })).toBe('https://api.astronomer.io/v1');
  });

  it('refuses an input that is not an http(s) URL', () => {
    expect(() => resolveApiUrl({ input: 'api.astronomer.io', env: {} })).toThrow(/is not a URL/);
    expect(() => resolveApiUrl({ input: 'ftp://x/v1', env: {} })).toThrow(
      /must start with https:\/\//,
    );
  });

  it.each([
    ['http://127.0.0.1:8871', 'http://127.0.0.1:8871/v1'],
    ['http://127.0.0.1:8871/', 'http://127.0.0.1:8871/v1'],
    ['https://api.astronomer.io/v1beta1', 'https://api.astronomer.io/v1'],
    ['https://api.astronomer.io/platform/v1beta1', 'https://api.astronomer.io/platform/v1'],
    ['https://gateway.example.com/astro', 'https://gateway.example.com/astro/v1'],
    ['http://127.0.0.1:8871/v1/organizations', 'http://127.0.0.1:8871/v1'],
  ])('refuses %s (no /v1 at the end) and suggests %s', (given, fixed) => {
    const message = `api-url "${given.replace(/\/+$/, '')}" does not end in /v1, the Astro API version this action speaks: set it to ${fixed}.`;
    expect(() => resolveApiUrl({ input: given, env: {} })).toThrow(message);
    expect(() => resolveApiUrl({ env: { ASTRO_API_URL: given } })).toThrow(
      message.replace('api-url', 'ASTRO_API_URL'),
    );
  });

  it.each([
    'http://127.0.0.1:8871/v1',
    'https://api.astronomer.io/v1/',
    'https://gateway.example.com/astro/v1',
  ])('accepts %s', (url) => {
    expect(resolveApiUrl({ input: url, env: {} })).toBe(url.replace(/\/+$/, ''));
  });
});

describe('domainToApiUrl', () => {
  it.each([
    ['astronomer.io', 'https://api.astronomer.io/v1'],
    ['cloud.astronomer.io', 'https://api.astronomer.io/v1'],
    ['astronomer-dev.io', 'https://api.astronomer-dev.io/v1'],
    ['cloud.astronomer-dev.io', 'https://api.astronomer-dev.io/v1'],
    ['pr1234.astronomer-dev.io', 'https://pr1234.api.astronomer-dev.io/v1'],
    ['astronomer-stage.io', 'https://api.astronomer-stage.io/v1'],
    ['localhost', 'http://localhost:8888/v1'],
  ])('%s → %s', (domain, url) => {
    expect(domainToApiUrl(domain)).toBe(url);
  });
});
