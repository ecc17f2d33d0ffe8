// How the emulated Astro behaves: its timings, and one setting per plausible reading where
// Astro's docs leave a behaviour open (tests run the product under each). Documented and
// defaulted here only; startEmulator and the CLI (scripts/emulator.mjs) pass them through.

export const CONCURRENT_ROLLOUTS = ['queue', 'replace'] as const;
export type ConcurrentRollouts = (typeof CONCURRENT_ROLLOUTS)[number];
export const DEPLOY_STATUS_AT = ['finalize', 'rollout-end'] as const;
export type DeployStatusAt = (typeof DEPLOY_STATUS_AT)[number];
export const ROLLBACK_RECORDS = ['versions', 'versions-and-git', 'bare'] as const;
/**
 * A rollback's new deploy: the restored imageTag and dagTarballVersion, those and the target's
 * git record, or neither (imageTag "").
 */
export type RollbackRecord = (typeof ROLLBACK_RECORDS)[number];

export interface ModelOptions {
  /** Seeds ids and names (default 1). */
  seed: number;
  /** CREATING → HEALTHY after this long (default 300). */
  createDelayMs: number;
  /** DEPLOYING → HEALTHY with the new versions this long after the rollout starts (default 300). */
  rolloutDelayMs: number;
  /** A woken Deployment is HEALTHY after this long (default 300). */
  wakeDelayMs: number;
  /**
   * A Deployment created through the API answers 404 on its Airflow API until this long
   * after it turns HEALTHY, as a fresh Astro Deployment's may (default 0: from HEALTHY on).
   */
  airflowApiDelayMs: number;
  /**
   * When an image deploy's tag shows in Deployment.imageTag / imageVersion: at finalize
   * (default: the harsher of the two, since a client that trusts the tag is fooled) or when
   * its rollout ends. Astro's docs do not say which.
   */
  imageTagAt: 'rollout-end' | 'finalize';
  /**
   * How long after a finalize the Deployment keeps its earlier status before it turns
   * DEPLOYING (default 0, at most 10000; Astro's docs do not say). The rollout's duration
   * counts from then.
   */
  rolloutLagMs: number;
  /**
   * A deploy finalized while another's rollout is pending or under way: `queue` (default, as
   * Astro's docs say: one after another, in order, each putting its own versions live when it
   * ends) or `replace` (the newer replaces the older at once; its versions never show). See
   * emulator/rollouts.ts.
   */
  concurrentRollouts: ConcurrentRollouts;
  /**
   * When a finalized deploy's status turns DEPLOYED: at the finalize or when the rollout that
   * carries it ends (`rollout-end`, default: the harsher of the two; with `concurrentRollouts: replace`, a
   * superseded deploy turns DEPLOYED when the rollout that replaced it ends). Until then it
   * shows INITIALIZED, though its dagTarballVersion is recorded at the finalize and a second
   * finalize is refused all the same. Astro's docs do not say (ASTRO-API.md C5).
   */
  deployStatusAt: DeployStatusAt;
  /**
   * How long a deleted Deployment still shows in lists and reads (default 0: gone at once;
   * Astro's docs do not say). A second DELETE meanwhile answers 404, as a repeated one does.
   */
  deleteLingerMs: number;
  /** Registry host[:port] for imageRepository (<registry>/<organization id>/<namespace>); default images.astronomer.cloud. */
  registry?: string;
  /**
   * A query string Astro may append to every webServerAirflowApiUrl, e.g. "orgId=o1" (the
   * Astro CLI cuts everything after `?` before using it); unset: none.
   */
  airflowUrlQuery?: string;
  /**
   * Status of the refusal of a second Deployment with a name already used in the workspace
   * (default 400: the v1 spec lists 400 for CreateDeployment; a conflict may well be 409).
   */
  duplicateNameStatus?: 400 | 409;
  /** Refuse updates of a Deployment still being created (default: take them; undocumented either way). */
  refuseUpdatesWhileCreating?: boolean;
  /**
   * What an update does to the optional settings its body leaves out: `replace` (default, the
   * harsher reading of "an update replaces the Deployment's settings": they are cleared) or
   * `merge` (they stay).
   */
  updates: 'replace' | 'merge';
  /**
   * Which call a hibernating (or still-creating) Deployment refuses a deploy at: `create`
   * (default: the deploy create already, and the finalize) or `finalize` only. Undocumented.
   */
  deploysRefusedAt: 'create' | 'finalize';
  /**
   * Refuse IMAGE_ONLY deploys on a Remote Execution Deployment too (default: take them, as the
   * Astro CLI expects; undocumented).
   */
  refuseRemoteImageOnly?: boolean;
  /**
   * The seeded organization's product (default HOSTED). HYBRID models Astro Hybrid: the
   * seeded analytics and warehouse Deployments are then of type HYBRID (the sandbox stays a
   * development Deployment, which only Hosted has, so that hibernation can be rehearsed).
   */
  organizationProduct?: 'HOSTED' | 'HYBRID';
  /**
   * What a rollback's new deploy shows: the restored imageTag and dagTarballVersion (default
   * `versions`), also the target's git record (`versions-and-git`), or neither (`bare`).
   * Astro's docs do not say (emulator/rollback.ts).
   */
  rollbackRecord: RollbackRecord;
}

type Defaulted = {
  [K in keyof ModelOptions as undefined extends ModelOptions[K] ? never : K]: ModelOptions[K];
};

export const MODEL_DEFAULTS: Defaulted = {
  seed: 1,
  createDelayMs: 300,
  rolloutDelayMs: 300,
  wakeDelayMs: 300,
  airflowApiDelayMs: 0,
  imageTagAt: 'finalize',
  rolloutLagMs: 0,
  concurrentRollouts: 'queue',
  deployStatusAt: 'rollout-end',
  deleteLingerMs: 0,
  updates: 'replace',
  deploysRefusedAt: 'create',
  rollbackRecord: 'versions',
};

/** The options with their defaults; refuses values no reading has (one sentence each). */
export function modelOptions(given: Partial<ModelOptions> = {}): ModelOptions {
  // Left-out and undefined alike take the default.
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const o: ModelOptions = { ...MODEL_DEFAULTS, ...set };
  if (!(o.rolloutLagMs >= 0 && o.rolloutLagMs <= 10_000))
    throw new Error(`rolloutLagMs must be 0..10000, got ${o.rolloutLagMs}`);
  oneOf('imageTagAt', o.imageTagAt, ['rollout-end', 'finalize']);
  oneOf('concurrentRollouts', o.concurrentRollouts, CONCURRENT_ROLLOUTS);
  oneOf('deployStatusAt', o.deployStatusAt, DEPLOY_STATUS_AT);
  oneOf('rollbackRecord', o.rollbackRecord, ROLLBACK_RECORDS);
  oneOf('updates', o.updates, ['replace', 'merge']);
  oneOf('deploysRefusedAt', o.deploysRefusedAt, ['create', 'finalize']);
  if (o.duplicateNameStatus !== undefined)
    oneOf('duplicateNameStatus', o.duplicateNameStatus, [400, 409]);
  if (o.organizationProduct !== undefined)
    oneOf('organizationProduct', o.organizationProduct, ['HOSTED', 'HYBRID']);
  return o;
}

/** Refuses a value the setting has no reading for, naming the ones it has. */
function oneOf(name: string, value: unknown, allowed: readonly unknown[]): void {
  if (!allowed.includes(value))
    throw new Error(
      `${name} must be ${allowed.join(allowed.length > 2 ? ', ' : ' or ')}, got ${String(value)}`,
    );
}
