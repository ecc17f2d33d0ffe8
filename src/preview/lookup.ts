// Finding the preview of a base for a branch, guarded by the marker sentence (see ops.ts for
// the rules), and the sentences of what a user must do when it cannot be taken.
import type { AstroApi, Deployment } from '../astro/types.js';
import type { Log } from '../platform/log.js';
import { hasAnyMarker, hasMarker, legacyPreviewName, previewMarker, previewName } from './names.js';

export type PreviewErrorKind =
  'foreign' | 'base-name' | 'not-found' | 'not-ready' | 'overrides' | 'settings-lost';

/** A preview problem a user can act on; the message says what, why and what to do. */
export class PreviewError extends Error {
  override name = 'PreviewError';
  constructor(
    readonly kind: PreviewErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface FindResult {
  /** The preview of this base for this branch. */
  preview?: Deployment;
  /** True when `preview` was recognised by deploy-action's (legacy) name. */
  legacy?: boolean;
  /** A Deployment with our name that is not a preview of this base for this branch. */
  foreign?: Deployment;
}

export interface PreviewArgs {
  api: AstroApi;
  /** The base Deployment (as read from the API). */
  base: Deployment;
  /** The branch (a `refs/heads/` prefix is ignored by the names module). */
  branch: string;
  /** The preview's name: `previewName(...)` (the `preview-name` input when given). */
  name: string;
  /**
   * Also look for a preview deploy-action made under `<last segment>_<base name>`. Default: when
   * `name` is the default name for this branch and base (with `preview-name` given, deploy-action used that name as it was, so the legacy name does not apply).
   */
  legacy?: boolean;
  log: Log;
}

const where = (base: Deployment) =>
  base.workspaceName ? `${base.workspaceName} (${base.workspaceId})` : base.workspaceId;

/** The error for a Deployment that has our name but is not our preview. */
export function foreignMessage(foreign: Deployment, base: Deployment, branch: string): string {
  const marker = previewMarker(base.id, branch);
  return (
    `A Deployment named "${foreign.name}" (${foreign.id}) exists in workspace ${where(base)} but is not a preview of ` +
    `${base.name} (${base.id}) for branch ${branch} (its description lacks the marker sentence "${marker}"); ` +
    `refusing to touch it. Set preview-name to another name or rename that Deployment. ` +
    `If it is this branch's preview made by Astronomer's deploy-action, add that sentence to its description and run again.`
  );
}

/**
 * The error for deploy-deployment-preview when the branch has no preview yet. Give `base`
 * (the Deployment) when at hand, else at least `baseName`.
 */
export function noPreviewMessage(args: {
  base?: Deployment;
  baseName?: string;
  branch: string;
  name: string;
  legacyName?: string;
}): string {
  const { base, branch, name, legacyName } = args;
  const baseName = base?.name ?? args.baseName ?? 'the base Deployment';
  const names =
    legacyName && legacyName !== name
      ? `"${name}" (or the deploy-action name "${legacyName}")`
      : `"${name}"`;
  const what = base
    ? `no Deployment named ${names} in workspace ${where(base)} is marked "${previewMarker(base.id, branch)}"`
    : `no Deployment named ${names} is marked as its preview`;
  return (
    `No preview of ${baseName}${base ? ` (${base.id})` : ''} for branch ${branch} was found: ${what}. Create it first: ` +
    `run this action with action: create-deployment-preview (or action: preview) for this branch, then deploy to it.`
  );
}

export function baseNameMessage(base: Deployment): string {
  return (
    `The preview name "${base.name}" is the name of the base Deployment (${base.id}); a preview must have a name of ` +
    `its own, and the base is never created, replaced or deleted as a preview. Set preview-name to another name or leave it empty.`
  );
}

/**
 * Whether to look for deploy-action's name too: as asked, else only when `name` is the default
 * name (with preview-name given, deploy-action used that name as it was).
 */
function usesLegacy(args: PreviewArgs): boolean {
  if (args.legacy !== undefined) return args.legacy;
  try {
    return args.name === previewName({ branch: args.branch, baseName: args.base.name });
  } catch {
    return false;
  }
}

/** Oldest first, ties by id: every job that looks picks the same one. */
const byAge = (a: Deployment, b: Deployment) =>
  a.createdAt < b.createdAt
    ? -1
    : a.createdAt > b.createdAt
      ? 1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;

/** Where deploy-action's copy of `base` would be: same type and location (fixed at creation). */
function placedLikeBase(d: Deployment, base: Deployment): boolean {
  const same = (x: unknown, y: unknown) => x === undefined || y === undefined || x === y;
  return (
    same(d.type, base.type) &&
    same(d.clusterId, base.clusterId) &&
    same(d.cloudProvider, base.cloudProvider) &&
    same(d.region, base.region)
  );
}

/**
 * Find the preview of `base` for `branch`: by our name (marker required) and, unless
 * `legacy: false`, by deploy-action's name (see the top of this file). Never returns the base.
 */
export async function findPreview(args: PreviewArgs): Promise<FindResult> {
  const { api, base, branch, name, log } = args;
  if (name === base.name) throw new PreviewError('base-name', baseNameMessage(base));
  const legacyName = usesLegacy(args)
    ? legacyPreviewName({ branch, baseName: base.name })
    : undefined;
  const useLegacy = legacyName !== undefined && legacyName !== name && legacyName !== base.name;
  const names = useLegacy ? [name, legacyName] : [name];

  const found = await api.listDeployments({ workspaceIds: [base.workspaceId], names });
  // Filter again here: the guard must not depend on the server honouring the filters.
  const candidates = found
    .filter((d) => d.workspaceId === base.workspaceId && d.id !== base.id && d.name !== base.name)
    .sort(byAge);

  const named = candidates.filter((d) => d.name === name);
  const marked = named.filter((d) => hasMarker(d.description, base.id, branch));
  const foreign = named.find((d) => !hasMarker(d.description, base.id, branch));
  if (marked.length > 1) {
    log.warning(
      `Several Deployments named "${name}" are marked as the preview of ${base.id} for branch ${branch} ` +
        `(${marked.map((d) => d.id).join(', ')}); using the oldest, ${marked[0].id}.`,
    );
  }
  if (marked.length) {
    if (foreign)
      log.warning(
        `Ignoring Deployment ${foreign.id}: it is also named "${name}" but is not marked as this preview.`,
      );
    log.debug(`Preview of ${base.id} for branch ${branch}: ${marked[0].name} (${marked[0].id}).`);
    return { preview: marked[0] };
  }

  if (useLegacy) {
    const legacyNamed = candidates.filter((d) => d.name === legacyName);
    const ours = legacyNamed.filter((d) => hasMarker(d.description, base.id, branch));
    const legacyOnes = legacyNamed.filter(
      (d) => !hasAnyMarker(d.description) && placedLikeBase(d, base),
    );
    const accepted = ours.length ? ours : legacyOnes;
    for (const d of legacyNamed.filter((x) => !accepted.includes(x))) {
      log.debug(
        `Not taking ${d.name} (${d.id}) as a deploy-action preview: marked for something else or placed unlike the base.`,
      );
    }
    if (accepted.length === 1 || ours.length > 1) {
      const preview = accepted[0];
      log.info(
        `Found the preview made by Astronomer's deploy-action by its name: ${preview.name} (${preview.id}).`,
      );
      return { preview, legacy: true, foreign };
    }
    if (accepted.length > 1) {
      log.warning(
        `Several Deployments are named "${legacyName}" (${accepted.map((d) => d.id).join(', ')}), the name ` +
          `Astronomer's deploy-action gave this branch's preview; not guessing which one is the preview.`,
      );
    }
  }
  return foreign ? { foreign } : {};
}

/**
 * The preview, or undefined when there is none; a Deployment that only has our name fails as
 * it would in create and delete (dry runs predict what the real run does).
 */
export async function existingPreview(args: PreviewArgs): Promise<Deployment | undefined> {
  return (await lookUpPreview(args)).preview;
}

/**
 * findPreview, failing as existingPreview does on a Deployment that only has our name; the
 * whole answer, so createPreview can take it instead of looking again (`found`).
 */
export async function lookUpPreview(args: PreviewArgs): Promise<FindResult> {
  const found = await findPreview(args);
  if (!found.preview && found.foreign)
    throw new PreviewError('foreign', foreignMessage(found.foreign, args.base, args.branch));
  return found;
}

/** Find the preview or fail clearly (deploy-deployment-preview). */
export async function requirePreview(args: PreviewArgs): Promise<Deployment> {
  const { preview, foreign } = await findPreview(args);
  if (preview) return preview;
  if (foreign) throw new PreviewError('foreign', foreignMessage(foreign, args.base, args.branch));
  const legacyName = usesLegacy(args)
    ? legacyPreviewName({ branch: args.branch, baseName: args.base.name })
    : undefined;
  throw new PreviewError(
    'not-found',
    noPreviewMessage({ base: args.base, branch: args.branch, name: args.name, legacyName }),
  );
}
