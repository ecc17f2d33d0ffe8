// Makes sure the repository is in the workspace. Users of the anchor have no checkout step
// (the anchor clones by itself), so with `checkout: true` and no repository we clone.
import fs from 'node:fs/promises';
import { Git, authEnv } from './git.js';
import type { Log } from './log.js';
import type { Settings } from './settings-types.js';

export interface WorkspaceInfo {
  git: Git;
  /** Absolute path of the repository's top level. */
  repoRoot: string;
  head: string;
  cloned: boolean;
}

export async function prepareWorkspace(
  settings: Pick<
    Settings,
    'workspaceDir' | 'checkout' | 'checkoutSubmodules' | 'githubToken' | 'sparseCheckout'
  >,
  env: NodeJS.ProcessEnv,
  log: Log,
): Promise<WorkspaceInfo> {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const gitEnv = authEnv(serverUrl, settings.githubToken);
  const dir = settings.workspaceDir;
  await fs.mkdir(dir, { recursive: true });
  let git = new Git({ cwd: dir, log, env: gitEnv });

  const notCloning = () => {
    if (settings.sparseCheckout.length)
      log.info(
        "Input 'sparse-checkout' applies only when the action clones the repository; the workspace already holds one, so its work tree is used as it is.",
      );
  };
  const found = await git.describe();
  if (found) {
    notCloning();
    git = new Git({ cwd: found.topLevel, log, env: gitEnv });
    return { git, repoRoot: found.topLevel, head: found.head, cloned: false };
  }
  if (await git.isRepository()) {
    notCloning();
    // A repository without a commit checked out: say so (git's own message).
    const repoRoot = await git.topLevel();
    git = new Git({ cwd: repoRoot, log, env: gitEnv });
    return { git, repoRoot, head: await git.head(), cloned: false };
  }
  if (!settings.checkout) {
    throw new Error(
      `The workspace (${dir}) holds no git repository and 'checkout' is false; add an actions/checkout step or set checkout: true.`,
    );
  }
  const repository = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!repository || !sha) {
    throw new Error(
      'The workspace holds no git repository and GITHUB_REPOSITORY / GITHUB_SHA are not set, so there is nothing to clone; add an actions/checkout step.',
    );
  }
  const url = `${serverUrl}/${repository}${serverUrl.startsWith('file:') ? '' : '.git'}`;
  log.info(
    `No repository in the workspace: cloning ${serverUrl}/${repository} at ${sha.slice(0, 12)}.`,
  );
  await git.run(['init', '-q']);
  await git.run(['remote', 'add', 'origin', url]);
  // Only the commit itself; baselines are fetched by SHA later, when needed.
  const fetched = await git.exec(['fetch', '--no-tags', '--depth=1', 'origin', sha]);
  if (fetched.code !== 0) {
    throw new Error(
      `Could not fetch ${sha.slice(0, 12)} from ${serverUrl}/${repository}: ${fetched.stderr.trim().split('\n').pop()}. Check that 'github-token' may read the repository.`,
    );
  }
  if (settings.sparseCheckout.length) {
    // Only the work tree is narrowed: history and trees stay whole, so what changed (git diff
    // between commits) and the project checks (git ls-tree) see the same as a full clone.
    log.info(`Sparse checkout (cone mode): ${settings.sparseCheckout.join(', ')}.`);
    await git.run(['sparse-checkout', 'set', '--cone', '--', ...settings.sparseCheckout]);
  }
  await git.run(['checkout', '-q', '--force', '--detach', sha]);
  if (settings.checkoutSubmodules) {
    const args = ['submodule', 'update', '--init', '--depth=1'];
    if (settings.checkoutSubmodules === 'recursive') args.push('--recursive');
    await git.run(args);
  }
  return { git, repoRoot: await git.topLevel(), head: await git.head(), cloned: true };
}
