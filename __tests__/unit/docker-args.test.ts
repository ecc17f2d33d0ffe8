// Pure parts of the Docker wrapper: argv building, ignore files, version and error text.
import {
  cacheArgs,
  clientMajor,
  ignoreWithExcludes,
  ignoreWithout,
  buildIgnoreFor,
  mountArg,
  outputTail,
  runArgs,
} from '../../src/docker.js';

describe('runArgs', () => {
  test('mounts, tmpfs, workdir, env by name only, user, entrypoint, image and args in order', () => {
    expect(
      runArgs({
        image: 'img:1',
        args: ['-c', 'print(1)'],
        mounts: [
          { source: '/a/project', target: '/mnt/p', readonly: true },
          { source: '/tmp/w', target: '/mnt/w' },
        ],
        tmpfs: ['/usr/local/airflow:rw,exec,mode=1777'],
        workdir: '/usr/local/airflow',
        env: { TOKEN: 'secret-value', B: 'x' },
        user: '1000:1000',
        entrypoint: 'python',
        network: 'none',
      }),
    ).toEqual([
      'run',
      '--rm',
      '--mount',
      'type=bind,source=/a/project,target=/mnt/p,readonly',
      '--mount',
      'type=bind,source=/tmp/w,target=/mnt/w',
      '--tmpfs',
      '/usr/local/airflow:rw,exec,mode=1777',
      '--workdir',
      '/usr/local/airflow',
      '-e',
      'TOKEN',
      '-e',
      'B',
      '--user',
      '1000:1000',
      '--entrypoint',
      'python',
      '--network',
      'none',
      'img:1',
      '-c',
      'print(1)',
    ]);
  });

  test('environment values never reach argv', () => {
    const argv = runArgs({ image: 'i', env: { PASSWORD: 'hunter2' } });
    expect(argv.join(' ')).not.toContain('hunter2');
  });

  test('a path with a comma or quote is CSV-quoted in --mount', () => {
    expect(mountArg({ source: '/x/a,b', target: '/t' })).toBe(
      'type=bind,"source=/x/a,b",target=/t',
    );
    expect(mountArg({ source: '/x/"q"', target: '/t', readonly: true })).toBe(
      'type=bind,"source=/x/""q""",target=/t,readonly',
    );
  });
});

describe('ignoreWithExcludes', () => {
  test.each([
    [undefined, ['dags'], '# added by the deploy action for this build only\ndags\n'],
    [
      'secret.env',
      ['dags/'],
      'secret.env\n# added by the deploy action for this build only\ndags\n',
    ],
    [
      'a\n!dags/keep.py\n',
      ['./dags', '/include/big/'],
      'a\n!dags/keep.py\n# added by the deploy action for this build only\ndags\ninclude/big\n',
    ],
    ['', ['', '/'], '# added by the deploy action for this build only\n\n'],
  ])('%j + %j', (original, exclude, expected) => {
    expect(ignoreWithExcludes(original, exclude)).toBe(expected);
  });
});

describe('ignoreWithout: the DAG folder reaches an image that must carry it', () => {
  // [ignore text, folders to keep, expected text (undefined: nothing to drop)]
  test.each<[string, string[], string | undefined]>([
    ['dags/\n', ['dags'], ''],
    ['airflow_settings.yaml\ndags/\n*.md\n', ['dags'], 'airflow_settings.yaml\n*.md\n'],
    ['dags\n/dags\n./dags/\ndags/*\ndags/**\ndags/**/*\nx\n', ['dags'], 'x\n'],
    ['a\r\ndags/\r\nb\r\n', ['dags'], 'a\r\nb\r\n'], // CRLF kept for the other lines
    ['  dags/  \nb', ['./dags/'], 'b'], // no final newline: none added
    // comments, negations, files inside the folder and other folders stay
    ['# dags/\n!dags/keep.py\ndags/*.pyc\nolddags/\ndags2\n', ['dags'], undefined],
    ['src/pipelines/\npipelines/\n', ['src/pipelines'], 'pipelines/\n'],
    ['dags/\n', [], undefined],
    ['', ['dags'], undefined],
  ])('%j keeping %j', (text, keep, expected) => {
    expect(ignoreWithout(text, keep)).toBe(expected);
  });

  test.each<[string | undefined, string[], string[], string | undefined]>([
    [undefined, [], ['dags'], undefined], // no ignore file: nothing to do
    ['x\n', [], ['dags'], undefined], // nothing names the folder: the project's file serves
    ['x\ndags/\n', [], ['dags'], 'x\n'],
    [
      'x\ndags/\n',
      ['include/big'],
      ['dags'],
      'x\n# added by the deploy action for this build only\ninclude/big\n',
    ],
  ])('buildIgnoreFor(%j, exclude %j, keep %j)', (original, exclude, keep, expected) => {
    expect(buildIgnoreFor(original, exclude, keep)).toBe(expected);
  });
});

describe('clientMajor', () => {
  test.each([
    ['Docker version 20.10.24+dfsg1, build 297e128', 20],
    ['Docker version 28.2.2, build e6534b4', 28],
    ['podman version 4.3.1', 4],
    ['nonsense', undefined],
  ])('%s', (line, major) => {
    expect(clientMajor(line)).toBe(major);
  });
});

describe('outputTail', () => {
  test('the last non-empty lines of stderr, else stdout, joined on one line', () => {
    expect(outputTail({ exitCode: 1, stdout: 'out', stderr: 'a\n\nb\nc\n  \nd\ne\nf\n' })).toBe(
      'b | c | d | e | f',
    );
    expect(outputTail({ exitCode: 1, stdout: 'only\nstdout\n', stderr: '  \n' }, 1)).toBe('stdout');
    expect(outputTail({ exitCode: 1, stdout: '', stderr: '' })).toBe('');
  });
});

describe('cacheArgs', () => {
  test.each<[string[], boolean, boolean, string[]]>([
    [
      ['reg.example/org/dep:deploy-1'],
      true,
      true,
      ['--cache-from', 'reg.example/org/dep:deploy-1', '--build-arg', 'BUILDKIT_INLINE_CACHE=1'],
    ],
    // The first image deploy: nothing to reuse yet, but the metadata is written for the next.
    [[], true, true, ['--build-arg', 'BUILDKIT_INLINE_CACHE=1']],
    [['a:1', 'b:2'], false, true, ['--cache-from', 'a:1', '--cache-from', 'b:2']],
    // The legacy builder would need the images pulled first: no cache arguments at all.
    [['reg.example/org/dep:deploy-1'], true, false, []],
  ])('cacheArgs(%j, inline %j, buildkit %j)', (from, inline, buildkit, expected) => {
    expect(cacheArgs(from, inline, buildkit)).toEqual(expected);
  });
});
