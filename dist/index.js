import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  ACTION_VERSION,
  AirflowApiError,
  CLIENT_IDENTIFIER,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  Journal,
  KINDS,
  NetworkError,
  SettingsError,
  apiTypeIsBundle,
  apiTypeShipsDags,
  apiTypeShipsImage,
  assertDeployable,
  buildsImage,
  clockOf,
  clockWith,
  createAstroClient,
  debug,
  deployNote,
  error,
  exec,
  formatDelay,
  getExecOutput,
  getInput,
  group,
  info,
  inputIsBundle,
  isBundle,
  isHibernating,
  isInside,
  joinRel,
  kindOfInput,
  notice,
  parseRetryAfter,
  policyOf,
  poll,
  previewNote,
  queryString,
  readSettings,
  realClock,
  relativeTo,
  require_dist,
  saveState,
  send,
  setFailed,
  setOutput,
  setSecret,
  shipsDagFolder,
  stripBearer,
  summary,
  waitUntilLive,
  wakeDeployment,
  warning,
  withRetry,
  withoutQuery
} from "./chunk-JS5S7GKQ.js";
import {
  __export,
  __toESM
} from "./chunk-T7FDFZYZ.js";

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
import fs7 from "node:fs";

// src/platform/docker.ts
import { randomBytes } from "node:crypto";
import { existsSync, rmSync as rmSync2, writeFileSync } from "node:fs";
import { copyFile, mkdtemp, readFile as readFile2, rm, symlink, writeFile } from "node:fs/promises";
import os2 from "node:os";
import path4 from "node:path";

// src/project/ignore.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
async function buildIgnoreText(context, dockerfile = path.join(context, "Dockerfile")) {
  for (const file of [`${dockerfile}.dockerignore`, path.join(context, ".dockerignore")]) {
    const text = await readFile(file, "utf8").catch(() => void 0);
    if (text !== void 0) return text;
  }
  return void 0;
}
var normalizePath = (p) => p.replace(/^\.?\/+/, "").replace(/\/+$/, "");
function ignoreWithExcludes(original, exclude) {
  const base = original ?? "";
  const sep3 = base === "" || base.endsWith("\n") ? "" : "\n";
  const ours = exclude.map(normalizePath).filter((p) => p !== "");
  return `${base}${sep3}# added by the deploy action for this build only
${ours.join("\n")}
`;
}
function ignoreWithout(original, keep) {
  const folders = new Set(keep.map(normalizePath).filter((p) => p !== ""));
  if (folders.size === 0) return void 0;
  const lines = original.split("\n");
  const kept = lines.filter((line) => {
    const pattern = line.replace(/\r$/, "").trim();
    if (pattern === "" || pattern.startsWith("#") || pattern.startsWith("!")) return true;
    const folder = normalizePath(pattern.replace(/\/\*\*(?:\/\*)?$|\/\*$/, ""));
    return !folders.has(folder);
  });
  return kept.length === lines.length ? void 0 : kept.join("\n");
}
function buildIgnoreFor(original, exclude, keep) {
  const kept = original !== void 0 && keep.length ? ignoreWithout(original, keep) : void 0;
  if (exclude.length) return ignoreWithExcludes(kept ?? original, exclude);
  return kept;
}

// src/platform/docker-cli.ts
import { constants as fsConstants } from "node:fs";
import { access, realpath } from "node:fs/promises";
import path2 from "node:path";
function cleanEnv(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (v !== void 0) out[k] = v;
  return out;
}
async function isExecutable(file) {
  try {
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
async function runRaw(file, args, env, input, onLine) {
  let stdout = "";
  let stderr = "";
  try {
    const exitCode = await exec(file, args, {
      silent: true,
      ignoreReturnCode: true,
      env,
      input,
      listeners: {
        stdout: (b) => stdout += b.toString(),
        stderr: (b) => stderr += b.toString(),
        stdline: onLine,
        errline: onLine
      }
    });
    return { exitCode, stdout, stderr };
  } catch (e) {
    return { exitCode: 127, stdout, stderr: stderr || e.message };
  }
}
function outputTail(result, lines = 5) {
  const text = result.stderr.trim() || result.stdout.trim();
  return text.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "").slice(-lines).join(" | ");
}
function clientMajor(versionLine) {
  const m = /version\s+(\d+)\./i.exec(versionLine);
  return m ? Number(m[1]) : void 0;
}
async function chooseDockerClient(env) {
  const seen = /* @__PURE__ */ new Set();
  const candidates = [];
  for (const dir of (env.PATH ?? "").split(path2.delimiter)) {
    if (!dir) continue;
    const file = path2.join(dir, "docker");
    if (!await isExecutable(file)) continue;
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) continue;
    seen.add(real);
    candidates.push(file);
  }
  if (candidates.length === 0) return void 0;
  for (const file of candidates) {
    if ((await runRaw(file, ["buildx", "version"], env)).exitCode === 0)
      return { path: file, buildkit: "buildx" };
  }
  for (const file of candidates) {
    const v = await runRaw(file, ["--version"], env);
    const major = clientMajor(v.stdout);
    if (v.exitCode === 0 && major !== void 0 && major < 23)
      return { path: file, buildkit: "builtin" };
  }
  return { path: candidates[0], buildkit: "none" };
}
function csvField(field) {
  return /[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
function mountArg(m) {
  const fields = ["type=bind", `source=${m.source}`, `target=${m.target}`];
  if (m.readonly) fields.push("readonly");
  return fields.map(csvField).join(",");
}
function runArgs(o) {
  const args = ["run", "--rm"];
  for (const m of o.mounts ?? []) args.push("--mount", mountArg(m));
  for (const t of o.tmpfs ?? []) args.push("--tmpfs", t);
  if (o.workdir) args.push("--workdir", o.workdir);
  for (const name of Object.keys(o.env ?? {})) args.push("-e", name);
  if (o.user) args.push("--user", o.user);
  if (o.entrypoint !== void 0) args.push("--entrypoint", o.entrypoint);
  if (o.network) args.push("--network", o.network);
  args.push(o.image, ...o.args ?? []);
  return args;
}
function cacheArgs(cacheFrom, inlineCache, buildkit) {
  if (!buildkit) return [];
  const args = cacheFrom.flatMap((ref) => ["--cache-from", ref]);
  if (inlineCache) args.push("--build-arg", "BUILDKIT_INLINE_CACHE=1");
  return args;
}

// src/platform/temp.ts
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path3 from "node:path";
var live = /* @__PURE__ */ new Set();
var hooked = false;
function tempRoot(env = process.env) {
  return env.RUNNER_TEMP || os.tmpdir();
}
function makeTempDir(prefix) {
  const dir = mkdtempSync(path3.join(tempRoot(), prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.once("exit", removeTempDirs);
  }
  return dir;
}
function removeTempDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  live.delete(dir);
}
function removeTempDirs() {
  for (const dir of [...live]) removeTempDir(dir);
}

// src/platform/docker.ts
function createDocker({
  log: log2,
  env: baseEnv = process.env,
  builder = "auto"
}) {
  let env = cleanEnv(baseEnv);
  let configDir;
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
  async function build2(o) {
    const c = await client();
    const context = path4.resolve(o.context);
    const dockerfile = path4.resolve(context, o.dockerfile ?? "Dockerfile");
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
    const shown = path4.relative(context, dockerfile);
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
        const copy = path4.join(dir, "Dockerfile");
        await copyFile(dockerfile, copy);
        await writeFile(`${copy}.dockerignore`, ignoreText2);
        await must(what, [...args, "--file", copy, context], { env: buildEnv, onLine: streamTo });
      } finally {
        removeTempDir(dir);
      }
      return;
    }
    const ignorePath = path4.join(context, ".dockerignore");
    const originalIgnore = await readFile2(ignorePath).catch(() => void 0);
    const ours = originalIgnore === void 0 && exclude.length ? [...exclude, ".dockerignore"] : exclude;
    const ignoreText = buildIgnoreFor(originalIgnore?.toString("utf8"), ours, keep);
    if (ignoreText === void 0) {
      await plain();
      return;
    }
    keptNote(originalIgnore?.toString("utf8"));
    const restoreSync = () => {
      if (originalIgnore === void 0) rmSync2(ignorePath, { force: true });
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
    if (!configDir) {
      const dir = await mkdtemp(
        path4.join(tempRoot(), `docker-config-${randomBytes(4).toString("hex")}-`)
      );
      const userDir = env.DOCKER_CONFIG || path4.join(env.HOME || os2.homedir(), ".docker");
      const config = {};
      try {
        Object.assign(
          config,
          JSON.parse(await readFile2(path4.join(userDir, "config.json"), "utf8"))
        );
      } catch {
      }
      delete config.credsStore;
      const helpers = config.credHelpers;
      if (helpers) delete helpers[registry];
      await writeFile(path4.join(dir, "config.json"), JSON.stringify(config), { mode: 384 });
      if (existsSync(path4.join(userDir, "cli-plugins"))) {
        await symlink(path4.join(userDir, "cli-plugins"), path4.join(dir, "cli-plugins")).catch(
          () => void 0
        );
      }
      configDir = dir;
      env = { ...env, DOCKER_CONFIG: dir };
      const remove = () => rmSync2(dir, { recursive: true, force: true });
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
  }
  return {
    async available() {
      try {
        const r = await command(["version", "--format", "{{.Server.Version}}"]);
        return r.exitCode === 0 && r.stdout.trim() !== "";
      } catch {
        return false;
      }
    },
    build: build2,
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
        env = cleanEnv(baseEnv);
      }
    }
  };
}

// src/flows/deploy.ts
import path17 from "node:path";

// src/decide/facts.ts
import path8 from "node:path";

// src/decide/baselines.ts
function isBundleDeploy(d) {
  return Boolean(d.bundleMountPath) || apiTypeIsBundle(d.type);
}
var time = (d) => Date.parse(d.createdAt);
function liveDeploys(history, bundle2 = {}, running = {}) {
  const newestFirst = [...history].sort((a, b) => time(b) - time(a));
  const finalized = (d) => d.status === "DEPLOYED";
  const code2 = newestFirst.filter((d) => !isBundleDeploy(d));
  const images = code2.filter((d) => apiTypeShipsImage(d.type));
  const dagDeploys = code2.filter((d) => apiTypeShipsDags(d.type));
  const bundles = newestFirst.filter(
    (d) => isBundleDeploy(d) && (!bundle2.mountPath || d.bundleMountPath === bundle2.mountPath) && (!bundle2.bundleType || !d.bundles?.length || d.bundles.some((b) => b.bundleType === bundle2.bundleType))
  );
  const bundleMode = Boolean(bundle2.mountPath || bundle2.bundleType);
  const named = (list, matches) => list.find((d) => d.status !== "INITIALIZED" && matches(d)) ?? list.find(finalized);
  const image = named(images, (d) => !!running.imageTag && d.imageTag === running.imageTag);
  const dags = named(
    dagDeploys,
    (d) => !!running.dagTarballVersion && d.dagTarballVersion === running.dagTarballVersion
  );
  const ownCurrent = (d) => (d.bundles ?? []).some(
    (b) => (!bundle2.mountPath || b.mountPath === bundle2.mountPath) && b.currentVersion !== void 0 && b.currentVersion === b.desiredVersion
  );
  const byFinalize = [...bundles].sort(
    (a, b) => Date.parse(b.updatedAt ?? b.createdAt) - Date.parse(a.updatedAt ?? a.createdAt)
  );
  const liveBundle = bundleMode ? byFinalize.find((d) => finalized(d) && ownCurrent(d)) ?? bundles.find(finalized) : void 0;
  const fromLive = (list, live2) => live2 ? list.filter((d) => d === live2 || finalized(d) && time(d) > time(live2)) : [];
  const current = bundleMode ? fromLive(bundles, liveBundle) : [.../* @__PURE__ */ new Set([...fromLive(images, image), ...fromLive(dagDeploys, dags)])].sort(
    (a, b) => time(b) - time(a)
  );
  return { image, dags, bundle: liveBundle, current };
}

// src/decide/classify.ts
var ALWAYS_IN_IMAGE = /* @__PURE__ */ new Set(["Dockerfile", ".dockerignore", "Dockerfile.dockerignore"]);
function classify(file, rules) {
  const bundleMode = inputIsBundle(rules.deployType);
  if (!isInside(file, rules.rootFolder) || file === rules.rootFolder) {
    if (!bundleMode && rules.imageTriggers.matches(file)) return "image";
    if (bundleMode && rules.bundleTriggers.matches(file)) return "bundle";
    return "ignored";
  }
  if (bundleMode) return "bundle";
  const rel = relativeTo(file, rules.rootFolder);
  if (isInside(rel, rules.dagsPath)) return "dags";
  if (ALWAYS_IN_IMAGE.has(rel)) return "image";
  if (rules.dockerignore.matches(rel)) return "ignored";
  return "image";
}
function classifyAll(files, rules) {
  const out = { dags: [], image: [], bundle: [], ignored: [] };
  for (const f of files) out[classify(f, rules)].push(f);
  return out;
}

// src/project/dbt.ts
var import_yaml = __toESM(require_dist(), 1);
import { promises as fs2 } from "node:fs";
import * as path6 from "node:path";

// src/project/check.ts
import fs from "node:fs/promises";
import path5 from "node:path";
var ProjectError = class extends Error {
  name = "ProjectError";
};
async function readCommitTree(git, commit) {
  const out = await git.run(["ls-tree", "-r", "-t", "-z", "--full-tree", commit]);
  const tree = { files: /* @__PURE__ */ new Set(), dirs: /* @__PURE__ */ new Set(), submodules: [] };
  for (const entry of out.split("\0")) {
    const tab = entry.indexOf("	");
    if (tab < 0) continue;
    const type = entry.slice(0, tab).split(" ")[1];
    const name = entry.slice(tab + 1);
    if (type === "tree") tree.dirs.add(name);
    else if (type === "commit") tree.submodules.push(name);
    else tree.files.add(name);
  }
  return tree;
}
async function checkProject(git, head, repoRoot, settings, dagDeployEnabled) {
  const input = {
    rootFolder: settings.rootFolder,
    dagsPath: settings.dagsPath,
    deployType: settings.deployType,
    imageName: settings.imageName,
    dagDeployEnabled,
    commit: head.slice(0, 7)
  };
  const tree = await readCommitTree(git, head);
  const problem = projectProblem(tree, input);
  if (!problem) return;
  const root = input.rootFolder;
  const dags = joinRel(root, input.dagsPath);
  for (const rel of [root, dags]) {
    if (rel && await kind(path5.join(repoRoot, rel)) === "dir") tree.dirs.add(rel);
  }
  for (const name of ["Dockerfile", "dbt_project.yml"]) {
    const rel = joinRel(root, name);
    if (await kind(path5.join(repoRoot, rel)) === "file") tree.files.add(rel);
  }
  if (projectProblem(tree, input)) throw new ProjectError(problem);
}
async function kind(p) {
  try {
    const st = await fs.stat(p);
    return st.isDirectory() ? "dir" : "file";
  } catch {
    return void 0;
  }
}
function projectProblem(tree, input) {
  const { rootFolder: root, dagsPath, deployType, commit } = input;
  if (tree.submodules.some((s) => root === s || root.startsWith(`${s}/`))) return void 0;
  const isDir = (p) => p === "" || tree.dirs.has(p);
  const marker = deployType === "dbt" ? "dbt_project.yml" : "Dockerfile";
  const rootText = root ? `'${root}'` : "empty (the repository's top level)";
  if (!isDir(root)) {
    const what = tree.files.has(root) ? `a file in commit ${commit}, not a folder` : `not a folder in commit ${commit}`;
    const near = nearest(root, tree.dirs);
    const hint = near ? `did you mean '${near}'? Set root-folder: ${near}` : projectsHint(tree, marker) ?? "set root-folder to the folder of the project";
    return `Input 'root-folder' is '${root}', which is ${what}; ${hint}.`;
  }
  const has = (rel) => tree.files.has(joinRel(root, rel));
  if (deployType === "dbt") {
    if (has("dbt_project.yml")) return void 0;
    const hint = projectsHint(tree, marker) ?? "point root-folder at the dbt project folder";
    return `deploy-type dbt needs a dbt project, but root-folder is ${rootText} and holds no dbt_project.yml in commit ${commit}; ${hint}.`;
  }
  if (deployType === "non-dags") return void 0;
  const dags = joinRel(root, dagsPath);
  if (!input.imageName && !has("Dockerfile") && !isDir(dags)) {
    const hint = projectsHint(tree, marker) ?? "point root-folder at the Astro project (the folder with the Dockerfile and the DAG folder)";
    return `Input 'root-folder' is ${rootText}, which holds neither a Dockerfile nor a ${dagsPath} folder in commit ${commit}; ${hint}.`;
  }
  const needsDags = shipsDagFolder(kindOfInput(deployType), input.dagDeployEnabled);
  if (needsDags && !isDir(dags)) {
    const what = tree.files.has(dags) ? "is a file" : "does not exist";
    const siblings = new Set(
      [...tree.dirs].filter((d) => root === "" || d.startsWith(`${root}/`)).map((d) => root ? d.slice(root.length + 1) : d)
    );
    const near = nearest(dagsPath, siblings);
    const hint = near ? `did you mean '${near}'? Set dags-path: ${near}` : `set dags-path to the DAG folder (relative to root-folder)${deployType === "dags-only" ? "" : ", or deploy-type: image-only"}`;
    return `Input 'dags-path' is '${dagsPath}', and ${dags} ${what} in commit ${commit}, so there are no DAGs to deploy; ${hint}.`;
  }
  return void 0;
}
function projectsHint(tree, marker) {
  const found = [...tree.files].filter((f) => f === marker || f.endsWith(`/${marker}`)).sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b)).slice(0, 3);
  if (!found.length) return void 0;
  const folder = (f) => f.slice(0, -marker.length).replace(/\/$/, "");
  const list = found.map((f) => `\`${f}\``).join(", ");
  if (found.length === 1) {
    const dir = folder(found[0]);
    return `the repository has ${list}: set root-folder: ${dir || "(empty, the top level)"}`;
  }
  return `the repository has ${list}: set root-folder to one of ${found.map((f) => folder(f) || "(empty)").join(", ")}`;
}
function nearest(want, dirs) {
  const w = want.toLowerCase();
  const limit = w.length >= 5 ? 2 : w.length >= 3 ? 1 : 0;
  let best;
  for (const dir of dirs) {
    const d = distance(w, dir.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { dir, d };
  }
  return best?.dir;
}
function distance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

// src/project/dbt.ts
async function dbtBundle(projectDir, given) {
  return {
    mountPath: given.mountPath || `/usr/local/airflow/dbt/${await dbtProjectName(projectDir)}`,
    bundleType: given.bundleType || "dbt"
  };
}
async function dbtProjectName(projectDir) {
  const file = path6.join(projectDir, "dbt_project.yml");
  let text;
  try {
    text = await fs2.readFile(file, "utf8");
  } catch {
    throw new ProjectError(
      `deploy-type dbt needs a dbt project, but ${projectDir} has no dbt_project.yml; point root-folder at the dbt project folder.`
    );
  }
  let doc;
  try {
    doc = (0, import_yaml.parse)(text);
  } catch (e) {
    throw new ProjectError(
      `dbt_project.yml in ${projectDir} is not valid YAML: ${e.message.split("\n")[0]}`
    );
  }
  const name = doc?.name;
  if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new ProjectError(
      `dbt_project.yml in ${projectDir} has no usable \`name\` (got ${JSON.stringify(name)}); set it, or give mount-path.`
    );
  }
  return name;
}

