// Every deploy decision lives here: settings × target facts × changes → what to deploy and
// why. A pure function, so every rule is checked by a table test.
import { buildsImage, inputIsBundle, type DeployOutcome, type DeployTypeInput } from './kinds.js';
import { AGENT_DAGS } from './remote-execution.js';

/** Where a baseline commit came from. */
export type BaselineSource = 'history' | 'none';

export interface Baseline {
  commit?: string;
  source: BaselineSource;
  /** Why history could not be used, when it could not (for the summary and the reason). */
  note?: string;
}

export interface PlanInput {
  deployType: DeployTypeInput;
  skipUnchanged: boolean;
  imageName?: string;
  dagDeployEnabled: boolean;
  /** A Remote Execution Deployment: DAGs never go to Astro, only the image does. */
  remoteExecution?: boolean;
  /** The target, for the sentences that name it. */
  target?: { name: string; id: string };
  /** Image paths changed since the image baseline; undefined = no baseline (unknown). */
  imageChanges?: string[];
  /** DAG paths changed since the DAG baseline; undefined = no baseline. */
  dagChanges?: string[];
  /** DAG paths changed since the image baseline (DAGs ride in the image when DAG deploys are off). */
  dagChangesSinceImage?: string[];
  /** Bundle paths changed since the bundle baseline; undefined = no baseline. */
  bundleChanges?: string[];
  /**
   * Why a kind has no baseline (no deploys, no commit recorded, a commit that cannot be
   * fetched), for the reason; the event is never a baseline.
   */
  unknown?: { image?: string; dags?: string; bundle?: string };
  /** A commit newer than HEAD (HEAD is its strict ancestor) is already live. */
  newerLive?: string;
  /**
   * The branch on origin points at HEAD again (a force push back): the newer live commit was
   * taken away by its owner, so this is a rollback, not a late older run.
   */
  branchMovedBack?: boolean;
  /**
   * newerLive is only maybe on its way: its image deploy shows no sign of a finalize but the
   * Deployment's rollout (baselines.ts `maybe`).
   */
  newerMaybe?: boolean;
}

export interface Plan {
  kind: DeployOutcome;
  reason: string;
  /** Nothing deploys because a newer commit is live: this run is behind what is deployed. */
  stale?: boolean;
}

export class PlanError extends Error {
  override name = 'PlanError';
}

const count = (paths: string[], what: string) =>
  `${paths.length} ${what} path${paths.length === 1 ? '' : 's'} changed`;

/**
 * Why a bundle deploy (dbt, non-dags) cannot go to this Deployment, if it cannot: bundles
 * need DAG deploys, which a Remote Execution Deployment never has. The plan refuses with it
 * (so a dry run says what the real run would), and the deploy's preflight too.
 */
export function bundleRefusal(
  dagDeployEnabled: boolean,
  remoteExecution: boolean,
  target: { name: string; id: string },
): string | undefined {
  const where = `${target.name} (${target.id})`;
  if (remoteExecution)
    return (
      `Bundle deploys cannot go to ${where}, a Remote Execution Deployment, which has DAG deploys off: ${AGENT_DAGS}; ` +
      "put them in the agents' DAG bundles instead, or use deploy-type: image-and-dags to deploy its image."
    );
  if (!dagDeployEnabled)
    return (
      `Bundle deploys need DAG deploys enabled on ${where}; ` +
      'enable them in the Deployment settings, or use deploy-type: image-and-dags.'
    );
  return undefined;
}

