// The example workflows in docs/workflows, read as GitHub reads them: every job has a
// timeout; the jobs that create, deploy and delete a preview share one concurrency group per
// branch, whatever event started them; deploy-main-dev.yml stops with an error on main when
// the production variable is unset, instead of deploying to the dev Deployment.
// GitHub's expressions are evaluated by a small evaluator of the subset the examples use.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type Value = string | number | boolean | null | undefined | { [k: string]: Value };

/**
 * Evaluates a GitHub Actions expression: `||`, `&&`, `==`, `!=`, `!`, `( )`, literals, contexts
 * and contains / startsWith / endsWith.
 */
function evaluate(expr: string, ctx: Record<string, Value>): Value {
  const tokens = expr.match(/'(?:[^']|'')*'|&&|\|\||==|!=|!|\(|\)|,|[\w.-]+/g) ?? [];
  let i = 0;
  const truthy = (v: Value) => v !== '' && v !== 0 && v !== false && v !== null && v !== undefined;
  const eq = (a: Value, b: Value) =>
    typeof a === 'string' && typeof b === 'string'
      ? a.toLowerCase() === b.toLowerCase()
      : (a ?? null) === (b ?? null) ||
        (a === undefined && b === '') ||
        (a === '' && b === undefined);
  function primary(): Value {
    const t = tokens[i++];
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') throw new Error(`missing ) in ${expr}`);
      return v;
    }
    if (t === '!') return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (/^\d/.test(t)) return Number(t);
    if (tokens[i] === '(') {
      // contains / startsWith / endsWith, case-insensitive as GitHub's are.
      i++;
      const args: Value[] = [];
      while (tokens[i] !== ')') {
        args.push(or());
        if (tokens[i] === ',') i++;
      }
      i++;
      const [a, b] = args.map((v) => String(v ?? '').toLowerCase());
      if (t === 'contains') return a.includes(b);
      if (t === 'startsWith') return a.startsWith(b);
      if (t === 'endsWith') return a.endsWith(b);
      throw new Error(`function ${t} is not known to this evaluator`);
    }
    return t
      .split('.')
      .reduce<Value>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), ctx);
  }
  function comparison(): Value {
    let v = primary();
    while (tokens[i] === '==' || tokens[i] === '!=') {
      const op = tokens[i++];
      const r = primary();
      v = op === '==' ? eq(v, r) : !eq(v, r);
    }
    return v;
  }
  function and(): Value {
    let v = comparison();
    while (tokens[i] === '&&') {
      i++;
      const r = comparison();
      v = truthy(v) ? r : v;
    }
    return v;
  }
  function or(): Value {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      const r = and();
      v = truthy(v) ? v : r;
    }
    return v;
  }
  const v = or();
  if (i !== tokens.length) throw new Error(`cannot read ${expr}`);
  return v;
}

/** A value with `${{ … }}` parts, as GitHub interpolates it. */
function interpolate(text: string, ctx: Record<string, Value>): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_m, e: string) => String(evaluate(e, ctx) ?? ''));
}

/** An `if:` condition: an expression with or without `${{ }}`. */
function condition(text: string | undefined, ctx: Record<string, Value>): boolean {
  if (text === undefined) return true;
  const m = /^\s*\$\{\{(.*)\}\}\s*$/.exec(text);
  const v = evaluate(m ? m[1] : text, ctx);
  return v !== '' && v !== 0 && v !== false && v !== null && v !== undefined;
}

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  'timeout-minutes'?: number;
  concurrency?: { group: string } | string;
  env?: Record<string, string>;
  steps: Step[];
}

const DIR = 'docs/workflows';
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const workflow = (f: string) =>
  parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as {
    on: Record<string, unknown> | string[] | string;
    jobs: Record<string, Job>;
  };
/** The events a workflow runs on. */
const triggers = (f: string): string[] => {
  const on = workflow(f).on;
  return typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on);
};
const ours = (s: Step) => /astro-deploy-action@/.test(s.uses ?? '');

describe('the expression evaluator', () => {
  const ctx = { github: { ref_name: 'main', head_ref: '' }, vars: { A: 'a' } };
  it.each([
    ["github.ref_name == 'main' && vars.A || 'x'", 'a'],
    ["github.ref_name == 'MAIN'", true],
    ["github.ref_name != 'main'", false],
    ["github.head_ref || 'none'", 'none'],
    ["vars.B == ''", true],
    ["(github.ref_name == 'dev' && 'd') || (github.ref_name == 'main' && 'm')", 'm'],
    ["!(vars.A == 'a')", false],
    ["startsWith(github.ref_name, 'MA') && !contains(vars.A, 'b')", true],
  ])('%s → %s', (expr, expected) => {
    expect(evaluate(expr, ctx)).toBe(expected);
  });
});

