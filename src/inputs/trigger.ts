// What happened, read from the event payload: the facts the decision and the preview modes
// need, nothing else. Pure: the payload and env are handed in.

const ZERO_SHA = /^0{40}$/;

interface Common {
  eventName: string;
  /** The commit the workflow runs on (GITHUB_SHA). */
  sha: string;
  /** The branch this run is about, without refs/heads/ (PR: head branch). */
  branch?: string;
}

export type Trigger = Common &
  (
    | {
        kind: 'push';
        ref: string;
        tag?: string;
        /** undefined for a new branch (all-zero before) or when missing. */
        before?: string;
        after: string;
        forced: boolean;
        created: boolean;
        deleted: boolean;
      }
    | {
        kind: 'pull_request';
        action: string;
        number: number;
        baseRef: string;
        headSha: string;
        baseSha: string;
        /** synchronize: the head before the push. */
        before?: string;
        merged: boolean;
        /**
         * The head branch lives in another repository (a fork, or a deleted one): GitHub
         * gives such runs no secrets.
         */
        fromFork: boolean;
      }
    | { kind: 'create' | 'delete'; ref: string; refType: 'branch' | 'tag' | string }
    | { kind: 'workflow_dispatch'; ref: string }
    | { kind: 'merge_group'; headSha: string; baseSha: string }
    | { kind: 'other' }
  );

type Payload = Record<string, any>;

const stripHeads = (ref: string) => ref.replace(/^refs\/heads\//, '');

export function parseTrigger(eventName: string, payload: Payload, env: NodeJS.ProcessEnv): Trigger {
  const sha = env.GITHUB_SHA ?? '';
  const refEnv = env.GITHUB_REF ?? '';
  switch (eventName) {
    case 'push':
      return pushTrigger(payload, sha, refEnv);
    case 'pull_request':
    case 'pull_request_target':
      return pullRequestTrigger(eventName, payload, sha, env);
    case 'create':
    case 'delete': {
      const refType: string = payload.ref_type ?? '';
      const ref: string = payload.ref ?? '';
      return {
        eventName,
        kind: eventName,
        sha,
        ref,
        refType,
        branch: refType === 'branch' ? stripHeads(ref) : undefined,
      };
    }
    case 'workflow_dispatch':
      return {
        eventName,
        kind: 'workflow_dispatch',
        sha,
        ref: payload.ref ?? refEnv,
        branch: refEnv.startsWith('refs/heads/') ? stripHeads(refEnv) : undefined,
      };
    case 'merge_group': {
      const group = payload.merge_group ?? {};
      return {
        eventName,
        kind: 'merge_group',
        sha: sha || group.head_sha || '',
        headSha: group.head_sha ?? sha,
        baseSha: group.base_sha ?? '',
        branch: group.head_ref ? stripHeads(group.head_ref) : undefined,
      };
    }
    default:
      return {
        eventName,
        kind: 'other',
        sha,
        branch: refEnv.startsWith('refs/heads/') ? stripHeads(refEnv) : undefined,
      };
  }
}

function pushTrigger(payload: Payload, sha: string, refEnv: string): Trigger {
  const ref: string = payload.ref ?? refEnv;
  const before: string | undefined = payload.before;
  const isTag = ref.startsWith('refs/tags/');
  return {
    eventName: 'push',
    kind: 'push',
    sha: sha || payload.after || '',
    ref,
    branch: isTag ? undefined : stripHeads(ref),
    tag: isTag ? ref.slice('refs/tags/'.length) : undefined,
    before: before && !ZERO_SHA.test(before) ? before : undefined,
    after: payload.after ?? sha,
    forced: Boolean(payload.forced),
    created: Boolean(payload.created) || (before !== undefined && ZERO_SHA.test(before)),
    deleted: Boolean(payload.deleted),
  };
}

function pullRequestTrigger(
  eventName: string,
  payload: Payload,
  sha: string,
  env: NodeJS.ProcessEnv,
): Trigger {
  const pr = payload.pull_request ?? {};
  const before: string | undefined = payload.before;
  return {
    eventName,
    kind: 'pull_request',
    sha,
    action: payload.action ?? '',
    number: Number(payload.number ?? pr.number ?? 0),
    branch: pr.head?.ref ?? env.GITHUB_HEAD_REF,
    baseRef: pr.base?.ref ?? env.GITHUB_BASE_REF ?? '',
    headSha: pr.head?.sha ?? sha,
    baseSha: pr.base?.sha ?? '',
    before:
      payload.action === 'synchronize' && before && !ZERO_SHA.test(before) ? before : undefined,
    merged: Boolean(pr.merged),
    fromFork: fromFork(pr, payload, env),
  };
}

/** head.repo differs from the base repository; a head repo of null is a deleted fork. */
function fromFork(pr: Payload, payload: Payload, env: NodeJS.ProcessEnv): boolean {
  const head = pr.head;
  if (!head || typeof head !== 'object' || !('repo' in head)) return false;
  if (head.repo === null) return true;
  const headRepo: unknown = head.repo?.full_name;
  const baseRepo: unknown =
    pr.base?.repo?.full_name ?? payload.repository?.full_name ?? env.GITHUB_REPOSITORY;
  if (typeof headRepo !== 'string' || typeof baseRepo !== 'string') return false;
  return headRepo.toLowerCase() !== baseRepo.toLowerCase();
}

/**
 * Why this run has no Actions secrets, when GitHub gives it none: a pull request from a fork
 * (pull_request_target runs get the secrets, forks too: an empty token is a mistake there),
 * or a run started by Dependabot, which gets the repository's Dependabot secrets instead.
 * An empty ASTRO_API_TOKEN then means "skip", with this sentence, not "fail".
 */
export function withoutSecrets(t: Trigger, env: NodeJS.ProcessEnv): string | undefined {
  if (t.kind === 'pull_request' && t.eventName === 'pull_request' && t.fromFork)
    return `${describeTrigger(t)} comes from a fork, and GitHub gives such runs no secrets, so ASTRO_API_TOKEN is empty and nothing was deployed; add \`if: github.event.pull_request.head.repo.full_name == github.repository\` to the job to skip it without this notice`;
  if (env.GITHUB_ACTOR === 'dependabot[bot]')
    return `${describeTrigger(t)} was started by Dependabot, and GitHub gives such runs only the Dependabot secrets, so ASTRO_API_TOKEN is empty and nothing was deployed; add ASTRO_API_TOKEN to the repository's Dependabot secrets to deploy its branches, or add \`if: github.actor != 'dependabot[bot]'\` to the job to skip them without this notice`;
  return undefined;
}

/** One line for the log and the summary. */
export function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'push':
      if (t.tag) return `push of tag ${t.tag}`;
      return `push to ${t.branch}${t.forced ? ' (forced)' : ''}${t.created ? ' (new branch)' : ''}`;
    case 'pull_request':
      return `pull request #${t.number} ${t.action} (${t.branch} → ${t.baseRef})`;
    case 'create':
    case 'delete':
      return `${t.kind} of ${t.refType} ${t.ref}`;
    case 'workflow_dispatch':
      return `manual run on ${t.branch ?? t.ref}`;
    case 'merge_group':
      return `merge queue group ${t.headSha.slice(0, 7)}`;
    default:
      return `${t.eventName} event`;
  }
}
