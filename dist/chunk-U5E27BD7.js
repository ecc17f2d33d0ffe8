import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  clockWith,
  poll
} from "./chunk-YBDEDHWX.js";

// src/journal.ts
var Journal = class {
  constructor(save = () => void 0) {
    this.save = save;
  }
  save;
  /** The step under way (the innermost), so a failure can name it. */
  step;
  deploys = [];
  /** Previews this run created (never the ones it reused). */
  previews = [];
  warnings = [];
  /** Sentences a failure adds after its own (e.g. an override that could not be put back). */
  notes = [];
  /** Sections of the job summary, in order. */
  sections = [];
  /** What the outputs knew so far (a failure's outputs). */
  known = {};
  undos = /* @__PURE__ */ new Map();
  /** What this run started on GitHub and has not closed, by key: each closes it as failed. */
  onGitHub = /* @__PURE__ */ new Map();
  deployCreated(d) {
    this.deploys.push({ ...d, stage: "created", open: true, done: false });
    this.save(
      "deploy",
      JSON.stringify({ deployId: d.id, deploymentId: d.deploymentId, name: d.name })
    );
  }
  deployStage(id, stage) {
    const d = this.deploys.find((x) => x.id === id);
    if (!d) return;
    d.stage = stage;
    if (stage === "finalized") {
      this.save(
        "deploy",
        JSON.stringify({
          deployId: d.id,
          deploymentId: d.deploymentId,
          name: d.name,
          finalized: true
        })
      );
    }
  }
  /** The deploy's outcome is known to this run (live, or failed and reported): nothing for the post step. */
  deploySettled(id) {
    const d = this.deploys.find((x) => x.id === id);
    if (d) d.open = false;
    this.save("deploy", "");
  }
  /** The deploy's stages ended normally. */
  deployDone(id) {
    const d = this.deploys.find((x) => x.id === id);
    if (d) d.done = true;
  }
  /** The deploy a failure stopped (created, its stages not ended), if any. */
  get failedDeploy() {
    return this.deploys.find((d) => !d.done);
  }
  /** The deploy the post step would report (created, not settled). */
  get openDeploy() {
    return this.deploys.find((d) => d.open);
  }
  previewCreated(p) {
    if (!this.previews.some((x) => x.id === p.id)) this.previews.push({ ...p });
    this.save("preview", JSON.stringify({ id: p.id, name: p.name }));
  }
  /** A preview it created was deleted again (another run's won the race). */
  previewDeleted(id) {
    const i = this.previews.findIndex((x) => x.id === id);
    if (i >= 0) this.previews.splice(i, 1);
    this.save("preview", "");
  }
  /** A failure's message names this preview already. */
  previewTold(id) {
    const p = this.previews.find((x) => x.id === id);
    if (p) p.told = true;
  }
  /** The run reported its preview itself: nothing is left for the post step. */
  previewsSettled() {
    this.save("preview", "");
  }
  /** A hibernation override was set: `record` is saved for the post step, `undo` runs on a signal. */
  overrideSet(record, undo) {
    this.save("wake", JSON.stringify(record));
    this.undos.set("wake", undo);
  }
  /** The override was put back. */
  overrideRestored() {
    this.save("wake", "");
    this.undos.delete("wake");
  }
  /**
   * A GitHub deployment or the live comment was started; `fail` marks it failed with a
   * sentence. `record` (the GitHub deployment) is saved for the post step of a killed run.
   */
  githubStarted(key, fail, record) {
    this.onGitHub.set(key, fail);
    if (record !== void 0) this.save("github", JSON.stringify(record));
  }
  /** It was closed (success, or never going live). */
  githubClosed(key) {
    this.onGitHub.delete(key);
    this.save("github", "");
  }
  /** The failure and cancel paths: mark what is still open on GitHub failed. Never throws. */
  async closeGitHub(sentence) {
    const all = [...this.onGitHub.values()];
    this.onGitHub.clear();
    await Promise.all(all.map((fail) => fail(sentence).catch(() => void 0)));
    this.save("github", "");
  }
  warn(message) {
    this.warnings.push(message);
  }
  note(sentence) {
    this.notes.push(sentence);
  }
  /** Run every pending undo once (on a signal); never throws. Returns the problems they report. */
  async undoAll() {
    const all = [...this.undos.values()];
    this.undos.clear();
    const results = await Promise.all(all.map((u) => u().catch((e) => e.message)));
    return results.filter((r) => typeof r === "string" && r.length > 0);
  }
};
function deployNote(d, message, told = false) {
  if (!d || told && d.stage === "finalized") return "";
  const sep = /[.!?)]$/.test(message) ? " " : ". ";
  if (d.stage === "created")
    return `${sep}Deploy ${d.id} was created on ${d.name} but not finalized, so nothing of it went live; the next run deploys again.`;
  if (d.stage === "finalizing")
    return `${sep}Deploy ${d.id} was created on ${d.name}, but its finalize was not confirmed, so it may be finalized or not finalized; check the Deployment's deploy history before running again.`;
  return message.includes(d.id) ? "" : `${sep}Deploy ${d.id} had been finalized on ${d.name} before this failure.`;
}
function previewNote(p) {
  return ` The preview ${p.name} (${p.id}) was created by this run and is kept; running again reuses it.`;
}

