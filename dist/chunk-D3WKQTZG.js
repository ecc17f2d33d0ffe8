import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import {
  apiTypeIsBundle,
  apiTypeShipsDags,
  apiTypeShipsImage
} from "./chunk-Y544CLIX.js";
import {
  cell,
  codeCell,
  table
} from "./chunk-YBDEDHWX.js";

// src/report/report.ts
function outputs(o) {
  return {
    "preview-id": o.previewId ?? "",
    "deployment-id": o.deploymentId ?? "",
    "deploy-type": o.deployType,
    skipped: String(o.skipped),
    reason: o.reason,
    "deploy-id": o.deployId ?? "",
    "image-tag": o.imageTag ?? "",
    "dag-tarball-version": o.dagTarballVersion ?? "",
    "deployment-url": o.deploymentUrl ?? ""
  };
}
function deploymentUrl(apiUrl, workspaceId, deploymentId) {
  const u = new URL(apiUrl);
  const m = /^api\.(.+)$/.exec(u.hostname) ?? /^(pr\d+)\.api\.(.+)$/.exec(u.hostname);
  const host = m ? m.length === 3 ? `${m[1]}.cloud.${m[2]}` : `cloud.${m[1]}` : u.host;
  const scheme = m ? "https:" : u.protocol;
  return `${scheme}//${host}/${workspaceId}/deployments/${deploymentId}/overview`;
}
var sourceText = {
  history: "the Deployment's deploy history",
  none: "none"
};
function describeBaseline(b) {
  const text = b.commit ? `\`${b.commit.slice(0, 12)}\` from ${sourceText[b.source]}` : "none (deploy everything)";
  return b.note ? `${text} \u2014 ${cell(b.note)}` : text;
}
function firstFew(paths, n = 5) {
  if (!paths.length) return "\u2014";
  const shown = paths.slice(0, n).map((p) => codeCell(p)).join(", ");
  return paths.length > n ? `${shown} and ${paths.length - n} more` : shown;
}
function decisionMarkdown(d, dryRun) {
  const rows = [
    ["Decision", `**${d.plan.kind}**${dryRun ? " (dry run: nothing changed)" : ""}`],
    ["Why", cell(d.plan.reason)],
    ["Commit", `\`${d.head.slice(0, 12)}\``],
    ["Image baseline", describeBaseline(d.baselines.image)],
    ["DAG baseline", describeBaseline(d.baselines.dags)]
  ];
  if (d.changes.bundle || d.baselines.bundle.source !== "none" || d.baselines.bundle.note) {
    rows.push(["Bundle baseline", describeBaseline(d.baselines.bundle)]);
  }
  if (d.changes.image) {
    rows.push([
      `Image paths changed (${d.changes.image.image.length})`,
      firstFew(d.changes.image.image)
    ]);
  }
  if (d.changes.dags) {
    rows.push([`DAG paths changed (${d.changes.dags.dags.length})`, firstFew(d.changes.dags.dags)]);
  }
  if (d.changes.bundle) {
    rows.push([
      `Bundle paths changed (${d.changes.bundle.bundle.length})`,
      firstFew(d.changes.bundle.bundle)
    ]);
  }
  const ignored = (d.changes.image ?? d.changes.dags ?? d.changes.bundle)?.ignored ?? [];
  if (ignored.length) rows.push([`Ignored paths (${ignored.length})`, firstFew(ignored)]);
  return table(rows);
}

// src/decide/baselines.ts
function isBundleDeploy(d) {
  return Boolean(d.bundleMountPath) || apiTypeIsBundle(d.type);
}
var time = (d) => Date.parse(d.createdAt);
function liveDeploys(history, bundle = {}, running = {}) {
  const newestFirst = [...history].sort((a, b) => time(b) - time(a));
  const finalized = (d) => d.status === "DEPLOYED";
  const code = newestFirst.filter((d) => !isBundleDeploy(d));
  const images = code.filter((d) => apiTypeShipsImage(d.type));
  const dagDeploys = code.filter((d) => apiTypeShipsDags(d.type));
  const bundles = newestFirst.filter(
    (d) => isBundleDeploy(d) && (!bundle.mountPath || d.bundleMountPath === bundle.mountPath) && (!bundle.bundleType || !d.bundles?.length || d.bundles.some((b) => b.bundleType === bundle.bundleType))
  );
  const bundleMode = Boolean(bundle.mountPath || bundle.bundleType);
  const named = (list, matches) => list.find((d) => d.status !== "INITIALIZED" && matches(d)) ?? list.find(finalized);
  const image = named(images, (d) => !!running.imageTag && d.imageTag === running.imageTag);
  const dags = named(
    dagDeploys,
    (d) => !!running.dagTarballVersion && d.dagTarballVersion === running.dagTarballVersion
  );
  const ownCurrent = (d) => (d.bundles ?? []).some(
    (b) => (!bundle.mountPath || b.mountPath === bundle.mountPath) && b.currentVersion !== void 0 && b.currentVersion === b.desiredVersion
  );
  const byFinalize = [...bundles].sort(
    (a, b) => Date.parse(b.updatedAt ?? b.createdAt) - Date.parse(a.updatedAt ?? a.createdAt)
  );
  const liveBundle = bundleMode ? byFinalize.find((d) => finalized(d) && ownCurrent(d)) ?? bundles.find(finalized) : void 0;
  const fromLive = (list, live) => live ? list.filter((d) => d === live || finalized(d) && time(d) > time(live)) : [];
  const current = bundleMode ? fromLive(bundles, liveBundle) : [.../* @__PURE__ */ new Set([...fromLive(images, image), ...fromLive(dagDeploys, dags)])].sort(
    (a, b) => time(b) - time(a)
  );
  return { image, dags, bundle: liveBundle, current };
}

export {
  isBundleDeploy,
  liveDeploys,
  outputs,
  deploymentUrl,
  decisionMarkdown
};
