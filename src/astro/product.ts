// Is a Deployment on Astro Hybrid? The organization's product says (HOSTED or not); a token
// that may not read the organization (a Deployment token, say) leaves the Deployment's type:
// only Hybrid organizations have HYBRID Deployments. Read once here for every part that asks
// (the monitoring DAG of DAG tarballs, the Hosted-only rollback API).
import type { Log } from '../platform/log.js';
import type { AstroApi, Deployment } from './types.js';

/** Whether `d` is on Astro Hybrid, and the organization's product when it could be read. */
export async function onHybrid(
  api: AstroApi,
  d: Deployment,
  log: Log,
): Promise<{ hybrid: boolean; product?: string }> {
  try {
    const { product } = await api.getOrganization();
    return { hybrid: product !== 'HOSTED', product };
  } catch (e) {
    const hybrid = d.type === 'HYBRID';
    log.info(
      `Could not read organization ${d.organizationId} (${(e as Error).message}); ${d.name} is a ${d.type ?? 'typeless'} Deployment, so it is taken as Astro ${hybrid ? 'Hybrid' : 'Hosted'}.`,
    );
    return { hybrid };
  }
}