// src/platform/duration.ts
var UNITS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text) {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1e3;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return void 0;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * UNITS[m[2]];
  return total > 0 ? Math.round(total) : void 0;
}
function formatDuration(ms) {
  if (ms < 1e3) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1e3);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (m < 60) return rest ? `${m}m${rest}s` : `${m}m`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
}

// src/deploy/wait.ts
var POLL_FIRST_MS = 250;
var POLL_MAX_MS = 1e3;
var POLL_FACTOR = 1.5;
var ROLLOUT_START_GRACE_MS = 15e3;
var DeployWaitError = class extends Error {
  name = "DeployWaitError";
};
function checkDagBundle(t, bundles = []) {
  const b = bundles.find((x) => x.name === t.name);
  if (b?.currentVersion === t.version) return {};
  const pending = `DAG bundle '${t.name}' runs ${b?.currentVersion || "(no version)"}, waiting for ${t.version}`;
  const desired = b?.desiredVersion;
  const newer = desired && desired !== t.version && !t.earlier?.includes(desired) ? desired : void 0;
  return { pending, supersededBy: newer && `DAG bundle '${t.name}' version ${newer}` };
}
function check(d, deploy, t, before, bundles, ownTagSeen = false) {
  const pending = [];
  let supersededBy;
  if (t.dagBundle) {
    const c = checkDagBundle(t.dagBundle, bundles);
    if (c.pending) pending.push(c.pending);
    supersededBy = c.supersededBy;
  }
  if (t.dagTarballVersion !== void 0) {
    const desired = d.desiredDagTarballVersion;
    if (d.dagTarballVersion !== t.dagTarballVersion)
      pending.push(
        `dagTarballVersion is ${d.dagTarballVersion || "(none)"}, waiting for ${t.dagTarballVersion}`
      );
    else if (desired && desired !== t.dagTarballVersion)
      pending.push(`desiredDagTarballVersion is ${desired}, not ${t.dagTarballVersion}`);
    if (before && desired && desired !== t.dagTarballVersion && desired !== before.desiredDagTarballVersion && desired !== before.dagTarballVersion) {
      supersededBy = `dagTarballVersion ${desired}`;
    }
  }
  if (t.imageTag !== void 0 && d.imageTag !== t.imageTag) {
    pending.push(`imageTag is ${d.imageTag || "(none)"}, waiting for ${t.imageTag}`);
    if (before && d.imageTag && d.imageTag !== before.imageTag && (ownTagSeen || !t.earlierImageTags?.includes(d.imageTag)))
      supersededBy = `imageTag ${d.imageTag}`;
  }
  if (t.bundle) {
    const b = deploy?.bundles?.find((x) => x.mountPath === t.bundle.mountPath) ?? deploy?.bundles?.[0];
    if (b?.currentVersion !== void 0 || b?.desiredVersion !== void 0) {
      if (b.currentVersion !== t.bundle.version) {
        pending.push(
          `bundle version is ${b.currentVersion || "(none)"}, waiting for ${t.bundle.version}`
        );
      }
    } else if (deploy && deploy.status !== "DEPLOYED") {
      pending.push(`deploy ${deploy.id} is ${deploy.status}, waiting for DEPLOYED`);
    }
  }
  return { versionsLive: pending.length === 0, pending, supersededBy };
}
function imagesBefore(deploys, ours, shown) {
  const newestFirst = deploys.map((d, i) => ({ d, i, at: Date.parse(d.createdAt) })).sort((x, y) => y.at - x.at || x.i - y.i).map((x) => x.d);
  const tags = [];
  let pastShown = false;
  for (const x of newestFirst) {
    if (x.id === ours || x.status === "FAILED" || !x.imageTag) continue;
    if (x.type !== "IMAGE_AND_DAG" && x.type !== "IMAGE_ONLY") continue;
    if (x.imageTag === shown) pastShown = true;
    if (pastShown && x.status !== "INITIALIZED") continue;
    tags.push(x.imageTag);
  }
  return tags;
}
function announce(target, waitMs, log) {
  if (target.dagBundle)
    log.info(
      `Waiting up to ${formatDuration(waitMs)} for DAG bundle '${target.dagBundle.name}' of the Deployment to run version ${target.dagBundle.version}.`
    );
  if (target.imageTag !== void 0)
    log.info(
      `Waiting up to ${formatDuration(Math.min(ROLLOUT_START_GRACE_MS, waitMs))} for the rollout of image ${target.imageTag} to start.`
    );
}
async function waitUntilLive(opts) {
  const { api, deploymentId, target, log } = opts;
  const needDeploy = target.bundle !== void 0;
  let polls = 0;
  let lastLogged = "";
  let last;
  const image = target.imageTag !== void 0;
  let rolloutSeen = !image;
  let first;
  let ownTagSeen = false;
  let sawNotDeploying = opts.before?.status !== "DEPLOYING";
  announce(target, opts.waitMs, log);
  return poll({
    clock: opts.clock,
    timeoutMs: opts.waitMs,
    backoff: { firstMs: POLL_FIRST_MS, maxMs: POLL_MAX_MS, factor: POLL_FACTOR },
    look: async (since) => {
      polls++;
      const [d, deploy, bundles] = await Promise.all([
        api.getDeployment(deploymentId),
        needDeploy || polls % 4 === 0 ? api.getDeploy(deploymentId, target.deployId) : Promise.resolve(void 0),
        target.dagBundle ? api.listDagBundles(deploymentId) : Promise.resolve(void 0)
      ]);
      const elapsed = since();
      if (deploy?.status === "FAILED") {
        throw new DeployWaitError(
          `Deploy ${target.deployId} to ${d.name} FAILED on Astro (the Deployment is ${d.status}${d.statusReason ? `: ${d.statusReason}` : ""}); check the Deployment in the Astro UI.`
        );
      }
      const c = check(d, deploy, target, opts.before, bundles, ownTagSeen);
      if (image && d.imageTag === target.imageTag) ownTagSeen = true;
      if (!rolloutSeen) {
        first ??= d;
        if (d.status !== "DEPLOYING") sawNotDeploying = true;
        const how = d.status === "DEPLOYING" && sawNotDeploying ? `The rollout of image ${target.imageTag} has started (the Deployment is DEPLOYING).` : d.imageTag !== first.imageTag || d.imageVersion !== first.imageVersion ? `The rollout of image ${target.imageTag} has started (the Deployment's image tag changed).` : elapsed >= ROLLOUT_START_GRACE_MS ? `No rollout of image ${target.imageTag} was seen in ${formatDuration(ROLLOUT_START_GRACE_MS)}; from now on the Deployment's status is trusted.` : void 0;
        if (how) {
          rolloutSeen = true;
          log.info(how);
        } else if (c.versionsLive) {
          c.versionsLive = false;
          c.pending.push(`the rollout of image ${target.imageTag} has not been seen to start`);
        }
      }
      if (c.versionsLive && (d.status === "HEALTHY" || d.status === "HIBERNATING")) {
        if (d.status === "HIBERNATING")
          log.info(`${d.name} runs the new version and is hibernating.`);
        log.info(`Live on ${d.name} after ${formatDuration(elapsed)} (${polls} polls).`);
        return { deployment: d, elapsedMs: elapsed };
      }
      if (c.versionsLive && d.status === "UNHEALTHY") {
        throw new DeployWaitError(
          `The new version is live on ${d.name} but the Deployment is UNHEALTHY${d.statusReason ? ` (${d.statusReason})` : ""}; check its scheduler and DAG processor logs in the Astro UI.`
        );
      }
      if (c.supersededBy) {
        log.info(
          `A newer deploy (${c.supersededBy}) replaced deploy ${target.deployId} on ${d.name} before it went live; not waiting for it.`
        );
        return { deployment: d, elapsedMs: elapsed, supersededBy: c.supersededBy };
      }
      last = { d, pending: c.pending };
      return void 0;
    },
    timedOut: () => new DeployWaitError(
      `${last.d.name} is still ${last.d.status} after ${formatDuration(opts.waitMs)}: ${last.pending.length ? last.pending.join("; ") : `waiting for HEALTHY`}; raise wait-time or check the Deployment in the Astro UI.`
    ),
    waiting: () => {
      const { d, pending } = last;
      const state = `${d.status}${pending.length ? `: ${pending.join("; ")}` : ""}`;
      if (state !== lastLogged) {
        log.info(`Waiting for ${d.name}: ${state}`);
        lastLogged = state;
      }
    }
  });
}

