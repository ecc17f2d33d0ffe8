// Pure parts of the DAG checks, on output captured from real runs (Python 3.11, pytest 7).
import {
  decodeXml,
  importErrorProblem,
  integrityProblem,
  lineInFile,
  parseExceptions,
  parseJUnit,
  parseOwnCheckOutput,
  projectRelative,
  pytestProblem,
  repoPath,
  reportLocations,
  RESULT_MARK,
  summarize,
  tracebackMessage,
} from '../../src/checks/parse.js';
import { registryHost } from '../../src/astro/registry.js';
import { noDockerError } from '../../src/checks/run.js';

const SYNTAX = `Traceback (most recent call last):
  File "/opt/standin-airflow/airflow/models/dagbag.py", line 45, in process_file
    spec.loader.exec_module(module)
  File "<frozen importlib._bootstrap_external>", line 936, in exec_module
  File "<frozen importlib._bootstrap_external>", line 1074, in get_code
  File "<frozen importlib._bootstrap_external>", line 1004, in source_to_code
  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
  File "/usr/local/airflow/dags/bad.py", line 4
    x = (1,
        ^
SyntaxError: '(' was never closed
`;

const MISSING = `Traceback (most recent call last):
  File "/opt/standin-airflow/airflow/models/dagbag.py", line 45, in process_file
    spec.loader.exec_module(module)
  File "<frozen importlib._bootstrap_external>", line 940, in exec_module
  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
  File "/usr/local/airflow/dags/miss.py", line 2, in <module>
    import nothere
ModuleNotFoundError: No module named 'nothere'
`;

// Raised in a helper the DAG imports; Python 3.11 carets included.
const NESTED = `Traceback (most recent call last):
  File "/usr/local/airflow/dags/uses.py", line 3, in <module>
    import include.broken
  File "/usr/local/airflow/include/broken.py", line 7, in <module>
    value = compute()
            ^^^^^^^^^
  File "/usr/local/airflow/include/broken.py", line 4, in compute
    raise ValueError("bad\\nvalue")
ValueError: bad
value
`;

// A SyntaxError in a helper: the DAG's import line is what to annotate.
const NESTED_SYNTAX = `Traceback (most recent call last):
  File "/usr/local/airflow/dags/uses.py", line 5, in <module>
    from include import helper
  File "/usr/local/airflow/include/helper.py", line 2
    def f(:
          ^
SyntaxError: invalid syntax
`;

// Airflow's cycle error has no traceback.
const CYCLE = 'Cycle detected in DAG: my_dag. Faulty task: a';

// Chained: the last traceback's frames count.
const CHAINED = `Traceback (most recent call last):
  File "/usr/local/airflow/dags/c.py", line 4, in <module>
    d = {}["x"]
        ~~^^^^^
KeyError: 'x'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/usr/local/airflow/dags/c.py", line 6, in <module>
    raise RuntimeError("wrapped")
RuntimeError: wrapped
`;

describe('tracebacks', () => {
  test.each([
    [
      'syntax error: the pseudo-frame line',
      SYNTAX,
      '/usr/local/airflow/dags/bad.py',
      4,
      "SyntaxError: '(' was never closed",
    ],
    [
      'missing import',
      MISSING,
      '/usr/local/airflow/dags/miss.py',
      2,
      "ModuleNotFoundError: No module named 'nothere'",
    ],
    [
      'raised in a helper: the DAG line that imports it',
      NESTED,
      '/usr/local/airflow/dags/uses.py',
      3,
      'ValueError: bad\nvalue',
    ],
    [
      'syntax error in a helper',
      NESTED_SYNTAX,
      '/usr/local/airflow/dags/uses.py',
      5,
      'SyntaxError: invalid syntax',
    ],
    [
      'chained: last frame in the file',
      CHAINED,
      '/usr/local/airflow/dags/c.py',
      6,
      'RuntimeError: wrapped',
    ],
    ['no traceback (cycle)', CYCLE, '/usr/local/airflow/dags/cy.py', undefined, CYCLE],
  ])('%s', (_name, text, file, line, message) => {
    expect(lineInFile(text, file)).toBe(line);
    expect(tracebackMessage(text)).toBe(message);
  });

  test('a path given with ./ or // still matches its frames', () => {
    expect(lineInFile(MISSING, '/usr/local/airflow/./dags//miss.py')).toBe(2);
    expect(lineInFile(MISSING, '/usr/local/airflow/dags/other.py')).toBeUndefined();
  });
});

