// What a deploy is asked to do, what it needs, and what it hands back: shared by the stages
// (preflight, image, pack, ship, finalize) and executeDeploy, which runs them in order.
import type { AstroApi, Deploy, Deployment, GitInfo } from '../astro/types.js';
import type { Docker } from '../platform/docker.js';
import type { Journal } from '../journal.js';
import type { Log } from '../platform/log.js';
import type { TarballResult } from './tarball.js';

import type { DeployKind } from '../decide/kinds.js';

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
  /** The named DAG bundle the DAGs go to (created on v1alpha1); undefined: the default bundle. */
  dagBundleName?: string;
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
  /** The stale guard again, right before the finalize (see FinalizeCheck). */
  beforeFinalize?: () => Promise<FinalizeCheck>;
}

/** What the stale guard before the finalize found. */
export interface FinalizeCheck {
  /** A reason not to finalize (a newer commit went live meanwhile); none: go on. */
  stale?: string;
  /** The deploy list it read, moments before the finalize: the wait takes it, not another read. */
  history?: Deploy[];
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
  /** Where the deploy records what it created and how far it got; a journal of its own by default. */
  journal?: Journal;
}

export interface DeployResult {
  deployId: string;
  kind: DeployKind;
  imageTag?: string;
  /** The full reference pushed (`<imageRepository>:<imageTag>`). */
  imageRef?: string;
  dagTarballVersion?: string;
  /** The named DAG bundle the DAG tarball went to (undefined: the default bundle). */
  dagBundleName?: string;
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
