// Gathers the facts for the plan (live deploys, baselines, changed paths) and asks it.
// Read-only: git and GET requests only, so dry runs go through here too (and a lint rule
// keeps this folder from importing anything that deploys).
import path from 'node:path';
import type { AstroApi, Deploy, Deployment } from '../astro/types.js';
import { liveDeploys, type BundleKey, type LiveDeploys } from './baselines.js';
import { classifyAll, type Classified, type ClassifyRules } from './classify.js';
import { dbtBundle } from '../project/dbt.js';
import { buildIgnoreText } from '../project/ignore.js';
import type { Git } from '../platform/git.js';
import type { Log } from '../platform/log.js';
import { PatternSet } from './patterns.js';
import { inputIsBundle } from './kinds.js';
import { isRemoteExecution } from './remote-execution.js';
import { findNamedBundle, namedBundleTargetRefusal, withNamedBundle } from './dag-bundle.js';
import { decide, staleReason, type Baseline, type Plan, type PlanInput } from './plan.js';
import { checkProject } from '../project/check.js';
import type { Settings } from '../inputs/settings-types.js';
import type { Trigger } from '../inputs/trigger.js';

/** What the plan is decided from, and what the summary shows of it. */
export interface Facts {
  head: string;
  baselines: { image: Baseline; dags: Baseline; bundle: Baseline };
  /** Classified paths per baseline actually compared (for the summary). */
  changes: { image?: Classified; dags?: Classified; bundle?: Classified };
  /** The plan's input, built from the above. */
  planInput: PlanInput;
}

export interface Decision extends Omit<Facts, 'planInput'> {
  plan: Plan;
}

export interface DecideContext {
  api: AstroApi;
  git: Git;
  log: Log;
  settings: Settings;
  trigger: Trigger;
  target: Deployment;
  head: string;
  repoRoot: string;
  /** A preview target (only changes how the summary names its history). */
  preview?: boolean;
}

/** What the caller already read this run, with nothing in between that could change it. */
export interface AlreadyRead {
  /** The target's deploy history (`listDeploys`), read moments ago: not read again to decide. */
  history?: Deploy[];
  /**
   * checkProject passed for this commit and these settings with DAG deploys on (true) or off
   * (false): not run again when the target has the same setting.
   */
  projectCheckedWith?: boolean;
}

/** Gathers the facts (read-only), then decides from them with the pure plan. */
export async function decideDeploy(ctx: DecideContext, read: AlreadyRead = {}): Promise<Decision> {
  const { planInput, ...facts } = await gatherFacts(ctx, read);
  return { ...facts, plan: decide(planInput) };
}

/** The live deploys, the baselines they give, and what changed since each. Read-only. */
export async function gatherFacts(ctx: DecideContext, read: AlreadyRead = {}): Promise<Facts> {
  const { settings, git, log, head } = ctx;
  // A typo in root-folder or dags-path fails here, before it can read as "nothing changed"
  // (unless the caller checked the same commit with the target's DAG-deploy setting).
  if (read.projectCheckedWith !== ctx.target.isDagDeployEnabled)
    await checkProject(git, head, ctx.repoRoot, settings, ctx.target.isDagDeployEnabled);
  const bundleMode = inputIsBundle(settings.deployType);
  const bundleKey = await bundleKeyOf(ctx);

  const history = read.history ?? (await ctx.api.listDeploys(ctx.target.id));
  const live = await liveFor(ctx, history, ctx.target, bundleKey);
  log.info(`Deploy history of ${ctx.target.name}: ${history.length} deploys.`);

  // The event is never a baseline: it says what was pushed, not what is live. A kind
  // without a usable commit in the history is deployed whole.
  const where = ctx.preview ? "the preview's" : "the Deployment's";
  const resolve = async (deploy: Deploy | undefined, what: string): Promise<Baseline> => {
    const sha = deploy?.git?.commitSha;
    if (!deploy)
      return { source: 'none', note: `no successful ${what} deploy in ${where} history` };
    if (!sha)
      return {
        source: 'none',
        note: `the live ${what} deploy ${deploy.id} has no commit recorded`,
      };
    if (await git.ensureCommit(sha)) return { commit: sha, source: 'history' };
    return {
      source: 'none',
      note: `the live ${what} commit ${sha.slice(0, 12)} cannot be fetched from this repository`,
    };
  };

  const baselines = {
    image: await resolve(live.image, 'image'),
    dags: await resolve(
      live.dags,
      settings.dagBundleName ? `'${settings.dagBundleName}' DAG bundle` : 'DAG',
    ),
    bundle: bundleMode ? await resolve(live.bundle, 'bundle') : ({ source: 'none' } as Baseline),
  };

  const { newerLive, branchMovedBack, newerMaybe } = await staleFacts(ctx, live);

  const rules = await classifyRules(settings, ctx.repoRoot);
  const memo = new Map<string, Classified>();
  const changesSince = async (base: Baseline): Promise<Classified | undefined> => {
    if (!base.commit) return undefined;
    if (!memo.has(base.commit)) {
      const files = await git.changedPaths(base.commit, head);
      memo.set(base.commit, classifyAll(files, rules));
    }
    return memo.get(base.commit);
  };
  const changes = {
    image: await changesSince(baselines.image),
    dags: await changesSince(baselines.dags),
    bundle: bundleMode ? await changesSince(baselines.bundle) : undefined,
  };

  const planInput: PlanInput = {
    deployType: settings.deployType,
    skipUnchanged: settings.skipUnchanged,
    imageName: settings.imageName,
    dagDeployEnabled: ctx.target.isDagDeployEnabled,
    remoteExecution: isRemoteExecution(ctx.target),
    target: { name: ctx.target.name, id: ctx.target.id },
    imageChanges: changes.image?.image,
    dagChanges: changes.dags?.dags,
    dagChangesSinceImage: changes.image?.dags,
    bundleChanges: changes.bundle?.bundle,
    unknown: {
      image: baselines.image.note,
      dags: baselines.dags.note,
      bundle: baselines.bundle.note,
    },
    newerLive,
    branchMovedBack,
    newerMaybe,
  };
  return { head, baselines, changes, planInput };
}

