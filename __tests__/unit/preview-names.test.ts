import { createHash } from 'node:crypto';
import {
  branchFromRef,
  branchSlug,
  hasAnyMarker,
  hasMarker,
  legacyPreviewName,
  markedBranch,
  MAX_PREVIEW_NAME,
  previewDescription,
  previewMarker,
  previewName,
  PreviewNameError,
} from '../../src/preview/names.js';

const sha6 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex').slice(0, 6);

describe('branchSlug', () => {
  test.each([
    ['main', 'main'],
    ['refs/heads/feature/x', 'feature-x'],
    ['a/b/c', 'a-b-c'],
    ['feat/ünïcödé 漢字', 'feat-n-c-d'],
    ['--lead/trail--', 'lead-trail'],
    ['a//b__c..d', 'a-b__c..d'],
    ['fix@{x}~1^2:3?*[4]\\5', 'fix-x-1-2-3-4-5'],
    ['UPPER.case_ok-1', 'UPPER.case_ok-1'],
    ['🚀/launch', 'launch'],
    ['_x', 'x'],
    ['.x', 'x'],
    ['x.', 'x'],
    ['__init__', 'init'],
    ['._-/fix_', 'fix'],
    ['-.hidden/_tmp_', 'hidden-_tmp'],
  ])('%s → %s', (branch, slug) => {
    expect(branchSlug(branch)).toBe(slug);
  });

  test('a branch with no usable character becomes its hash', () => {
    expect(branchSlug('日本')).toBe(sha6('日本'));
    expect(branchSlug('日本')).not.toBe(branchSlug('中国'));
    expect(branchSlug('_._')).toBe(sha6('_._'));
  });
});

