// The release: scripts/release.mjs decides whether a pushed tag may be released (it names
// package.json's version and has a dated CHANGELOG section), what the release notes are, and
// whether the major tag moves; .github/workflows/release.yml calls it and publishes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ReleaseError,
  changelogSection,
  checkTag,
  majorTag,
  parseTag,
} from '../../scripts/release.mjs';

const ROOT = process.cwd();
const SCRIPT = path.join(ROOT, 'scripts', 'release.mjs');

const CHANGELOG = [
  '# Changelog',
  '',
  'Intro text.',
  '',
  '## Unreleased',
  '',
  '- next thing',
  '',
  '## v1.2.10 — 2027-02-01',
  '',
  '- ten',
  '',
  '## v1.2.1 — 2027-01-15',
  '',
  '- fixed the one',
  '- and the other',
  '',
  '### Notes',
  '',
  'kept, a level-3 heading is part of the section',
  '',
  '## v1.2.0-rc.1 - 2027-01-02',
  '',
  '- candidate',
  '',
  '## [1.1.0] – 2026-12-20',
  '',
  '- bracketed',
  '',
  '## v1.0.1 — unreleased',
  '',
  '- not dated',
  '',
  '## v1.0.0 — 2026-11-30',
  '',
  '## v0.9.0 — 2026-13-45',
  '',
  '- impossible date',
].join('\n');

describe('parseTag', () => {
  test.each([
    ['v1.0.0', { version: '1.0.0', major: 1, minor: 0, patch: 0, prerelease: '' }],
    ['v2.10.3', { version: '2.10.3', major: 2, minor: 10, patch: 3, prerelease: '' }],
    ['v1.2.0-rc.1', { version: '1.2.0-rc.1', major: 1, minor: 2, patch: 0, prerelease: 'rc.1' }],
    ['v0.1.0-beta', { version: '0.1.0-beta', major: 0, minor: 1, patch: 0, prerelease: 'beta' }],
  ])('%s is a release tag', (tag, parts) => {
    expect(parseTag(tag)).toEqual({ tag, ...parts });
  });

  test.each([
    '1.0.0',
    'v1',
    'v1.0',
    'v1.0.0.0',
    'v01.0.0',
    'v1.0.0+build.5',
    'v1.0.0-',
    'release-1.0.0',
    'v1.0.0 ',
    '',
  ])('%p is refused with one sentence that shows the form', (tag) => {
    expect(() => parseTag(tag)).toThrow(ReleaseError);
    expect(() => parseTag(tag)).toThrow(/is not a release tag: push a tag of the form v1\.2\.3/);
  });
});

describe('checkTag: the tag must be v + package.json version', () => {
  test.each([
    ['v1.0.0', '1.0.0', ''],
    ['v1.2.0-rc.1', '1.2.0-rc.1', 'rc.1'],
  ])('%s matches version %s', (tag, version, prerelease) => {
    expect(checkTag(tag, version)).toMatchObject({ version, prerelease });
  });

  test.each([
    ['v1.0.1', '1.0.0'],
    ['v1.2.0', '1.2.0-rc.1'],
    ['v1.2.0-rc.1', '1.2.0'],
    ['v1.0.0', 'v1.0.0'],
  ])('%s does not match version %s', (tag, version) => {
    expect(() => checkTag(tag, version)).toThrow(
      new RegExp(`^The tag ${tag.replace(/\./g, '\\.')} does not match package\\.json's version`),
    );
  });

  test('a tag that is not a release tag is refused before the version is compared', () => {
    expect(() => checkTag('v1.0', '1.0')).toThrow(/is not a release tag/);
  });
});