/** Refuses a deploy type the Deployment cannot take at all (whatever changed). */
export function assertDeployTypeFits(
  type: DeployTypeInput,
  dagDeployEnabled: boolean,
  remoteExecution = false,
  target: { name: string; id: string } = { name: 'this Deployment', id: 'unknown id' },
): void {
  const bundle = inputIsBundle(type) && bundleRefusal(dagDeployEnabled, remoteExecution, target);
  if (bundle) throw new PlanError(bundle);
  if (type === 'dags-only' && remoteExecution) {
    throw new PlanError(
      `'deploy-type: dags-only' cannot deploy to a Remote Execution Deployment: ${AGENT_DAGS}; update the agents' DAG bundles instead, or use 'deploy-type: image-and-dags' to deploy its image.`,
    );
  }
  if (type === 'dags-only' && !dagDeployEnabled) {
    throw new PlanError(
      "'deploy-type: dags-only' needs DAG deploys, which this Deployment has disabled; enable DAG deploys on it or use 'deploy-type: image-and-dags'.",
    );
  }
  // Remote Execution is the exception: the image never carries the DAGs there (the CLI allows it).
  if (type === 'image-only' && !dagDeployEnabled && !remoteExecution) {
    throw new PlanError(
      "'deploy-type: image-only' needs DAG deploys, which this Deployment has disabled (Astro then takes only deploys that carry the DAGs in the image); use 'deploy-type: image-and-dags', or enable DAG deploys on it.",
    );
  }
}

export function decide(input: PlanInput): Plan {
  const { deployType: type } = input;

  assertDeployTypeFits(type, input.dagDeployEnabled, input.remoteExecution, input.target);
  const stale = staleReason(input);
  if (stale) return { ...none(stale), stale: true };
  if (type === 'infer') return inferred(input);
  if (!input.skipUnchanged)
    return { kind: type, reason: `skip-unchanged is false and deploy-type is ${type}` };
  if (input.imageName && buildsImage(type))
    return { kind: type, reason: `image-name is set (${input.imageName})` };
  switch (type) {
    case 'dags-only':
      return dagsOnly(input);
    case 'image-and-dags':
      return imageAndDags(input);
    case 'image-only':
      return imageOnly(input);
    case 'dbt':
    case 'non-dags':
      return bundle(input, type);
  }
}

function dagsOnly(input: PlanInput): Plan {
  if (!input.dagChanges)
    return {
      kind: 'dags-only',
      reason: `${unknown(input, 'dags')}, so the whole DAG folder is deployed`,
    };
  if (input.dagChanges.length) return { kind: 'dags-only', reason: count(input.dagChanges, 'DAG') };
  return none('no DAG path changed since the live DAG deploy');
}

function imageAndDags(input: PlanInput): Plan {
  if (!input.imageChanges)
    return {
      kind: 'image-and-dags',
      reason: `${unknown(input, 'image')}, so the image and the DAGs are deployed`,
    };
  const dags = (input.dagDeployEnabled ? input.dagChanges : input.dagChangesSinceImage) ?? [];
  if (input.imageChanges.length)
    return { kind: 'image-and-dags', reason: count(input.imageChanges, 'image') };
  if (input.remoteExecution)
    return remoteNone(input, 'no image path changed since the live deploy');
  if (dags.length || (input.dagDeployEnabled && !input.dagChanges)) {
    return {
      kind: 'image-and-dags',
      reason: input.dagChanges
        ? count(dags, 'DAG')
        : `${unknown(input, 'dags')}, so the image and the whole DAG folder are deployed`,
    };
  }
  return none('no image or DAG path changed since the live deploy');
}

function imageOnly(input: PlanInput): Plan {
  if (!input.imageChanges)
    return { kind: 'image-only', reason: `${unknown(input, 'image')}, so the image is deployed` };
  if (input.imageChanges.length)
    return { kind: 'image-only', reason: count(input.imageChanges, 'image') };
  if (input.remoteExecution)
    return remoteNone(input, 'no image path changed since the live image deploy');
  if (input.dagChanges?.length) {
    return none(
      `only DAG paths changed (${input.dagChanges.length}); an image-only deploy would not ship them`,
    );
  }
  return none('no image path changed since the live image deploy');
}

