// The DAG checks: parse (DAG integrity) and pytest inside the project's runtime image.
export {
  runChecks,
  pullDeployedImage,
  noDockerError,
  NO_DOCKER_MESSAGE,
  INTEGRITY_TEST,
  INTEGRITY_EXCEPTIONS,
} from './run.js';
export type { RunChecksOptions, PullDeployedImageOptions } from './run.js';
export type { CheckKind, CheckProblem, CheckResult } from './types.js';
export { summarize } from './parse.js';
