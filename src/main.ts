// Wiring only: build the parts, run the flow for the chosen action, report, and fail in one
// place. Decisions live in plan.ts; the parts do the work.
import fs from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { createAirflowClient } from './astro/airflow.js';
import { createAstroClient } from './astro/client.js';
import { stripBearer } from './astro/token.js';
import type { AstroApi, Deployment, GitInfo } from './astro/types.js';
import { pending, pendingState, settled, undoPending } from './cancel.js';
import { runChecks, pullDeployedImage, noDockerError, type CheckResult } from './checks/index.js';
import { decideDeploy, staleBeforeFinalize } from './decide/facts.js';
import {
  assertDagFolder,
  executeDeploy,
  plannedRuntimeRefusal,
  type DeployResult,
} from './deploy/execute.js';
import { assertDeployable } from './deploy/wake.js';
import { createDocker, type Docker } from './platform/docker.js';
import { commentMarker, previewCommentBody, upsertPrComment } from './github/comment.js';
import type { Log } from './platform/log.js';
import { copyAirflowObjects } from './preview/copy.js';
import { previewName } from './preview/names.js';
import { checkProject } from './project/check.js';
import {
  createPreview,
  deletePreview,
  existingPreview,
  requirePreview,
  waitUntilReady,
} from './preview/ops.js';
import { SettingsError, readSettings } from './inputs/settings.js';
import { dbtBundle } from './project/dbt.js';
import type { Settings } from './inputs/settings-types.js';
import { buildsImage, kindOfInput, shipsDagFolder, type DeployKind } from './decide/kinds.js';
import { resolveMode, type Mode } from './inputs/mode.js';
import { assertDeployTypeFits } from './decide/plan.js';
import { decisionMarkdown, deploymentUrl, outputs, type Outcome } from './report/report.js';
import { cell, escapeMarkdown, table } from './report/markdown.js';
import { makeTempDir, removeTempDir, removeTempDirs } from './platform/temp.js';
import { describeTrigger, parseTrigger, type Trigger } from './inputs/trigger.js';
import { prepareCheckout, type Checkout } from './platform/checkout.js';

const log: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};

/** What one run learned, for the job summary. */
interface Story {
  sections: string[];
  /** A preview this run created: a failure after it must say so. */
  createdPreview?: { id: string; name: string };
  /** What the run knew so far: the outputs of a failure. */
  known: Partial<Outcome>;
}

/** The step under way, so a failure of the API (after retries) can name it. */
let currentStep: string | undefined;

