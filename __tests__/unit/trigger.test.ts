import { describeTrigger, parseTrigger, type Trigger } from '../../src/inputs/trigger.js';

/** The commit the event says came before (never a baseline: what is live decides). */
const beforeOf = (t: Trigger): string | undefined => ('before' in t ? t.before : undefined);

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);
const env = { GITHUB_SHA: B, GITHUB_REF: 'refs/heads/main' };

describe('parseTrigger', () => {
  test('push with before/after', () => {
    const t = parseTrigger('push', { ref: 'refs/heads/main', before: A, after: B }, env);
    expect(t).toMatchObject({
      kind: 'push',
      branch: 'main',
      before: A,
      after: B,
      forced: false,
      created: false,
    });
    expect(beforeOf(t)).toBe(A);
  });
  test('forced push keeps before (a tree diff needs no ancestry)', () => {
    const t = parseTrigger(
      'push',
      { ref: 'refs/heads/main', before: A, after: B, forced: true },
      env,
    );
    expect(t).toMatchObject({ kind: 'push', forced: true });
    expect(beforeOf(t)).toBe(A);
    expect(describeTrigger(t)).toContain('forced');
  });
  test('new branch: all-zero before means no event baseline', () => {
    const t = parseTrigger(
      'push',
      { ref: 'refs/heads/feature/x', before: Z, after: B, created: true },
      env,
    );
    expect(t).toMatchObject({
      kind: 'push',
      branch: 'feature/x',
      created: true,
      before: undefined,
    });
    expect(beforeOf(t)).toBeUndefined();
  });
  test('tag push', () => {
    const t = parseTrigger('push', { ref: 'refs/tags/v1.2.0', before: Z, after: B }, env);
    expect(t).toMatchObject({ kind: 'push', tag: 'v1.2.0', branch: undefined });
    expect(describeTrigger(t)).toBe('push of tag v1.2.0');
  });
  test.each(['opened', 'reopened', 'closed'])('pull_request %s has no event baseline', (action) => {
    const t = parseTrigger(
      'pull_request',
      {
        action,
        number: 7,
        pull_request: {
          head: { ref: 'a/fix', sha: B },
          base: { ref: 'main', sha: A },
          merged: action === 'closed',
        },
      },
      env,
    );
    expect(t).toMatchObject({
      kind: 'pull_request',
      action,
      number: 7,
      branch: 'a/fix',
      baseRef: 'main',
      headSha: B,
    });
    expect(beforeOf(t)).toBeUndefined();
  });
  test.each([
    ['same repository', { full_name: 'acme/airflow' }, { full_name: 'acme/airflow' }, false],
    [
      'same repository, other case',
      { full_name: 'Acme/Airflow' },
      { full_name: 'acme/airflow' },
      false,
    ],
    ['a fork', { full_name: 'someone/airflow' }, { full_name: 'acme/airflow' }, true],
    ['a deleted fork (head repo null)', null, { full_name: 'acme/airflow' }, true],
    ['a fork, base from GITHUB_REPOSITORY', { full_name: 'someone/airflow' }, undefined, true],
    ['no repo in the payload', undefined, undefined, false],
  ] as const)('pull_request from %s: fromFork', (_n, headRepo, baseRepo, fork) => {
    const head: Record<string, unknown> = { ref: 'patch-1', sha: B };
    if (headRepo !== undefined) head.repo = headRepo;
    const t = parseTrigger(
      'pull_request',
      {
        action: 'opened',
        number: 1,
        pull_request: { head, base: { ref: 'main', sha: A, repo: baseRepo } },
      },
      { ...env, GITHUB_REPOSITORY: 'acme/airflow' },
    );
    expect(t).toMatchObject({ kind: 'pull_request', fromFork: fork });
  });
  test('pull_request synchronize uses before', () => {
    const t = parseTrigger(
      'pull_request',
      {
        action: 'synchronize',
        number: 3,
        before: A,
        after: B,
        pull_request: { head: { ref: 'f', sha: B }, base: { ref: 'main', sha: A } },
      },
      env,
    );
    expect(beforeOf(t)).toBe(A);
  });
  test.each([
    ['create', 'branch', 'feature/y', 'feature/y'],
    ['delete', 'branch', 'feature/y', 'feature/y'],
    ['create', 'tag', 'v1', undefined],
  ] as const)('%s of %s', (event, refType, ref, branch) => {
    const t = parseTrigger(event, { ref, ref_type: refType }, env);
    expect(t).toMatchObject({ kind: event, refType, ref, branch });
    expect(beforeOf(t)).toBeUndefined();
  });
  test('workflow_dispatch', () => {
    const t = parseTrigger('workflow_dispatch', { ref: 'refs/heads/main', inputs: {} }, env);
    expect(t).toMatchObject({ kind: 'workflow_dispatch', branch: 'main' });
    expect(beforeOf(t)).toBeUndefined();
  });
  test('merge_group', () => {
    const t = parseTrigger(
      'merge_group',
      {
        merge_group: {
          head_sha: B,
          base_sha: A,
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-1',
        },
      },
      env,
    );
    expect(t).toMatchObject({ kind: 'merge_group', headSha: B, baseSha: A });
  });
  test('anything else', () => {
    const t = parseTrigger('schedule', {}, env);
    expect(t).toMatchObject({ kind: 'other', eventName: 'schedule', branch: 'main' });
    expect(describeTrigger(t)).toBe('schedule event');
  });
});
