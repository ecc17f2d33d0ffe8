// The run journal and the one failure path that reads it: errors stay plain, and what the
// run left behind is said from the journal. Also: steps never nest log groups.
import { cancellation, failure } from '../../src/failure.js';
import { step } from '../../src/flows/parts.js';
import { Journal, type DeployStage } from '../../src/journal.js';
import { recordingLog } from '../../src/platform/log.js';

function journalWith(o: { deploy?: DeployStage; preview?: boolean; step?: string }) {
  const saved: [string, string][] = [];
  const j = new Journal((name, value) => saved.push([name, value]));
  if (o.deploy) {
    j.deployCreated({ id: 'dep1', deploymentId: 'd1', name: 'analytics' });
    if (o.deploy !== 'created') j.deployStage('dep1', o.deploy);
  }
  if (o.preview) j.previewCreated({ id: 'p1', name: 'feature_analytics' });
  j.step = o.step;
  return { j, saved };
}

const apiError = (status: number, message: string) => Object.assign(new Error(message), { status });

describe('failure: the message and outputs come from the journal', () => {
  test.each<{
    name: string;
    deploy?: DeployStage;
    preview?: boolean;
    step?: string;
    err: Error;
    message: string;
    skipped: boolean;
    deployId?: string;
    previewId?: string;
  }>([
    {
      name: 'nothing created: the error as is',
      err: new Error('The DAG folder is missing.'),
      message: 'The DAG folder is missing.',
      skipped: true,
    },
    {
      name: 'a deploy created, not finalized',
      deploy: 'created',
      err: new Error('upload refused'),
      message:
        'upload refused. Deploy dep1 was created on analytics but not finalized, so nothing of it went live; the next run deploys again.',
      skipped: true,
      deployId: 'dep1',
    },
    {
      name: 'a finalize not confirmed (an API failure in a step): the step is named',
      deploy: 'finalizing',
      step: 'Deploy (dags-only)',
      err: apiError(503, 'Astro answered 503.'),
      message:
        "Deploy (dags-only) failed: Astro answered 503. Deploy dep1 was created on analytics, but its finalize was not confirmed, so it may be finalized or not finalized; check the Deployment's deploy history before running again.",
      skipped: true,
      deployId: 'dep1',
    },
    {
      name: "a finalized deploy and the wait's own error: nothing added, not skipped",
      deploy: 'finalized',
      err: new Error('analytics is still DEPLOYING after 2s.'),
      message: 'analytics is still DEPLOYING after 2s.',
      skipped: false,
      deployId: 'dep1',
    },
    {
      name: 'a preview created and a deploy created: both are named',
      deploy: 'created',
      preview: true,
      err: new Error('upload refused.'),
      message:
        'upload refused. Deploy dep1 was created on analytics but not finalized, so nothing of it went live; the next run deploys again. The preview feature_analytics (p1) was created by this run and is kept; running again reuses it.',
      skipped: true,
      deployId: 'dep1',
      previewId: 'p1',
    },
  ])('$name', (row) => {
    const { j } = journalWith(row);
    const f = failure(row.err, j);
    expect(f.message).toBe(row.message);
    expect(f.outcome).toMatchObject({
      deployType: 'none',
      skipped: row.skipped,
      reason: row.message,
    });
    expect(f.outcome.deployId).toBe(row.deployId);
    expect(f.outcome.previewId).toBe(row.previewId);
    // The error itself is left as it was.
    expect(Object.keys(row.err)).toEqual(
      row.err instanceof Error && 'status' in row.err ? ['status'] : [],
    );
  });

  test("warnings found before the failure get a section before the failure's", () => {
    const { j } = journalWith({});
    j.warn('The DAG folder dags is empty.');
    failure(new Error('boom'), j);
    expect(j.sections).toEqual([
      '### Warnings\n\n- The DAG folder dags is empty.\n',
      '### Failed\n\nboom\n',
    ]);
  });

  test('a preview its own error names already (settings lost) is not named twice', () => {
    const { j } = journalWith({ preview: true });
    j.previewTold('p1');
    const f = failure(new Error('The preview feature_analytics (p1) was created, but …'), j);
    expect(f.message).toBe('The preview feature_analytics (p1) was created, but …');
    expect(f.outcome.previewId).toBe('p1');
  });
});

describe('the journal saves what the post step needs', () => {
  test('a deploy: created, finalized, then settled', () => {
    const { j, saved } = journalWith({ deploy: 'finalized' });
    j.deploySettled('dep1');
    expect(saved).toEqual([
      ['deploy', JSON.stringify({ deployId: 'dep1', deploymentId: 'd1', name: 'analytics' })],
      [
        'deploy',
        JSON.stringify({
          deployId: 'dep1',
          deploymentId: 'd1',
          name: 'analytics',
          finalized: true,
        }),
      ],
      ['deploy', ''],
    ]);
    expect(j.openDeploy).toBeUndefined();
  });

  test('a cancel names the open deploy and the created preview, and runs the undo once', async () => {
    const { j } = journalWith({ deploy: 'created', preview: true, step: 'Deploy (dags-only)' });
    let undone = 0;
    j.overrideSet({ deploymentId: 'd1' }, async () => {
      undone++;
      return undefined;
    });
    const problems = await j.undoAll();
    await j.undoAll();
    const c = cancellation('SIGINT', j, problems);
    expect(undone).toBe(1);
    expect(c.message).toBe(
      "The run was cancelled (SIGINT) during 'Deploy (dags-only)'; any hibernation override it changed was put back, and running again continues from what is live. " +
        'Deploy dep1 was created on analytics but not finalized, so nothing of it goes live; the next run deploys again. ' +
        'The preview feature_analytics (p1) was created by this run and is kept; running again reuses it.',
    );
    expect(c.outcome).toMatchObject({ skipped: true, deployId: 'dep1' });
    // The preview it names and keeps is in the outputs too, as on a failure.
    expect(c.outcome.previewId).toBe('p1');
  });
});

describe('steps', () => {
  test('a step inside a step is a log line, not a nested group; a failure names the inner step', async () => {
    const groups: string[] = [];
    const log = recordingLog();
    const journal = new Journal();
    const p = {
      journal,
      log,
      reporter: {
        group: async <T>(title: string, fn: () => Promise<T>) => {
          groups.push(title);
          return fn();
        },
        error: () => undefined,
      },
    };
    await step(p, 'Deploy (dags-only)', () => step(p, 'DAG checks', async () => 1));
    expect(groups).toEqual(['Deploy (dags-only)']);
    expect(log.lines).toEqual(['info: DAG checks:']);
    expect(journal.step).toBeUndefined();
    await expect(
      step(p, 'Deploy (dags-only)', () =>
        step(p, 'DAG checks', async () => {
          throw new Error('x');
        }),
      ),
    ).rejects.toThrow('x');
    expect(journal.step).toBe('DAG checks');
  });
});