// src/decide/patterns.ts
import path7 from "node:path";
var PatternSet = class _PatternSet {
  constructor(rules) {
    this.rules = rules;
  }
  rules;
  static parse(lines) {
    const rules = [];
    for (const raw of lines) {
      if (raw.startsWith("#")) continue;
      let line = raw.trim();
      if (!line) continue;
      const negate = line.startsWith("!");
      if (negate) line = line.slice(1).trim();
      line = path7.posix.normalize(line).replace(/(.)\/+$/, "$1");
      if (line.length > 1) line = line.replace(/^\/+/, "");
      if (line === "." || line === "") continue;
      rules.push({ negate, re: compile(line) });
    }
    return new _PatternSet(rules);
  }
  /** `.dockerignore` file text. */
  static fromText(text) {
    return _PatternSet.parse(text.replace(/^\uFEFF/, "").split(/\r?\n/));
  }
  get empty() {
    return this.rules.length === 0;
  }
  /** Does the set select this path (relative, forward slashes)? */
  matches(file) {
    const parents = file.split("/").slice(0, -1);
    let matched = false;
    for (const rule of this.rules) {
      if (rule.negate !== matched) continue;
      let hit = rule.re.test(file);
      for (let i = 1; !hit && i <= parents.length; i++)
        hit = rule.re.test(parents.slice(0, i).join("/"));
      if (hit) matched = !rule.negate;
    }
    return matched;
  }
};
function compile(pattern) {
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") i++;
        re += i + 1 >= pattern.length ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) {
        re += "\\[";
      } else {
        const cls = pattern.slice(i + 1, end).replace(/\\/g, "\\\\");
        re += `[${cls}]`;
        i = end;
      }
    } else if (ch === "\\" && i + 1 < pattern.length) {
      re += escape(pattern[++i]);
    } else {
      re += escape(ch);
    }
  }
  return new RegExp(re + "$", "s");
}
function escape(ch) {
  return /[.+^${}()|[\]\\/]/.test(ch) ? "\\" + ch : ch;
}

// src/decide/plan.ts
var PlanError = class extends Error {
  name = "PlanError";
};
var count = (paths, what) => `${paths.length} ${what} path${paths.length === 1 ? "" : "s"} changed`;
function assertDeployTypeFits(type, dagDeployEnabled) {
  if (type === "dags-only" && !dagDeployEnabled) {
    throw new PlanError(
      "'deploy-type: dags-only' needs DAG deploys, which this Deployment has disabled; enable DAG deploys on it or use 'deploy-type: image-and-dags'."
    );
  }
  if (type === "image-only" && !dagDeployEnabled) {
    throw new PlanError(
      "'deploy-type: image-only' needs DAG deploys, which this Deployment has disabled (Astro then takes only deploys that carry the DAGs in the image); use 'deploy-type: image-and-dags', or enable DAG deploys on it."
    );
  }
}
function decide(input) {
  const { deployType: type } = input;
  assertDeployTypeFits(type, input.dagDeployEnabled);
  const stale = staleReason(input);
  if (stale) return none(stale);
  if (type === "infer") return inferred(input);
  if (!input.skipUnchanged)
    return { kind: type, reason: `skip-unchanged is false and deploy-type is ${type}` };
  if (input.imageName && buildsImage(type))
    return { kind: type, reason: `image-name is set (${input.imageName})` };
  switch (type) {
    case "dags-only":
      return dagsOnly(input);
    case "image-and-dags":
      return imageAndDags(input);
    case "image-only":
      return imageOnly(input);
    case "dbt":
    case "non-dags":
      return bundle(input, type);
  }
}
function dagsOnly(input) {
  if (!input.dagChanges)
    return {
      kind: "dags-only",
      reason: `${unknown(input, "dags")}, so the whole DAG folder is deployed`
    };
  if (input.dagChanges.length) return { kind: "dags-only", reason: count(input.dagChanges, "DAG") };
  return none("no DAG path changed since the live DAG deploy");
}
function imageAndDags(input) {
  if (!input.imageChanges)
    return {
      kind: "image-and-dags",
      reason: `${unknown(input, "image")}, so the image and the DAGs are deployed`
    };
  const dags = (input.dagDeployEnabled ? input.dagChanges : input.dagChangesSinceImage) ?? [];
  if (input.imageChanges.length)
    return { kind: "image-and-dags", reason: count(input.imageChanges, "image") };
  if (dags.length || input.dagDeployEnabled && !input.dagChanges) {
    return {
      kind: "image-and-dags",
      reason: input.dagChanges ? count(dags, "DAG") : `${unknown(input, "dags")}, so the image and the whole DAG folder are deployed`
    };
  }
  return none("no image or DAG path changed since the live deploy");
}
function imageOnly(input) {
  if (!input.imageChanges)
    return { kind: "image-only", reason: `${unknown(input, "image")}, so the image is deployed` };
  if (input.imageChanges.length)
    return { kind: "image-only", reason: count(input.imageChanges, "image") };
  if (input.dagChanges?.length) {
    return none(
      `only DAG paths changed (${input.dagChanges.length}); an image-only deploy would not ship them`
    );
  }
  return none("no image path changed since the live image deploy");
}
function bundle(input, type) {
  if (!input.bundleChanges)
    return {
      kind: type,
      reason: `${unknown(input, "bundle", `${type} bundle`)}, so the whole bundle is deployed`
    };
  if (input.bundleChanges.length)
    return { kind: type, reason: count(input.bundleChanges, "bundle") };
  return none(`no ${type} bundle path changed since the live bundle deploy`);
}
function staleReason(input, finalizing = false) {
  if (!input.newerLive || input.branchMovedBack) return void 0;
  const sha = input.newerLive.slice(0, 12);
  return finalizing ? `a later run deployed a newer commit ${sha} while this run was deploying, so this older commit's deploy was not finalized (left unfinalized, it changes nothing)` : `a newer commit ${sha} is already live (a later run deployed it), so this older commit is not deployed`;
}
function inferred(input) {
  if (input.imageName)
    return { kind: "image-and-dags", reason: `image-name is set (${input.imageName})` };
  if (!input.skipUnchanged)
    return {
      kind: "image-and-dags",
      reason: "skip-unchanged is false, so the whole project is deployed"
    };
  if (!input.imageChanges) {
    return {
      kind: "image-and-dags",
      reason: `no baseline: ${unknown(input, "image")}, so the whole project is deployed`
    };
  }
  if (input.imageChanges.length)
    return { kind: "image-and-dags", reason: count(input.imageChanges, "image") };
  if (!input.dagDeployEnabled) {
    const dags = input.dagChangesSinceImage ?? [];
    if (dags.length) {
      return {
        kind: "image-and-dags",
        reason: `${count(dags, "DAG")} and the Deployment has DAG deploys disabled, so DAGs ship in the image`
      };
    }
    return none("nothing relevant changed since the live deploy");
  }
  if (!input.dagChanges)
    return {
      kind: "dags-only",
      reason: `${unknown(input, "dags")}, so the whole DAG folder is deployed`
    };
  if (input.dagChanges.length)
    return { kind: "dags-only", reason: `only DAGs changed: ${count(input.dagChanges, "DAG")}` };
  return none("nothing relevant changed since the live deploy");
}
function unknown(input, kind2, what) {
  const label = what ?? (kind2 === "dags" ? "DAG" : kind2);
  const why = input.unknown?.[kind2] ?? "no usable commit in the deploy history";
  return `no ${label} deploy is known to be live (${why})`;
}
function none(reason) {
  return { kind: "none", reason };
}

// src/decide/facts.ts
async function decideDeploy(ctx) {
  const { planInput, ...facts } = await gatherFacts(ctx);
  return { ...facts, plan: decide(planInput) };
}
async function gatherFacts(ctx) {
  const { settings, git, log: log2, head } = ctx;
  await checkProject(git, head, ctx.repoRoot, settings, ctx.target.isDagDeployEnabled);
  const bundleMode = inputIsBundle(settings.deployType);
  const bundleKey = await bundleKeyOf(ctx);
  const history = await ctx.api.listDeploys(ctx.target.id);
  const live2 = liveDeploys(history, bundleKey, ctx.target);
  log2.info(`Deploy history of ${ctx.target.name}: ${history.length} deploys.`);
  const where2 = ctx.preview ? "the preview's" : "the Deployment's";
  const resolve2 = async (deploy, what) => {
    const sha = deploy?.git?.commitSha;
    if (!deploy)
      return { source: "none", note: `no successful ${what} deploy in ${where2} history` };
    if (!sha)
      return {
        source: "none",
        note: `the live ${what} deploy ${deploy.id} has no commit recorded`
      };
    if (await git.ensureCommit(sha)) return { commit: sha, source: "history" };
    return {
      source: "none",
      note: `the live ${what} commit ${sha.slice(0, 12)} cannot be fetched from this repository`
    };
  };
  const baselines = {
    image: await resolve2(live2.image, "image"),
    dags: await resolve2(live2.dags, "DAG"),
    bundle: bundleMode ? await resolve2(live2.bundle, "bundle") : { source: "none" }
  };
  const { newerLive, branchMovedBack } = await staleFacts(ctx, live2);
  const rules = await classifyRules(settings, ctx.repoRoot);
  const memo = /* @__PURE__ */ new Map();
  const changesSince = async (base) => {
    if (!base.commit) return void 0;
    if (!memo.has(base.commit)) {
      const files = await git.changedPaths(base.commit, head);
      memo.set(base.commit, classifyAll(files, rules));
    }
    return memo.get(base.commit);
  };
  const changes = {
    image: await changesSince(baselines.image),
    dags: await changesSince(baselines.dags),
    bundle: bundleMode ? await changesSince(baselines.bundle) : void 0
  };
  const planInput = {
    deployType: settings.deployType,
    skipUnchanged: settings.skipUnchanged,
    imageName: settings.imageName,
    dagDeployEnabled: ctx.target.isDagDeployEnabled,
    imageChanges: changes.image?.image,
    dagChanges: changes.dags?.dags,
    dagChangesSinceImage: changes.image?.dags,
    bundleChanges: changes.bundle?.bundle,
    unknown: {
      image: baselines.image.note,
      dags: baselines.dags.note,
      bundle: baselines.bundle.note
    },
    newerLive,
    branchMovedBack
  };
  return { head, baselines, changes, planInput };
}
async function bundleKeyOf(ctx) {
  const { settings } = ctx;
  if (settings.deployType === "dbt")
    return dbtBundle(path8.join(ctx.repoRoot, settings.rootFolder), settings);
  if (settings.deployType === "non-dags")
    return { bundleType: settings.bundleType, mountPath: settings.mountPath };
  return {};
}
async function staleFacts(ctx, live2) {
  const { git, head, log: log2 } = ctx;
  let newerLive;
  for (const d of live2.current) {
    const sha = d.git?.commitSha;
    if (sha && sha !== head && await git.ensureCommit(sha) && await git.isAncestor(head, sha)) {
      newerLive = sha;
      break;
    }
  }
  if (!newerLive) return { branchMovedBack: false };
  const tip = ctx.trigger.branch ? await git.remoteBranchTip(ctx.trigger.branch) : void 0;
  const ours = [head, ctx.trigger.kind === "pull_request" ? ctx.trigger.headSha : void 0];
  const branchMovedBack = tip !== void 0 && ours.includes(tip);
  if (branchMovedBack)
    log2.info(
      `Branch ${ctx.trigger.branch} was moved back to ${tip.slice(0, 12)}, behind the live commit ${newerLive.slice(0, 12)}: a rollback, not a stale run.`
    );
  return { newerLive, branchMovedBack };
}
async function staleBeforeFinalize(ctx) {
  const [target, history] = await Promise.all([
    ctx.api.getDeployment(ctx.target.id),
    ctx.api.listDeploys(ctx.target.id)
  ]);
  const live2 = liveDeploys(history, await bundleKeyOf(ctx), target);
  const facts = await staleFacts({ ...ctx, target }, live2);
  return staleReason(facts, true);
}
async function classifyRules(settings, repoRoot) {
  const ignore = await buildIgnoreText(path8.join(repoRoot, settings.rootFolder));
  return {
    rootFolder: settings.rootFolder,
    dagsPath: settings.dagsPath,
    deployType: settings.deployType,
    imageTriggers: PatternSet.parse(settings.imageTriggerPaths),
    bundleTriggers: PatternSet.parse(settings.bundleTriggerPaths),
    dockerignore: PatternSet.fromText(ignore ?? "")
  };
}

// src/deploy/execute.ts
import { promises as fs5 } from "node:fs";
import * as path13 from "node:path";

// src/astro/upload.ts
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
var MiB = 1024 * 1024;
var MS_VERSION = "2023-11-03";
var UploadError = class extends Error {
  constructor(status, message2, retryAfterMs, code2) {
    super(message2);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.code = code2;
    this.name = "UploadError";
  }
  status;
  retryAfterMs;
  code;
};
async function uploadBlob(options) {
  const { url, file, log: log2 } = options;
  const blockSize = options.blockSize ?? 8 * MiB;
  const singlePutLimit = options.singlePutLimit ?? 64 * MiB;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const clock = clockOf(options);
  const policy = policyOf(options);
  const where2 = withoutQuery(url);
  const contentType = options.contentType ?? (/\.(tgz|gz)$/i.test(file) ? "application/gzip" : "application/x-tar");
  const size = (await stat(file)).size;
  const timeoutFor = (bytes) => options.timeoutMs ?? DEFAULT_TIMEOUT_MS + Math.ceil(bytes / MiB) * 1e3;
  const put = (label, target, headers, body2, bytes) => withRetry({
    label: `PUT ${label}`,
    kind: "safe",
    policy,
    clock,
    log: log2,
    attempt: async () => {
      let reply2;
      try {
        reply2 = await send({
          url: target,
          method: "PUT",
          headers: { "x-ms-version": MS_VERSION, "content-length": String(bytes), ...headers },
          body: body2(),
          timeoutMs: timeoutFor(bytes),
          dispatcher: options.dispatcher
        });
      } catch (err) {
        if (err instanceof NetworkError)
          throw new UploadError(
            0,
            `upload to ${where2} got no reply (${err.message})`,
            void 0,
            err.code
          );
        throw err;
      }
      if (reply2.status === 201 || reply2.status === 200) return reply2;
      const code2 = /<Code>([^<]*)<\/Code>/.exec(reply2.text)?.[1] ?? reply2.text.slice(0, 120);
      throw new UploadError(
        reply2.status,
        `upload to ${where2} failed with ${reply2.status}${code2 ? ` (${code2})` : ""}`,
        parseRetryAfter(reply2.headers["retry-after"], clock.now())
      );
    },
    exhausted: (err, n) => err instanceof UploadError ? new UploadError(err.status, `${err.message}, after ${n} attempts`) : err
  });
  const versionOf = (reply2) => {
    const v = reply2.headers["x-ms-version-id"];
    const id = (Array.isArray(v) ? v[0] : v)?.trim();
    if (!id)
      throw new UploadError(
        reply2.status,
        `upload to ${where2} returned no x-ms-version-id; blob versioning must be on for Astro deploys`
      );
    return id;
  };
  const started = clock.now();
  if (size <= singlePutLimit) {
    log2.info(`uploading ${formatSize(size)} to ${where2}`);
    const reply2 = await put(
      where2,
      url,
      { "x-ms-blob-type": "BlockBlob", "content-type": contentType },
      () => size ? createReadStream(file) : Buffer.alloc(0),
      size
    );
    const version2 = versionOf(reply2);
    log2.info(
      `uploaded ${formatSize(size)} in ${formatDelay(clock.now() - started)} (version ${version2})`
    );
    return version2;
  }
  const count2 = Math.ceil(size / blockSize);
  const ids = Array.from(
    { length: count2 },
    (_, i) => Buffer.from(`block-${String(i).padStart(6, "0")}`).toString("base64")
  );
  log2.info(
    `uploading ${formatSize(size)} to ${where2} in ${count2} blocks of ${formatSize(blockSize)}`
  );
  let next = 0;
  const worker = async () => {
    while (next < count2) {
      const i = next++;
      const start = i * blockSize;
      const end = Math.min(size, start + blockSize) - 1;
      await put(
        `${where2} (block ${i + 1} of ${count2})`,
        withQuery(url, `comp=block&blockid=${encodeURIComponent(ids[i])}`),
        {},
        () => createReadStream(file, { start, end }),
        end - start + 1
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count2) }, worker));
  const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
  const body = Buffer.from(xml, "utf8");
  const reply = await put(
    `${where2} (block list)`,
    withQuery(url, "comp=blocklist"),
    { "content-type": "application/xml", "x-ms-blob-content-type": contentType },
    () => body,
    body.length
  );
  const version = versionOf(reply);
  log2.info(
    `uploaded ${formatSize(size)} in ${formatDelay(clock.now() - started)} (version ${version})`
  );
  return version;
}
function withQuery(url, extra) {
  const hash = url.indexOf("#");
  const base = hash < 0 ? url : url.slice(0, hash);
  return `${base}${base.includes("?") ? "&" : "?"}${extra}`;
}
function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MiB) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

// src/deploy/finalize.ts
async function finalizeAndWait(req, pre, s, o) {
  const { api, log: log2, clock } = o;
  const d = req.deployment;
  const id = s.deploy.id;
  const stale = req.beforeFinalize ? await req.beforeFinalize() : void 0;
  if (stale) {
    log2.info(`Not finalizing deploy ${id}: ${stale}.`);
    return {
      deployId: id,
      kind: req.kind,
      liveAfterMs: 0,
      notFinalized: stale,
      warnings: o.warnings
    };
  }
  const finalizeBody = s.dagTarballVersion ? { dagTarballVersion: s.dagTarballVersion } : s.bundleVersion ? { bundleTarballVersion: s.bundleVersion } : {};
  o.journal.deployStage(id, "finalizing");
  await api.finalizeDeploy(d.id, id, finalizeBody);
  o.journal.deployStage(id, "finalized");
  const finalizedAt = clock.now();
  log2.info(`Finalized deploy ${id}.`);
  const target = { deployId: id };
  if (s.dagTarballVersion) target.dagTarballVersion = s.dagTarballVersion;
  if (s.imageTag) target.imageTag = s.imageTag;
  if (s.bundleVersion && pre.mountPath)
    target.bundle = { version: s.bundleVersion, mountPath: pre.mountPath };
  const tarball = o.tarball;
  const result = {
    deployId: id,
    kind: req.kind,
    imageTag: s.imageTag,
    imageRef: s.imageRef,
    dagTarballVersion: s.dagTarballVersion,
    bundleVersion: s.bundleVersion,
    bundleMountPath: pre.mountPath,
    tarball: tarball && { bytes: tarball.bytes, files: tarball.files, sha256: tarball.sha256 },
    liveAfterMs: 0,
    warnings: o.warnings
  };
  if (req.waitMs <= 0) {
    log2.info("Not waiting for the deploy to go live (wait-time is 0).");
    return result;
  }
  const w = await waitUntilLive({
    api,
    deploymentId: d.id,
    target,
    before: o.before,
    waitMs: Math.max(1e3, req.waitMs - o.wakeWaitMs),
    log: log2,
    clock
  });
  result.deployment = w.deployment;
  result.liveAfterMs = clock.now() - finalizedAt;
  if (w.supersededBy) {
    result.supersededBy = w.supersededBy;
    o.warnings.push(
      `A newer deploy (${w.supersededBy}) replaced deploy ${id} on ${d.name} before it went live; what runs now is that newer deploy.`
    );
  }
  return result;
}

