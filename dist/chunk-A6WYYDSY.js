import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  DEFAULT_TIMEOUT_MS,
  NetworkError,
  exec,
  send,
  withoutQuery
} from "./chunk-35VZ4DYC.js";
import {
  AGENT_DAGS,
  DeployError,
  airflowMajor,
  airflowMajorOf,
  assertDagFolder,
  checkProject,
  dbtBundle,
  decide,
  decisionMarkdown,
  deploymentUrl,
  finalizedSigns,
  isRemoteExecution,
  liveDeploys,
  onHybrid,
  plannedRuntimeRefusal,
  preflight,
  remoteExecutionNote,
  runtimeRefusal,
  shipsDagFolder,
  staleReason
} from "./chunk-GUW7CTVJ.js";
import {
  Journal,
  apiTypeOf,
  apiTypeShipsDags,
  apiTypeShipsImage,
  assertDeployable,
  buildsImage,
  imagesBefore,
  inputIsBundle,
  isHibernating,
  isInside,
  kindOfInput,
  relativeTo,
  waitUntilLive,
  wakeDeployment
} from "./chunk-U5E27BD7.js";
import {
  startOnGitHub,
  step,
  unchangedOnGitHub
} from "./chunk-FVFCPJAK.js";
import {
  cell,
  clockOf,
  clockWith,
  codeCell,
  escapeMarkdown,
  formatDelay,
  parseRetryAfter,
  policyOf,
  table,
  withRetry
} from "./chunk-YBDEDHWX.js";

