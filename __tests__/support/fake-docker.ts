// A docker client that answers like one with a working engine, for integration tests that
// need an image deploy to get past Docker without an engine: it builds, tags, logs in and
// pushes nothing, and labels every image as Astro Runtime (3.0-7, or FAKE_DOCKER_RUNTIME from
// its environment). It records each push in FAKE_DOCKER_LOG when that is set, and each
// command's name in FAKE_DOCKER_CALLS, with a build's ignore file (`<Dockerfile>.dockerignore`
// next to the `--file` it was given) as `ignore <line>` lines. The docker tier uses the real one.
import fs from 'node:fs';
import path from 'node:path';

/** Writes `docker` into `dir` and returns a PATH with it first. */
export function fakeDockerPath(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'docker'),
    [
      '#!/bin/sh',
      'if [ -n "$FAKE_DOCKER_CALLS" ]; then',
      '  echo "$1" >> "$FAKE_DOCKER_CALLS"',
      '  if [ "$1" = build ]; then',
      '    prev=; file=; for a in "$@"; do [ "$prev" = --file ] && file="$a"; prev="$a"; done',
      '    [ -f "$file.dockerignore" ] && sed "s/^/ignore /" "$file.dockerignore" >> "$FAKE_DOCKER_CALLS"',
      '  fi',
      'fi',
      'case "$1" in',
      '  buildx|version) echo 28.0.0 ;;',
      '  --version) echo "Docker version 28.0.0, build test" ;;',
      '  login) cat > /dev/null ;;',
      '  image) case "$4" in *Labels*) echo "{\\"io.astronomer.docker.runtime.version\\":\\"${FAKE_DOCKER_RUNTIME:-3.0-7}\\"}" ;; *) echo sha256:0000 ;; esac ;;',
      '  push) [ -n "$FAKE_DOCKER_LOG" ] && echo "push $2" >> "$FAKE_DOCKER_LOG" ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return `${dir}${path.delimiter}${process.env.PATH}`;
}
