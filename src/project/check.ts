// Is `root-folder` (and `dags-path`) an Astro project in the commit being deployed? A typo
// there must fail with a sentence that names the input, not decide "nothing changed" forever.
// Read from the commit itself (git ls-tree), so sparse or partial checkouts see the same.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Git } from '../platform/git.js';
import { kindOfInput, shipsDagFolder } from '../decide/kinds.js';
import { joinRel } from './paths.js';
import type { DeployTypeInput, Settings } from '../inputs/settings-types.js';

/** What a commit holds: every file and folder path, and the submodules (whose content it lacks). */
export interface CommitTree {
  files: Set<string>;
  dirs: Set<string>;
  submodules: string[];
}

export interface ProjectInput {
  rootFolder: string;
  dagsPath: string;
  deployType: DeployTypeInput;
  /** A prebuilt image: the project needs no Dockerfile. */
  imageName?: string;
  /** DAG deploys enabled on the target: image-and-dags deploys then ship the DAG folder too. */
  dagDeployEnabled: boolean;
  /** Short SHA for the message. */
  commit: string;
}

export class ProjectError extends Error {
  override name = 'ProjectError';
}

async function readCommitTree(git: Git, commit: string): Promise<CommitTree> {
  return parseTree(await git.run(['ls-tree', '-r', '-t', '-z', '--full-tree', commit]));
}

/**
 * Only the entries at `paths` and the folders above them. The check's answer for a project
 * that is where the inputs say depends on these alone, so most runs never list the whole
 * tree (about 120 ms on 20,000 files); a problem's sentence reads the whole tree for its hint.
 */
async function readPaths(git: Git, commit: string, paths: string[]): Promise<CommitTree> {
  const args = ['--literal-pathspecs', 'ls-tree', '-t', '-z', '--full-tree', commit, '--'];
  return parseTree(await git.run([...args, ...paths]));
}

function parseTree(out: string): CommitTree {
  const tree: CommitTree = { files: new Set(), dirs: new Set(), submodules: [] };
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const type = entry.slice(0, tab).split(' ')[1];
    const name = entry.slice(tab + 1);
    if (type === 'tree') tree.dirs.add(name);
    else if (type === 'commit') tree.submodules.push(name);
    else tree.files.add(name);
  }
  return tree;
}

/**
 * Fails with one sentence when the inputs do not point at a project in the commit. What an
 * earlier step of the job made in the checkout (generated DAGs, a dbt project) counts too.
 */
export async function checkProject(
  git: Git,
  head: string,
  repoRoot: string,
  settings: Pick<Settings, 'rootFolder' | 'dagsPath' | 'deployType' | 'imageName'>,
  dagDeployEnabled: boolean,
): Promise<void> {
  const input: ProjectInput = {
    rootFolder: settings.rootFolder,
    dagsPath: settings.dagsPath,
    deployType: settings.deployType,
    imageName: settings.imageName,
    dagDeployEnabled,
    commit: head.slice(0, 7),
  };
  const wanted = [
    input.rootFolder,
    joinRel(input.rootFolder, 'Dockerfile'),
    joinRel(input.rootFolder, 'dbt_project.yml'),
    joinRel(input.rootFolder, input.dagsPath),
  ].filter((p) => p !== '');
  if (!projectProblem(await readPaths(git, head, wanted), input)) return;
  const tree = await readCommitTree(git, head);
  const problem = projectProblem(tree, input);
  if (!problem) return;
  // The same paths as found in the checkout, added to the commit's.
  const root = input.rootFolder;
  const dags = joinRel(root, input.dagsPath);
  for (const rel of [root, dags]) {
    if (rel && (await kind(path.join(repoRoot, rel))) === 'dir') tree.dirs.add(rel);
  }
  for (const name of ['Dockerfile', 'dbt_project.yml']) {
    const rel = joinRel(root, name);
    if ((await kind(path.join(repoRoot, rel))) === 'file') tree.files.add(rel);
  }
  if (projectProblem(tree, input)) throw new ProjectError(problem);
}

