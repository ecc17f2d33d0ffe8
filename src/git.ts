// Every git call goes through here: argv arrays (never a shell), LC_ALL=C for stable output,
// credentials only through the environment. Helpers for what shallow clones lack.
import { getExecOutput } from '@actions/exec';
import type { Log } from './log.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    const detail = result.stderr.trim().split('\n').slice(-3).join(' ');
    super(`git ${args[0]} failed (exit ${result.code}): ${detail}`);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd: string;
  log: Log;
  /** Extra environment, e.g. an auth header for https remotes (never in argv). */
  env?: Record<string, string>;
}

export class Git {
  /** Commits known to be present: objects never leave a clone while the action runs. */
  private readonly present = new Set<string>();

  constructor(private readonly opts: GitOptions) {}

  get cwd(): string {
    return this.opts.cwd;
  }

  /** Runs git; returns the result whatever the exit code. */
  async exec(args: string[], input?: Buffer): Promise<GitResult> {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      ...this.opts.env,
    };
    const { exitCode, stdout, stderr } = await getExecOutput('git', args, {
      cwd: this.opts.cwd,
      env,
      silent: true,
      ignoreReturnCode: true,
      input,
    });
    return { code: exitCode, stdout, stderr };
  }

  /** Runs git and fails on a non-zero exit. */
  async run(args: string[]): Promise<string> {
    const result = await this.exec(args);
    if (result.code !== 0) throw new GitError(args, result);
    return result.stdout;
  }

  async isRepository(): Promise<boolean> {
    const r = await this.exec(['rev-parse', '--is-inside-work-tree']);
    return r.code === 0 && r.stdout.trim() === 'true';
  }

  /**
   * The repository's top level and HEAD in one call, or undefined when the folder holds no
   * repository with a commit checked out (one spawn instead of three on the common path).
   */
  async describe(): Promise<{ topLevel: string; head: string } | undefined> {
    const r = await this.exec(['rev-parse', '--is-inside-work-tree', '--show-toplevel', 'HEAD']);
    const [inside, topLevel, head] = r.stdout.trim().split('\n');
    if (r.code !== 0 || inside !== 'true' || !topLevel || !head) return undefined;
    return { topLevel, head };
  }

  async topLevel(): Promise<string> {
    return (await this.run(['rev-parse', '--show-toplevel'])).trim();
  }

  async head(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).trim();
  }

  async isShallow(): Promise<boolean> {
    return (await this.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  async hasCommit(sha: string): Promise<boolean> {
    if (this.present.has(sha)) return true;
    const found = (await this.exec(['cat-file', '-e', `${sha}^{commit}`])).code === 0;
    if (found) this.present.add(sha);
    return found;
  }

  async hasRemote(name = 'origin'): Promise<boolean> {
    return (await this.exec(['remote', 'get-url', name])).code === 0;
  }

  async remoteUrl(name = 'origin'): Promise<string | undefined> {
    const r = await this.exec(['remote', 'get-url', name]);
    return r.code === 0 ? r.stdout.trim() : undefined;
  }

  /**
   * Makes sure a commit is present locally: fetched by SHA from origin (GitHub serves any
   * reachable or recently force-pushed-away commit), else by deepening step by step.
   * Returns false only when origin cannot provide it.
   */
  async ensureCommit(sha: string): Promise<boolean> {
    if (await this.hasCommit(sha)) return true;
    if (!(await this.hasRemote())) return false;
    this.opts.log.info(`Fetching commit ${sha.slice(0, 12)} from origin (not in the local clone).`);
    const bySha = await this.exec(['fetch', '--no-tags', '--depth=1', 'origin', sha]);
    if (bySha.code === 0 && (await this.hasCommit(sha))) return true;
    this.opts.log.debug(`fetch by SHA failed: ${bySha.stderr.trim()}`);
    // Servers that refuse SHAs in want lines: deepen what we have until the commit shows up.
    for (const depth of [50, 200, 1000]) {
      if (!(await this.isShallow())) break;
      this.opts.log.info(`Deepening the clone by ${depth} commits to find ${sha.slice(0, 12)}.`);
      await this.exec(['fetch', '--no-tags', `--deepen=${depth}`, 'origin']);
      if (await this.hasCommit(sha)) return true;
    }
    if (await this.isShallow()) {
      this.opts.log.info('Fetching the full history to find the commit.');
      await this.exec(['fetch', '--no-tags', '--unshallow', 'origin']);
      if (await this.hasCommit(sha)) return true;
    }
    const all = await this.exec([
      'fetch',
      '--no-tags',
      'origin',
      '+refs/heads/*:refs/remotes/origin/*',
    ]);
    if (all.code === 0 && (await this.hasCommit(sha))) return true;
    return false;
  }

  /**
   * Is `ancestor` an ancestor of `descendant`? In a shallow clone a "no" may only mean the
   * history between them is missing, so deepen `descendant`'s history until git can tell.
   */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    for (const depth of [0, 100, 1000, 10000, -1]) {
      const r = await this.exec(['merge-base', '--is-ancestor', ancestor, descendant]);
      if (r.code === 0) return true;
      if (r.code !== 1) throw new GitError(['merge-base', '--is-ancestor'], r);
      if (!(await this.isShallow()) || !(await this.hasRemote())) return false;
      if (depth === 0) continue;
      const args =
        depth > 0
          ? ['fetch', '--no-tags', `--depth=${depth}`, 'origin', descendant]
          : ['fetch', '--no-tags', '--unshallow', 'origin'];
      this.opts.log.info(
        `Deepening history to compare ${ancestor.slice(0, 7)} and ${descendant.slice(0, 7)}.`,
      );
      await this.exec(args);
    }
    return false;
  }

  /**
   * Paths that differ between two commits' trees (ancestry does not matter). Renames count
   * as a deletion plus an addition, so both sides are seen; NUL-separated so any name works.
   */
  async changedPaths(from: string, to: string): Promise<string[]> {
    const out = await this.run([
      '-c',
      'core.quotePath=false',
      'diff',
      '--name-only',
      '--no-renames',
      '--no-ext-diff',
      '-z',
      from,
      to,
      '--',
    ]);
    return out.split('\0').filter(Boolean);
  }

  /** Commit metadata for deploy records and descriptions. */
  async commitInfo(
    sha: string,
  ): Promise<{ subject: string; authorName: string; authorEmail: string; time: number }> {
    const out = await this.run(['show', '-s', '--format=%s%x00%an%x00%ae%x00%ct', sha]);
    const [subject = '', authorName = '', authorEmail = '', time = '0'] = out
      .replace(/\n$/, '')
      .split('\0');
    return { subject, authorName, authorEmail, time: Number(time) };
  }
}

/**
 * Environment that makes git send a token to an https remote without it ever being in argv
 * or in .git/config (git reads GIT_CONFIG_* as command-line config).
 */
export function authEnv(serverUrl: string, token: string | undefined): Record<string, string> {
  if (!token || !/^https:\/\//i.test(serverUrl)) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${serverUrl.replace(/\/+$/, '')}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}
