// Pure parsing for the DAG checks: Python tracebacks → file/line/message, pytest JUnit XML →
// failures, container paths → repository paths, and the summary markdown. No I/O.
import { cell, codeCell } from '../report/markdown.js';
import path from 'node:path';
import type { CheckKind, CheckProblem } from './types.js';

/** Where the project sits inside the check container (the Astro Runtime's AIRFLOW_HOME). */
export const CONTAINER_PROJECT = '/usr/local/airflow';

export interface Frame {
  file: string;
  line: number;
  /** The function (`<module>`), absent for the pseudo-frame of a SyntaxError. */
  name?: string;
}

const FRAME = /^\s*File "([^"]+)", line (\d+)(?:, in (.+))?\s*$/;

export function tracebackFrames(text: string): Frame[] {
  const frames: Frame[] = [];
  for (const l of text.split('\n')) {
    const m = FRAME.exec(l);
    if (m) frames.push({ file: m[1], line: Number(m[2]), ...(m[3] ? { name: m[3].trim() } : {}) });
  }
  return frames;
}

/**
 * The exception of a traceback: what follows the last frame (its source and caret lines
 * are indented), e.g. `ModuleNotFoundError: No module named 'x'`. Text without frames is
 * returned whole (e.g. Airflow's "Cycle detected in DAG …").
 */
export function tracebackMessage(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let last = -1;
  lines.forEach((l, i) => {
    if (FRAME.test(l)) last = i;
  });
  if (last < 0) return text.trim();
  const rest = lines.slice(last + 1);
  const start = rest.findIndex((l) => l.trim() !== '' && !/^\s/.test(l));
  if (start < 0) return text.trim().split('\n').pop()!.trim();
  return rest.slice(start).join('\n').trim();
}

/**
 * The line to annotate in `dagFile` (a path as it appears in the traceback): the last frame
 * inside that file — for a SyntaxError in the file, its pseudo-frame with the offending
 * line; for an error raised deeper (an import inside the DAG), the DAG's line that led
 * there. Undefined when no frame is in the file.
 */
export function lineInFile(text: string, dagFile: string): number | undefined {
  const frames = tracebackFrames(text).filter((f) => samePath(f.file, dagFile));
  return frames.length ? frames[frames.length - 1].line : undefined;
}

function samePath(a: string, b: string): boolean {
  return path.posix.normalize(a) === path.posix.normalize(b);
}

