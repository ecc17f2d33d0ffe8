// Preview Deployment names and the marker sentence that says a Deployment is a preview
// (the action's interface: names keep the whole branch, fit 63 characters). Pure: no I/O.

import { createHash } from 'node:crypto';

/** Longest default preview name. */
export const MAX_PREVIEW_NAME = 63;

/** An input problem with preview names; the message is one sentence a user can act on. */
export class PreviewNameError extends Error {
  override name = 'PreviewNameError';
}

/** The branch name of a ref: `refs/heads/a/b` → `a/b`; anything else is returned as it is. */
export function branchFromRef(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

/** First 6 hex digits of sha1(branch): keeps cut names of long branches distinct. */
export function branchHash(branch: string): string {
  return createHash('sha1').update(branchFromRef(branch), 'utf8').digest('hex').slice(0, 6);
}

/**
 * The whole branch as a name part: `/` and every character outside `[A-Za-z0-9._-]` become
 * `-`, runs of `-` fold into one, and the result never starts or ends with `-` (nor with `.`
 * or `_`: Astro names start with a letter or a digit, so `_x` and `.x` give `x`).
 * A branch with nothing left (e.g. only non-ASCII characters) gets its 6-hex hash instead,
 * so the name is never `_<base>` and different such branches stay distinct.
 */
export function branchSlug(branch: string): string {
  const slug = branchFromRef(branch)
    .replace(/[^A-Za-z0-9._-]/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return slug === '' ? branchHash(branch) : slug;
}

/** Astro takes a Deployment name that starts and ends with a letter or a digit. */
const NAME_EDGES = /^[\p{L}\p{N}](?:.*[\p{L}\p{N}])?$/su;

/** Whether Astro takes `name` as a Deployment name, as far as its edges go. */
export function validDeploymentName(name: string): boolean {
  return NAME_EDGES.test(name);
}

/**
 * The preview Deployment's name.
 * - `explicit` (the `preview-name` input) wins as it is (trimmed).
 * - default `<branch slug>_<base name>`;
 * - over 63 characters: the slug is cut and `-<6 hex of sha1(branch)>` appended, so the
 *   whole name is exactly 63 characters at most and the cut slug never ends with `-`.
 * - a base name so long that not even one slug character plus the hash fit (longer than
 *   54 characters) is an error asking for `preview-name`: cutting the base name as well
 *   would make previews of different bases with a common prefix share a name, and
 *   silently dropping the branch would make all branches share one.
 */
export function previewName(args: { branch: string; baseName: string; explicit?: string }): string {
  const explicit = args.explicit?.trim();
  if (explicit) {
    if (!validDeploymentName(explicit)) {
      throw new PreviewNameError(
        `preview-name "${explicit}" is not a name Astro accepts (a Deployment name must start and end with a letter or a digit): change preview-name.`,
      );
    }
    return explicit;
  }
  const branch = branchFromRef(args.branch);
  if (branch.trim() === '') {
    throw new PreviewNameError(
      'Cannot name the preview Deployment: the branch is unknown. Set preview-name, or run on a pull request or a branch push.',
    );
  }
  // The name ends with the base's name, so that must end with a letter or a digit (the slug
  // starts with one).
  if (!validDeploymentName(`x${args.baseName}`)) {
    throw new PreviewNameError(
      `Cannot make a preview name from the base Deployment name "${args.baseName}", since a Deployment name must end with a letter or a digit: ` +
        `set preview-name to a name that starts and ends with one.`,
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
      `The base Deployment name "${args.baseName}" is ${args.baseName.length} characters long, so a preview name ` +
        `<branch>_${args.baseName} cannot fit in ${MAX_PREVIEW_NAME} characters. Set preview-name to a shorter name.`,
    );
  }
  // The slug never starts with '-', so at least its first character survives the trim.
  const cut = slug.slice(0, room).replace(/-+$/, '');
  return `${cut}${suffix}${tail}`;
}

/**
 * The name Astronomer's deploy-action gave previews: `<last branch segment>_<base name>`
 * with spaces turned into `_`. Only used to find (and delete) previews it made.
 */
export function legacyPreviewName(args: { branch: string; baseName: string }): string {
  const branch = branchFromRef(args.branch);
  const last = branch.slice(branch.lastIndexOf('/') + 1);
  return `${last}_${args.baseName}`.replace(/ /g, '_');
}

/** The sentence that marks a Deployment as the preview of a base for a branch. */
export function previewMarker(baseId: string, branch: string): string {
  return `Preview of ${baseId} for branch ${branchFromRef(branch)}`;
}

/** Any marker sentence at all (ours, for some base and branch). */
const ANY_MARKER = /(^|\s)Preview of \S+ for branch \S/;

/**
 * Whether a description carries the marker for exactly this base and branch.
 * The sentence must stand on its own: `... for branch fix` must not match a description made
 * for branch `fix-2`. Git branch names hold no whitespace and never end with `.`, so the
 * sentence is complete when it is followed by the end, whitespace, or a `.` that is itself
 * followed by the end or whitespace.
 */
export function hasMarker(
  description: string | undefined | null,
  baseId: string,
  branch: string,
): boolean {
  if (!description) return false;
  const marker = previewMarker(baseId, branch);
  let from = 0;
  for (;;) {
    const at = description.indexOf(marker, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : description[at - 1];
    const rest = description.slice(at + marker.length);
    const startsClean = before === '' || /\s/.test(before);
    const endsClean = rest === '' || /^\s/.test(rest) || /^\.(\s|$)/.test(rest);
    if (startsClean && endsClean) return true;
    from = at + 1;
  }
}

/** Whether a description carries a preview marker for any base and branch. */
export function hasAnyMarker(description: string | undefined | null): boolean {
  return !!description && ANY_MARKER.test(description);
}

/** The description of a new preview: the marker sentence first, then a short note. */
export function previewDescription(
  baseId: string,
  baseName: string,
  branch: string,
  note?: string,
): string {
  const text = note?.trim() || `copy of ${baseName}, made for CI by the Astro deploy action`;
  return `${previewMarker(baseId, branch)} — ${text}`.slice(0, 1000);
}

/**
 * The branch a Deployment is the marked preview of, for this base: read from the marker
 * sentence in its description (it records the full branch name), or undefined when the
 * description has no marker for this base. The branch read back must pass `hasMarker`, so
 * this and the lookups agree on which Deployments are previews of which branch.
 */
export function markedBranch(
  description: string | undefined | null,
  baseId: string,
): string | undefined {
  if (!description) return undefined;
  const prefix = `Preview of ${baseId} for branch `;
  let from = 0;
  for (;;) {
    const at = description.indexOf(prefix, from);
    if (at < 0) return undefined;
    // Branch names hold no whitespace and never end with `.` (a `.` there ends the sentence).
    const word = /^\S+/.exec(description.slice(at + prefix.length))?.[0];
    const branch = word?.replace(/\.$/, '');
    if (branch && hasMarker(description, baseId, branch)) return branch;
    from = at + 1;
  }
}
