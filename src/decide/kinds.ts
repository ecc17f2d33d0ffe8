// One table of deploy kinds and what each one is: the one place that says which kinds build
// an image, ship the DAG folder, deploy a bundle, need Docker, and which API deploy type
// they create. Everything else looks a kind up here instead of re-deriving it.
import type { DeployType } from '../astro/types.js';

/** A kind a deploy can run: what the decision picks and the executor carries out. */
export const DEPLOY_KINDS = [
  'dags-only',
  'image-and-dags',
  'image-only',
  'dbt',
  'non-dags',
] as const;
export type DeployKind = (typeof DEPLOY_KINDS)[number];

/** The `deploy-type` input: a kind, or `infer` (let the changes decide). */
export const DEPLOY_TYPES = ['infer', ...DEPLOY_KINDS] as const;
export type DeployTypeInput = (typeof DEPLOY_TYPES)[number];

/** What was (or would be) done: the `deploy-type` output (`none` when nothing is deployed). */
export type DeployOutcome = DeployKind | 'none';

export interface KindProperties {
  /** Builds (or takes, with image-name) an image and pushes it: needs a Docker engine. */
  image: boolean;
  /**
   * Ships the DAG folder as a DAG tarball: 'always', 'never', or 'if-dag-deploy' (only when
   * the Deployment has DAG deploys enabled; otherwise the DAGs ride in the image).
   */
  dags: 'always' | 'never' | 'if-dag-deploy';
  /** Deploys a bundle (a dbt project or another folder) mounted into the Deployment. */
  bundle: boolean;
  /** Needs DAG deploys enabled on the Deployment. */
  needsDagDeploy: boolean;
  /** The deploy type sent to the Astro API. */
  apiType: DeployType;
}

export const KINDS: Readonly<Record<DeployKind, KindProperties>> = {
  'dags-only': {
    image: false,
    dags: 'always',
    bundle: false,
    needsDagDeploy: true,
    apiType: 'DAG_ONLY',
  },
  'image-and-dags': {
    image: true,
    dags: 'if-dag-deploy',
    bundle: false,
    needsDagDeploy: false,
    apiType: 'IMAGE_AND_DAG',
  },
  'image-only': {
    image: true,
    dags: 'never',
    bundle: false,
    needsDagDeploy: true,
    apiType: 'IMAGE_ONLY',
  },
  dbt: { image: false, dags: 'never', bundle: true, needsDagDeploy: true, apiType: 'BUNDLE' },
  'non-dags': {
    image: false,
    dags: 'never',
    bundle: true,
    needsDagDeploy: true,
    apiType: 'BUNDLE',
  },
};

/** The kind a deploy-type input stands for before any change is seen (`infer` may build an image). */
export function kindOfInput(type: DeployTypeInput): DeployKind {
  return type === 'infer' ? 'image-and-dags' : type;
}

/**
 * The API type a deploy of this kind is created with. On a Remote Execution Deployment every
 * image deploy is IMAGE_AND_DAG: the type the Astro CLI's plain deploy sends there, and the one
 * Astro takes on any Deployment without DAG deploys, where it carries only the image, as
 * IMAGE_ONLY would (whether Astro takes IMAGE_ONLY there is undocumented; the CLI's `--image`
 * sends it).
 */
export function apiTypeOf(kind: DeployKind, remoteExecution: boolean): DeployType {
  return remoteExecution && KINDS[kind].image ? 'IMAGE_AND_DAG' : KINDS[kind].apiType;
}

/** Does this kind build or push an image (and so need Docker)? */
export const buildsImage = (kind: DeployKind): boolean => KINDS[kind].image;

/** Does this kind deploy a bundle? */
export const isBundle = (kind: DeployKind): boolean => KINDS[kind].bundle;

/** Does a deploy of this kind ship the DAG folder (as a DAG tarball) to a Deployment? */
export function shipsDagFolder(kind: DeployKind, dagDeployEnabled: boolean): boolean {
  const dags = KINDS[kind].dags;
  return dags === 'always' || (dags === 'if-dag-deploy' && dagDeployEnabled);
}

/** Does this deploy-type input deploy a bundle (dbt, non-dags)? */
export const inputIsBundle = (type: DeployTypeInput): boolean =>
  type !== 'infer' && KINDS[type].bundle;

/** Does this deploy-type input name a kind that never carries an image? (`infer` may.) */
export const inputExcludesImage = (type: DeployTypeInput): boolean =>
  type !== 'infer' && !KINDS[type].image;

const kindsOfApiType = (type: DeployType) =>
  DEPLOY_KINDS.filter((k) => KINDS[k].apiType === type).map((k) => KINDS[k]);

/** Does a deploy of this API type carry an image? (Read from the table: no list of types.) */
export const apiTypeShipsImage = (type: DeployType): boolean =>
  kindsOfApiType(type).some((k) => k.image);

/** Does a deploy of this API type carry a DAG tarball (at least on some Deployments)? */
export const apiTypeShipsDags = (type: DeployType): boolean =>
  kindsOfApiType(type).some((k) => k.dags !== 'never');

/** Is a deploy of this API type a bundle deploy? */
export const apiTypeIsBundle = (type: DeployType): boolean =>
  kindsOfApiType(type).some((k) => k.bundle);
