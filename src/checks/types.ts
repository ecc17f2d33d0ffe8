// Results of the DAG checks (parse and pytest), as the flow reports them.

export type CheckKind = 'parse' | 'pytest';

export interface CheckProblem {
  kind: CheckKind;
  /** Repository-relative path (forward slashes), when the problem belongs to a file. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** One line: the exception (`ModuleNotFoundError: No module named 'x'`) or the assertion. */
  message: string;
  /** The full traceback or pytest report, for the log. */
  detail?: string;
}

export interface CheckResult {
  ok: boolean;
  problems: CheckProblem[];
  /** Short markdown for the job summary. */
  summary: string;
}
