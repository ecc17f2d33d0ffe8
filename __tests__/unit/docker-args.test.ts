// Pure parts of the Docker wrapper: argv building, ignore files, version and error text.
import {
  clientMajor,
  ignoreWithExcludes,
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
