// The DAG checks a deploy runs before anything is created, the image they run against, and
// what needs a Docker engine (the same sentence in a real run and a dry run).
import path from 'node:path';
import type { Deployment } from '../astro/types.js';
import { noDockerError, pullDeployedImage, runChecks, type CheckResult } from '../checks/index.js';
import { buildsImage, kindOfInput, type DeployKind } from '../decide/kinds.js';
import { AGENT_DAGS, isRemoteExecution } from '../decide/remote-execution.js';
import { assertDagFolder, shipsDagFolder } from '../deploy/execute.js';
import { assertDeployable } from '../deploy/wake.js';
import type { Docker } from '../platform/docker.js';
import type { Settings } from '../inputs/settings-types.js';
import type { Checkout } from '../platform/checkout.js';
import { step, type Parts } from './parts.js';

export function noDocker(checking: boolean, kind: string): Error {
  if (checking) return noDockerError();
  return new Error(
    `A ${kind} deploy builds and pushes an image, which needs a Docker engine, and this runner has none; use a Linux runner (ubuntu-latest) or deploy-type dags-only.`,
  );
}

/** Does a fresh preview (everything its deploy-type covers, or the checks) need Docker? */
export function needsDockerWhenFresh(settings: Settings): boolean {
  return settings.parse || settings.pytest || buildsImage(kindOfInput(settings.deployType));
}

/** Fail when a fresh preview would need Docker and there is none. */
export async function requireDocker(p: Parts): Promise<void> {
  const { settings } = p;
  await assertDocker(p, settings.parse || settings.pytest, kindOfInput(settings.deployType));
}

/** Fail with the real run's sentence when there is no Docker engine. */
async function assertDocker(p: Parts, checking: boolean, kind: DeployKind): Promise<void> {
  const docker = p.docker();
  try {
    if (!(await docker.available())) throw noDocker(checking, kind);
  } finally {
    await docker.dispose();
  }
}

/**
 * Does a deploy to `target` run the DAG checks (parse, pytest)? As asked, except on a Remote
 * Execution Deployment, whose DAGs Astro never gets (the Astro CLI skips them too): the log
 * says why.
 */
export function runsChecks(p: Parts, target: Deployment): boolean {
  const { settings, log } = p;
  const asked = settings.parse || settings.pytest;
  if (asked && isRemoteExecution(target)) {
    log.info(
      `DAG checks (parse, pytest) skipped: ${target.name} is a Remote Execution Deployment, and ${AGENT_DAGS}.`,
    );
    return false;
  }
  return asked;
}

/**
 * The failures a dry run can foresee, in the real run's order: no Docker engine where the
 * deploy or the checks need one, a hibernating Deployment without wake-on-deploy, a missing
 * DAG folder. Read-only: `docker version`, a stat.
 */
export async function foresee(
  p: Parts,
  kind: DeployKind,
  target: Deployment,
  ws: Checkout,
): Promise<void> {
  const { settings } = p;
  const checking = runsChecks(p, target);
  if (checking || buildsImage(kind)) await assertDocker(p, checking, kind);
  assertDeployable(target, settings.wakeOnDeploy);
  if (shipsDagFolder(kind, target))
    await assertDagFolder(path.join(ws.repoRoot, settings.rootFolder, settings.dagsPath));
}

/**
 * The checks, run before any deploy is created. Image deploys check the image being
 * deployed; DAG-only deploys check against the image the Deployment runs now, and build one
 * only when it cannot be pulled.
 */
export function checksBeforeCreate(
  p: Parts,
  docker: Docker,
  target: Deployment,
  ws: Checkout,
): (image?: string) => Promise<void> {
  const { settings, log } = p;
  const projectDir = path.join(ws.repoRoot, settings.rootFolder);
  return async (image?: string) => {
    let checkImage =
      image ??
      (await pullDeployedImage({
        docker,
        imageRepository: target.imageRepository,
        imageTag: target.imageTag,
        token: settings.token,
        log,
      }));
    // Images pulled or built only for the checks are removed after them.
    let built: string | undefined = image ? undefined : checkImage;
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

async function check(
  p: Parts,
  image: string,
  docker: Docker,
  projectDir: string,
  repoRoot: string,
): Promise<void> {
  const { settings, log } = p;
  const result: CheckResult = await step(p, 'DAG checks', () =>
    runChecks({
      docker,
      image,
      projectDir,
      repoRoot,
      dagsPath: settings.dagsPath,
      parse: settings.parse,
      pytest: settings.pytest,
      pytestFile: settings.pytestFile,
      force: settings.force,
      log,
    }),
  );
  for (const x of result.problems) {
    p.reporter.error(x.message, {
      title: x.kind === 'parse' ? 'DAG import error' : 'pytest failure',
      file: x.file,
      startLine: x.line,
    });
  }
  p.journal.sections.push(`${result.summary}\n`);
  if (!result.ok) {
    if (settings.force) {
      log.warning(
        `DAG checks failed (${result.problems.length} problems) but force is true: deploying anyway.`,
      );
      return;
    }
    throw new Error(
      `DAG checks failed with ${result.problems.length} problem(s); nothing was deployed. Fix them (see the annotations) or set force: true.`,
    );
  }
}
