// The README's first command, `npm run demo`, must keep working: the bundled action deploys the
// sample project to the emulator through the whole story. Here without a Docker engine (the
// path a newcomer without one takes); the docker tier covers real image deploys.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

test('the demo tells its whole story without a Docker engine', () => {
  const nowhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-')), 'no-docker.sock');
  const r = spawnSync(process.execPath, ['scripts/demo.mjs'], {
    env: { ...process.env, DOCKER_HOST: `unix://${nowhere}` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('image steps are recorded as done');
  expect(r.stdout).toMatch(/Push that changes only DAGs\n {2}decision: dags-only/);
  expect(r.stdout).toMatch(/preview created and deployed\n {2}decision: dags-only/);
  expect(r.stdout).toMatch(/preview deleted\n {2}decision: none \(skipped\) — deleted preview/);
  expect(r.stdout).toContain('Demo finished');
}, 150_000);
