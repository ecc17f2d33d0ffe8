// Named DAG bundles (`dag-bundle-name`, Airflow 3): may the Deployment take one, does the
// bundle exist, and which deploy is live in it. A deploy does not say which bundle it went
// to, but the bundle says which version it runs (`currentVersion`) and which it is rolling
// out (`desiredVersion`), and every DAG deploy carries its `dagTarballVersion`: the live
// deploy of a bundle is the one whose version the bundle runs. Pure, so table-tested.
import type { DagBundle, Deploy, Deployment } from '../astro/types.js';
import { apiTypeShipsDags, apiTypeShipsImage } from './kinds.js';
import { finalizedSigns, type LiveDeploys } from './baselines.js';
import { AGENT_DAGS, isRemoteExecution } from './remote-execution.js';
import { airflowMajorOf } from './runtime.js';

/**
 * Why the Deployment cannot take DAGs in a named bundle at all (Airflow 2, DAG deploys off),
 * before its bundles are even listed; undefined when it can.
 */
export function namedBundleTargetRefusal(d: Deployment, name: string): string | undefined {
  const major = airflowMajorOf(d);
  if (major !== 3) {
    return (
      `Input 'dag-bundle-name' ('${name}') needs an Airflow 3 Deployment, but ${d.name} runs ` +
      `${major === undefined ? `Astro Runtime ${d.astroRuntimeVersion || '(unknown)'}` : `Airflow ${major} (Astro Runtime ${d.astroRuntimeVersion})`}, which has no DAG bundles; ` +
      "upgrade it to Airflow 3 or remove 'dag-bundle-name'."
    );
  }
  if (isRemoteExecution(d)) {
    return (
      `Input 'dag-bundle-name' ('${name}') names an Astro DAG bundle, but ${d.name} is a Remote Execution Deployment: ${AGENT_DAGS}; ` +
      "update the agents' DAG bundles, and remove 'dag-bundle-name' to deploy its image."
    );
  }
  if (!d.isDagDeployEnabled) {
    return (
      `Input 'dag-bundle-name' ('${name}') needs DAG deploys, which ${d.name} has disabled; ` +
      "enable DAG deploys on it or remove 'dag-bundle-name'."
    );
  }
  return undefined;
}

/** The bundle named `name` among the Deployment's DAG bundles, or the sentence saying it is missing. */
export function findNamedBundle(
  d: Deployment,
  name: string,
  bundles: DagBundle[],
): DagBundle | string {
  const dagBundles = bundles.filter((b) => b.isDagBundle !== false && b.name);
  const found = dagBundles.find((b) => b.name === name);
  if (found) return found;
  const names = dagBundles.map((b) => `'${b.name}'`).join(', ');
  return (
    `${d.name} has no DAG bundle named '${name}' (its DAG bundles: ${names || 'none'}); ` +
    "create it on the Deployment first or set 'dag-bundle-name' to one of those."
  );
}

const time = (d: Deploy) => Date.parse(d.createdAt);

/**
 * The live deploys with the DAG side taken from the named bundle: its live deploy is the
 * newest finalized DAG deploy whose dagTarballVersion the bundle runs; the stale
 * guard also sees the finalized deploy of the version the bundle is rolling out to.
 */
export function withNamedBundle(
  live: LiveDeploys,
  history: Deploy[],
  bundle: DagBundle,
): LiveDeploys {
  // A dagTarballVersion is set by the finalize: a deploy carrying one was finalized, even if
  // it still shows INITIALIZED while it rolls out (Astro may mark it DEPLOYED only then).
  const newestFirst = history
    .filter((d) => apiTypeShipsDags(d.type) && d.dagTarballVersion)
    .sort((a, b) => time(b) - time(a));
  const carrying = (version?: string) =>
    version ? newestFirst.find((d) => d.dagTarballVersion === version) : undefined;
  const dags = carrying(bundle.currentVersion);
  const coming =
    bundle.desiredVersion !== bundle.currentVersion ? carrying(bundle.desiredVersion) : undefined;
  const imageSide = live.current.filter((d) => apiTypeShipsImage(d.type));
  const current = [...new Set([...imageSide, dags, coming])]
    .filter((d): d is Deploy => d !== undefined && finalizedSigns(d))
    .sort((a, b) => time(b) - time(a));
  return { ...live, dags, current };
}
