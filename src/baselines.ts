// What is live: the commits of the newest successful image, DAG and bundle deploys, read
// from the Deployment's deploy history (every deploy we make carries its commit).
import type { Deploy } from './astro/types.js';

export interface LiveDeploys {
  image?: Deploy;
  dags?: Deploy;
  bundle?: Deploy;
  /** The newest successful deploy of any kind this run could have made (stale guard). */
  newest?: Deploy;
}

export interface BundleKey {
  bundleType?: string;
  mountPath?: string;
}

export function isBundleDeploy(d: Deploy): boolean {
  return Boolean(d.bundleMountPath) || d.type === 'BUNDLE';
}

/** Picks the live deploys from a history in any order. Pure. */
export function liveDeploys(history: Deploy[], bundle: BundleKey = {}): LiveDeploys {
  const done = history
    .filter((d) => d.status === 'DEPLOYED')
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const code = done.filter((d) => !isBundleDeploy(d));
  const bundles = done.filter(
    (d) =>
      isBundleDeploy(d) &&
      (!bundle.mountPath || d.bundleMountPath === bundle.mountPath) &&
      (!bundle.bundleType ||
        !d.bundles?.length ||
        d.bundles.some((b) => b.bundleType === bundle.bundleType)),
  );
  const bundleMode = Boolean(bundle.mountPath || bundle.bundleType);
  return {
    image: code.find((d) => d.type === 'IMAGE_AND_DAG' || d.type === 'IMAGE_ONLY'),
    dags: code.find((d) => d.type === 'IMAGE_AND_DAG' || d.type === 'DAG_ONLY'),
    bundle: bundleMode ? bundles[0] : undefined,
    newest: bundleMode ? bundles[0] : code[0],
  };
}
