// `npm run bench`: every benchmark, each figure beside its baseline measured in the same run,
// printed as a table and written to bench/results/latest.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './lib.mjs';

const { startEmulator } = await import(path.join(ROOT, 'dist', 'emulator.js'));
const only = process.argv[2];

const suites = [
  ['startup', async () => (await import('./startup.mjs')).benchStartup()],
  ['decision', async (ctx) => (await import('./decision.mjs')).benchDecision(ctx)],
  ['deploy', async (ctx) => optional('./deploy.mjs', 'benchDeploy', ctx)],
  ['checks', async (ctx) => optional('./checks.mjs', 'benchChecks', ctx)],
];

async function optional(file, fn, ctx) {
  if (!fs.existsSync(path.join(ROOT, 'bench', file))) return [];
  return (await import(file))[fn](ctx);
}

const figures = [];
for (const [name, run] of suites) {
  if (only && only !== name) continue;
  const emulator = await startEmulator({ createDelayMs: 50, rolloutDelayMs: 200 });
  try {
    process.stderr.write(`bench: ${name}…\n`);
    figures.push(...(await run({ emulator })));
  } catch (err) {
    figures.push({
      name: `${name}: failed`,
      value: NaN,
      unit: '',
      note: err.message.split('\n')[0],
    });
  } finally {
    await emulator.close();
  }
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
console.log(`\nBenchmarks on ${machine}\n`);
console.log('| figure | value | baseline | ratio | goal |');
console.log('|---|---|---|---|---|');
for (const f of figures) {
  console.log(
    `| ${f.name} | ${f.value} ${f.unit} | ${f.baseline ?? ''}${f.baseline ? ' ' + f.unit : ''} | ${f.ratio ? f.ratio + '×' : ''} | ${f.goal ?? ''}${f.note ? ' — ' + f.note : ''} |`,
  );
}
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(
  path.join(ROOT, 'bench', 'results', 'latest.json'),
  JSON.stringify({ machine, at: new Date().toISOString(), figures }, null, 2),
);
