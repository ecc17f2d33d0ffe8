// A finalize runs exactly once: before a retry it asks whether the earlier try went through
// (the reply may have been lost), and takes a finalized deploy carrying our versions as done.
// Finalized: DEPLOYED, or still INITIALIZED with a version only a finalize sets (Astro may mark
// a deploy DEPLOYED only when its rollout ends: ASTRO-API.md C5, the emulator's deployStatusAt).
import type { Log } from '../platform/log.js';
import { finalizedShows } from './deploy-status.js';
import { AstroApiError } from './errors.js';
import type { Deploy, FinalizeDeployRequest } from './types.js';

export interface FinalizeOnce {
  deploymentId: string;
  deployId: string;
  body: FinalizeDeployRequest;
  log: Log;
  getDeploy: (deploymentId: string, deployId: string) => Promise<Deploy>;
  /** One finalize request. */
  send: () => Promise<Deploy>;
  /** The client's retry loop around an attempt (numbered from 1). */
  retrying: (attempt: (n: number) => Promise<Deploy>) => Promise<Deploy>;
}

export function finalizeOnce(o: FinalizeOnce): Promise<Deploy> {
  const { deploymentId, deployId } = o;
  // Before a retry, ask whether the earlier try went through: never finalize twice.
  const landed = async (): Promise<Deploy | undefined> => {
    const current = await o.getDeploy(deploymentId, deployId);
    if (!finalizedShows(current)) return undefined;
    if (!carries(current, o.body)) {
      throw new Error(
        `Deploy ${deployId} of Deployment ${deploymentId} was finalized with another version than ours; check who else deploys to it.`,
      );
    }
    o.log.info(`deploy ${deployId} was finalized by the earlier attempt; not finalizing it again`);
    return current;
  };
  return o.retrying(async (n) => {
    if (n === 1) return o.send();
    const before = await landed();
    if (before) return before;
    try {
      return await o.send();
    } catch (err) {
      // The earlier try may still have been under way when we looked: a refusal now
      // ("already finalized") can mean it has landed since.
      if (!(err instanceof AstroApiError) || err.status < 400 || err.status >= 500) throw err;
      const after = await landed();
      if (after) return after;
      // A finalize with no version (image-only, Remote Execution) leaves no mark on a deploy
      // that stays INITIALIZED while it rolls out: only the refusal says an earlier try took.
      // [inferred] Astro's wording is unknown; the emulator says "already finalized".
      if (
        !o.body.dagTarballVersion &&
        !o.body.bundleTarballVersion &&
        /already finalized/i.test(err.serverMessage)
      ) {
        o.log.info(
          `deploy ${deployId} was finalized by the earlier attempt (Astro refused a second finalize); not finalizing it again`,
        );
        return o.getDeploy(deploymentId, deployId);
      }
      throw err;
    }
  });
}

/** Whether a finalized deploy carries the versions we meant to finalize it with. */
function carries(deploy: Deploy, body: FinalizeDeployRequest): boolean {
  if (body.dagTarballVersion && deploy.dagTarballVersion !== body.dagTarballVersion) return false;
  if (body.bundleTarballVersion) {
    const v = body.bundleTarballVersion;
    return (deploy.bundles ?? []).some((b) => b.desiredVersion === v || b.currentVersion === v);
  }
  return true;
}
