// root-folder and dags-path against what a commit holds: a typo is an error that names the
// input, the path and what was found (with the near match or the project the repository has).
import {
  nearest,
  projectProblem,
  type CommitTree,
  type ProjectInput,
} from '../../src/project/check.js';

function tree(files: string[], submodules: string[] = []): CommitTree {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return { files: new Set(files), dirs, submodules };
}

const ASTRO_AT_ROOT = ['Dockerfile', 'dags/a.py', 'include/x.py', 'requirements.txt'];
const ASTRO_IN_FOLDER = ['README.md', 'astro/Dockerfile', 'astro/dags/a.py', 'docs/x.md'];
const DBT = ['astro/Dockerfile', 'astro/dags/a.py', 'transform/dbt_project.yml'];
const IN_SUBMODULE = ['README.md'];

const base: ProjectInput = {
  rootFolder: '',
  dagsPath: 'dags',
  deployType: 'infer',
  dagDeployEnabled: true,
  commit: 'abc1234',
};

// [name, files, inputs, expected: undefined = fine, else the exact sentence]
const CASES: [string, string[], Partial<ProjectInput>, string | undefined][] = [
  ['a project at the top level', ASTRO_AT_ROOT, {}, undefined],
  ['a project in its folder', ASTRO_IN_FOLDER, { rootFolder: 'astro' }, undefined],
  [
    'root-folder empty, the project in astro/',
    ASTRO_IN_FOLDER,
    {},
    "Input 'root-folder' is empty (the repository's top level), which holds neither a Dockerfile nor a dags folder in commit abc1234; the repository has `astro/Dockerfile`: set root-folder: astro.",
  ],
  [
    'a typo in root-folder: the near match',
    ASTRO_IN_FOLDER,
    { rootFolder: 'astr0' },
    "Input 'root-folder' is 'astr0', which is not a folder in commit abc1234; did you mean 'astro'? Set root-folder: astro.",
  ],
  [
    'a typo in case',
    ASTRO_IN_FOLDER,
    { rootFolder: 'Astro' },
    "Input 'root-folder' is 'Astro', which is not a folder in commit abc1234; did you mean 'astro'? Set root-folder: astro.",
  ],
  [
    'no near match: the project the repository has',
    ASTRO_IN_FOLDER,
    { rootFolder: 'airflow' },
    "Input 'root-folder' is 'airflow', which is not a folder in commit abc1234; the repository has `astro/Dockerfile`: set root-folder: astro.",
  ],
  [
    'root-folder names a file',
    ASTRO_IN_FOLDER,
    { rootFolder: 'README.md' },
    "Input 'root-folder' is 'README.md', which is a file in commit abc1234, not a folder; the repository has `astro/Dockerfile`: set root-folder: astro.",
  ],
  [
    'root-folder holds no project',
    ASTRO_IN_FOLDER,
    { rootFolder: 'docs' },
    "Input 'root-folder' is 'docs', which holds neither a Dockerfile nor a dags folder in commit abc1234; the repository has `astro/Dockerfile`: set root-folder: astro.",
  ],
  [
    'no project anywhere',
    ['README.md', 'src/app.py'],
    {},
    "Input 'root-folder' is empty (the repository's top level), which holds neither a Dockerfile nor a dags folder in commit abc1234; point root-folder at the Astro project (the folder with the Dockerfile and the DAG folder).",
  ],
  [
    'a DAG folder without a Dockerfile is a project (DAG-only repositories)',
    ['dags/a.py'],
    { deployType: 'dags-only' },
    undefined,
  ],
  [
    'a typo in dags-path: the near match',
    ASTRO_IN_FOLDER,
    { rootFolder: 'astro', dagsPath: 'dag', deployType: 'dags-only' },
    "Input 'dags-path' is 'dag', and astro/dag does not exist in commit abc1234, so there are no DAGs to deploy; did you mean 'dags'? Set dags-path: dags.",
  ],
  [
    'dags-path missing for an inferred deploy with DAG deploys',
    ['Dockerfile', 'include/x.py'],
    {},
    "Input 'dags-path' is 'dags', and dags does not exist in commit abc1234, so there are no DAGs to deploy; set dags-path to the DAG folder (relative to root-folder), or deploy-type: image-only.",
  ],
  [
    'dags-path not needed: DAG deploys disabled (the image carries what there is)',
    ['Dockerfile', 'include/x.py'],
    { dagDeployEnabled: false },
    undefined,
  ],
  ['dags-path not needed: image-only', ['Dockerfile'], { deployType: 'image-only' }, undefined],
  [
    'a prebuilt image needs no Dockerfile',
    ['README.md'],
    { deployType: 'image-only', imageName: 'my:1' },
    undefined,
  ],
  [
    'dbt: the project the repository has',
    DBT,
    { deployType: 'dbt', rootFolder: 'astro' },
    "deploy-type dbt needs a dbt project, but root-folder is 'astro' and holds no dbt_project.yml in commit abc1234; the repository has `transform/dbt_project.yml`: set root-folder: transform.",
  ],
  ['dbt: a dbt project', DBT, { deployType: 'dbt', rootFolder: 'transform' }, undefined],
  [
    'dbt: a typo in root-folder',
    DBT,
    { deployType: 'dbt', rootFolder: 'transfrom' },
    "Input 'root-folder' is 'transfrom', which is not a folder in commit abc1234; did you mean 'transform'? Set root-folder: transform.",
  ],
  [
    'non-dags: any folder',
    ASTRO_IN_FOLDER,
    { deployType: 'non-dags', rootFolder: 'docs' },
    undefined,
  ],
  [
    'non-dags: a missing folder',
    ASTRO_IN_FOLDER,
    { deployType: 'non-dags', rootFolder: 'doc' },
    "Input 'root-folder' is 'doc', which is not a folder in commit abc1234; did you mean 'docs'? Set root-folder: docs.",
  ],
];

test.each(CASES)('%s', (_name, files, input, expected) => {
  expect(projectProblem(tree(files), { ...base, ...input })).toBe(expected);
});

test('a root-folder inside a submodule is not judged (the commit does not hold its files)', () => {
  expect(
    projectProblem(tree(IN_SUBMODULE, ['vendor/airflow']), {
      ...base,
      rootFolder: 'vendor/airflow/astro',
    }),
  ).toBeUndefined();
});

test.each([
  ['astr0', ['astro', 'docs'], 'astro'],
  ['dag', ['dags', 'include'], 'dags'],
  ['pipelines', ['pipeline', 'pipes'], 'pipeline'],
  ['src', ['docs', 'tests'], undefined],
  ['x', ['y'], undefined],
  ['X', ['x'], 'x'],
] as const)('nearest(%s)', (want, dirs, expected) => {
  expect(nearest(want, dirs)).toBe(expected);
});