/** A log group that is also the step a failure names. */
async function step<T>(title: string, fn: () => Promise<T>): Promise<T> {
  const outer = currentStep;
  currentStep = title;
  const result = await core.group(title, fn);
  currentStep = outer;
  return result;
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // Mask the token before anything can print it.
  if (env.ASTRO_API_TOKEN?.trim()) {
    core.setSecret(env.ASTRO_API_TOKEN.trim());
    const bare = stripBearer(env.ASTRO_API_TOKEN);
    if (bare) core.setSecret(bare);
  }
  const story: Story = { sections: [], known: {} };
  current = { story, env };
  try {
    const trigger = parseTrigger(env.GITHUB_EVENT_NAME ?? '', readEvent(env), env);
    // (pull_request_target runs get the secrets, forks too: an empty token is a mistake there.)
    const fork =
      trigger.kind === 'pull_request' && trigger.eventName === 'pull_request' && trigger.fromFork;
    const settings = readSettings((name) => core.getInput(name), env, { tokenOptional: fork });
    if (settings.githubToken) core.setSecret(settings.githubToken);
    for (const n of settings.notices) core.notice(n);
    log.info(`Event: ${describeTrigger(trigger)}.`);
    if (fork && !settings.token) return skipFork(trigger, story, env);
    const api = await step('Connect to the Astro API', () =>
      createAstroClient({
        baseUrl: settings.apiUrl,
        token: settings.token,
        log,
        workspaceId: settings.workspace,
      }),
    );
    const mode = resolveMode(settings.action, trigger);
    const outcome = await runMode(mode, { settings, trigger, api, env, story });
    for (const [k, v] of Object.entries(outputs(outcome))) core.setOutput(k, v);
    log.info(
      outcome.skipped
        ? `Nothing deployed: ${outcome.reason}.`
        : `Done: ${outcome.deployType} — ${outcome.reason}.`,
    );
    await writeSummary(story, env);
  } catch (err) {
    // A deploy that was created before the failure is named, so nothing half-done goes unsaid.
    const deployId = (err as { deployId?: string }).deployId;
    // What the deploy found before it failed (an empty DAG folder, a cut description…).
    const warnings = (err as { warnings?: unknown }).warnings;
    if (Array.isArray(warnings) && warnings.length) {
      for (const w of warnings) core.warning(String(w));
      story.sections.push(
        `### Warnings\n\n${warnings.map((w) => `- ${escapeMarkdown(String(w))}`).join('\n')}\n`,
      );
    }
    let message = messageOf(err);
    // An API that still failed after the retries: say in which step.
    const status = (err as { status?: unknown }).status;
    if (
      currentStep &&
      typeof status === 'number' &&
      (status === 0 || status === 429 || status >= 500)
    ) {
      message = `${currentStep} failed: ${message}`;
    }
    // A preview this run created stays: say so, and output its id.
    const created =
      story.createdPreview ?? (err as { createdPreview?: Story['createdPreview'] }).createdPreview;
    if (created) {
      if (!/was created/.test(message))
        message += ` The preview ${created.name} (${created.id}) was created by this run and is kept; running again reuses it.`;
    }
    story.sections.push(`### Failed\n\n${escapeMarkdown(message)}\n`);
    await writeSummary(story, env);
    // Every output is set on failure too, to what was known when the run stopped.
    const failed: Outcome = {
      deployType: 'none',
      ...story.known,
      skipped: !(err as { finalized?: boolean }).finalized,
      reason: message,
    };
    if (deployId) failed.deployId = deployId;
    if (created) failed.previewId = created.id;
    for (const [k, v] of Object.entries(outputs(failed))) core.setOutput(k, v);
    core.setFailed(message);
  } finally {
    // This run has reported its preview itself; nothing is left for the post step.
    settled('preview');
    current = undefined;
  }
}

/** A pull request from a fork runs without secrets: say so, and succeed without acting. */
async function skipFork(trigger: Trigger, story: Story, env: NodeJS.ProcessEnv): Promise<void> {
  const reason = `${describeTrigger(trigger)} comes from a fork, and GitHub gives such runs no secrets, so ASTRO_API_TOKEN is empty and nothing was deployed; add \`if: github.event.pull_request.head.repo.full_name == github.repository\` to the job to skip it without this notice`;
  core.notice(`Skipped: ${reason}.`);
  for (const [k, v] of Object.entries(outputs({ deployType: 'none', skipped: true, reason })))
    core.setOutput(k, v);
  story.sections.push(`### Skipped\n\n${escapeMarkdown(reason)}.\n`);
  await writeSummary(story, env);
}

/** The run under way, for a signal. */
let current: { story: Story; env: NodeJS.ProcessEnv } | undefined;

/**
 * A cancelled run (SIGINT / SIGTERM): put back what is ours (the hibernation override),
 * remove our temporary files, and fail with outputs and a summary saying what was left.
 * What is still pending afterwards is saved for the post step.
 */
export async function cancelled(signal: NodeJS.Signals): Promise<void> {
  const run = current;
  const where = currentStep ? ` during '${currentStep}'` : '';
  log.info(`Cancelled (${signal})${where}: putting back what this run changed.`);
  const problems = await undoPending();
  removeTempDirs();
  let message = problems.length
    ? `The run was cancelled (${signal})${where}. ${problems.join(' ')}`
    : `The run was cancelled (${signal})${where}; any hibernation override it changed was put back, and running again continues from what is live.`;
  const deploy = pendingState('deploy') as
    { deployId: string; name: string; finalized?: boolean } | undefined;
  if (deploy?.finalized)
    message += ` Deploy ${deploy.deployId} had been finalized on ${deploy.name} and may still go live; check the Deployment's deploy history.`;
  else if (deploy)
    message += ` Deploy ${deploy.deployId} was created on ${deploy.name} but not finalized, so nothing of it goes live; the next run deploys again.`;
  const created =
    run?.story.createdPreview ??
    (pendingState('preview') as { id: string; name: string } | undefined);
  if (created)
    message += ` The preview ${created.name} (${created.id}) was created by this run and is kept; running again reuses it.`;
  if (run) {
    const o: Outcome = {
      deployType: 'none',
      ...run.story.known,
      skipped: !deploy?.finalized,
      reason: message,
    };
    if (deploy) o.deployId = deploy.deployId;
    for (const [k, v] of Object.entries(outputs(o))) core.setOutput(k, v);
    run.story.sections.push(`### Cancelled\n\n${escapeMarkdown(message)}\n`);
    await writeSummary(run.story, run.env);
  }
  core.setFailed(message);
}

