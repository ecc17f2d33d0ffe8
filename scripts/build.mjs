// Bundles the action into dist/index.js. Deterministic: same sources and lock file give
// the same bytes (no timestamps, no absolute paths), so CI can check dist is up to date.
import { build } from 'esbuild';

const common = {
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
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
await build({ ...common, entryPoints: ['src/emulator/index.ts'], outfile: 'dist/emulator.js' });