// src/deploy/image.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import * as path9 from "node:path";

// src/decide/runtime.ts
var NEW_FORMAT = /^(\d+)\.(\d+)-(\d+)(?:[.-](.+))?$/;
var SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
function parse(version) {
  const v = version.trim().replace(/^v/, "");
  const n = NEW_FORMAT.exec(v);
  if (n) {
    if (n[4] !== void 0 && !/^[0-9A-Za-z.-]+$/.test(n[4])) return void 0;
    return { newFormat: true, nums: [+n[1], +n[2], +n[3]], pre: n[4] };
  }
  const s = SEMVER.exec(v);
  if (s) return { newFormat: false, nums: [+s[1], +s[2], +s[3]], pre: s[4] };
  return void 0;
}
function comparePre(a, b) {
  if (a === b) return 0;
  if (a === void 0) return 1;
  if (b === void 0) return -1;
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === void 0) return -1;
    if (y === void 0) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && +x !== +y) return +x - +y;
    if (xn !== yn) return xn ? -1 : 1;
    if (!xn && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
function compareRuntime(a, b) {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
  if (pa.newFormat !== pb.newFormat) return pa.newFormat ? 1 : -1;
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i] - pb.nums[i];
  return comparePre(pa.pre, pb.pre);
}
function airflowMajor(runtime) {
  const p = parse(runtime);
  if (!p) return void 0;
  return p.newFormat ? p.nums[0] : 2;
}
function runtimeRefusal(c) {
  const { image, current, deploymentName: name } = c;
  if (!current) return void 0;
  if (compareRuntime(image, current) < 0) {
    return `The image's Astro Runtime ${image} is older than the ${current} that ${name} runs, and Astro does not take a downgraded Runtime (only a rollback goes back); build FROM Astro Runtime ${current} or newer.`;
  }
  if (!c.releases.some((r) => compareRuntime(image, r) === 0)) {
    const shown = c.releases.slice(0, 12).join(", ") + (c.releases.length > 12 ? ", \u2026" : "");
    return `The image's Astro Runtime ${image} is not one the organization's deployment options list for ${name}, so Astro would not run it; build FROM a listed version${shown ? ` (${shown})` : ""}.`;
  }
  if (airflowMajor(current) === 2 && airflowMajor(image) === 3 && compareRuntime(current, "12.0.0") < 0) {
    return `The image's Astro Runtime ${image} moves ${name} from Airflow 2 to Airflow 3, which Astro allows only from Runtime 12.0.0 or newer, and ${name} runs ${current}; deploy an Astro Runtime 12 image (Airflow 2) first, then the Airflow 3 one.`;
  }
  return void 0;
}
function runtimeFromDockerfile(text) {
  const froms = text.replace(/\\\r?\n/g, " ").split(/\r?\n/).map((l) => l.trim()).filter((l) => /^from\s/i.test(l));
  const last = froms[froms.length - 1];
  if (!last) return void 0;
  const image = last.split(/\s+/).slice(1).find((w) => !w.startsWith("--"));
  if (!image || image.includes("$") || image.includes("@")) return void 0;
  const m = /(?:^|\/)(?:astro-)?runtime:([^/]+)$/.exec(image);
  if (!m) return void 0;
  const tag = m[1].replace(/-base$/, "").replace(/-python-\d+(?:\.\d+)*$/, "").replace(/-base$/, "");
  return parse(tag) ? tag : void 0;
}

// src/deploy/request.ts
var DeployError = class extends Error {
  name = "DeployError";
};

// src/astro/registry.ts
var REGISTRY_USER = "cli";
function imageRepositoryRef(imageRepository) {
  return imageRepository.replace(/^[a-z]+:\/\//i, "").replace(/\/+$/, "");
}
function registryHost(imageRepository) {
  const first = imageRepositoryRef(imageRepository).split("/")[0];
  return /[.:]/.test(first) || first === "localhost" ? first : "docker.io";
}
function parseImageRepository(imageRepository) {
  const repo = imageRepositoryRef(imageRepository);
  const host = repo.split("/")[0];
  if (!host || !repo.includes("/")) {
    throw new Error(
      `Astro returned an image repository "${imageRepository}" that is not <registry>/<path>.`
    );
  }
  return { host, repo };
}

// src/deploy/ship.ts
function createRequest(req, pre) {
  const body = {
    type: KINDS[req.kind].apiType
  };
  if (pre.description) body.description = pre.description;
  if (pre.isBundle) {
    body.bundleType = pre.bundleType;
    body.bundleMountPath = pre.mountPath;
  }
  if (req.git) body.git = req.git;
  return body;
}
async function createAndShip(req, pre, o) {
  const d = req.deployment;
  const body = createRequest(req, pre);
  const deploy = await o.api.createDeploy(d.id, body);
  o.journal.deployCreated({ id: deploy.id, deploymentId: d.id, name: d.name });
  o.log.info(`Created ${body.type} deploy ${deploy.id} on ${d.name}.`);
  const shipped = { deploy };
  if (pre.isImage && o.docker && o.image) {
    if (!deploy.imageTag)
      throw new DeployError(`Astro created deploy ${deploy.id} without an image tag to push to.`);
    const { host, repo } = parseImageRepository(deploy.imageRepository);
    shipped.imageTag = deploy.imageTag;
    shipped.imageRef = `${repo}:${deploy.imageTag}`;
    o.onPushed(shipped.imageRef);
    await o.docker.login(host, REGISTRY_USER, req.token);
    await o.docker.tag(o.image, shipped.imageRef);
    o.log.info(`Pushing ${shipped.imageRef}.`);
    await o.docker.push(shipped.imageRef);
  }
  const tarball = o.tarball;
  if (pre.shipsDags && tarball) {
    if (!deploy.dagsUploadUrl)
      throw new DeployError(`Astro created deploy ${deploy.id} without a DAG upload URL.`);
    shipped.dagTarballVersion = await o.upload({
      url: deploy.dagsUploadUrl,
      file: tarball.path,
      log: o.log
    });
    o.log.info(`Uploaded the DAG tarball (version ${shipped.dagTarballVersion}).`);
  } else if (pre.isBundle && tarball) {
    if (!deploy.bundleUploadUrl)
      throw new DeployError(
        `Astro created bundle deploy ${deploy.id} without a bundle upload URL.`
      );
    shipped.bundleVersion = await o.upload({
      url: deploy.bundleUploadUrl,
      file: tarball.path,
      log: o.log
    });
    o.log.info(`Uploaded the bundle (version ${shipped.bundleVersion}).`);
  }
  return shipped;
}

// src/deploy/image.ts
var RUNTIME_LABEL = "io.astronomer.docker.runtime.version";
function localTag(deploymentId) {
  const id = deploymentId.toLowerCase().replace(/[^a-z0-9]/g, "") || "deployment";
  return `astro-deploy-${id}:local-${randomBytes2(6).toString("hex")}`;
}
async function liveImageForCache(docker, d, token, log2) {
  if (!d.imageRepository || !d.imageTag) return [];
  try {
    const { host, repo } = parseImageRepository(d.imageRepository);
    await docker.login(host, REGISTRY_USER, token);
    return [`${repo}:${d.imageTag}`];
  } catch (e) {
    log2.info(
      `The Deployment's current image cannot serve as a build cache (${e.message}); building without it.`
    );
    return [];
  }
}
async function build(req, docker, log2) {
  const d = req.deployment;
  const image = localTag(d.id);
  const exclude = [];
  const keep = [];
  const rel = path9.relative(req.projectDir, req.dagsDir).split(path9.sep).join("/");
  if (rel && !rel.startsWith("..")) (d.isDagDeployEnabled ? exclude : keep).push(rel);
  log2.info(
    `Building the image of ${req.projectDir} for linux/amd64` + (exclude.length ? ` (without ${exclude[0]}/: DAGs ship separately)` : "") + "."
  );
  await docker.build({
    context: req.projectDir,
    tag: image,
    platform: "linux/amd64",
    secrets: req.buildSecrets,
    exclude,
    keep,
    cacheFrom: await liveImageForCache(docker, d, req.token, log2),
    inlineCache: true
  });
  return image;
}
async function prepareImage(req, o) {
  const { api, docker, log: log2 } = o;
  const d = req.deployment;
  if (!await docker.available()) {
    throw new DeployError(
      "Image deploys need a Docker engine, and none answers (is Docker running on this runner?)."
    );
  }
  let image;
  if (req.imageName) {
    if (!await docker.imageExists(req.imageName)) {
      throw new DeployError(
        `image-name ${req.imageName} is not a local image; build or pull it in an earlier step.`
      );
    }
    image = req.imageName;
    log2.info(`Deploying the prebuilt image ${image}.`);
  } else {
    image = await build(req, docker, log2);
    o.built.push(image);
  }
  const runtime = await docker.imageLabel(image, RUNTIME_LABEL);
  if (!runtime) {
    throw new DeployError(
      `The image ${image} has no ${RUNTIME_LABEL} label, so it is not based on Astro Runtime; Astro only runs images built FROM an Astro Runtime image (astro-runtime).`
    );
  }
  log2.info(`The image is based on Astro Runtime ${runtime}.`);
  const options = await api.getDeploymentOptions(d.id);
  const refusal = runtimeRefusal({
    image: runtime,
    current: d.astroRuntimeVersion,
    deploymentName: d.name,
    releases: options.runtimeReleases.map((r) => r.version)
  });
  if (refusal) throw new DeployError(refusal);
  return { image, runtime };
}

// src/deploy/pack.ts
import * as path11 from "node:path";

// src/deploy/monitoring-dag.ts
var MONITORING_DAG_FILE = "astronomer_monitoring_dag.py";
var DOCSTRING = '"""A Monitoring DAG used and maintained by Astronomer. All tasks in this DAG are executed by workers in the default worker queue. When tasks in the Monitoring DAG fail, it might indicate a problem with your Deployment. Astronomer will alert you via email."""';
var HELLO_TASK = `    hello = BashOperator(
        task_id="hello",
        bash_command="echo Hello from Astronomer!",
        depends_on_past=False,
        priority_weight=2**31 - 1,
        do_xcom_push=False,
    )
`;
var AIRFLOW2_MONITORING_DAG = `${DOCSTRING}

import os
from datetime import timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.utils.dates import days_ago

with DAG(
    dag_id="astronomer_monitoring_dag",
    schedule_interval=os.environ.get(
        "AIRFLOW_MONITORING_DAG_SCHEDULE_INTERVAL", "*/5 * * * *"
    ),
    start_date=days_ago(2),
    catchup=False,
    is_paused_upon_creation=os.environ.get(
        "PAUSE_ASTRONOMER_MONITORING_DAG", "False"
    ).lower()
    == "true",
    dagrun_timeout=timedelta(minutes=30),
    description=__doc__,
    doc_md=__doc__,
    tags=["monitoring"],
) as dag:
${HELLO_TASK}`;
var AIRFLOW3_MONITORING_DAG = `${DOCSTRING}

import os
from datetime import timedelta

import pendulum
from airflow import DAG
from airflow.providers.standard.operators.bash import BashOperator

with DAG(
    dag_id="astronomer_monitoring_dag",
    schedule=os.environ.get("AIRFLOW_MONITORING_DAG_SCHEDULE_INTERVAL", "*/5 * * * *"),
    catchup=False,
    is_paused_upon_creation=os.environ.get("PAUSE_ASTRONOMER_MONITORING_DAG", "False").lower() == "true",
    dagrun_timeout=timedelta(minutes=30),
    description=__doc__,
    doc_md=__doc__,
    tags=["monitoring"],
):
${HELLO_TASK}`;
function needsMonitoringDag(organizationProduct, deploymentType) {
  return organizationProduct !== "HOSTED" && deploymentType === "HYBRID";
}
function monitoringDag(runtime) {
  const major = airflowMajor(runtime);
  return major === 2 ? AIRFLOW2_MONITORING_DAG : major === 3 ? AIRFLOW3_MONITORING_DAG : void 0;
}

// src/deploy/tarball.ts
import { createHash } from "node:crypto";
import { once } from "node:events";
import {
  closeSync,
  constants as fsConstants2,
  createWriteStream,
  fstatSync,
  openSync,
  promises as fs3,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync
} from "node:fs";
import * as path10 from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

// src/deploy/tar-headers.ts
var BLOCK = 512;
var MAX_OCTAL_SIZE = 8589934591;
function writeString(buf, offset, length, value) {
  buf.write(value, offset, length, "utf8");
}
function writeOctal(buf, offset, length, value) {
  const s = value.toString(8).padStart(length - 1, "0");
  buf.write(s + "\0", offset, length, "ascii");
}
function needsPax(s, max) {
  return Buffer.byteLength(s, "utf8") > max || /[^\x20-\x7e]/.test(s);
}
function fallback(s, max) {
  return s.replace(/[^\x20-\x7e]/g, "_").slice(-max);
}
var template;
function headerTemplate(mtime) {
  if (template?.mtime !== mtime) {
    const h = Buffer.alloc(BLOCK, 0);
    writeOctal(h, 108, 8, 0);
    writeOctal(h, 116, 8, 0);
    writeOctal(h, 136, 12, mtime);
    h.fill(32, 148, 156);
    h.write("ustar\0", 257, 6, "ascii");
    h.write("00", 263, 2, "ascii");
    writeOctal(h, 329, 8, 0);
    writeOctal(h, 337, 8, 0);
    template = { mtime, block: h };
  }
  return template.block;
}
function header(fields) {
  const h = Buffer.allocUnsafe(BLOCK);
  headerTemplate(fields.mtime).copy(h);
  writeString(h, 0, 100, fields.name);
  writeOctal(h, 100, 8, fields.mode);
  writeOctal(h, 124, 12, fields.size);
  h.write(fields.type, 156, 1, "ascii");
  if (fields.linkname) writeString(h, 157, 100, fields.linkname);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return h;
}
function paxRecord(key, value) {
  const body = ` ${key}=${value}
`;
  const bodyLen = Buffer.byteLength(body, "utf8");
  let len = bodyLen + 1;
  while (String(len).length + bodyLen !== len) len = bodyLen + String(len).length;
  return `${len}${body}`;
}
var ZEROS = Buffer.alloc(BLOCK * 2, 0);
function padding(size) {
  const rem = size % BLOCK;
  return ZEROS.subarray(0, rem === 0 ? 0 : BLOCK - rem);
}
function headersFor(e, mtime) {
  const records = [];
  let name = e.name;
  let linkname = e.linkname;
  if (needsPax(e.name, 100)) {
    records.push(paxRecord("path", e.name));
    name = fallback(e.name, 100);
  }
  if (linkname !== void 0 && needsPax(linkname, 100)) {
    records.push(paxRecord("linkpath", linkname));
    linkname = fallback(linkname, 100);
  }
  let size = e.kind === "file" ? e.size : 0;
  if (size > MAX_OCTAL_SIZE) {
    records.push(paxRecord("size", String(size)));
    size = 0;
  }
  const out = [];
  if (records.length > 0) {
    const body = Buffer.from(records.join(""), "utf8");
    const paxName = fallback(`PaxHeaders/${e.name.split("/").pop() ?? ""}`, 100);
    out.push(
      header({ name: paxName, mode: 420, size: body.length, type: "x", mtime }),
      body,
      padding(body.length)
    );
  }
  out.push(
    header({
      name,
      mode: e.mode,
      size,
      type: e.kind === "file" ? "0" : "2",
      linkname,
      mtime
    })
  );
  return out;
}

// src/deploy/tarball.ts
var TARBALL_MTIME = 946684800;
function dagTarballPrefix(dagsDir, noDagsBaseDir) {
  return noDagsBaseDir ? "" : path10.basename(path10.resolve(dagsDir));
}
var TarballError = class extends Error {
  name = "TarballError";
};
function isExcluded(name, isDir) {
  if (name === ".git") return true;
  if (isDir && name === "__pycache__") return true;
  if (!isDir && name.endsWith(".pyc")) return true;
  return false;
}
function isInside2(root, p) {
  const rel = path10.relative(root, p);
  return rel === "" || !rel.startsWith(".." + path10.sep) && rel !== ".." && !path10.isAbsolute(rel);
}
async function collect(dir, prefix, skipped) {
  const root = path10.resolve(dir);
  const realRoot = await fs3.realpath(root);
  const entries = [];
  const outside = [];
  function walk(absDir, relDir) {
    const dirents = readdirSync(absDir, { withFileTypes: true });
    for (const d of dirents) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      const abs = path10.join(absDir, d.name);
      const name = prefix ? `${prefix}/${rel}` : rel;
      if (d.isDirectory()) {
        if (isExcluded(d.name, true)) continue;
        walk(abs, rel);
      } else if (d.isFile()) {
        if (isExcluded(d.name, false)) continue;
        entries.push({ name, rel, abs, kind: "file", mode: 420, size: -1 });
      } else if (d.isSymbolicLink()) {
        if (isExcluded(d.name, false)) continue;
        const target = readlinkSync(abs);
        const lexical = path10.resolve(absDir, target);
        let resolved;
        try {
          resolved = realpathSync(abs);
        } catch {
          resolved = void 0;
        }
        const inside = resolved !== void 0 ? isInside2(realRoot, resolved) : isInside2(root, lexical);
        if (!inside) {
          outside.push(`${rel} -> ${target}`);
          continue;
        }
        const within = isInside2(root, lexical) ? lexical : path10.join(root, path10.relative(realRoot, resolved));
        const linkname = path10.relative(absDir, within).split(path10.sep).join("/") || ".";
        entries.push({ name, rel, abs, kind: "symlink", mode: 511, size: 0, linkname });
      } else {
        skipped.push(rel);
      }
    }
  }
  walk(root, "");
  if (outside.length > 0) {
    throw new TarballError(
      `${outside.length === 1 ? "A symlink points" : `${outside.length} symlinks point`} outside ${dir}: ${outside.join(", ")}. Only symlinks to files inside the folder can ship; replace each with a copy of what it points to, or remove it.`
    );
  }
  sortByName(entries);
  return entries;
}
function sortByName(entries) {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.name, "utf8") }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  keyed.forEach((k, i) => entries[i] = k.e);
}
var BATCH = 1 << 20;
var IN_FLIGHT = 4 << 20;
var READ_CHUNK = 1 << 20;
var OPEN_FLAGS = fsConstants2.O_RDONLY | (fsConstants2.O_NOFOLLOW ?? 0) | (fsConstants2.O_NONBLOCK ?? 0);
var Packer = class {
  constructor(sink) {
    this.sink = sink;
  }
  sink;
  parts = [];
  length = 0;
  /** Adds bytes; true when a batch is full and flush() should be awaited. */
  push(b) {
    if (b.length > 0) {
      this.parts.push(b);
      this.length += b.length;
    }
    return this.length >= BATCH;
  }
  flush() {
    if (this.length === 0) return Promise.resolve();
    const chunk = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return this.sink(chunk);
  }
};
async function packFile(e, mtime, packer) {
  let fd;
  try {
    fd = openSync(e.abs, OPEN_FLAGS);
  } catch (err) {
    throw new TarballError(
      `${e.rel} changed while it was being packed (${err.code ?? err.message}); run again.`
    );
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) {
      throw new TarballError(
        `${e.rel} changed while it was being packed (no longer a file); run again.`
      );
    }
    e.size = st.size;
    e.mode = st.mode & 73 ? 493 : 420;
    for (const b of headersFor(e, mtime)) if (packer.push(b)) await packer.flush();
    let read = 0;
    while (read < e.size) {
      const want = Math.min(READ_CHUNK, e.size - read);
      const buf = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, buf, got, want - got, read + got);
        if (n === 0) break;
        got += n;
      }
      read += got;
      if (got < want) {
        throw new TarballError(
          `${e.rel} changed while it was being packed (${e.size} bytes expected, ${read} read); run again.`
        );
      }
      if (packer.push(buf)) await packer.flush();
    }
    if (packer.push(padding(e.size))) await packer.flush();
  } finally {
    closeSync(fd);
  }
}
async function packEntries(entries, mtime, packer) {
  for (const e of entries) {
    if (e.kind === "file" && !e.content) {
      await packFile(e, mtime, packer);
      continue;
    }
    for (const b of headersFor(e, mtime)) if (packer.push(b)) await packer.flush();
    if (e.content) {
      if (packer.push(e.content)) await packer.flush();
      if (packer.push(padding(e.content.length))) await packer.flush();
    }
  }
  packer.push(ZEROS);
  await packer.flush();
}
async function writeTarball(opts) {
  const prefix = opts.prefix.replace(/^\/+|\/+$/g, "");
  const st = await fs3.stat(opts.dir).catch(() => void 0);
  if (!st?.isDirectory()) throw new TarballError(`${opts.dir} is not a folder.`);
  const skipped = [];
  const entries = await collect(opts.dir, prefix, skipped);
  for (const extra of opts.extraFiles ?? []) {
    if (!/^[^/\\]+$/.test(extra.name) || extra.name === "." || extra.name === "..")
      throw new TarballError(`An added file must sit at the folder's top level: ${extra.name}.`);
    const content = Buffer.from(extra.content);
    const at = entries.findIndex((e) => e.rel === extra.name);
    if (at >= 0) entries.splice(at, 1);
    entries.push({
      name: prefix ? `${prefix}/${extra.name}` : extra.name,
      rel: extra.name,
      abs: "",
      kind: "file",
      mode: 420,
      size: content.length,
      content
    });
  }
  if (opts.extraFiles?.length) sortByName(entries);
  const hash = createHash("sha256");
  let bytes = 0;
  const counter = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    }
  });
  const gzip = createGzip({ level: 6, chunkSize: 1 << 18 });
  const done = pipeline(gzip, counter, createWriteStream(opts.out));
  done.catch(() => void 0);
  const ended = done.then(() => {
    throw new TarballError(`Writing ${opts.out} stopped before the archive was complete.`);
  });
  ended.catch(() => void 0);
  const sink = async (chunk) => {
    if (gzip.destroyed) await ended;
    gzip.write(chunk);
    if (gzip.writableLength > IN_FLIGHT) await Promise.race([once(gzip, "drain"), ended]);
  };
  try {
    await packEntries(entries, opts.mtime ?? TARBALL_MTIME, new Packer(sink));
    gzip.end();
  } catch (err) {
    gzip.destroy();
    throw err;
  }
  await done;
  const folder = entries.filter((e) => !e.content);
  const folderFiles = folder.length;
  const dagFiles = folder.filter((e) => isDagFile(e.rel)).length;
  return {
    path: opts.out,
    bytes,
    files: entries.length,
    folderFiles,
    dagFiles,
    sha256: hash.digest("hex"),
    skipped
  };
}
function isDagFile(rel) {
  const base = rel.split("/").pop() ?? "";
  return base.endsWith(".py") && base !== "__init__.py";
}

