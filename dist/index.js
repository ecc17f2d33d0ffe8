import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  SettingsError,
  createAstroClient,
  debug,
  error,
  getInput,
  group,
  info,
  loadSettings,
  notice,
  saveState,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunk-YEYAYNEO.js";
import "./chunk-SPCJGJIN.js";
import {
  githubPartsFor
} from "./chunk-F7O7LQI2.js";
import {
  buildIgnoreFor,
  buildIgnoreText,
  cacheArgs,
  chooseDockerClient,
  cleanEnv,
  deployFlow,
  describeTrigger,
  ignoreWithout,
  makeTempDir,
  normalizePath,
  outputTail,
  parseTrigger,
  removeTempDir,
  removeTempDirs,
  resolveDeployment,
  runArgs,
  runRaw,
  section,
  tempRoot,
  warningsSection,
  withoutSecrets,
  writeSummary
} from "./chunk-A6WYYDSY.js";
import {
  getExecOutput
} from "./chunk-35VZ4DYC.js";
import "./chunk-EB4HQGDU.js";
import {
  outputs
} from "./chunk-GUW7CTVJ.js";
import {
  Journal,
  deployNote,
  previewNote
} from "./chunk-U5E27BD7.js";
import {
  hasAnyMarker,
  hasMarker,
  legacyPreviewName,
  previewDescription,
  previewMarker,
  previewName
} from "./chunk-LRPC5GZK.js";
import {
  maskToken
} from "./chunk-YLPVOD4M.js";
import {
  step
} from "./chunk-FVFCPJAK.js";
import {
  clockWith,
  poll
} from "./chunk-YBDEDHWX.js";
import {
  __export
} from "./chunk-NV5WPINZ.js";

// src/cancel.ts
function handleSignals(onSignal) {
  let started = false;
  const handler = (signal) => {
    if (started) return;
    started = true;
    void onSignal(signal).catch(() => void 0).finally(() => process.exit(1));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
}

// src/main.ts
import fs2 from "node:fs";

// src/platform/docker.ts
import { randomBytes } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
function createDocker({
  log: log2,
  env: baseEnv = process.env,
  builder = "auto"
}) {
  let env = cleanEnv(baseEnv);
  let configDir;
  const logins = /* @__PURE__ */ new Set();
  let up;
  let removeOnExit;
  let chosen;
  const client = async () => {
    chosen ??= chooseDockerClient(env).then(
      (c2) => c2 && builder === "legacy" ? { ...c2, buildkit: "none" } : c2
    );
    const c = await chosen;
    if (!c)
      throw new Error(
        "No docker client was found on PATH; install Docker or use a runner that has it (ubuntu-latest)."
      );
    return c;
  };
  const command = async (args, options = {}) => {
    const c = await client();
    log2.debug(`docker ${args.join(" ")}`);
    return runRaw(c.path, args, { ...env, ...options.env ?? {} }, options.input, options.onLine);
  };
  const must = async (what, args, options = {}) => {
    const r = await command(args, options);
    if (r.exitCode !== 0) {
      const tail = outputTail(r);
      throw new Error(`${what} failed (docker exit code ${r.exitCode})${tail ? `: ${tail}` : "."}`);
    }
    return r;
  };
  const streamTo = (l) => {
    if (l.trim() !== "") log2.info(l);
  };
  async function build(o) {
    const c = await client();
    const context = path.resolve(o.context);
    const dockerfile = path.resolve(context, o.dockerfile ?? "Dockerfile");
    const secrets = o.secrets ?? [];
    const exclude = o.exclude ?? [];
    const keep = o.keep ?? [];
    if (secrets.length > 0 && c.buildkit === "none") {
      throw new Error(
        `build-secrets need BuildKit, and the docker client ${c.path} has no buildx plugin; install docker buildx (GitHub's runners have it).`
      );
    }
    const useBuildkit = c.buildkit !== "none";
    const args = ["build", "--tag", o.tag, "--platform", o.platform ?? "linux/amd64"];
    for (const s of secrets) args.push("--secret", s);
    for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
    for (const [k, v] of Object.entries(o.labels ?? {})) args.push("--label", `${k}=${v}`);
    args.push(...cacheArgs(o.cacheFrom ?? [], o.inlineCache === true, useBuildkit));
    if (useBuildkit) args.push("--progress", "plain");
    const buildEnv = { DOCKER_BUILDKIT: useBuildkit ? "1" : "0" };
    const shown = path.relative(context, dockerfile);
    const what = `Building the image ${o.tag} from ${shown.startsWith("..") ? dockerfile : shown}`;
    const plain = () => must(what, [...args, "--file", dockerfile, context], { env: buildEnv, onLine: streamTo });
    const keptNote = (original) => {
      if (original !== void 0 && ignoreWithout(original, keep) !== void 0)
        log2.info(
          `The ignore file leaves out ${keep.map((k) => `${normalizePath(k)}/`).join(", ")}, which this image must carry: those lines are not applied to this build (the file itself is unchanged).`
        );
    };
    if (exclude.length === 0 && keep.length === 0) {
      await plain();
      return;
    }
    if (useBuildkit) {
      const ownIgnore = await buildIgnoreText(context, dockerfile);
      const ignoreText2 = buildIgnoreFor(ownIgnore, exclude, keep);
      if (ignoreText2 === void 0) {
        await plain();
        return;
      }
      keptNote(ownIgnore);
      const dir = makeTempDir("astro-build-");
      try {
        const copy = path.join(dir, "Dockerfile");
        await copyFile(dockerfile, copy);
        await writeFile(`${copy}.dockerignore`, ignoreText2);
        await must(what, [...args, "--file", copy, context], { env: buildEnv, onLine: streamTo });
      } finally {
        removeTempDir(dir);
      }
      return;
    }
    const ignorePath = path.join(context, ".dockerignore");
    const originalIgnore = await readFile(ignorePath).catch(() => void 0);
    const ours = originalIgnore === void 0 && exclude.length ? [...exclude, ".dockerignore"] : exclude;
    const ignoreText = buildIgnoreFor(originalIgnore?.toString("utf8"), ours, keep);
    if (ignoreText === void 0) {
      await plain();
      return;
    }
    keptNote(originalIgnore?.toString("utf8"));
    const restoreSync = () => {
      if (originalIgnore === void 0) rmSync(ignorePath, { force: true });
      else writeFileSync(ignorePath, originalIgnore);
    };
    const onSignal = (signal) => {
      restoreSync();
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    await writeFile(ignorePath, ignoreText);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      await must(what, [...args, "--file", dockerfile, context], {
        env: buildEnv,
        onLine: streamTo
      });
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
      if (originalIgnore === void 0) await rm(ignorePath, { force: true });
      else await writeFile(ignorePath, originalIgnore);
    }
  }
  async function login(registry, username, password) {
    const key = JSON.stringify([registry, username, password]);
    if (logins.has(key)) return;
    if (!configDir) {
      const dir = await mkdtemp(
        path.join(tempRoot(), `docker-config-${randomBytes(4).toString("hex")}-`)
      );
      const userDir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), ".docker");
      const config = {};
      try {
        Object.assign(
          config,
          JSON.parse(await readFile(path.join(userDir, "config.json"), "utf8"))
        );
      } catch {
      }
      delete config.credsStore;
      const helpers = config.credHelpers;
      if (helpers) delete helpers[registry];
      await writeFile(path.join(dir, "config.json"), JSON.stringify(config), { mode: 384 });
      if (existsSync(path.join(userDir, "cli-plugins"))) {
        await symlink(path.join(userDir, "cli-plugins"), path.join(dir, "cli-plugins")).catch(
          () => void 0
        );
      }
      configDir = dir;
      env = { ...env, DOCKER_CONFIG: dir };
      const remove = () => rmSync(dir, { recursive: true, force: true });
      const onSignal = (signal) => {
        remove();
        unhook();
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      };
      const unhook = () => {
        process.removeListener("exit", remove);
        process.removeListener("SIGINT", onSignal);
        process.removeListener("SIGTERM", onSignal);
      };
      process.once("exit", remove);
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      removeOnExit = unhook;
    }
    await must(
      `Logging in to ${registry} as ${username}`,
      ["login", registry, "--username", username, "--password-stdin"],
      {
        input: Buffer.from(password)
      }
    );
    logins.add(key);
  }
  return {
    available() {
      up ??= command(["version", "--format", "{{.Server.Version}}"]).then(
        (r) => r.exitCode === 0 && r.stdout.trim() !== "",
        () => false
      );
      return up;
    },
    build,
    async imageExists(image) {
      return (await command(["image", "inspect", "--format", "{{.Id}}", image])).exitCode === 0;
    },
    async imageLabel(image, key) {
      const r = await must(`Reading the labels of ${image}`, [
        "image",
        "inspect",
        "--format",
        "{{json .Config.Labels}}",
        image
      ]);
      const labels = JSON.parse(r.stdout.trim() || "null");
      return labels?.[key];
    },
    async tag(source, target) {
      await must(`Tagging ${source} as ${target}`, ["tag", source, target]);
    },
    login,
    async push(ref) {
      await must(`Pushing ${ref}`, ["push", ref], { onLine: (l) => log2.debug(l) });
    },
    async pull(ref) {
      await must(`Pulling ${ref}`, ["pull", ref], { onLine: (l) => log2.debug(l) });
    },
    async run(o) {
      return command(runArgs(o), { env: o.env });
    },
    async remove(image) {
      const r = await command(["image", "rm", "--force", image]);
      if (r.exitCode !== 0 && !/no such image/i.test(r.stderr)) {
        throw new Error(`Removing the image ${image} failed: ${outputTail(r)}`);
      }
    },
    command: (args, options) => command(args, options),
    client,
    configDir: () => configDir,
    async dispose() {
      if (configDir) {
        await rm(configDir, { recursive: true, force: true });
        removeOnExit?.();
        removeOnExit = void 0;
        configDir = void 0;
        logins.clear();
        env = cleanEnv(baseEnv);
      }
    }
  };
}