/**
 * The live deploys; with `dag-bundle-name`, the DAG side is the named bundle's. Refuses (one
 * sentence) a Deployment that cannot take the named bundle or lacks it, so a dry run and a
 * real run fail the same way before anything is created.
 */
async function liveFor(
  ctx: DecideContext,
  history: Deploy[],
  target: Deployment,
  bundleKey: BundleKey,
): Promise<LiveDeploys> {
  const live = liveDeploys(history, bundleKey, target);
  const name = ctx.settings.dagBundleName;
  if (!name) return live;
  const refusal = namedBundleTargetRefusal(target, name);
  if (refusal) throw new Error(refusal);
  const bundle = findNamedBundle(target, name, await ctx.api.listDagBundles(target.id));
  if (typeof bundle === 'string') throw new Error(bundle);
  ctx.log.info(
    `DAG bundle '${name}': running ${bundle.currentVersion ?? '(no version yet)'}` +
      `${bundle.desiredVersion && bundle.desiredVersion !== bundle.currentVersion ? `, rolling out ${bundle.desiredVersion}` : ''}.`,
  );
  return withNamedBundle(live, history, bundle);
}

/** The bundle this deploy would ship (dbt: the same defaults as the deploy), so another bundle's deploys are not taken for ours. */
async function bundleKeyOf(ctx: DecideContext): Promise<BundleKey> {
  const { settings } = ctx;
  if (settings.deployType === 'dbt')
    return dbtBundle(path.join(ctx.repoRoot, settings.rootFolder), settings);
  if (settings.deployType === 'non-dags')
    return { bundleType: settings.bundleType, mountPath: settings.mountPath };
  return {};
}

/** The commit of the first deploy in `list` that is newer than HEAD (HEAD its strict ancestor). */
async function newerIn(ctx: DecideContext, list: Deploy[]): Promise<string | undefined> {
  const { git, head } = ctx;
  for (const d of list) {
    const sha = d.git?.commitSha;
    if (sha && sha !== head && (await git.ensureCommit(sha)) && (await git.isAncestor(head, sha)))
      return sha;
  }
  return undefined;
}

/**
 * Facts for the stale guard: is a commit newer than HEAD live (or finalized after what is
 * live, so on its way, or maybe on its way: LiveDeploys `maybe`), and did the branch move back
 * to HEAD (a rollback, not a stale run)?
 */
async function staleFacts(
  ctx: DecideContext,
  live: LiveDeploys,
): Promise<{ newerLive?: string; branchMovedBack: boolean; newerMaybe?: boolean }> {
  const { git, head, log } = ctx;
  let newerLive = await newerIn(ctx, live.current);
  const maybe = newerLive ? undefined : await newerIn(ctx, live.maybe);
  newerLive ??= maybe;
  if (!newerLive) return { branchMovedBack: false };
  const tip = ctx.trigger.branch ? await git.remoteBranchTip(ctx.trigger.branch) : undefined;
  const ours = [head, ctx.trigger.kind === 'pull_request' ? ctx.trigger.headSha : undefined];
  const branchMovedBack = tip !== undefined && ours.includes(tip);
  if (branchMovedBack)
    log.info(
      `Branch ${ctx.trigger.branch} was moved back to ${tip!.slice(0, 12)}, behind the live commit ${newerLive.slice(0, 12)}: a rollback, not a stale run.`,
    );
  return { newerLive, branchMovedBack, ...(maybe ? { newerMaybe: true } : {}) };
}

/**
 * The stale guard again, just before finalizing: re-reads the Deployment and its deploy
 * history, and returns why not to finalize when a newer commit went live (or was finalized)
 * meanwhile — the same rule as when deciding, the rollback exception included. Never takes
 * an earlier read (AlreadyRead): catching what changed since is its purpose. The history it
 * read goes back with the reason, for the wait after the finalize.
 */
export async function staleBeforeFinalize(
  ctx: DecideContext,
): Promise<{ stale?: string; history: Deploy[] }> {
  const [target, history] = await Promise.all([
    ctx.api.getDeployment(ctx.target.id),
    ctx.api.listDeploys(ctx.target.id),
  ]);
  const live = await liveFor(ctx, history, target, await bundleKeyOf(ctx));
  const facts = await staleFacts({ ...ctx, target }, live);
  return { stale: staleReason(facts, true), history };
}

async function classifyRules(settings: Settings, repoRoot: string): Promise<ClassifyRules> {
  // The ignore file the image build applies; none: everything in the project reaches it.
  const ignore = await buildIgnoreText(path.join(repoRoot, settings.rootFolder));
  return {
    rootFolder: settings.rootFolder,
    dagsPath: settings.dagsPath,
    deployType: settings.deployType,
    imageTriggers: PatternSet.parse(settings.imageTriggerPaths),
    bundleTriggers: PatternSet.parse(settings.bundleTriggerPaths),
    dockerignore: PatternSet.fromText(ignore ?? ''),
  };
}
