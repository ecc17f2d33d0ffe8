// Runs the bundled action (dist/index.js) the way a GitHub runner does: inputs as INPUT_*
// variables, the event as a file, outputs and the job summary as files. Used by the demo and
// the benchmarks (the tests have a TypeScript twin that also scans for leaked secrets).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'dist',
  'index.js',
);
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Runs dist/index.js like a runner; resolves with exit code, output, outputs, peak RSS (KiB). */
export function runAction({ inputs, env, cwd, event = {}, eventName = 'workflow_dispatch' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'action-run-'));
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'out'),
    summary: path.join(dir, 'sum'),
  };
  fs.writeFileSync(files.event, JSON.stringify(event));
  fs.writeFileSync(files.output, '');
  fs.writeFileSync(files.summary, '');
  const inputEnv = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]),
  );
  const fullEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: cwd,
    GITHUB_REPOSITORY: 'acme/airflow',
    RUNNER_TEMP: dir,
    ...inputEnv,
    ...env,
  };
  // /usr/bin/time is not everywhere: peak RSS comes from polling /proc instead.
  return new Promise((resolve) => {
    const start = now();
    const child = spawn(process.execPath, [DIST], {
      cwd,
      env: fullEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let firstLineAt;
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const m = /VmHWM:\s+(\d+)/.exec(status);
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        /* process gone */
      }
    }, 20);
    child.stdout.on('data', (d) => {
      if (firstLineAt === undefined) firstLineAt = now() - start;
      stdout += d;
    });
    child.stderr.on('data', (d) => (stdout += d));
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = now() - start;
      const outputs = {};
      for (const m of fs
        .readFileSync(files.output, 'utf8')
        .matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
        outputs[m[1]] = m[3];
      const summary = fs.readFileSync(files.summary, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, ms, firstLineAt, stdout, outputs, summary, peakKiB, endedAt: Date.now() });
    });
  });
}