interface Ctx {
  settings: Settings;
  trigger: Trigger;
  api: AstroApi;
  env: NodeJS.ProcessEnv;
  story: Story;
  /** The repository, once prepared (previews prepare it before creating anything). */
  ws?: Promise<Checkout>;
}

function workspace(ctx: Ctx): Promise<Checkout> {
  ctx.ws ??= step('Prepare the repository', () => prepareCheckout(ctx.settings, ctx.env, log));
  return ctx.ws;
}

async function runMode(mode: Mode, ctx: Ctx): Promise<Outcome> {
  const { settings, api } = ctx;
  const base = await step('Find the Deployment', () => resolveDeployment(api, settings));
  if (mode === 'deploy') {
    ctx.story.known = { ...ctx.story.known, deploymentId: base.id, previewId: base.id };
    const outcome = await deployTo(base, ctx);
    return { ...outcome, previewId: base.id };
  }

  const branch = ctx.trigger.branch;
  if (!branch) {
    throw new Error(
      `The preview actions need a branch, and ${describeTrigger(ctx.trigger)} has none; run them on pull_request, push, create or delete events of branches.`,
    );
  }
  const name = previewName({ branch, baseName: base.name, explicit: settings.previewName });
  log.info(`Preview of ${base.name} for branch ${branch}: ${name}.`);

  if (mode === 'delete-deployment-preview') {
    if (settings.dryRun) {
      const found = await existingPreview({ api, base, branch, name, log });
      const reason = found
        ? `dry run: would delete preview ${found.name} (${found.id})`
        : `dry run: no preview of ${base.name} for branch ${branch} exists`;
      ctx.story.sections.push(`### Delete preview\n\n${escapeMarkdown(reason)}\n`);
      return {
        deployType: 'none',
        skipped: true,
        reason,
        previewId: found?.id,
        deploymentId: found?.id,
      };
    }
    const result = await step('Delete the preview', () =>
      deletePreview({ api, base, branch, name, log }),
    );
    const reason = result.deleted
      ? `deleted preview ${result.deleted.name} (${result.deleted.id}) of branch ${branch}`
      : `no preview of ${base.name} for branch ${branch} exists, so nothing was deleted`;
    ctx.story.sections.push(`### Delete preview\n\n${escapeMarkdown(reason)}\n`);
    const outcome: Outcome = {
      deployType: 'none',
      skipped: true,
      reason,
      previewId: result.deleted?.id,
      deploymentId: result.deleted?.id,
    };
    if (result.deleted && settings.prComment) {
      await comment(outcome, result.deleted, base, branch, ctx, [], [], 'deleted');
    }
    return outcome;
  }

  let preview: Deployment;
  let omittedSecrets: string[] = [];
  const copied = { connectionsWithoutPassword: [] as string[] };
  if (
    mode === 'create-deployment-preview' ||
    (settings.action === 'preview' && mode === 'deploy-deployment-preview')
  ) {
    // A preview takes the base's DAG-deploy setting unless preview-overrides changes it: a
    // deploy type it could never take, or a wrong root-folder or dags-path, fails before a
    // preview exists (a dry run's too).
    const overridden = settings.previewOverrides.isDagDeployEnabled;
    const dagDeploysOn =
      (typeof overridden === 'boolean' ? overridden : base.isDagDeployEnabled) === true;
    assertDeployTypeFits(settings.deployType, dagDeploysOn);
    const ws = await workspace(ctx);
    await checkProject(ws.git, ws.head, ws.repoRoot, settings, dagDeploysOn);
    if (settings.dryRun) {
      const found = await existingPreview({ api, base, branch, name, log });
      if (!found) {
        const reason = `dry run: would create preview ${name} from ${base.name} and deploy the whole project to it`;
        ctx.story.sections.push(`### Preview\n\n${escapeMarkdown(reason)}\n`);
        return { deployType: 'none', skipped: true, reason };
      }
      preview = found;
    } else {
      // A fresh preview gets everything its deploy-type covers: when that (or the checks)
      // needs Docker and there is none, fail before creating anything.
      if (
        needsDockerWhenFresh(settings) &&
        !(await existingPreview({ api, base, branch, name, log }))
      )
        await requireDocker(settings);
      // What can fail without Astro (the clone, the dbt project) fails before a preview exists.
      if (settings.deployType === 'dbt')
        await dbtBundle(path.join(ws.repoRoot, settings.rootFolder), settings);
      const created = await step('Create the preview', () =>
        createPreview({
          api,
          base,
          branch,
          name,
          overrides: settings.previewOverrides,
          timeoutMs: settings.waitMs,
          log,
        }),
      );
      preview = created.preview;
      ctx.story.known = { ...ctx.story.known, deploymentId: preview.id, previewId: preview.id };
      if (created.created) {
        ctx.story.createdPreview = { id: preview.id, name: preview.name };
        // Until this run ends, a cancelled run's post step reports it.
        pending('preview', ctx.story.createdPreview);
      }
      const rows: [string, string][] = [
        [
          'Preview',
          `${cell(preview.name)} (\`${preview.id}\`) ${created.created ? 'created' : 'reused'}`,
        ],
        ['Base', `${cell(base.name)} (\`${base.id}\`)`],
      ];
      // (createPreview has already warned about them in the log.)
      if (created.omittedSecrets.length) {
        rows.push(['Secret variables not copied', cell(created.omittedSecrets.join(', '))]);
      }
      omittedSecrets = created.omittedSecrets;
      // A fresh preview gets the base's objects; so does a reused one that never took a
      // deploy (an earlier run stopped after creating it), since copying is create-or-update.
      if (created.created || !(await hasDeployed(ctx.api, preview))) {
        if (!created.created)
          log.info(`${preview.name} has never been deployed to: copying the Airflow objects now.`);
        rows.push(...(await copyObjects(base, preview, settings, copied)));
      }
      ctx.story.sections.push(`### Preview Deployment\n\n${table(rows)}`);
    }
  } else {
    preview = await step('Find the preview', () =>
      requirePreview({ api, base, branch, name, log }),
    );
    // Created moments ago by another job (e.g. on branch creation): wait until it can take a deploy.
    if (preview.status === 'CREATING' && !settings.dryRun) {
      preview = await step('Wait for the preview', () =>
        waitUntilReady({ api, deploymentId: preview.id, log, timeoutMs: settings.waitMs }),
      );
    }
  }

  ctx.story.known = { ...ctx.story.known, deploymentId: preview.id, previewId: preview.id };
  const outcome = await deployTo(preview, ctx, true);
  const result = { ...outcome, previewId: preview.id };
  if (settings.prComment && ctx.trigger.kind === 'pull_request' && !settings.dryRun) {
    await comment(
      result,
      preview,
      base,
      branch,
      ctx,
      omittedSecrets,
      copied.connectionsWithoutPassword,
    );
  }
  return result;
}

