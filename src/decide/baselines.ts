// What is live: the deploys whose versions the Deployment runs (its imageTag, its
// dagTarballVersion, a bundle's current version), read from its deploy history (every deploy
// we make carries its commit, and so do the Astro CLI's). Only when the Deployment's fields
// name none of them, the newest finalized deploy of that kind stands in.
import type { Deploy, Deployment } from '../astro/types.js';
import { finalizedShows } from '../astro/deploy-status.js';
import { apiTypeIsBundle, apiTypeShipsDags, apiTypeShipsImage } from './kinds.js';

export interface LiveDeploys {
  image?: Deploy;
  dags?: Deploy;
  bundle?: Deploy;
  /**
   * For the stale guard: each kind's live deploy and the finalized deploys of that kind made
   * after it (on their way to going live), newest first.
   */
  current: Deploy[];
  /**
   * For the stale guard: image deploys that may be on their way though nothing says they were
   * finalized (INITIALIZED, no version recorded, made after the live image deploy while the
   * Deployment is DEPLOYING), newest first. See `finalizedSigns`.
   */
  maybe: Deploy[];
}

export interface BundleKey {
  bundleType?: string;
  mountPath?: string;
}

/** What the Deployment says it runs (and, for the stale guard, what it rolls out). */
export type Running = Partial<
  Pick<Deployment, 'imageTag' | 'dagTarballVersion' | 'desiredDagTarballVersion' | 'status'>
>;

/**
 * Was this deploy finalized? What the deploy shows (finalizedShows: DEPLOYED, or INITIALIZED with
 * a version only a finalize sets), or, for an image deploy with the tag shown at finalize, the
 * Deployment showing its tag. Pure.
 */
export function finalizedSigns(d: Deploy, running: Running = {}): boolean {
  if (finalizedShows(d)) return true;
  return (
    d.status === 'INITIALIZED' &&
    apiTypeShipsImage(d.type) &&
    !!d.imageTag &&
    d.imageTag === running.imageTag
  );
}

export function isBundleDeploy(d: Deploy): boolean {
  return Boolean(d.bundleMountPath) || apiTypeIsBundle(d.type);
}

const time = (d: Deploy) => Date.parse(d.createdAt);

/** Picks the live deploys from a history in any order. Pure. */
export function liveDeploys(
  history: Deploy[],
  bundle: BundleKey = {},
  running: Running = {},
): LiveDeploys {
  const newestFirst = [...history].sort((a, b) => time(b) - time(a));
  const finalized = (d: Deploy) => d.status === 'DEPLOYED';
  const code = newestFirst.filter((d) => !isBundleDeploy(d));
  const images = code.filter((d) => apiTypeShipsImage(d.type));
  const dagDeploys = code.filter((d) => apiTypeShipsDags(d.type));
  const bundles = newestFirst.filter(
    (d) =>
      isBundleDeploy(d) &&
      (!bundle.mountPath || d.bundleMountPath === bundle.mountPath) &&
      (!bundle.bundleType ||
        !d.bundles?.length ||
        d.bundles.some((b) => b.bundleType === bundle.bundleType)),
  );
  const bundleMode = Boolean(bundle.mountPath || bundle.bundleType);

  const named = (list: Deploy[], matches: (d: Deploy) => boolean) =>
    list.find((d) => d.status !== 'INITIALIZED' && matches(d)) ?? list.find(finalized);
  const image = named(images, (d) => !!running.imageTag && d.imageTag === running.imageTag);
  const dags = named(
    dagDeploys,
    (d) => !!running.dagTarballVersion && d.dagTarballVersion === running.dagTarballVersion,
  );
  // A bundle deploy runs when its bundle's current version is its own; the last finalized wins.
  const ownCurrent = (d: Deploy) =>
    (d.bundles ?? []).some(
      (b) =>
        (!bundle.mountPath || b.mountPath === bundle.mountPath) &&
        b.currentVersion !== undefined &&
        b.currentVersion === b.desiredVersion,
    );
  const byFinalize = [...bundles].sort(
    (a, b) => Date.parse(b.updatedAt ?? b.createdAt) - Date.parse(a.updatedAt ?? a.createdAt),
  );
  const liveBundle = bundleMode
    ? (byFinalize.find((d) => finalized(d) && ownCurrent(d)) ?? bundles.find(finalized))
    : undefined;

  /** `live` and the finalized deploys of `list` made after it (finalized by any sign). */
  const fromLive = (list: Deploy[], live: Deploy | undefined) =>
    live
      ? list.filter((d) => d === live || (finalizedSigns(d, running) && time(d) > time(live)))
      : [];
  // An image deploy whose tag shows only when its rollout ends, with no DAGs, gives no sign
  // but the rollout: INITIALIZED, made after the live one, while the Deployment is DEPLOYING.
  const maybe =
    !bundleMode && image && running.status === 'DEPLOYING'
      ? images.filter(
          (d) => d.status === 'INITIALIZED' && time(d) > time(image) && !finalizedSigns(d, running),
        )
      : [];
  const current = bundleMode
    ? fromLive(bundles, liveBundle)
    : [...new Set([...fromLive(images, image), ...fromLive(dagDeploys, dags)])].sort(
        (a, b) => time(b) - time(a),
      );
  return { image, dags, bundle: liveBundle, current, maybe };
}