// src/deploy/pack.ts
async function hybridMonitoring(api, d, log2) {
  if (d.type !== "HYBRID") return false;
  let product;
  try {
    product = (await api.getOrganization()).product;
  } catch (e) {
    log2.info(
      `Could not read organization ${d.organizationId} (${e.message}); ${d.name} is a HYBRID Deployment, so it is taken as Astro Hybrid.`
    );
  }
  return needsMonitoringDag(product, d.type);
}
function monitoringDagFor(runtime, d) {
  const text = monitoringDag(runtime);
  if (text === void 0) {
    throw new DeployError(
      `${d.name} is an Astro Hybrid Deployment, whose DAG deploys must carry Astronomer's monitoring DAG, and Astro Runtime "${runtime}" names no Airflow 2 or 3 version to write it for; deploy an image built FROM a released Astro Runtime.`
    );
  }
  return text;
}
async function packDags(req, o) {
  const d = req.deployment;
  const extraFiles = await hybridMonitoring(o.api, d, o.log) ? [
    {
      name: MONITORING_DAG_FILE,
      content: monitoringDagFor(o.runtime ?? d.astroRuntimeVersion, d)
    }
  ] : [];
  const tarball = await writeTarball({
    dir: req.dagsDir,
    prefix: dagTarballPrefix(req.dagsDir, req.noDagsBaseDir),
    out: path11.join(o.work, "dags.tar.gz"),
    mtime: req.mtime,
    extraFiles
  });
  o.log.info(
    `DAG tarball: ${tarball.files} files, ${tarball.bytes} bytes (sha256 ${tarball.sha256.slice(0, 12)})` + (extraFiles.length ? `, with Astronomer's ${MONITORING_DAG_FILE} (a Hybrid Deployment).` : ".")
  );
  if (tarball.dagFiles === 0) {
    o.warnings.push(
      tarball.folderFiles === 0 ? `The DAG folder ${req.dagsDir} is empty: this deploy removes every DAG from ${d.name}.` : `The DAG folder ${req.dagsDir} has no .py file (only ${tarball.folderFiles} other file(s), such as .airflowignore or __init__.py): this deploy removes every DAG from ${d.name}.`
    );
  }
  return tarball;
}
async function packBundle(req, mountPath, o) {
  const tarball = await writeTarball({
    dir: req.projectDir,
    prefix: "",
    out: path11.join(o.work, "bundle.tar.gz"),
    mtime: req.mtime
  });
  o.log.info(
    `Bundle tarball: ${tarball.files} files, ${tarball.bytes} bytes (sha256 ${tarball.sha256.slice(0, 12)}).`
  );
  if (tarball.files === 0)
    o.warnings.push(
      `The bundle folder ${req.projectDir} is empty: the bundle at ${mountPath} will be empty.`
    );
  return tarball;
}
async function pack(req, pre, o) {
  const tarball = pre.shipsDags ? await packDags(req, o) : pre.isBundle ? await packBundle(req, pre.mountPath, o) : void 0;
  if (tarball?.skipped.length) {
    o.warnings.push(
      `Left out of the tarball (not files or symlinks): ${tarball.skipped.join(", ")}.`
    );
  }
  return tarball;
}

// src/deploy/preflight.ts
import { promises as fs4 } from "node:fs";
import * as path12 from "node:path";
var MAX_DESCRIPTION = 500;
async function pathKind(p) {
  try {
    return (await fs4.stat(p)).isDirectory() ? "dir" : "other";
  } catch {
    return "missing";
  }
}
async function plannedRuntimeRefusal(o) {
  if (o.imageName) return void 0;
  const text = await fs4.readFile(path12.join(o.projectDir, "Dockerfile"), "utf8").catch(() => "");
  const runtime = runtimeFromDockerfile(text);
  if (!runtime) return void 0;
  o.log.info(`The Dockerfile builds FROM Astro Runtime ${runtime}.`);
  const options = await o.api.getDeploymentOptions(o.deployment.id);
  return runtimeRefusal({
    image: runtime,
    current: o.deployment.astroRuntimeVersion,
    deploymentName: o.deployment.name,
    releases: options.runtimeReleases.map((r) => r.version)
  });
}
function shipsDagFolder2(kind2, d) {
  return shipsDagFolder(kind2, d.isDagDeployEnabled);
}
async function assertDagFolder(dagsDir) {
  const k = await pathKind(dagsDir);
  if (k !== "dir") {
    throw new DeployError(
      `The DAG folder ${dagsDir} ${k === "missing" ? "does not exist" : "is not a folder"}; set dags-path (relative to root-folder).`
    );
  }
}
function assertDagDeploys(kind2, d, isBundle2) {
  if ((kind2 === "dags-only" || isBundle2) && !d.isDagDeployEnabled) {
    throw new DeployError(
      `${kind2 === "dags-only" ? "DAG-only" : "Bundle"} deploys need DAG deploys enabled on ${d.name} (${d.id}); enable them in the Deployment settings, or use deploy-type: image-and-dags.`
    );
  }
  if (kind2 === "image-only" && !d.isDagDeployEnabled) {
    throw new DeployError(
      `Image-only deploys need DAG deploys enabled on ${d.name} (${d.id}), since without them the DAGs ship in the image; use deploy-type: image-and-dags, or enable DAG deploys in the Deployment settings.`
    );
  }
}
async function bundleOf(req) {
  if (req.kind === "dbt") return dbtBundle(req.projectDir, req);
  if (req.kind !== "non-dags") return {};
  if (!req.mountPath) {
    throw new DeployError(
      "deploy-type non-dags needs mount-path: where the bundle is mounted in the Deployment (an absolute path)."
    );
  }
  if (!req.bundleType)
    throw new DeployError("deploy-type non-dags needs bundle-type: a label for the bundle.");
  return { mountPath: req.mountPath, bundleType: req.bundleType };
}
async function preflight(req, hasDocker, warnings) {
  const d = req.deployment;
  const isImage = buildsImage(req.kind);
  const isBundle2 = isBundle(req.kind);
  const shipsDags = shipsDagFolder2(req.kind, d);
  assertDeployable(d, req.wakeOnDeploy);
  assertDagDeploys(req.kind, d, isBundle2);
  if (isImage && !hasDocker)
    throw new DeployError("Image deploys need Docker, and none was given.");
  const { mountPath, bundleType } = await bundleOf(req);
  if (mountPath !== void 0 && !mountPath.startsWith("/")) {
    throw new DeployError(`mount-path must be an absolute path; got "${mountPath}".`);
  }
  if (shipsDags) await assertDagFolder(req.dagsDir);
  if (isBundle2 && await pathKind(req.projectDir) !== "dir") {
    throw new DeployError(`The bundle folder ${req.projectDir} does not exist; check root-folder.`);
  }
  let description = req.description;
  if (description && description.length > MAX_DESCRIPTION) {
    description = description.slice(0, MAX_DESCRIPTION - 1) + "\u2026";
    warnings.push(
      `The deploy description was cut to ${MAX_DESCRIPTION} characters (the API's limit).`
    );
  }
  return { isImage, isBundle: isBundle2, shipsDags, bundleType, mountPath, description };
}

// src/deploy/execute.ts
function startWaking(req, o) {
  if (!isHibernating(req.deployment)) return void 0;
  const waking = wakeDeployment({
    api: o.deps.api,
    deployment: req.deployment,
    waitMs: req.waitMs,
    log: o.deps.log,
    clock: o.clock,
    signal: o.signal,
    journal: o.journal
  });
  waking.catch(() => void 0);
  return waking;
}
async function stopWaking(waking, failed2, o) {
  const w = await waking.catch(() => void 0);
  if (!w) return;
  const problem = await w.restore();
  if (problem && failed2) o.journal.note(` (${problem})`);
  else if (problem) o.warnings.push(problem);
}
async function executeDeploy(req, deps) {
  const { api, log: log2, docker } = deps;
  const clock = clockWith({ sleep: deps.sleep, now: deps.now });
  const upload = deps.upload ?? ((o) => uploadBlob(o));
  const journal2 = deps.journal ?? new Journal();
  const warnings = [];
  const pre = await preflight(req, !!docker, warnings);
  const abort = new AbortController();
  const waking = startWaking(req, { deps, clock, journal: journal2, signal: abort.signal });
  const work = await fs5.mkdtemp(path13.join(deps.tmpDir, "astro-deploy-"));
  const images = [];
  const createdBefore = journal2.deploys.length;
  let failed2 = false;
  try {
    const built = pre.isImage && docker ? await prepareImage(req, { api, docker, log: log2, built: images }) : void 0;
    if (req.beforeCreate) await req.beforeCreate(built?.image);
    const tarball = await pack(req, pre, { api, log: log2, work, runtime: built?.runtime, warnings });
    let before = req.deployment;
    let wakeWaitMs = 0;
    if (waking) {
      const t = clock.now();
      before = (await waking).deployment;
      wakeWaitMs = clock.now() - t;
    }
    const shipped = await createAndShip(req, pre, {
      api,
      docker,
      log: log2,
      upload,
      journal: journal2,
      image: built?.image,
      tarball,
      onPushed: (ref) => images.unshift(ref)
    });
    const result = await finalizeAndWait(req, pre, shipped, {
      api,
      log: log2,
      clock,
      journal: journal2,
      before,
      wakeWaitMs,
      tarball,
      warnings
    });
    journal2.deployDone(shipped.deploy.id);
    return result;
  } catch (e) {
    failed2 = true;
    for (const w of warnings) journal2.warn(w);
    throw e;
  } finally {
    for (const d of journal2.deploys.slice(createdBefore)) journal2.deploySettled(d.id);
    if (waking) {
      if (failed2) abort.abort();
      await stopWaking(waking, failed2, { journal: journal2, warnings });
    }
    if (docker) {
      await docker.dispose().catch(() => void 0);
      for (const img of images) await docker.remove(img).catch(() => void 0);
    }
    await fs5.rm(work, { recursive: true, force: true }).catch(() => void 0);
  }
}

// src/report/markdown.ts
function escapeMarkdown(s) {
  return s.replace(/[<>|]/g, (c) => c === "<" ? "&lt;" : c === ">" ? "&gt;" : "\\|");
}
function cell(s) {
  return escapeMarkdown(s).replace(/\r?\n/g, " ");
}
function codeCell(s) {
  return "`" + s.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\r?\n/g, " ") + "`";
}
function table(rows) {
  return ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n") + "\n";
}

// src/report/report.ts
function outputs(o) {
  return {
    "preview-id": o.previewId ?? "",
    "deployment-id": o.deploymentId ?? "",
    "deploy-type": o.deployType,
    skipped: String(o.skipped),
    reason: o.reason,
    "deploy-id": o.deployId ?? "",
    "image-tag": o.imageTag ?? "",
    "dag-tarball-version": o.dagTarballVersion ?? "",
    "deployment-url": o.deploymentUrl ?? ""
  };
}
function deploymentUrl(apiUrl, workspaceId, deploymentId) {
  const u = new URL(apiUrl);
  const m = /^api\.(.+)$/.exec(u.hostname) ?? /^(pr\d+)\.api\.(.+)$/.exec(u.hostname);
  const host = m ? m.length === 3 ? `${m[1]}.cloud.${m[2]}` : `cloud.${m[1]}` : u.host;
  const scheme = m ? "https:" : u.protocol;
  return `${scheme}//${host}/${workspaceId}/deployments/${deploymentId}/overview`;
}
var sourceText = {
  history: "the Deployment's deploy history",
  none: "none"
};
function describeBaseline(b) {
  const text = b.commit ? `\`${b.commit.slice(0, 12)}\` from ${sourceText[b.source]}` : "none (deploy everything)";
  return b.note ? `${text} \u2014 ${cell(b.note)}` : text;
}
function firstFew(paths, n = 5) {
  if (!paths.length) return "\u2014";
  const shown = paths.slice(0, n).map((p) => codeCell(p)).join(", ");
  return paths.length > n ? `${shown} and ${paths.length - n} more` : shown;
}
function decisionMarkdown(d, dryRun) {
  const rows = [
    ["Decision", `**${d.plan.kind}**${dryRun ? " (dry run: nothing changed)" : ""}`],
    ["Why", cell(d.plan.reason)],
    ["Commit", `\`${d.head.slice(0, 12)}\``],
    ["Image baseline", describeBaseline(d.baselines.image)],
    ["DAG baseline", describeBaseline(d.baselines.dags)]
  ];
  if (d.changes.bundle || d.baselines.bundle.source !== "none" || d.baselines.bundle.note) {
    rows.push(["Bundle baseline", describeBaseline(d.baselines.bundle)]);
  }
  if (d.changes.image) {
    rows.push([
      `Image paths changed (${d.changes.image.image.length})`,
      firstFew(d.changes.image.image)
    ]);
  }
  if (d.changes.dags) {
    rows.push([`DAG paths changed (${d.changes.dags.dags.length})`, firstFew(d.changes.dags.dags)]);
  }
  if (d.changes.bundle) {
    rows.push([
      `Bundle paths changed (${d.changes.bundle.bundle.length})`,
      firstFew(d.changes.bundle.bundle)
    ]);
  }
  const ignored = (d.changes.image ?? d.changes.dags ?? d.changes.bundle)?.ignored ?? [];
  if (ignored.length) rows.push([`Ignored paths (${ignored.length})`, firstFew(ignored)]);
  return table(rows);
}

// src/report-summary.ts
function liveMarkdown(r, log2) {
  const rows = [["Deploy", `\`${r.deployId}\``]];
  if (r.imageTag) rows.push(["Image tag", `\`${r.imageTag}\``]);
  if (r.dagTarballVersion) rows.push(["DAG tarball version", `\`${r.dagTarballVersion}\``]);
  if (r.bundleVersion) rows.push(["Bundle version", `\`${r.bundleVersion}\``]);
  rows.push(["Live after", `${(r.liveAfterMs / 1e3).toFixed(1)} s`]);
  for (const w of r.warnings) {
    log2.warning(w);
    rows.push(["Warning", cell(w)]);
  }
  return `#### Live

${table(rows)}`;
}
function decisionSection(name, decision, dryRun) {
  return `### ${escapeMarkdown(name)}

${decisionMarkdown(decision, dryRun)}`;
}
function notFinalizedLine(reason) {
  return `Not finalized: ${escapeMarkdown(reason)}.
`;
}
function previewSection(rows) {
  return `### Preview Deployment

${table(rows)}`;
}
function section(title, text) {
  return `### ${title}

${escapeMarkdown(text)}
`;
}
function warningsSection(warnings) {
  return `### Warnings

${warnings.map((w) => `- ${escapeMarkdown(w)}`).join("\n")}
`;
}
async function writeSummary(journal2, env, write, log2) {
  if (!env.GITHUB_STEP_SUMMARY || journal2.sections.length === 0) return;
  try {
    await write(`## Astro deploy

${journal2.sections.join("\n")}`);
  } catch (err) {
    log2.warning(`Could not write the job summary: ${err.message}`);
  }
}