// src/flows/run.ts
async function runFlow(mode, p, base) {
  switch (mode) {
    case "deploy":
      return deployFlow(p, base);
    case "rollback":
      return (await import("./chunk-U4IXTSKI.js")).rollbackFlow(p, base);
    case "cleanup-previews":
      return (await import("./chunk-FPLKJ5QR.js")).cleanupFlow(p, base);
    default:
      return (await import("./chunk-BGLPPK5B.js")).previewFlow(mode, p, base);
  }
}

// src/failure.ts
function stopped(journal2, reason, deploy) {
  const o = {
    deployType: "none",
    ...journal2.known,
    skipped: deploy?.stage !== "finalized",
    reason
  };
  if (deploy) o.deployId = deploy.id;
  const created = journal2.previews[journal2.previews.length - 1];
  if (created) o.previewId = created.id;
  return o;
}
function messageOf(err) {
  if (err instanceof SettingsError) return err.problems.join("\n");
  return err instanceof Error ? err.message : String(err);
}
function failure(err, journal2) {
  if (journal2.warnings.length) journal2.sections.push(warningsSection(journal2.warnings));
  const status = err?.status;
  const fromApi = typeof status === "number";
  const deploy = journal2.failedDeploy;
  let message = messageOf(err);
  message += deployNote(deploy, message, !fromApi) + journal2.notes.join("");
  if (journal2.step && fromApi && (status === 0 || status === 429 || status >= 500))
    message = `${journal2.step} failed: ${message}`;
  const created = journal2.previews[journal2.previews.length - 1];
  if (created && !created.told) message += previewNote(created);
  journal2.sections.push(section("Failed", message));
  return { message, outcome: stopped(journal2, message, deploy) };
}
function cancellation(signal, journal2, problems) {
  const where2 = journal2.step ? ` during '${journal2.step}'` : "";
  let message = problems.length ? `The run was cancelled (${signal})${where2}. ${problems.join(" ")}` : `The run was cancelled (${signal})${where2}; any hibernation override it changed was put back, and running again continues from what is live.`;
  const deploy = journal2.openDeploy;
  if (deploy?.stage === "finalized")
    message += ` Deploy ${deploy.id} had been finalized on ${deploy.name} and may still go live; check the Deployment's deploy history.`;
  else if (deploy)
    message += ` Deploy ${deploy.id} was created on ${deploy.name} but not finalized, so nothing of it goes live; the next run deploys again.`;
  const created = journal2.previews[journal2.previews.length - 1];
  if (created) message += previewNote(created);
  journal2.sections.push(section("Cancelled", message));
  return { message, outcome: stopped(journal2, message, deploy) };
}

