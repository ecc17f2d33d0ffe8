// Wiring only: read the settings, build the parts, run the flow for the chosen action,
// report, and fail in one place that reads the run journal. Decisions live in plan.ts; the
// sequences in flows/; the parts do the work.
import fs from 'node:fs';
import * as core from '@actions/core';
import { createAstroClient } from './astro/client.js';
import { maskToken } from './astro/token.js';
import { createDocker } from './platform/docker.js';
import { resolveDeployment } from './flows/deploy.js';
import { step, type Parts } from './flows/parts.js';
import { runFlow } from './flows/run.js';
import { cancellation, failure } from './failure.js';
import { Journal } from './journal.js';
import type { Log } from './platform/log.js';
import { resolveMode } from './inputs/mode.js';
import * as previews from './preview/ops.js';
import { outputs, type Outcome } from './report/report.js';
import { section, writeSummary } from './report-summary.js';
import { loadSettings } from './inputs/settings.js';
import { removeTempDirs } from './platform/temp.js';
import { describeTrigger, parseTrigger, withoutSecrets } from './inputs/trigger.js';
import { prepareCheckout, type Checkout } from './platform/checkout.js';
import { githubPartsFor } from './github/parts.js';

const log: Log = {
  info: (m) => core.info(m),
  warning: (m) => core.warning(m),
  debug: (m) => core.debug(m),
};
const reporter = { group: core.group, error: core.error };
const summary = (md: string) => core.summary.addRaw(md).write();
const report = (j: Journal, env: NodeJS.ProcessEnv) => writeSummary(j, env, summary, log);
const setOutputs = (o: Outcome) => {
  for (const [k, v] of Object.entries(outputs(o))) core.setOutput(k, v);
};

export async function run(env: NodeJS.ProcessEnv = process.env, journal = new Journal()) {
  maskToken(env, core.setSecret);
  try {
    const trigger = parseTrigger(env.GITHUB_EVENT_NAME ?? '', readEvent(env), env);
    const secretless = withoutSecrets(trigger, env);
    const settings = await loadSettings((name) => core.getInput(name), env, {
      tokenOptional: secretless !== undefined,
    });
    if (settings.githubToken) core.setSecret(settings.githubToken);
    for (const n of settings.notices) core.notice(n);
    log.info(`Event: ${describeTrigger(trigger)}.`);
    if (secretless && !settings.token) return await skipSecretless(secretless, journal, env);
    const api = await step({ journal, reporter, log }, 'Connect to the Astro API', () =>
      createAstroClient({
        baseUrl: settings.apiUrl,
        token: settings.token,
        log,
        workspaceId: settings.workspace,
      }),
    );
    let ws: Promise<Checkout> | undefined;
    const parts: Parts = {
      settings,
      trigger,
      env,
      api,
      log,
      journal,
      reporter,
      previews,
      github: await githubPartsFor(settings, trigger, env, log),
      docker: () => createDocker({ log }),
      checkout: () =>
        (ws ??= step(parts, 'Prepare the repository', () => prepareCheckout(settings, env, log))),
    };
    const mode = resolveMode(settings.action, trigger);
    const base = await step(parts, 'Find the Deployment', () =>
      resolveDeployment(api, settings, log),
    );
    const outcome = await runFlow(mode, parts, base);
    setOutputs(outcome);
    log.info(
      outcome.skipped
        ? `Nothing deployed: ${outcome.reason}.`
        : `Done: ${outcome.deployType} — ${outcome.reason}.`,
    );
    await report(journal, env);
  } catch (err) {
    await failed(err, journal, env);
  } finally {
    // This run has reported its preview itself; nothing is left for the post step.
    journal.previewsSettled();
  }
}

/** The one failure path: what the journal says the run left, in the message and the outputs. */
async function failed(err: unknown, journal: Journal, env: NodeJS.ProcessEnv): Promise<void> {
  for (const w of journal.warnings) log.warning(w);
  const { message, outcome } = failure(err, journal);
  await journal.closeGitHub(message);
  await report(journal, env);
  setOutputs(outcome);
  core.setFailed(message);
}

/** A run GitHub gives no secrets (a fork's pull request, Dependabot): say so, and succeed. */
async function skipSecretless(reason: string, journal: Journal, env: NodeJS.ProcessEnv) {
  core.notice(`Skipped: ${reason}.`);
  setOutputs({ deployType: 'none', skipped: true, reason });
  journal.sections.push(section('Skipped', `${reason}.`));
  await report(journal, env);
}

/**
 * A cancelled run (SIGINT / SIGTERM): put back what is ours (the hibernation override),
 * remove our temporary files, and fail with outputs and a summary saying what was left.
 * What is still pending afterwards is saved for the post step.
 */
export async function cancelled(signal: NodeJS.Signals, journal: Journal, env = process.env) {
  const where = journal.step ? ` during '${journal.step}'` : '';
  log.info(`Cancelled (${signal})${where}: putting back what this run changed.`);
  const problems = await journal.undoAll();
  removeTempDirs();
  const { message, outcome } = cancellation(signal, journal, problems);
  await journal.closeGitHub(message);
  setOutputs(outcome);
  await report(journal, env);
  core.setFailed(message);
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