describe('paths', () => {
  test.each([
    ['/usr/local/airflow/dags/x.py', 'dags/x.py'],
    ['/usr/local/airflow/dags/../include/y.py', 'include/y.py'],
    ['dags/x.py', 'dags/x.py'],
    ['./tests/t.py', 'tests/t.py'],
    ['/usr/local/airflow', undefined],
    ['/usr/local/airflowx/dags/x.py', undefined],
    ['/opt/standin-airflow/airflow/models/dagbag.py', undefined],
    ['../outside.py', undefined],
  ])('projectRelative(%s) = %s', (p, rel) => {
    expect(projectRelative(p)).toBe(rel);
  });

  test.each([
    ['', 'dags/x.py', 'dags/x.py'],
    ['proj', 'dags/x.py', 'proj/dags/x.py'],
    ['a/b', 'tests/t.py', 'a/b/tests/t.py'],
  ])('repoPath(%s, %s) = %s', (project, rel, out) => {
    expect(repoPath(project, rel)).toBe(out);
  });
});

describe('import errors → problems', () => {
  test('file is repository-relative, line from the traceback, message the exception', () => {
    expect(importErrorProblem('/usr/local/airflow/dags/bad.py', SYNTAX, 'astro')).toEqual({
      kind: 'parse',
      file: 'astro/dags/bad.py',
      line: 4,
      message: "SyntaxError: '(' was never closed",
      detail: SYNTAX.trim(),
    });
  });

  test('a multi-line exception becomes its first line; a cycle has no line', () => {
    expect(importErrorProblem('/usr/local/airflow/dags/uses.py', NESTED, '')).toMatchObject({
      file: 'dags/uses.py',
      line: 3,
      message: 'ValueError: bad',
    });
    const cycle = importErrorProblem('/usr/local/airflow/dags/cy.py', CYCLE, '');
    expect(cycle).toMatchObject({ file: 'dags/cy.py', message: CYCLE });
    expect(cycle.line).toBeUndefined();
  });

  test('the own check result is read from its marked line only', () => {
    const json = {
      engine: 'dagbag',
      dags: 2,
      files: 3,
      errors: [{ file: '/usr/local/airflow/dags/a.py', trace: MISSING }],
    };
    const stdout = `noise\n${RESULT_MARK}{"broken"\nprint from a DAG\n${RESULT_MARK}${JSON.stringify(json)}\n`;
    expect(parseOwnCheckOutput(stdout)).toEqual(json);
    expect(parseOwnCheckOutput('Traceback ...\nSystemExit')).toBeUndefined();
    expect(parseOwnCheckOutput(`${RESULT_MARK}{not json`)).toBeUndefined();
  });
});

const JUNIT_PYTEST = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="2" skipped="0" tests="3" time="0.025" timestamp="2026-11-22T04:34:00.280360" hostname="492ebc7bc76a"><testcase classname="tests.test_x" name="test_a" file="tests/test_x.py" line="0" time="0.001"><failure message="AssertionError: nope&#10;assert 1 == 2">def test_a():
&gt;       assert 1 == 2, "nope"
E       AssertionError: nope
E       assert 1 == 2

tests/test_x.py:2: AssertionError</failure></testcase><testcase classname="tests.test_x" name="test_b" file="tests/test_x.py" line="3" time="0.000"><failure message="KeyError: 'k'">def test_b():
&gt;       raise KeyError("k")
E       KeyError: 'k'

tests/test_x.py:5: KeyError</failure></testcase><testcase classname="tests.test_x" name="test_c" file="tests/test_x.py" line="6" time="0.000" /></testsuite></testsuites>`;

const JUNIT_COLLECTION = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="0" skipped="0" tests="1" time="0.047"><testcase classname="" name="tests.test_bad" file="tests/test_bad.py" time="0.000"><error message="collection failure">ImportError while importing test module '/usr/local/airflow/tests/test_bad.py'.
Hint: make sure your test modules/packages have valid Python names.
Traceback:
/usr/lib/python3.11/importlib/__init__.py:126: in import_module
    return _bootstrap._gcd_import(name[level:], package, level)
tests/test_bad.py:1: in &lt;module&gt;
    import nothere_either
E   ModuleNotFoundError: No module named 'nothere_either'</error></testcase></testsuite></testsuites>`;