// src/inputs/mode.ts
function resolveMode(action, trigger) {
  if (action !== "preview") return action;
  if (trigger.kind === "pull_request") {
    if (trigger.action === "closed") return "delete-deployment-preview";
    if (["opened", "reopened", "synchronize", "ready_for_review"].includes(trigger.action))
      return "deploy-deployment-preview";
    throw new Error(
      `action 'preview' does nothing for pull_request '${trigger.action}' events; run it on opened, reopened, synchronize, ready_for_review and closed.`
    );
  }
  if (trigger.kind === "create" && trigger.refType === "branch") return "create-deployment-preview";
  if (trigger.kind === "delete" && trigger.refType === "branch") return "delete-deployment-preview";
  throw new Error(
    `action 'preview' follows pull_request events and branch create/delete events, not ${describeTrigger(trigger)}; use action 'deploy' or one of the explicit preview actions for this workflow.`
  );
}

// src/preview/ops.ts
var ops_exports = {};
__export(ops_exports, {
  PreviewError: () => PreviewError,
  baseNameMessage: () => baseNameMessage,
  createPreview: () => createPreview,
  deletePreview: () => deletePreview,
  existingPreview: () => existingPreview,
  findPreview: () => findPreview,
  foreignMessage: () => foreignMessage,
  lookUpPreview: () => lookUpPreview,
  missingFollowUp: () => missingFollowUp,
  missingSecrets: () => missingSecrets,
  noPreviewMessage: () => noPreviewMessage,
  previewRequest: () => previewRequest,
  previewUpdateRequest: () => previewUpdateRequest,
  requirePreview: () => requirePreview,
  waitUntilReady: () => waitUntilReady
});

// src/preview/lookup.ts
var PreviewError = class extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
  kind;
  name = "PreviewError";
};
var where = (base) => base.workspaceName ? `${base.workspaceName} (${base.workspaceId})` : base.workspaceId;
function foreignMessage(foreign, base, branch) {
  const marker = previewMarker(base.id, branch);
  return `A Deployment named "${foreign.name}" (${foreign.id}) exists in workspace ${where(base)} but is not a preview of ${base.name} (${base.id}) for branch ${branch} (its description lacks the marker sentence "${marker}"); refusing to touch it. Set preview-name to another name or rename that Deployment. If it is this branch's preview made by Astronomer's deploy-action, add that sentence to its description and run again.`;
}
function noPreviewMessage(args) {
  const { base, branch, name, legacyName } = args;
  const baseName = base?.name ?? args.baseName ?? "the base Deployment";
  const names = legacyName && legacyName !== name ? `"${name}" (or the deploy-action name "${legacyName}")` : `"${name}"`;
  const what = base ? `no Deployment named ${names} in workspace ${where(base)} is marked "${previewMarker(base.id, branch)}"` : `no Deployment named ${names} is marked as its preview`;
  return `No preview of ${baseName}${base ? ` (${base.id})` : ""} for branch ${branch} was found: ${what}. Create it first: run this action with action: create-deployment-preview (or action: preview) for this branch, then deploy to it.`;
}
function baseNameMessage(base) {
  return `The preview name "${base.name}" is the name of the base Deployment (${base.id}); a preview must have a name of its own, and the base is never created, replaced or deleted as a preview. Set preview-name to another name or leave it empty.`;
}
function usesLegacy(args) {
  if (args.legacy !== void 0) return args.legacy;
  try {
    return args.name === previewName({ branch: args.branch, baseName: args.base.name });
  } catch {
    return false;
  }
}
var byAge = (a, b) => a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
function placedLikeBase(d, base) {
  const same = (x, y) => x === void 0 || y === void 0 || x === y;
  return same(d.type, base.type) && same(d.clusterId, base.clusterId) && same(d.cloudProvider, base.cloudProvider) && same(d.region, base.region);
}
async function findPreview(args) {
  const { api, base, branch, name, log: log2 } = args;
  if (name === base.name) throw new PreviewError("base-name", baseNameMessage(base));
  const legacyName = usesLegacy(args) ? legacyPreviewName({ branch, baseName: base.name }) : void 0;
  const useLegacy = legacyName !== void 0 && legacyName !== name && legacyName !== base.name;
  const names = useLegacy ? [name, legacyName] : [name];
  const found = await api.listDeployments({ workspaceIds: [base.workspaceId], names });
  const candidates = found.filter((d) => d.workspaceId === base.workspaceId && d.id !== base.id && d.name !== base.name).sort(byAge);
  const named = candidates.filter((d) => d.name === name);
  const marked = named.filter((d) => hasMarker(d.description, base.id, branch));
  const foreign = named.find((d) => !hasMarker(d.description, base.id, branch));
  if (marked.length > 1) {
    log2.warning(
      `Several Deployments named "${name}" are marked as the preview of ${base.id} for branch ${branch} (${marked.map((d) => d.id).join(", ")}); using the oldest, ${marked[0].id}.`
    );
  }
  if (marked.length) {
    if (foreign)
      log2.warning(
        `Ignoring Deployment ${foreign.id}: it is also named "${name}" but is not marked as this preview.`
      );
    log2.debug(`Preview of ${base.id} for branch ${branch}: ${marked[0].name} (${marked[0].id}).`);
    return { preview: marked[0] };
  }
  if (useLegacy) {
    const legacyNamed = candidates.filter((d) => d.name === legacyName);
    const ours = legacyNamed.filter((d) => hasMarker(d.description, base.id, branch));
    const legacyOnes = legacyNamed.filter(
      (d) => !hasAnyMarker(d.description) && placedLikeBase(d, base)
    );
    const accepted = ours.length ? ours : legacyOnes;
    for (const d of legacyNamed.filter((x) => !accepted.includes(x))) {
      log2.debug(
        `Not taking ${d.name} (${d.id}) as a deploy-action preview: marked for something else or placed unlike the base.`
      );
    }
    if (accepted.length === 1 || ours.length > 1) {
      const preview = accepted[0];
      log2.info(
        `Found the preview made by Astronomer's deploy-action by its name: ${preview.name} (${preview.id}).`
      );
      return { preview, legacy: true, foreign };
    }
    if (accepted.length > 1) {
      log2.warning(
        `Several Deployments are named "${legacyName}" (${accepted.map((d) => d.id).join(", ")}), the name Astronomer's deploy-action gave this branch's preview; not guessing which one is the preview.`
      );
    }
  }
  return foreign ? { foreign } : {};
}
async function existingPreview(args) {
  return (await lookUpPreview(args)).preview;
}
async function lookUpPreview(args) {
  const found = await findPreview(args);
  if (!found.preview && found.foreign)
    throw new PreviewError("foreign", foreignMessage(found.foreign, args.base, args.branch));
  return found;
}
async function requirePreview(args) {
  const { preview, foreign } = await findPreview(args);
  if (preview) return preview;
  if (foreign) throw new PreviewError("foreign", foreignMessage(foreign, args.base, args.branch));
  const legacyName = usesLegacy(args) ? legacyPreviewName({ branch: args.branch, baseName: args.base.name }) : void 0;
  throw new PreviewError(
    "not-found",
    noPreviewMessage({ base: args.base, branch: args.branch, name: args.name, legacyName })
  );
}

