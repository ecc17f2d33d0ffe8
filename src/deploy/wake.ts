// Wake a hibernating development Deployment for a deploy, then put its hibernation override
// back exactly as it was (the earlier override restored, or ours removed).
import type { AstroApi, Deployment, HibernationOverride } from '../astro/types.js';
import { Journal } from '../journal.js';
import type { Log } from '../platform/log.js';
import { formatDuration } from '../platform/duration.js';
import { clockWith, poll, type Clock } from '../platform/clock.js';
import { POLL_FACTOR, POLL_FIRST_MS, POLL_MAX_MS } from './wait.js';

export class HibernationError extends Error {
  override name = 'HibernationError';
}

export function isHibernating(d: Deployment): boolean {
  return d.status === 'HIBERNATING' || d.scalingStatus?.hibernationStatus?.isHibernating === true;
}

/** Throws (before anything is created) when `d` hibernates and we may not wake it. */
export function assertDeployable(d: Deployment, wakeOnDeploy: boolean): void {
  if (isHibernating(d) && !wakeOnDeploy) {
    throw new HibernationError(
      `${d.name} (${d.id}) is hibernating, so a deploy cannot go live; set \`wake-on-deploy: true\` ` +
        'to wake it for the deploy (its hibernation override is put back afterwards), or wake it in the Astro UI.',
    );
  }
}

export interface WakeOptions {
  api: AstroApi;
  deployment: Deployment;
  /** How long to wait for the woken Deployment to be HEALTHY. */
  waitMs: number;
  log: Log;
  clock?: Partial<Clock>;
  /** Aborted when the deploy failed meanwhile: stop waiting, put the override back. */
  signal?: AbortSignal;
  /** Where the override (and its undo) is recorded; a journal of its own by default. */
  journal?: Pick<Journal, 'overrideSet' | 'overrideRestored' | 'note'>;
}

export interface Woken {
  /** The Deployment as read once it was awake and HEALTHY. */
  deployment: Deployment;
  /** The override before we woke it (undefined: there was none). */
  previous?: HibernationOverride;
  /** Put the override back as it was. Never throws: returns a warning when it could not. */
  restore(): Promise<string | undefined>;
}

/** What restoring needs, saved for the post step of a cancelled run. */
export interface WakeRecord {
  deploymentId: string;
  name: string;
  /** The override before we woke it (none: ours is removed). */
  previous?: HibernationOverride;
  /** Ours (isHibernating false until a safety net). */
  ours: HibernationOverride;
}

const sameOverride = (a: HibernationOverride, b: HibernationOverride) =>
  a.isHibernating === b.isHibernating &&
  (a.overrideUntil ? Date.parse(a.overrideUntil) : undefined) ===
    (b.overrideUntil ? Date.parse(b.overrideUntil) : undefined);

/**
 * Put the override back as it was before we woke the Deployment: the earlier one if it is
 * still valid, else none. Only while ours is in place: an override someone set meanwhile is
 * theirs and stays. Used after a deploy, on a signal, and by the post step of a cancelled run.
 * Never throws: returns a warning when it could not.
 */
export async function restoreOverride(
  api: AstroApi,
  rec: WakeRecord,
  log: Log,
  now: () => number = Date.now,
): Promise<string | undefined> {
  const { previous, ours, name } = rec;
  try {
    const current = (await api.getDeployment(rec.deploymentId)).scalingSpec?.hibernationSpec
      ?.override;
    if (current && current.isActive !== false && !sameOverride(current, ours)) {
      if (previous && sameOverride(current, previous)) {
        log.info(`The hibernation override of ${name} is already back as it was.`);
      } else {
        log.info(
          `The hibernation override of ${name} was changed by someone else meanwhile (isHibernating=${current.isHibernating}); left as it is.`,
        );
      }
      return undefined;
    }
    const stillValid =
      previous && (!previous.overrideUntil || Date.parse(previous.overrideUntil) > now());
    if (previous && stillValid) {
      const body: HibernationOverride = { isHibernating: previous.isHibernating };
      if (previous.overrideUntil) body.overrideUntil = previous.overrideUntil;
      await api.setHibernationOverride(rec.deploymentId, body);
      log.info(
        `Put back the hibernation override of ${name} (isHibernating=${previous.isHibernating}${previous.overrideUntil ? ` until ${previous.overrideUntil}` : ''}).`,
      );
    } else {
      await api.deleteHibernationOverride(rec.deploymentId);
      log.info(
        previous
          ? `Removed our hibernation override of ${name} (its earlier override has expired meanwhile).`
          : `Removed our hibernation override of ${name}; its hibernation schedule applies again.`,
      );
    }
    return undefined;
  } catch (e) {
    const msg =
      `Could not put back the hibernation override of ${name}: ${(e as Error).message}. ` +
      `It stays awake until ${ours.overrideUntil}; set its hibernation in the Astro UI.`;
    log.info(msg);
    return msg;
  }
}

