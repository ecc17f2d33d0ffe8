// The identifier and version the action sends to the Astro API: our own, and package.json's.
import fs from 'node:fs';
import { ACTION_VERSION, CLIENT_IDENTIFIER } from '../../src/version.js';

test('the version sent on the wire is package.json version', () => {
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string };
  expect(ACTION_VERSION).toBe(pkg.version);
});

test("the identifier is ours, not Astronomer's deploy-action", () => {
  expect(CLIENT_IDENTIFIER).toBe('astro-deploy-action');
  expect(CLIENT_IDENTIFIER).not.toBe('deploy-action');
});
