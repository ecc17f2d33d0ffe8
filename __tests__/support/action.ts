// Runs the bundled action (dist/index.js) the way a GitHub runner does: inputs as INPUT_*
// variables, the event as a JSON file, outputs and the job summary as files. Every run is
// also scanned for the token: it must appear in no output, log, summary or file left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../dist/index.js',
);

export interface RunOptions {
  inputs: Record<string, string>;
  token: string;
  apiUrl: string;
  workspace: string;
  eventName: string;
  event: Record<string, unknown>;
  sha: string;
  ref?: string;
  repository?: string;
  serverUrl?: string;
  env?: Record<string, string>;
  /** Other secrets that must not leak (the scan checks them too). */
  secrets?: string[];
  /** More folders to scan for secrets after the run (e.g. a TMPDIR given in env). */
  scanDirs?: string[];
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** ::error:: / ::warning:: lines the runner would turn into annotations. */
  annotations: string[];
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return env;
}

/** GITHUB_OUTPUT's format: `name<<DELIM\nvalue\nDELIM`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]] = m[3];
  return out;
}

/** What a run printed, each line with the time since the run started: where did it stall? */
class Timeline {
  private readonly start = Date.now();
  private readonly lines: string[] = [];
  private partial = '';
  add(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop()!;
    const at = `+${((Date.now() - this.start) / 1000).toFixed(1)}s`;
    // The mask requests carry the token; the runner would not show them either.
    for (const line of parts)
      if (!line.startsWith('::add-mask::')) this.lines.push(`${at} ${line}`);
  }
  text(): string {
    const tail = this.partial ? [`(no newline yet) ${this.partial}`] : [];
    return [
      ...this.lines,
      ...tail,
      `(${((Date.now() - this.start) / 1000).toFixed(1)} s so far)`,
    ].join('\n');
  }
}

/** Runs not finished yet. A test that timed out leaves its run behind; see endAbandonedRuns. */
const running = new Map<ChildProcess, Timeline>();

/**
 * Ends the runs still going when a test is over (jest stops waiting for a test at its timeout,
 * but the run goes on, and nothing would say where it stalled), and returns what each printed
 * so far, with times. Called after each test by the setup file.
 */
export function endAbandonedRuns(): string[] {
  const left = [...running].map(([child, timeline]) => {
    child.kill('SIGKILL');
    return timeline.text();
  });
  running.clear();
  return left;
}

export async function runAction(o: RunOptions): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-run-'));
  const eventPath = path.join(dir, 'event.json');
  const outputPath = path.join(dir, 'output');
  const summaryPath = path.join(dir, 'summary.md');
  fs.writeFileSync(eventPath, JSON.stringify(o.event));
  fs.writeFileSync(outputPath, '');
  fs.writeFileSync(summaryPath, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: o.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: o.workspace,
    GITHUB_SHA: o.sha,
    GITHUB_REF: o.ref ?? 'refs/heads/main',
    GITHUB_REPOSITORY: o.repository ?? 'acme/airflow',
    GITHUB_SERVER_URL: o.serverUrl ?? 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/unused',
    GITHUB_ACTOR: 'octo',
    RUNNER_TEMP: dir,
    ASTRO_API_TOKEN: o.token,
    ASTRO_API_URL: o.apiUrl,
    ...inputEnv(o.inputs),
    ...o.env,
  };
  const child = spawn(process.execPath, [DIST], {
    cwd: o.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const timeline = new Timeline();
  child.stdout.on('data', (d) => {
    stdout += d;
    timeline.add(String(d));
  });
  child.stderr.on('data', (d) => {
    stderr += d;
    timeline.add(String(d));
  });
  running.set(child, timeline);
  const code = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `the action did not finish within ${o.timeoutMs ?? 120000} ms:\n${timeline.text()}`,
        ),
      );
    }, o.timeoutMs ?? 120000);
    child.on('close', (c) => {
      clearTimeout(timer);
      running.delete(child);
      resolve(c ?? -1);
    });
  });
  const outputs = parseOutputFile(fs.readFileSync(outputPath, 'utf8'));
  const summary = fs.readFileSync(summaryPath, 'utf8');
  const annotations = stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));
  const result = { code, stdout, stderr, outputs, summary, annotations };
  try {
    assertNoLeak(
      result,
      [o.token, ...(o.secrets ?? [])],
      [o.workspace, dir, ...(o.scanDirs ?? [])],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** Fails when a secret appears in what the run printed or wrote, or in files it left. */
export function assertNoLeak(r: RunResult, secrets: string[], dirs: string[]): void {
  // `::add-mask::<secret>` is how a step asks the runner to mask; the runner consumes it.
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  const texts: [string, string][] = [
    ['stdout', stdout],
    ['stderr', r.stderr],
    ['summary', r.summary],
    ['outputs', JSON.stringify(r.outputs)],
  ];
  for (const dir of dirs) {
    for (const file of walk(dir)) {
      const stat = fs.statSync(file);
      if (stat.size < 5_000_000) texts.push([file, fs.readFileSync(file, 'latin1')]);
    }
  }
  for (const secret of secrets.filter((s) => s && s.length >= 8)) {
    for (const [where, text] of texts) {
      if (text.includes(secret)) throw new Error(`secret leaked into ${where}`);
    }
  }
}

function* walk(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'objects') continue; // git objects are compressed; refs/config are checked
      yield* walk(p);
    } else if (e.isFile()) yield p;
  }
}

/** `r` when the run succeeded; otherwise throws with everything it printed, to show why. */
export function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`action failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The run's `::error::` line (the failure's one sentence), or '' when it has none. */
export function errorLine(r: RunResult): string {
  return r.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
}

/** What a push run needs: an emulator's token and URL, and the repository pushed to. */
interface PushTarget {
  emu: { token: string; url: string };
  repo: { serverUrl: string; checkout(sha: string): string };
}

/**
 * Runs the action as a push of `sha` to main would, with a checkout of that commit as the
 * workspace; `extra` adds or overrides run options (env, timeoutMs…).
 */
export function runPush(
  { emu, repo }: PushTarget,
  sha: string,
  inputs: Record<string, string>,
  extra: Partial<RunOptions> = {},
): Promise<RunResult> {
  return runAction({
    inputs,
    token: emu.token,
    apiUrl: emu.url,
    workspace: repo.checkout(sha),
    eventName: 'push',
    event: { ref: 'refs/heads/main', after: sha },
    sha,
    serverUrl: repo.serverUrl,
    ...extra,
  });
}
