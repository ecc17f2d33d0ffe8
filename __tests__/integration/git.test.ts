// The git wrapper against real repositories: finding commits a shallow clone lacks (also on
// servers that refuse SHAs or fail in passing), ancestry across cut history, and the auth
// header next to one actions/checkout persisted.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Git, authEnv, headerEnv } from '../../src/platform/git.js';
import { recordingLog } from '../../src/platform/log.js';
import { git } from '../support/repo.js';
import { authorizations, startGitHttp, type GitHttpServer } from '../support/git-http.js';

let root: string;
let origin: string;
/** Commits of main on origin, oldest first. */
let main: string[];

/** A linear history of `count` commits on `branch` (fast-import: hundreds in milliseconds). */
function history(repo: string, branch: string, count: number, from?: string): string[] {
  const lines: string[] = [];
  for (let i = 1; i <= count; i++) {
    const msg = `${branch} ${i}`;
    lines.push(`commit refs/heads/${branch}`, `mark :${i}`);
    lines.push(`committer T <t@example.invalid> ${1_700_000_000 + i} +0000`);
    lines.push(`data ${Buffer.byteLength(msg)}`, msg);
    if (i === 1 && from) lines.push(`from ${from}`);
    lines.push(`M 644 inline file.txt`, `data ${Buffer.byteLength(msg)}`, msg, '');
  }
  execFileSync('git', ['fast-import', '--quiet', '--force'], {
    cwd: repo,
    input: lines.join('\n') + '\n',
  });
  return git(repo, 'rev-list', '--reverse', `refs/heads/${branch}`).split('\n').slice(-count);
}

/**
 * A clone as actions/checkout makes it: init, origin, the one commit at a depth. Async:
 * the http server answering it runs in this process.
 */
async function clone(url: string, sha: string, depth?: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(root, 'clone-'));
  const run = (...args: string[]) => promisify(execFile)('git', args, { cwd: dir });
  await run('init', '-q');
  await run('remote', 'add', 'origin', url);
  await run('fetch', '-q', '--no-tags', ...(depth ? [`--depth=${depth}`] : []), 'origin', sha);
  await run('checkout', '-q', '--detach', sha);
  return dir;
}

/** The client speaks protocol v0, where a server refuses SHAs it did not advertise. */
const v0 = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'protocol.version', GIT_CONFIG_VALUE_0: '0' };

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-git-'));
  origin = path.join(root, 'server', 'acme', 'airflow');
  fs.mkdirSync(origin, { recursive: true });
  git(origin, 'init', '-q', '--bare', '-b', 'main');
  main = history(origin, 'main', 300);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('ensureCommit', () => {
  it('fetches a missing commit by SHA into a shallow clone', async () => {
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    const log = recordingLog();
    const g = new Git({ cwd: dir, log });
    expect(await g.ensureCommit(main[100]!)).toBe(true);
    expect(log.lines.some((l) => l.includes('Deepening'))).toBe(false);
  });

  it('deepens step by step when the server refuses SHAs it did not advertise', async () => {
    // 120 commits back: the first deepening (50) is not enough, the second (200) is.
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    const log = recordingLog();
    const g = new Git({ cwd: dir, log, env: v0 });
    expect(await g.ensureCommit(main[179]!)).toBe(true);
    const steps = log.lines.filter((l) => l.includes('Deepening the clone'));
    expect(steps).toHaveLength(2);
    expect(await g.isShallow()).toBe(true);
  });

  it('finds a commit only a tag reaches on a server that refuses SHAs', async () => {
    const side = history(origin, 'side', 3, main[10]);
    git(origin, 'tag', 'v-side', side[2]!);
    git(origin, 'update-ref', '-d', 'refs/heads/side');
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    const g = new Git({ cwd: dir, log: recordingLog(), env: v0 });
    expect(await g.ensureCommit(side[1]!)).toBe(true);
  });

  it('asks origin once per run for a commit it cannot provide (the baselines and the stale guard ask again)', async () => {
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    const log = recordingLog();
    const g = new Git({ cwd: dir, log, env: v0 });
    const lost = 'fedcba9876543210fedcba9876543210fedcba98';
    expect(await g.ensureCommit(lost)).toBe(false);
    const asked = log.lines.length;
    expect(log.lines.some((l) => /every branch/.test(l))).toBe(true);
    expect(await g.ensureCommit(lost)).toBe(false);
    expect(await g.ensureCommit(lost)).toBe(false);
    expect(log.lines).toHaveLength(asked);
  });

  it('keeps a full clone full', async () => {
    // A commit no branch reaches any more (force-pushed away), fetched by SHA.
    const gone = history(origin, 'gone', 2, main[50]);
    git(origin, 'update-ref', '-d', 'refs/heads/gone');
    const dir = await clone(`file://${origin}`, main[299]!);
    const g = new Git({ cwd: dir, log: recordingLog() });
    expect(await g.ensureCommit(gone[1]!)).toBe(true);
    expect(await g.isShallow()).toBe(false);
  });

  it('says no at once, without throwing or fetching history, for a commit origin does not have', async () => {
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    const log = recordingLog();
    const g = new Git({ cwd: dir, log });
    expect(await g.ensureCommit('0123456789abcdef0123456789abcdef01234567')).toBe(false);
    expect(log.lines).toContain('info: Origin has no commit 0123456789ab.');
    expect(log.lines.some((l) => /Deepening|every branch/.test(l))).toBe(false);
    expect(await g.isShallow()).toBe(true);
  });
});

