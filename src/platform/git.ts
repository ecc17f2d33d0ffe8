// Every git call goes through here: argv arrays (never a shell), LC_ALL=C for stable output,
// credentials only through the environment. Helpers for what shallow clones lack.
import { getExecOutput } from '@actions/exec';
import { clockWith, type Clock } from './clock.js';
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
  /** Pauses between attempts of a fetch that failed in passing (tests shorten them). */
  retryDelaysMs?: number[];
  /** The clock the pauses are slept on (tests record them). */
  clock?: Partial<Clock>;
}

// The server has no such object it will hand out (protocol v2, GitHub's: any object it has
// may be asked for by SHA, so deepening cannot find it either).
const ABSENT = /not our ref|not a valid object name/i;
// The server will not hand out objects by SHA, or has no such ref: deepening may find it.
const UNADVERTISED = /unadvertised object|couldn't find remote ref|no such remote ref/i;
// An HTTP 4xx other than 429 is an answer, not a failure in passing (git may print it as
// "RPC failed; HTTP 403").
const CLIENT_ERROR = /(?:returned error:|HTTP) 4(?!29)\d\d/i;
// What a network or a server in trouble makes git print; worth another try.
const TRANSIENT =
  /returned error: (?:5\d\d|429)|could not resolve host|failed to connect|connection (?:refused|reset|timed out)|operation (?:timed out|too slow)|early eof|rpc failed|unexpected disconnect|remote end hung up|empty reply|http\/2 stream|failure when receiving|transfer closed|(?:recv|send) failure|gnutls_(?:handshake|recv)|ssl_(?:read|connect)|tls connection/i;
const ALL_BRANCHES = '+refs/heads/*:refs/remotes/origin/*';
const ALL_TAGS = '+refs/tags/*:refs/tags/*';

export class Git {
  /** Commits known to be present: objects never leave a clone while the action runs. */
  private readonly present = new Set<string>();
  /**
   * Commits origin could not provide: asked again in the same run (the image and the DAG
   * baselines, the stale guard), the answer is the same, without another round of fetches.
   */
  private readonly unavailable = new Set<string>();

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
   * git fetch from origin. Failures that look passing (network, 5xx, 429) are retried a few
   * times and then thrown: a commit that may still be fetchable must not be taken for a
   * missing one. 'absent': the server has no such object; 'unadvertised': it will not give
   * it by SHA; 'refused': any other answer (access, no such repository), reported in the log.
   */
  async fetch(args: string[]): Promise<'ok' | 'absent' | 'unadvertised' | 'refused'> {
    const full = ['fetch', '--no-tags', ...args];
    const delays = this.opts.retryDelaysMs ?? [2000, 6000];
    for (let attempt = 0; ; attempt++) {
      const r = await this.exec(full);
      if (r.code === 0) return 'ok';
      const why = r.stderr.trim().split('\n').pop() ?? '';
      const answer = ABSENT.test(r.stderr)
        ? 'absent'
        : UNADVERTISED.test(r.stderr)
          ? 'unadvertised'
          : undefined;
      if (answer) {
        this.opts.log.debug(`git fetch: ${why}`);
        return answer;
      }
      if (CLIENT_ERROR.test(r.stderr) || !TRANSIENT.test(r.stderr)) {
        this.opts.log.warning(`git fetch from origin failed: ${why}`);
        return 'refused';
      }
      if (attempt >= delays.length) {
        throw new Error(
          `Could not fetch from origin after ${attempt + 1} attempts (${why}); the commits needed to decide what changed may exist there, so the job stops instead of deploying everything. Re-run the job.`,
        );
      }
      this.opts.log.info(
        `git fetch failed (${why}); retrying in ${Math.round(delays[attempt]! / 1000)} s.`,
      );
      await clockWith(this.opts.clock).sleep(delays[attempt]!);
    }
  }

  /**
   * Makes sure a commit is present locally: fetched by SHA from origin (GitHub serves any
   * reachable or recently force-pushed-away commit), else by deepening step by step, else
   * by fetching every branch and tag. Returns false only when origin cannot provide it.
   */
  async ensureCommit(sha: string): Promise<boolean> {
    if (await this.hasCommit(sha)) return true;
    if (this.unavailable.has(sha)) return false;
    const found = await this.fetchCommit(sha);
    if (!found) this.unavailable.add(sha);
    return found;
  }