async function copyObjects(
  base: Deployment,
  preview: Deployment,
  settings: Settings,
  copied: { connectionsWithoutPassword: string[] },
): Promise<[string, string][]> {
  if (!settings.copyConnections && !settings.copyVariables && !settings.copyPools) return [];
  return step('Copy Airflow objects', async () => {
    const from = createAirflowClient({
      apiUrl: base.webServerAirflowApiUrl,
      token: settings.token,
      log,
    });
    const to = createAirflowClient({
      apiUrl: preview.webServerAirflowApiUrl,
      token: settings.token,
      log,
    });
    // Only ever a preview that has not taken a deploy yet: its Airflow API may still answer
    // 404 for a while after it turned HEALTHY. (The base's 404 stays an error.)
    await to.waitUntilServing({ timeoutMs: settings.waitMs, name: preview.name });
    const counts = await copyAirflowObjects({
      from,
      to,
      connections: settings.copyConnections,
      variables: settings.copyVariables,
      pools: settings.copyPools,
      log,
    });
    const fmt = (c: { created: number; updated: number }) =>
      `${c.created} created, ${c.updated} updated`;
    const rows: [string, string][] = [];
    if (settings.copyConnections) rows.push(['Connections copied', fmt(counts.connections)]);
    if (settings.copyVariables) rows.push(['Variables copied', fmt(counts.variables)]);
    if (settings.copyPools) rows.push(['Pools copied', fmt(counts.pools)]);
    copied.connectionsWithoutPassword = counts.connectionsWithoutPassword;
    const notCopied: [string, string[]][] = [
      ['Variables with masked values (not copied)', counts.variablesMasked],
      ['Connections with masked extra keys (left out)', counts.connectionsWithMaskedExtra],
      ['Connections copied without extra (not readable)', counts.connectionsWithoutExtra],
      ["Already on the preview, left as is ('/' in the name)", counts.leftAsIs],
      ["Connections Airflow 3's API refuses (id)", counts.connectionIdsRefused],
    ];
    // A preview missing objects is not finished: a later run reuses it and copies nothing.
    if (counts.failures.length) {
      throw new Error(
        `${counts.failures.length} Airflow object(s) could not be copied from ${base.name} to ${preview.name}, so nothing was deployed: ${counts.failures.join('; ')} ` +
          `Set them on ${preview.name} by hand, or delete the preview (action: delete-deployment-preview) and run again to copy everything.`,
      );
    }
    // (copyAirflowObjects has already warned about each of these in the log.)
    for (const [label, items] of notCopied) {
      if (items.length) rows.push([label, cell(items.join('; '))]);
    }
    if (counts.connectionsWithoutPassword.length) {
      const ids = counts.connectionsWithoutPassword.join(', ');
      rows.push(['Connections needing a password', cell(ids)]);
    }
    return rows;
  });
}