/** `/usr/local/airflow/dags/x.py` (or `dags/x.py`) → path relative to the project, or undefined when outside. */
export function projectRelative(
  containerPath: string,
  containerProject = CONTAINER_PROJECT,
): string | undefined {
  const p = path.posix.normalize(containerPath);
  if (!p.startsWith('/')) return p.startsWith('../') ? undefined : p.replace(/^\.\//, '');
  const rel = path.posix.relative(containerProject, p);
  return rel === '' || rel.startsWith('../') ? undefined : rel;
}

/** Project-relative → repository-relative, given the project folder relative to the repository ('' for the root). */
export function repoPath(projectInRepo: string, projectRel: string): string {
  return path.posix.join(projectInRepo || '.', projectRel).replace(/^\.\//, '');
}

/** One import error (file as the DagBag saw it, traceback text) → a problem. */
export function importErrorProblem(
  file: string,
  trace: string,
  projectInRepo: string,
): CheckProblem {
  const rel = projectRelative(file);
  const line = lineInFile(trace, file);
  return {
    kind: 'parse',
    ...(rel !== undefined ? { file: repoPath(projectInRepo, rel) } : {}),
    ...(line !== undefined ? { line } : {}),
    message: oneLine(tracebackMessage(trace) || 'failed to import'),
    detail: trace.trim(),
  };
}

/** The exception's first line, capped, for an annotation title-like message. */
export function oneLine(message: string, max = 500): string {
  const first = message.trim().split('\n')[0].trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

// ---------------------------------------------------------------------------------------
// The action's own check prints its result on one marked line.

export const RESULT_MARK = 'ASTRO_DAG_CHECK_RESULT=';

export interface OwnCheckResult {
  engine: 'dagbag' | 'import';
  dags: number;
  files: number;
  errors: { file: string; trace: string }[];
}

export function parseOwnCheckOutput(stdout: string): OwnCheckResult | undefined {
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARK));
  if (!line) return undefined;
  try {
    return JSON.parse(line.slice(RESULT_MARK.length)) as OwnCheckResult;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------
// JUnit XML as pytest writes it (junit_family=xunit1: testcase has file and line).

export interface JUnitCase {
  classname: string;
  name: string;
  file?: string;
  /** As pytest writes it: 0-based. */
  line?: number;
  outcome: 'passed' | 'failed' | 'error' | 'skipped';
  message?: string;
  text?: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    out[m[1]] = decodeXml(m[2] ?? m[3] ?? '');
  return out;
}

function elementText(body: string): string {
  const cdata = /<!\[CDATA\[([\s\S]*?)\]\]>/.exec(body);
  return cdata ? cdata[1] : decodeXml(body);
}

/** The test cases of a pytest JUnit XML report. */
export function parseJUnit(xml: string): JUnitCase[] {
  const cases: JUnitCase[] = [];
  const re = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(re)) {
    const a = attributes(m[1]);
    const body = m[2] ?? '';
    const c: JUnitCase = {
      classname: a.classname ?? '',
      name: a.name ?? '',
      ...(a.file ? { file: a.file } : {}),
      ...(a.line !== undefined && /^\d+$/.test(a.line) ? { line: Number(a.line) } : {}),
      outcome: 'passed',
    };
    const outcome = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/.exec(body);
    if (outcome) {
      c.outcome = outcome[1] === 'failure' ? 'failed' : (outcome[1] as 'error' | 'skipped');
      const oa = attributes(outcome[2]);
      if (oa.message !== undefined) c.message = oa.message;
      if (outcome[3] !== undefined) c.text = elementText(outcome[3]);
    }
    cases.push(c);
  }
  return cases;
}

/** `path.py:12: …` lines of a pytest report (paths as pytest printed them). */
export function reportLocations(text: string): { file: string; line: number }[] {
  const out: { file: string; line: number }[] = [];
  for (const m of text.matchAll(/^([^\s:][^:\n]*\.py):(\d+):/gm))
    out.push({ file: m[1], line: Number(m[2]) });
  return out;
}

/**
 * A failed pytest case → a problem. `resolve` turns a path pytest printed (relative to the
 * project, or absolute in the container) into a project-relative path of an existing file,
 * or undefined. The line is where the failure surfaced in the test's own file (the last
 * `file.py:N:` of the report in that file), else the last one inside the project, else the
 * test function's line.
 */
export function pytestProblem(
  c: JUnitCase,
  projectInRepo: string,
  resolve: (p: string) => string | undefined,
): CheckProblem {
  const caseFile = c.file ? resolve(c.file) : undefined;
  const text = c.text ?? '';
  const locations = reportLocations(text)
    .map((l) => ({ file: resolve(l.file), line: l.line }))
    .filter((l): l is { file: string; line: number } => l.file !== undefined);
  const inCase = caseFile ? locations.filter((l) => l.file === caseFile) : [];
  const at = inCase.length ? inCase[inCase.length - 1] : locations[locations.length - 1];
  const file = caseFile ?? at?.file;
  const line =
    at && at.file === file ? at.line : c.line !== undefined && caseFile ? c.line + 1 : undefined;
  const what = c.outcome === 'error' ? 'error' : 'failed';
  // The message attribute is the exception ("AssertionError: nope"); for a collection
  // failure it is only "collection failure", so the report's first `E   …` line is used.
  const eLine = /^E\s+(\S.*)$/m.exec(text)?.[1];
  const exception =
    c.message && c.message !== 'collection failure'
      ? oneLine(c.message)
      : eLine
        ? oneLine(eLine)
        : oneLine(c.message ?? text.trim().split('\n').pop() ?? '') || what;
  return {
    kind: 'pytest',
    ...(file ? { file: repoPath(projectInRepo, file) } : {}),
    ...(line !== undefined ? { line } : {}),
    message: `${c.name || c.classname} ${what}: ${exception}`,
    ...(text ? { detail: text.trim() } : {}),
  };
}

/**
 * A failure of Astro's `.astro/test_dag_integrity_default.py` (one test per DAG file;
 * message `Exception: dags/x.py failed to import with message \n <traceback>`) → a parse
 * problem on that DAG file; any other failure of that file → a problem as pytest reports it.
 */
export function integrityProblem(
  c: JUnitCase,
  projectInRepo: string,
  resolve: (p: string) => string | undefined,
): CheckProblem {
  const source = c.message ?? c.text ?? '';
  const m = /^(?:\w+(?:\.\w+)*: )?(.+?) failed to import with message\s*\n([\s\S]*)$/.exec(
    source.trim(),
  );
  if (m) {
    const rel = resolve(m[1].trim()) ?? projectRelative(m[1].trim());
    const trace = m[2];
    const abs = rel !== undefined ? path.posix.join(CONTAINER_PROJECT, rel) : m[1].trim();
    const line = lineInFile(trace, abs);
    return {
      kind: 'parse',
      ...(rel !== undefined ? { file: repoPath(projectInRepo, rel) } : {}),
      ...(line !== undefined ? { line } : {}),
      message: oneLine(tracebackMessage(trace) || source),
      detail: trace.trim(),
    };
  }
  return { ...pytestProblem(c, projectInRepo, resolve), kind: 'parse' };
}

/** Lines of `.astro/dag_integrity_exceptions.txt`: project-relative files whose errors are accepted. */
export function parseExceptions(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim().replace(/^\.\//, ''))
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
}

export interface SummaryPart {
  kind: CheckKind;
  /** e.g. "3 DAGs imported" or "12 passed". */
  note: string;
}

/** The short markdown for the job summary. */
export function summarize(parts: SummaryPart[], problems: CheckProblem[], force = false): string {
  const lines = ['### DAG checks', ''];
  for (const p of parts) {
    const n = problems.filter((x) => x.kind === p.kind).length;
    lines.push(
      `- ${n ? '❌' : '✅'} **${p.kind}**: ${n ? `${n} problem${n === 1 ? '' : 's'}` : 'passed'}${p.note ? ` (${p.note})` : ''}`,
    );
  }
  if (problems.length) {
    lines.push('', '| check | file | line | problem |', '|---|---|---|---|');
    for (const p of problems) {
      lines.push(
        `| ${p.kind} | ${p.file ? codeCell(p.file) : ''} | ${p.line ?? ''} | ${cell(p.message)} |`,
      );
    }
    if (force) lines.push('', '`force: true`: deploying anyway.');
  }
  return lines.join('\n') + '\n';
}
