// The parts a flow takes as arguments (the way actions/create-github-app-token passes `core`
// and its HTTP client in), so unit tests hand fakes and need no module mocking.
import type { AstroApi } from '../astro/types.js';
import type { Docker } from '../platform/docker.js';
import type { Journal } from '../journal.js';
import type { Log } from '../platform/log.js';
import type { Settings } from '../inputs/settings-types.js';
import type { Trigger } from '../inputs/trigger.js';
import type { Checkout } from '../platform/checkout.js';
import type * as previewOps from '../preview/ops.js';
import type { GitHubParts } from '../github/parts.js';

/** What the runner shows besides log lines: collapsible groups, annotations on files. */
export interface Reporter {
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  error(message: string, where: { title?: string; file?: string; startLine?: number }): void;
}

/** The preview operations a flow uses (preview/ops.ts; fakes in tests). */
export type PreviewOps = Pick<
  typeof previewOps,
  | 'createPreview'
  | 'deletePreview'
  | 'existingPreview'
  | 'lookUpPreview'
  | 'requirePreview'
  | 'waitUntilReady'
>;

export interface Parts {
  settings: Settings;
  trigger: Trigger;
  env: NodeJS.ProcessEnv;
  api: AstroApi;
  log: Log;
  journal: Journal;
  reporter: Reporter;
  /** A Docker client (disposed by whoever asked for it). */
  docker: () => Docker;
  /** The repository, prepared once (later calls get the same one). */
  checkout: () => Promise<Checkout>;
  previews: PreviewOps;
  /** GitHub deployments, the live PR comment, the run's link (absent: nothing goes to GitHub). */
  github?: GitHubParts;
}

/**
 * A step of the run: a log group, and the step a failure names. Groups never nest (GitHub
 * does not render nested groups): a step inside a step is a log line.
 */
export async function step<T>(
  p: Pick<Parts, 'journal' | 'reporter' | 'log'>,
  title: string,
  fn: () => Promise<T>,
): Promise<T> {
  const outer = p.journal.step;
  p.journal.step = title;
  let result: T;
  if (outer === undefined) {
    result = await p.reporter.group(title, fn);
  } else {
    p.log.info(`${title}:`);
    result = await fn();
  }
  p.journal.step = outer;
  return result;
}
