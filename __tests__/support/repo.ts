// Real git repositories for tests: a bare "server" laid out like GitHub
// (<server>/<owner>/<name>), a working clone to make commits in, and checkouts the way
// actions/checkout makes them (including depth 1).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const gitEnv = {
  ...process.env,
  LC_ALL: 'C',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.invalid',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: gitEnv,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export type Files = Record<string, string | null>;

export class TestRepo {
  readonly root: string;
  readonly serverUrl: string;
  readonly repository = 'acme/airflow';
  readonly origin: string;
  readonly work: string;

  constructor() {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'astro-repo-'));
    this.serverUrl = `file://${path.join(this.root, 'server')}`;
    this.origin = path.join(this.root, 'server', 'acme', 'airflow');
    fs.mkdirSync(this.origin, { recursive: true });
    git(this.origin, 'init', '-q', '--bare', '-b', 'main');
    // As GitHub does: any commit can be fetched by SHA, also force-pushed-away ones.
    git(this.origin, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
    this.work = path.join(this.root, 'work');
    git(this.root, 'clone', '-q', `file://${this.origin}`, this.work);
    git(this.work, 'checkout', '-q', '-B', 'main');
  }

  /** Writes (string) or deletes (null) files, commits, returns the SHA. */
  commit(files: Files, message = 'change'): string {
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(this.work, rel);
      if (content === null) {
        fs.rmSync(file, { force: true, recursive: true });
      } else {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
      }
    }
    git(this.work, 'add', '-A');
    git(this.work, 'commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  rename(from: string, to: string, message = 'rename'): string {
    fs.mkdirSync(path.dirname(path.join(this.work, to)), { recursive: true });
    git(this.work, 'mv', from, to);
    git(this.work, 'commit', '-q', '-m', message);
    return this.head();
  }

  head(): string {
    return git(this.work, 'rev-parse', 'HEAD');
  }

  branch(name: string): void {
    git(this.work, 'checkout', '-q', '-B', name);
  }

  push(branch = 'main', force = false): void {
    git(
      this.work,
      'push',
      '-q',
      ...(force ? ['--force'] : []),
      'origin',
      `HEAD:refs/heads/${branch}`,
    );
  }

  pushTag(tag: string): void {
    git(this.work, 'tag', '-f', tag);
    git(this.work, 'push', '-q', '-f', 'origin', `refs/tags/${tag}`);
  }

  resetHard(sha: string): void {
    git(this.work, 'reset', '-q', '--hard', sha);
  }

  /** A checkout of one commit as actions/checkout makes it (depth 1 by default). */
  checkout(sha: string, depth: number | 'full' = 1): string {
    const dir = fs.mkdtempSync(path.join(this.root, 'checkout-'));
    git(dir, 'init', '-q');
    git(dir, 'remote', 'add', 'origin', `file://${this.origin}`);
    git(
      dir,
      'fetch',
      '-q',
      '--no-tags',
      ...(depth === 'full' ? [] : [`--depth=${depth}`]),
      'origin',
      sha,
    );
    git(dir, 'checkout', '-q', '--detach', sha);
    return dir;
  }

  /** An empty workspace folder (a job without a checkout step). */
  emptyWorkspace(): string {
    return fs.mkdtempSync(path.join(this.root, 'empty-'));
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A minimal Astro project: Dockerfile, requirements, DAGs, tests. */
export function astroProject(prefix = ''): Files {
  const p = (f: string) => (prefix ? `${prefix}/${f}` : f);
  return {
    [p('Dockerfile')]: 'FROM astro-runtime-standin:3.0-7\n',
    [p('requirements.txt')]: '',
    [p('packages.txt')]: '',
    [p('.dockerignore')]: 'airflow_settings.yaml\n.git\n*.md\n',
    [p('airflow_settings.yaml')]: 'airflow: {}\n',
    [p('dags/example_dag.py')]: 'from airflow import DAG\n\ndag = DAG("example")\n',
    [p('include/helpers.py')]: 'VALUE = 1\n',
    [p('tests/test_dags.py')]: 'def test_ok():\n    assert True\n',
  };
}
