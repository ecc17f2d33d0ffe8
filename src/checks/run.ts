// The DAG checks inside the project's runtime image: the parse check (the project's own
// .astro/test_dag_integrity_default.py when present, else the action's check) and pytest.
// The project is mounted read-only and copied by boot.py into the image's AIRFLOW_HOME
// (/usr/local/airflow), each of its entries replacing the image's, so the checks run on
// these files at the path the scheduler uses, next to what the image's build made there,
// and leave nothing in the checkout.
import { imageRepositoryRef, registryHost, REGISTRY_USER } from '../astro/registry.js';
import { existsSync, statSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Docker, CommandResult } from '../platform/docker.js';
import { outputTail } from '../platform/docker-cli.js';
import type { Log } from '../platform/log.js';
import { makeTempDir, removeTempDir } from '../platform/temp.js';
import {
  CONTAINER_PROJECT,
  importErrorProblem,
  integrityProblem,
  parseExceptions,
  parseJUnit,
  parseOwnCheckOutput,
  projectRelative,
  pytestProblem,
  summarize,
  type SummaryPart,
} from './parse.js';
import { BOOT_PY, DAG_CHECK_PY } from './python.js';
import type { CheckProblem, CheckResult } from './types.js';

export const NO_DOCKER_MESSAGE =
  'parse/pytest need a Docker engine; this runner has none (macOS runners do not ship one): use ubuntu-latest or set parse and pytest to false.';

/** The error for checks requested on a runner without a Docker engine. */
export function noDockerError(): Error {
  return new Error(NO_DOCKER_MESSAGE);
}

export const INTEGRITY_TEST = '.astro/test_dag_integrity_default.py';
export const INTEGRITY_EXCEPTIONS = '.astro/dag_integrity_exceptions.txt';

const SOURCE_MOUNT = '/mnt/astro-project';
const WORK_MOUNT = '/mnt/astro-checks';

