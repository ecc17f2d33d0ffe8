// Supply chain: every third-party action a workflow uses is pinned to a full commit SHA, and
// the bundle is reproducible (two builds give the same bytes, with no absolute path of the
// machine that built it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildInto } from '../support/build.js';

const ROOT = process.cwd();
const WORKFLOW_DIRS = ['.github/workflows', 'docs/workflows'];
/** Our own action, as the docs show it to users (they pick the ref). */
const OWN_ACTION = /^OWNER\/astro-deploy-action@v\d+$/;

function workflowFiles(): string[] {
  return WORKFLOW_DIRS.flatMap((d) => {
    const dir = path.join(ROOT, d);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => path.join(d, f));
  });
}

/** Every `uses:` value of a workflow (steps and reusable workflows), without quotes or comments. */
export function usesOf(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:-\s+)?uses:\s*(['"]?)([^'"#\s]+)\1/.exec(line);
    if (m) out.push(m[2]);
  }
  return out;
}

/** Why a `uses:` value is not acceptable, or undefined when it is. */
export function unpinned(uses: string, file: string): string | undefined {
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined; // local / image digest checked elsewhere
  if (file.startsWith('docs/') && OWN_ACTION.test(uses)) return undefined;
  if (/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/.test(uses)) return undefined;
  return `${file}: '${uses}' is not pinned to a full 40-hex commit SHA`;
}

describe('workflows pin third-party actions to full SHAs', () => {
  const files = workflowFiles();

  test('the check itself tells pinned from unpinned', () => {
    expect(
      usesOf(
        'steps:\n  - uses: actions/checkout@v4 # x\n  - name: y\n    uses: "a/b/c@' +
          'a'.repeat(40) +
          '"\n',
      ),
    ).toEqual(['actions/checkout@v4', 'a/b/c@' + 'a'.repeat(40)]);
    expect(unpinned('actions/checkout@v4', 'w.yml')).toMatch(/not pinned/);
    expect(unpinned('actions/checkout@main', 'w.yml')).toMatch(/not pinned/);
    expect(unpinned('actions/checkout@11bd719', 'w.yml')).toMatch(/not pinned/);
    expect(unpinned('actions/checkout@' + 'A'.repeat(40), 'w.yml')).toMatch(/not pinned/);
    expect(unpinned('OWNER/astro-deploy-action@v1', '.github/workflows/w.yml')).toMatch(
      /not pinned/,
    );
    expect(unpinned('OWNER/astro-deploy-action@v1', 'docs/workflows/w.yml')).toBeUndefined();
    expect(unpinned('actions/setup-node@' + '4'.repeat(40), 'w.yml')).toBeUndefined();
  });

  test('there are workflows with uses: lines to check', () => {
    expect(files.filter((f) => f.startsWith('.github/')).length).toBeGreaterThan(0);
    expect(
      files.flatMap((f) => usesOf(fs.readFileSync(path.join(ROOT, f), 'utf8'))).length,
    ).toBeGreaterThan(0);
  });

  test.each(files)('%s', (file) => {
    const problems = usesOf(fs.readFileSync(path.join(ROOT, file), 'utf8'))
      .map((u) => unpinned(u, file))
      .filter(Boolean);
    expect(problems).toEqual([]);
  });
});

describe('the build is reproducible', () => {
  test('two builds give the same bytes, with no absolute path or build time in them', () => {
    const outs = [1, 2].map(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-build-check-'));
      buildInto(dir);
      return dir;
    });
    try {
      // The same files (the chunks' names are content hashes), with the same bytes.
      const names = outs.map((d) => fs.readdirSync(d).sort());
      expect(names[1]).toEqual(names[0]);
      expect(names[0]).toEqual(expect.arrayContaining(['index.js', 'post.js', 'emulator.js']));
      for (const file of names[0]) {
        const [a, b] = outs.map((d) => fs.readFileSync(path.join(d, file)));
        expect(a.length).toBeGreaterThan(1_000);
        expect(a.equals(b)).toBe(true);
        const text = a.toString('utf8');
        // Neither the checkout's path nor the folder it was built into.
        for (const local of [ROOT, ...outs]) expect(text.includes(local)).toBe(false);
        // No build date: nothing shaped like today's date.
        expect(text.includes(new Date().toISOString().slice(0, 10))).toBe(false);
      }
    } finally {
      for (const d of outs) fs.rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('what the bundle carries', () => {
  // Every package that is not a dev dependency ends up in dist/: its licence must let us ship it.
  const ALLOWED = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD']);
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; license?: string }>;
  };
  const shipped = Object.entries(lock.packages).filter(([k, v]) => k && !v.dev);

  test('the runtime dependencies include @actions/github and its Octokit', () => {
    const names = shipped.map(([k]) => k.replace(/^.*node_modules\//, ''));
    expect(names).toEqual(expect.arrayContaining(['@actions/github', '@octokit/core']));
  });

  test('every shipped package has a permissive licence', () => {
    const bad = shipped
      .filter(([, v]) => !ALLOWED.has(v.license ?? ''))
      .map(([k, v]) => `${k}: ${v.license ?? 'no licence'}`);
    expect(bad).toEqual([]);
  });
});
