// Remote Execution Deployments (`remoteExecution.enabled`): Astro runs the orchestration
// side only; the Remote Execution agents run the tasks, from their own images and their own
// DAG bundles. So Astro takes no DAGs for them: DAG deploys are off, DAG-only deploys are
// refused, an image deploy builds the image without the DAG folder, runs no DAG checks and
// finalizes with `{}` (Astro CLI `cloud/deploy/deploy.go`).
import type { Deployment } from '../astro/types.js';

/** Is this a Remote Execution Deployment? */
export const isRemoteExecution = (d: Pick<Deployment, 'remoteExecution'>): boolean =>
  d.remoteExecution?.enabled === true;

/** Why no DAGs go to a Remote Execution Deployment (for reasons, errors and logs). */
export const AGENT_DAGS =
  "its DAGs come from the Remote Execution agents' own DAG bundles, not from Astro";

/** The summary's and the log's sentence about what a deploy to it does not update. */
export function remoteExecutionNote(name: string): string {
  return (
    `${name} is a Remote Execution Deployment: a deploy updates only the image Astro runs; ` +
    "the agents' images and DAG bundles are updated outside Astro, where the agents run."
  );
}