// src/deploy/wake.ts
var HibernationError = class extends Error {
  name = "HibernationError";
};
function isHibernating(d) {
  return d.status === "HIBERNATING" || d.scalingStatus?.hibernationStatus?.isHibernating === true;
}
function assertDeployable(d, wakeOnDeploy) {
  if (isHibernating(d) && !wakeOnDeploy) {
    throw new HibernationError(
      `${d.name} (${d.id}) is hibernating, so a deploy cannot go live; set \`wake-on-deploy: true\` to wake it for the deploy (its hibernation override is put back afterwards), or wake it in the Astro UI.`
    );
  }
}
var sameOverride = (a, b) => a.isHibernating === b.isHibernating && (a.overrideUntil ? Date.parse(a.overrideUntil) : void 0) === (b.overrideUntil ? Date.parse(b.overrideUntil) : void 0);
async function restoreOverride(api, rec, log, now = Date.now) {
  const { previous, ours, name } = rec;
  try {
    const current = (await api.getDeployment(rec.deploymentId)).scalingSpec?.hibernationSpec?.override;
    if (current && current.isActive !== false && !sameOverride(current, ours)) {
      if (previous && sameOverride(current, previous)) {
        log.info(`The hibernation override of ${name} is already back as it was.`);
      } else {
        log.info(
          `The hibernation override of ${name} was changed by someone else meanwhile (isHibernating=${current.isHibernating}); left as it is.`
        );
      }
      return void 0;
    }
    const stillValid = previous && (!previous.overrideUntil || Date.parse(previous.overrideUntil) > now());
    if (previous && stillValid) {
      const body = { isHibernating: previous.isHibernating };
      if (previous.overrideUntil) body.overrideUntil = previous.overrideUntil;
      await api.setHibernationOverride(rec.deploymentId, body);
      log.info(
        `Put back the hibernation override of ${name} (isHibernating=${previous.isHibernating}${previous.overrideUntil ? ` until ${previous.overrideUntil}` : ""}).`
      );
    } else {
      await api.deleteHibernationOverride(rec.deploymentId);
      log.info(
        previous ? `Removed our hibernation override of ${name} (its earlier override has expired meanwhile).` : `Removed our hibernation override of ${name}; its hibernation schedule applies again.`
      );
    }
    return void 0;
  } catch (e) {
    const msg = `Could not put back the hibernation override of ${name}: ${e.message}. It stays awake until ${ours.overrideUntil}; set its hibernation in the Astro UI.`;
    log.info(msg);
    return msg;
  }
}
function activeOverride(d, nowMs) {
  const o = d.scalingSpec?.hibernationSpec?.override;
  if (!o || o.isHibernating === void 0 || o.isActive === false) return void 0;
  if (o.overrideUntil && Date.parse(o.overrideUntil) <= nowMs) return void 0;
  return o;
}
async function wakeDeployment(opts) {
  const clock = clockWith(opts.clock);
  const { api, log } = opts;
  const d0 = opts.deployment;
  const journal = opts.journal ?? new Journal();
  const previous = activeOverride(d0, clock.now());
  const untilMs = clock.now() + Math.max(opts.waitMs * 3, 60 * 60 * 1e3);
  const ours = {
    isHibernating: false,
    overrideUntil: new Date(untilMs).toISOString().replace(/\.\d{3}Z$/, "Z")
  };
  log.info(
    `${d0.name} is hibernating: waking it for this deploy` + (previous ? ` (its override isHibernating=${previous.isHibernating}${previous.overrideUntil ? ` until ${previous.overrideUntil}` : ""} is put back afterwards).` : " (the override is removed afterwards).")
  );
  const rec = { deploymentId: d0.id, name: d0.name, previous, ours };
  let restoring;
  const restore = () => restoring ??= restoreOverride(api, rec, log, clock.now).then((problem) => {
    if (!problem) journal.overrideRestored();
    return problem;
  });
  journal.overrideSet(rec, restore);
  await api.setHibernationOverride(d0.id, ours);
  try {
    let last = d0;
    return await poll({
      clock,
      timeoutMs: opts.waitMs,
      backoff: { firstMs: POLL_FIRST_MS, maxMs: POLL_MAX_MS * 2, factor: POLL_FACTOR },
      look: async (since) => {
        if (opts.signal?.aborted) {
          throw new HibernationError(`Stopped waiting for ${d0.name} to wake: the deploy failed.`);
        }
        const d = last = await api.getDeployment(d0.id);
        if (d.status === "HEALTHY" && !isHibernating(d)) {
          log.info(`${d.name} is awake after ${formatDuration(since())}.`);
          return { deployment: d, previous, restore };
        }
        return void 0;
      },
      timedOut: () => new HibernationError(
        `Woke ${last.name}, but it is still ${last.status} after ${formatDuration(opts.waitMs)}; raise wait-time or check the Deployment in the Astro UI.`
      )
    });
  } catch (e) {
    const warning = await restore();
    if (warning) journal.note(` (${warning})`);
    throw e;
  }
}