describe('changelogSection: the release notes are that version’s section only', () => {
  test.each([
    [
      '1.2.1',
      '2027-01-15',
      ['- fixed the one', '### Notes', 'level-3 heading'],
      ['ten', 'candidate'],
    ],
    ['1.2.10', '2027-02-01', ['- ten'], ['fixed the one', 'next thing']],
    ['1.2.0-rc.1', '2027-01-02', ['- candidate'], ['bracketed']],
    ['1.1.0', '2026-12-20', ['- bracketed'], ['not dated']],
  ])('%s: dated %s, the section without its neighbours', (version, date, has, hasNot) => {
    const s = changelogSection(CHANGELOG, version);
    expect(s.date).toBe(date);
    for (const h of has) expect(s.body).toContain(h);
    for (const h of hasNot) expect(s.body).not.toContain(h);
    expect(s.body).not.toMatch(/^## /m);
    expect(s.body).toBe(s.body.trim());
  });

  test.each([
    ['1.3.0', /has no section for 1\.3\.0: add a "## v1\.3\.0 — YYYY-MM-DD" section/],
    ['1.2', /has no section for 1\.2:/], // not a prefix match of 1.2.10 / 1.2.1
    ['1.0.1', /section for 1\.0\.1 is not dated .*: write its release date/],
    ['0.9.0', /section for 0\.9\.0 is not dated/],
    ['1.0.0', /section for 1\.0\.0 is empty/],
  ])('%s is refused', (version, message) => {
    expect(() => changelogSection(CHANGELOG, version)).toThrow(ReleaseError);
    expect(() => changelogSection(CHANGELOG, version)).toThrow(message);
  });

  test('Windows line ends read the same', () => {
    expect(changelogSection(CHANGELOG.replace(/\n/g, '\r\n'), '1.2.10').body).toBe('- ten');
  });
});

describe('majorTag: which releases move v<major>', () => {
  const tags = ['v1', 'v0.9.0', 'v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'v2.0.0', 'not-a-release'];
  test.each([
    ['v1.1.1', tags, true, 'v1', /v1 moves to v1\.1\.1/],
    ['v1.1.0', tags, true, 'v1', /moves/], // re-running the release of the newest tag
    ['v1.0.1', tags, false, 'v1', /v1\.1\.0 is newer than v1\.0\.1: v1 stays/],
    ['v1.2.0-rc.1', tags, false, 'v1', /is a pre-release: v1 stays/],
    ['v1.3.0-rc.1', [], false, 'v1', /pre-release/],
    ['v2.0.1', tags, true, 'v2', /v2 moves/],
    ['v0.9.1', tags, true, 'v0', /v0 moves/],
    ['v1.0.0', [], true, 'v1', /moves/],
  ])('%s (other tags %j): move=%s', (tag, existing, move, major, reason) => {
    const plan = majorTag(tag, existing);
    expect(plan).toMatchObject({ move, major });
    expect(plan.reason).toMatch(reason);
  });

  test('a newer pre-release of the same major does not hold v1 back', () => {
    expect(majorTag('v1.1.1', ['v1.2.0-rc.1']).move).toBe(true);
  });
});

describe('this repository is releasable as package.json says', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

  test('the package.json version has a dated, non-empty CHANGELOG section', () => {
    const s = changelogSection(changelog, pkg.version);
    expect(s.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.body.length).toBeGreaterThan(0);
  });

  test('v1.0.0 is dated 2026-11-30; an "Unreleased" section, when there is one, comes first', () => {
    expect(changelogSection(changelog, '1.0.0').date).toBe('2026-11-30');
    const headings = changelog.split('\n').filter((l) => l.startsWith('## '));
    const unreleased = headings.filter((h) => /unreleased/i.test(h));
    expect(unreleased.every((h) => h === '## Unreleased')).toBe(true);
    if (unreleased.length) expect(headings.indexOf('## Unreleased')).toBe(0);
    expect(unreleased.length).toBeLessThanOrEqual(1);
  });
});

describe('the CLI the workflow runs', () => {
  let dir: string;
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [SCRIPT, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_OUTPUT: '', ...env },
    });
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'release-'));
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '1.2.1' }));
    fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), CHANGELOG);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('check passes a matching tag and writes the step outputs', () => {
    const out = path.join(dir, 'out');
    fs.writeFileSync(out, '');
    const r = run(['check', 'v1.2.1'], { GITHUB_OUTPUT: out });
    expect(r.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('version=1.2.1\nmajor=v1\nprerelease=false\n');
  });

  test.each([
    ['v1.2.10', /^The tag v1\.2\.10 does not match package\.json's version 1\.2\.1: /],
    ['v1.2', /is not a release tag/],
  ])('check refuses %s with one sentence and exit 1', (tag, message) => {
    const r = run(['check', tag]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('check refuses a version whose CHANGELOG section is not dated', () => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '1.0.1' }));
    const r = run(['check', 'v1.0.1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not dated/);
  });

  test('notes prints only that section', () => {
    const r = run(['notes', 'v1.2.10']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('- ten\n');
  });

  test('major reads the tags of the clone', () => {
    git('init', '-q');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'x',
    );
    git('tag', 'v1.1.0');
    git('tag', 'v1.2.1');
    let r = run(['major', 'v1.2.1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('v1\n');
    r = run(['major', 'v1.1.1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('\n');
    expect(r.stderr).toMatch(/v1\.2\.1 is newer than v1\.1\.1: v1 stays/);
  });

  test('an unknown command is refused with the usage', () => {
    const r = run(['publish', 'v1.2.1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Usage: node scripts\/release\.mjs check\|notes\|major <tag>/);
  });
});

describe('.github/workflows/release.yml', () => {
  const wf = parse(fs.readFileSync(path.join(ROOT, '.github/workflows/release.yml'), 'utf8'));
  const steps: { run?: string; uses?: string; id?: string }[] = wf.jobs.release.steps;
  const runs = steps.map((s) => s.run ?? '');
  const at = (re: RegExp) => runs.findIndex((r) => re.test(r));

  test('runs on pushed v*.*.* tags only, with write access, one at a time, with a timeout', () => {
    expect(wf.on).toEqual({ push: { tags: ['v*.*.*'] } });
    expect(wf.permissions).toEqual({ contents: 'write' });
    expect(wf.concurrency).toMatchObject({
      group: expect.any(String),
      'cancel-in-progress': false,
    });
    for (const job of Object.values<{ 'timeout-minutes'?: number }>(wf.jobs))
      expect(job['timeout-minutes']).toBeGreaterThan(0);
  });

  test('checks the tag and dist/ before it moves the major tag, then publishes the notes', () => {
    const check = at(/release\.mjs check "\$GITHUB_REF_NAME"/);
    const ci = at(/^npm ci$/);
    const build = at(/^npm run build$/);
    const dist = at(/git diff --exit-code/);
    const major = at(/release\.mjs major "\$GITHUB_REF_NAME"/);
    const release = at(/gh release create/);
    for (const i of [check, ci, build, dist, major, release]) expect(i).toBeGreaterThanOrEqual(0);
    expect(steps[check].id).toBe('check');
    expect(ci).toBeLessThan(build);
    expect(build).toBeLessThan(dist);
    expect(Math.max(check, dist)).toBeLessThan(major);
    expect(major).toBeLessThan(release);
    expect(runs[release]).toMatch(/release\.mjs notes "\$GITHUB_REF_NAME" > "\$notes"/);
    expect(runs[release]).toMatch(/--notes-file "\$notes"/);
    expect(runs[release]).toMatch(/--prerelease/);
  });
});
