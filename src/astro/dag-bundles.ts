// The calls of named DAG bundles, which only Astro API v1alpha1 has: creating a deploy to a
// named bundle and listing a Deployment's DAG bundles. The v1alpha1 base URL is the v1 one
// with its version segment changed, so an `api-url` override (an emulator) keeps working.
// The finalize of such a deploy goes to v1 like any other.
import type { Call } from './client.js';
import type { ErrorContext } from './errors.js';
import type { CreateDagBundleDeployRequest, DagBundle, Deploy } from './types.js';

interface ClientParts {
  /** The v1 base URL (ends in /v1). */
  baseUrl: string;
  /** The path of a Deployment below the base URL. */
  dep: (id: string) => string;
  ctx: (c?: Omit<ErrorContext, 'organizationId'>) => ErrorContext;
  call: <T>(c: Call) => Promise<T>;
  listAll: <T>(c: Omit<Call, 'kind' | 'method'>, key: string) => Promise<T[]>;
}

/** `https://api.astronomer.io/v1` → `https://api.astronomer.io/v1alpha1`. */
export function v1alpha1Base(baseUrl: string): string {
  return baseUrl.replace(/\/v1$/, '/v1alpha1');
}

export function dagBundleCalls(p: ClientParts) {
  const base = v1alpha1Base(p.baseUrl);
  return {
    // A repeated create leaves an extra INITIALIZED deploy that is never finalized: harmless.
    createDagBundleDeploy: (deploymentId: string, body: CreateDagBundleDeployRequest) =>
      p.call<Deploy>({
        op: 'createDagBundleDeploy',
        base,
        method: 'POST',
        path: `${p.dep(deploymentId)}/deploys`,
        body,
        kind: 'idempotent',
        context: p.ctx({ deploymentId }),
      }),

    listDagBundles: (deploymentId: string) =>
      p.listAll<DagBundle>(
        {
          op: 'listDagBundles',
          base,
          path: `${p.dep(deploymentId)}/bundles`,
          query: { isDagBundle: true },
          context: p.ctx({ deploymentId }),
        },
        'bundles',
      ),
  };
}