async function comment(
  o: Outcome,
  preview: Deployment,
  base: Deployment,
  branch: string,
  ctx: Ctx,
  omittedSecrets: string[],
  connectionsWithoutPassword: string[],
  state?: 'deleted',
) {
  const t = ctx.trigger;
  if (t.kind !== 'pull_request' || ctx.settings.dryRun) return;
  if (!ctx.settings.githubToken || !ctx.env.GITHUB_REPOSITORY) {
    core.warning(
      `pr-comment is true but ${ctx.settings.githubToken ? 'GITHUB_REPOSITORY is not set' : "'github-token' is empty"}, so no comment was written; pass github-token: \${{ github.token }} with permissions pull-requests: write.`,
    );
    return;
  }
  const marker = commentMarker(base.id, preview.name);
  const server = ctx.env.GITHUB_SERVER_URL || 'https://github.com';
  const body = previewCommentBody({
    marker,
    base: { id: base.id, name: base.name },
    preview: { id: preview.id, name: preview.name, url: o.deploymentUrl },
    branch,
    state: state ?? (o.skipped ? 'unchanged' : 'deployed'),
    deployType: o.deployType,
    reason: o.reason,
    commitSha: t.headSha || t.sha,
    deployId: o.deployId,
    imageTag: o.imageTag,
    dagTarballVersion: o.dagTarballVersion,
    omittedSecrets,
    connectionsWithoutPassword,
    runUrl: ctx.env.GITHUB_RUN_ID
      ? `${server}/${ctx.env.GITHUB_REPOSITORY}/actions/runs/${ctx.env.GITHUB_RUN_ID}`
      : undefined,
  });
  const warning = await upsertPrComment({
    apiUrl: ctx.env.GITHUB_API_URL || 'https://api.github.com',
    token: ctx.settings.githubToken,
    repo: ctx.env.GITHUB_REPOSITORY,
    prNumber: t.number,
    body,
    marker,
    log,
  });
  if (warning) core.warning(warning);
}

