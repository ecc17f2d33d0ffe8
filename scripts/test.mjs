// `npm test`: type check, lint, format check, validate action.yml and workflows, check the README tables, build the bundle the integration tests run, start a Docker
// engine for the docker tier when this machine can (root + dockerd), run every jest tier,
// and print one closing line `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const step = (name, cmd, args, env = process.env) => {
  console.log(`\n== ${name}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
};

const bin = (name) => path.join('node_modules', '.bin', name);
step('type check', bin('tsc'), ['--noEmit', '-p', '.']);
step('lint', bin('eslint'), ['src', 'emulator', '__tests__', 'scripts', 'bench']);
step('format', bin('prettier'), ['--check', '--log-level=warn', '.']);
step('validate action.yml and workflows', process.execPath, ['scripts/validate.mjs']);
step('README tables match action.yml', process.execPath, ['scripts/docs.mjs', '--check']);
step('build', process.execPath, ['scripts/build.mjs']);

let engine = null;
const env = { ...process.env };
try {
  const { ensureDockerEngine } = await import('./docker-engine.mjs');
  engine = await ensureDockerEngine({ log: (m) => console.log(m) });
  if (engine) env.DOCKER_HOST = engine.host;
  else console.log('No Docker engine: the docker tier will skip (it fails instead when CI=true).');
} catch (err) {
  console.log(`Could not start a Docker engine: ${err.message}`);
}

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jest-')), 'report.json');
const args = [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  '--json',
  `--outputFile=${report}`,
  ...process.argv.slice(2),
];
console.log('\n== jest');
const r = spawnSync(process.execPath, args, {
  stdio: 'inherit',
  env: { ...env, NODE_NO_WARNINGS: '1' },
});
if (engine) await engine.stop();

let summary = '';
try {
  const j = JSON.parse(fs.readFileSync(report, 'utf8'));
  // A suite that fails before its tests run (a throw at load time) has no failed test of its
  // own: count it, so the closing line never says "0 failed" on a red run.
  let failed = j.numFailedTests + j.numRuntimeErrorTestSuites;
  if (failed === 0 && r.status !== 0) failed = 1;
  summary = `${j.numPassedTests} passed, ${failed} failed, ${j.numPendingTests} skipped`;
} catch {
  summary = '0 passed, 1 failed';
}
console.log(`\n${summary}`);
process.exit(r.status ?? 1);