// An assertion in a helper called by the test: the test file's line is annotated.
const JUNIT_HELPER = `<testsuites><testsuite><testcase classname="test_h" name="test_uses_helper" file="test_h.py" line="4"><failure message="assert 3 == 4">def test_uses_helper():
&gt;       check(3)

tests/test_h.py:6: 
_ _ _ _ _ _ _ _ _ _

    def check(v):
&gt;       assert v == 4
E       assert 3 == 4

include/checks.py:2: AssertionError</failure></testcase><testcase classname="test_h" name="test_skip" file="test_h.py" line="9"><skipped type="pytest.skip" message="later">skip</skipped></testcase></testsuite></testsuites>`;

const JUNIT_INTEGRITY = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="0" failures="1" skipped="0" tests="2"><testcase classname=".astro.test_dag_integrity_default" name="test_file_imports[dags/miss.py]" file=".astro/test_dag_integrity_default.py" line="25" time="0.001"><failure message="Exception: dags/miss.py failed to import with message &#10; Traceback (most recent call last):&#10;  File &quot;/opt/standin-airflow/airflow/models/dagbag.py&quot;, line 45, in process_file&#10;    spec.loader.exec_module(module)&#10;  File &quot;&lt;frozen importlib._bootstrap&gt;&quot;, line 241, in _call_with_frames_removed&#10;  File &quot;/usr/local/airflow/dags/miss.py&quot;, line 2, in &lt;module&gt;&#10;    import nothere&#10;ModuleNotFoundError: No module named 'nothere'">rel_path = 'dags/miss.py'
E           Exception: dags/miss.py failed to import with message

