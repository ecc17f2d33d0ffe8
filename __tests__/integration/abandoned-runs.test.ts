// The test support's answer to a test that times out while the bundled action runs: the run is
// ended, and what it printed, line by line with the time since it started, is returned (the
// setup file throws it after the test), so a stall in CI says where it stalled.
import { startEmulator } from '../../emulator/index.js';
import { endAbandonedRuns, runPush } from '../support/action.js';
import { TestRepo, astroProject } from '../support/repo.js';

test('a run still going when the test ends is ended, and its log comes back with times', async () => {
  // A rollout that takes a minute: the run waits for it well past the moment we give up.
  const emu = await startEmulator({ createDelayMs: 20, rolloutDelayMs: 60_000 });
  const repo = new TestRepo();
  try {
    const c1 = repo.commit(astroProject(), 'Initial project');
    const id = emu.deployments.find((d) => d.name === 'analytics')!.id;
    emu.state.addDeploy(id, { type: 'IMAGE_AND_DAG', git: { provider: 'GENERIC', commitSha: c1 } });
    // A DAG change: a DAG-only deploy, which needs no Docker.
    const sha = repo.commit({ 'dags/report.py': 'R = 1\n' });
    repo.push();
    const run = runPush({ emu, repo }, sha, { 'deployment-id': id, 'wait-time': '5m' });
    // Wait until the run is polling the rollout.
    for (let i = 0; !emu.state.requests.some((q) => q.path.endsWith('/finalize')); i++) {
      if (i > 400) throw new Error('the run never finalized its deploy');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    const left = endAbandonedRuns();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\+\d+\.\ds Event: push to main\.$/m);
    expect(left[0]).toMatch(/^\+\d+\.\ds Finalized deploy \S+\.$/m);
    expect(left[0]).toMatch(/\(\d+\.\d s so far\)$/);
    // The run was killed, not left to wait out its 5 minutes.
    const r = await run;
    expect(r.code).toBe(-1);
    expect(endAbandonedRuns()).toEqual([]);
  } finally {
    await emu.close();
    repo.cleanup();
  }
});