// src/preview/request.ts
var defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== void 0 && v !== null));
var takesQueues = (executor) => executor !== "KUBERNETES";
function locationOf(base, standard) {
  return standard && base.cloudProvider && base.region ? { cloudProvider: base.cloudProvider, region: base.region } : base.clusterId ? { clusterId: base.clusterId } : {};
}
function copiedSchedules(base) {
  return base.isDevelopmentMode ? base.scalingSpec?.hibernationSpec?.schedules?.map(
    (x) => defined({
      hibernateAtCron: x.hibernateAtCron,
      wakeAtCron: x.wakeAtCron,
      isEnabled: x.isEnabled,
      description: x.description
    })
  ) : void 0;
}
function copiedQueues(base, hybrid, withIds = false) {
  return base.workerQueues?.map(
    (q) => defined({
      id: withIds ? q.id : void 0,
      name: q.name,
      isDefault: q.isDefault,
      maxWorkerCount: q.maxWorkerCount,
      minWorkerCount: q.minWorkerCount,
      workerConcurrency: q.workerConcurrency,
      astroMachine: hybrid ? void 0 : q.astroMachine,
      nodePoolId: hybrid ? q.nodePoolId : void 0,
      podEphemeralStorage: q.podEphemeralStorage
    })
  );
}
function copiedRemoteExecution(d) {
  const re = d.remoteExecution;
  if (!re?.enabled) return void 0;
  return defined({
    enabled: true,
    allowedIpAddressRanges: re.allowedIpAddressRanges,
    taskLogBucket: re.taskLogBucket,
    taskLogUrlPattern: re.taskLogUrlPattern
  });
}
function applyOverrides(body, rest) {
  Object.assign(body, rest);
  if (rest.clusterId !== void 0) {
    delete body.cloudProvider;
    delete body.region;
  } else if (rest.cloudProvider !== void 0 || rest.region !== void 0) {
    delete body.clusterId;
  }
  const spec = body.scalingSpec?.hibernationSpec;
  if (body.scalingSpec && !spec?.schedules?.length && !spec?.override) delete body.scalingSpec;
}
function previewRequest(base, args) {
  const overrides = args.overrides ?? {};
  const hybrid = base.type === "HYBRID";
  const executor = overrides.executor ?? base.executor;
  const development = !hybrid && (overrides.isDevelopmentMode ?? base.isDevelopmentMode) === true;
  const standard = base.type === "STANDARD" || base.type === void 0 && !base.clusterId;
  const location = locationOf(base, standard);
  const remoteExecution = copiedRemoteExecution(base);
  const podSizes = !hybrid && !remoteExecution;
  const { env, omittedSecrets } = copiedEnv(base);
  const schedules = copiedSchedules(base);
  const queues = copiedQueues(base, hybrid);
  const body = defined({
    name: args.name,
    workspaceId: base.workspaceId,
    type: base.type,
    description: previewDescription(base.id, base.name, args.branch),
    astroRuntimeVersion: base.astroRuntimeVersion || base.runtimeVersion,
    executor: base.executor,
    ...location,
    schedulerSize: hybrid ? void 0 : base.schedulerSize,
    isHighAvailability: hybrid ? void 0 : base.isHighAvailability,
    isDevelopmentMode: hybrid ? void 0 : base.isDevelopmentMode,
    isDagDeployEnabled: base.isDagDeployEnabled,
    isCicdEnforced: base.isCicdEnforced,
    defaultTaskPodCpu: podSizes ? base.defaultTaskPodCpu : void 0,
    defaultTaskPodMemory: podSizes ? base.defaultTaskPodMemory : void 0,
    resourceQuotaCpu: podSizes ? base.resourceQuotaCpu : void 0,
    resourceQuotaMemory: podSizes ? base.resourceQuotaMemory : void 0,
    remoteExecution,
    scheduler: hybrid && base.schedulerAu !== void 0 ? { au: base.schedulerAu, replicas: base.schedulerReplicas } : void 0,
    taskPodNodePoolId: hybrid ? base.taskPodNodePoolId : void 0,
    workerQueues: takesQueues(executor) ? queues : void 0,
    scalingSpec: development && schedules?.length ? { hibernationSpec: { schedules } } : void 0
  });
  const {
    environmentVariables: envOverride,
    contactEmails: emailsOverride,
    description: note,
    ...rest
  } = overrides;
  if (!takesQueues(executor) && rest.workerQueues !== void 0) {
    throw new PreviewError(
      "overrides",
      `preview-overrides sets workerQueues, but the preview's executor is ${executor}, which takes no worker queues (they apply to CELERY and ASTRO): remove workerQueues from preview-overrides or set executor: CELERY.`
    );
  }
  applyOverrides(body, rest);
  if (note !== void 0)
    body.description = previewDescription(base.id, base.name, args.branch, note);
  let environmentVariables = env;
  if (envOverride) {
    const merged = new Map(env.map((e) => [e.key, e]));
    for (const e of envOverride) merged.set(e.key, e);
    environmentVariables = [...merged.values()];
  }
  const supplied = new Set((envOverride ?? []).map((e) => e.key));
  return {
    body,
    omittedSecrets: omittedSecrets.filter((k) => !supplied.has(k)),
    followUp: {
      environmentVariables,
      contactEmails: [...emailsOverride ?? base.contactEmails ?? []]
    }
  };
}
function copiedEnv(base) {
  const omittedSecrets = [];
  const env = [];
  for (const v of base.environmentVariables ?? []) {
    if (v.isSecret) omittedSecrets.push(v.key);
    else env.push({ key: v.key, isSecret: false, value: v.value ?? "" });
  }
  return { env, omittedSecrets };
}
function previewUpdateRequest(preview, set, workloadIdentity) {
  const hybrid = preview.type === "HYBRID";
  const schedules = preview.scalingSpec?.hibernationSpec?.schedules;
  const queues = takesQueues(preview.executor) ? copiedQueues(preview, hybrid, true) : void 0;
  return defined({
    type: preview.type ?? "STANDARD",
    name: preview.name,
    workspaceId: preview.workspaceId,
    description: preview.description,
    executor: preview.executor,
    isCicdEnforced: preview.isCicdEnforced,
    isDagDeployEnabled: preview.isDagDeployEnabled,
    ...hybrid ? {
      scheduler: preview.schedulerAu !== void 0 ? { au: preview.schedulerAu, replicas: preview.schedulerReplicas } : void 0,
      taskPodNodePoolId: preview.taskPodNodePoolId
    } : {
      isHighAvailability: preview.isHighAvailability ?? false,
      schedulerSize: preview.schedulerSize,
      isDevelopmentMode: preview.isDevelopmentMode,
      defaultTaskPodCpu: preview.defaultTaskPodCpu,
      defaultTaskPodMemory: preview.defaultTaskPodMemory,
      resourceQuotaCpu: preview.resourceQuotaCpu,
      resourceQuotaMemory: preview.resourceQuotaMemory,
      scalingSpec: preview.isDevelopmentMode && schedules?.length ? { hibernationSpec: { schedules } } : void 0
    },
    workerQueues: queues?.length ? queues : void 0,
    environmentVariables: set.environmentVariables,
    contactEmails: set.contactEmails,
    workloadIdentity,
    // An update carries Remote Execution as it is (it cannot be turned on or off by one).
    remoteExecution: copiedRemoteExecution(preview)
  });
}
function missingFollowUp(preview, set) {
  const have = new Map((preview.environmentVariables ?? []).map((v) => [v.key, v]));
  const vars = set.environmentVariables.filter((e) => {
    const got = have.get(e.key);
    return !got || !e.isSecret && (got.value ?? "") !== (e.value ?? "");
  }).map((e) => e.key);
  const emails = new Set(preview.contactEmails ?? []);
  const lost = set.contactEmails.filter((m) => !emails.has(m));
  return [
    ...vars.length ? [`environment variables ${vars.join(", ")}`] : [],
    ...lost.length ? [`contact emails ${lost.join(", ")}`] : []
  ];
}
function missingSecrets(base, preview) {
  const have = new Set((preview.environmentVariables ?? []).map((v) => v.key));
  return (base.environmentVariables ?? []).filter((v) => v.isSecret && !have.has(v.key)).map((v) => v.key);
}

