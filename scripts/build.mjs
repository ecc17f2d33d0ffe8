// Bundles the action into dist/index.js and its post step into dist/post.js. Deterministic:
// same sources and lock file give the same bytes (no timestamps, no absolute paths), so CI
// can check dist is up to date.
// `buildAll(outdir)` builds elsewhere (the supply-chain test builds twice and compares).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
  // @actions/github keeps a nested copy of the same undici release (npm could not hoist it next
  // to @actions/core's http-client): bundle one copy for everyone.
  alias: { undici: './node_modules/undici' },
  // Some CommonJS dependencies call require() for node built-ins; give ESM output one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
};

// The action's main and post steps, built together with code splitting: what they share, and
// what is only imported when used (@actions/github, for the PR comment and GitHub deployments),
// goes to chunk-<hash>.js files beside them, so a run that never talks to GitHub does not parse
// it at start-up. Chunk names are content hashes: the same sources give the same files.
export const actionEntries = { index: 'src/index.ts', post: 'src/post.ts' };
// The emulator as a library (the emulator's CLI, the demo and the benchmarks import it, so none
// of them need a TypeScript runtime).
export const entries = [['emulator/index.ts', 'emulator.js']];

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
  // Chunks of an earlier build would linger under other hashes: start from no chunks.
  if (existsSync(outdir)) {
    for (const f of readdirSync(outdir))
      if (/^chunk-[A-Za-z0-9]+\.js$/.test(f)) rmSync(path.join(outdir, f));
  }
  await build({
    ...common,
    entryPoints: actionEntries,
    outdir,
    splitting: true,
    chunkNames: 'chunk-[hash]',
  });
  for (const [entry, file] of entries) {
    await build({ ...common, entryPoints: [entry], outfile: path.join(outdir, file) });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await buildAll();
}
