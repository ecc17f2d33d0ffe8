// The image build's layer cache: the Deployment's current image, after a login to its
// registry; anything that keeps it from serving means a build without it, never a failure.
import { liveImageForCache } from '../../src/deploy/execute.js';
import { recordingLog } from '../../src/log.js';

describe('liveImageForCache', () => {
  test.each<
    [string, { imageRepository: string; imageTag: string }, string | undefined, string[], string[]]
  >([
    [
      'the current image, after a login to its registry',
      { imageRepository: 'registry.astro.example/org1/dep1', imageTag: 'deploy-2026-11-30T10-00' },
      undefined,
      ['registry.astro.example/org1/dep1:deploy-2026-11-30T10-00'],
      ['registry.astro.example'],
    ],
    [
      'a repository handed out with a scheme',
      { imageRepository: 'https://127.0.0.1:5000/org1/dep1/', imageTag: 'deploy-1' },
      undefined,
      ['127.0.0.1:5000/org1/dep1:deploy-1'],
      ['127.0.0.1:5000'],
    ],
    [
      'no image yet',
      { imageRepository: 'registry.astro.example/org1/dep1', imageTag: '' },
      undefined,
      [],
      [],
    ],
    ['no repository', { imageRepository: '', imageTag: 'deploy-1' }, undefined, [], []],
    [
      'a failed login',
      { imageRepository: 'registry.astro.example/org1/dep1', imageTag: 'deploy-1' },
      'Logging in to registry.astro.example failed (docker exit code 1): unauthorized',
      [],
      ['registry.astro.example'],
    ],
  ])('%s', async (_what, deployment, loginError, expected, logins) => {
    const calls: [string, string, string][] = [];
    const docker = {
      login: async (host: string, user: string, password: string) => {
        calls.push([host, user, password]);
        if (loginError) throw new Error(loginError);
      },
    };
    const log = recordingLog();
    await expect(liveImageForCache(docker, deployment, 'the-token', log)).resolves.toEqual(
      expected,
    );
    expect(calls).toEqual(logins.map((h) => [h, 'cli', 'the-token']));
    if (loginError) {
      expect(log.lines.join('\n')).toContain('building without it');
      expect(log.lines.join('\n')).not.toContain('the-token');
    }
  });
});
