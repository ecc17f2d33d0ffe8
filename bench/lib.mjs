// Shared bits of the benchmarks: timing, a runner-like action run, small repositories.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist', 'index.js');

export const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Median of n runs of an async function, in ms. */
export async function median(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = now();
    await fn();
    times.push(now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

export const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
};
export const git = (cwd, ...args) => sh('git', args, { cwd, env: gitEnv }).trim();

export function tmp(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs dist/index.js like a runner; resolves with exit code, output, outputs, peak RSS (KiB). */
export function runAction({ inputs, env, cwd, event = {}, eventName = 'workflow_dispatch' }) {
  const dir = tmp('bench-run-');
  const files = { event: path.join(dir, 'event.json'), output: path.join(dir, 'out'), summary: path.join(dir, 'sum') };
  fs.writeFileSync(files.event, JSON.stringify(event));
  fs.writeFileSync(files.output, '');
  fs.writeFileSync(files.summary, '');
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
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
    const child = spawn(process.execPath, [DIST], { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
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
      for (const m of fs.readFileSync(files.output, 'utf8').matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, ms, firstLineAt, stdout, outputs, peakKiB, endedAt: Date.now() });
    });
  });
}

export function figure(name, value, unit, { baseline, goal, note } = {}) {
  const ratio = baseline ? value / baseline : undefined;
  return { name, value: round(value), unit, baseline: baseline && round(baseline), ratio: ratio && round(ratio, 2), goal, note };
}

export const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