export interface RunChecksOptions {
  docker: Docker;
  image: string;
  /** Absolute path of the Astro project. */
  projectDir: string;
  /** Absolute path of the repository, to turn paths into repository-relative ones. */
  repoRoot: string;
  /** The DAG folder relative to the project, e.g. 'dags'. */
  dagsPath: string;
  parse: boolean;
  pytest: boolean;
  /** What pytest runs, relative to the project (default input: 'tests/'). */
  pytestFile: string;
  log: Log;
  /** Mention `force` in the summary. */
  force?: boolean;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export async function runChecks(o: RunChecksOptions): Promise<CheckResult> {
  const projectDir = path.resolve(o.projectDir);
  const projectInRepo = toPosix(path.relative(path.resolve(o.repoRoot), projectDir));
  const dagsRel = toPosix(path.normalize(o.dagsPath || 'dags')).replace(/\/+$/, '');
  const problems: CheckProblem[] = [];
  const parts: SummaryPart[] = [];
  if (!o.parse && !o.pytest) return { ok: true, problems, summary: '' };

  /** A path pytest or Python printed → project-relative path of an existing file. */
  const resolve = (p: string, extraBases: string[] = []): string | undefined => {
    const rel = projectRelative(p);
    for (const cand of [rel, ...extraBases.map((b) => path.posix.join(b, p))]) {
      if (cand === undefined || cand.startsWith('../')) continue;
      if (existsSync(path.join(projectDir, cand))) return path.posix.normalize(cand);
    }
    return undefined;
  };

  const work = makeTempDir('astro-checks-');
  try {
    await prepareWork(work);

    const runPython = (args: string[]): Promise<CommandResult> =>
      o.docker.run({
        image: o.image,
        entrypoint: 'python',
        args: [`${WORK_MOUNT}/boot.py`, SOURCE_MOUNT, CONTAINER_PROJECT, ...args],
        mounts: [
          { source: projectDir, target: SOURCE_MOUNT, readonly: true },
          { source: work, target: WORK_MOUNT },
        ],
        workdir: CONTAINER_PROJECT,
        env: {
          PYTHONDONTWRITEBYTECODE: '1',
          PYTHONUNBUFFERED: '1',
          AIRFLOW__CORE__DAGS_FOLDER: path.posix.join(CONTAINER_PROJECT, dagsRel),
          AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
          AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACKS: 'True',
          AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACK_DEPTH: '50',
        },
      });

    const pytestArgs = (target: string, report: string) => [
      '-m',
      'pytest',
      target,
      `--junitxml=${WORK_MOUNT}/${report}`,
      '-o',
      'junit_family=xunit1',
      '-p',
      'no:cacheprovider',
      '-q',
      '-rN',
    ];
    const readReport = async (report: string) => {
      const xml = await readFile(path.join(work, report), 'utf8').catch(() => undefined);
      return xml === undefined ? undefined : parseJUnit(xml);
    };
    const failedRun = (what: string, r: CommandResult): CheckProblem => ({
      kind: what === 'pytest' ? 'pytest' : 'parse',
      message: `${what} did not run to the end in ${o.image} (exit code ${r.exitCode}): ${outputTail(r, 3) || 'no output'}`,
      detail: `${r.stdout}\n${r.stderr}`.trim(),
    });

    if (o.parse) {
      const own = !existsSync(path.join(projectDir, INTEGRITY_TEST));
      const exceptions = parseExceptions(
        await readFile(path.join(projectDir, INTEGRITY_EXCEPTIONS), 'utf8').catch(() => ''),
      );
      const found: CheckProblem[] = [];
      let note = '';
      if (own) {
        o.log.info(`Parse check: importing the DAGs in ${dagsRel}/ inside ${o.image}`);
        const r = await runPython([
          `${WORK_MOUNT}/dag_check.py`,
          path.posix.join(CONTAINER_PROJECT, dagsRel),
        ]);
        const result = parseOwnCheckOutput(r.stdout);
        if (!result) found.push(failedRun('The DAG parse check', r));
        else {
          for (const e of result.errors)
            found.push(importErrorProblem(e.file, e.trace, projectInRepo));
          note = ownCheckNote(result);
        }
      } else {
        o.log.info(`Parse check: running the project's ${INTEGRITY_TEST} inside ${o.image}`);
        const r = await runPython(pytestArgs(INTEGRITY_TEST, 'parse.xml'));
        const cases = await readReport('parse.xml');
        if (!cases) found.push(failedRun(`pytest ${INTEGRITY_TEST}`, r));
        else {
          for (const c of cases.filter((c) => c.outcome === 'failed' || c.outcome === 'error')) {
            found.push(integrityProblem(c, projectInRepo, (p) => resolve(p)));
          }
          note = `${INTEGRITY_TEST}: ${cases.filter((c) => c.outcome === 'passed').length} passed`;
          if (found.length === 0 && r.exitCode !== 0 && r.exitCode !== 5)
            found.push(failedRun(`pytest ${INTEGRITY_TEST}`, r));
        }
      }
      const accepted = acceptedProblems(found, exceptions, projectInRepo);
      for (const p of accepted)
        o.log.info(`Accepted by ${INTEGRITY_EXCEPTIONS}: ${p.file}: ${p.message}`);
      problems.push(...found.filter((p) => !accepted.includes(p)));
      if (accepted.length)
        note += `${note ? '; ' : ''}${accepted.length} accepted by ${INTEGRITY_EXCEPTIONS}`;
      parts.push({ kind: 'parse', note });
    }

    if (o.pytest) {
      const target = o.pytestFile || 'tests/';
      o.log.info(`pytest ${target} inside ${o.image}`);
      const r = await runPython(pytestArgs(target, 'pytest.xml'));
      const cases = await readReport('pytest.xml');
      const found: CheckProblem[] = [];
      let note = '';
      if (!cases) found.push(failedRun(`pytest ${target}`, r));
      else {
        const bases = [pytestBase(projectDir, target)];
        for (const c of cases.filter((c) => c.outcome === 'failed' || c.outcome === 'error')) {
          found.push(pytestProblem(c, projectInRepo, (p) => resolve(p, bases)));
        }
        const passed = cases.filter((c) => c.outcome === 'passed').length;
        note = `${passed} passed${r.exitCode === 5 ? ', no tests collected' : ''}`;
        // Exit 5 = no tests collected (not a failure); any other non-zero exit without a
        // failed case (usage error, internal error, interrupted) is one.
        if (found.length === 0 && r.exitCode !== 0 && r.exitCode !== 5)
          found.push(failedRun(`pytest ${target}`, r));
      }
      problems.push(...found);
      parts.push({ kind: 'pytest', note });
    }
  } finally {
    removeTempDir(work);
  }
  logProblems(o.log, problems);
  return { ok: problems.length === 0, problems, summary: summarize(parts, problems, o.force) };
}

/** The work folder the container reads its scripts from and writes its reports to. */
async function prepareWork(work: string): Promise<void> {
  // The container's user may not be ours (astro, uid 50000): let it write its reports.
  await chmod(work, 0o777);
  await writeFile(path.join(work, 'boot.py'), BOOT_PY);
  await writeFile(path.join(work, 'dag_check.py'), DAG_CHECK_PY);
}

function ownCheckNote(result: { dags: number; engine: string }): string {
  const how = result.engine === 'dagbag' ? ' by DagBag' : ', Airflow not importable: plain imports';
  return `${result.dags} DAG${result.dags === 1 ? '' : 's'} loaded${how}`;
}

function logProblems(log: Log, problems: CheckProblem[]): void {
  for (const p of problems)
    log.debug(`${p.kind}: ${p.file ?? ''}${p.line ? `:${p.line}` : ''} ${p.message}`);
}

/** `.astro/dag_integrity_exceptions.txt`: the problems in files whose import errors are accepted. */
function acceptedProblems(
  found: CheckProblem[],
  exceptions: Set<string>,
  projectInRepo: string,
): CheckProblem[] {
  const prefix = projectInRepo ? `${projectInRepo}/` : '';
  return found.filter(
    (p) =>
      p.file && exceptions.has(p.file.startsWith(prefix) ? p.file.slice(prefix.length) : p.file),
  );
}

/** The folder pytest's test paths are relative to: the target folder, or a file's folder. */
function pytestBase(projectDir: string, target: string): string {
  const targetRel = toPosix(path.normalize(target)).replace(/\/+$/, '');
  const isDir =
    existsSync(path.join(projectDir, targetRel)) &&
    statSync(path.join(projectDir, targetRel)).isDirectory();
  return isDir ? targetRel : path.posix.dirname(targetRel);
}

export interface PullDeployedImageOptions {
  docker: Docker;
  /** e.g. `images.astronomer.cloud/<org>/<deployment>` */
  imageRepository: string;
  imageTag: string;
  token: string;
  log: Log;
}

/**
 * For a DAG-only deploy: the image the Deployment runs now, pulled from the Astro registry
 * (login as `cli` with the API token, on stdin). Returns the pulled ref, or undefined when
 * it cannot be pulled (the reason is logged; the caller then builds the image).
 */
export async function pullDeployedImage(o: PullDeployedImageOptions): Promise<string | undefined> {
  const repository = imageRepositoryRef(o.imageRepository);
  const ref = `${repository}:${o.imageTag}`;
  try {
    await o.docker.login(registryHost(repository), REGISTRY_USER, o.token);
    await o.docker.pull(ref);
    return ref;
  } catch (e) {
    o.log.info(
      `The deployed image ${ref} could not be pulled (${(e as Error).message}); building the image for the checks instead.`,
    );
    return undefined;
  }
}
