import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  createAstroClient,
  debug,
  getInput,
  info,
  readSettings,
  restoreOverride,
  setSecret,
  stripBearer,
  warning
} from "./chunk-JS5S7GKQ.js";
import "./chunk-T7FDFZYZ.js";

// src/post.ts
var log = {
  info: (m) => info(m),
  warning: (m) => warning(m),
  debug: (m) => debug(m)
};
function state(env, name) {
  const text = env[`STATE_${name}`];
  if (!text) return void 0;
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
async function post(env = process.env) {
  if (env.ASTRO_API_TOKEN?.trim()) {
    setSecret(env.ASTRO_API_TOKEN.trim());
    const bare = stripBearer(env.ASTRO_API_TOKEN);
    if (bare) setSecret(bare);
  }
  const wake = state(env, "wake");
  const deploy = state(env, "deploy");
  const preview = state(env, "preview");
  if (!wake && !deploy && !preview) {
    info("The main step left nothing to put back or report.");
    return;
  }
  if (wake) {
    let problem;
    try {
      const settings = readSettings((name) => getInput(name), env);
      const api = await createAstroClient({
        baseUrl: settings.apiUrl,
        token: settings.token,
        log,
        workspaceId: settings.workspace
      });
      problem = await restoreOverride(api, wake, log);
    } catch (e) {
      problem = `Could not put back the hibernation override of ${wake.name}: ${e.message} It stays awake until ${wake.ours.overrideUntil}; set its hibernation in the Astro UI.`;
    }
    if (problem) warning(problem);
  }
  if (deploy) {
    warning(
      deploy.finalized ? `Deploy ${deploy.deployId} was created and finalized on ${deploy.name} (${deploy.deploymentId}) by a run that stopped before it went live, so it may still go live; check the Deployment's deploy history.` : `Deploy ${deploy.deployId} was created on ${deploy.name} (${deploy.deploymentId}) by a run that stopped before finalizing it, so nothing of it goes live; run again to deploy.`
    );
  }
  if (preview) {
    warning(
      `The preview ${preview.name} (${preview.id}) was created by a run that stopped before it finished, and is kept; running again reuses it, or delete it with action: delete-deployment-preview.`
    );
  }
}
await post();
export {
  post
};
