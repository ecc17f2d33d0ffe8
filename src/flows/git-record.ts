// The git record every deploy carries (its description's commit, the git metadata): the
// baselines of later runs read it back, so it names what the user pushed.
import type { GitInfo } from '../astro/types.js';
import type { Log } from '../platform/log.js';
import type { Settings } from '../inputs/settings-types.js';
import type { Trigger } from '../inputs/trigger.js';
import type { Checkout } from '../platform/checkout.js';

/**
 * The commit a deploy names (description, git metadata). On pull_request events GITHUB_SHA
 * is GitHub's temporary merge commit: when that is what is checked out, name the PR's head
 * commit instead (its subject, SHA and author), which is what the user pushed.
 */
export async function namedCommit(ws: Checkout, trigger: Trigger, log: Log): Promise<string> {
  if (trigger.kind !== 'pull_request') return ws.head;
  const { headSha, sha } = trigger;
  if (!headSha || headSha === ws.head || ws.head !== sha) return ws.head;
  if (await ws.git.ensureCommit(headSha)) return headSha;
  log.warning(
    `The pull request's head commit ${headSha.slice(0, 12)} could not be fetched, so the deploy names the merge commit ${ws.head.slice(0, 12)} instead.`,
  );
  return ws.head;
}

/** Git metadata every deploy carries: the baselines of later runs depend on it. */
export async function gitInfo(
  ws: Checkout,
  sha: string,
  trigger: Trigger,
  env: NodeJS.ProcessEnv,
  settings: Settings,
  authorName: string,
): Promise<GitInfo> {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [account = '', repo = ''] = repository.split('/');
  const branch = trigger.branch;
  const base = {
    commitSha: sha,
    branch,
    path: settings.rootFolder || undefined,
    authorName: authorName || undefined,
    authorUsername: env.GITHUB_ACTOR || undefined,
  };
  if (/^https:\/\/github\.com$/i.test(server) && account && repo) {
    return {
      provider: 'GITHUB',
      account,
      repo,
      commitUrl: `${server}/${repository}/commit/${sha}`,
      authorUrl: env.GITHUB_ACTOR ? `${server}/${env.GITHUB_ACTOR}` : undefined,
      ...base,
    };
  }
  const remote =
    (await ws.git.remoteUrl()) ??
    (repository ? `${server}/${repository}` : `file://${ws.repoRoot}`);
  return { provider: 'GENERIC', remoteUrl: stripCredentials(remote), ...base };
}

function stripCredentials(url: string): string {
  return url.replace(/\/\/[^/@]+@/, '//');
}