// src/preview/ops.ts
async function waitUntilReady(args) {
  const { api, deploymentId, log: log2 } = args;
  const timeoutMs = args.timeoutMs ?? 20 * 6e4;
  const why = (d) => `${d.status}${d.statusReason ? ` (${d.statusReason})` : ""}`;
  let last;
  return poll({
    clock: args.clock,
    timeoutMs,
    backoff: {
      firstMs: args.firstDelayMs ?? 1e3,
      maxMs: args.maxDelayMs ?? 15e3,
      factor: 1.6,
      whole: "ceil"
    },
    look: async () => {
      last = await api.getDeployment(deploymentId);
      if (last.status === "HEALTHY") return last;
      if (last.status === "HIBERNATING") {
        log2.info(`Preview ${last.name} (${last.id}) is hibernating; it can take a deploy.`);
        return last;
      }
      return void 0;
    },
    waiting: (delay) => log2.debug(`Preview ${last.name} is ${why(last)}; checking again in ${delay} ms.`),
    timedOut: () => new PreviewError(
      "not-ready",
      `The preview Deployment ${last.name} (${last.id}) was not ready within ${Math.round(timeoutMs / 1e3)} s: it is ${why(last)}. Check it in the Astro UI, then run again (the preview is reused).`
    )
  });
}
async function applyFollowUp(api, ready, followUp, overrides, journal2, log2) {
  let created = ready;
  const name = ready.name;
  const wanted = followUp.environmentVariables.length || followUp.contactEmails.length;
  if (wanted) {
    log2.info(`Setting the environment variables and contact emails of ${name}.`);
    await api.updateDeployment(
      created.id,
      previewUpdateRequest(created, followUp, overrides?.workloadIdentity)
    );
    created = await api.getDeployment(created.id);
  }
  const lost = wanted ? missingFollowUp(created, followUp) : [];
  if (lost.length) {
    journal2.previewTold(created.id);
    throw new PreviewError(
      "settings-lost",
      `The preview ${created.name} (${created.id}) was created, but Astro did not keep its ${lost.join(" and ")} after the update that sets them; set them on ${created.name} in the Astro UI, or delete the preview and run again.`
    );
  }
  return created;
}
async function afterRefusedCreate(args, e, reuse) {
  const { base, branch, log: log2 } = args;
  const status = e.status;
  if (status !== 400 && status !== 409) throw e;
  const again = await findPreview({ ...args, legacy: false });
  if (again.preview) {
    log2.info(
      `Another run created the preview ${again.preview.name} (${again.preview.id}) for branch ${branch} at the same time; using it.`
    );
    return reuse(again.preview);
  }
  if (again.foreign) throw new PreviewError("foreign", foreignMessage(again.foreign, base, branch));
  throw e;
}
async function createPreview(args) {
  const { api, base, branch, name, log: log2 } = args;
  const journal2 = args.journal ?? new Journal();
  const reuse = async (found2, legacy) => {
    let preview = found2;
    if (preview.status === "CREATING") {
      preview = await waitUntilReady({
        api,
        deploymentId: preview.id,
        log: log2,
        timeoutMs: args.timeoutMs,
        firstDelayMs: args.firstDelayMs,
        maxDelayMs: args.maxDelayMs
      });
    }
    return { preview, created: false, omittedSecrets: missingSecrets(base, preview), legacy };
  };
  const found = args.found ?? await findPreview(args);
  if (found.preview) {
    log2.info(
      `Reusing the preview ${found.preview.name} (${found.preview.id}) of ${base.name} for branch ${branch}.`
    );
    return reuse(found.preview, found.legacy);
  }
  if (found.foreign) throw new PreviewError("foreign", foreignMessage(found.foreign, base, branch));
  const overrides = args.overrides;
  const { body, omittedSecrets, followUp } = previewRequest(base, { name, branch, overrides });
  log2.info(`Creating the preview ${name} of ${base.name} (${base.id}) for branch ${branch}.`);
  if (omittedSecrets.length) {
    log2.warning(
      `Secret environment variables of ${base.name} cannot be read back and were not copied to the preview: ${omittedSecrets.join(", ")}. Set them on ${name} (or with preview-overrides) if its DAGs need them.`
    );
  }
  let created;
  try {
    created = await api.createDeployment(body);
  } catch (e) {
    return afterRefusedCreate(args, e, reuse);
  }
  journal2.previewCreated({ id: created.id, name: created.name });
  const again = await findPreview({ ...args, legacy: false });
  if (again.preview && again.preview.id !== created.id) {
    log2.warning(
      `Another run created ${again.preview.id} for this branch at the same time; using it and removing ${created.id}.`
    );
    await api.deleteDeployment(created.id);
    journal2.previewDeleted(created.id);
    return { preview: again.preview, created: false, omittedSecrets: [] };
  }
  created = await waitUntilReady({
    api,
    deploymentId: created.id,
    log: log2,
    timeoutMs: args.timeoutMs,
    firstDelayMs: args.firstDelayMs,
    maxDelayMs: args.maxDelayMs
  });
  created = await applyFollowUp(api, created, followUp, overrides, journal2, log2);
  log2.info(`Preview ${created.name} (${created.id}) is ${created.status}.`);
  return { preview: created, created: true, omittedSecrets };
}
async function deletePreview(args) {
  const { api, base, branch, name, log: log2 } = args;
  const found = await findPreview(args);
  const preview = found.preview;
  if (!preview) {
    if (found.foreign)
      throw new PreviewError("foreign", foreignMessage(found.foreign, base, branch));
    log2.info(
      `No preview of ${base.name} for branch ${branch} (looked for "${name}"); nothing to delete.`
    );
    return { nothing: true };
  }
  if (preview.id === base.id || preview.name === base.name || preview.workspaceId !== base.workspaceId) {
    throw new PreviewError("base-name", baseNameMessage(base));
  }
  log2.info(
    `Deleting the preview ${preview.name} (${preview.id}) of ${base.name} for branch ${branch}.`
  );
  try {
    await api.deleteDeployment(preview.id);
  } catch (e) {
    if (e.status === 404) {
      log2.info(`The preview ${preview.id} was already gone.`);
      return { nothing: true };
    }
    throw e;
  }
  return { deleted: preview, nothing: false, legacy: found.legacy };
}