/** Decide and (unless a dry run or nothing to do) deploy to one Deployment. */
async function deployTo(target: Deployment, ctx: Ctx, preview = false): Promise<Outcome> {
  const { settings, api, trigger } = ctx;
  const ws = await workspace(ctx);
  const decision = await step('Decide what to deploy', async () => {
    const d = await decideDeploy({
      api,
      git: ws.git,
      log,
      settings,
      trigger,
      target,
      head: ws.head,
      repoRoot: ws.repoRoot,
      preview,
    });
    log.info(`Decision: ${d.plan.kind} — ${d.plan.reason}.`);
    return d;
  });
  const url = deploymentUrl(settings.apiUrl, target.workspaceId, target.id);
  ctx.story.known = {
    ...ctx.story.known,
    deploymentId: target.id,
    deployType: decision.plan.kind,
    deploymentUrl: url,
  };
  ctx.story.sections.push(
    `### ${escapeMarkdown(target.name)}\n\n${decisionMarkdown(decision, settings.dryRun)}`,
  );
  const outcome: Outcome = {
    deploymentId: target.id,
    deployType: decision.plan.kind,
    skipped: decision.plan.kind === 'none',
    reason: decision.plan.reason,
    deploymentUrl: url,
  };
  if (decision.plan.kind === 'none') return outcome;
  if (settings.dryRun) {
    // What the real run would refuse, the dry run refuses too, with the same sentence.
    await foresee(decision.plan.kind, target, ws, settings);
    if (buildsImage(decision.plan.kind)) {
      const refusal = await plannedRuntimeRefusal({
        api,
        deployment: target,
        projectDir: path.join(ws.repoRoot, settings.rootFolder),
        imageName: settings.imageName,
        log,
      });
      if (refusal) throw new Error(refusal);
    }
    return {
      ...outcome,
      skipped: true,
      reason: `dry run: would deploy ${decision.plan.kind} because ${decision.plan.reason}`,
    };
  }
  const beforeFinalize = () =>
    staleBeforeFinalize({
      api,
      git: ws.git,
      log,
      settings,
      trigger,
      target,
      head: ws.head,
      repoRoot: ws.repoRoot,
      preview,
    });
  const result = await execute(decision.plan.kind, target, ws, ctx, beforeFinalize);
  if (result.notFinalized) {
    for (const w of result.warnings) core.warning(w);
    ctx.story.sections.push(`Not finalized: ${escapeMarkdown(result.notFinalized)}.\n`);
    return {
      ...outcome,
      deployType: 'none',
      skipped: true,
      reason: result.notFinalized,
      deployId: result.deployId,
    };
  }
  ctx.story.sections.push(liveMarkdown(result));
  return {
    ...outcome,
    deployId: result.deployId,
    imageTag: result.imageTag,
    dagTarballVersion: result.dagTarballVersion,
  };
}

async function execute(
  kind: DeployKind,
  target: Deployment,
  ws: Checkout,
  ctx: Ctx,
  beforeFinalize?: () => Promise<string | undefined>,
): Promise<DeployResult> {
  const { settings, env, trigger } = ctx;
  const projectDir = path.join(ws.repoRoot, settings.rootFolder);
  const dagsDir = path.join(projectDir, settings.dagsPath);
  const sha = await namedCommit(ws, trigger);
  const commit = await ws.git.commitInfo(sha);
  const git = await gitInfo(ws, sha, trigger, env, settings, commit.authorName);
  const checking = settings.parse || settings.pytest;
  const needsDocker = checking || buildsImage(kind);
  const docker: Docker | undefined = needsDocker ? createDocker({ log }) : undefined;
  if (docker && !(await docker.available())) throw noDocker(checking, kind);
  const tmpDir = makeTempDir('astro-deploy-');
  try {
    const beforeCreate = checking
      ? async (image?: string) => {
          // Image deploys check the image being deployed; DAG-only deploys check against the
          // image the Deployment runs now, and build one only when it cannot be pulled.
          let checkImage =
            image ??
            (await pullDeployedImage({
              docker: docker!,
              imageRepository: target.imageRepository,
              imageTag: target.imageTag,
              token: settings.token,
              log,
            }));
          // Images pulled or built only for the checks are removed after them.
          let built: string | undefined = image ? undefined : checkImage;
          if (!checkImage) {
            built = checkImage = `astro-deploy-check:${ws.head.slice(0, 12)}`;
            await docker!.build({
              context: projectDir,
              tag: built,
              secrets: settings.buildSecrets,
            });
          }
          try {
            await check(checkImage, docker!, projectDir, ws.repoRoot, ctx);
          } finally {
            if (built) await docker!.remove(built);
          }
        }
      : undefined;
    return await step(`Deploy (${kind})`, () =>
      executeDeploy(
        {
          kind,
          deployment: target,
          projectDir,
          dagsDir,
          noDagsBaseDir: settings.noDagsBaseDir,
          description: settings.description ?? commit.subject,
          git,
          imageName: settings.imageName,
          buildSecrets: settings.buildSecrets,
          mountPath: settings.mountPath,
          bundleType: settings.bundleType,
          waitMs: settings.waitMs,
          wakeOnDeploy: settings.wakeOnDeploy,
          token: settings.token,
          mtime: commit.time || undefined,
          beforeCreate,
          beforeFinalize,
        },
        { api: ctx.api, docker, log, tmpDir },
      ),
    );
  } finally {
    removeTempDir(tmpDir);
    await docker?.dispose();
  }
}

