// `node scripts/release.mjs check|notes|major <tag>`: the logic of the release workflow
// (.github/workflows/release.yml), kept here so unit tests cover it.
//   check <tag>  the tag is `v` + package.json's version and CHANGELOG.md has a dated section for
//                it; with GITHUB_OUTPUT set, writes version, major and prerelease there.
//   notes <tag>  prints that version's CHANGELOG section (the release body).
//   major <tag>  prints the major tag to move (`v1`), or an empty line when it must not move
//                (a pre-release, or a newer release of that major exists); says why on stderr.
// Every refusal is one sentence on stderr and exit status 1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A release tag: v + semantic version, optionally with a pre-release part (no build metadata). */
const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

export class ReleaseError extends Error {}

/** The parts of a release tag, or a ReleaseError saying why it is not one. */
export function parseTag(tag) {
  const m = TAG.exec(tag ?? '');
  if (!m)
    throw new ReleaseError(
      `The tag '${tag ?? ''}' is not a release tag: push a tag of the form v1.2.3 (or v1.2.3-rc.1 for a pre-release).`,
    );
  return {
    tag,
    version: tag.slice(1),
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] ?? '',
  };
}

/** The tag must name the version package.json declares, so the release ships what it says. */
export function checkTag(tag, packageVersion) {
  const t = parseTag(tag);
  if (t.version !== packageVersion)
    throw new ReleaseError(
      `The tag ${tag} does not match package.json's version ${packageVersion}: set "version" to ${t.version} (and date its CHANGELOG section) or tag v${packageVersion}.`,
    );
  return t;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The section of a CHANGELOG for one version: the heading `## v1.2.3 — 2026-11-30` (an em dash,
 * en dash or hyphen before the date; `v` optional, `[1.2.3]` accepted) and the lines up to the
 * next `## ` heading. Returns { heading, date, body }, or a ReleaseError when there is no such
 * section, it is not dated (`unreleased`), or it is empty.
 */
export function changelogSection(changelog, version) {
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const head = new RegExp(`^##\\s+\\[?v?${escape(version)}\\]?(?=\\s|$)(.*)$`);
  const start = lines.findIndex((l) => head.test(l));
  if (start < 0)
    throw new ReleaseError(
      `CHANGELOG.md has no section for ${version}: add a "## v${version} — YYYY-MM-DD" section that lists the changes.`,
    );
  const rest = head.exec(lines[start])[1];
  const date = /^\s*[—–-]?\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(rest)?.[1];
  if (!date || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw new ReleaseError(
      `CHANGELOG.md's section for ${version} is not dated ("${lines[start].trim()}"): write its release date as "## v${version} — YYYY-MM-DD".`,
    );
  let end = lines.findIndex((l, i) => i > start && /^##\s/.test(l));
  if (end < 0) end = lines.length;
  const body = lines
    .slice(start + 1, end)
    .join('\n')
    .trim();
  if (!body)
    throw new ReleaseError(
      `CHANGELOG.md's section for ${version} is empty: list the release's changes under its heading.`,
    );
  return { heading: lines[start].trim(), date, body };
}

const compare = (a, b) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/**
 * The major tag (`v1`) to point at `tag`, with why: `move` is false when it must stay where it
 * is: a pre-release never moves it, nor does a release older than another stable release of
 * the same major (a backport to 1.0.x after 1.1.0 must not take `v1` back).
 */
export function majorTag(tag, existingTags = []) {
  const t = parseTag(tag);
  const major = `v${t.major}`;
  if (t.prerelease)
    return { major, move: false, reason: `${tag} is a pre-release: ${major} stays where it is.` };
  for (const other of existingTags) {
    let o;
    try {
      o = parseTag(other);
    } catch {
      continue; // v1 itself, or any tag that is not a release
    }
    if (!o.prerelease && o.major === t.major && compare(o, t) > 0)
      return {
        major,
        move: false,
        reason: `${other} is newer than ${tag}: ${major} stays at the newest release.`,
      };
  }
  return { major, move: true, reason: `${major} moves to ${tag}.` };
}

function main(argv, root) {
  const [command, tag] = argv;
  const read = (f) => fs.readFileSync(path.join(root, f), 'utf8');
  if (!tag || !['check', 'notes', 'major'].includes(command))
    throw new ReleaseError(
      'Usage: node scripts/release.mjs check|notes|major <tag>, for example check v1.2.3.',
    );
  if (command === 'check') {
    const t = checkTag(tag, JSON.parse(read('package.json')).version);
    changelogSection(read('CHANGELOG.md'), t.version);
    const out = {
      version: t.version,
      major: `v${t.major}`,
      prerelease: String(Boolean(t.prerelease)),
    };
    if (process.env.GITHUB_OUTPUT)
      fs.appendFileSync(
        process.env.GITHUB_OUTPUT,
        Object.entries(out)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    console.log(
      `${tag} matches package.json and CHANGELOG.md${t.prerelease ? ' (a pre-release)' : ''}.`,
    );
  } else if (command === 'notes') {
    console.log(changelogSection(read('CHANGELOG.md'), parseTag(tag).version).body);
  } else {
    const r = spawnSync('git', ['tag', '--list', 'v*'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0)
      throw new ReleaseError(
        `git tag --list failed (${(r.stderr || r.error?.message || '').trim()}): run this in a clone with its tags fetched.`,
      );
    const plan = majorTag(tag, r.stdout.split('\n').filter(Boolean));
    console.error(plan.reason);
    console.log(plan.move ? plan.major : '');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2), process.cwd());
  } catch (err) {
    if (!(err instanceof ReleaseError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
