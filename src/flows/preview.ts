// The preview flows: create (or reuse) the preview of the base for this branch and deploy
// to it, deploy to an existing one, or delete it; dry runs say what each would do. Takes its
// parts as arguments; `deploy` is the deploy flow (a fake in unit tests).
import path from 'node:path';
import type { Deploy, Deployment } from '../astro/types.js';
import { dbtBundle } from '../project/dbt.js';
import type { Mode } from '../inputs/mode.js';
import type { AlreadyRead } from '../decide/facts.js';
import { assertDeployTypeFits } from '../decide/plan.js';
import { isRemoteExecution } from '../decide/remote-execution.js';
import { previewName } from '../preview/names.js';
import type { CreateResult } from '../preview/ops.js';
import { checkProject } from '../project/check.js';
import type { Outcome } from '../report/report.js';
import { cell } from '../report/markdown.js';
import { previewSection, section } from '../report-summary.js';
import { describeTrigger } from '../inputs/trigger.js';
import { needsDockerWhenFresh, requireDocker } from './checks.js';
import { deployTo } from './deploy.js';
import { copyObjects } from './preview-extras.js';
import { creatingOnGitHub, deletedOnGitHub, type GitHubTarget } from './github-record.js';
import { step, type Parts } from './parts.js';

type DeployFn = (
  p: Parts,
  target: Deployment,
  preview: boolean,
  gh: GitHubTarget,
  read?: AlreadyRead,
) => Promise<Outcome>;

interface Ctx {
  p: Parts;
  base: Deployment;
  branch: string;
  name: string;
  deploy: DeployFn;
}

/** What a preview ready for its deploy carries into the comment, and what was read of it. */
interface Ready {
  preview: Deployment;
  omittedSecrets: string[];
  copied: { connectionsWithoutPassword: string[] };
  read?: AlreadyRead;
}

export async function previewFlow(
  mode: Exclude<Mode, 'deploy' | 'cleanup-previews'>,
  p: Parts,
  base: Deployment,
  deploy: DeployFn = deployTo,
): Promise<Outcome> {
  const branch = p.trigger.branch;
  if (!branch) {
    throw new Error(
      `The preview actions need a branch, and ${describeTrigger(p.trigger)} has none; run them on pull_request, push, create or delete events of branches.`,
    );
  }
  const name = previewName({ branch, baseName: base.name, explicit: p.settings.previewName });
  p.log.info(`Preview of ${base.name} for branch ${branch}: ${name}.`);
  const ctx: Ctx = { p, base, branch, name, deploy };
  if (mode === 'delete-deployment-preview') return deleteFlow(ctx);
  const creates =
    mode === 'create-deployment-preview' ||
    (p.settings.action === 'preview' && mode === 'deploy-deployment-preview');
  const ready = creates ? await createOrReuse(ctx) : await existing(ctx);
  if (!('preview' in ready)) return ready;
  const { preview } = ready;
  p.journal.known = { ...p.journal.known, deploymentId: preview.id, previewId: preview.id };
  const gh = {
    base,
    omittedSecrets: ready.omittedSecrets,
    connectionsWithoutPassword: ready.copied.connectionsWithoutPassword,
  };
  const outcome = await deploy(p, preview, true, gh, ready.read);
  return { ...outcome, previewId: preview.id };
}

async function deleteFlow({ p, base, branch, name }: Ctx): Promise<Outcome> {
  const args = { api: p.api, base, branch, name, log: p.log };
  if (p.settings.dryRun) {
    const found = await p.previews.existingPreview(args);
    const reason = found
      ? `dry run: would delete preview ${found.name} (${found.id})`
      : `dry run: no preview of ${base.name} for branch ${branch} exists`;
    p.journal.sections.push(section('Delete preview', reason));
    return {
      deployType: 'none',
      skipped: true,
      reason,
      previewId: found?.id,
      deploymentId: found?.id,
    };
  }
  const result = await step(p, 'Delete the preview', () => p.previews.deletePreview(args));
  const reason = result.deleted
    ? `deleted preview ${result.deleted.name} (${result.deleted.id}) of branch ${branch}`
    : `no preview of ${base.name} for branch ${branch} exists, so nothing was deleted`;
  p.journal.sections.push(section('Delete preview', reason));
  const outcome: Outcome = {
    deployType: 'none',
    skipped: true,
    reason,
    previewId: result.deleted?.id,
    deploymentId: result.deleted?.id,
  };
  await deletedOnGitHub(p, base, branch, result.deleted, reason);
  return outcome;
}