async function kind(p: string): Promise<'dir' | 'file' | undefined> {
  try {
    const st = await fs.stat(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/** The sentence for what is wrong with root-folder / dags-path, or undefined. Pure. */
export function projectProblem(tree: CommitTree, input: ProjectInput): string | undefined {
  const { rootFolder: root, dagsPath, deployType, commit } = input;
  // Inside a submodule this commit cannot tell; the deploy reads the folder as checked out.
  if (tree.submodules.some((s) => root === s || root.startsWith(`${s}/`))) return undefined;
  const isDir = (p: string) => p === '' || tree.dirs.has(p);
  const marker = deployType === 'dbt' ? 'dbt_project.yml' : 'Dockerfile';
  const rootText = root ? `'${root}'` : "empty (the repository's top level)";

  if (!isDir(root)) {
    const what = tree.files.has(root)
      ? `a file in commit ${commit}, not a folder`
      : `not a folder in commit ${commit}`;
    const near = nearest(root, tree.dirs);
    const hint = near
      ? `did you mean '${near}'? Set root-folder: ${near}`
      : (projectsHint(tree, marker) ?? 'set root-folder to the folder of the project');
    return `Input 'root-folder' is '${root}', which is ${what}; ${hint}.`;
  }

  const has = (rel: string) => tree.files.has(joinRel(root, rel));
  if (deployType === 'dbt') {
    if (has('dbt_project.yml')) return undefined;
    const hint = projectsHint(tree, marker) ?? 'point root-folder at the dbt project folder';
    return `deploy-type dbt needs a dbt project, but root-folder is ${rootText} and holds no dbt_project.yml in commit ${commit}; ${hint}.`;
  }
  if (deployType === 'non-dags') return undefined;

  const dags = joinRel(root, dagsPath);
  if (!input.imageName && !has('Dockerfile') && !isDir(dags)) {
    const hint =
      projectsHint(tree, marker) ??
      'point root-folder at the Astro project (the folder with the Dockerfile and the DAG folder)';
    return `Input 'root-folder' is ${rootText}, which holds neither a Dockerfile nor a ${dagsPath} folder in commit ${commit}; ${hint}.`;
  }
  const needsDags = shipsDagFolder(kindOfInput(deployType), input.dagDeployEnabled);
  if (needsDags && !isDir(dags)) {
    const what = tree.files.has(dags) ? 'is a file' : 'does not exist';
    const siblings = new Set(
      [...tree.dirs]
        .filter((d) => root === '' || d.startsWith(`${root}/`))
        .map((d) => (root ? d.slice(root.length + 1) : d)),
    );
    const near = nearest(dagsPath, siblings);
    const hint = near
      ? `did you mean '${near}'? Set dags-path: ${near}`
      : `set dags-path to the DAG folder (relative to root-folder)${deployType === 'dags-only' ? '' : ', or deploy-type: image-only'}`;
    return `Input 'dags-path' is '${dagsPath}', and ${dags} ${what} in commit ${commit}, so there are no DAGs to deploy; ${hint}.`;
  }
  return undefined;
}

/** "the repository has `astro/Dockerfile`: set root-folder: astro" for the shallowest few. */
function projectsHint(tree: CommitTree, marker: string): string | undefined {
  const found = [...tree.files]
    .filter((f) => f === marker || f.endsWith(`/${marker}`))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .slice(0, 3);
  if (!found.length) return undefined;
  const folder = (f: string) => f.slice(0, -marker.length).replace(/\/$/, '');
  const list = found.map((f) => `\`${f}\``).join(', ');
  if (found.length === 1) {
    const dir = folder(found[0]);
    return `the repository has ${list}: set root-folder: ${dir || '(empty, the top level)'}`;
  }
  return `the repository has ${list}: set root-folder to one of ${found.map((f) => folder(f) || '(empty)').join(', ')}`;
}

/** The folder whose path is a likely typo of `want` (case, or 1–2 edits), if one. */
export function nearest(want: string, dirs: Iterable<string>): string | undefined {
  const w = want.toLowerCase();
  const limit = w.length >= 5 ? 2 : w.length >= 3 ? 1 : 0;
  let best: { dir: string; d: number } | undefined;
  for (const dir of dirs) {
    const d = distance(w, dir.toLowerCase());
    if (d <= limit && (!best || d < best.d)) best = { dir, d };
  }
  return best?.dir;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