describe('remoteBranches', () => {
  it("lists origin's branches (slashes kept) from a depth-1 clone, fetching nothing", async () => {
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    git(origin, 'update-ref', 'refs/heads/feature/a-b', main[5]!);
    git(origin, 'update-ref', 'refs/tags/v-only-a-tag', main[6]!);
    try {
      const g = new Git({ cwd: dir, log: recordingLog() });
      const heads = await g.remoteBranches();
      expect(heads.has('main')).toBe(true);
      expect(heads.has('feature/a-b')).toBe(true);
      expect(heads.has('v-only-a-tag')).toBe(false);
      expect(await g.isShallow()).toBe(true);
    } finally {
      git(origin, 'update-ref', '-d', 'refs/heads/feature/a-b');
      git(origin, 'update-ref', '-d', 'refs/tags/v-only-a-tag');
    }
  });

  it('throws when origin cannot be read: an unknown list is never an empty one', async () => {
    const dir = await clone(`file://${origin}`, main[299]!, 1);
    git(dir, 'remote', 'set-url', 'origin', `file://${path.join(root, 'no-such-repo')}`);
    const g = new Git({ cwd: dir, log: recordingLog() });
    await expect(g.remoteBranches()).rejects.toThrow(/^git ls-remote failed/);
  });
});

