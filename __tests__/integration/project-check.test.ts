// checkProject against a real repository: a project where the inputs say is confirmed from the
// few paths the check needs (git ls-tree of those paths), and only a problem reads the whole
// tree, for the hint its sentence gives. Large repositories pay for the full listing only
// when something is wrong.
import { Git } from '../../src/platform/git.js';
import { silentLog } from '../../src/platform/log.js';
import { checkProject, ProjectError } from '../../src/project/check.js';
import { TestRepo, astroProject } from '../support/repo.js';

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => repo.cleanup());

/** A Git that records every command it runs. */
function recordingGit(cwd: string) {
  const calls: string[][] = [];
  const git = new Git({ cwd, log: silentLog });
  const run = git.run.bind(git);
  git.run = (args: string[]) => {
    calls.push(args);
    return run(args);
  };
  return { git, calls };
}

const settings = (rootFolder: string, dagsPath = 'dags') => ({
  rootFolder,
  dagsPath,
  deployType: 'infer' as const,
  imageName: undefined,
});
const fullListings = (calls: string[][]) => calls.filter((a) => a.includes('-r'));

test('a project where the inputs say: confirmed without listing the whole tree', async () => {
  const files = astroProject('astro');
  for (let i = 0; i < 50; i++) files[`include/pkg/m${i}.py`] = `X = ${i}\n`;
  const sha = repo.commit(files);
  repo.push();
  const { git, calls } = recordingGit(repo.checkout(sha));
  await checkProject(git, sha, git.cwd, settings('astro'), true);
  expect(fullListings(calls)).toEqual([]);
  expect(calls).toHaveLength(1);
});

test('a typo: the whole tree is read, and the sentence names the near folder', async () => {
  const files = astroProject('astro');
  const sha = repo.commit(files);
  repo.push();
  const { git, calls } = recordingGit(repo.checkout(sha));
  const err = await checkProject(git, sha, git.cwd, settings('astor'), true).catch((e) => e);
  expect(err).toBeInstanceOf(ProjectError);
  expect((err as Error).message).toMatch(/did you mean 'astro'\? Set root-folder: astro/);
  expect(fullListings(calls)).toHaveLength(1);
});

test('names git could read as patterns are taken literally', async () => {
  const files = astroProject('p[1]');
  files['p1/README.md'] = 'not the project\n';
  const sha = repo.commit(files);
  repo.push();
  const { git, calls } = recordingGit(repo.checkout(sha));
  await checkProject(git, sha, git.cwd, settings('p[1]'), true);
  expect(fullListings(calls)).toEqual([]);
  // 'p1' matches the pattern p[1] but is not the project: refused, with the sentence.
  await expect(checkProject(git, sha, git.cwd, settings('p1'), true)).rejects.toThrow(
    /root-folder/,
  );
});