.astro/test_dag_integrity_default.py:33: Exception</failure></testcase><testcase classname=".astro.test_dag_integrity_default" name="test_file_imports[dags/ok.py]" file=".astro/test_dag_integrity_default.py" line="25" time="0.001" /></testsuite></testsuites>`;

describe('JUnit XML', () => {
  test('cases, outcomes, attributes and decoded text', () => {
    const cases = parseJUnit(JUNIT_PYTEST);
    expect(cases.map((c) => [c.name, c.outcome, c.file, c.line])).toEqual([
      ['test_a', 'failed', 'tests/test_x.py', 0],
      ['test_b', 'failed', 'tests/test_x.py', 3],
      ['test_c', 'passed', 'tests/test_x.py', 6],
    ]);
    expect(cases[0].message).toBe('AssertionError: nope\nassert 1 == 2');
    expect(cases[0].text).toContain('>       assert 1 == 2, "nope"');
    expect(parseJUnit(JUNIT_HELPER)[1]).toMatchObject({ outcome: 'skipped', message: 'later' });
    expect(parseJUnit(JUNIT_COLLECTION)[0]).toMatchObject({
      outcome: 'error',
      message: 'collection failure',
    });
    expect(parseJUnit('<testsuites><testsuite tests="0"></testsuite></testsuites>')).toEqual([]);
  });

  test('entities and CDATA', () => {
    expect(decodeXml('&lt;a&gt; &amp;amp; &quot;q&quot; &apos;s&apos; &#10;&#x41; &unknown;')).toBe(
      '<a> &amp; "q" \'s\' \nA &unknown;',
    );
    const [c] = parseJUnit(
      '<testcase name="t"><failure message="m"><![CDATA[x < y & z]]></failure></testcase>',
    );
    expect(c.text).toBe('x < y & z');
  });

  test('report locations are the `file.py:N:` lines', () => {
    expect(reportLocations(parseJUnit(JUNIT_COLLECTION)[0].text!)).toEqual([
      { file: '/usr/lib/python3.11/importlib/__init__.py', line: 126 },
      { file: 'tests/test_bad.py', line: 1 },
    ]);
  });
});

describe('pytest failures → problems', () => {
  const existing = new Set([
    'tests/test_x.py',
    'tests/test_bad.py',
    'tests/test_h.py',
    'include/checks.py',
  ]);
  const resolve = (bases: string[]) => (p: string) => {
    const rel = projectRelative(p);
    for (const c of [rel, ...bases.map((b) => `${b}/${p}`)]) if (c && existing.has(c)) return c;
    return undefined;
  };

  test.each([
    [
      JUNIT_PYTEST,
      0,
      { file: 'proj/tests/test_x.py', line: 2, message: 'test_a failed: AssertionError: nope' },
    ],
    [
      JUNIT_PYTEST,
      1,
      { file: 'proj/tests/test_x.py', line: 5, message: "test_b failed: KeyError: 'k'" },
    ],
    [
      JUNIT_COLLECTION,
      0,
      {
        file: 'proj/tests/test_bad.py',
        line: 1,
        message: "tests.test_bad error: ModuleNotFoundError: No module named 'nothere_either'",
      },
    ],
    // file attribute relative to the tests folder (pytest's rootdir), line in the test file.
    [
      JUNIT_HELPER,
      0,
      { file: 'proj/tests/test_h.py', line: 6, message: 'test_uses_helper failed: assert 3 == 4' },
    ],
  ])('case %#', (xml, index, expected) => {
    const c = parseJUnit(xml)[index];
    expect(pytestProblem(c, 'proj', resolve(['tests']))).toMatchObject({
      kind: 'pytest',
      ...expected,
    });
  });

  test('without a resolvable file, the 0-based line is not guessed', () => {
    const c = parseJUnit(JUNIT_PYTEST)[0];
    const p = pytestProblem(c, '', () => undefined);
    expect(p.file).toBeUndefined();
    expect(p.line).toBeUndefined();
    expect(p.message).toBe('test_a failed: AssertionError: nope');
  });

  test('falls back to the test function line (1-based) when the report has no location', () => {
    const c = parseJUnit(
      '<testcase name="t" file="tests/test_x.py" line="6"><failure message="boom">no locations</failure></testcase>',
    )[0];
    expect(pytestProblem(c, '', resolve([]))).toMatchObject({
      file: 'tests/test_x.py',
      line: 7,
      message: 't failed: boom',
    });
  });
});

describe("Astro's integrity test → parse problems", () => {
  test('the DAG file, its line and exception come from the failure message', () => {
    const [failed] = parseJUnit(JUNIT_INTEGRITY).filter((c) => c.outcome === 'failed');
    const p = integrityProblem(failed, 'proj', (x) => (x === 'dags/miss.py' ? x : undefined));
    expect(p).toMatchObject({
      kind: 'parse',
      file: 'proj/dags/miss.py',
      line: 2,
      message: "ModuleNotFoundError: No module named 'nothere'",
    });
  });

  test('any other failure of the file is still a parse problem', () => {
    const c = parseJUnit(
      JUNIT_COLLECTION.replace(/tests\/test_bad.py/g, '.astro/test_dag_integrity_default.py'),
    )[0];
    const p = integrityProblem(c, '', (x) =>
      x === '.astro/test_dag_integrity_default.py' ? x : undefined,
    );
    expect(p).toMatchObject({
      kind: 'parse',
      file: '.astro/test_dag_integrity_default.py',
      line: 1,
    });
  });

  test('exceptions file: trimmed lines, comments and blanks ignored, ./ dropped', () => {
    expect([...parseExceptions('dags/a.py\n  ./dags/b.py  \n# c\n\r\n')]).toEqual([
      'dags/a.py',
      'dags/b.py',
    ]);
    expect(parseExceptions('').size).toBe(0);
  });
});

describe('summary and messages', () => {
  test('a table of problems, pipes escaped; passed checks with their note', () => {
    const md = summarize(
      [
        { kind: 'parse', note: '3 DAGs loaded by DagBag' },
        { kind: 'pytest', note: '4 passed' },
      ],
      [{ kind: 'parse', file: 'dags/a|b.py', line: 3, message: 'ValueError: x | y' }],
      true,
    );
    expect(md).toBe(
      [
        '### DAG checks',
        '',
        '- ❌ **parse**: 1 problem (3 DAGs loaded by DagBag)',
        '- ✅ **pytest**: passed (4 passed)',
        '',
        '| check | file | line | problem |',
        '|---|---|---|---|',
        '| parse | `dags/a\\|b.py` | 3 | ValueError: x \\| y |',
        '',
        '`force: true`: deploying anyway.',
        '',
      ].join('\n'),
    );
  });

  test('no Docker: one clear sentence', () => {
    expect(noDockerError().message).toBe(
      'parse/pytest need a Docker engine; this runner has none (macOS runners do not ship one): use ubuntu-latest or set parse and pytest to false.',
    );
  });

  test.each([
    ['images.astronomer.cloud/org/dep', 'images.astronomer.cloud'],
    ['127.0.0.1:5000/org/dep', '127.0.0.1:5000'],
    ['localhost/x', 'localhost'],
    ['library/python', 'docker.io'],
  ])('registryHost(%s) = %s', (repo, host) => {
    expect(registryHost(repo)).toBe(host);
  });
});
