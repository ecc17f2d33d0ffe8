import { classify, classifyAll, type ClassifyRules } from '../../src/decide/classify.js';
import { PatternSet } from '../../src/decide/patterns.js';

const rules = (over: Partial<ClassifyRules> = {}): ClassifyRules => ({
  rootFolder: 'astro',
  dagsPath: 'dags',
  deployType: 'infer',
  imageTriggers: PatternSet.parse(['shared/**/*.py']),
  bundleTriggers: PatternSet.parse(['models']),
  dockerignore: PatternSet.parse(['airflow_settings.yaml', 'docs']),
  ...over,
});

const rows: [string, Partial<ClassifyRules>, string][] = [
  ['astro/dags/a.py', {}, 'dags'],
  ['astro/dags/sub/b.sql', {}, 'dags'],
  ['astro/include/olddags/x.py', {}, 'image'],
  ['astro/mydags/x.py', {}, 'image'],
  ['astro/requirements.txt', {}, 'image'],
  ['astro/Dockerfile', {}, 'image'],
  ['astro/airflow_settings.yaml', {}, 'ignored'],
  ['astro/docs/readme.md', {}, 'ignored'],
  ['README.md', {}, 'ignored'],
  ['other/dags/a.py', {}, 'ignored'],
  ['shared/lib/util.py', {}, 'image'],
  ['shared/lib/util.txt', {}, 'ignored'],
  ['astrox/dags/a.py', {}, 'ignored'],
  ['astro/pipelines/a.py', { dagsPath: 'pipelines' }, 'dags'],
  ['astro/dags/a.py', { dagsPath: 'pipelines' }, 'image'],
  ['astro/models/a.sql', { deployType: 'dbt' }, 'bundle'],
  ['models/x.sql', { deployType: 'dbt' }, 'bundle'],
  ['shared/lib/util.py', { deployType: 'dbt' }, 'ignored'],
  ['dags/a.py', { rootFolder: '' }, 'dags'],
  ['Dockerfile', { rootFolder: '', dockerignore: PatternSet.parse(['Dockerfile']) }, 'image'],
  [
    'Dockerfile.dockerignore',
    { rootFolder: '', dockerignore: PatternSet.parse(['*', '!dags']) },
    'image',
  ],
  ['dir with space/ü.py', { rootFolder: '' }, 'image'],
  ['dags/line\nbreak.py', { rootFolder: '' }, 'dags'],
];

test.each(rows)('%j with %j → %s', (file, over, expected) => {
  expect(classify(file, rules(over))).toBe(expected);
});

test('classifyAll groups every path exactly once', () => {
  const files = rows.filter(([, o]) => Object.keys(o).length === 0).map(([f]) => f);
  const out = classifyAll(files, rules());
  const total = out.dags.length + out.image.length + out.bundle.length + out.ignored.length;
  expect(total).toBe(files.length);
  expect(out.dags).toEqual(['astro/dags/a.py', 'astro/dags/sub/b.sql']);
});