// src/decide/kinds.ts
var DEPLOY_KINDS = [
  "dags-only",
  "image-and-dags",
  "image-only",
  "dbt",
  "non-dags"
];
var DEPLOY_TYPES = ["infer", ...DEPLOY_KINDS];
var KINDS = {
  "dags-only": {
    image: false,
    dags: "always",
    bundle: false,
    needsDagDeploy: true,
    apiType: "DAG_ONLY"
  },
  "image-and-dags": {
    image: true,
    dags: "if-dag-deploy",
    bundle: false,
    needsDagDeploy: false,
    apiType: "IMAGE_AND_DAG"
  },
  "image-only": {
    image: true,
    dags: "never",
    bundle: false,
    needsDagDeploy: true,
    apiType: "IMAGE_ONLY"
  },
  dbt: { image: false, dags: "never", bundle: true, needsDagDeploy: true, apiType: "BUNDLE" },
  "non-dags": {
    image: false,
    dags: "never",
    bundle: true,
    needsDagDeploy: true,
    apiType: "BUNDLE"
  }
};
function kindOfInput(type) {
  return type === "infer" ? "image-and-dags" : type;
}
function apiTypeOf(kind, remoteExecution) {
  return remoteExecution && KINDS[kind].image ? "IMAGE_AND_DAG" : KINDS[kind].apiType;
}
var buildsImage = (kind) => KINDS[kind].image;
var isBundle = (kind) => KINDS[kind].bundle;
function shipsDagFolder(kind, dagDeployEnabled) {
  const dags = KINDS[kind].dags;
  return dags === "always" || dags === "if-dag-deploy" && dagDeployEnabled;
}
var inputIsBundle = (type) => type !== "infer" && KINDS[type].bundle;
var inputExcludesImage = (type) => type !== "infer" && !KINDS[type].image;
var kindsOfApiType = (type) => DEPLOY_KINDS.filter((k) => KINDS[k].apiType === type).map((k) => KINDS[k]);
var apiTypeShipsImage = (type) => kindsOfApiType(type).some((k) => k.image);
var apiTypeShipsDags = (type) => kindsOfApiType(type).some((k) => k.dags !== "never");
var apiTypeIsBundle = (type) => kindsOfApiType(type).some((k) => k.bundle);

