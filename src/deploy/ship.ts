// Stage 4 of a deploy: create the deploy on Astro, push the image to the tag Astro gave it,
// upload the tarball. The journal records the deploy the moment it exists.
import type { AstroApi, CreateDeployRequest, Deploy } from '../astro/types.js';
import type { Journal } from '../journal.js';
import type { Log } from '../platform/log.js';
import type { Preflight } from './preflight.js';
import { DeployError, type DeployRequest, type DockerLike, type UploadFn } from './request.js';
import type { TarballResult } from './tarball.js';
import { apiTypeOf } from '../decide/kinds.js';
import { isRemoteExecution } from '../decide/remote-execution.js';
import { REGISTRY_USER, parseImageRepository } from '../astro/registry.js';

export interface Shipped {
  deploy: Deploy;
  imageTag?: string;
  /** The full reference pushed (`<imageRepository>:<imageTag>`). */
  imageRef?: string;
  dagTarballVersion?: string;
  bundleVersion?: string;
}

function createRequest(req: DeployRequest, pre: Preflight): CreateDeployRequest {
  const body: CreateDeployRequest = {
    type: apiTypeOf(req.kind, isRemoteExecution(req.deployment)),
  };
  if (pre.description) body.description = pre.description;
  if (pre.isBundle) {
    body.bundleType = pre.bundleType;
    body.bundleMountPath = pre.mountPath;
  }
  if (req.git) body.git = req.git;
  return body;
}

interface ShipOptions {
  api: AstroApi;
  docker?: DockerLike;
  log: Log;
  upload: UploadFn;
  journal: Journal;
  /** The local image to push (image deploys). */
  image?: string;
  tarball?: TarballResult;
  /** Told the pushed reference as soon as it exists (removed afterwards). */
  onPushed: (ref: string) => void;
}

/** Create the deploy: on v1alpha1 when it goes to a named DAG bundle (IMAGE or DAG), else on v1. */
async function create(
  req: DeployRequest,
  pre: Preflight,
  api: AstroApi,
): Promise<[Deploy, string]> {
  const d = req.deployment;
  const body = createRequest(req, pre);
  if (!req.dagBundleName) return [await api.createDeploy(d.id, body), body.type];
  const type = pre.isImage ? 'IMAGE' : 'DAG';
  const deploy = await api.createDagBundleDeploy(d.id, {
    type,
    dagBundleName: req.dagBundleName,
    ...(body.description ? { description: body.description } : {}),
    ...(body.git ? { git: body.git } : {}),
  });
  return [deploy, `${type} (DAG bundle '${req.dagBundleName}')`];
}

/** Create the deploy, push, upload. */
export async function createAndShip(
  req: DeployRequest,
  pre: Preflight,
  o: ShipOptions,
): Promise<Shipped> {
  const d = req.deployment;
  const [deploy, what] = await create(req, pre, o.api);
  // From here on a failure or a cancel names it (the post step too).
  o.journal.deployCreated({ id: deploy.id, deploymentId: d.id, name: d.name });
  o.log.info(`Created ${what} deploy ${deploy.id} on ${d.name}.`);
  const shipped: Shipped = { deploy };
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
      log: o.log,
    });
    o.log.info(`Uploaded the DAG tarball (version ${shipped.dagTarballVersion}).`);
  } else if (pre.isBundle && tarball) {
    if (!deploy.bundleUploadUrl)
      throw new DeployError(
        `Astro created bundle deploy ${deploy.id} without a bundle upload URL.`,
      );
    shipped.bundleVersion = await o.upload({
      url: deploy.bundleUploadUrl,
      file: tarball.path,
      log: o.log,
    });
    o.log.info(`Uploaded the bundle (version ${shipped.bundleVersion}).`);
  }
  return shipped;
}
