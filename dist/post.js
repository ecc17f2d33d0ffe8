import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  createAstroClient,
  debug,
  getInput,
  info,
  loadSettings,
  setSecret,
  warning
} from "./chunk-YEYAYNEO.js";
import "./chunk-SPCJGJIN.js";
import {
  githubPartsFor
} from "./chunk-F7O7LQI2.js";
import "./chunk-35VZ4DYC.js";
import "./chunk-EB4HQGDU.js";
import {
  restoreOverride
} from "./chunk-U5E27BD7.js";
import {
  maskToken
} from "./chunk-YLPVOD4M.js";
import "./chunk-YBDEDHWX.js";
import "./chunk-NV5WPINZ.js";

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
  maskToken(env, setSecret);
  let read;
  const settings = () => read ??= loadSettings((name) => getInput(name), env);
  const wake = state(env, "wake");
  const deploy = state(env, "deploy");
  const preview = state(env, "preview");
  const github = state(env, "github");
  if (!wake && !deploy && !preview && !github) {
    info("The main step left nothing to put back or report.");
    return;
  }
  if (wake) {
    let problem;
    try {
      const s = await settings();
      const api = await createAstroClient({
        baseUrl: s.apiUrl,
        token: s.token,
        log,
        workspaceId: s.workspace
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
  if (github) await githubFailed(github, env, settings);
  if (preview) {
    warning(
      `The preview ${preview.name} (${preview.id}) was created by a run that stopped before it finished, and is kept; running again reuses it, or delete it with action: delete-deployment-preview.`
    );
  }
}
await post();
async function githubFailed(d, env, settings) {
  try {
    const gh = await githubPartsFor(await settings(), { kind: "post" }, env, log);
    await gh.deployments?.markFailed(d.id, d.environment, {
      description: "The run stopped before the deploy finished (cancelled or timed out).",
      logUrl: gh.runUrl
    });
  } catch (e) {
    warning(`Could not mark the GitHub deployment ${d.id} failed: ${e.message}`);
  }
}
export {
  post
};