// src/platform/checkout.ts
import fs from "node:fs/promises";

// src/platform/git.ts
var GitError = class extends Error {
  constructor(args, result) {
    const detail = result.stderr.trim().split("\n").slice(-3).join(" ");
    super(`git ${args[0]} failed (exit ${result.code}): ${detail}`);
    this.args = args;
    this.result = result;
    this.name = "GitError";
  }
  args;
  result;
};
var ABSENT = /not our ref|not a valid object name/i;
var UNADVERTISED = /unadvertised object|couldn't find remote ref|no such remote ref/i;
var CLIENT_ERROR = /(?:returned error:|HTTP) 4(?!29)\d\d/i;
var TRANSIENT = /returned error: (?:5\d\d|429)|could not resolve host|failed to connect|connection (?:refused|reset|timed out)|operation (?:timed out|too slow)|early eof|rpc failed|unexpected disconnect|remote end hung up|empty reply|http\/2 stream|failure when receiving|transfer closed|(?:recv|send) failure|gnutls_(?:handshake|recv)|ssl_(?:read|connect)|tls connection/i;
var ALL_BRANCHES = "+refs/heads/*:refs/remotes/origin/*";
var ALL_TAGS = "+refs/tags/*:refs/tags/*";
var Git = class {
  constructor(opts) {
    this.opts = opts;
  }
  opts;
  /** Commits known to be present: objects never leave a clone while the action runs. */
  present = /* @__PURE__ */ new Set();
  /**
   * Commits origin could not provide: asked again in the same run (the image and the DAG
   * baselines, the stale guard), the answer is the same, without another round of fetches.
   */
  unavailable = /* @__PURE__ */ new Set();
  get cwd() {
    return this.opts.cwd;
  }
  /** Runs git; returns the result whatever the exit code. */
  async exec(args, input) {
    const env = {
      ...process.env,
      LC_ALL: "C",
      GIT_TERMINAL_PROMPT: "0",
      ...this.opts.env
    };
    const { exitCode, stdout, stderr } = await getExecOutput("git", args, {
      cwd: this.opts.cwd,
      env,
      silent: true,
      ignoreReturnCode: true,
      input
    });
    return { code: exitCode, stdout, stderr };
  }
  /** Runs git and fails on a non-zero exit. */
  async run(args) {
    const result = await this.exec(args);
    if (result.code !== 0) throw new GitError(args, result);
    return result.stdout;
  }
  async isRepository() {
    const r = await this.exec(["rev-parse", "--is-inside-work-tree"]);
    return r.code === 0 && r.stdout.trim() === "true";
  }
  /**
   * The repository's top level and HEAD in one call, or undefined when the folder holds no
   * repository with a commit checked out (one spawn instead of three on the common path).
   */
  async describe() {
    const r = await this.exec(["rev-parse", "--is-inside-work-tree", "--show-toplevel", "HEAD"]);
    const [inside, topLevel, head] = r.stdout.trim().split("\n");
    if (r.code !== 0 || inside !== "true" || !topLevel || !head) return void 0;
    return { topLevel, head };
  }
  async topLevel() {
    return (await this.run(["rev-parse", "--show-toplevel"])).trim();
  }
  async head() {
    return (await this.run(["rev-parse", "HEAD"])).trim();
  }
  async isShallow() {
    return (await this.run(["rev-parse", "--is-shallow-repository"])).trim() === "true";
  }
  async hasCommit(sha) {
    if (this.present.has(sha)) return true;
    const found = (await this.exec(["cat-file", "-e", `${sha}^{commit}`])).code === 0;
    if (found) this.present.add(sha);
    return found;
  }
  async hasRemote(name = "origin") {
    return (await this.exec(["remote", "get-url", name])).code === 0;
  }
  async remoteUrl(name = "origin") {
    const r = await this.exec(["remote", "get-url", name]);
    return r.code === 0 ? r.stdout.trim() : void 0;
  }
  /**
   * git fetch from origin. Failures that look passing (network, 5xx, 429) are retried a few
   * times and then thrown: a commit that may still be fetchable must not be taken for a
   * missing one. 'absent': the server has no such object; 'unadvertised': it will not give
   * it by SHA; 'refused': any other answer (access, no such repository), reported in the log.
   */
  async fetch(args) {
    const full = ["fetch", "--no-tags", ...args];
    const delays = this.opts.retryDelaysMs ?? [2e3, 6e3];
    for (let attempt = 0; ; attempt++) {
      const r = await this.exec(full);
      if (r.code === 0) return "ok";
      const why = r.stderr.trim().split("\n").pop() ?? "";
      const answer = ABSENT.test(r.stderr) ? "absent" : UNADVERTISED.test(r.stderr) ? "unadvertised" : void 0;
      if (answer) {
        this.opts.log.debug(`git fetch: ${why}`);
        return answer;
      }
      if (CLIENT_ERROR.test(r.stderr) || !TRANSIENT.test(r.stderr)) {
        this.opts.log.warning(`git fetch from origin failed: ${why}`);
        return "refused";
      }
      if (attempt >= delays.length) {
        throw new Error(
          `Could not fetch from origin after ${attempt + 1} attempts (${why}); the commits needed to decide what changed may exist there, so the job stops instead of deploying everything. Re-run the job.`
        );
      }
      this.opts.log.info(
        `git fetch failed (${why}); retrying in ${Math.round(delays[attempt] / 1e3)} s.`
      );
      await clockWith(this.opts.clock).sleep(delays[attempt]);
    }
  }
  /**
   * Makes sure a commit is present locally: fetched by SHA from origin (GitHub serves any
   * reachable or recently force-pushed-away commit), else by deepening step by step, else
   * by fetching every branch and tag. Returns false only when origin cannot provide it.
   */
  async ensureCommit(sha) {
    if (await this.hasCommit(sha)) return true;
    if (this.unavailable.has(sha)) return false;
    const found = await this.fetchCommit(sha);
    if (!found) this.unavailable.add(sha);
    return found;
  }
  async fetchCommit(sha) {
    if (!await this.hasRemote()) return false;
    this.opts.log.info(`Fetching commit ${sha.slice(0, 12)} from origin (not in the local clone).`);
    const depth = await this.isShallow() ? ["--depth=1"] : [];
    const bySha = await this.fetch([...depth, "origin", sha]);
    if (bySha === "ok" && await this.hasCommit(sha)) return true;
    if (bySha === "refused") return false;
    if (bySha === "absent") {
      this.opts.log.info(`Origin has no commit ${sha.slice(0, 12)}.`);
      return false;
    }
    for (const n of [50, 200, 1e3]) {
      if (!await this.isShallow()) break;
      this.opts.log.info(`Deepening the clone by ${n} commits to find ${sha.slice(0, 12)}.`);
      await this.fetch([`--deepen=${n}`, "origin", ALL_BRANCHES]);
      if (await this.hasCommit(sha)) return true;
    }
    this.opts.log.info(`Fetching every branch and tag of origin to find ${sha.slice(0, 12)}.`);
    const unshallow = await this.isShallow() ? ["--unshallow"] : [];
    await this.fetch([...unshallow, "origin", ALL_BRANCHES, ALL_TAGS]);
    return this.hasCommit(sha);
  }
  /**
   * Is `ancestor` an ancestor of `descendant`? In a shallow clone a "no" may only mean the
   * history between them is missing, so both histories are deepened until git can tell:
   * until one of the two is found below the other, or the whole history is here.
   */
  async isAncestor(ancestor, descendant) {
    const below = async (a, d) => {
      const r = await this.exec(["merge-base", "--is-ancestor", a, d]);
      if (r.code !== 0 && r.code !== 1) throw new GitError(["merge-base", "--is-ancestor"], r);
      return r.code === 0;
    };
    for (const deepen of [0, 50, 500, 5e3, -1]) {
      if (deepen !== 0) {
        this.opts.log.info(
          `Deepening history to compare ${ancestor.slice(0, 7)} and ${descendant.slice(0, 7)}.`
        );
        const how = deepen > 0 ? [`--deepen=${deepen}`] : ["--unshallow"];
        await this.fetch([...how, "origin", ancestor, descendant]);
      }
      if (await below(ancestor, descendant)) return true;
      if (await below(descendant, ancestor)) return false;
      if (!await this.isShallow() || !await this.hasRemote()) return false;
    }
    return false;
  }
  /** The commit a branch points at on origin now, or undefined when that cannot be read. */
  async remoteBranchTip(branch) {
    const r = await this.exec(["ls-remote", "--heads", "origin", `refs/heads/${branch}`]);
    if (r.code !== 0) return void 0;
    return /^([0-9a-f]{40,64})\t/m.exec(r.stdout)?.[1];
  }
  /**
   * The names of every branch origin has now (`git ls-remote --heads`: refs only, no objects,
   * so a shallow checkout is enough). Throws when origin cannot be read: an unknown list must
   * never be taken for an empty one.
   */
  async remoteBranches() {
    const out = await this.run(["ls-remote", "--heads", "origin"]);
    const names = /* @__PURE__ */ new Set();
    for (const line of out.split("\n")) {
      const m = /^[0-9a-f]{40,64}\trefs\/heads\/(.+)$/.exec(line.trim());
      if (m) names.add(m[1]);
    }
    return names;
  }
  /**
   * Paths that differ between two commits' trees (ancestry does not matter). Renames count
   * as a deletion plus an addition, so both sides are seen; NUL-separated so any name works.
   */
  async changedPaths(from, to) {
    const out = await this.run([
      "-c",
      "core.quotePath=false",
      "diff",
      "--name-only",
      "--no-renames",
      "--no-ext-diff",
      "-z",
      from,
      to,
      "--"
    ]);
    return out.split("\0").filter(Boolean);
  }
  /** Commit metadata for deploy records and descriptions. */
  async commitInfo(sha) {
    const out = await this.run(["show", "-s", "--format=%s%x00%an%x00%ae%x00%ct", sha]);
    const [subject = "", authorName = "", authorEmail = "", time = "0"] = out.replace(/\n$/, "").split("\0");
    return { subject, authorName, authorEmail, time: Number(time) };
  }
};
function authEnv(serverUrl, token, env = process.env) {
  if (!token || !/^https:\/\//i.test(serverUrl)) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return headerEnv(serverUrl, `AUTHORIZATION: basic ${basic}`, env);
}
function headerEnv(serverUrl, header, env = process.env) {
  const first = Number.parseInt(env.GIT_CONFIG_COUNT ?? "0", 10) || 0;
  const key = `http.${serverUrl.replace(/\/+$/, "")}/.extraheader`;
  return {
    GIT_CONFIG_COUNT: String(first + 2),
    [`GIT_CONFIG_KEY_${first}`]: key,
    [`GIT_CONFIG_VALUE_${first}`]: "",
    [`GIT_CONFIG_KEY_${first + 1}`]: key,
    [`GIT_CONFIG_VALUE_${first + 1}`]: header
  };
}

// src/platform/checkout.ts
async function prepareCheckout(settings, env, log2) {
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const gitEnv = authEnv(serverUrl, settings.githubToken);
  const dir = settings.checkoutDir;
  await fs.mkdir(dir, { recursive: true });
  let git = new Git({ cwd: dir, log: log2, env: gitEnv });
  const notCloning = () => {
    if (settings.sparseCheckout.length)
      log2.info(
        "Input 'sparse-checkout' applies only when the action clones the repository; the workspace already holds one, so its work tree is used as it is."
      );
  };
  const found = await git.describe();
  if (found) {
    notCloning();
    git = new Git({ cwd: found.topLevel, log: log2, env: gitEnv });
    return { git, repoRoot: found.topLevel, head: found.head, cloned: false };
  }
  if (await git.isRepository()) {
    notCloning();
    const repoRoot = await git.topLevel();
    git = new Git({ cwd: repoRoot, log: log2, env: gitEnv });
    return { git, repoRoot, head: await git.head(), cloned: false };
  }
  if (!settings.checkout) {
    throw new Error(
      `The workspace (${dir}) holds no git repository and 'checkout' is false; add an actions/checkout step or set checkout: true.`
    );
  }
  const repository = env.GITHUB_REPOSITORY;
  const sha = env.GITHUB_SHA;
  if (!repository || !sha) {
    throw new Error(
      "The workspace holds no git repository and GITHUB_REPOSITORY / GITHUB_SHA are not set, so there is nothing to clone; add an actions/checkout step."
    );
  }
  const url = `${serverUrl}/${repository}${serverUrl.startsWith("file:") ? "" : ".git"}`;
  log2.info(
    `No repository in the workspace: cloning ${serverUrl}/${repository} at ${sha.slice(0, 12)}.`
  );
  await git.run(["init", "-q"]);
  await git.run(["remote", "add", "origin", url]);
  const fetched = await git.exec(["fetch", "--no-tags", "--depth=1", "origin", sha]);
  if (fetched.code !== 0) {
    throw new Error(
      `Could not fetch ${sha.slice(0, 12)} from ${serverUrl}/${repository}: ${fetched.stderr.trim().split("\n").pop()}. Check that 'github-token' may read the repository.`
    );
  }
  if (settings.sparseCheckout.length) {
    log2.info(`Sparse checkout (cone mode): ${settings.sparseCheckout.join(", ")}.`);
    await git.run(["sparse-checkout", "set", "--cone", "--", ...settings.sparseCheckout]);
  }
  await git.run(["checkout", "-q", "--force", "--detach", sha]);
  if (settings.checkoutSubmodules) {
    const args = ["submodule", "update", "--init", "--depth=1"];
    if (settings.checkoutSubmodules === "recursive") args.push("--recursive");
    await git.run(args);
  }
  return { git, repoRoot: await git.topLevel(), head: await git.head(), cloned: true };
}

// src/main.ts
var log = {
  info: (m) => info(m),
  warning: (m) => warning(m),
  debug: (m) => debug(m)
};
var reporter = { group, error };
var summary2 = (md) => summary.addRaw(md).write();
var report = (j, env) => writeSummary(j, env, summary2, log);
var setOutputs = (o) => {
  for (const [k, v] of Object.entries(outputs(o))) setOutput(k, v);
};
async function run(env = process.env, journal2 = new Journal()) {
  maskToken(env, setSecret);
  try {
    const trigger = parseTrigger(env.GITHUB_EVENT_NAME ?? "", readEvent(env), env);
    const secretless = withoutSecrets(trigger, env);
    const settings = await loadSettings((name) => getInput(name), env, {
      tokenOptional: secretless !== void 0
    });
    if (settings.githubToken) setSecret(settings.githubToken);
    for (const n of settings.notices) notice(n);
    log.info(`Event: ${describeTrigger(trigger)}.`);
    if (secretless && !settings.token) return await skipSecretless(secretless, journal2, env);
    const api = await step(
      { journal: journal2, reporter, log },
      "Connect to the Astro API",
      () => createAstroClient({
        baseUrl: settings.apiUrl,
        token: settings.token,
        log,
        workspaceId: settings.workspace
      })
    );
    let ws;
    const parts = {
      settings,
      trigger,
      env,
      api,
      log,
      journal: journal2,
      reporter,
      previews: ops_exports,
      github: await githubPartsFor(settings, trigger, env, log),
      docker: () => createDocker({ log }),
      checkout: () => ws ??= step(parts, "Prepare the repository", () => prepareCheckout(settings, env, log))
    };
    const mode = resolveMode(settings.action, trigger);
    const base = await step(
      parts,
      "Find the Deployment",
      () => resolveDeployment(api, settings, log)
    );
    const outcome = await runFlow(mode, parts, base);
    setOutputs(outcome);
    log.info(
      outcome.skipped ? `Nothing deployed: ${outcome.reason}.` : `Done: ${outcome.deployType} \u2014 ${outcome.reason}.`
    );
    await report(journal2, env);
  } catch (err) {
    await failed(err, journal2, env);
  } finally {
    journal2.previewsSettled();
  }
}
async function failed(err, journal2, env) {
  for (const w of journal2.warnings) log.warning(w);
  const { message, outcome } = failure(err, journal2);
  await journal2.closeGitHub(message);
  await report(journal2, env);
  setOutputs(outcome);
  setFailed(message);
}
async function skipSecretless(reason, journal2, env) {
  notice(`Skipped: ${reason}.`);
  setOutputs({ deployType: "none", skipped: true, reason });
  journal2.sections.push(section("Skipped", `${reason}.`));
  await report(journal2, env);
}
async function cancelled(signal, journal2, env = process.env) {
  const where2 = journal2.step ? ` during '${journal2.step}'` : "";
  log.info(`Cancelled (${signal})${where2}: putting back what this run changed.`);
  const problems = await journal2.undoAll();
  removeTempDirs();
  const { message, outcome } = cancellation(signal, journal2, problems);
  await journal2.closeGitHub(message);
  setOutputs(outcome);
  await report(journal2, env);
  setFailed(message);
}
function readEvent(env) {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs2.existsSync(file)) return {};
  try {
    return JSON.parse(fs2.readFileSync(file, "utf8"));
  } catch {
    throw new Error(`The event file ${file} is not valid JSON.`);
  }
}

// src/index.ts
var journal = new Journal((name, value) => saveState(name, value));
handleSignals((signal) => cancelled(signal, journal));
await run(process.env, journal);
