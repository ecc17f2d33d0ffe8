// What the bundle parses at start-up: the files index.js (and post.js) import statically. Code a
// run may not need (the YAML parser, the preview flow with its Airflow and GitHub clients) sits
// in chunks loaded by import() when used, so a plain push deploy does not pay for it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildInto } from '../support/build.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-build-startup-'));
  buildInto(dir);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The files an entry loads before it runs: itself and its static imports, transitively. */
function staticGraph(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    // `import { … } from "./x.js";` and the bare `import "./x.js";` esbuild writes too.
    for (const m of text.matchAll(/^(?:import|export)\b(?:[^;]*?\bfrom\s*)?"\.\/([^"]+)";/gms))
      visit(m[1]);
  };
  visit(entry);
  return [...seen].sort();
}

/** The bundled sources (esbuild's `// path` markers) in a set of files. */
function sources(files: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^\/\/ (\S+)$/gm))
      out.add(m[1]);
  }
  return out;
}

test.each(['index.js', 'post.js'])(
  '%s does not load the YAML parser or the preview flow at start-up',
  (entry) => {
    const graph = staticGraph(entry);
    const eager = sources(graph);
    // The walk follows the entry's chunks (both entries import several).
    expect(graph.length).toBeGreaterThan(2);
    expect(eager.has(entry === 'post.js' ? 'src/post.ts' : 'src/main.ts')).toBe(true);
    const eagerLazy = [...eager].filter(
      (s) =>
        s.startsWith('node_modules/yaml/') ||
        s === 'src/flows/preview.ts' ||
        s === 'src/flows/rollback.ts' ||
        s === 'src/flows/cleanup.ts' ||
        s === 'src/preview/copy.ts' ||
        // (The GitHub parts are small and on by default; the Octokit they use loads on first call.)
        s.startsWith('node_modules/@actions/github/') ||
        s.startsWith('node_modules/@octokit/'),
    );
    expect(eagerLazy).toEqual([]);
  },
);

test('the lazy parts are in the build, in chunks loaded by import()', () => {
  const all = sources(fs.readdirSync(dir).filter((f) => f !== 'emulator.js'));
  expect(all.has('node_modules/yaml/dist/index.js')).toBe(true);
  expect(all.has('src/flows/preview.ts')).toBe(true);
  expect(all.has('src/preview/copy.ts')).toBe(true);
  expect(all.has('src/flows/rollback.ts')).toBe(true);
  expect(all.has('src/flows/cleanup.ts')).toBe(true);
  expect([...all].some((s) => s.startsWith('node_modules/@actions/github/'))).toBe(true);
});