/** deploy-deployment-preview: the preview must exist (another job created it). */
async function existing({ p, base, branch, name }: Ctx): Promise<Ready> {
  const { api, log, settings } = p;
  let preview = await step(p, 'Find the preview', () =>
    p.previews.requirePreview({ api, base, branch, name, log }),
  );
  // Created moments ago by another job (e.g. on branch creation): wait until it can take a deploy.
  if (preview.status === 'CREATING' && !settings.dryRun) {
    const id = preview.id;
    preview = await step(p, 'Wait for the preview', () =>
      p.previews.waitUntilReady({ api, deploymentId: id, log, timeoutMs: settings.waitMs }),
    );
  }
  return { preview, omittedSecrets: [], copied: { connectionsWithoutPassword: [] } };
}

/**
 * Create the preview (or reuse it), after everything that can fail without Astro: a deploy
 * type it could never take, a wrong root-folder or dags-path, no Docker where a fresh
 * preview needs it, a dbt project without a name. A dry run creates nothing.
 */
async function createOrReuse(ctx: Ctx): Promise<Ready | Outcome> {
  const { p, base, branch, name } = ctx;
  const { api, log, settings } = p;
  // A preview takes the base's DAG-deploy setting unless preview-overrides changes it.
  const overridden = settings.previewOverrides.isDagDeployEnabled;
  const dagDeploysOn =
    (typeof overridden === 'boolean' ? overridden : base.isDagDeployEnabled) === true;
  assertDeployTypeFits(settings.deployType, dagDeploysOn, isRemoteExecution(base), base);
  const ws = await p.checkout();
  await checkProject(ws.git, ws.head, ws.repoRoot, settings, dagDeploysOn);
  // The deploy's decision does not check the project again when the preview has this setting.
  const checked: AlreadyRead = { projectCheckedWith: dagDeploysOn };
  const args = { api, base, branch, name, log };
  if (settings.dryRun) {
    const found = await p.previews.existingPreview(args);
    if (found)
      return {
        preview: found,
        omittedSecrets: [],
        copied: { connectionsWithoutPassword: [] },
        read: checked,
      };
    const reason = `dry run: would create preview ${name} from ${base.name} and deploy the whole project to it`;
    p.journal.sections.push(section('Preview', reason));
    return { deployType: 'none', skipped: true, reason };
  }
  // A fresh preview gets everything its deploy-type covers: when that (or the checks) needs
  // Docker and there is none, fail before creating anything. Its comment starts now. The
  // lookup goes to createPreview (`found`), which does not look again.
  const found = await p.previews.lookUpPreview(args);
  const fresh = !found.preview;
  if (fresh && needsDockerWhenFresh(settings)) await requireDocker(p);
  if (fresh) await creatingOnGitHub(p, base, name, branch);
  if (settings.deployType === 'dbt')
    await dbtBundle(path.join(ws.repoRoot, settings.rootFolder), settings);
  const created = await step(p, 'Create the preview', () =>
    p.previews.createPreview({
      ...args,
      overrides: settings.previewOverrides,
      timeoutMs: settings.waitMs,
      journal: p.journal,
      found,
    }),
  );
  const preview = created.preview;
  p.journal.known = { ...p.journal.known, deploymentId: preview.id, previewId: preview.id };
  const rows: [string, string][] = [
    [
      'Preview',
      `${cell(preview.name)} (\`${preview.id}\`) ${created.created ? 'created' : 'reused'}`,
    ],
    ['Base', `${cell(base.name)} (\`${base.id}\`)`],
  ];
  // (createPreview has already warned about them in the log.)
  if (created.omittedSecrets.length)
    rows.push(['Secret variables not copied', cell(created.omittedSecrets.join(', '))]);
  const copied = { connectionsWithoutPassword: [] as string[] };
  const history = await copyUnlessDeployed(p, base, created, rows, copied);
  p.journal.sections.push(previewSection(rows));
  return {
    preview,
    omittedSecrets: created.omittedSecrets,
    copied,
    read: { ...checked, history },
  };
}

/**
 * A fresh preview gets the base's objects; so does a reused one that never took a deploy (an
 * earlier run stopped after creating it), since copying is create-or-update. Returns the
 * reused preview's history when the deploy may decide from it (read once, here).
 */
async function copyUnlessDeployed(
  p: Parts,
  base: Deployment,
  created: CreateResult,
  rows: [string, string][],
  copied: { connectionsWithoutPassword: string[] },
): Promise<Deploy[] | undefined> {
  const { preview } = created;
  if (!created.created) {
    const history = await p.api.listDeploys(preview.id);
    // Where Astro marks a deploy DEPLOYED only when its rollout ends, a preview whose first
    // deploy still rolls out is copied to again: harmless, copying is create-or-update.
    if (history.some((d) => d.status === 'DEPLOYED')) return history;
    p.log.info(`${preview.name} has never been deployed to: copying the Airflow objects now.`);
  }
  rows.push(...(await copyObjects(p, base, preview, copied)));
  // Copying can take minutes (the preview's Airflow API may not answer yet), and another run
  // may deploy meanwhile: the deploy reads the history again, on purpose.
  return undefined;
}