/**
 * The failures a dry run can foresee, in the real run's order: no Docker engine where the
 * deploy or the checks need one, a hibernating Deployment without wake-on-deploy, a missing
 * DAG folder. Read-only: `docker version`, a stat.
 */
async function foresee(
  kind: DeployKind,
  target: Deployment,
  ws: Checkout,
  settings: Settings,
): Promise<void> {
  const checking = settings.parse || settings.pytest;
  if (checking || buildsImage(kind)) {
    const docker = createDocker({ log });
    try {
      if (!(await docker.available())) throw noDocker(checking, kind);
    } finally {
      await docker.dispose();
    }
  }
  assertDeployable(target, settings.wakeOnDeploy);
  if (shipsDagFolder(kind, target.isDagDeployEnabled))
    await assertDagFolder(path.join(ws.repoRoot, settings.rootFolder, settings.dagsPath));
}

function noDocker(checking: boolean, kind: string): Error {
  if (checking) return noDockerError();
  return new Error(
    `A ${kind} deploy builds and pushes an image, which needs a Docker engine, and this runner has none; use a Linux runner (ubuntu-latest) or deploy-type dags-only.`,
  );
}

function needsDockerWhenFresh(settings: Settings): boolean {
  return settings.parse || settings.pytest || buildsImage(kindOfInput(settings.deployType));
}

async function requireDocker(settings: Settings): Promise<void> {
  const docker = createDocker({ log });
  try {
    if (!(await docker.available())) {
      throw noDocker(settings.parse || settings.pytest, kindOfInput(settings.deployType));
    }
  } finally {
    await docker.dispose();
  }
}

/** Has any deploy to this Deployment gone live? */
async function hasDeployed(api: AstroApi, d: Deployment): Promise<boolean> {
  const deploys = await api.listDeploys(d.id);
  return deploys.some((x) => x.status === 'DEPLOYED');
}

async function check(
  image: string,
  docker: Docker,
  projectDir: string,
  repoRoot: string,
  ctx: Ctx,
): Promise<void> {
  const { settings } = ctx;
  const result: CheckResult = await step('DAG checks', () =>
    runChecks({
      docker,
      image,
      projectDir,
      repoRoot,
      dagsPath: settings.dagsPath,
      parse: settings.parse,
      pytest: settings.pytest,
      pytestFile: settings.pytestFile,
      force: settings.force,
      log,
    }),
  );
  for (const p of result.problems) {
    core.error(p.message, {
      title: p.kind === 'parse' ? 'DAG import error' : 'pytest failure',
      file: p.file,
      startLine: p.line,
    });
  }
  ctx.story.sections.push(`${result.summary}\n`);
  if (!result.ok) {
    if (settings.force) {
      core.warning(
        `DAG checks failed (${result.problems.length} problems) but force is true: deploying anyway.`,
      );
      return;
    }
    throw new Error(
      `DAG checks failed with ${result.problems.length} problem(s); nothing was deployed. Fix them (see the annotations) or set force: true.`,
    );
  }
}

/**
 * The commit a deploy names (description, git metadata). On pull_request events GITHUB_SHA
 * is GitHub's temporary merge commit: when that is what is checked out, name the PR's head
 * commit instead (its subject, SHA and author), which is what the user pushed.
 */
