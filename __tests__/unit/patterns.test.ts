import { PatternSet } from '../../src/decide/patterns.js';

// [patterns, path, matched]
const rows: [string[], string, boolean][] = [
  [['*.md'], 'README.md', true],
  [['*.md'], 'docs/README.md', false],
  [['**/*.md'], 'docs/deep/README.md', true],
  [['**/*.md'], 'README.md', true],
  [['tests'], 'tests/test_dag.py', true],
  [['tests/'], 'tests/a/b.py', true],
  [['/tests'], 'tests/a.py', true],
  [['./tests'], 'tests/a.py', true],
  [['tests'], 'include/tests/a.py', false],
  [['*/tests'], 'include/tests/a.py', true],
  [['*', '!Dockerfile'], 'Dockerfile', false],
  [['*', '!Dockerfile'], 'requirements.txt', true],
  [['docs', '!docs/keep.md'], 'docs/keep.md', false],
  [['docs', '!docs/keep.md', 'docs/keep.md'], 'docs/keep.md', true],
  [['file?.txt'], 'file1.txt', true],
  [['file?.txt'], 'file10.txt', false],
  [['[ab].py'], 'a.py', true],
  [['[ab].py'], 'c.py', false],
  [['# comment', ''], 'x', false],
  [['# x'], '# x', false],
  [[' # x'], '# x', true], // only a line that begins with # is a comment
  [['[^a].py'], 'b.py', true],
  [['[^a].py'], 'a.py', false],
  [['[!a].py'], 'b.py', false], // `!` does not negate a class: [!a] is '!' or 'a'
  [['[!a].py'], 'a.py', true],
  [['[!a].py'], '!.py', true],
  [['a/**'], 'a/b/c', true],
  [['a/**/z'], 'a/z', true],
  [['a/**/z'], 'a/b/c/z', true],
  [['.git'], '.git/config', true],
  [['**/__pycache__'], 'dags/__pycache__/x.pyc', true],
  [['airflow_settings.yaml'], 'airflow_settings.yaml', true],
  [['spaced name.txt'], 'spaced name.txt', true],
];

test.each(rows)('%j matches %s → %s', (patterns, file, expected) => {
  expect(PatternSet.parse(patterns).matches(file)).toBe(expected);
});

test('fromText reads .dockerignore lines with CRLF endings', () => {
  const set = PatternSet.fromText('astro\r\n.git\r\n!astro/keep\r\n');
  expect(set.matches('astro/x')).toBe(true);
  expect(set.matches('astro/keep')).toBe(false);
  expect(set.empty).toBe(false);
});

test('fromText drops a byte order mark at the start of the file', () => {
  const set = PatternSet.fromText('\uFEFFsecrets\n');
  expect(set.matches('secrets')).toBe(true);
  expect(set.matches('secrets/key.pem')).toBe(true);
});
