// The post step (action.yml `post:`, `post-if: always()`): runs after the main step, also
// when the job was cancelled or the main step was killed. It reads what the main step left
// pending (core.saveState; the runner passes it as STATE_<name>) and puts back what is still
// ours (the hibernation override, through the same restoreOverride as the main step),
// reports a preview or deploy that a stopped run left behind, and marks the GitHub deployment
// it left in progress failed. After a run that finished, nothing is pending and it does
// nothing.
import * as core from '@actions/core';
import { createAstroClient } from './astro/client.js';
import { maskToken } from './astro/token.js';
import type { PendingName } from './journal.js';
import { restoreOverride, type WakeRecord } from './deploy/wake.js';
import type { Log } from './platform/log.js';
import { loadSettings } from './inputs/settings.js';
import { githubPartsFor } from './github/parts.js';

const log: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};

function state<T>(env: NodeJS.ProcessEnv, name: PendingName): T | undefined {
  const text = env[`STATE_${name}`];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

export async function post(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  maskToken(env, core.setSecret);
  // Read once, and only when something pending needs them.
  let read: ReturnType<typeof loadSettings> | undefined;
  const settings = () => (read ??= loadSettings((name) => core.getInput(name), env));
  const wake = state<WakeRecord>(env, 'wake');
  const deploy = state<{
    deployId: string;
    deploymentId: string;
    name: string;
    finalized?: boolean;
  }>(env, 'deploy');
  const preview = state<{ id: string; name: string }>(env, 'preview');
  const github = state<{ id: number; environment: string }>(env, 'github');
  if (!wake && !deploy && !preview && !github) {
    core.info('The main step left nothing to put back or report.');
    return;
  }
  if (wake) {
    let problem: string | undefined;
    try {
      const s = await settings();
      const api = await createAstroClient({
        baseUrl: s.apiUrl,
        token: s.token,
        log,
        workspaceId: s.workspace,
      });
      problem = await restoreOverride(api, wake, log);
    } catch (e) {
      problem =
        `Could not put back the hibernation override of ${wake.name}: ${(e as Error).message} ` +
        `It stays awake until ${wake.ours.overrideUntil}; set its hibernation in the Astro UI.`;
    }
    if (problem) core.warning(problem);
  }
  if (deploy) {
    core.warning(
      deploy.finalized
        ? `Deploy ${deploy.deployId} was created and finalized on ${deploy.name} (${deploy.deploymentId}) by a run that stopped before it went live, so it may still go live; check the Deployment's deploy history.`
        : `Deploy ${deploy.deployId} was created on ${deploy.name} (${deploy.deploymentId}) by a run that stopped before finalizing it, so nothing of it goes live; run again to deploy.`,
    );
  }
  if (github) await githubFailed(github, env, settings);
  if (preview) {
    core.warning(
      `The preview ${preview.name} (${preview.id}) was created by a run that stopped before it finished, and is kept; running again reuses it, or delete it with action: delete-deployment-preview.`,
    );
  }
}

await post();

/** The GitHub deployment a killed run left `in_progress` → `failure` (never throws). */
async function githubFailed(
  d: { id: number; environment: string },
  env: NodeJS.ProcessEnv,
  settings: () => ReturnType<typeof loadSettings>,
) {
  try {
    const gh = await githubPartsFor(await settings(), { kind: 'post' }, env, log);
    await gh.deployments?.markFailed(d.id, d.environment, {
      description: 'The run stopped before the deploy finished (cancelled or timed out).',
      logUrl: gh.runUrl,
    });
  } catch (e) {
    core.warning(`Could not mark the GitHub deployment ${d.id} failed: ${(e as Error).message}`);
  }
}
