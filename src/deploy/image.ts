// Stage 2 of an image deploy: the image to ship — image-name, or built from the project under
// a local tag — and its Astro Runtime (the label), refused here when Astro would refuse it.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { AstroApi, Deployment } from '../astro/types.js';
import type { Docker } from '../platform/docker.js';
import type { Log } from '../platform/log.js';
import { runtimeRefusal } from '../decide/runtime.js';
import { isRemoteExecution } from '../decide/remote-execution.js';
import { DeployError, type DeployRequest, type DockerLike } from './request.js';
import { REGISTRY_USER, parseImageRepository } from '../astro/registry.js';

export const RUNTIME_LABEL = 'io.astronomer.docker.runtime.version';

export interface BuiltImage {
  /** The local image to push. */
  image: string;
  /** Its Astro Runtime (the label). */
  runtime: string;
}

function localTag(deploymentId: string): string {
  const id = deploymentId.toLowerCase().replace(/[^a-z0-9]/g, '') || 'deployment';
  return `astro-deploy-${id}:local-${randomBytes(6).toString('hex')}`;
}

/**
 * The image the Deployment runs now, for the build to reuse its layers (`--cache-from`, with
 * the inline cache metadata our previous builds pushed): the requirements are not reinstalled
 * when only DAGs or `include/` changed. Logs in to the Astro registry first, so the build can
 * read it. Nothing to reuse (no image yet, a failed login) only means a build from scratch.
 */
export async function liveImageForCache(
  docker: Pick<Docker, 'login'>,
  d: Pick<Deployment, 'imageRepository' | 'imageTag'>,
  token: string,
  log: Log,
): Promise<string[]> {
  if (!d.imageRepository || !d.imageTag) return [];
  try {
    const { host, repo } = parseImageRepository(d.imageRepository);
    await docker.login(host, REGISTRY_USER, token);
    return [`${repo}:${d.imageTag}`];
  } catch (e) {
    log.info(
      `The Deployment's current image cannot serve as a build cache (${(e as Error).message}); building without it.`,
    );
    return [];
  }
}

/**
 * Build the project's image under a local tag: the DAG folder left out when DAGs ship apart
 * (DAG deploys on) or never go to Astro (Remote Execution: the agents' DAG bundles have them).
 */
async function build(req: DeployRequest, docker: DockerLike, log: Log): Promise<string> {
  const d = req.deployment;
  const image = localTag(d.id);
  const remote = isRemoteExecution(d);
  const exclude: string[] = [];
  /** DAG deploys disabled: the DAGs ship in the image, whatever the ignore file says. */
  const keep: string[] = [];
  const rel = path.relative(req.projectDir, req.dagsDir).split(path.sep).join('/');
  if (rel && !rel.startsWith('..')) (d.isDagDeployEnabled || remote ? exclude : keep).push(rel);
  const why = remote
    ? "the Remote Execution agents' DAG bundles have them"
    : 'DAGs ship separately';
  log.info(
    `Building the image of ${req.projectDir} for linux/amd64` +
      (exclude.length ? ` (without ${exclude[0]}/: ${why})` : '') +
      '.',
  );
  await docker.build({
    context: req.projectDir,
    tag: image,
    platform: 'linux/amd64',
    secrets: req.buildSecrets,
    exclude,
    keep,
    cacheFrom: await liveImageForCache(docker, d, req.token, log),
    inlineCache: true,
  });
  return image;
}

/**
 * The image this deploy ships and its Runtime. Images it built are added to `built` (removed
 * by the caller afterwards, whatever happens).
 */
export async function prepareImage(
  req: DeployRequest,
  o: { api: AstroApi; docker: DockerLike; log: Log; built: string[] },
): Promise<BuiltImage> {
  const { api, docker, log } = o;
  const d = req.deployment;
  if (!(await docker.available())) {
    throw new DeployError(
      'Image deploys need a Docker engine, and none answers (is Docker running on this runner?).',
    );
  }
  let image: string;
  if (req.imageName) {
    if (!(await docker.imageExists(req.imageName))) {
      throw new DeployError(
        `image-name ${req.imageName} is not a local image; build or pull it in an earlier step.`,
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
      `The image ${image} has no ${RUNTIME_LABEL} label, so it is not based on Astro Runtime; ` +
        'Astro only runs images built FROM an Astro Runtime image (astro-runtime).',
    );
  }
  log.info(`The image is based on Astro Runtime ${runtime}.`);
  // What Astro refuses (a downgrade, an unlisted Runtime, Airflow 2 → 3 below 12.0.0) is
  // refused here, before anything is created or pushed; force does not change that.
  const options = await api.getDeploymentOptions(d.id);
  const refusal = runtimeRefusal({
    image: runtime,
    current: d.astroRuntimeVersion,
    deploymentName: d.name,
    releases: options.runtimeReleases.map((r) => r.version),
  });
  if (refusal) throw new DeployError(refusal);
  return { image, runtime };
}