  private async fetchCommit(sha: string): Promise<boolean> {
    if (!(await this.hasRemote())) return false;
    this.opts.log.info(`Fetching commit ${sha.slice(0, 12)} from origin (not in the local clone).`);
    // --depth only where history is cut already: on a full clone it would cut it.
    const depth = (await this.isShallow()) ? ['--depth=1'] : [];
    const bySha = await this.fetch([...depth, 'origin', sha]);
    if (bySha === 'ok' && (await this.hasCommit(sha))) return true;
    if (bySha === 'refused') return false;
    if (bySha === 'absent') {
      this.opts.log.info(`Origin has no commit ${sha.slice(0, 12)}.`);
      return false;
    }
    // Servers that refuse SHAs in want lines: deepen what we have until the commit shows up.
    for (const n of [50, 200, 1000]) {
      if (!(await this.isShallow())) break;
      this.opts.log.info(`Deepening the clone by ${n} commits to find ${sha.slice(0, 12)}.`);
      await this.fetch([`--deepen=${n}`, 'origin', ALL_BRANCHES]);
      if (await this.hasCommit(sha)) return true;
    }
    this.opts.log.info(`Fetching every branch and tag of origin to find ${sha.slice(0, 12)}.`);
    const unshallow = (await this.isShallow()) ? ['--unshallow'] : [];
    await this.fetch([...unshallow, 'origin', ALL_BRANCHES, ALL_TAGS]);
    return this.hasCommit(sha);
  }

  /**
   * Is `ancestor` an ancestor of `descendant`? In a shallow clone a "no" may only mean the
   * history between them is missing, so both histories are deepened until git can tell:
   * until one of the two is found below the other, or the whole history is here.
   */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const below = async (a: string, d: string): Promise<boolean> => {
      const r = await this.exec(['merge-base', '--is-ancestor', a, d]);
      if (r.code !== 0 && r.code !== 1) throw new GitError(['merge-base', '--is-ancestor'], r);
      return r.code === 0;
    };
    for (const deepen of [0, 50, 500, 5000, -1]) {
      if (deepen !== 0) {
        this.opts.log.info(
          `Deepening history to compare ${ancestor.slice(0, 7)} and ${descendant.slice(0, 7)}.`,
        );
        const how = deepen > 0 ? [`--deepen=${deepen}`] : ['--unshallow'];
        await this.fetch([...how, 'origin', ancestor, descendant]);
      }
      if (await below(ancestor, descendant)) return true;
      // The other way round settles it too, usually after the first small deepening.
      if (await below(descendant, ancestor)) return false;
      if (!(await this.isShallow()) || !(await this.hasRemote())) return false;
    }
    return false;
  }

  /** The commit a branch points at on origin now, or undefined when that cannot be read. */
  async remoteBranchTip(branch: string): Promise<string | undefined> {
    const r = await this.exec(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`]);
    if (r.code !== 0) return undefined;
    return /^([0-9a-f]{40,64})\t/m.exec(r.stdout)?.[1];
  }

  /**
   * The names of every branch origin has now (`git ls-remote --heads`: refs only, no objects,
   * so a shallow checkout is enough). Throws when origin cannot be read: an unknown list must
   * never be taken for an empty one.
   */
  async remoteBranches(): Promise<Set<string>> {
    const out = await this.run(['ls-remote', '--heads', 'origin']);
    const names = new Set<string>();
    for (const line of out.split('\n')) {
      const m = /^[0-9a-f]{40,64}\trefs\/heads\/(.+)$/.exec(line.trim());
      if (m) names.add(m[1]);
    }
    return names;
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
 * or in .git/config (git reads GIT_CONFIG_* as command-line config). An empty value first
 * resets the header list: actions/checkout persists its own header for the same server,
 * and two Authorization headers make GitHub answer 400.
 */
export function authEnv(
  serverUrl: string,
  token: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  if (!token || !/^https:\/\//i.test(serverUrl)) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return headerEnv(serverUrl, `AUTHORIZATION: basic ${basic}`, env);
}

/** The http.<url>.extraheader part of authEnv, for any scheme (tests use http loopback). */
export function headerEnv(
  serverUrl: string,
  header: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  // Entries someone else passed this way stay; ours follow them.
  const first = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  const key = `http.${serverUrl.replace(/\/+$/, '')}/.extraheader`;
  return {
    GIT_CONFIG_COUNT: String(first + 2),
    [`GIT_CONFIG_KEY_${first}`]: key,
    [`GIT_CONFIG_VALUE_${first}`]: '',
    [`GIT_CONFIG_KEY_${first + 1}`]: key,
    [`GIT_CONFIG_VALUE_${first + 1}`]: header,
  };
}