/** An earlier override that is still in force (an expired one cannot be put back). */
function activeOverride(d: Deployment, nowMs: number): HibernationOverride | undefined {
  const o = d.scalingSpec?.hibernationSpec?.override;
  if (!o || o.isHibernating === undefined || o.isActive === false) return undefined;
  if (o.overrideUntil && Date.parse(o.overrideUntil) <= nowMs) return undefined;
  return o;
}

/**
 * Wake `deployment` (override isHibernating: false, with an overrideUntil safety net so a
 * killed job does not leave it awake for ever), wait until it is HEALTHY, and hand back a
 * restore function for a `finally`.
 */
export async function wakeDeployment(opts: WakeOptions): Promise<Woken> {
  const clock: Clock = clockWith(opts.clock);
  const { api, log } = opts;
  const d0 = opts.deployment;
  const journal = opts.journal ?? new Journal();
  const previous = activeOverride(d0, clock.now());
  const untilMs = clock.now() + Math.max(opts.waitMs * 3, 60 * 60 * 1000);
  const ours: HibernationOverride = {
    isHibernating: false,
    overrideUntil: new Date(untilMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  log.info(
    `${d0.name} is hibernating: waking it for this deploy` +
      (previous
        ? ` (its override isHibernating=${previous.isHibernating}${previous.overrideUntil ? ` until ${previous.overrideUntil}` : ''} is put back afterwards).`
        : ' (the override is removed afterwards).'),
  );
  const rec: WakeRecord = { deploymentId: d0.id, name: d0.name, previous, ours };
  let restoring: Promise<string | undefined> | undefined;
  // Once: after the deploy, or on a signal, whichever comes first. Settled when done; a
  // failed restore stays pending for the post step to try again.
  const restore = (): Promise<string | undefined> =>
    (restoring ??= restoreOverride(api, rec, log, clock.now).then((problem) => {
      if (!problem) journal.overrideRestored();
      return problem;
    }));
  // Pending before the request: a signal during it still puts the override back.
  journal.overrideSet(rec, restore);
  await api.setHibernationOverride(d0.id, ours);

  // Wait for it to be awake and HEALTHY before deploying.
  try {
    let last: Deployment = d0;
    return await poll<Woken>({
      clock,
      timeoutMs: opts.waitMs,
      backoff: { firstMs: POLL_FIRST_MS, maxMs: POLL_MAX_MS * 2, factor: POLL_FACTOR },
      look: async (since) => {
        if (opts.signal?.aborted) {
          throw new HibernationError(`Stopped waiting for ${d0.name} to wake: the deploy failed.`);
        }
        const d = (last = await api.getDeployment(d0.id));
        if (d.status === 'HEALTHY' && !isHibernating(d)) {
          log.info(`${d.name} is awake after ${formatDuration(since())}.`);
          return { deployment: d, previous, restore };
        }
        return undefined;
      },
      timedOut: () =>
        new HibernationError(
          `Woke ${last.name}, but it is still ${last.status} after ${formatDuration(opts.waitMs)}; ` +
            'raise wait-time or check the Deployment in the Astro UI.',
        ),
    });
  } catch (e) {
    const warning = await restore();
    if (warning) journal.note(` (${warning})`);
    throw e;
  }
}
