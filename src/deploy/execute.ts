// Carry out one decided deploy: DAG-only, image (+ DAGs), or a bundle (dbt / non-DAG), wake
// a hibernating Deployment around it, and wait until what we shipped is live.
//
// Order (nothing is created on Astro until every local step has passed):
//   check hibernation (fail fast, or start waking it in the background)
//   → image deploys: build under a local tag (or take image-name), check the Astro Runtime
//     label → beforeCreate(image) (the DAG checks)
//   → DAG/bundle tarball (so a bad folder never leaves an empty deploy behind)
//   → wait for the wake → create the deploy → registry login, tag, push → upload the tarball
//   → finalize → wait until live → (finally) put the hibernation override back, drop the
//     registry credentials, the tarball and our local image tags.
//
// executeDeploy never calls log.warning: whatever deserves a warning is in result.warnings
// for the caller to report once.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseImageRepository, REGISTRY_USER } from '../astro/registry.js';
import { uploadBlob } from '../astro/upload.js';
import { pending, settled } from '../cancel.js';
import type { AstroApi, CreateDeployRequest, Deploy, Deployment, GitInfo } from '../astro/types.js';
import type { Docker } from '../platform/docker.js';
import type { Log } from '../platform/log.js';
import { dbtBundle } from '../project/dbt.js';
import { runtimeFromDockerfile, runtimeRefusal } from '../decide/runtime.js';
import {
  KINDS,
  buildsImage,
  isBundle as isBundleKind,
  shipsDagFolder,
  type DeployKind,
} from '../decide/kinds.js';
import { MONITORING_DAG_FILE, monitoringDag, needsMonitoringDag } from './monitoring-dag.js';
import { dagTarballPrefix, writeTarball, type TarballResult } from './tarball.js';
import { clockWith, type Clock } from '../platform/clock.js';
import { waitUntilLive, type LiveTarget } from './wait.js';
import { assertDeployable, isHibernating, wakeDeployment, type Woken } from './wake.js';

export const RUNTIME_LABEL = 'io.astronomer.docker.runtime.version';
/** v1beta1 documents maxLength 500 for a deploy description. */
export const MAX_DESCRIPTION = 500;

export interface DeployRequest {
  kind: DeployKind;
  /** As read from the API. */
  deployment: Deployment;
  /** Absolute path of root-folder (the Astro project, dbt project or bundle folder). */
  projectDir: string;
  /** Absolute path of the DAG folder. */
  dagsDir: string;
  /** DAG tarball entries at the archive root instead of under the DAG folder's base name. */
  noDagsBaseDir: boolean;
  /** Already defaulted by the caller (commit subject). */
  description?: string;
  git?: GitInfo;
  /** A prebuilt local image to deploy instead of building one. */
  imageName?: string;
  /** `id=x,src=path`, like `docker build --secret`. */
  buildSecrets: string[];
  mountPath?: string;
  bundleType?: string;
  waitMs: number;
  wakeOnDeploy: boolean;
  /** For the registry login; never logged. */
  token: string;
  /**
   * Timestamp of every tarball entry (seconds since the epoch): the commit time, so the same
   * commit gives the same bytes while files still look modified to Airflow after a new commit.
   */
  mtime?: number;
  /** Runs the DAG checks (with the image, for image deploys) before any deploy is created; throws to stop. */
  beforeCreate?: (image?: string) => Promise<void>;
  /**
   * The stale guard again, right before the finalize: a reason not to finalize (a newer
   * commit went live meanwhile), or undefined to go on.
   */
  beforeFinalize?: () => Promise<string | undefined>;
}

export type DockerLike = Pick<
  Docker,
  | 'available'
  | 'build'
  | 'imageExists'
  | 'imageLabel'
  | 'tag'
  | 'login'
  | 'push'
  | 'remove'
  | 'dispose'
>;

export type UploadFn = (o: { url: string; file: string; log: Log }) => Promise<string>;

export interface DeployDeps {
  api: AstroApi;
  docker?: DockerLike;
  log: Log;
  /** Where the tarball is written (a folder of ours is made in it and removed). */
  tmpDir: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Blob upload; default uploadBlob of the Astro client. */
  upload?: UploadFn;
}