// src/flows/checks.ts
import path16 from "node:path";

// src/checks/run.ts
import { existsSync as existsSync2, statSync } from "node:fs";
import { chmod, readFile as readFile3, writeFile as writeFile2 } from "node:fs/promises";
import path15 from "node:path";

// src/checks/parse.ts
import path14 from "node:path";
var CONTAINER_PROJECT = "/usr/local/airflow";
var FRAME = /^\s*File "([^"]+)", line (\d+)(?:, in (.+))?\s*$/;
function tracebackFrames(text) {
  const frames = [];
  for (const l of text.split("\n")) {
    const m = FRAME.exec(l);
    if (m) frames.push({ file: m[1], line: Number(m[2]), ...m[3] ? { name: m[3].trim() } : {} });
  }
  return frames;
}
function tracebackMessage(text) {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let last = -1;
  lines.forEach((l, i) => {
    if (FRAME.test(l)) last = i;
  });
  if (last < 0) return text.trim();
  const rest = lines.slice(last + 1);
  const start = rest.findIndex((l) => l.trim() !== "" && !/^\s/.test(l));
  if (start < 0) return text.trim().split("\n").pop().trim();
  return rest.slice(start).join("\n").trim();
}
function lineInFile(text, dagFile) {
  const frames = tracebackFrames(text).filter((f) => samePath(f.file, dagFile));
  return frames.length ? frames[frames.length - 1].line : void 0;
}
function samePath(a, b) {
  return path14.posix.normalize(a) === path14.posix.normalize(b);
}
function projectRelative(containerPath, containerProject = CONTAINER_PROJECT) {
  const p = path14.posix.normalize(containerPath);
  if (!p.startsWith("/")) return p.startsWith("../") ? void 0 : p.replace(/^\.\//, "");
  const rel = path14.posix.relative(containerProject, p);
  return rel === "" || rel.startsWith("../") ? void 0 : rel;
}
function repoPath(projectInRepo, projectRel) {
  return path14.posix.join(projectInRepo || ".", projectRel).replace(/^\.\//, "");
}
function importErrorProblem(file, trace, projectInRepo) {
  const rel = projectRelative(file);
  const line = lineInFile(trace, file);
  return {
    kind: "parse",
    ...rel !== void 0 ? { file: repoPath(projectInRepo, rel) } : {},
    ...line !== void 0 ? { line } : {},
    message: oneLine(tracebackMessage(trace) || "failed to import"),
    detail: trace.trim()
  };
}
function oneLine(message2, max = 500) {
  const first = message2.trim().split("\n")[0].trim();
  return first.length > max ? `${first.slice(0, max - 1)}\u2026` : first;
}
var RESULT_MARK = "ASTRO_DAG_CHECK_RESULT=";
function parseOwnCheckOutput(stdout) {
  const line = stdout.split("\n").reverse().find((l) => l.startsWith(RESULT_MARK));
  if (!line) return void 0;
  try {
    return JSON.parse(line.slice(RESULT_MARK.length));
  } catch {
    return void 0;
  }
}
var ENTITIES = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
function decodeXml(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}
function attributes(s) {
  const out = {};
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out[m[1]] = decodeXml(m[2] ?? m[3] ?? "");
  return out;
}
function elementText(body) {
  const cdata = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(body);
  return cdata ? cdata[1] : decodeXml(body);
}
function parseJUnit(xml) {
  const cases = [];
  const re = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const a = attributes(m[1]);
    const body = m[2] ?? "";
    const c = {
      classname: a.classname ?? "",
      name: a.name ?? "",
      ...a.file ? { file: a.file } : {},
      ...a.line !== void 0 && /^\d+$/.test(a.line) ? { line: Number(a.line) } : {},
      outcome: "passed"
    };
    const outcome = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (outcome) {
      c.outcome = outcome[1] === "failure" ? "failed" : outcome[1];
      const oa = attributes(outcome[2]);
      if (oa.message !== void 0) c.message = oa.message;
      if (outcome[3] !== void 0) c.text = elementText(outcome[3]);
    }
    cases.push(c);
  }
  return cases;
}
function reportLocations(text) {
  const out = [];
  for (const m of text.matchAll(/^([^\s:][^:\n]*\.py):(\d+):/gm))
    out.push({ file: m[1], line: Number(m[2]) });
  return out;
}
function pytestProblem(c, projectInRepo, resolve2) {
  const caseFile = c.file ? resolve2(c.file) : void 0;
  const text = c.text ?? "";
  const locations = reportLocations(text).map((l) => ({ file: resolve2(l.file), line: l.line })).filter((l) => l.file !== void 0);
  const inCase = caseFile ? locations.filter((l) => l.file === caseFile) : [];
  const at = inCase.length ? inCase[inCase.length - 1] : locations[locations.length - 1];
  const file = caseFile ?? at?.file;
  const line = at && at.file === file ? at.line : c.line !== void 0 && caseFile ? c.line + 1 : void 0;
  const what = c.outcome === "error" ? "error" : "failed";
  const eLine = /^E\s+(\S.*)$/m.exec(text)?.[1];
  const exception = c.message && c.message !== "collection failure" ? oneLine(c.message) : eLine ? oneLine(eLine) : oneLine(c.message ?? text.trim().split("\n").pop() ?? "") || what;
  return {
    kind: "pytest",
    ...file ? { file: repoPath(projectInRepo, file) } : {},
    ...line !== void 0 ? { line } : {},
    message: `${c.name || c.classname} ${what}: ${exception}`,
    ...text ? { detail: text.trim() } : {}
  };
}
function integrityProblem(c, projectInRepo, resolve2) {
  const source = c.message ?? c.text ?? "";
  const m = /^(?:\w+(?:\.\w+)*: )?(.+?) failed to import with message\s*\n([\s\S]*)$/.exec(
    source.trim()
  );
  if (m) {
    const rel = resolve2(m[1].trim()) ?? projectRelative(m[1].trim());
    const trace = m[2];
    const abs = rel !== void 0 ? path14.posix.join(CONTAINER_PROJECT, rel) : m[1].trim();
    const line = lineInFile(trace, abs);
    return {
      kind: "parse",
      ...rel !== void 0 ? { file: repoPath(projectInRepo, rel) } : {},
      ...line !== void 0 ? { line } : {},
      message: oneLine(tracebackMessage(trace) || source),
      detail: trace.trim()
    };
  }
  return { ...pytestProblem(c, projectInRepo, resolve2), kind: "parse" };
}
function parseExceptions(text) {
  return new Set(
    text.split("\n").map((l) => l.trim().replace(/^\.\//, "")).filter((l) => l !== "" && !l.startsWith("#"))
  );
}
function summarize(parts, problems, force = false) {
  const lines = ["### DAG checks", ""];
  for (const p of parts) {
    const n = problems.filter((x) => x.kind === p.kind).length;
    lines.push(
      `- ${n ? "\u274C" : "\u2705"} **${p.kind}**: ${n ? `${n} problem${n === 1 ? "" : "s"}` : "passed"}${p.note ? ` (${p.note})` : ""}`
    );
  }
  if (problems.length) {
    lines.push("", "| check | file | line | problem |", "|---|---|---|---|");
    for (const p of problems) {
      lines.push(
        `| ${p.kind} | ${p.file ? codeCell(p.file) : ""} | ${p.line ?? ""} | ${cell(p.message)} |`
      );
    }
    if (force) lines.push("", "`force: true`: deploying anyway.");
  }
  return lines.join("\n") + "\n";
}

// src/checks/python.ts
var BOOT_PY = `import os, shutil, sys

src, dst = sys.argv[1], sys.argv[2]
skip = {".git"}
try:
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        if name in skip:
            continue
        s, d = os.path.join(src, name), os.path.join(dst, name)
        if os.path.isdir(d) and not os.path.islink(d):
            shutil.rmtree(d)
        elif os.path.lexists(d):
            os.remove(d)
        if os.path.isdir(s) and not os.path.islink(s):
            shutil.copytree(s, d, symlinks=True)
        else:
            shutil.copy2(s, d, follow_symlinks=False)
except PermissionError as e:
    print("The image's AIRFLOW_HOME (%s) is not writable by its user (%s), so the checks cannot put the project there." % (dst, e), file=sys.stderr)
    sys.exit(3)
os.chdir(dst)
sys.stdout.flush()
os.execv(sys.executable, [sys.executable] + sys.argv[3:])
`;
var DAG_CHECK_PY = `import hashlib, importlib.util, json, os, sys, traceback

MARK = ${JSON.stringify(RESULT_MARK)}
dags_folder = os.path.abspath(sys.argv[1])
home = os.getcwd()
for p in (home, os.path.join(home, "plugins"), dags_folder):
    if p not in sys.path:
        sys.path.insert(0, p)

result = {"engine": "import", "dags": 0, "files": 0, "errors": []}


def candidate_files(folder):
    if os.path.isfile(folder):
        yield folder
        return
    for root, dirs, files in os.walk(folder, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(root, name)


DagBag = None
for where in ("airflow.dag_processing.dagbag", "airflow.models.dagbag", "airflow.models"):
    try:
        DagBag = getattr(__import__(where, fromlist=["DagBag"]), "DagBag")
        break
    except Exception:
        pass

_missing = object()


def _variable_get(key, default_var=_missing, deserialize_json=False, *args, **kwargs):
    if "default" in kwargs:
        default_var = kwargs["default"]
    if default_var is not _missing:
        return default_var
    return {} if deserialize_json else "MOCKED_VARIABLE_VALUE"


def _patch(module, attr, name, value):
    try:
        target = getattr(__import__(module, fromlist=[attr]), attr)
        setattr(target, name, value)
    except Exception:
        pass


if DagBag is not None:
    # Airflow 2 and 3 spellings; whichever exist are patched.
    _patch("airflow.models", "Variable", "get", staticmethod(_variable_get))
    _patch("airflow.sdk", "Variable", "get", staticmethod(_variable_get))
    try:
        from airflow.models import Connection

        _get_connection = classmethod(lambda cls, conn_id, *a, **k: Connection(conn_id=conn_id))
        _patch("airflow.hooks.base", "BaseHook", "get_connection", _get_connection)
        _patch("airflow.sdk", "BaseHook", "get_connection", _get_connection)
    except Exception:
        pass
    bag = DagBag(dag_folder=dags_folder, include_examples=False)
    result["engine"] = "dagbag"
    result["dags"] = len(bag.dags)
    result["files"] = len(getattr(bag, "file_last_changed", {}) or {}) + len(bag.import_errors)
    for path, text in sorted(bag.import_errors.items()):
        # Airflow 3 may key errors relative to the DAG folder (its bundle root).
        if not os.path.isabs(path) and os.path.exists(os.path.join(dags_folder, path)):
            path = os.path.join(dags_folder, path)
        result["errors"].append({"file": path, "trace": str(text)})
else:
    for path in candidate_files(dags_folder):
        with open(path, "rb") as f:
            content = f.read().lower()
        if b"airflow" not in content or b"dag" not in content:
            continue
        result["files"] += 1
        name = "unusual_prefix_" + hashlib.sha1(path.encode()).hexdigest() + "_" + os.path.splitext(os.path.basename(path))[0]
        try:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        except BaseException:
            result["errors"].append({"file": path, "trace": traceback.format_exc()})
            continue
        result["dags"] += sum(1 for v in vars(module).values() if type(v).__name__ == "DAG")

sys.stdout.flush()
print(MARK + json.dumps(result))
`;

// src/checks/run.ts
var NO_DOCKER_MESSAGE = "parse/pytest need a Docker engine; this runner has none (macOS runners do not ship one): use ubuntu-latest or set parse and pytest to false.";
function noDockerError() {
  return new Error(NO_DOCKER_MESSAGE);
}
var INTEGRITY_TEST = ".astro/test_dag_integrity_default.py";
var INTEGRITY_EXCEPTIONS = ".astro/dag_integrity_exceptions.txt";
var SOURCE_MOUNT = "/mnt/astro-project";
var WORK_MOUNT = "/mnt/astro-checks";
function toPosix(p) {
  return p.split(path15.sep).join("/");
}
async function runChecks(o) {
  const projectDir = path15.resolve(o.projectDir);
  const projectInRepo = toPosix(path15.relative(path15.resolve(o.repoRoot), projectDir));
  const dagsRel = toPosix(path15.normalize(o.dagsPath || "dags")).replace(/\/+$/, "");
  const problems = [];
  const parts = [];
  if (!o.parse && !o.pytest) return { ok: true, problems, summary: "" };
  const resolve2 = (p, extraBases = []) => {
    const rel = projectRelative(p);
    for (const cand of [rel, ...extraBases.map((b) => path15.posix.join(b, p))]) {
      if (cand === void 0 || cand.startsWith("../")) continue;
      if (existsSync2(path15.join(projectDir, cand))) return path15.posix.normalize(cand);
    }
    return void 0;
  };
  const work = makeTempDir("astro-checks-");
  try {
    await prepareWork(work);
    const runPython = (args) => o.docker.run({
      image: o.image,
      entrypoint: "python",
      args: [`${WORK_MOUNT}/boot.py`, SOURCE_MOUNT, CONTAINER_PROJECT, ...args],
      mounts: [
        { source: projectDir, target: SOURCE_MOUNT, readonly: true },
        { source: work, target: WORK_MOUNT }
      ],
      workdir: CONTAINER_PROJECT,
      env: {
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONUNBUFFERED: "1",
        AIRFLOW__CORE__DAGS_FOLDER: path15.posix.join(CONTAINER_PROJECT, dagsRel),
        AIRFLOW__CORE__LOAD_EXAMPLES: "False",
        AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACKS: "True",
        AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACK_DEPTH: "50"
      }
    });
    const pytestArgs = (target, report2) => [
      "-m",
      "pytest",
      target,
      `--junitxml=${WORK_MOUNT}/${report2}`,
      "-o",
      "junit_family=xunit1",
      "-p",
      "no:cacheprovider",
      "-q",
      "-rN"
    ];
    const readReport = async (report2) => {
      const xml = await readFile3(path15.join(work, report2), "utf8").catch(() => void 0);
      return xml === void 0 ? void 0 : parseJUnit(xml);
    };
    const failedRun = (what, r) => ({
      kind: what === "pytest" ? "pytest" : "parse",
      message: `${what} did not run to the end in ${o.image} (exit code ${r.exitCode}): ${outputTail(r, 3) || "no output"}`,
      detail: `${r.stdout}
${r.stderr}`.trim()
    });
    if (o.parse) {
      const own = !existsSync2(path15.join(projectDir, INTEGRITY_TEST));
      const exceptions = parseExceptions(
        await readFile3(path15.join(projectDir, INTEGRITY_EXCEPTIONS), "utf8").catch(() => "")
      );
      const found = [];
      let note = "";
      if (own) {
        o.log.info(`Parse check: importing the DAGs in ${dagsRel}/ inside ${o.image}`);
        const r = await runPython([
          `${WORK_MOUNT}/dag_check.py`,
          path15.posix.join(CONTAINER_PROJECT, dagsRel)
        ]);
        const result = parseOwnCheckOutput(r.stdout);
        if (!result) found.push(failedRun("The DAG parse check", r));
        else {
          for (const e of result.errors)
            found.push(importErrorProblem(e.file, e.trace, projectInRepo));
          note = ownCheckNote(result);
        }
      } else {
        o.log.info(`Parse check: running the project's ${INTEGRITY_TEST} inside ${o.image}`);
        const r = await runPython(pytestArgs(INTEGRITY_TEST, "parse.xml"));
        const cases = await readReport("parse.xml");
        if (!cases) found.push(failedRun(`pytest ${INTEGRITY_TEST}`, r));
        else {
          for (const c of cases.filter((c2) => c2.outcome === "failed" || c2.outcome === "error")) {
            found.push(integrityProblem(c, projectInRepo, (p) => resolve2(p)));
          }
          note = `${INTEGRITY_TEST}: ${cases.filter((c) => c.outcome === "passed").length} passed`;
          if (found.length === 0 && r.exitCode !== 0 && r.exitCode !== 5)
            found.push(failedRun(`pytest ${INTEGRITY_TEST}`, r));
        }
      }
      const accepted = acceptedProblems(found, exceptions, projectInRepo);
      for (const p of accepted)
        o.log.info(`Accepted by ${INTEGRITY_EXCEPTIONS}: ${p.file}: ${p.message}`);
      problems.push(...found.filter((p) => !accepted.includes(p)));
      if (accepted.length)
        note += `${note ? "; " : ""}${accepted.length} accepted by ${INTEGRITY_EXCEPTIONS}`;
      parts.push({ kind: "parse", note });
    }
    if (o.pytest) {
      const target = o.pytestFile || "tests/";
      o.log.info(`pytest ${target} inside ${o.image}`);
      const r = await runPython(pytestArgs(target, "pytest.xml"));
      const cases = await readReport("pytest.xml");
      const found = [];
      let note = "";
      if (!cases) found.push(failedRun(`pytest ${target}`, r));
      else {
        const bases = [pytestBase(projectDir, target)];
        for (const c of cases.filter((c2) => c2.outcome === "failed" || c2.outcome === "error")) {
          found.push(pytestProblem(c, projectInRepo, (p) => resolve2(p, bases)));
        }
        const passed = cases.filter((c) => c.outcome === "passed").length;
        note = `${passed} passed${r.exitCode === 5 ? ", no tests collected" : ""}`;
        if (found.length === 0 && r.exitCode !== 0 && r.exitCode !== 5)
          found.push(failedRun(`pytest ${target}`, r));
      }
      problems.push(...found);
      parts.push({ kind: "pytest", note });
    }
  } finally {
    removeTempDir(work);
  }
  logProblems(o.log, problems);
  return { ok: problems.length === 0, problems, summary: summarize(parts, problems, o.force) };
}
async function prepareWork(work) {
  await chmod(work, 511);
  await writeFile2(path15.join(work, "boot.py"), BOOT_PY);
  await writeFile2(path15.join(work, "dag_check.py"), DAG_CHECK_PY);
}
function ownCheckNote(result) {
  const how = result.engine === "dagbag" ? " by DagBag" : ", Airflow not importable: plain imports";
  return `${result.dags} DAG${result.dags === 1 ? "" : "s"} loaded${how}`;
}
function logProblems(log2, problems) {
  for (const p of problems)
    log2.debug(`${p.kind}: ${p.file ?? ""}${p.line ? `:${p.line}` : ""} ${p.message}`);
}
function acceptedProblems(found, exceptions, projectInRepo) {
  const prefix = projectInRepo ? `${projectInRepo}/` : "";
  return found.filter(
    (p) => p.file && exceptions.has(p.file.startsWith(prefix) ? p.file.slice(prefix.length) : p.file)
  );
}
function pytestBase(projectDir, target) {
  const targetRel = toPosix(path15.normalize(target)).replace(/\/+$/, "");
  const isDir = existsSync2(path15.join(projectDir, targetRel)) && statSync(path15.join(projectDir, targetRel)).isDirectory();
  return isDir ? targetRel : path15.posix.dirname(targetRel);
}
async function pullDeployedImage(o) {
  const repository = imageRepositoryRef(o.imageRepository);
  const ref = `${repository}:${o.imageTag}`;
  try {
    await o.docker.login(registryHost(repository), REGISTRY_USER, o.token);
    await o.docker.pull(ref);
    return ref;
  } catch (e) {
    o.log.info(
      `The deployed image ${ref} could not be pulled (${e.message}); building the image for the checks instead.`
    );
    return void 0;
  }
}

// src/flows/parts.ts
async function step(p, title, fn) {
  const outer = p.journal.step;
  p.journal.step = title;
  let result;
  if (outer === void 0) {
    result = await p.reporter.group(title, fn);
  } else {
    p.log.info(`${title}:`);
    result = await fn();
  }
  p.journal.step = outer;
  return result;
}

// src/flows/checks.ts
function noDocker(checking, kind2) {
  if (checking) return noDockerError();
  return new Error(
    `A ${kind2} deploy builds and pushes an image, which needs a Docker engine, and this runner has none; use a Linux runner (ubuntu-latest) or deploy-type dags-only.`
  );
}
function needsDockerWhenFresh(settings) {
  const image = ["infer", "image-and-dags", "image-only"].includes(settings.deployType);
  return settings.parse || settings.pytest || image;
}
async function requireDocker(p) {
  const { settings } = p;
  const docker = p.docker();
  try {
    if (!await docker.available()) {
      const kind2 = settings.deployType === "infer" ? "image-and-dags" : settings.deployType;
      throw noDocker(settings.parse || settings.pytest, kind2);
    }
  } finally {
    await docker.dispose();
  }
}
async function foresee(p, kind2, target, ws) {
  const { settings } = p;
  const checking = settings.parse || settings.pytest;
  if (checking || buildsImage(kind2)) {
    const docker = p.docker();
    try {
      if (!await docker.available()) throw noDocker(checking, kind2);
    } finally {
      await docker.dispose();
    }
  }
  assertDeployable(target, settings.wakeOnDeploy);
  if (shipsDagFolder2(kind2, target))
    await assertDagFolder(path16.join(ws.repoRoot, settings.rootFolder, settings.dagsPath));
}
function checksBeforeCreate(p, docker, target, ws) {
  const { settings, log: log2 } = p;
  const projectDir = path16.join(ws.repoRoot, settings.rootFolder);
  return async (image) => {
    let checkImage = image ?? await pullDeployedImage({
      docker,
      imageRepository: target.imageRepository,
      imageTag: target.imageTag,
      token: settings.token,
      log: log2
    });
    let built = image ? void 0 : checkImage;
    if (!checkImage) {
      built = checkImage = `astro-deploy-check:${ws.head.slice(0, 12)}`;
      await docker.build({ context: projectDir, tag: built, secrets: settings.buildSecrets });
    }
    try {
      await check(p, checkImage, docker, projectDir, ws.repoRoot);
    } finally {
      if (built) await docker.remove(built);
    }
  };
}
async function check(p, image, docker, projectDir, repoRoot) {
  const { settings, log: log2 } = p;
  const result = await step(
    p,
    "DAG checks",
    () => runChecks({
      docker,
      image,
      projectDir,
      repoRoot,
      dagsPath: settings.dagsPath,
      parse: settings.parse,
      pytest: settings.pytest,
      pytestFile: settings.pytestFile,
      force: settings.force,
      log: log2
    })
  );
  for (const x of result.problems) {
    p.reporter.error(x.message, {
      title: x.kind === "parse" ? "DAG import error" : "pytest failure",
      file: x.file,
      startLine: x.line
    });
  }
  p.journal.sections.push(`${result.summary}
`);
  if (!result.ok) {
    if (settings.force) {
      log2.warning(
        `DAG checks failed (${result.problems.length} problems) but force is true: deploying anyway.`
      );
      return;
    }
    throw new Error(
      `DAG checks failed with ${result.problems.length} problem(s); nothing was deployed. Fix them (see the annotations) or set force: true.`
    );
  }
}

// src/flows/git-record.ts
async function namedCommit(ws, trigger, log2) {
  if (trigger.kind !== "pull_request") return ws.head;
  const { headSha, sha } = trigger;
  if (!headSha || headSha === ws.head || ws.head !== sha) return ws.head;
  if (await ws.git.ensureCommit(headSha)) return headSha;
  log2.warning(
    `The pull request's head commit ${headSha.slice(0, 12)} could not be fetched, so the deploy names the merge commit ${ws.head.slice(0, 12)} instead.`
  );
  return ws.head;
}
async function gitInfo(ws, sha, trigger, env, settings, authorName) {
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const repository = env.GITHUB_REPOSITORY ?? "";
  const [account = "", repo = ""] = repository.split("/");
  const branch = trigger.branch;
  const base = {
    commitSha: sha,
    branch,
    path: settings.rootFolder || void 0,
    authorName: authorName || void 0,
    authorUsername: env.GITHUB_ACTOR || void 0
  };
  if (/^https:\/\/github\.com$/i.test(server) && account && repo) {
    return {
      provider: "GITHUB",
      account,
      repo,
      commitUrl: `${server}/${repository}/commit/${sha}`,
      authorUrl: env.GITHUB_ACTOR ? `${server}/${env.GITHUB_ACTOR}` : void 0,
      ...base
    };
  }
  const remote = await ws.git.remoteUrl() ?? (repository ? `${server}/${repository}` : `file://${ws.repoRoot}`);
  return { provider: "GENERIC", remoteUrl: stripCredentials(remote), ...base };
}
function stripCredentials(url) {
  return url.replace(/\/\/[^/@]+@/, "//");
}

// src/flows/deploy.ts
async function resolveDeployment(api, settings, log2) {
  if (settings.deploymentId) {
    const d = await api.getDeployment(settings.deploymentId);
    log2.info(`Deployment ${d.name} (${d.id}), status ${d.status}.`);
    return d;
  }
  const name = settings.deploymentName;
  const workspaceId = settings.workspace ?? api.workspaceId;
  const found = await api.listDeployments({
    names: [name],
    workspaceIds: workspaceId ? [workspaceId] : void 0
  });
  const exact = found.filter((d) => d.name === name);
  if (exact.length === 0) {
    throw new Error(
      `No Deployment named '${name}' in ${workspaceId ? `workspace ${workspaceId}` : `organization ${api.organizationId}`}; check deployment-name${workspaceId ? "" : " or set workspace"}.`
    );
  }
  if (exact.length > 1) {
    throw new Error(
      `${exact.length} Deployments are named '${name}' (${exact.map((d) => `${d.id} in workspace ${d.workspaceId}`).join(", ")}); set deployment-id, or workspace to pick one.`
    );
  }
  log2.info(`Deployment ${exact[0].name} (${exact[0].id}), status ${exact[0].status}.`);
  return exact[0];
}
async function deployFlow(p, base) {
  p.journal.known = { ...p.journal.known, deploymentId: base.id, previewId: base.id };
  const outcome = await deployTo(p, base);
  return { ...outcome, previewId: base.id };
}
async function deployTo(p, target, preview = false) {
  const { settings, api, trigger, log: log2, journal: journal2 } = p;
  const ws = await p.checkout();
  const facts = {
    api,
    git: ws.git,
    log: log2,
    settings,
    trigger,
    target,
    head: ws.head,
    repoRoot: ws.repoRoot,
    preview
  };
  const decision = await step(p, "Decide what to deploy", async () => {
    const d = await decideDeploy(facts);
    log2.info(`Decision: ${d.plan.kind} \u2014 ${d.plan.reason}.`);
    return d;
  });
  const kind2 = decision.plan.kind;
  const url = deploymentUrl(settings.apiUrl, target.workspaceId, target.id);
  journal2.known = {
    ...journal2.known,
    deploymentId: target.id,
    deployType: kind2,
    deploymentUrl: url
  };
  journal2.sections.push(decisionSection(target.name, decision, settings.dryRun));
  const outcome = {
    deploymentId: target.id,
    deployType: kind2,
    skipped: kind2 === "none",
    reason: decision.plan.reason,
    deploymentUrl: url
  };
  if (kind2 === "none") return outcome;
  if (settings.dryRun) {
    await foresee(p, kind2, target, ws);
    if (buildsImage(kind2)) {
      const refusal = await plannedRuntimeRefusal({
        api,
        deployment: target,
        projectDir: path17.join(ws.repoRoot, settings.rootFolder),
        imageName: settings.imageName,
        log: log2
      });
      if (refusal) throw new Error(refusal);
    }
    const reason = `dry run: would deploy ${kind2} because ${decision.plan.reason}`;
    return { ...outcome, skipped: true, reason };
  }
  const result = await runDeploy(p, kind2, target, () => staleBeforeFinalize(facts));
  if (result.notFinalized) {
    for (const w of result.warnings) log2.warning(w);
    journal2.sections.push(notFinalizedLine(result.notFinalized));
    return {
      ...outcome,
      deployType: "none",
      skipped: true,
      reason: result.notFinalized,
      deployId: result.deployId
    };
  }
  journal2.sections.push(liveMarkdown(result, log2));
  return {
    ...outcome,
    deployId: result.deployId,
    imageTag: result.imageTag,
    dagTarballVersion: result.dagTarballVersion
  };
}
async function runDeploy(p, kind2, target, beforeFinalize) {
  const { settings, env, trigger, log: log2 } = p;
  const ws = await p.checkout();
  const projectDir = path17.join(ws.repoRoot, settings.rootFolder);
  const sha = await namedCommit(ws, trigger, log2);
  const commit = await ws.git.commitInfo(sha);
  const git = await gitInfo(ws, sha, trigger, env, settings, commit.authorName);
  const checking = settings.parse || settings.pytest;
  const needsDocker = checking || buildsImage(kind2);
  const docker = needsDocker ? p.docker() : void 0;
  if (docker && !await docker.available()) throw noDocker(checking, kind2);
  const tmpDir = makeTempDir("astro-deploy-");
  try {
    return await step(
      p,
      `Deploy (${kind2})`,
      () => executeDeploy(
        {
          kind: kind2,
          deployment: target,
          projectDir,
          dagsDir: path17.join(projectDir, settings.dagsPath),
          noDagsBaseDir: settings.noDagsBaseDir,
          description: settings.description ?? commit.subject,
          git,
          imageName: settings.imageName,
          buildSecrets: settings.buildSecrets,
          mountPath: settings.mountPath,
          bundleType: settings.bundleType,
          waitMs: settings.waitMs,
          wakeOnDeploy: settings.wakeOnDeploy,
          token: settings.token,
          mtime: commit.time || void 0,
          beforeCreate: checking ? checksBeforeCreate(p, docker, target, ws) : void 0,
          beforeFinalize
        },
        { api: p.api, docker, log: log2, tmpDir, journal: p.journal }
      )
    );
  } finally {
    removeTempDir(tmpDir);
    await docker?.dispose();
  }
}

// src/flows/preview.ts
import path18 from "node:path";

// src/preview/names.ts
import { createHash as createHash2 } from "node:crypto";
var MAX_PREVIEW_NAME = 63;
var PreviewNameError = class extends Error {
  name = "PreviewNameError";
};
function branchFromRef(ref) {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}
function branchHash(branch) {
  return createHash2("sha1").update(branchFromRef(branch), "utf8").digest("hex").slice(0, 6);
}
function branchSlug(branch) {
  const slug = branchFromRef(branch).replace(/[^A-Za-z0-9._-]/gu, "-").replace(/-{2,}/g, "-").replace(/^[-._]+|[-._]+$/g, "");
  return slug === "" ? branchHash(branch) : slug;
}
var NAME_EDGES = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su;
function validDeploymentName(name) {
  return NAME_EDGES.test(name);
}
function previewName(args) {
  const explicit = args.explicit?.trim();
  if (explicit) {
    if (!validDeploymentName(explicit)) {
      throw new PreviewNameError(
        `preview-name "${explicit}" is not a name Astro accepts (a Deployment name must start and end with a letter or a digit): change preview-name.`
      );
    }
    return explicit;
  }
  const branch = branchFromRef(args.branch);
  if (branch.trim() === "") {
    throw new PreviewNameError(
      "Cannot name the preview Deployment: the branch is unknown. Set preview-name, or run on a pull request or a branch push."
    );
  }
  if (!validDeploymentName(`x${args.baseName}`)) {
    throw new PreviewNameError(
      `Cannot make a preview name from the base Deployment name "${args.baseName}", since a Deployment name must end with a letter or a digit: set preview-name to a name that starts and ends with one.`
    );
  }
  const slug = branchSlug(branch);
  const tail = `_${args.baseName}`;
  const full = `${slug}${tail}`;
  if (full.length <= MAX_PREVIEW_NAME) return full;
  const suffix = `-${branchHash(branch)}`;
  const room = MAX_PREVIEW_NAME - tail.length - suffix.length;
  if (room < 1) {
    throw new PreviewNameError(
      `The base Deployment name "${args.baseName}" is ${args.baseName.length} characters long, so a preview name <branch>_${args.baseName} cannot fit in ${MAX_PREVIEW_NAME} characters. Set preview-name to a shorter name.`
    );
  }
  const cut = slug.slice(0, room).replace(/-+$/, "");
  return `${cut}${suffix}${tail}`;
}
function legacyPreviewName(args) {
  const branch = branchFromRef(args.branch);
  const last = branch.slice(branch.lastIndexOf("/") + 1);
  return `${last}_${args.baseName}`.replace(/ /g, "_");
}
function previewMarker(baseId, branch) {
  return `Preview of ${baseId} for branch ${branchFromRef(branch)}`;
}
var ANY_MARKER = /(^|\s)Preview of \S+ for branch \S/;
function hasMarker(description, baseId, branch) {
  if (!description) return false;
  const marker = previewMarker(baseId, branch);
  let from = 0;
  for (; ; ) {
    const at = description.indexOf(marker, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : description[at - 1];
    const rest = description.slice(at + marker.length);
    const startsClean = before === "" || /\s/.test(before);
    const endsClean = rest === "" || /^\s/.test(rest) || /^\.(\s|$)/.test(rest);
    if (startsClean && endsClean) return true;
    from = at + 1;
  }
}
function hasAnyMarker(description) {
  return !!description && ANY_MARKER.test(description);
}
function previewDescription(baseId, baseName, branch, note) {
  const text = note?.trim() || `copy of ${baseName}, made for CI by the Astro deploy action`;
  return `${previewMarker(baseId, branch)} \u2014 ${text}`.slice(0, 1e3);
}

// src/inputs/trigger.ts
var ZERO_SHA = /^0{40}$/;
var stripHeads = (ref) => ref.replace(/^refs\/heads\//, "");
function parseTrigger(eventName, payload, env) {
  const sha = env.GITHUB_SHA ?? "";
  const refEnv = env.GITHUB_REF ?? "";
  switch (eventName) {
    case "push":
      return pushTrigger(payload, sha, refEnv);
    case "pull_request":
    case "pull_request_target":
      return pullRequestTrigger(eventName, payload, sha, env);
    case "create":
    case "delete": {
      const refType = payload.ref_type ?? "";
      const ref = payload.ref ?? "";
      return {
        eventName,
        kind: eventName,
        sha,
        ref,
        refType,
        branch: refType === "branch" ? stripHeads(ref) : void 0
      };
    }
    case "workflow_dispatch":
      return {
        eventName,
        kind: "workflow_dispatch",
        sha,
        ref: payload.ref ?? refEnv,
        branch: refEnv.startsWith("refs/heads/") ? stripHeads(refEnv) : void 0
      };
    case "merge_group": {
      const group2 = payload.merge_group ?? {};
      return {
        eventName,
        kind: "merge_group",
        sha: sha || group2.head_sha || "",
        headSha: group2.head_sha ?? sha,
        baseSha: group2.base_sha ?? "",
        branch: group2.head_ref ? stripHeads(group2.head_ref) : void 0
      };
    }
    default:
      return {
        eventName,
        kind: "other",
        sha,
        branch: refEnv.startsWith("refs/heads/") ? stripHeads(refEnv) : void 0
      };
  }
}
function pushTrigger(payload, sha, refEnv) {
  const ref = payload.ref ?? refEnv;
  const before = payload.before;
  const isTag = ref.startsWith("refs/tags/");
  return {
    eventName: "push",
    kind: "push",
    sha: sha || payload.after || "",
    ref,
    branch: isTag ? void 0 : stripHeads(ref),
    tag: isTag ? ref.slice("refs/tags/".length) : void 0,
    before: before && !ZERO_SHA.test(before) ? before : void 0,
    after: payload.after ?? sha,
    forced: Boolean(payload.forced),
    created: Boolean(payload.created) || before !== void 0 && ZERO_SHA.test(before),
    deleted: Boolean(payload.deleted)
  };
}
function pullRequestTrigger(eventName, payload, sha, env) {
  const pr = payload.pull_request ?? {};
  const before = payload.before;
  return {
    eventName,
    kind: "pull_request",
    sha,
    action: payload.action ?? "",
    number: Number(payload.number ?? pr.number ?? 0),
    branch: pr.head?.ref ?? env.GITHUB_HEAD_REF,
    baseRef: pr.base?.ref ?? env.GITHUB_BASE_REF ?? "",
    headSha: pr.head?.sha ?? sha,
    baseSha: pr.base?.sha ?? "",
    before: payload.action === "synchronize" && before && !ZERO_SHA.test(before) ? before : void 0,
    merged: Boolean(pr.merged),
    fromFork: fromFork(pr, payload, env)
  };
}
function fromFork(pr, payload, env) {
  const head = pr.head;
  if (!head || typeof head !== "object" || !("repo" in head)) return false;
  if (head.repo === null) return true;
  const headRepo = head.repo?.full_name;
  const baseRepo = pr.base?.repo?.full_name ?? payload.repository?.full_name ?? env.GITHUB_REPOSITORY;
  if (typeof headRepo !== "string" || typeof baseRepo !== "string") return false;
  return headRepo.toLowerCase() !== baseRepo.toLowerCase();
}
function describeTrigger(t) {
  switch (t.kind) {
    case "push":
      if (t.tag) return `push of tag ${t.tag}`;
      return `push to ${t.branch}${t.forced ? " (forced)" : ""}${t.created ? " (new branch)" : ""}`;
    case "pull_request":
      return `pull request #${t.number} ${t.action} (${t.branch} \u2192 ${t.baseRef})`;
    case "create":
    case "delete":
      return `${t.kind} of ${t.refType} ${t.ref}`;
    case "workflow_dispatch":
      return `manual run on ${t.branch ?? t.ref}`;
    case "merge_group":
      return `merge queue group ${t.headSha.slice(0, 7)}`;
    default:
      return `${t.eventName} event`;
  }
}

// src/astro/airflow.ts
function airflowBaseUrl(apiUrl) {
  const trimmed = apiUrl.trim().split("?")[0].replace(/\/+$/, "");
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}
function airflowApiVersion(apiUrl) {
  const path19 = new URL(airflowBaseUrl(apiUrl)).pathname;
  if (/\/api\/v1$/.test(path19)) return 1;
  if (/\/api\/v2$/.test(path19)) return 2;
  throw new Error(
    `The Airflow API URL ${withoutScheme(apiUrl)} ends neither in /api/v1 (Airflow 2) nor in /api/v2 (Airflow 3).`
  );
}
var hasSlash = (key) => key.includes("/");
function createAirflowClient(options) {
  const base = airflowBaseUrl(options.apiUrl);
  const apiVersion = airflowApiVersion(base);
  const clock = clockOf(options);
  const policy = policyOf(options);
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const headers = {
    authorization: `Bearer ${stripBearer(options.token)}`,
    "content-type": "application/json",
    accept: "application/json"
  };
  async function once2(method, path19, query, body) {
    const url = `${base}${path19}`;
    let reply;
    try {
      reply = await send({
        url: `${url}${queryString(query)}`,
        method,
        headers,
        body: body === void 0 ? void 0 : JSON.stringify(body),
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        dispatcher: options.dispatcher
      });
    } catch (err) {
      if (err instanceof NetworkError) throw new AirflowApiError(0, method, url, err.message);
      throw err;
    }
    let data;
    try {
      data = reply.text ? JSON.parse(reply.text) : void 0;
    } catch {
      data = reply.text;
    }
    if (reply.status >= 200 && reply.status < 300) return { status: reply.status, data };
    if (reply.status >= 300 && reply.status < 400) {
      const location = reply.headers.location;
      throw new AirflowApiError(
        reply.status,
        method,
        url,
        `redirected to ${String(location ?? "nowhere")}, not followed (it may be another object)`
      );
    }
    throw new AirflowApiError(
      reply.status,
      method,
      url,
      detailOf(data),
      1,
      parseRetryAfter(reply.headers["retry-after"], clock.now())
    );
  }
  function call(kind2, method, path19, query, body) {
    return withRetry({
      label: `${method} ${withoutScheme(base)}${path19}`,
      kind: kind2,
      policy,
      clock,
      log: options.log,
      attempt: () => once2(method, path19, query, body),
      exhausted: (err, n) => err instanceof AirflowApiError ? new AirflowApiError(err.status, err.method, err.url, err.detail, n) : err
    });
  }
  async function listAll(path19, key) {
    const items = [];
    for (let offset = 0; ; ) {
      const { data } = await call("safe", "GET", path19, { limit: pageSize, offset });
      const page = data ?? {};
      const got = Array.isArray(page[key]) ? page[key] : [];
      items.push(...got);
      offset += got.length;
      const total = typeof page.total_entries === "number" ? page.total_entries : 0;
      if (got.length === 0 || offset >= total) return items;
    }
  }
  async function upsert(collection, id, body, mask) {
    try {
      await call("safe", "POST", `/${collection}`, void 0, body);
      return "created";
    } catch (err) {
      if (!(err instanceof AirflowApiError) || !isDuplicate(err)) throw err;
    }
    if (hasSlash(id)) return "exists";
    const query = mask && { update_mask: apiVersion === 2 ? mask : mask.join(",") };
    await call("safe", "PATCH", `/${collection}/${encodeURIComponent(id)}`, query, body);
    return "updated";
  }
  return {
    apiVersion,
    async waitUntilServing({ timeoutMs, name }) {
      await poll({
        clock,
        timeoutMs,
        backoff: { firstMs: 500, maxMs: 1e4, factor: 1.5, whole: "ceil" },
        look: async () => {
          try {
            await call("safe", "GET", "/version");
            return true;
          } catch (err) {
            if (!(err instanceof AirflowApiError) || err.status !== 404) throw err;
            return void 0;
          }
        },
        waiting: (delay) => options.log.info(
          `The Airflow API of ${name} does not answer yet (404, usual for a new Deployment); trying again in ${delay} ms.`
        ),
        timedOut: () => new Error(
          `The Airflow API of ${name} (${withoutScheme(base)}) still answered 404 after ${Math.round(timeoutMs / 1e3)} s, so its Airflow objects were not copied; run again (the preview is reused and the objects copied) or raise wait-time.`
        )
      });
    },
    async listConnections() {
      const listed = await listAll("/connections", "connections");
      if (apiVersion === 2) return listed;
      const full = [];
      for (const c of listed) {
        if (hasSlash(c.connection_id)) {
          full.push({
            ...c,
            extraUnread: "its id has a '/', which Astro's proxy cannot take in a path"
          });
          continue;
        }
        const path19 = `/connections/${encodeURIComponent(c.connection_id)}`;
        try {
          const { data } = await call("safe", "GET", path19);
          full.push(data);
        } catch (err) {
          if (!(err instanceof AirflowApiError)) throw err;
          full.push({ ...c, extraUnread: err.message });
        }
      }
      return full;
    },
    upsertConnection: (c) => upsert(
      "connections",
      c.connection_id,
      pick(c, [
        "connection_id",
        "conn_type",
        "description",
        "host",
        "login",
        "schema",
        "port",
        "password",
        "extra"
      ])
    ),
    // Both versions list values: no variable is read by its key.
    listVariables: () => listAll("/variables", "variables"),
    upsertVariable: (v) => upsert("variables", v.key, pick(v, ["key", "value", "description"])),
    listPools: () => listAll("/pools", "pools"),
    upsertPool: (p) => p.name === DEFAULT_POOL ? (
      // Every Deployment has it, and Airflow 3 lets only these two fields of it change
      // (an update without this mask is refused).
      upsert(
        "pools",
        p.name,
        pick(p, ["name", "slots", "include_deferred"]),
        p.include_deferred === void 0 ? ["slots"] : ["slots", "include_deferred"]
      )
    ) : upsert("pools", p.name, pick(p, ["name", "slots", "description", "include_deferred"]))
  };
}
var DEFAULT_POOL = "default_pool";
function isDuplicate(err) {
  return err.status === 409 || err.status === 400 && /already exist/i.test(err.detail);
}
function pick(obj, keys) {
  const out = {};
  for (const k of keys) if (obj[k] !== void 0) out[k] = obj[k];
  return out;
}
function detailOf(data) {
  if (typeof data === "string") return data.slice(0, 200);
  const d = data ?? {};
  const parts = [d.title, d.detail].map(
    (x) => x === void 0 || x === null ? "" : typeof x === "string" ? x : JSON.stringify(x)
  );
  return parts.filter(Boolean).join(": ").slice(0, 300);
}
function withoutScheme(url) {
  return url.replace(/^https?:\/\//i, "");
}

// src/github/octokit.ts
var GitHubApiError = class extends Error {
  constructor(status, message2, retryAfterMs, timedOut = false, code2) {
    super(message2);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.timedOut = timedOut;
    this.code = code2;
    this.name = "GitHubApiError";
  }
  status;
  retryAfterMs;
  timedOut;
  code;
};
var GITHUB_RETRY = {
  ...DEFAULT_RETRY,
  attempts: 3,
  maxElapsedMs: 2e4,
  baseDelayMs: 500,
  maxDelayMs: 5e3
};
function kindOf(method) {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return "safe";
  if (m === "PATCH" || m === "PUT" || m === "DELETE") return "idempotent";
  return "once";
}
function toGitHubApiError(err, timeoutMs, nowMs) {
  if (err instanceof GitHubApiError) return err;
  const e = err;
  const timedOut = e?.name === "TimeoutError" || e?.name === "AbortError" || e?.cause?.name === "TimeoutError";
  if (timedOut)
    return new GitHubApiError(
      0,
      `no reply within ${timeoutMs / 1e3} s`,
      void 0,
      true,
      "a timeout"
    );
  if (!e?.response) {
    const code2 = e?.cause?.cause?.code ?? e?.cause?.code;
    const msg = e?.message || String(err);
    return new GitHubApiError(
      0,
      code2 && !msg.includes(code2) ? `${msg} (${code2})` : msg,
      void 0,
      false,
      code2
    );
  }
  const data = e.response.data;
  const text = typeof data === "string" ? data.slice(0, 200) : typeof data?.message === "string" ? data.message : "";
  const status = e.response.status;
  const headers = e.response.headers ?? {};
  let retryAfterMs = parseRetryAfter(headers["retry-after"], nowMs);
  const exhausted = headers["x-ratelimit-remaining"] === "0";
  const rateLimited = (status === 403 || status === 429) && (retryAfterMs !== void 0 || exhausted || /rate limit/i.test(text));
  if (rateLimited && retryAfterMs === void 0 && exhausted) {
    const reset = Number(headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset) && reset > 0) retryAfterMs = Math.max(0, reset * 1e3 - nowMs);
  }
  return new GitHubApiError(
    rateLimited ? 429 : status,
    `HTTP ${status}${text ? `: ${text}` : ""}`,
    retryAfterMs
  );
}
async function githubClient(opts) {
  const { getOctokit: make } = await import("./chunk-GACUNCEL.js");
  const timeoutMs = opts.timeoutMs ?? 3e4;
  const policy = { ...GITHUB_RETRY, ...opts.retry };
  const clock = opts.clock ?? realClock;
  const debug2 = (m) => opts.log.debug(m);
  const octokit = make(opts.token, {
    ...opts.apiUrl ? { baseUrl: opts.apiUrl.replace(/\/+$/, "") } : {},
    userAgent: `${CLIENT_IDENTIFIER}/${ACTION_VERSION}`,
    log: { debug: debug2, info: debug2, warn: debug2, error: debug2 }
  });
  octokit.hook.wrap("request", async (request, options) => {
    const method = String(options.method ?? "GET");
    const path19 = String(options.url ?? "").split("?")[0];
    return withRetry({
      label: `GitHub ${method} ${path19}`,
      kind: kindOf(method),
      policy,
      clock,
      log: opts.log,
      attempt: async () => {
        try {
          options.request = { ...options.request, signal: AbortSignal.timeout(timeoutMs) };
          return await request(options);
        } catch (err) {
          throw toGitHubApiError(err, timeoutMs, clock.now());
        }
      }
    });
  });
  return octokit;
}

// src/github/comment.ts
function commentMarker(baseId, previewName2) {
  return `<!-- astro-deploy-action preview base=${encodeURIComponent(baseId)} name=${encodeURIComponent(previewName2)} -->`;
}
var code = (s) => "`" + s.replace(/`/g, "'") + "`";
function previewCommentBody(f) {
  const title = f.preview.url ? `[${cell(f.preview.name)}](${f.preview.url})` : code(f.preview.name);
  const lines = [f.marker];
  const headline = {
    deployed: `### Astro preview ${title}`,
    unchanged: `### Astro preview ${title}`,
    deleted: `### Astro preview ${code(f.preview.name)} was deleted`,
    failed: `### Astro preview ${title}: the last deploy failed`
  };
  lines.push(headline[f.state], "");
  lines.push(
    `Preview of ${code(f.base.name)} (${code(f.base.id)}) for branch ${code(f.branch)}.`,
    ""
  );
  if (f.state !== "deleted") {
    const rows = [
      ["Deployment", code(f.preview.id)],
      ["Deployed", f.deployType ? code(f.deployType) : void 0],
      ["Why", f.reason ? cell(f.reason) : void 0],
      ["Commit", f.commitSha ? code(f.commitSha) : void 0],
      ["Deploy", f.deployId ? code(f.deployId) : void 0],
      ["Image tag", f.imageTag ? code(f.imageTag) : void 0],
      ["DAG tarball", f.dagTarballVersion ? code(f.dagTarballVersion) : void 0]
    ];
    lines.push("| | |", "|---|---|");
    for (const [k, v] of rows) if (v) lines.push(`| ${k} | ${v} |`);
    lines.push("");
    if (f.omittedSecrets?.length) {
      lines.push(
        `Secret environment variables not copied from the base (set them on the preview): ${f.omittedSecrets.map(code).join(", ")}.`,
        ""
      );
    }
    if (f.connectionsWithoutPassword?.length) {
      lines.push(
        `Connections copied without a password: ${f.connectionsWithoutPassword.map(code).join(", ")}.`,
        ""
      );
    }
  }
  if (f.runUrl) lines.push(`[Workflow run](${f.runUrl})`, "");
  return lines.join("\n").trimEnd() + "\n";
}
async function upsertPrComment(args) {
  return (await writePrComment(args)).warning;
}
async function writePrComment(args) {
  const { log: log2 } = args;
  const timeoutMs = args.timeoutMs ?? 3e4;
  const body = args.body.startsWith(args.marker) ? args.body : `${args.marker}
${args.body}`;
  let step2 = "read the comments of";
  try {
    if (!/^[^/\s]+\/[^/\s]+$/.test(args.repo))
      throw new GitHubApiError(0, `"${args.repo}" is not an owner/name repository`);
    if (!Number.isInteger(args.prNumber) || args.prNumber <= 0)
      throw new GitHubApiError(0, `${args.prNumber} is not a pull request number`);
    if (!args.token && !args.client) throw new GitHubApiError(0, "no github-token");
    const [owner, repo] = args.repo.split("/");
    const gh = args.client ?? await githubClient({
      token: args.token,
      apiUrl: args.apiUrl,
      timeoutMs,
      retry: args.retry,
      log: log2
    });
    const where2 = { owner, repo, issue_number: args.prNumber };
    let ours;
    let pages = 0;
    for await (const page of gh.paginate.iterator(gh.rest.issues.listComments, {
      ...where2,
      per_page: 100
    })) {
      if (!Array.isArray(page.data)) throw new GitHubApiError(0, "the comments list is not a list");
      ours = page.data.find(
        (c2) => typeof c2.body === "string" && c2.body.startsWith(args.marker)
      );
      if (ours || ++pages >= 100) break;
    }
    if (ours) {
      if (ours.body === body) {
        log2.info(`The pull request comment is up to date (${ours.html_url ?? ours.id}).`);
        return { commentId: ours.id, action: "unchanged", url: ours.html_url };
      }
      step2 = "update";
      const { data: c2 } = await gh.rest.issues.updateComment({
        owner,
        repo,
        comment_id: ours.id,
        body
      });
      log2.info(`Updated the pull request comment ${c2?.html_url ?? ours.id}.`);
      return { commentId: ours.id, action: "updated", url: c2?.html_url };
    }
    step2 = "post";
    const { data: c } = await gh.rest.issues.createComment({ ...where2, body });
    log2.info(`Commented on pull request #${args.prNumber}: ${c?.html_url ?? c?.id}.`);
    return { commentId: c?.id, action: "created", url: c?.html_url };
  } catch (e) {
    const err = e instanceof GitHubApiError ? e : toGitHubApiError(e, timeoutMs, Date.now());
    const target = step2 === "read the comments of" ? `${step2} pull request #${args.prNumber}` : `${step2} the comment on pull request #${args.prNumber}`;
    const hint = err.status === 401 ? " The github-token is not valid." : err.status === 403 || err.status === 404 ? " Give the job `permissions: pull-requests: write` (or pass a github-token that can comment)." : "";
    return {
      warning: `Could not ${target} (${err.message}); ${args.unaffected ?? "the preview itself is fine"}.${hint}`,
      status: err.status
    };
  }
}

// src/preview/copy.ts
var AIRFLOW3_CONNECTION_ID = /^[\p{L}\p{M}\p{N}\p{Pc}.-]{1,200}$/u;
var isMasked = (v) => typeof v === "string" && /^\*{3,}$/.test(v);
function connectionCopy(c, sourceApiVersion) {
  const copy = { connection_id: c.connection_id, conn_type: c.conn_type };
  for (const k of ["description", "host", "login", "schema", "port"]) {
    if (c[k] !== void 0 && c[k] !== null) copy[k] = c[k];
  }
  const passwordUnknown = sourceApiVersion === 1 ? true : c.password !== void 0 && c.password !== null && c.password !== "";
  if (!passwordUnknown && typeof c.password === "string" && c.password !== "" && !isMasked(c.password)) {
    copy.password = c.password;
  }
  let maskedExtra = false;
  if (typeof c.extra === "string" && c.extra !== "") {
    let parsed;
    try {
      parsed = JSON.parse(c.extra);
    } catch {
      parsed = void 0;
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const clean = stripMasked(parsed);
      maskedExtra = clean.masked;
      copy.extra = JSON.stringify(clean.value);
    } else if (isMasked(c.extra)) {
      maskedExtra = true;
    } else {
      copy.extra = c.extra;
    }
  }
  return { connection: copy, passwordUnknown, maskedExtra };
}
function stripMasked(o) {
  let masked = false;
  const value = {};
  for (const [k, v] of Object.entries(o)) {
    if (isMasked(v)) {
      masked = true;
    } else if (v && typeof v === "object" && !Array.isArray(v)) {
      const inner = stripMasked(v);
      masked ||= inner.masked;
      value[k] = inner.value;
    } else {
      value[k] = v;
    }
  }
  return { value, masked };
}
var poolCopy = (p) => {
  const copy = { name: p.name, slots: p.slots };
  if (p.description !== void 0 && p.description !== null) copy.description = p.description;
  if (p.include_deferred !== void 0) copy.include_deferred = p.include_deferred;
  return copy;
};
var variableCopy = (v) => {
  const copy = { key: v.key, value: v.value };
  if (v.description !== void 0 && v.description !== null) copy.description = v.description;
  return copy;
};
async function eachLimited(items, limit, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
var message = (e) => e instanceof Error ? e.message : String(e);
async function copyAirflowObjects(args) {
  const { from, to, log: log2 } = args;
  const limit = args.concurrency ?? 4;
  const result = {
    connections: { created: 0, updated: 0 },
    variables: { created: 0, updated: 0 },
    pools: { created: 0, updated: 0 },
    connectionsWithoutPassword: [],
    connectionsWithMaskedExtra: [],
    variablesMasked: [],
    connectionsWithoutExtra: [],
    leftAsIs: [],
    connectionIdsRefused: [],
    failures: []
  };
  const count2 = (c, r) => r === "created" ? c.created += 1 : r === "updated" ? c.updated += 1 : 0;
  const copyKind = async (kind2, list, id, one, counts) => {
    let items;
    try {
      items = await list();
    } catch (e) {
      result.failures.push(`Could not list the ${kind2} of the base Deployment: ${message(e)}`);
      return;
    }
    await eachLimited(items, limit, async (x) => {
      try {
        const r = await one(x);
        if (r) count2(counts, r);
        if (r === "exists") result.leftAsIs.push(`${kind2.replace(/s$/, "")} "${id(x)}"`);
      } catch (e) {
        result.failures.push(`Could not copy ${kind2.replace(/s$/, "")} "${id(x)}": ${message(e)}`);
      }
    });
    log2.info(
      `Copied ${kind2}: ${counts.created} created, ${counts.updated} updated (of ${items.length}).`
    );
  };
  if (args.connections) {
    await copyKind(
      "connections",
      () => from.listConnections(),
      (c) => c.connection_id,
      async (c) => {
        if (to.apiVersion === 2 && !AIRFLOW3_CONNECTION_ID.test(c.connection_id)) {
          result.connectionIdsRefused.push(c.connection_id);
          return void 0;
        }
        const { connection, passwordUnknown, maskedExtra } = connectionCopy(c, from.apiVersion);
        const r = await to.upsertConnection(connection);
        if (passwordUnknown) result.connectionsWithoutPassword.push(c.connection_id);
        if (maskedExtra) result.connectionsWithMaskedExtra.push(c.connection_id);
        if (c.extraUnread) {
          result.connectionsWithoutExtra.push(c.connection_id);
          log2.info(`Connection "${c.connection_id}" is copied without its extra: ${c.extraUnread}`);
        }
        return r;
      },
      result.connections
    );
  }
  if (args.variables) {
    await copyKind(
      "variables",
      () => from.listVariables(),
      (v) => v.key,
      async (v) => {
        if (isMasked(v.value)) {
          result.variablesMasked.push(v.key);
          return void 0;
        }
        if (v.value === void 0 || v.value === null)
          throw new Error("the Airflow API listed it without a value");
        return to.upsertVariable(variableCopy(v));
      },
      result.variables
    );
  }
  if (args.pools) {
    await copyKind(
      "pools",
      () => from.listPools(),
      (p) => p.name,
      (p) => to.upsertPool(poolCopy(p)),
      result.pools
    );
  }
  warnLeftOut(result, log2);
  for (const f of result.failures) log2.warning(f);
  return result;
}
function warnLeftOut(result, log2) {
  for (const list of [
    result.connectionsWithoutPassword,
    result.connectionsWithMaskedExtra,
    result.variablesMasked,
    result.connectionsWithoutExtra,
    result.leftAsIs,
    result.connectionIdsRefused
  ]) {
    list.sort();
  }
  if (result.connectionsWithoutPassword.length) {
    log2.warning(
      `The Airflow API does not return connection passwords, so these connections were copied without one; set them on the preview if its DAGs need them: ${result.connectionsWithoutPassword.join(", ")}.`
    );
  }
  if (result.connectionsWithMaskedExtra.length) {
    log2.warning(
      `These connections' extra fields came back masked and those fields were not copied: ${result.connectionsWithMaskedExtra.join(", ")}.`
    );
  }
  if (result.variablesMasked.length) {
    log2.warning(
      `These Airflow variables came back masked and were not copied: ${result.variablesMasked.join(", ")}.`
    );
  }
  if (result.connectionsWithoutExtra.length) {
    log2.warning(
      `These connections were copied without their extra field, which the Airflow API of the base would not give; set it on the preview if its DAGs need it: ${result.connectionsWithoutExtra.join(", ")}.`
    );
  }
  if (result.leftAsIs.length) {
    log2.warning(
      `The preview already has these, and a '/' in the name keeps Astro's proxy from updating them, so they were left as they are (change them in the Airflow UI if they should match the base): ${result.leftAsIs.join(", ")}.`
    );
  }
  if (result.connectionIdsRefused.length) {
    log2.warning(
      `Airflow 3's API takes only letters, digits, '_', '.' and '-' in a connection id, so these connections were not copied; create them on the preview another way (e.g. the Airflow CLI or an environment variable): ${result.connectionIdsRefused.join(", ")}.`
    );
  }
}

// src/flows/preview-extras.ts
async function hasDeployed(api, d) {
  const deploys = await api.listDeploys(d.id);
  return deploys.some((x) => x.status === "DEPLOYED");
}
async function copyObjects(p, base, preview, copied) {
  const { settings, log: log2 } = p;
  if (!settings.copyConnections && !settings.copyVariables && !settings.copyPools) return [];
  return step(p, "Copy Airflow objects", async () => {
    const client = (d) => createAirflowClient({ apiUrl: d.webServerAirflowApiUrl, token: settings.token, log: log2 });
    const from = client(base);
    const to = client(preview);
    await to.waitUntilServing({ timeoutMs: settings.waitMs, name: preview.name });
    const counts = await copyAirflowObjects({
      from,
      to,
      connections: settings.copyConnections,
      variables: settings.copyVariables,
      pools: settings.copyPools,
      log: log2
    });
    const fmt = (c) => `${c.created} created, ${c.updated} updated`;
    const rows = [];
    if (settings.copyConnections) rows.push(["Connections copied", fmt(counts.connections)]);
    if (settings.copyVariables) rows.push(["Variables copied", fmt(counts.variables)]);
    if (settings.copyPools) rows.push(["Pools copied", fmt(counts.pools)]);
    copied.connectionsWithoutPassword = counts.connectionsWithoutPassword;
    const notCopied = [
      ["Variables with masked values (not copied)", counts.variablesMasked],
      ["Connections with masked extra keys (left out)", counts.connectionsWithMaskedExtra],
      ["Connections copied without extra (not readable)", counts.connectionsWithoutExtra],
      ["Already on the preview, left as is ('/' in the name)", counts.leftAsIs],
      ["Connections Airflow 3's API refuses (id)", counts.connectionIdsRefused]
    ];
    if (counts.failures.length) {
      throw new Error(
        `${counts.failures.length} Airflow object(s) could not be copied from ${base.name} to ${preview.name}, so nothing was deployed: ${counts.failures.join("; ")} Set them on ${preview.name} by hand, or delete the preview (action: delete-deployment-preview) and run again to copy everything.`
      );
    }
    for (const [label, items] of notCopied) {
      if (items.length) rows.push([label, cell(items.join("; "))]);
    }
    if (counts.connectionsWithoutPassword.length) {
      const ids = counts.connectionsWithoutPassword.join(", ");
      rows.push(["Connections needing a password", cell(ids)]);
    }
    return rows;
  });
}
async function comment(p, c) {
  const { trigger: t, settings, env, log: log2 } = p;
  if (t.kind !== "pull_request" || settings.dryRun) return;
  if (!settings.githubToken || !env.GITHUB_REPOSITORY) {
    log2.warning(
      `pr-comment is true but ${settings.githubToken ? "GITHUB_REPOSITORY is not set" : "'github-token' is empty"}, so no comment was written; pass github-token: \${{ github.token }} with permissions pull-requests: write.`
    );
    return;
  }
  const { outcome: o, preview, base } = c;
  const marker = commentMarker(base.id, preview.name);
  const server = env.GITHUB_SERVER_URL || "https://github.com";
  const body = previewCommentBody({
    marker,
    base: { id: base.id, name: base.name },
    preview: { id: preview.id, name: preview.name, url: o.deploymentUrl },
    branch: c.branch,
    state: c.state ?? (o.skipped ? "unchanged" : "deployed"),
    deployType: o.deployType,
    reason: o.reason,
    commitSha: t.headSha || t.sha,
    deployId: o.deployId,
    imageTag: o.imageTag,
    dagTarballVersion: o.dagTarballVersion,
    omittedSecrets: c.omittedSecrets ?? [],
    connectionsWithoutPassword: c.connectionsWithoutPassword ?? [],
    runUrl: env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : void 0
  });
  const warning2 = await upsertPrComment({
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    token: settings.githubToken,
    repo: env.GITHUB_REPOSITORY,
    prNumber: t.number,
    body,
    marker,
    log: log2
  });
  if (warning2) log2.warning(warning2);
}

// src/flows/preview.ts
async function previewFlow(mode, p, base, deploy = deployTo) {
  const branch = p.trigger.branch;
  if (!branch) {
    throw new Error(
      `The preview actions need a branch, and ${describeTrigger(p.trigger)} has none; run them on pull_request, push, create or delete events of branches.`
    );
  }
  const name = previewName({ branch, baseName: base.name, explicit: p.settings.previewName });
  p.log.info(`Preview of ${base.name} for branch ${branch}: ${name}.`);
  const ctx = { p, base, branch, name, deploy };
  if (mode === "delete-deployment-preview") return deleteFlow(ctx);
  const creates = mode === "create-deployment-preview" || p.settings.action === "preview" && mode === "deploy-deployment-preview";
  const ready = creates ? await createOrReuse(ctx) : await existing(ctx);
  if (!("preview" in ready)) return ready;
  const { preview } = ready;
  p.journal.known = { ...p.journal.known, deploymentId: preview.id, previewId: preview.id };
  const outcome = await deploy(p, preview, true);
  const result = { ...outcome, previewId: preview.id };
  if (p.settings.prComment && p.trigger.kind === "pull_request" && !p.settings.dryRun) {
    await comment(p, {
      outcome: result,
      preview,
      base,
      branch,
      omittedSecrets: ready.omittedSecrets,
      connectionsWithoutPassword: ready.copied.connectionsWithoutPassword
    });
  }
  return result;
}
async function deleteFlow({ p, base, branch, name }) {
  const args = { api: p.api, base, branch, name, log: p.log };
  if (p.settings.dryRun) {
    const found = await p.previews.existingPreview(args);
    const reason2 = found ? `dry run: would delete preview ${found.name} (${found.id})` : `dry run: no preview of ${base.name} for branch ${branch} exists`;
    p.journal.sections.push(section("Delete preview", reason2));
    return {
      deployType: "none",
      skipped: true,
      reason: reason2,
      previewId: found?.id,
      deploymentId: found?.id
    };
  }
  const result = await step(p, "Delete the preview", () => p.previews.deletePreview(args));
  const reason = result.deleted ? `deleted preview ${result.deleted.name} (${result.deleted.id}) of branch ${branch}` : `no preview of ${base.name} for branch ${branch} exists, so nothing was deleted`;
  p.journal.sections.push(section("Delete preview", reason));
  const outcome = {
    deployType: "none",
    skipped: true,
    reason,
    previewId: result.deleted?.id,
    deploymentId: result.deleted?.id
  };
  if (result.deleted && p.settings.prComment) {
    await comment(p, { outcome, preview: result.deleted, base, branch, state: "deleted" });
  }
  return outcome;
}
async function existing({ p, base, branch, name }) {
  const { api, log: log2, settings } = p;
  let preview = await step(
    p,
    "Find the preview",
    () => p.previews.requirePreview({ api, base, branch, name, log: log2 })
  );
  if (preview.status === "CREATING" && !settings.dryRun) {
    const id = preview.id;
    preview = await step(
      p,
      "Wait for the preview",
      () => p.previews.waitUntilReady({ api, deploymentId: id, log: log2, timeoutMs: settings.waitMs })
    );
  }
  return { preview, omittedSecrets: [], copied: { connectionsWithoutPassword: [] } };
}
async function createOrReuse(ctx) {
  const { p, base, branch, name } = ctx;
  const { api, log: log2, settings } = p;
  const overridden = settings.previewOverrides.isDagDeployEnabled;
  const dagDeploysOn = (typeof overridden === "boolean" ? overridden : base.isDagDeployEnabled) === true;
  assertDeployTypeFits(settings.deployType, dagDeploysOn);
  const ws = await p.checkout();
  await checkProject(ws.git, ws.head, ws.repoRoot, settings, dagDeploysOn);
  const args = { api, base, branch, name, log: log2 };
  if (settings.dryRun) {
    const found = await p.previews.existingPreview(args);
    if (found)
      return { preview: found, omittedSecrets: [], copied: { connectionsWithoutPassword: [] } };
    const reason = `dry run: would create preview ${name} from ${base.name} and deploy the whole project to it`;
    p.journal.sections.push(section("Preview", reason));
    return { deployType: "none", skipped: true, reason };
  }
  if (needsDockerWhenFresh(settings) && !await p.previews.existingPreview(args))
    await requireDocker(p);
  if (settings.deployType === "dbt")
    await dbtBundle(path18.join(ws.repoRoot, settings.rootFolder), settings);
  const created = await step(
    p,
    "Create the preview",
    () => p.previews.createPreview({
      ...args,
      overrides: settings.previewOverrides,
      timeoutMs: settings.waitMs,
      journal: p.journal
    })
  );
  const preview = created.preview;
  p.journal.known = { ...p.journal.known, deploymentId: preview.id, previewId: preview.id };
  const rows = [
    [
      "Preview",
      `${cell(preview.name)} (\`${preview.id}\`) ${created.created ? "created" : "reused"}`
    ],
    ["Base", `${cell(base.name)} (\`${base.id}\`)`]
  ];
  if (created.omittedSecrets.length)
    rows.push(["Secret variables not copied", cell(created.omittedSecrets.join(", "))]);
  const copied = { connectionsWithoutPassword: [] };
  if (created.created || !await hasDeployed(api, preview)) {
    if (!created.created)
      log2.info(`${preview.name} has never been deployed to: copying the Airflow objects now.`);
    rows.push(...await copyObjects(p, base, preview, copied));
  }
  p.journal.sections.push(previewSection(rows));
  return { preview, omittedSecrets: created.omittedSecrets, copied };
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
  let message2 = messageOf(err);
  message2 += deployNote(deploy, message2, !fromApi) + journal2.notes.join("");
  if (journal2.step && fromApi && (status === 0 || status === 429 || status >= 500))
    message2 = `${journal2.step} failed: ${message2}`;
  const created = journal2.previews[journal2.previews.length - 1];
  if (created && !created.told) message2 += previewNote(created);
  journal2.sections.push(section("Failed", message2));
  const outcome = stopped(journal2, message2, deploy);
  if (created) outcome.previewId = created.id;
  return { message: message2, outcome };
}
function cancellation(signal, journal2, problems) {
  const where2 = journal2.step ? ` during '${journal2.step}'` : "";
  let message2 = problems.length ? `The run was cancelled (${signal})${where2}. ${problems.join(" ")}` : `The run was cancelled (${signal})${where2}; any hibernation override it changed was put back, and running again continues from what is live.`;
  const deploy = journal2.openDeploy;
  if (deploy?.stage === "finalized")
    message2 += ` Deploy ${deploy.id} had been finalized on ${deploy.name} and may still go live; check the Deployment's deploy history.`;
  else if (deploy)
    message2 += ` Deploy ${deploy.id} was created on ${deploy.name} but not finalized, so nothing of it goes live; the next run deploys again.`;
  const created = journal2.previews[journal2.previews.length - 1];
  if (created) message2 += previewNote(created);
  journal2.sections.push(section("Cancelled", message2));
  return { message: message2, outcome: stopped(journal2, message2, deploy) };
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
  constructor(kind2, message2) {
    super(message2);
    this.kind = kind2;
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
  const { preview, foreign } = await findPreview(args);
  if (!preview && foreign)
    throw new PreviewError("foreign", foreignMessage(foreign, args.base, args.branch));
  return preview;
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
  const omittedSecrets = [];
  const env = [];
  for (const v of base.environmentVariables ?? []) {
    if (v.isSecret) omittedSecrets.push(v.key);
    else env.push({ key: v.key, isSecret: false, value: v.value ?? "" });
  }
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
    defaultTaskPodCpu: hybrid ? void 0 : base.defaultTaskPodCpu,
    defaultTaskPodMemory: hybrid ? void 0 : base.defaultTaskPodMemory,
    resourceQuotaCpu: hybrid ? void 0 : base.resourceQuotaCpu,
    resourceQuotaMemory: hybrid ? void 0 : base.resourceQuotaMemory,
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
    workloadIdentity
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
  const found = await findPreview(args);
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
    const status = e.status;
    if (status !== 400 && status !== 409) throw e;
    const again2 = await findPreview({ ...args, legacy: false });
    if (again2.preview) {
      log2.info(
        `Another run created the preview ${again2.preview.name} (${again2.preview.id}) for branch ${branch} at the same time; using it.`
      );
      return reuse(again2.preview);
    }
    if (again2.foreign)
      throw new PreviewError("foreign", foreignMessage(again2.foreign, base, branch));
    throw e;
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
import fs6 from "node:fs/promises";

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
    const [subject = "", authorName = "", authorEmail = "", time2 = "0"] = out.replace(/\n$/, "").split("\0");
    return { subject, authorName, authorEmail, time: Number(time2) };
  }
};
function authEnv(serverUrl, token, env = process.env) {
  if (!token || !/^https:\/\//i.test(serverUrl)) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return headerEnv(serverUrl, `AUTHORIZATION: basic ${basic}`, env);
}
function headerEnv(serverUrl, header2, env = process.env) {
  const first = Number.parseInt(env.GIT_CONFIG_COUNT ?? "0", 10) || 0;
  const key = `http.${serverUrl.replace(/\/+$/, "")}/.extraheader`;
  return {
    GIT_CONFIG_COUNT: String(first + 2),
    [`GIT_CONFIG_KEY_${first}`]: key,
    [`GIT_CONFIG_VALUE_${first}`]: "",
    [`GIT_CONFIG_KEY_${first + 1}`]: key,
    [`GIT_CONFIG_VALUE_${first + 1}`]: header2
  };
}

// src/platform/checkout.ts
async function prepareCheckout(settings, env, log2) {
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  const gitEnv = authEnv(serverUrl, settings.githubToken);
  const dir = settings.checkoutDir;
  await fs6.mkdir(dir, { recursive: true });
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
  if (env.ASTRO_API_TOKEN?.trim()) {
    setSecret(env.ASTRO_API_TOKEN.trim());
    const bare = stripBearer(env.ASTRO_API_TOKEN);
    if (bare) setSecret(bare);
  }
  try {
    const trigger = parseTrigger(env.GITHUB_EVENT_NAME ?? "", readEvent(env), env);
    const fork = trigger.kind === "pull_request" && trigger.eventName === "pull_request" && trigger.fromFork;
    const settings = readSettings((name) => getInput(name), env, { tokenOptional: fork });
    if (settings.githubToken) setSecret(settings.githubToken);
    for (const n of settings.notices) notice(n);
    log.info(`Event: ${describeTrigger(trigger)}.`);
    if (fork && !settings.token) return await skipFork(trigger, journal2, env);
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
      docker: () => createDocker({ log }),
      checkout: () => ws ??= step(parts, "Prepare the repository", () => prepareCheckout(settings, env, log))
    };
    const mode = resolveMode(settings.action, trigger);
    const base = await step(
      parts,
      "Find the Deployment",
      () => resolveDeployment(api, settings, log)
    );
    const outcome = mode === "deploy" ? await deployFlow(parts, base) : await previewFlow(mode, parts, base);
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
  const { message: message2, outcome } = failure(err, journal2);
  await report(journal2, env);
  setOutputs(outcome);
  setFailed(message2);
}
async function skipFork(trigger, journal2, env) {
  const reason = `${describeTrigger(trigger)} comes from a fork, and GitHub gives such runs no secrets, so ASTRO_API_TOKEN is empty and nothing was deployed; add \`if: github.event.pull_request.head.repo.full_name == github.repository\` to the job to skip it without this notice`;
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
  const { message: message2, outcome } = cancellation(signal, journal2, problems);
  setOutputs(outcome);
  await report(journal2, env);
  setFailed(message2);
}
function readEvent(env) {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs7.existsSync(file)) return {};
  try {
    return JSON.parse(fs7.readFileSync(file, "utf8"));
  } catch {
    throw new Error(`The event file ${file} is not valid JSON.`);
  }
}

// src/index.ts
var journal = new Journal((name, value) => saveState(name, value));
handleSignals((signal) => cancelled(signal, journal));
await run(process.env, journal);