describe('previewName', () => {
  const long150 = 'feature/' + 'x'.repeat(142);

  test.each([
    { branch: 'main', baseName: 'prod', want: 'main_prod' },
    { branch: 'refs/heads/team-a/fix', baseName: 'prod', want: 'team-a-fix_prod' },
    { branch: 'team-b/fix', baseName: 'prod', want: 'team-b-fix_prod' },
    { branch: 'feat/ünï', baseName: 'My Prod', want: 'feat-n_My Prod' },
    { branch: 'anything', baseName: 'prod', explicit: '  my-preview ', want: 'my-preview' },
  ])('$branch + $baseName → $want', ({ branch, baseName, explicit, want }) => {
    expect(previewName({ branch, baseName, explicit })).toBe(want);
  });

  test('two branches with the same last segment get different names', () => {
    expect(previewName({ branch: 'a/fix', baseName: 'prod' })).not.toBe(
      previewName({ branch: 'b/fix', baseName: 'prod' }),
    );
  });

  test('exactly 63 characters is kept as it is', () => {
    const branch = 'b'.repeat(63 - '_prod'.length);
    expect(previewName({ branch, baseName: 'prod' })).toBe(`${branch}_prod`);
  });

  test.each([
    { branch: long150, baseName: 'prod' },
    { branch: 'refs/heads/' + long150, baseName: 'analytics production' },
    { branch: 'x'.repeat(64), baseName: 'p' },
    { branch: 'a/' + 'b'.repeat(200), baseName: 'b'.repeat(54) },
  ])(
    'long branch $branch.length chars, base $baseName is cut with the hash',
    ({ branch, baseName }) => {
      const name = previewName({ branch, baseName });
      const plain = branchFromRef(branch);
      expect(name.length).toBeLessThanOrEqual(MAX_PREVIEW_NAME);
      expect(name.endsWith(`-${sha6(plain)}_${baseName}`)).toBe(true);
      const cut = name.slice(0, name.length - `-${sha6(plain)}_${baseName}`.length);
      expect(cut.length).toBeGreaterThan(0);
      expect(cut.endsWith('-')).toBe(false);
      expect(cut.startsWith('-')).toBe(false);
      expect(branchSlug(branch).startsWith(cut)).toBe(true);
    },
  );

  test('the cut never leaves a trailing "-" before the hash', () => {
    // The 63-char budget for base "prod" leaves 51 slug characters; make the 51st a '-'.
    const branch = 'a'.repeat(50) + '/' + 'z'.repeat(40);
    const name = previewName({ branch, baseName: 'prod' });
    expect(name).toBe('a'.repeat(50) + `-${sha6(branch)}_prod`);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('long branches sharing a 150-character prefix stay distinct', () => {
    const a = previewName({ branch: long150 + '/one', baseName: 'prod' });
    const b = previewName({ branch: long150 + '/two', baseName: 'prod' });
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(b.length).toBeLessThanOrEqual(63);
  });

  test('a base name too long for any branch part asks for preview-name', () => {
    const baseName = 'n'.repeat(55);
    expect(() => previewName({ branch: 'x'.repeat(20), baseName })).toThrow(PreviewNameError);
    expect(() => previewName({ branch: 'x'.repeat(20), baseName })).toThrow(/Set preview-name/);
    // ...unless the default name fits anyway, or preview-name is given.
    expect(previewName({ branch: 'x', baseName: 'n'.repeat(61) })).toBe('x_' + 'n'.repeat(61));
    expect(previewName({ branch: 'x'.repeat(20), baseName, explicit: 'short' })).toBe('short');
  });

  describe('names start and end with a letter or a digit', () => {
    test.each([
      { branch: '_x', baseName: 'prod', want: 'x_prod' },
      { branch: '.x', baseName: 'prod', want: 'x_prod' },
      { branch: 'refs/heads/_wip.', baseName: 'prod', want: 'wip_prod' },
      { branch: '__', baseName: 'prod', want: `${sha6('__')}_prod` },
      { branch: '_' + 'y'.repeat(80), baseName: 'prod', want: /^y+-[0-9a-f]{6}_prod$/ },
      { branch: 'x', baseName: 'Prod 2', want: 'x_Prod 2' },
    ])('$branch + $baseName → $want', ({ branch, baseName, want }) => {
      const name = previewName({ branch, baseName });
      if (typeof want === 'string') expect(name).toBe(want);
      else expect(name).toMatch(want);
      expect(name).toMatch(/^[A-Za-z0-9].*[A-Za-z0-9]$/);
      expect(name.length).toBeLessThanOrEqual(MAX_PREVIEW_NAME);
    });

    test.each(['prod_', 'prod.', 'prod-', 'prod (old)'])(
      'a base named %j cannot end a name: one sentence asking for preview-name',
      (baseName) => {
        const run = () => previewName({ branch: 'fix', baseName });
        expect(run).toThrow(PreviewNameError);
        expect(run).toThrow(
          `Cannot make a preview name from the base Deployment name "${baseName}", since a Deployment name must end with a letter or a digit: set preview-name to a name that starts and ends with one.`,
        );
        expect(previewName({ branch: 'fix', baseName, explicit: 'fix-preview' })).toBe(
          'fix-preview',
        );
      },
    );

    test.each(['_mine', '.mine', 'mine-', 'mine_'])(
      'an explicit preview-name %j that Astro refuses is an error naming preview-name',
      (explicit) => {
        const run = () => previewName({ branch: 'fix', baseName: 'prod', explicit });
        expect(run).toThrow(PreviewNameError);
        expect(run).toThrow(
          `preview-name "${explicit}" is not a name Astro accepts (a Deployment name must start and end with a letter or a digit): change preview-name.`,
        );
      },
    );
  });

  test('an empty branch without preview-name is an error', () => {
    expect(() => previewName({ branch: '', baseName: 'prod' })).toThrow(/branch is unknown/);
  });
});

describe("legacyPreviewName (deploy-action's name)", () => {
  test.each([
    ['feature/fix', 'prod', 'fix_prod'],
    ['refs/heads/a/b/c', 'My Prod Deployment', 'c_My_Prod_Deployment'],
    ['main', 'prod', 'main_prod'],
  ])('%s + %s → %s', (branch, baseName, want) => {
    expect(legacyPreviewName({ branch, baseName })).toBe(want);
  });
});

describe('marker', () => {
  test('exact sentence with the full branch', () => {
    expect(previewMarker('clx123', 'refs/heads/team/fix')).toBe(
      'Preview of clx123 for branch team/fix',
    );
  });

  test.each([
    ['Preview of b1 for branch fix', true],
    ['Preview of b1 for branch fix — copy of prod', true],
    ['Preview of b1 for branch fix.', true],
    ['Something. Preview of b1 for branch fix. More.', true],
    ['Preview of b1 for branch fix\nnext line', true],
    ['Preview of b1 for branch fix-2', false],
    ['Preview of b1 for branch fix.2', false],
    ['Preview of b1 for branch fix/more', false],
    ['Preview of b2 for branch fix', false],
    ['Preview of b1 for branch fix-2 and Preview of b1 for branch fix', true],
    ['xPreview of b1 for branch fix', false],
    ['preview of b1 for branch fix', false],
    ['', false],
  ])('hasMarker(%j) = %s', (description, want) => {
    expect(hasMarker(description, 'b1', 'fix')).toBe(want);
  });

  test('undefined description has no marker', () => {
    expect(hasMarker(undefined, 'b1', 'fix')).toBe(false);
    expect(hasAnyMarker(undefined)).toBe(false);
  });

  test('hasAnyMarker sees markers for other bases or branches', () => {
    expect(hasAnyMarker('Preview of b9 for branch other')).toBe(true);
    expect(hasAnyMarker('Production Deployment')).toBe(false);
  });

  // The branch cleanup-previews reads back from a description: the one hasMarker accepts.
  test.each<[string | undefined, string | undefined]>([
    ['Preview of b1 for branch fix', 'fix'],
    ['Preview of b1 for branch team/fix — copy of prod', 'team/fix'],
    ['Preview of b1 for branch fix.', 'fix'],
    ['Something. Preview of b1 for branch a.b. More.', 'a.b'],
    ['Preview of b1 for branch fix\nnext line', 'fix'],
    ['Preview of b2 for branch fix', undefined],
    ['xPreview of b1 for branch fix', undefined],
    ['Preview of b10 for branch fix', undefined],
    ['Preview of b1 for branch ', undefined],
    ['xPreview of b1 for branch no and Preview of b1 for branch yes', 'yes'],
    ['a hand-made Deployment', undefined],
    [undefined, undefined],
  ])('markedBranch(%j, b1) = %j', (description, want) => {
    expect(markedBranch(description, 'b1')).toBe(want);
    if (want) expect(hasMarker(description, 'b1', want)).toBe(true);
  });

  test('markedBranch reads back the branch of every description previews get', () => {
    for (const branch of ['main', 'a/fix', 'feature/x.y', 'dependabot/pip/apache-airflow-2.9.1'])
      expect(markedBranch(previewDescription('b1', 'prod', branch), 'b1')).toBe(branch);
  });

  test('previewDescription starts with the marker and carries it', () => {
    const d = previewDescription('b1', 'prod', 'refs/heads/a/fix');
    expect(d.startsWith('Preview of b1 for branch a/fix — ')).toBe(true);
    expect(hasMarker(d, 'b1', 'a/fix')).toBe(true);
    expect(hasMarker(d, 'b1', 'fix')).toBe(false);
  });
});
