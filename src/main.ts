// Wiring only: build the parts, run the flow for the chosen action, report, and fail in one
// place. Decisions live in plan.ts; the parts do the work.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as core from '@actions/core';
import { createAirflowClient } from './astro/airflow.js';
import { createAstroClient } from './astro/client.js';
import { stripBearer } from './astro/token.js';
import type { AstroApi, Deployment, GitInfo } from './astro/types.js';
import { runChecks, pullDeployedImage, noDockerError, type CheckResult } from './checks/index.js';
import { makeDecision, staleBeforeFinalize } from './decision.js';
import { dbtBundle, executeDeploy, type DeployResult } from './deploy/execute.js';
import { createDocker, type Docker } from './docker.js';
import { commentMarker, previewCommentBody, upsertPrComment } from './github/comment.js';
import type { Log } from './log.js';
import { copyAirflowObjects } from './preview/copy.js';
import { previewName } from './preview/names.js';
import {
  createPreview,
  deletePreview,
  existingPreview,
  requirePreview,
  waitUntilReady,
} from './preview/ops.js';
import { SettingsError, readSettings } from './settings.js';
import type { DeployKind, Settings } from './settings-types.js';
import { resolveMode, type Mode } from './mode.js';
import { decisionMarkdown, deploymentUrl, outputs, table, type Outcome } from './report.js';
import { describeTrigger, parseTrigger, type Trigger } from './trigger.js';
import { prepareWorkspace, type WorkspaceInfo } from './workspace.js';

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
  const story: Story = { sections: [] };
  try {
    const settings = readSettings((name) => core.getInput(name), env);
    if (settings.githubToken) core.setSecret(settings.githubToken);
    for (const n of settings.notices) core.notice(n);
    const trigger = parseTrigger(env.GITHUB_EVENT_NAME ?? '', readEvent(env), env);
    log.info(`Event: ${describeTrigger(trigger)}.`);
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
    if (deployId) core.setOutput('deploy-id', deployId);
    // What the deploy found before it failed (an empty DAG folder, a cut description…).
    const warnings = (err as { warnings?: unknown }).warnings;
    if (Array.isArray(warnings) && warnings.length) {
      for (const w of warnings) core.warning(String(w));
      story.sections.push(
        `### Warnings\n\n${warnings.map((w) => `- ${escapeMd(String(w))}`).join('\n')}\n`,
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
      core.setOutput('preview-id', created.id);
      if (!/was created/.test(message))
        message += ` The preview ${created.name} (${created.id}) was created by this run and is kept; running again reuses it.`;
    }
    story.sections.push(`### Failed\n\n${escapeMd(message)}\n`);
    await writeSummary(story, env);
    core.setFailed(message);
  }
}

interface Ctx {
  settings: Settings;
  trigger: Trigger;
  api: AstroApi;
  env: NodeJS.ProcessEnv;
  story: Story;
  /** The repository, once prepared (previews prepare it before creating anything). */
  ws?: Promise<WorkspaceInfo>;
}

function workspace(ctx: Ctx): Promise<WorkspaceInfo> {
  ctx.ws ??= step('Prepare the repository', () => prepareWorkspace(ctx.settings, ctx.env, log));
  return ctx.ws;
}

async function runMode(mode: Mode, ctx: Ctx): Promise<Outcome> {
  const { settings, api } = ctx;
  const base = await step('Find the Deployment', () => resolveDeployment(api, settings));
  if (mode === 'deploy') {
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
      ctx.story.sections.push(`### Delete preview\n\n${escapeMd(reason)}\n`);
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
    ctx.story.sections.push(`### Delete preview\n\n${escapeMd(reason)}\n`);
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
    if (settings.dryRun) {
      const found = await existingPreview({ api, base, branch, name, log });
      if (!found) {
        const reason = `dry run: would create preview ${name} from ${base.name} and deploy the whole project to it`;
        ctx.story.sections.push(`### Preview\n\n${escapeMd(reason)}\n`);
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
      const ws = await workspace(ctx);
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
      if (created.created) ctx.story.createdPreview = { id: preview.id, name: preview.name };
      const rows: [string, string][] = [
        [
          'Preview',
          `${escapeMd(preview.name)} (\`${preview.id}\`) ${created.created ? 'created' : 'reused'}`,
        ],
        ['Base', `${escapeMd(base.name)} (\`${base.id}\`)`],
      ];
      // (createPreview has already warned about them in the log.)
      if (created.omittedSecrets.length) {
        rows.push(['Secret variables not copied', escapeMd(created.omittedSecrets.join(', '))]);
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
      if (items.length) rows.push([label, escapeMd(items.join('; '))]);
    }
    if (counts.connectionsWithoutPassword.length) {
      const ids = counts.connectionsWithoutPassword.join(', ');
      rows.push(['Connections needing a password', escapeMd(ids)]);
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
    commitSha: t.sha,
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
    const d = await makeDecision({
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
  ctx.story.sections.push(
    `### ${escapeMd(target.name)}\n\n${decisionMarkdown(decision, settings.dryRun)}`,
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
    ctx.story.sections.push(`Not finalized: ${escapeMd(result.notFinalized)}.\n`);
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
  kind: Exclude<DeployKind, 'none'>,
  target: Deployment,
  ws: WorkspaceInfo,
  ctx: Ctx,
  beforeFinalize?: () => Promise<string | undefined>,
): Promise<DeployResult> {
  const { settings, env, trigger } = ctx;
  const projectDir = path.join(ws.repoRoot, settings.rootFolder);
  const dagsDir = path.join(projectDir, settings.dagsPath);
  const commit = await ws.git.commitInfo(ws.head);
  const git = await gitInfo(ws, trigger, env, settings, commit.authorName);
  const checking = settings.parse || settings.pytest;
  const needsDocker = checking || kind === 'image-and-dags' || kind === 'image-only';
  const docker: Docker | undefined = needsDocker ? createDocker({ log }) : undefined;
  if (docker && !(await docker.available())) throw noDocker(checking, kind);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-deploy-'));
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
    fs.rmSync(tmpDir, { recursive: true, force: true });
    await docker?.dispose();
  }
}

function noDocker(checking: boolean, kind: string): Error {
  if (checking) return noDockerError();
  return new Error(
    `A ${kind} deploy builds and pushes an image, which needs a Docker engine, and this runner has none; use a Linux runner (ubuntu-latest) or deploy-type dags-only.`,
  );
}

function needsDockerWhenFresh(settings: Settings): boolean {
  const image = ['infer', 'image-and-dags', 'image-only'].includes(settings.deployType);
  return settings.parse || settings.pytest || image;
}

async function requireDocker(settings: Settings): Promise<void> {
  const docker = createDocker({ log });
  try {
    if (!(await docker.available())) {
      const kind = settings.deployType === 'infer' ? 'image-and-dags' : settings.deployType;
      throw noDocker(settings.parse || settings.pytest, kind);
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

/** Git metadata every deploy carries: the baselines of later runs depend on it. */
async function gitInfo(
  ws: WorkspaceInfo,
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
    commitSha: ws.head,
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
      commitUrl: `${server}/${repository}/commit/${ws.head}`,
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
    rows.push(['Warning', escapeMd(w)]);
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

function escapeMd(s: string): string {
  return s.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