// src/project/paths.ts
import path from "node:path";
function normalizeFolder(input) {
  const trimmed = input.trim().replace(/\\/g, "/");
  const joined = path.posix.normalize("/" + trimmed);
  let depth = 0;
  for (const part of trimmed.split("/")) {
    if (part === "..") depth--;
    else if (part !== "" && part !== ".") depth++;
    if (depth < 0) return void 0;
  }
  return joined.replace(/^\/+|\/+$/g, "");
}
function joinRel(...parts) {
  return parts.filter((p) => p !== "").join("/");
}
function isInside(file, folder) {
  return folder === "" || file === folder || file.startsWith(folder + "/");
}
function relativeTo(file, folder) {
  return folder === "" ? file : file.slice(folder.length + 1);
}

// src/astro/deploy-status.ts
function finalizedShows(d) {
  if (d.status === "DEPLOYED") return true;
  return d.status === "INITIALIZED" && (Boolean(d.dagTarballVersion) || (d.bundles ?? []).some((b) => b.desiredVersion));
}

export {
  Journal,
  deployNote,
  previewNote,
  finalizedShows,
  DEPLOY_TYPES,
  kindOfInput,
  apiTypeOf,
  buildsImage,
  isBundle,
  shipsDagFolder,
  inputIsBundle,
  inputExcludesImage,
  apiTypeShipsImage,
  apiTypeShipsDags,
  apiTypeIsBundle,
  normalizeFolder,
  joinRel,
  isInside,
  relativeTo,
  parseDuration,
  imagesBefore,
  waitUntilLive,
  isHibernating,
  assertDeployable,
  restoreOverride,
  wakeDeployment
};
