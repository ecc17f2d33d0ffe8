// Bundles the action into dist/index.js and its post step into dist/post.js. Deterministic:
// same sources and lock file give the same bytes (no timestamps, no absolute paths), so CI
// can check dist is up to date.
// `buildAll(outdir)` builds elsewhere (the supply-chain test builds twice and compares).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  sourcemap: false,
  minify: false,
  logLevel: 'warning',
  // Some CommonJS dependencies call require() for node built-ins; give ESM output one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
};

// The action itself, and the emulator as a library (the emulator's CLI, the demo and the
// benchmarks import it, so none of them need a TypeScript runtime).
export const entries = [
  ['src/index.ts', 'index.js'],
  ['src/post.ts', 'post.js'],
  ['emulator/index.ts', 'emulator.js'],
];

/** The version the action sends on the wire (src/version.ts) must be package.json's. */
export function checkVersion() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const src = readFileSync(new URL('../src/version.ts', import.meta.url), 'utf8');
  const m = /ACTION_VERSION = '([^']+)'/.exec(src);
  if (!m || m[1] !== pkg.version) {
    throw new Error(
      `src/version.ts has ACTION_VERSION ${m ? `'${m[1]}'` : '(none)'}, package.json has version '${pkg.version}': make them the same.`,
    );
  }
}

export async function buildAll(outdir = 'dist') {
  checkVersion();
  for (const [entry, file] of entries) {
    await build({ ...common, entryPoints: [entry], outfile: path.join(outdir, file) });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildAll();
}
