// Action start-up: from process start to the bundle's first log line, against a bare node
// start (process start to exit of `node -e ''`), in the same run.
import { figure, median, runAction, sh, tmp } from './lib.mjs';

export async function benchStartup() {
  const cwd = tmp('bench-startup-');
  let first = [];
  await median(7, async () => {
    // Missing inputs: the action logs its first line (the error) right after loading.
    const r = await runAction({ cwd, inputs: {}, env: {} });
    first.push(r.firstLineAt ?? r.ms);
  });
  first.sort((a, b) => a - b);
  const bare = await median(7, async () => sh(process.execPath, ['-e', '']));
  return [
    figure('start-up: bundle load to first log line', first[3], 'ms', {
      baseline: bare,
      goal: 'close to a bare node start',
    }),
  ];
}