describe('fetches over http', () => {
  let server: GitHttpServer;
  beforeAll(async () => {
    server = await startGitHttp(path.join(root, 'server'));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.splice(0);
  });
  afterEach(() => server.failNext(0, 200));

  /** A depth-1 clone over http and a Git on it with short retry pauses. */
  async function httpGit() {
    const dir = await clone(`${server.url}/acme/airflow`, main[299]!, 1);
    const log = recordingLog();
    return { dir, log, g: new Git({ cwd: dir, log, retryDelaysMs: [10, 10] }) };
  }

  it('retries a fetch the server failed in passing', async () => {
    const { g, log } = await httpGit();
    server.failNext(2, 503);
    expect(await g.ensureCommit(main[3]!)).toBe(true);
    expect(log.lines.filter((l) => l.includes('retrying'))).toHaveLength(2);
  });

  it('stops the job, instead of deploying everything, when origin keeps failing', async () => {
    const { g } = await httpGit();
    server.failNext(100, 502);
    await expect(g.ensureCommit(main[3]!)).rejects.toThrow(
      /Could not fetch from origin after 3 attempts \(.*502.*\).*Re-run the job/,
    );
  });

  it('takes a 4xx as an answer: no retry, no stop, a warning', async () => {
    const { g, log } = await httpGit();
    server.failNext(100, 403);
    expect(await g.ensureCommit(main[3]!)).toBe(false);
    expect(log.lines.some((l) => l.includes('retrying'))).toBe(false);
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^warning: git fetch from origin failed: .*403/),
    );
  });

  it('takes "not our ref" over http as missing, without retries', async () => {
    const { g, log } = await httpGit();
    expect(await g.ensureCommit('0123456789abcdef0123456789abcdef01234567')).toBe(false);
    expect(log.lines.some((l) => l.includes('retrying') || l.startsWith('warning'))).toBe(false);
    expect(log.lines).toContain('info: Origin has no commit 0123456789ab.');
    expect(log.lines.some((l) => /Deepening|every branch/.test(l))).toBe(false);
  });

  it('sends one Authorization header although the clone has one persisted', async () => {
    const { dir } = await httpGit();
    // What actions/checkout leaves in the clone's config.
    git(dir, 'config', `http.${server.url}/.extraheader`, 'AUTHORIZATION: basic persisted');
    const ours = 'AUTHORIZATION: basic ours';
    const g = new Git({ cwd: dir, log: recordingLog(), env: headerEnv(server.url, ours, {}) });
    server.requests.splice(0); // the clone's own
    expect(await g.ensureCommit(main[5]!)).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
    for (const r of server.requests) expect(authorizations(r.rawHeaders)).toEqual(['basic ours']);

    // Without the reset both go out: what the check above guards against.
    server.requests.splice(0);
    const both = new Git({
      cwd: dir,
      log: recordingLog(),
      env: {
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: `http.${server.url}/.extraheader`,
        GIT_CONFIG_VALUE_0: ours,
      },
    });
    await both.exec(['ls-remote', 'origin']);
    expect(authorizations(server.requests[0]!.rawHeaders)).toEqual([
      'basic persisted',
      'basic ours',
    ]);
  });
});

describe('authEnv', () => {
  it('sends a token to https servers only, reset first, nothing in argv', () => {
    expect(authEnv('file:///srv', 'tok')).toEqual({});
    expect(authEnv('http://127.0.0.1:1', 'tok')).toEqual({});
    expect(authEnv('https://github.com', undefined)).toEqual({});
    const env = authEnv('https://github.com/', 'tok', {});
    const basic = Buffer.from('x-access-token:tok').toString('base64');
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`,
    });
  });

  it('keeps configuration someone else passed through the environment', () => {
    const env = authEnv('https://github.com', 'tok', { GIT_CONFIG_COUNT: '1' });
    expect(env.GIT_CONFIG_COUNT).toBe('3');
    expect(env.GIT_CONFIG_KEY_0).toBeUndefined();
    expect(env.GIT_CONFIG_VALUE_1).toBe('');
    expect(env.GIT_CONFIG_VALUE_2).toMatch(/^AUTHORIZATION: basic /);
  });
});

describe('isAncestor in a shallow clone', () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('settles an older live commit with one small deepening, no full history', async () => {
    dir = await clone(`file://${origin}`, main[299]!, 1);
    const log = recordingLog();
    const g = new Git({ cwd: dir, log });
    await g.ensureCommit(main[269]!);
    expect(await g.isAncestor(main[299]!, main[269]!)).toBe(false);
    expect(log.lines.filter((l) => l.includes('Deepening history'))).toHaveLength(1);
    expect(await g.isShallow()).toBe(true);
  });

  it('finds HEAD under a newer live commit more than a hundred commits on', async () => {
    dir = await clone(`file://${origin}`, main[120]!, 1);
    const g = new Git({ cwd: dir, log: recordingLog() });
    await g.ensureCommit(main[299]!);
    expect(await g.isAncestor(main[120]!, main[299]!)).toBe(true);
  });

  it('says no for diverged histories once the whole history is here', async () => {
    const fork = history(origin, 'fork', 2, main[0]);
    dir = await clone(`file://${origin}`, main[299]!, 1);
    const log = recordingLog();
    const g = new Git({ cwd: dir, log });
    await g.ensureCommit(fork[1]!);
    expect(await g.isAncestor(main[299]!, fork[1]!)).toBe(false);
    expect(await g.isShallow()).toBe(false);
  });
});
