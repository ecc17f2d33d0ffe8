// The bundled action carries @actions/github, whose import reads and parses the event file.
// It is imported lazily, so a bad event file still ends in our one sentence, not a stack
// trace from module loading, and a run with no inputs still fails with the input error.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST } from '../support/action.js';

function runDist(env: Record<string, string>) {
  const r = spawnSync(process.execPath, [DIST], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

test('a malformed event file is one clear error, not a crash while loading the bundle', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-gh-bundle-'));
  try {
    const event = path.join(dir, 'event.json');
    fs.writeFileSync(event, '{"pull_request": ');
    const { code, out } = runDist({
      GITHUB_EVENT_PATH: event,
      GITHUB_EVENT_NAME: 'pull_request',
      'INPUT_DEPLOYMENT-ID': 'cldep1',
      ASTRO_API_TOKEN: 'not-used',
    });
    expect(code).toBe(1);
    expect(out).toMatch(/::error::The event file .*event\.json is not valid JSON\./);
    expect(out).not.toMatch(/SyntaxError|at JSON\.parse|node:internal/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with no inputs the bundle fails with the input error, not an import error', () => {
  const { code, out } = runDist({});
  expect(code).toBe(1);
  expect(out).toContain("::error::Set 'deployment-id' or 'deployment-name'");
  expect(out).not.toMatch(/ERR_MODULE_NOT_FOUND|ERR_REQUIRE_ESM|Dynamic require/);
});