async function namedCommit(ws: Checkout, trigger: Trigger): Promise<string> {
  if (trigger.kind !== 'pull_request') return ws.head;
  const { headSha, sha } = trigger;
  if (!headSha || headSha === ws.head || ws.head !== sha) return ws.head;
  if (await ws.git.ensureCommit(headSha)) return headSha;
  log.warning(
    `The pull request's head commit ${headSha.slice(0, 12)} could not be fetched, so the deploy names the merge commit ${ws.head.slice(0, 12)} instead.`,
  );
  return ws.head;
}

/** Git metadata every deploy carries: the baselines of later runs depend on it. */
async function gitInfo(
  ws: Checkout,
  sha: string,
  trigger: Trigger,
  env: NodeJS.ProcessEnv,
  settings: Settings,
  authorName: string,
): Promise<GitInfo> {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [account = '', repo = ''] = repository.split('/');
  const branch = trigger.branch;
  const base = {
    commitSha: sha,
    branch,
    path: settings.rootFolder || undefined,
    authorName: authorName || undefined,
    authorUsername: env.GITHUB_ACTOR || undefined,
  };
  if (/^https:\/\/github\.com$/i.test(server) && account && repo) {
    return {
      provider: 'GITHUB',
      account,
      repo,
      commitUrl: `${server}/${repository}/commit/${sha}`,
      authorUrl: env.GITHUB_ACTOR ? `${server}/${env.GITHUB_ACTOR}` : undefined,
      ...base,
    };
  }
  const remote =
    (await ws.git.remoteUrl()) ??
    (repository ? `${server}/${repository}` : `file://${ws.repoRoot}`);
  return { provider: 'GENERIC', remoteUrl: stripCredentials(remote), ...base };
}

function stripCredentials(url: string): string {
  return url.replace(/\/\/[^/@]+@/, '//');
}

function liveMarkdown(r: DeployResult): string {
  const rows: [string, string][] = [['Deploy', `\`${r.deployId}\``]];
  if (r.imageTag) rows.push(['Image tag', `\`${r.imageTag}\``]);
  if (r.dagTarballVersion) rows.push(['DAG tarball version', `\`${r.dagTarballVersion}\``]);
  if (r.bundleVersion) rows.push(['Bundle version', `\`${r.bundleVersion}\``]);
  rows.push(['Live after', `${(r.liveAfterMs / 1000).toFixed(1)} s`]);
  for (const w of r.warnings) {
    core.warning(w);
    rows.push(['Warning', cell(w)]);
  }
  return `#### Live\n\n${table(rows)}`;
}

async function resolveDeployment(api: AstroApi, settings: Settings): Promise<Deployment> {
  if (settings.deploymentId) {
    const d = await api.getDeployment(settings.deploymentId);
    log.info(`Deployment ${d.name} (${d.id}), status ${d.status}.`);
    return d;
  }
  const name = settings.deploymentName!;
  const workspaceId = settings.workspace ?? api.workspaceId;
  const found = await api.listDeployments({
    names: [name],
    workspaceIds: workspaceId ? [workspaceId] : undefined,
  });
  const exact = found.filter((d) => d.name === name);
  if (exact.length === 0) {
    throw new Error(
      `No Deployment named '${name}' in ${workspaceId ? `workspace ${workspaceId}` : `organization ${api.organizationId}`}; check deployment-name${workspaceId ? '' : ' or set workspace'}.`,
    );
  }
  if (exact.length > 1) {
    throw new Error(
      `${exact.length} Deployments are named '${name}' (${exact.map((d) => `${d.id} in workspace ${d.workspaceId}`).join(', ')}); set deployment-id, or workspace to pick one.`,
    );
  }
  log.info(`Deployment ${exact[0].name} (${exact[0].id}), status ${exact[0].status}.`);
  return exact[0];
}

function readEvent(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`The event file ${file} is not valid JSON.`);
  }
}

async function writeSummary(story: Story, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY || story.sections.length === 0) return;
  try {
    await core.summary.addRaw(`## Astro deploy\n\n${story.sections.join('\n')}`).write();
  } catch (err) {
    core.warning(`Could not write the job summary: ${(err as Error).message}`);
  }
}

function messageOf(err: unknown): string {
  if (err instanceof SettingsError) return err.problems.join('\n');
  return err instanceof Error ? err.message : String(err);
}