// src/report-summary.ts
function liveMarkdown(r, log) {
  const rows = [["Deploy", `\`${r.deployId}\``]];
  if (r.imageTag) rows.push(["Image tag", `\`${r.imageTag}\``]);
  if (r.dagTarballVersion) rows.push(["DAG tarball version", `\`${r.dagTarballVersion}\``]);
  if (r.dagBundleName) rows.push(["DAG bundle", cell(r.dagBundleName)]);
  if (r.bundleVersion) rows.push(["Bundle version", `\`${r.bundleVersion}\``]);
  rows.push(["Live after", `${(r.liveAfterMs / 1e3).toFixed(1)} s`]);
  for (const w of r.warnings) {
    log.warning(w);
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
function paragraph(text) {
  return `${escapeMarkdown(text)}
`;
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
async function writeSummary(journal, env, write, log) {
  if (!env.GITHUB_STEP_SUMMARY || journal.sections.length === 0) return;
  try {
    await write(`## Astro deploy

${journal.sections.join("\n")}`);
  } catch (err) {
    log.warning(`Could not write the job summary: ${err.message}`);
  }
}

// src/flows/checks.ts
import path9 from "node:path";

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

// src/checks/run.ts
import { existsSync, statSync } from "node:fs";
import { chmod, readFile, writeFile } from "node:fs/promises";
import path4 from "node:path";

// src/platform/docker-cli.ts
import { constants as fsConstants } from "node:fs";
import { access, realpath } from "node:fs/promises";
import path from "node:path";
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
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, "docker");
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
import path2 from "node:path";
var live = /* @__PURE__ */ new Set();
var hooked = false;
function tempRoot(env = process.env) {
  return env.RUNNER_TEMP || os.tmpdir();
}
function makeTempDir(prefix) {
  const dir = mkdtempSync(path2.join(tempRoot(), prefix));
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

// src/checks/parse.ts
import path3 from "node:path";
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
  return path3.posix.normalize(a) === path3.posix.normalize(b);
}
function projectRelative(containerPath, containerProject = CONTAINER_PROJECT) {
  const p = path3.posix.normalize(containerPath);
  if (!p.startsWith("/")) return p.startsWith("../") ? void 0 : p.replace(/^\.\//, "");
  const rel = path3.posix.relative(containerProject, p);
  return rel === "" || rel.startsWith("../") ? void 0 : rel;
}
function repoPath(projectInRepo, projectRel) {
  return path3.posix.join(projectInRepo || ".", projectRel).replace(/^\.\//, "");
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
function oneLine(message, max = 500) {
  const first = message.trim().split("\n")[0].trim();
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
    const abs = rel !== void 0 ? path3.posix.join(CONTAINER_PROJECT, rel) : m[1].trim();
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
  return p.split(path4.sep).join("/");
}
async function runChecks(o) {
  const projectDir = path4.resolve(o.projectDir);
  const projectInRepo = toPosix(path4.relative(path4.resolve(o.repoRoot), projectDir));
  const dagsRel = toPosix(path4.normalize(o.dagsPath || "dags")).replace(/\/+$/, "");
  const problems = [];
  const parts = [];
  if (!o.parse && !o.pytest) return { ok: true, problems, summary: "" };
  const resolve2 = (p, extraBases = []) => {
    const rel = projectRelative(p);
    for (const cand of [rel, ...extraBases.map((b) => path4.posix.join(b, p))]) {
      if (cand === void 0 || cand.startsWith("../")) continue;
      if (existsSync(path4.join(projectDir, cand))) return path4.posix.normalize(cand);
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
        AIRFLOW__CORE__DAGS_FOLDER: path4.posix.join(CONTAINER_PROJECT, dagsRel),
        AIRFLOW__CORE__LOAD_EXAMPLES: "False",
        AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACKS: "True",
        AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACK_DEPTH: "50"
      }
    });
    const pytestArgs = (target, report) => [
      "-m",
      "pytest",
      target,
      `--junitxml=${WORK_MOUNT}/${report}`,
      "-o",
      "junit_family=xunit1",
      "-p",
      "no:cacheprovider",
      "-q",
      "-rN"
    ];
    const readReport = async (report) => {
      const xml = await readFile(path4.join(work, report), "utf8").catch(() => void 0);
      return xml === void 0 ? void 0 : parseJUnit(xml);
    };
    const failedRun = (what, r) => ({
      kind: what === "pytest" ? "pytest" : "parse",
      message: `${what} did not run to the end in ${o.image} (exit code ${r.exitCode}): ${outputTail(r, 3) || "no output"}`,
      detail: `${r.stdout}
${r.stderr}`.trim()
    });
    if (o.parse) {
      const own = !existsSync(path4.join(projectDir, INTEGRITY_TEST));
      const exceptions = parseExceptions(
        await readFile(path4.join(projectDir, INTEGRITY_EXCEPTIONS), "utf8").catch(() => "")
      );
      const found = [];
      let note = "";
      if (own) {
        o.log.info(`Parse check: importing the DAGs in ${dagsRel}/ inside ${o.image}`);
        const r = await runPython([
          `${WORK_MOUNT}/dag_check.py`,
          path4.posix.join(CONTAINER_PROJECT, dagsRel)
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
  await writeFile(path4.join(work, "boot.py"), BOOT_PY);
  await writeFile(path4.join(work, "dag_check.py"), DAG_CHECK_PY);
}
function ownCheckNote(result) {
  const how = result.engine === "dagbag" ? " by DagBag" : ", Airflow not importable: plain imports";
  return `${result.dags} DAG${result.dags === 1 ? "" : "s"} loaded${how}`;
}
function logProblems(log, problems) {
  for (const p of problems)
    log.debug(`${p.kind}: ${p.file ?? ""}${p.line ? `:${p.line}` : ""} ${p.message}`);
}
function acceptedProblems(found, exceptions, projectInRepo) {
  const prefix = projectInRepo ? `${projectInRepo}/` : "";
  return found.filter(
    (p) => p.file && exceptions.has(p.file.startsWith(prefix) ? p.file.slice(prefix.length) : p.file)
  );
}
function pytestBase(projectDir, target) {
  const targetRel = toPosix(path4.normalize(target)).replace(/\/+$/, "");
  const isDir = existsSync(path4.join(projectDir, targetRel)) && statSync(path4.join(projectDir, targetRel)).isDirectory();
  return isDir ? targetRel : path4.posix.dirname(targetRel);
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

// src/deploy/execute.ts
import { promises as fs2 } from "node:fs";
import * as path8 from "node:path";

// src/astro/upload.ts
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
var MiB = 1024 * 1024;
var MS_VERSION = "2023-11-03";
var UploadError = class extends Error {
  constructor(status, message, retryAfterMs, code) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.code = code;
    this.name = "UploadError";
  }
  status;
  retryAfterMs;
  code;
};
async function uploadBlob(options) {
  const { url, file, log } = options;
  const blockSize = options.blockSize ?? 8 * MiB;
  const singlePutLimit = options.singlePutLimit ?? 64 * MiB;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const clock = clockOf(options);
  const policy = policyOf(options);
  const where = withoutQuery(url);
  const contentType = options.contentType ?? (/\.(tgz|gz)$/i.test(file) ? "application/gzip" : "application/x-tar");
  const size = (await stat(file)).size;
  const timeoutFor = (bytes) => options.timeoutMs ?? DEFAULT_TIMEOUT_MS + Math.ceil(bytes / MiB) * 1e3;
  const put = (label, target, headers, body2, bytes) => withRetry({
    label: `PUT ${label}`,
    kind: "safe",
    policy,
    clock,
    log,
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
            `upload to ${where} got no reply (${err.message})`,
            void 0,
            err.code
          );
        throw err;
      }
      if (reply2.status === 201 || reply2.status === 200) return reply2;
      const code = /<Code>([^<]*)<\/Code>/.exec(reply2.text)?.[1] ?? reply2.text.slice(0, 120);
      throw new UploadError(
        reply2.status,
        `upload to ${where} failed with ${reply2.status}${code ? ` (${code})` : ""}`,
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
        `upload to ${where} returned no x-ms-version-id; blob versioning must be on for Astro deploys`
      );
    return id;
  };
  const started = clock.now();
  if (size <= singlePutLimit) {
    log.info(`uploading ${formatSize(size)} to ${where}`);
    const reply2 = await put(
      where,
      url,
      { "x-ms-blob-type": "BlockBlob", "content-type": contentType },
      () => size ? createReadStream(file) : Buffer.alloc(0),
      size
    );
    const version2 = versionOf(reply2);
    log.info(
      `uploaded ${formatSize(size)} in ${formatDelay(clock.now() - started)} (version ${version2})`
    );
    return version2;
  }
  const count = Math.ceil(size / blockSize);
  const ids = Array.from(
    { length: count },
    (_, i) => Buffer.from(`block-${String(i).padStart(6, "0")}`).toString("base64")
  );
  log.info(
    `uploading ${formatSize(size)} to ${where} in ${count} blocks of ${formatSize(blockSize)}`
  );
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const start = i * blockSize;
      const end = Math.min(size, start + blockSize) - 1;
      await put(
        `${where} (block ${i + 1} of ${count})`,
        withQuery(url, `comp=block&blockid=${encodeURIComponent(ids[i])}`),
        {},
        () => createReadStream(file, { start, end }),
        end - start + 1
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
  const body = Buffer.from(xml, "utf8");
  const reply = await put(
    `${where} (block list)`,
    withQuery(url, "comp=blocklist"),
    { "content-type": "application/xml", "x-ms-blob-content-type": contentType },
    () => body,
    body.length
  );
  const version = versionOf(reply);
  log.info(
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
  const { api, log, clock } = o;
  const d = req.deployment;
  const id = s.deploy.id;
  const guard = req.beforeFinalize ? await req.beforeFinalize() : {};
  const stale = guard.stale;
  if (stale) {
    log.info(`Not finalizing deploy ${id}: ${stale}.`);
    return {
      deployId: id,
      kind: req.kind,
      liveAfterMs: 0,
      notFinalized: stale,
      warnings: o.warnings
    };
  }
  const finalizeBody = s.dagTarballVersion ? { dagTarballVersion: s.dagTarballVersion } : s.bundleVersion ? { bundleTarballVersion: s.bundleVersion } : {};
  const earlier = req.waitMs > 0 ? await earlierOf(api, req, s, o.before, guard.history) : {};
  o.journal.deployStage(id, "finalizing");
  await api.finalizeDeploy(d.id, id, finalizeBody);
  o.journal.deployStage(id, "finalized");
  const finalizedAt = clock.now();
  log.info(`Finalized deploy ${id}.`);
  const target = liveTargetOf(req, pre, s, earlier);
  const tarball = o.tarball;
  const result = {
    deployId: id,
    kind: req.kind,
    imageTag: s.imageTag,
    imageRef: s.imageRef,
    dagTarballVersion: s.dagTarballVersion,
    dagBundleName: s.dagTarballVersion ? req.dagBundleName : void 0,
    bundleVersion: s.bundleVersion,
    bundleMountPath: pre.mountPath,
    tarball: tarball && { bytes: tarball.bytes, files: tarball.files, sha256: tarball.sha256 },
    liveAfterMs: 0,
    warnings: o.warnings
  };
  if (req.waitMs <= 0) {
    log.info("Not waiting for the deploy to go live (wait-time is 0).");
    return result;
  }
  const w = await waitUntilLive({
    api,
    deploymentId: d.id,
    target,
    before: o.before,
    waitMs: Math.max(1e3, req.waitMs - o.wakeWaitMs),
    log,
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
async function earlierOf(api, req, s, before, history) {
  const named = s.dagTarballVersion && req.dagBundleName;
  return {
    bundle: named ? bundleVersions(await api.listDagBundles(req.deployment.id), named) : void 0,
    imageTags: s.imageTag ? imagesBefore(
      history ?? await api.listDeploys(req.deployment.id),
      s.deploy.id,
      before.imageTag
    ) : void 0
  };
}
function bundleVersions(bundles, name) {
  const b = bundles.find((x) => x.name === name);
  return [b?.desiredVersion, b?.currentVersion].filter((v) => Boolean(v));
}
function liveTargetOf(req, pre, s, earlier) {
  const target = { deployId: s.deploy.id };
  if (s.dagTarballVersion && req.dagBundleName)
    target.dagBundle = {
      name: req.dagBundleName,
      version: s.dagTarballVersion,
      earlier: earlier.bundle
    };
  else if (s.dagTarballVersion) target.dagTarballVersion = s.dagTarballVersion;
  if (s.imageTag) target.imageTag = s.imageTag;
  if (earlier.imageTags?.length) target.earlierImageTags = earlier.imageTags;
  if (s.bundleVersion && pre.mountPath)
    target.bundle = { version: s.bundleVersion, mountPath: pre.mountPath };
  return target;
}

// src/deploy/image.ts
import { randomBytes } from "node:crypto";
import * as path5 from "node:path";
var RUNTIME_LABEL = "io.astronomer.docker.runtime.version";
function localTag(deploymentId) {
  const id = deploymentId.toLowerCase().replace(/[^a-z0-9]/g, "") || "deployment";
  return `astro-deploy-${id}:local-${randomBytes(6).toString("hex")}`;
}
async function liveImageForCache(docker, d, token, log) {
  if (!d.imageRepository || !d.imageTag) return [];
  try {
    const { host, repo } = parseImageRepository(d.imageRepository);
    await docker.login(host, REGISTRY_USER, token);
    return [`${repo}:${d.imageTag}`];
  } catch (e) {
    log.info(
      `The Deployment's current image cannot serve as a build cache (${e.message}); building without it.`
    );
    return [];
  }
}
async function build(req, docker, log) {
  const d = req.deployment;
  const image = localTag(d.id);
  const remote = isRemoteExecution(d);
  const exclude = [];
  const keep = [];
  const rel = path5.relative(req.projectDir, req.dagsDir).split(path5.sep).join("/");
  if (rel && !rel.startsWith("..")) (d.isDagDeployEnabled || remote ? exclude : keep).push(rel);
  const why = remote ? "the Remote Execution agents' DAG bundles have them" : "DAGs ship separately";
  log.info(
    `Building the image of ${req.projectDir} for linux/amd64` + (exclude.length ? ` (without ${exclude[0]}/: ${why})` : "") + "."
  );
  await docker.build({
    context: req.projectDir,
    tag: image,
    platform: "linux/amd64",
    secrets: req.buildSecrets,
    exclude,
    keep,
    cacheFrom: await liveImageForCache(docker, d, req.token, log),
    inlineCache: true
  });
  return image;
}
async function prepareImage(req, o) {
  const { api, docker, log } = o;
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
    log.info(`Deploying the prebuilt image ${image}.`);
  } else {
    image = await build(req, docker, log);
    o.built.push(image);
  }
  const runtime = await docker.imageLabel(image, RUNTIME_LABEL);
  if (!runtime) {
    throw new DeployError(
      `The image ${image} has no ${RUNTIME_LABEL} label, so it is not based on Astro Runtime; Astro only runs images built FROM an Astro Runtime image (astro-runtime).`
    );
  }
  log.info(`The image is based on Astro Runtime ${runtime}.`);
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
import * as path7 from "node:path";

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
  promises as fs,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync
} from "node:fs";
import * as path6 from "node:path";
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
  return noDagsBaseDir ? "" : path6.basename(path6.resolve(dagsDir));
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
  const rel = path6.relative(root, p);
  return rel === "" || !rel.startsWith(".." + path6.sep) && rel !== ".." && !path6.isAbsolute(rel);
}
async function collect(dir, prefix, skipped) {
  const root = path6.resolve(dir);
  const realRoot = await fs.realpath(root);
  const entries = [];
  const outside = [];
  function walk(absDir, relDir) {
    const dirents = readdirSync(absDir, { withFileTypes: true });
    for (const d of dirents) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      const abs = path6.join(absDir, d.name);
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
        const lexical = path6.resolve(absDir, target);
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
        const within = isInside2(root, lexical) ? lexical : path6.join(root, path6.relative(realRoot, resolved));
        const linkname = path6.relative(absDir, within).split(path6.sep).join("/") || ".";
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
  const st = await fs.stat(opts.dir).catch(() => void 0);
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
async function hybridMonitoring(api, d, log) {
  if (d.type !== "HYBRID") return false;
  return needsMonitoringDag((await onHybrid(api, d, log)).product, d.type);
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
    out: path7.join(o.work, "dags.tar.gz"),
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
    out: path7.join(o.work, "bundle.tar.gz"),
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

// src/deploy/ship.ts
function createRequest(req, pre) {
  const body = {
    type: apiTypeOf(req.kind, isRemoteExecution(req.deployment))
  };
  if (pre.description) body.description = pre.description;
  if (pre.isBundle) {
    body.bundleType = pre.bundleType;
    body.bundleMountPath = pre.mountPath;
  }
  if (req.git) body.git = req.git;
  return body;
}
async function create(req, pre, api) {
  const d = req.deployment;
  const body = createRequest(req, pre);
  if (!req.dagBundleName) return [await api.createDeploy(d.id, body), body.type];
  const type = pre.isImage ? "IMAGE" : "DAG";
  const deploy = await api.createDagBundleDeploy(d.id, {
    type,
    dagBundleName: req.dagBundleName,
    ...body.description ? { description: body.description } : {},
    ...body.git ? { git: body.git } : {}
  });
  return [deploy, `${type} (DAG bundle '${req.dagBundleName}')`];
}
async function createAndShip(req, pre, o) {
  const d = req.deployment;
  const [deploy, what] = await create(req, pre, o.api);
  o.journal.deployCreated({ id: deploy.id, deploymentId: d.id, name: d.name });
  o.log.info(`Created ${what} deploy ${deploy.id} on ${d.name}.`);
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
async function stopWaking(waking, failed, o) {
  const w = await waking.catch(() => void 0);
  if (!w) return;
  const problem = await w.restore();
  if (problem && failed) o.journal.note(` (${problem})`);
  else if (problem) o.warnings.push(problem);
}
async function executeDeploy(req, deps) {
  const { api, log, docker } = deps;
  const clock = clockWith({ sleep: deps.sleep, now: deps.now });
  const upload = deps.upload ?? ((o) => uploadBlob(o));
  const journal = deps.journal ?? new Journal();
  const warnings = [];
  const pre = await preflight(req, !!docker, warnings);
  const abort = new AbortController();
  const waking = startWaking(req, { deps, clock, journal, signal: abort.signal });
  const work = await fs2.mkdtemp(path8.join(deps.tmpDir, "astro-deploy-"));
  const images = [];
  const createdBefore = journal.deploys.length;
  let failed = false;
  try {
    const built = pre.isImage && docker ? await prepareImage(req, { api, docker, log, built: images }) : void 0;
    if (req.beforeCreate) await req.beforeCreate(built?.image);
    const tarball = await pack(req, pre, { api, log, work, runtime: built?.runtime, warnings });
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
      log,
      upload,
      journal,
      image: built?.image,
      tarball,
      onPushed: (ref) => images.unshift(ref)
    });
    const result = await finalizeAndWait(req, pre, shipped, {
      api,
      log,
      clock,
      journal,
      before,
      wakeWaitMs,
      tarball,
      warnings
    });
    journal.deployDone(shipped.deploy.id);
    return result;
  } catch (e) {
    failed = true;
    for (const w of warnings) journal.warn(w);
    throw e;
  } finally {
    for (const d of journal.deploys.slice(createdBefore)) journal.deploySettled(d.id);
    if (waking) {
      if (failed) abort.abort();
      await stopWaking(waking, failed, { journal, warnings });
    }
    if (docker) {
      await docker.dispose().catch(() => void 0);
      for (const img of images) await docker.remove(img).catch(() => void 0);
    }
    await fs2.rm(work, { recursive: true, force: true }).catch(() => void 0);
  }
}

// src/flows/checks.ts
function noDocker(checking, kind) {
  if (checking) return noDockerError();
  return new Error(
    `A ${kind} deploy builds and pushes an image, which needs a Docker engine, and this runner has none; use a Linux runner (ubuntu-latest) or deploy-type dags-only.`
  );
}
function needsDockerWhenFresh(settings) {
  return settings.parse || settings.pytest || buildsImage(kindOfInput(settings.deployType));
}
async function requireDocker(p) {
  const { settings } = p;
  await assertDocker(p, settings.parse || settings.pytest, kindOfInput(settings.deployType));
}
async function assertDocker(p, checking, kind) {
  const docker = p.docker();
  try {
    if (!await docker.available()) throw noDocker(checking, kind);
  } finally {
    await docker.dispose();
  }
}
function runsChecks(p, target) {
  const { settings, log } = p;
  const asked = settings.parse || settings.pytest;
  if (asked && isRemoteExecution(target)) {
    log.info(
      `DAG checks (parse, pytest) skipped: ${target.name} is a Remote Execution Deployment, and ${AGENT_DAGS}.`
    );
    return false;
  }
  return asked;
}
async function foresee(p, kind, target, ws) {
  const { settings } = p;
  const checking = runsChecks(p, target);
  if (checking || buildsImage(kind)) await assertDocker(p, checking, kind);
  assertDeployable(target, settings.wakeOnDeploy);
  if (shipsDagFolder(kind, target))
    await assertDagFolder(path9.join(ws.repoRoot, settings.rootFolder, settings.dagsPath));
}
function checksBeforeCreate(p, docker, target, ws) {
  const { settings, log } = p;
  const projectDir = path9.join(ws.repoRoot, settings.rootFolder);
  return async (image) => {
    let checkImage = image ?? await pullDeployedImage({
      docker,
      imageRepository: target.imageRepository,
      imageTag: target.imageTag,
      token: settings.token,
      log
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
  const { settings, log } = p;
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
      log
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
      log.warning(
        `DAG checks failed (${result.problems.length} problems) but force is true: deploying anyway.`
      );
      return;
    }
    throw new Error(
      `DAG checks failed with ${result.problems.length} problem(s); nothing was deployed. Fix them (see the annotations) or set force: true.`
    );
  }
}

// src/flows/deploy.ts
import path13 from "node:path";

// src/decide/facts.ts
import path12 from "node:path";

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

// src/project/ignore.ts
import { readFile as readFile2 } from "node:fs/promises";
import path10 from "node:path";
async function buildIgnoreText(context, dockerfile = path10.join(context, "Dockerfile")) {
  for (const file of [`${dockerfile}.dockerignore`, path10.join(context, ".dockerignore")]) {
    const text = await readFile2(file, "utf8").catch(() => void 0);
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

// src/decide/patterns.ts
import path11 from "node:path";
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
      line = path11.posix.normalize(line).replace(/(.)\/+$/, "$1");
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

// src/decide/dag-bundle.ts
function namedBundleTargetRefusal(d, name) {
  const major = airflowMajorOf(d);
  if (major !== 3) {
    return `Input 'dag-bundle-name' ('${name}') needs an Airflow 3 Deployment, but ${d.name} runs ${major === void 0 ? `Astro Runtime ${d.astroRuntimeVersion || "(unknown)"}` : `Airflow ${major} (Astro Runtime ${d.astroRuntimeVersion})`}, which has no DAG bundles; upgrade it to Airflow 3 or remove 'dag-bundle-name'.`;
  }
  if (isRemoteExecution(d)) {
    return `Input 'dag-bundle-name' ('${name}') names an Astro DAG bundle, but ${d.name} is a Remote Execution Deployment: ${AGENT_DAGS}; update the agents' DAG bundles, and remove 'dag-bundle-name' to deploy its image.`;
  }
  if (!d.isDagDeployEnabled) {
    return `Input 'dag-bundle-name' ('${name}') needs DAG deploys, which ${d.name} has disabled; enable DAG deploys on it or remove 'dag-bundle-name'.`;
  }
  return void 0;
}
function findNamedBundle(d, name, bundles) {
  const dagBundles = bundles.filter((b) => b.isDagBundle !== false && b.name);
  const found = dagBundles.find((b) => b.name === name);
  if (found) return found;
  const names = dagBundles.map((b) => `'${b.name}'`).join(", ");
  return `${d.name} has no DAG bundle named '${name}' (its DAG bundles: ${names || "none"}); create it on the Deployment first or set 'dag-bundle-name' to one of those.`;
}
var time = (d) => Date.parse(d.createdAt);
function withNamedBundle(live2, history, bundle) {
  const newestFirst = history.filter((d) => apiTypeShipsDags(d.type) && d.dagTarballVersion).sort((a, b) => time(b) - time(a));
  const carrying = (version) => version ? newestFirst.find((d) => d.dagTarballVersion === version) : void 0;
  const dags = carrying(bundle.currentVersion);
  const coming = bundle.desiredVersion !== bundle.currentVersion ? carrying(bundle.desiredVersion) : void 0;
  const imageSide = live2.current.filter((d) => apiTypeShipsImage(d.type));
  const current = [.../* @__PURE__ */ new Set([...imageSide, dags, coming])].filter((d) => d !== void 0 && finalizedSigns(d)).sort((a, b) => time(b) - time(a));
  return { ...live2, dags, current };
}

// src/decide/facts.ts
async function decideDeploy(ctx, read = {}) {
  const { planInput, ...facts } = await gatherFacts(ctx, read);
  return { ...facts, plan: decide(planInput) };
}
async function gatherFacts(ctx, read = {}) {
  const { settings, git, log, head } = ctx;
  if (read.projectCheckedWith !== ctx.target.isDagDeployEnabled)
    await checkProject(git, head, ctx.repoRoot, settings, ctx.target.isDagDeployEnabled);
  const bundleMode = inputIsBundle(settings.deployType);
  const bundleKey = await bundleKeyOf(ctx);
  const history = read.history ?? await ctx.api.listDeploys(ctx.target.id);
  const live2 = await liveFor(ctx, history, ctx.target, bundleKey);
  log.info(`Deploy history of ${ctx.target.name}: ${history.length} deploys.`);
  const where = ctx.preview ? "the preview's" : "the Deployment's";
  const resolve2 = async (deploy, what) => {
    const sha = deploy?.git?.commitSha;
    if (!deploy)
      return { source: "none", note: `no successful ${what} deploy in ${where} history` };
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
    dags: await resolve2(
      live2.dags,
      settings.dagBundleName ? `'${settings.dagBundleName}' DAG bundle` : "DAG"
    ),
    bundle: bundleMode ? await resolve2(live2.bundle, "bundle") : { source: "none" }
  };
  const { newerLive, branchMovedBack, newerMaybe } = await staleFacts(ctx, live2);
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
    remoteExecution: isRemoteExecution(ctx.target),
    target: { name: ctx.target.name, id: ctx.target.id },
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
    branchMovedBack,
    newerMaybe
  };
  return { head, baselines, changes, planInput };
}
async function liveFor(ctx, history, target, bundleKey) {
  const live2 = liveDeploys(history, bundleKey, target);
  const name = ctx.settings.dagBundleName;
  if (!name) return live2;
  const refusal = namedBundleTargetRefusal(target, name);
  if (refusal) throw new Error(refusal);
  const bundle = findNamedBundle(target, name, await ctx.api.listDagBundles(target.id));
  if (typeof bundle === "string") throw new Error(bundle);
  ctx.log.info(
    `DAG bundle '${name}': running ${bundle.currentVersion ?? "(no version yet)"}${bundle.desiredVersion && bundle.desiredVersion !== bundle.currentVersion ? `, rolling out ${bundle.desiredVersion}` : ""}.`
  );
  return withNamedBundle(live2, history, bundle);
}
async function bundleKeyOf(ctx) {
  const { settings } = ctx;
  if (settings.deployType === "dbt")
    return dbtBundle(path12.join(ctx.repoRoot, settings.rootFolder), settings);
  if (settings.deployType === "non-dags")
    return { bundleType: settings.bundleType, mountPath: settings.mountPath };
  return {};
}
async function newerIn(ctx, list) {
  const { git, head } = ctx;
  for (const d of list) {
    const sha = d.git?.commitSha;
    if (sha && sha !== head && await git.ensureCommit(sha) && await git.isAncestor(head, sha))
      return sha;
  }
  return void 0;
}
async function staleFacts(ctx, live2) {
  const { git, head, log } = ctx;
  let newerLive = await newerIn(ctx, live2.current);
  const maybe = newerLive ? void 0 : await newerIn(ctx, live2.maybe);
  newerLive ??= maybe;
  if (!newerLive) return { branchMovedBack: false };
  const tip = ctx.trigger.branch ? await git.remoteBranchTip(ctx.trigger.branch) : void 0;
  const ours = [head, ctx.trigger.kind === "pull_request" ? ctx.trigger.headSha : void 0];
  const branchMovedBack = tip !== void 0 && ours.includes(tip);
  if (branchMovedBack)
    log.info(
      `Branch ${ctx.trigger.branch} was moved back to ${tip.slice(0, 12)}, behind the live commit ${newerLive.slice(0, 12)}: a rollback, not a stale run.`
    );
  return { newerLive, branchMovedBack, ...maybe ? { newerMaybe: true } : {} };
}
async function staleBeforeFinalize(ctx) {
  const [target, history] = await Promise.all([
    ctx.api.getDeployment(ctx.target.id),
    ctx.api.listDeploys(ctx.target.id)
  ]);
  const live2 = await liveFor(ctx, history, target, await bundleKeyOf(ctx));
  const facts = await staleFacts({ ...ctx, target }, live2);
  return { stale: staleReason(facts, true), history };
}
async function classifyRules(settings, repoRoot) {
  const ignore = await buildIgnoreText(path12.join(repoRoot, settings.rootFolder));
  return {
    rootFolder: settings.rootFolder,
    dagsPath: settings.dagsPath,
    deployType: settings.deployType,
    imageTriggers: PatternSet.parse(settings.imageTriggerPaths),
    bundleTriggers: PatternSet.parse(settings.bundleTriggerPaths),
    dockerignore: PatternSet.fromText(ignore ?? "")
  };
}

// src/flows/git-record.ts
async function namedCommit(ws, trigger, log) {
  if (trigger.kind !== "pull_request") return ws.head;
  const { headSha, sha } = trigger;
  if (!headSha || headSha === ws.head || ws.head !== sha) return ws.head;
  if (await ws.git.ensureCommit(headSha)) return headSha;
  log.warning(
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
async function resolveDeployment(api, settings, log) {
  if (settings.deploymentId) {
    const d = await api.getDeployment(settings.deploymentId);
    log.info(`Deployment ${d.name} (${d.id}), status ${d.status}.`);
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
  log.info(`Deployment ${exact[0].name} (${exact[0].id}), status ${exact[0].status}.`);
  return exact[0];
}
async function deployFlow(p, base) {
  p.journal.known = { ...p.journal.known, deploymentId: base.id, previewId: base.id };
  const outcome = await deployTo(p, base, false, { base });
  return { ...outcome, previewId: base.id };
}
async function deployTo(p, target, preview = false, gh = { base: target }, read = {}) {
  const { settings, api, trigger, log, journal } = p;
  const ws = await p.checkout();
  const facts = {
    api,
    git: ws.git,
    log,
    settings,
    trigger,
    target,
    head: ws.head,
    repoRoot: ws.repoRoot,
    preview
  };
  const decision = await step(p, "Decide what to deploy", async () => {
    const d = await decideDeploy(facts, read);
    log.info(`Decision: ${d.plan.kind} \u2014 ${d.plan.reason}.`);
    return d;
  });
  const kind = decision.plan.kind;
  const url = deploymentUrl(settings.apiUrl, target.workspaceId, target.id);
  journal.known = {
    ...journal.known,
    deploymentId: target.id,
    deployType: kind,
    deploymentUrl: url
  };
  journal.sections.push(decisionSection(target.name, decision, settings.dryRun));
  if (isRemoteExecution(target)) {
    log.info(remoteExecutionNote(target.name));
    journal.sections.push(paragraph(remoteExecutionNote(target.name)));
  }
  const outcome = {
    deploymentId: target.id,
    deployType: kind,
    skipped: kind === "none",
    reason: decision.plan.reason,
    deploymentUrl: url
  };
  const decided = { target, preview, url, ...decision.plan };
  if (kind === "none") {
    await unchangedOnGitHub(p, decided, gh, ws.head);
    return outcome;
  }
  if (settings.dryRun) {
    await foresee(p, kind, target, ws);
    if (buildsImage(kind)) {
      const refusal = await plannedRuntimeRefusal({
        api,
        deployment: target,
        projectDir: path13.join(ws.repoRoot, settings.rootFolder),
        imageName: settings.imageName,
        log
      });
      if (refusal) throw new Error(refusal);
    }
    const reason = `dry run: would deploy ${kind} because ${decision.plan.reason}`;
    return { ...outcome, skipped: true, reason };
  }
  const github = await startOnGitHub(p, decided, gh, ws.head);
  const result = await runDeploy(p, kind, target, () => staleBeforeFinalize(facts));
  if (result.notFinalized) {
    for (const w of result.warnings) log.warning(w);
    journal.sections.push(notFinalizedLine(result.notFinalized));
    const stale = { ...outcome, deployType: "none", skipped: true };
    await github.superseded({ ...stale, reason: result.notFinalized });
    return { ...stale, reason: result.notFinalized, deployId: result.deployId };
  }
  journal.sections.push(liveMarkdown(result, log));
  return github.success({
    ...outcome,
    deployId: result.deployId,
    imageTag: result.imageTag,
    dagTarballVersion: result.dagTarballVersion
  });
}
async function runDeploy(p, kind, target, beforeFinalize) {
  const { settings, env, trigger, log } = p;
  const ws = await p.checkout();
  const projectDir = path13.join(ws.repoRoot, settings.rootFolder);
  const sha = await namedCommit(ws, trigger, log);
  const commit = await ws.git.commitInfo(sha);
  const git = await gitInfo(ws, sha, trigger, env, settings, commit.authorName);
  const checking = runsChecks(p, target);
  const needsDocker = checking || buildsImage(kind);
  const docker = needsDocker ? p.docker() : void 0;
  if (docker && !await docker.available()) throw noDocker(checking, kind);
  const tmpDir = makeTempDir("astro-deploy-");
  try {
    return await step(
      p,
      `Deploy (${kind})`,
      () => executeDeploy(
        {
          kind,
          deployment: target,
          projectDir,
          dagsDir: path13.join(projectDir, settings.dagsPath),
          noDagsBaseDir: settings.noDagsBaseDir,
          description: settings.description ?? commit.subject,
          git,
          imageName: settings.imageName,
          buildSecrets: settings.buildSecrets,
          mountPath: settings.mountPath,
          dagBundleName: settings.dagBundleName,
          bundleType: settings.bundleType,
          waitMs: settings.waitMs,
          wakeOnDeploy: settings.wakeOnDeploy,
          token: settings.token,
          mtime: commit.time || void 0,
          beforeCreate: checking ? checksBeforeCreate(p, docker, target, ws) : void 0,
          beforeFinalize
        },
        { api: p.api, docker, log, tmpDir, journal: p.journal }
      )
    );
  } finally {
    removeTempDir(tmpDir);
    await docker?.dispose();
  }
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
      const group = payload.merge_group ?? {};
      return {
        eventName,
        kind: "merge_group",
        sha: sha || group.head_sha || "",
        headSha: group.head_sha ?? sha,
        baseSha: group.base_sha ?? "",
        branch: group.head_ref ? stripHeads(group.head_ref) : void 0
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
function withoutSecrets(t, env) {
  if (t.kind === "pull_request" && t.eventName === "pull_request" && t.fromFork)
    return `${describeTrigger(t)} comes from a fork, and GitHub gives such runs no secrets, so ASTRO_API_TOKEN is empty and nothing was deployed; add \`if: github.event.pull_request.head.repo.full_name == github.repository\` to the job to skip it without this notice`;
  if (env.GITHUB_ACTOR === "dependabot[bot]")
    return `${describeTrigger(t)} was started by Dependabot, and GitHub gives such runs only the Dependabot secrets, so ASTRO_API_TOKEN is empty and nothing was deployed; add ASTRO_API_TOKEN to the repository's Dependabot secrets to deploy its branches, or add \`if: github.actor != 'dependabot[bot]'\` to the job to skip them without this notice`;
  return void 0;
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

export {
  buildIgnoreText,
  normalizePath,
  ignoreWithout,
  buildIgnoreFor,
  cleanEnv,
  runRaw,
  outputTail,
  chooseDockerClient,
  runArgs,
  cacheArgs,
  tempRoot,
  makeTempDir,
  removeTempDir,
  removeTempDirs,
  previewSection,
  section,
  warningsSection,
  writeSummary,
  needsDockerWhenFresh,
  requireDocker,
  resolveDeployment,
  deployFlow,
  deployTo,
  parseTrigger,
  withoutSecrets,
  describeTrigger
};
