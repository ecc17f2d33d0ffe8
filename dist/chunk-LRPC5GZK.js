import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);

// src/preview/names.ts
import { createHash } from "node:crypto";
var MAX_PREVIEW_NAME = 63;
var PreviewNameError = class extends Error {
  name = "PreviewNameError";
};
function branchFromRef(ref) {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}
function branchHash(branch) {
  return createHash("sha1").update(branchFromRef(branch), "utf8").digest("hex").slice(0, 6);
}
function branchSlug(branch) {
  const slug = branchFromRef(branch).replace(/[^A-Za-z0-9._-]/gu, "-").replace(/-{2,}/g, "-").replace(/^[-._]+|[-._]+$/g, "");
  return slug === "" ? branchHash(branch) : slug;
}
var NAME_EDGES = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su;
function validDeploymentName(name) {
  return NAME_EDGES.test(name);
}
function previewName(args) {
  const explicit = args.explicit?.trim();
  if (explicit) {
    if (!validDeploymentName(explicit)) {
      throw new PreviewNameError(
        `preview-name "${explicit}" is not a name Astro accepts (a Deployment name must start and end with a letter or a digit): change preview-name.`
      );
    }
    return explicit;
  }
  const branch = branchFromRef(args.branch);
  if (branch.trim() === "") {
    throw new PreviewNameError(
      "Cannot name the preview Deployment: the branch is unknown. Set preview-name, or run on a pull request or a branch push."
    );
  }
  if (!validDeploymentName(`x${args.baseName}`)) {
    throw new PreviewNameError(
      `Cannot make a preview name from the base Deployment name "${args.baseName}", since a Deployment name must end with a letter or a digit: set preview-name to a name that starts and ends with one.`
    );
  }
  const slug = branchSlug(branch);
  const tail = `_${args.baseName}`;
  const full = `${slug}${tail}`;
  if (full.length <= MAX_PREVIEW_NAME) return full;
  const suffix = `-${branchHash(branch)}`;
  const room = MAX_PREVIEW_NAME - tail.length - suffix.length;
  if (room < 1) {
    throw new PreviewNameError(
      `The base Deployment name "${args.baseName}" is ${args.baseName.length} characters long, so a preview name <branch>_${args.baseName} cannot fit in ${MAX_PREVIEW_NAME} characters. Set preview-name to a shorter name.`
    );
  }
  const cut = slug.slice(0, room).replace(/-+$/, "");
  return `${cut}${suffix}${tail}`;
}
function legacyPreviewName(args) {
  const branch = branchFromRef(args.branch);
  const last = branch.slice(branch.lastIndexOf("/") + 1);
  return `${last}_${args.baseName}`.replace(/ /g, "_");
}
function previewMarker(baseId, branch) {
  return `Preview of ${baseId} for branch ${branchFromRef(branch)}`;
}
var ANY_MARKER = /(^|\s)Preview of \S+ for branch \S/;
function hasMarker(description, baseId, branch) {
  if (!description) return false;
  const marker = previewMarker(baseId, branch);
  let from = 0;
  for (; ; ) {
    const at = description.indexOf(marker, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : description[at - 1];
    const rest = description.slice(at + marker.length);
    const startsClean = before === "" || /\s/.test(before);
    const endsClean = rest === "" || /^\s/.test(rest) || /^\.(\s|$)/.test(rest);
    if (startsClean && endsClean) return true;
    from = at + 1;
  }
}
function hasAnyMarker(description) {
  return !!description && ANY_MARKER.test(description);
}
function previewDescription(baseId, baseName, branch, note) {
  const text = note?.trim() || `copy of ${baseName}, made for CI by the Astro deploy action`;
  return `${previewMarker(baseId, branch)} \u2014 ${text}`.slice(0, 1e3);
}
function markedBranch(description, baseId) {
  if (!description) return void 0;
  const prefix = `Preview of ${baseId} for branch `;
  let from = 0;
  for (; ; ) {
    const at = description.indexOf(prefix, from);
    if (at < 0) return void 0;
    const word = /^\S+/.exec(description.slice(at + prefix.length))?.[0];
    const branch = word?.replace(/\.$/, "");
    if (branch && hasMarker(description, baseId, branch)) return branch;
    from = at + 1;
  }
}

export {
  previewName,
  legacyPreviewName,
  previewMarker,
  hasMarker,
  hasAnyMarker,
  previewDescription,
  markedBranch
};
