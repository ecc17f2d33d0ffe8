// The deploy flow: find the Deployment, decide what to deploy to it, and (unless a dry run or
// nothing to do) carry the deploy out, checks first. Takes its parts as arguments.
import path from 'node:path';
import type { AstroApi, Deployment } from '../astro/types.js';
import { decideDeploy, staleBeforeFinalize, type AlreadyRead } from '../decide/facts.js';
import { buildsImage, type DeployKind } from '../decide/kinds.js';
import { executeDeploy, plannedRuntimeRefusal, type DeployResult } from '../deploy/execute.js';
import type { DeployRequest } from '../deploy/request.js';
import type { Log } from '../platform/log.js';
import { deploymentUrl, type Outcome } from '../report/report.js';
import { decisionSection, liveMarkdown, notFinalizedLine, paragraph } from '../report-summary.js';
import { isRemoteExecution, remoteExecutionNote } from '../decide/remote-execution.js';
import { makeTempDir, removeTempDir } from '../platform/temp.js';
import { checksBeforeCreate, foresee, noDocker, runsChecks } from './checks.js';
import { gitInfo, namedCommit } from './git-record.js';
import { startOnGitHub, unchangedOnGitHub, type GitHubTarget } from './github-record.js';
import { step, type Parts } from './parts.js';

/** The Deployment named by deployment-id, or by deployment-name (in workspace). */
export async function resolveDeployment(
  api: AstroApi,
  settings: { deploymentId?: string; deploymentName?: string; workspace?: string },
  log: Log,
): Promise<Deployment> {
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

/** action: deploy (or a push to a branch): deploy to the Deployment itself. */
export async function deployFlow(p: Parts, base: Deployment): Promise<Outcome> {
  p.journal.known = { ...p.journal.known, deploymentId: base.id, previewId: base.id };
  const outcome = await deployTo(p, base, false, { base });
  return { ...outcome, previewId: base.id };
}

/**
 * Decide and (unless a dry run or nothing to do) deploy to one Deployment; a deploy that acts
 * is recorded on GitHub (`gh`: what the comment says of the base). `read`: what the caller
 * read this run, not read again to decide.
 */
export async function deployTo(
  p: Parts,
  target: Deployment,
  preview = false,
  gh: GitHubTarget = { base: target },
  read: AlreadyRead = {},
): Promise<Outcome> {
  const { settings, api, trigger, log, journal } = p;
  const ws = await p.checkout();
  const facts = {
    api,
    git: ws.git,
    log,
    settings,
    trigger,
    target,
    head: ws.head,
    repoRoot: ws.repoRoot,
    preview,
  };
  const decision = await step(p, 'Decide what to deploy', async () => {
    const d = await decideDeploy(facts, read);
    log.info(`Decision: ${d.plan.kind} — ${d.plan.reason}.`);
    return d;
  });
  const kind = decision.plan.kind;
  const url = deploymentUrl(settings.apiUrl, target.workspaceId, target.id);
  journal.known = {
    ...journal.known,
    deploymentId: target.id,
    deployType: kind,
    deploymentUrl: url,
  };
  journal.sections.push(decisionSection(target.name, decision, settings.dryRun));
  if (isRemoteExecution(target)) {
    log.info(remoteExecutionNote(target.name));
    journal.sections.push(paragraph(remoteExecutionNote(target.name)));
  }
  const outcome: Outcome = {
    deploymentId: target.id,
    deployType: kind,
    skipped: kind === 'none',
    reason: decision.plan.reason,
    deploymentUrl: url,
  };
  const decided = { target, preview, url, ...decision.plan };
  if (kind === 'none') {
    await unchangedOnGitHub(p, decided, gh, ws.head);
    return outcome;
  }
  if (settings.dryRun) {
    // What the real run would refuse, the dry run refuses too, with the same sentence.
    await foresee(p, kind, target, ws);
    if (buildsImage(kind)) {
      const refusal = await plannedRuntimeRefusal({
        api,
        deployment: target,
        projectDir: path.join(ws.repoRoot, settings.rootFolder),
        imageName: settings.imageName,
        log,
      });
      if (refusal) throw new Error(refusal);
    }
    const reason = `dry run: would deploy ${kind} because ${decision.plan.reason}`;
    return { ...outcome, skipped: true, reason };
  }
  const github = await startOnGitHub(p, decided, gh, ws.head);
  const result = await runDeploy(p, kind, target, () => staleBeforeFinalize(facts));
  if (result.notFinalized) {
    for (const w of result.warnings) log.warning(w);
    journal.sections.push(notFinalizedLine(result.notFinalized));
    const stale: Outcome = { ...outcome, deployType: 'none', skipped: true };
    await github.superseded({ ...stale, reason: result.notFinalized });
    return { ...stale, reason: result.notFinalized, deployId: result.deployId };
  }
  journal.sections.push(liveMarkdown(result, log));
  return github.success({
    ...outcome,
    deployId: result.deployId,
    imageTag: result.imageTag,
    dagTarballVersion: result.dagTarballVersion,
  });
}

/** Carry out the decided deploy: the checks, then executeDeploy's stages. */
async function runDeploy(
  p: Parts,
  kind: DeployKind,
  target: Deployment,
  beforeFinalize: DeployRequest['beforeFinalize'],
): Promise<DeployResult> {
  const { settings, env, trigger, log } = p;
  const ws = await p.checkout();
  const projectDir = path.join(ws.repoRoot, settings.rootFolder);
  const sha = await namedCommit(ws, trigger, log);
  const commit = await ws.git.commitInfo(sha);
  const git = await gitInfo(ws, sha, trigger, env, settings, commit.authorName);
  const checking = runsChecks(p, target);
  const needsDocker = checking || buildsImage(kind);
  const docker = needsDocker ? p.docker() : undefined;
  if (docker && !(await docker.available())) throw noDocker(checking, kind);
  const tmpDir = makeTempDir('astro-deploy-');
  try {
    return await step(p, `Deploy (${kind})`, () =>
      executeDeploy(
        {
          kind,
          deployment: target,
          projectDir,
          dagsDir: path.join(projectDir, settings.dagsPath),
          noDagsBaseDir: settings.noDagsBaseDir,
          description: settings.description ?? commit.subject,
          git,
          imageName: settings.imageName,
          buildSecrets: settings.buildSecrets,
          mountPath: settings.mountPath,
          dagBundleName: settings.dagBundleName,
          bundleType: settings.bundleType,
          waitMs: settings.waitMs,
          wakeOnDeploy: settings.wakeOnDeploy,
          token: settings.token,
          mtime: commit.time || undefined,
          beforeCreate: checking ? checksBeforeCreate(p, docker!, target, ws) : undefined,
          beforeFinalize,
        },
        { api: p.api, docker, log, tmpDir, journal: p.journal },
      ),
    );
  } finally {
    removeTempDir(tmpDir);
    await docker?.dispose();
  }
}
