import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  apiTypeIsBundle,
  apiTypeShipsDags,
  apiTypeShipsImage,
  assertDeployable,
  buildsImage,
  finalizedShows,
  inputIsBundle,
  isBundle,
  joinRel,
  kindOfInput,
  shipsDagFolder
} from "./chunk-U5E27BD7.js";
import {
  cell,
  codeCell,
  table
} from "./chunk-YBDEDHWX.js";

// src/project/check.ts
import fs from "node:fs/promises";
import path from "node:path";
var ProjectError = class extends Error {
  name = "ProjectError";
};
async function readCommitTree(git, commit) {
  return parseTree(await git.run(["ls-tree", "-r", "-t", "-z", "--full-tree", commit]));
}
async function readPaths(git, commit, paths) {
  const args = ["--literal-pathspecs", "ls-tree", "-t", "-z", "--full-tree", commit, "--"];
  return parseTree(await git.run([...args, ...paths]));
}
function parseTree(out) {
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
  const wanted = [
    input.rootFolder,
    joinRel(input.rootFolder, "Dockerfile"),
    joinRel(input.rootFolder, "dbt_project.yml"),
    joinRel(input.rootFolder, input.dagsPath)
  ].filter((p) => p !== "");
  if (!projectProblem(await readPaths(git, head, wanted), input)) return;
  const tree = await readCommitTree(git, head);
  const problem = projectProblem(tree, input);
  if (!problem) return;
  const root = input.rootFolder;
  const dags = joinRel(root, input.dagsPath);
  for (const rel of [root, dags]) {
    if (rel && await kind(path.join(repoRoot, rel)) === "dir") tree.dirs.add(rel);
  }
  for (const name of ["Dockerfile", "dbt_project.yml"]) {
    const rel = joinRel(root, name);
    if (await kind(path.join(repoRoot, rel)) === "file") tree.files.add(rel);
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
import { promises as fs2 } from "node:fs";
import * as path2 from "node:path";
async function dbtBundle(projectDir, given) {
  return {
    mountPath: given.mountPath || `/usr/local/airflow/dbt/${await dbtProjectName(projectDir)}`,
    bundleType: given.bundleType || "dbt"
  };
}
async function dbtProjectName(projectDir) {
  const file = path2.join(projectDir, "dbt_project.yml");
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
    doc = (await import("./chunk-IYQ7H3O3.js")).default.parse(text);
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

// src/decide/remote-execution.ts
var isRemoteExecution = (d) => d.remoteExecution?.enabled === true;
var AGENT_DAGS = "its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro";
function remoteExecutionNote(name) {
  return `${name} is a Remote Execution Deployment: a deploy updates only the image Astro runs; the agents' images and DAG bundles are updated outside Astro, where the agents run.`;
}

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
function airflowMajorOf(x) {
  const byRuntime = x.astroRuntimeVersion ? airflowMajor(x.astroRuntimeVersion) : void 0;
  const byAirflow = /^(\d+)\./.exec(x.airflowVersion ?? "")?.[1];
  return byRuntime ?? (byAirflow ? Number(byAirflow) : void 0);
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

// src/decide/plan.ts
var PlanError = class extends Error {
  name = "PlanError";
};
var count = (paths, what) => `${paths.length} ${what} path${paths.length === 1 ? "" : "s"} changed`;
function bundleRefusal(dagDeployEnabled, remoteExecution, target) {
  const where = `${target.name} (${target.id})`;
  if (remoteExecution)
    return `Bundle deploys cannot go to ${where}, a Remote Execution Deployment, which has DAG deploys off: ${AGENT_DAGS}; put them in the agents' DAG bundles instead, or use deploy-type: image-and-dags to deploy its image.`;
  if (!dagDeployEnabled)
    return `Bundle deploys need DAG deploys enabled on ${where}; enable them in the Deployment settings, or use deploy-type: image-and-dags.`;
  return void 0;
}
function assertDeployTypeFits(type, dagDeployEnabled, remoteExecution = false, target = { name: "this Deployment", id: "unknown id" }) {
  const bundle2 = inputIsBundle(type) && bundleRefusal(dagDeployEnabled, remoteExecution, target);
  if (bundle2) throw new PlanError(bundle2);
  if (type === "dags-only" && remoteExecution) {
    throw new PlanError(
      `'deploy-type: dags-only' cannot deploy to a Remote Execution Deployment: ${AGENT_DAGS}; update the agents' DAG bundles instead, or use 'deploy-type: image-and-dags' to deploy its image.`
    );
  }
  if (type === "dags-only" && !dagDeployEnabled) {
    throw new PlanError(
      "'deploy-type: dags-only' needs DAG deploys, which this Deployment has disabled; enable DAG deploys on it or use 'deploy-type: image-and-dags'."
    );
  }
  if (type === "image-only" && !dagDeployEnabled && !remoteExecution) {
    throw new PlanError(
      "'deploy-type: image-only' needs DAG deploys, which this Deployment has disabled (Astro then takes only deploys that carry the DAGs in the image); use 'deploy-type: image-and-dags', or enable DAG deploys on it."
    );
  }
}
function decide(input) {
  const { deployType: type } = input;
  assertDeployTypeFits(type, input.dagDeployEnabled, input.remoteExecution, input.target);
  const stale = staleReason(input);
  if (stale) return { ...none(stale), stale: true };
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
  if (input.remoteExecution)
    return remoteNone(input, "no image path changed since the live deploy");
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
  if (input.remoteExecution)
    return remoteNone(input, "no image path changed since the live image deploy");
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
  if (input.newerMaybe)
    return finalizing ? `a later run's deploy of a newer commit ${sha} may be on its way (the Deployment is DEPLOYING and that deploy was made after the live one), so this older commit's deploy was not finalized (left unfinalized, it changes nothing)` : `a later run's deploy of a newer commit ${sha} may be on its way (the Deployment is DEPLOYING and that deploy was made after the live one), so this older commit is not deployed`;
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
  if (input.remoteExecution)
    return remoteNone(input, "nothing relevant changed since the live deploy");
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
function remoteNone(input, unchanged) {
  const dags = input.dagChangesSinceImage ?? [];
  if (!dags.length) return none(unchanged);
  return none(
    `only DAG paths changed (${dags.length}) and this is a Remote Execution Deployment, so no Astro deploy is needed: ${AGENT_DAGS}`
  );
}
function none(reason) {
  return { kind: "none", reason };
}

// src/astro/product.ts
async function onHybrid(api, d, log) {
  try {
    const { product } = await api.getOrganization();
    return { hybrid: product !== "HOSTED", product };
  } catch (e) {
    const hybrid = d.type === "HYBRID";
    log.info(
      `Could not read organization ${d.organizationId} (${e.message}); ${d.name} is a ${d.type ?? "typeless"} Deployment, so it is taken as Astro ${hybrid ? "Hybrid" : "Hosted"}.`
    );
    return { hybrid };
  }
}

// src/deploy/preflight.ts
import { promises as fs3 } from "node:fs";
import * as path3 from "node:path";

// src/deploy/request.ts
var DeployError = class extends Error {
  name = "DeployError";
};

// src/deploy/preflight.ts
var MAX_DESCRIPTION = 500;
function cutDescription(text) {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}\u2026` : text;
}
async function pathKind(p) {
  try {
    return (await fs3.stat(p)).isDirectory() ? "dir" : "other";
  } catch {
    return "missing";
  }
}
async function plannedRuntimeRefusal(o) {
  if (o.imageName) return void 0;
  const text = await fs3.readFile(path3.join(o.projectDir, "Dockerfile"), "utf8").catch(() => "");
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
  const remote = isRemoteExecution(d);
  const bundle2 = isBundle2 && bundleRefusal(d.isDagDeployEnabled, remote, d);
  if (bundle2) throw new DeployError(bundle2);
  if (kind2 === "dags-only" && remote) {
    throw new DeployError(
      `DAG-only deploys cannot go to ${d.name} (${d.id}), a Remote Execution Deployment, which has DAG deploys off: ${AGENT_DAGS}; put them in the agents' DAG bundles instead, or use deploy-type: image-and-dags to deploy its image.`
    );
  }
  if (kind2 === "dags-only" && !d.isDagDeployEnabled) {
    throw new DeployError(
      `DAG-only deploys need DAG deploys enabled on ${d.name} (${d.id}); enable them in the Deployment settings, or use deploy-type: image-and-dags.`
    );
  }
  if (kind2 === "image-only" && !d.isDagDeployEnabled && !remote) {
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
  const description = req.description && cutDescription(req.description);
  if (description !== req.description) {
    warnings.push(
      `The deploy description was cut to ${MAX_DESCRIPTION} characters (the API's limit).`
    );
  }
  return { isImage, isBundle: isBundle2, shipsDags, bundleType, mountPath, description };
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

// src/decide/baselines.ts
function finalizedSigns(d, running = {}) {
  if (finalizedShows(d)) return true;
  return d.status === "INITIALIZED" && apiTypeShipsImage(d.type) && !!d.imageTag && d.imageTag === running.imageTag;
}
function isBundleDeploy(d) {
  return Boolean(d.bundleMountPath) || apiTypeIsBundle(d.type);
}
var time = (d) => Date.parse(d.createdAt);
function liveDeploys(history, bundle2 = {}, running = {}) {
  const newestFirst = [...history].sort((a, b) => time(b) - time(a));
  const finalized = (d) => d.status === "DEPLOYED";
  const code = newestFirst.filter((d) => !isBundleDeploy(d));
  const images = code.filter((d) => apiTypeShipsImage(d.type));
  const dagDeploys = code.filter((d) => apiTypeShipsDags(d.type));
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
  const fromLive = (list, live) => live ? list.filter((d) => d === live || finalizedSigns(d, running) && time(d) > time(live)) : [];
  const maybe = !bundleMode && image && running.status === "DEPLOYING" ? images.filter(
    (d) => d.status === "INITIALIZED" && time(d) > time(image) && !finalizedSigns(d, running)
  ) : [];
  const current = bundleMode ? fromLive(bundles, liveBundle) : [.../* @__PURE__ */ new Set([...fromLive(images, image), ...fromLive(dagDeploys, dags)])].sort(
    (a, b) => time(b) - time(a)
  );
  return { image, dags, bundle: liveBundle, current, maybe };
}

export {
  finalizedSigns,
  isBundleDeploy,
  liveDeploys,
  checkProject,
  dbtBundle,
  isRemoteExecution,
  AGENT_DAGS,
  remoteExecutionNote,
  airflowMajor,
  airflowMajorOf,
  runtimeRefusal,
  assertDeployTypeFits,
  decide,
  staleReason,
  DeployError,
  onHybrid,
  cutDescription,
  plannedRuntimeRefusal,
  shipsDagFolder2 as shipsDagFolder,
  assertDagFolder,
  preflight,
  outputs,
  deploymentUrl,
  decisionMarkdown
};