describe('example workflows', () => {
  it('there are examples to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s: every job has timeout-minutes', (f) => {
    for (const [name, job] of Object.entries(workflow(f).jobs)) {
      expect([name, typeof job['timeout-minutes']]).toEqual([name, 'number']);
      expect(job['timeout-minutes']).toBeGreaterThan(0);
    }
  });

  // github-deployments is on by default and pr-comment writes a comment: a token without the
  // permission gets a warning on every run, so the examples grant what their steps use.
  it.each(files)('%s: the token may write what the steps record on GitHub', (f) => {
    const wf = workflow(f) as ReturnType<typeof workflow> & {
      permissions?: Record<string, string>;
    };
    for (const job of Object.values(wf.jobs)) {
      const perms = {
        ...wf.permissions,
        ...(job as Job & { permissions?: Record<string, string> }).permissions,
      };
      for (const step of job.steps.filter(ours)) {
        const w = step.with ?? {};
        if (String(w['github-deployments'] ?? 'true') !== 'false')
          expect([f, perms.deployments]).toEqual([f, 'write']);
        if (String(w['pr-comment'] ?? 'false') === 'true')
          expect([f, perms['pull-requests']]).toEqual([f, 'write']);
      }
    }
  });

  // Each event that touches a preview of branch feature/x, as GitHub describes it.
  const branch = 'feature/x';
  // A pull request from a branch of this repository (not a fork).
  const pr = (action: string) => ({
    action,
    pull_request: { head: { ref: branch, repo: { full_name: 'acme/airflow' } } },
  });
  const EVENTS: Record<string, Record<string, Value>> = {
    create: {
      event_name: 'create',
      repository: 'acme/airflow',
      ref: `refs/heads/${branch}`,
      ref_name: branch,
      head_ref: '',
      event: { ref: branch, ref_type: 'branch' },
    },
    delete: {
      event_name: 'delete',
      repository: 'acme/airflow',
      ref: 'refs/heads/main',
      ref_name: 'main',
      head_ref: '',
      event: { ref: branch, ref_type: 'branch' },
    },
    pull_request: {
      event_name: 'pull_request',
      ref: 'refs/pull/7/merge',
      ref_name: '7/merge',
      head_ref: branch,
      repository: 'acme/airflow',
      event: pr('synchronize'),
    },
    pull_request_closed: {
      event_name: 'pull_request',
      ref: 'refs/pull/7/merge',
      ref_name: '7/merge',
      head_ref: branch,
      repository: 'acme/airflow',
      event: pr('closed'),
    },
  };
  const PREVIEW_ACTIONS = [
    'create-deployment-preview',
    'deploy-deployment-preview',
    'delete-deployment-preview',
    'preview',
  ];

  it('the jobs that create, deploy or delete a preview share one concurrency group per branch', () => {
    const groups: string[] = [];
    for (const f of files) {
      for (const [name, job] of Object.entries(workflow(f).jobs)) {
        const step = job.steps.find(ours);
        if (!step || !PREVIEW_ACTIONS.includes(step.with?.action ?? '')) continue;
        for (const [event, github] of Object.entries(EVENTS)) {
          if (!triggers(f).includes(String(github.event_name))) continue;
          const ctx = { github, vars: {}, secrets: {} };
          if (!condition(job.if, ctx)) continue;
          const c = job.concurrency;
          expect([f, name, typeof c === 'object' ? 'object' : typeof c]).toEqual([
            f,
            name,
            'object',
          ]);
          const group = interpolate((c as { group: string }).group, ctx);
          groups.push(`${f} ${name} ${event}: ${group}`);
        }
      }
    }
    // create (preview-classic), deploy (preview-classic, preview), delete (preview-classic,
    // branch-delete, preview on closed): all there, all the same group.
    expect(groups.length).toBeGreaterThanOrEqual(6);
    for (const e of ['create', 'delete', 'pull_request', 'pull_request_closed'])
      expect(groups.some((g) => g.includes(` ${e}: `))).toBe(true);
    const distinct = new Set(groups.map((g) => g.split(': ')[1]));
    expect([...distinct]).toEqual([`astro-preview-${branch}`]);
  });

  describe('cleanup-previews.yml', () => {
    const f = 'cleanup-previews.yml';
    const job = workflow(f).jobs['cleanup-previews'];
    const step = job.steps.find(ours)!;
    const dryRun = (event_name: string, inputs: Record<string, Value>) =>
      interpolate(step.with!['dry-run'], { github: { event_name }, inputs });

    it('runs on a schedule and by hand, as action cleanup-previews', () => {
      expect(triggers(f).sort()).toEqual(['schedule', 'workflow_dispatch']);
      expect(step.with?.action).toBe('cleanup-previews');
    });

    it('reads the repository and its pull requests, and writes only deployment statuses', () => {
      const permissions = (
        parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as {
          permissions: Record<string, string>;
        }
      ).permissions;
      expect(permissions).toEqual({
        contents: 'read',
        'pull-requests': 'read',
        deployments: 'write',
      });
    });

    it.each([
      ['schedule', {}, 'false'],
      ['workflow_dispatch', { dry_run: true }, 'true'],
      ['workflow_dispatch', { dry_run: false }, 'false'],
    ])('on %s with inputs %j, dry-run is %s', (event, inputs, expected) => {
      expect(dryRun(event, inputs)).toBe(expected);
    });
  });

  describe('rollback.yml', () => {
    const f = 'rollback.yml';
    it('is started by hand, with the target as an input (previous by default) given to rollback-to', () => {
      const on = workflow(f).on as { workflow_dispatch?: { inputs: Record<string, Value> } };
      expect(triggers(f)).toEqual(['workflow_dispatch']);
      const to = on.workflow_dispatch!.inputs.to as Record<string, Value>;
      expect(to.default).toBe('previous');
      const step = Object.values(workflow(f).jobs)
        .flatMap((j) => j.steps)
        .find(ours)!;
      expect(step.with?.action).toBe('rollback');
      const run = (inputs: Record<string, Value>) =>
        interpolate(step.with!['rollback-to'], { inputs });
      expect(run({ to: 'previous' })).toBe('previous');
      expect(run({ to: 'abc1234' })).toBe('abc1234');
    });
  });

  describe('deploy-main-dev.yml', () => {
    const job = workflow('deploy-main-dev.yml').jobs.deploy;
    /** What a push to `ref` does: the error it stops with, or the Deployment it deploys to. */
    function push(
      ref: string,
      vars: Record<string, string>,
    ): { error?: string; deploymentId?: string } {
      const ctx: Record<string, Value> = {
        github: { ref: `refs/heads/${ref}`, ref_name: ref, event_name: 'push' },
        vars,
        secrets: {},
      };
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(job.env ?? {})) env[k] = interpolate(v, ctx);
      ctx.env = env;
      for (const step of job.steps) {
        if (!condition(step.if, ctx)) continue;
        if (step.run) {
          if (!/exit 1/.test(step.run)) continue;
          const line = /::error::(.*)/.exec(step.run)?.[1] ?? '';
          const vars2: Record<string, string> = { ...env, GITHUB_REF_NAME: ref };
          return { error: line.replace(/\$(\w+)/g, (_m, n: string) => vars2[n] ?? '') };
        }
        if (ours(step))
          return { deploymentId: interpolate(step.with?.['deployment-id'] ?? '', ctx) };
      }
      return {};
    }
    const both = { ASTRO_PROD_DEPLOYMENT_ID: 'prod-id', ASTRO_DEV_DEPLOYMENT_ID: 'dev-id' };

    it.each([
      ['main', both, { deploymentId: 'prod-id' }],
      ['dev', both, { deploymentId: 'dev-id' }],
    ])(
      'a push to %s with both variables set deploys to its own Deployment',
      (ref, vars, expected) => {
        expect(push(ref, vars)).toEqual(expected);
      },
    );

    it('a push to main without ASTRO_PROD_DEPLOYMENT_ID stops with an error naming it, never deploying to dev', () => {
      const r = push('main', { ASTRO_DEV_DEPLOYMENT_ID: 'dev-id' });
      expect(r.deploymentId).toBeUndefined();
      expect(r.error).toMatch(
        /^The repository variable ASTRO_PROD_DEPLOYMENT_ID is not set, so a push to main has no Deployment/,
      );
    });

    it('a push to dev without ASTRO_DEV_DEPLOYMENT_ID stops with an error naming it', () => {
      const r = push('dev', { ASTRO_PROD_DEPLOYMENT_ID: 'prod-id' });
      expect(r.deploymentId).toBeUndefined();
      expect(r.error).toMatch(/^The repository variable ASTRO_DEV_DEPLOYMENT_ID is not set/);
    });

    it('even without the check step, the action gets no Deployment id instead of the other one', () => {
      const step = job.steps.find(ours)!;
      const ctx = { github: { ref_name: 'main' }, vars: { ASTRO_DEV_DEPLOYMENT_ID: 'dev-id' } };
      expect(interpolate(step.with!['deployment-id'], ctx)).toBe('');
    });
  });
});