export interface DeployResult {
  deployId: string;
  kind: DeployKind;
  imageTag?: string;
  /** The full reference pushed (`<imageRepository>:<imageTag>`). */
  imageRef?: string;
  dagTarballVersion?: string;
  bundleVersion?: string;
  bundleMountPath?: string;
  tarball?: Pick<TarballResult, 'bytes' | 'files' | 'sha256'>;
  /** From finalize to live (0 when not waited for). */
  liveAfterMs: number;
  /** The Deployment as last read (live). */
  deployment?: Deployment;
  /** A newer deploy replaced ours before it went live. */
  supersededBy?: string;
  /** Not finalized, and why (the stale guard before the finalize): nothing of it went live. */
  notFinalized?: string;
  warnings: string[];
}

export class DeployError extends Error {
  override name = 'DeployError';
}

/** What executeDeploy throws carries, once a deploy was created, its id and the warnings so far. */
export type DeployFailure = Error & {
  deployId?: string;
  warnings?: string[];
  /** The created deploy was finalized (something may have gone live). */
  finalized?: boolean;
};

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

async function pathKind(p: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await fs.stat(p)).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'missing';
  }
}

function localTag(deploymentId: string): string {
  const id = deploymentId.toLowerCase().replace(/[^a-z0-9]/g, '') || 'deployment';
  return `astro-deploy-${id}:local-${randomBytes(6).toString('hex')}`;
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

/**
 * Does this Deployment's DAG tarball carry the monitoring DAG? Only a HYBRID Deployment of an
 * organization whose product is not HOSTED. When the organization cannot be read (a token
 * without that permission), a HYBRID Deployment is taken as Hybrid: only Hybrid organizations
 * have them.
 */
async function hybridMonitoring(api: AstroApi, d: Deployment, log: Log): Promise<boolean> {
  if (d.type !== 'HYBRID') return false;
  let product: string | undefined;
  try {
    product = (await api.getOrganization()).product;
  } catch (e) {
    log.info(
      `Could not read organization ${d.organizationId} (${(e as Error).message}); ${d.name} is a HYBRID Deployment, so it is taken as Astro Hybrid.`,
    );
  }
  return needsMonitoringDag(product, d.type);
}

function monitoringDagFor(runtime: string, d: Deployment): string {
  const text = monitoringDag(runtime);
  if (text === undefined) {
    throw new DeployError(
      `${d.name} is an Astro Hybrid Deployment, whose DAG deploys must carry Astronomer's monitoring DAG, and Astro Runtime "${runtime}" names no Airflow 2 or 3 version to write it for; deploy an image built FROM a released Astro Runtime.`,
    );
  }
  return text;
}

/** What a failure message adds about the deploy it leaves behind (never left unsaid). */
function createdNote(
  id: string,
  stage: 'created' | 'finalizing' | 'finalized',
  name: string,
  message: string,
): string {
  const sep = /[.!?)]$/.test(message) ? ' ' : '. ';
  if (stage === 'created')
    return `${sep}Deploy ${id} was created on ${name} but not finalized, so nothing of it went live; the next run deploys again.`;
  if (stage === 'finalizing')
    return `${sep}Deploy ${id} was created on ${name}, but its finalize was not confirmed, so it may be finalized or not finalized; check the Deployment's deploy history before running again.`;
  return message.includes(id)
    ? ''
    : `${sep}Deploy ${id} had been finalized on ${name} before this failure.`;
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

/** Carry out one decided deploy (see the order at the top of this file). */
export async function executeDeploy(req: DeployRequest, deps: DeployDeps): Promise<DeployResult> {
  const { api, log } = deps;
  const clock: Clock = clockWith({ sleep: deps.sleep, now: deps.now });
  const upload: UploadFn = deps.upload ?? ((o) => uploadBlob(o));
  const d = req.deployment;
  const warnings: string[] = [];
  const isImage = buildsImage(req.kind);
  const isBundle = isBundleKind(req.kind);
  const shipsDags = shipsDagFolder(req.kind, d.isDagDeployEnabled);

  // ---- fail fast on what the user can fix, before any work ----
  assertDeployable(d, req.wakeOnDeploy);
  if (KINDS[req.kind].needsDagDeploy && !isImage && !d.isDagDeployEnabled) {
    throw new DeployError(
      `${isBundle ? 'Bundle' : 'DAG-only'} deploys need DAG deploys enabled on ${d.name} (${d.id}); ` +
        'enable them in the Deployment settings, or use deploy-type: image-and-dags.',
    );
  }
  if (KINDS[req.kind].needsDagDeploy && isImage && !d.isDagDeployEnabled) {
    throw new DeployError(
      `Image-only deploys need DAG deploys enabled on ${d.name} (${d.id}), since without them the DAGs ship in the image; ` +
        'use deploy-type: image-and-dags, or enable DAG deploys in the Deployment settings.',
    );
  }
  if (isImage && !deps.docker)
    throw new DeployError('Image deploys need Docker, and none was given.');
  let bundleType: string | undefined;
  let mountPath: string | undefined;
  if (req.kind === 'dbt') {
    ({ mountPath, bundleType } = await dbtBundle(req.projectDir, req));
  } else if (req.kind === 'non-dags') {
    if (!req.mountPath) {
      throw new DeployError(
        'deploy-type non-dags needs mount-path: where the bundle is mounted in the Deployment (an absolute path).',
      );
    }
    if (!req.bundleType)
      throw new DeployError('deploy-type non-dags needs bundle-type: a label for the bundle.');
    mountPath = req.mountPath;
    bundleType = req.bundleType;
  }
  if (mountPath !== undefined && !mountPath.startsWith('/')) {
    throw new DeployError(`mount-path must be an absolute path; got "${mountPath}".`);
  }
  if (shipsDags) await assertDagFolder(req.dagsDir);
  if (isBundle && (await pathKind(req.projectDir)) !== 'dir') {
    throw new DeployError(`The bundle folder ${req.projectDir} does not exist; check root-folder.`);
  }
  let description = req.description;
  if (description && description.length > MAX_DESCRIPTION) {
    description = description.slice(0, MAX_DESCRIPTION - 1) + '…';
    warnings.push(
      `The deploy description was cut to ${MAX_DESCRIPTION} characters (the API's limit).`,
    );
  }

  // Start waking now, so the Deployment comes up while we build and check.
  let waking: Promise<Woken> | undefined;
  const stopWaking = new AbortController();
  if (isHibernating(d)) {
    waking = wakeDeployment({
      api,
      deployment: d,
      waitMs: req.waitMs,
      log,
      clock,
      signal: stopWaking.signal,
    });
    waking.catch(() => undefined); // awaited below; never an unhandled rejection
  }

  const docker = deps.docker;
  const work = await fs.mkdtemp(path.join(deps.tmpDir, 'astro-deploy-'));
  const removeImages: string[] = [];
  let imageRef: string | undefined;
  let createdId: string | undefined;
  /** How far the created deploy got, for the failure message. */
  let stage: 'created' | 'finalizing' | 'finalized' = 'created';
  let failure: DeployFailure | undefined;
  try {
    // ---- image ----
    let image: string | undefined;
    /** The Astro Runtime of the image that ships (its label), when one does. */
    let runtime: string | undefined;
    if (isImage && docker) {
      if (!(await docker.available())) {
        throw new DeployError(
          'Image deploys need a Docker engine, and none answers (is Docker running on this runner?).',
        );
      }
      if (req.imageName) {
        if (!(await docker.imageExists(req.imageName))) {
          throw new DeployError(
            `image-name ${req.imageName} is not a local image; build or pull it in an earlier step.`,
          );
        }
        image = req.imageName;
        log.info(`Deploying the prebuilt image ${image}.`);
      } else {
        image = localTag(d.id);
        const exclude: string[] = [];
        /** DAG deploys disabled: the DAGs ship in the image, whatever the ignore file says. */
        const keep: string[] = [];
        const rel = path.relative(req.projectDir, req.dagsDir).split(path.sep).join('/');
        if (rel && !rel.startsWith('..')) (d.isDagDeployEnabled ? exclude : keep).push(rel);
        log.info(
          `Building the image of ${req.projectDir} for linux/amd64` +
            (exclude.length ? ` (without ${exclude[0]}/: DAGs ship separately)` : '') +
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
        removeImages.push(image);
      }
      runtime = await docker.imageLabel(image, RUNTIME_LABEL);
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
    }
    if (req.beforeCreate) await req.beforeCreate(image);

    // ---- tarball (before any deploy exists) ----
    let tarball: TarballResult | undefined;
    if (shipsDags) {
      // Hybrid: every DAG tarball carries Astronomer's monitoring DAG, as the CLI's do, for
      // the Airflow the Deployment runs once this deploy is live (the image's, when one ships).
      const extraFiles = (await hybridMonitoring(api, d, log))
        ? [
            {
              name: MONITORING_DAG_FILE,
              content: monitoringDagFor(runtime ?? d.astroRuntimeVersion, d),
            },
          ]
        : [];
      tarball = await writeTarball({
        dir: req.dagsDir,
        prefix: dagTarballPrefix(req.dagsDir, req.noDagsBaseDir),
        out: path.join(work, 'dags.tar.gz'),
        mtime: req.mtime,
        extraFiles,
      });
      log.info(
        `DAG tarball: ${tarball.files} files, ${tarball.bytes} bytes (sha256 ${tarball.sha256.slice(0, 12)})` +
          (extraFiles.length
            ? `, with Astronomer's ${MONITORING_DAG_FILE} (a Hybrid Deployment).`
            : '.'),
      );
      // Files we add (the Hybrid monitoring DAG) are not the user's DAGs.
      if (tarball.dagFiles - extraFiles.length === 0) {
        warnings.push(
          tarball.files === 0
            ? `The DAG folder ${req.dagsDir} is empty: this deploy removes every DAG from ${d.name}.`
            : `The DAG folder ${req.dagsDir} has no .py file (only ${tarball.files} other file(s), such as .airflowignore or __init__.py): this deploy removes every DAG from ${d.name}.`,
        );
      }
    } else if (isBundle) {
      tarball = await writeTarball({
        dir: req.projectDir,
        prefix: '',
        out: path.join(work, 'bundle.tar.gz'),
        mtime: req.mtime,
      });
      log.info(
        `Bundle tarball: ${tarball.files} files, ${tarball.bytes} bytes (sha256 ${tarball.sha256.slice(0, 12)}).`,
      );
      if (tarball.files === 0)
        warnings.push(
          `The bundle folder ${req.projectDir} is empty: the bundle at ${mountPath} will be empty.`,
        );
    }
    if (tarball?.skipped.length) {
      warnings.push(
        `Left out of the tarball (not files or symlinks): ${tarball.skipped.join(', ')}.`,
      );
    }

    // ---- the Deployment must be awake ----
    let before = d;
    /** Time spent blocked on the wake: wait-time bounds all waiting on Astro, wake included. */
    let wakeWaitMs = 0;
    if (waking) {
      const t = clock.now();
      before = (await waking).deployment;
      wakeWaitMs = clock.now() - t;
    }

    // ---- create ----
    const body: CreateDeployRequest = {
      type: KINDS[req.kind].apiType,
    };
    if (description) body.description = description;
    if (isBundle) {
      body.bundleType = bundleType;
      body.bundleMountPath = mountPath;
    }
    if (req.git) body.git = req.git;
    const deploy: Deploy = await api.createDeploy(d.id, body);
    createdId = deploy.id;
    // Until this run ends, a cancelled run's post step reports it.
    pending('deploy', { deployId: deploy.id, deploymentId: d.id, name: d.name });
    log.info(`Created ${body.type} deploy ${deploy.id} on ${d.name}.`);

    // ---- push ----
    let imageTag: string | undefined;
    if (isImage && docker && image) {
      if (!deploy.imageTag)
        throw new DeployError(`Astro created deploy ${deploy.id} without an image tag to push to.`);
      const { host, repo } = parseImageRepository(deploy.imageRepository);
      imageTag = deploy.imageTag;
      imageRef = `${repo}:${imageTag}`;
      await docker.login(host, REGISTRY_USER, req.token);
      await docker.tag(image, imageRef);
      log.info(`Pushing ${imageRef}.`);
      await docker.push(imageRef);
    }

    // ---- upload ----
    let dagTarballVersion: string | undefined;
    let bundleVersion: string | undefined;
    if (shipsDags && tarball) {
      if (!deploy.dagsUploadUrl)
        throw new DeployError(`Astro created deploy ${deploy.id} without a DAG upload URL.`);
      dagTarballVersion = await upload({ url: deploy.dagsUploadUrl, file: tarball.path, log });
      log.info(`Uploaded the DAG tarball (version ${dagTarballVersion}).`);
    } else if (isBundle && tarball) {
      if (!deploy.bundleUploadUrl)
        throw new DeployError(
          `Astro created bundle deploy ${deploy.id} without a bundle upload URL.`,
        );
      bundleVersion = await upload({ url: deploy.bundleUploadUrl, file: tarball.path, log });
      log.info(`Uploaded the bundle (version ${bundleVersion}).`);
    }

    // ---- finalize (unless a newer commit went live meanwhile) ----
    const stale = req.beforeFinalize ? await req.beforeFinalize() : undefined;
    if (stale) {
      log.info(`Not finalizing deploy ${deploy.id}: ${stale}.`);
      return {
        deployId: deploy.id,
        kind: req.kind,
        liveAfterMs: 0,
        notFinalized: stale,
        warnings,
      };
    }
    const finalizeBody = dagTarballVersion
      ? { dagTarballVersion }
      : bundleVersion
        ? { bundleTarballVersion: bundleVersion }
        : {};
    stage = 'finalizing';
    await api.finalizeDeploy(d.id, deploy.id, finalizeBody);
    stage = 'finalized';
    pending('deploy', { deployId: deploy.id, deploymentId: d.id, name: d.name, finalized: true });
    const finalizedAt = clock.now();
    log.info(`Finalized deploy ${deploy.id}.`);

    // ---- wait ----
    const target: LiveTarget = { deployId: deploy.id };
    if (dagTarballVersion) target.dagTarballVersion = dagTarballVersion;
    if (imageTag) target.imageTag = imageTag;
    if (bundleVersion && mountPath) target.bundle = { version: bundleVersion, mountPath };
    const result: DeployResult = {
      deployId: deploy.id,
      kind: req.kind,
      imageTag,
      imageRef,
      dagTarballVersion,
      bundleVersion,
      bundleMountPath: mountPath,
      tarball: tarball && { bytes: tarball.bytes, files: tarball.files, sha256: tarball.sha256 },
      liveAfterMs: 0,
      warnings,
    };
    if (req.waitMs > 0) {
      const w = await waitUntilLive({
        api,
        deploymentId: d.id,
        target,
        before,
        waitMs: Math.max(1000, req.waitMs - wakeWaitMs),
        log,
        clock,
      });
      result.deployment = w.deployment;
      result.liveAfterMs = clock.now() - finalizedAt;
      if (w.supersededBy) {
        result.supersededBy = w.supersededBy;
        warnings.push(
          `A newer deploy (${w.supersededBy}) replaced deploy ${deploy.id} on ${d.name} before it went live; ` +
            `what runs now is that newer deploy.`,
        );
      }
    } else {
      log.info('Not waiting for the deploy to go live (wait-time is 0).');
    }
    return result;
  } catch (e) {
    failure = (e instanceof Error ? e : new Error(String(e))) as DeployFailure;
    if (createdId) {
      failure.deployId = createdId;
      failure.finalized = stage === 'finalized';
      // The wait's own errors already say where the finalized deploy stands.
      if (stage !== 'finalized' || typeof (e as { status?: unknown }).status === 'number')
        failure.message += createdNote(createdId, stage, d.name, failure.message);
    }
    failure.warnings = warnings;
    throw failure;
  } finally {
    if (createdId) settled('deploy');
    if (waking) {
      if (failure) stopWaking.abort(); // no deploy follows: stop waiting for it to wake
      const w = await waking.catch(() => undefined); // a failed wake restored itself
      if (w) {
        const problem = await w.restore();
        if (problem && failure) failure.message += ` (${problem})`;
        else if (problem) warnings.push(problem);
      }
    }
    if (docker) {
      await docker.dispose().catch(() => undefined);
      for (const img of [...(imageRef ? [imageRef] : []), ...removeImages]) {
        await docker.remove(img).catch(() => undefined);
      }
    }
    await fs.rm(work, { recursive: true, force: true }).catch(() => undefined);
  }
}
