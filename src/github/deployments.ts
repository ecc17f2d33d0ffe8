// GitHub deployments (`github-deployments: true`): each deploy and each preview is a GitHub
// deployment in an environment (the Deployment's name; `preview/<branch>` for previews)
// whose status goes `in_progress` → `success` / `failure`, with `environment_url` = the
// Deployment's Astro page and `log_url` = the run. A deleted preview's deployments become
// `inactive`. Like the PR comment this is a courtesy: nothing here throws, every failure is a
// warning, and a token without `deployments: write` gives ONE warning and turns the part off
// for the rest of the run.

import type { Log } from '../platform/log.js';
import { GitHubApiError, toGitHubApiError, type GitHubClient } from './octokit.js';

/** GitHub caps a status description at 140 characters (longer is a 422). */
const MAX_STATUS_DESCRIPTION = 140;

/** A description that GitHub accepts: one line, at most 140 characters. */
export function statusDescription(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_STATUS_DESCRIPTION
    ? one
    : one.slice(0, MAX_STATUS_DESCRIPTION - 1).trimEnd() + '…';
}

/** The environment of a preview of `branch`. */
export function previewEnvironment(branch: string): string {
  return `preview/${branch.replace(/^refs\/heads\//, '')}`;
}

/** The run's page: `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

export interface StartDeployment {
  /** The Deployment's name, or `previewEnvironment(branch)`. */
  environment: string;
  /** The commit SHA (or ref) deployed. */
  ref: string;
  description?: string;
  /** True for previews: the environment goes away when the preview is deleted. */
  transient?: boolean;
  /** The run's page, shown while in progress. */
  logUrl?: string;
  /** The Deployment's Astro page, when already known. */
  environmentUrl?: string;
}

export interface GitHubDeploymentHandle {
  /** The GitHub deployment's id; undefined when it could not be created (or the part is off). */
  readonly id?: number;
  success(o: { environmentUrl?: string; logUrl?: string; description?: string }): Promise<void>;
  failure(o: { logUrl?: string; description?: string; environmentUrl?: string }): Promise<void>;
  /** The deploy will never go live (e.g. left unfinalized because a newer commit is live). */
  inactive(o: { logUrl?: string; description?: string; environmentUrl?: string }): Promise<void>;
}

export interface GitHubDeployments {
  /** False once a 401/403/404 turned the part off (or when it was never on). */
  readonly enabled: boolean;
  start(o: StartDeployment): Promise<GitHubDeploymentHandle>;
  /** A deployment a killed run left `in_progress` → `failure` (the post step). */
  markFailed(
    id: number,
    environment: string,
    o: { description: string; logUrl?: string },
  ): Promise<void>;
  /** Every deployment of `environment` → `inactive` (a deleted preview). Returns how many. */
  deactivate(environment: string, o?: { description?: string; logUrl?: string }): Promise<number>;
}

export interface GitHubDeploymentsOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  log: Log;
}

const noHandle: GitHubDeploymentHandle = {
  id: undefined,
  success: async () => {},
  failure: async () => {},
  inactive: async () => {},
};

export function createGitHubDeployments(o: GitHubDeploymentsOptions): GitHubDeployments {
  const { octokit, owner, repo, log } = o;
  let enabled = true;

  /** Run one step; a failure is a warning, and a permission problem turns the part off. */
  const guarded = async <T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> => {
    if (!enabled) return fallback;
    try {
      return await fn();
    } catch (e) {
      const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, 30_000, Date.now());
      if (err.status === 401 || err.status === 403 || err.status === 404) {
        enabled = false;
        const why =
          err.status === 401
            ? 'the github-token is not valid'
            : 'the github-token lacks `deployments: write`';
        log.warning(
          `Could not ${what} (${err.message}): ${why}, so this run records no GitHub deployments. Give the job \`permissions: deployments: write\` (or set github-deployments: false); the deploy itself is not affected.`,
        );
      } else {
        log.warning(`Could not ${what} (${err.message}); the deploy itself is not affected.`);
      }
      return fallback;
    }
  };

  const setStatus = async (
    id: number,
    environment: string,
    body: {
      state: 'in_progress' | 'success' | 'failure' | 'inactive';
      environment_url?: string;
      log_url?: string;
      description?: string;
    },
  ) => {
    await octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state: body.state,
      ...(body.environment_url ? { environment_url: body.environment_url } : {}),
      ...(body.log_url ? { log_url: body.log_url } : {}),
      ...(body.description !== undefined
        ? { description: statusDescription(body.description) }
        : {}),
    });
    log.debug(`GitHub deployment ${id} (${environment}): ${body.state}.`);
  };

  return {
    get enabled() {
      return enabled;
    },

    async start(s) {
      const id = await guarded(
        `create the GitHub deployment for environment ${s.environment}`,
        undefined as number | undefined,
        async () => {
          const res = await octokit.rest.repos.createDeployment({
            owner,
            repo,
            ref: s.ref,
            environment: s.environment,
            ...(s.description !== undefined
              ? { description: statusDescription(s.description) }
              : {}),
            transient_environment: Boolean(s.transient),
            auto_merge: false,
            required_contexts: [],
          });
          const data = res.data as { id?: number; message?: string };
          if (res.status !== 201 || typeof data.id !== 'number')
            throw new GitHubApiError(
              res.status,
              `HTTP ${res.status}: ${data.message ?? 'no deployment'}`,
            );
          await setStatus(data.id, s.environment, {
            state: 'in_progress',
            log_url: s.logUrl,
            environment_url: s.environmentUrl,
            description: s.description,
          });
          log.info(`GitHub deployment ${data.id} in environment ${s.environment}: in progress.`);
          return data.id;
        },
      );
      if (id === undefined) return noHandle;
      let done = false;
      const finish =
        (state: 'success' | 'failure' | 'inactive') =>
        async (f: { environmentUrl?: string; logUrl?: string; description?: string }) => {
          if (done) return;
          done = true;
          await guarded(
            `mark the GitHub deployment ${id} (${s.environment}) ${state}`,
            undefined,
            () =>
              setStatus(id, s.environment, {
                state,
                environment_url: f.environmentUrl ?? s.environmentUrl,
                log_url: f.logUrl ?? s.logUrl,
                description: f.description,
              }),
          );
        };
      return {
        id,
        success: finish('success'),
        failure: finish('failure'),
        inactive: finish('inactive'),
      };
    },

    async markFailed(id, environment, f) {
      await guarded(`mark the GitHub deployment ${id} (${environment}) failure`, undefined, () =>
        setStatus(id, environment, {
          state: 'failure',
          log_url: f.logUrl,
          description: f.description,
        }),
      );
    },

    async deactivate(environment, d = {}) {
      return guarded(
        `mark the GitHub deployments of environment ${environment} inactive`,
        0,
        async () => {
          const all = await octokit.paginate(octokit.rest.repos.listDeployments, {
            owner,
            repo,
            environment,
            per_page: 100,
          });
          for (const dep of all)
            await setStatus(dep.id, environment, {
              state: 'inactive',
              log_url: d.logUrl,
              description: d.description,
            });
          log.info(
            `GitHub environment ${environment}: ${all.length} deployment(s) marked inactive.`,
          );
          return all.length;
        },
      );
    },
  };
}