function bundle(input: PlanInput, type: 'dbt' | 'non-dags'): Plan {
  if (!input.bundleChanges)
    return {
      kind: type,
      reason: `${unknown(input, 'bundle', `${type} bundle`)}, so the whole bundle is deployed`,
    };
  if (input.bundleChanges.length)
    return { kind: type, reason: count(input.bundleChanges, 'bundle') };
  return none(`no ${type} bundle path changed since the live bundle deploy`);
}

/** The stale guard (when deciding and again before finalizing): why not to deploy, if so. */
export function staleReason(
  input: Pick<PlanInput, 'newerLive' | 'branchMovedBack' | 'newerMaybe'>,
  finalizing = false,
): string | undefined {
  if (!input.newerLive || input.branchMovedBack) return undefined;
  const sha = input.newerLive.slice(0, 12);
  // Conservative: an older commit must never roll out after (and over) a newer one.
  if (input.newerMaybe)
    return finalizing
      ? `a later run's deploy of a newer commit ${sha} may be on its way (the Deployment is DEPLOYING and that deploy was made after the live one), so this older commit's deploy was not finalized (left unfinalized, it changes nothing)`
      : `a later run's deploy of a newer commit ${sha} may be on its way (the Deployment is DEPLOYING and that deploy was made after the live one), so this older commit is not deployed`;
  return finalizing
    ? `a later run deployed a newer commit ${sha} while this run was deploying, so this older commit's deploy was not finalized (left unfinalized, it changes nothing)`
    : `a newer commit ${sha} is already live (a later run deployed it), so this older commit is not deployed`;
}

function inferred(input: PlanInput): Plan {
  if (input.imageName)
    return { kind: 'image-and-dags', reason: `image-name is set (${input.imageName})` };
  if (!input.skipUnchanged)
    return {
      kind: 'image-and-dags',
      reason: 'skip-unchanged is false, so the whole project is deployed',
    };
  if (!input.imageChanges) {
    return {
      kind: 'image-and-dags',
      reason: `no baseline: ${unknown(input, 'image')}, so the whole project is deployed`,
    };
  }
  if (input.imageChanges.length)
    return { kind: 'image-and-dags', reason: count(input.imageChanges, 'image') };
  if (input.remoteExecution)
    return remoteNone(input, 'nothing relevant changed since the live deploy');
  if (!input.dagDeployEnabled) {
    const dags = input.dagChangesSinceImage ?? [];
    if (dags.length) {
      return {
        kind: 'image-and-dags',
        reason: `${count(dags, 'DAG')} and the Deployment has DAG deploys disabled, so DAGs ship in the image`,
      };
    }
    return none('nothing relevant changed since the live deploy');
  }
  if (!input.dagChanges)
    return {
      kind: 'dags-only',
      reason: `${unknown(input, 'dags')}, so the whole DAG folder is deployed`,
    };
  if (input.dagChanges.length)
    return { kind: 'dags-only', reason: `only DAGs changed: ${count(input.dagChanges, 'DAG')}` };
  return none('nothing relevant changed since the live deploy');
}

/** "no DAG deploy is known to be live (why)": the event is never a baseline. */
function unknown(input: PlanInput, kind: 'image' | 'dags' | 'bundle', what?: string): string {
  const label = what ?? (kind === 'dags' ? 'DAG' : kind);
  const why = input.unknown?.[kind] ?? 'no usable commit in the deploy history';
  return `no ${label} deploy is known to be live (${why})`;
}

/** Remote Execution, no image change: DAG changes need no Astro deploy (the reason says why). */
function remoteNone(input: PlanInput, unchanged: string): Plan {
  const dags = input.dagChangesSinceImage ?? [];
  if (!dags.length) return none(unchanged);
  return none(
    `only DAG paths changed (${dags.length}) and this is a Remote Execution Deployment, so no Astro deploy is needed: ${AGENT_DAGS}`,
  );
}

function none(reason: string): Plan {
  return { kind: 'none', reason };
}
