// Stage 1 of a deploy: what the user can fix fails here, before any work — a hibernating
// Deployment without wake-on-deploy, DAG deploys off for a kind that needs them, a missing
// DAG or bundle folder, a bundle without its mount path or type, a description too long.
import {
  buildsImage,
  isBundle as isBundleKind,
  shipsDagFolder as shipsDagFolderOf,
  type DeployKind,
} from '../decide/kinds.js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AstroApi, Deployment } from '../astro/types.js';
import type { Log } from '../platform/log.js';
import { runtimeFromDockerfile, runtimeRefusal } from '../decide/runtime.js';
import { dbtBundle } from '../project/dbt.js';
import { AGENT_DAGS, isRemoteExecution } from '../decide/remote-execution.js';

import { bundleRefusal } from '../decide/plan.js';
import { DeployError, type DeployRequest } from './request.js';
import { assertDeployable } from './wake.js';

/** v1beta1 documents maxLength 500 for a deploy description. */
const MAX_DESCRIPTION = 500;

/** A deploy description the API takes: at most MAX_DESCRIPTION characters, cut with '…'. */
export function cutDescription(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}

/** What preflight settled for the later stages. */
export interface Preflight {
  isImage: boolean;
  isBundle: boolean;
  shipsDags: boolean;
  bundleType?: string;
  mountPath?: string;
  description?: string;
}

export async function pathKind(p: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fs.stat(p)).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * For a dry run: the refusal an image deploy would hit for its Astro Runtime, when the
 * Runtime is known without building (the project's Dockerfile starts FROM an Astro Runtime
 * image with a plain tag); undefined when allowed or not known.
 */
export async function plannedRuntimeRefusal(o: {
  api: Pick<AstroApi, 'getDeploymentOptions'>;
  deployment: Deployment;
  projectDir: string;
  imageName?: string;
  log: Log;
}): Promise<string | undefined> {
  if (o.imageName) return undefined;
  const text = await fs.readFile(path.join(o.projectDir, 'Dockerfile'), 'utf8').catch(() => '');
  const runtime = runtimeFromDockerfile(text);
  if (!runtime) return undefined;
  o.log.info(`The Dockerfile builds FROM Astro Runtime ${runtime}.`);
  const options = await o.api.getDeploymentOptions(o.deployment.id);
  return runtimeRefusal({
    image: runtime,
    current: o.deployment.astroRuntimeVersion,
    deploymentName: o.deployment.name,
    releases: options.runtimeReleases.map((r) => r.version),
  });
}

/** Does this deploy ship the DAG folder (as a DAG tarball)? */
export function shipsDagFolder(kind: DeployKind, d: Deployment): boolean {
  return shipsDagFolderOf(kind, d.isDagDeployEnabled);
}

/** A deploy that ships the DAG folder needs it (a real run and a dry run say the same). */
export async function assertDagFolder(dagsDir: string): Promise<void> {
  const k = await pathKind(dagsDir);
  if (k !== 'dir') {
    throw new DeployError(
      `The DAG folder ${dagsDir} ${k === 'missing' ? 'does not exist' : 'is not a folder'}; set dags-path (relative to root-folder).`,
    );
  }
}

/** DAG deploys must be on for the kinds that ship without DAGs in the image. */
function assertDagDeploys(kind: DeployKind, d: Deployment, isBundle: boolean): void {
  const remote = isRemoteExecution(d);
  const bundle = isBundle && bundleRefusal(d.isDagDeployEnabled, remote, d);
  if (bundle) throw new DeployError(bundle);
  if (kind === 'dags-only' && remote) {
    throw new DeployError(
      `DAG-only deploys cannot go to ${d.name} (${d.id}), a Remote Execution Deployment, which has DAG deploys off: ${AGENT_DAGS}; ` +
        "put them in the agents' DAG bundles instead, or use deploy-type: image-and-dags to deploy its image.",
    );
  }
  if (kind === 'dags-only' && !d.isDagDeployEnabled) {
    throw new DeployError(
      `DAG-only deploys need DAG deploys enabled on ${d.name} (${d.id}); ` +
        'enable them in the Deployment settings, or use deploy-type: image-and-dags.',
    );
  }
  // Remote Execution is the exception: its image never carries the DAGs (the CLI allows it).
  if (kind === 'image-only' && !d.isDagDeployEnabled && !remote) {
    throw new DeployError(
      `Image-only deploys need DAG deploys enabled on ${d.name} (${d.id}), since without them the DAGs ship in the image; ` +
        'use deploy-type: image-and-dags, or enable DAG deploys in the Deployment settings.',
    );
  }
}

/** Where a bundle is mounted and its type (dbt: from the project; non-dags: as given). */
async function bundleOf(req: DeployRequest): Promise<{ mountPath?: string; bundleType?: string }> {
  if (req.kind === 'dbt') return dbtBundle(req.projectDir, req);
  if (req.kind !== 'non-dags') return {};
  if (!req.mountPath) {
    throw new DeployError(
      'deploy-type non-dags needs mount-path: where the bundle is mounted in the Deployment (an absolute path).',
    );
  }
  if (!req.bundleType)
    throw new DeployError('deploy-type non-dags needs bundle-type: a label for the bundle.');
  return { mountPath: req.mountPath, bundleType: req.bundleType };
}

/** Fail fast on what the user can fix; `warnings` gets what deserves one (a cut description). */
export async function preflight(
  req: DeployRequest,
  hasDocker: boolean,
  warnings: string[],
): Promise<Preflight> {
  const d = req.deployment;
  const isImage = buildsImage(req.kind);
  const isBundle = isBundleKind(req.kind);
  const shipsDags = shipsDagFolder(req.kind, d);
  assertDeployable(d, req.wakeOnDeploy);
  assertDagDeploys(req.kind, d, isBundle);
  if (isImage && !hasDocker)
    throw new DeployError('Image deploys need Docker, and none was given.');
  const { mountPath, bundleType } = await bundleOf(req);
  if (mountPath !== undefined && !mountPath.startsWith('/')) {
    throw new DeployError(`mount-path must be an absolute path; got "${mountPath}".`);
  }
  if (shipsDags) await assertDagFolder(req.dagsDir);
  if (isBundle && (await pathKind(req.projectDir)) !== 'dir') {
    throw new DeployError(`The bundle folder ${req.projectDir} does not exist; check root-folder.`);
  }
  const description = req.description && cutDescription(req.description);
  if (description !== req.description) {
    warnings.push(
      `The deploy description was cut to ${MAX_DESCRIPTION} characters (the API's limit).`,
    );
  }
  return { isImage, isBundle, shipsDags, bundleType, mountPath, description };
}
