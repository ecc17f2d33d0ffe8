// Classifies changed paths: what part of a deploy each one affects. Pure.
import { PatternSet } from './patterns.js';
import { isInside, joinRel, relativeTo } from '../project/paths.js';
import { inputIsBundle, type DeployTypeInput } from './kinds.js';

export type PathClass = 'dags' | 'image' | 'bundle' | 'ignored';

export interface ClassifyRules {
  rootFolder: string;
  dagsPath: string;
  deployType: DeployTypeInput;
  imageTriggers: PatternSet;
  bundleTriggers: PatternSet;
  /** The project's .dockerignore (empty set when it has none). */
  dockerignore: PatternSet;
}

// Docker always reads these from the context, even when an ignore file lists them; and a
// change to an ignore file changes what reaches the image.
const ALWAYS_IN_IMAGE = new Set(['Dockerfile', '.dockerignore', 'Dockerfile.dockerignore']);

export function classify(file: string, rules: ClassifyRules): PathClass {
  const bundleMode = inputIsBundle(rules.deployType);
  if (!isInside(file, rules.rootFolder) || file === rules.rootFolder) {
    if (!bundleMode && rules.imageTriggers.matches(file)) return 'image';
    if (bundleMode && rules.bundleTriggers.matches(file)) return 'bundle';
    return 'ignored';
  }
  if (bundleMode) return 'bundle';
  const rel = relativeTo(file, rules.rootFolder);
  if (isInside(rel, rules.dagsPath)) return 'dags';
  if (ALWAYS_IN_IMAGE.has(rel)) return 'image';
  if (rules.dockerignore.matches(rel)) return 'ignored';
  return 'image';
}

export type Classified = Record<PathClass, string[]>;

export function classifyAll(files: string[], rules: ClassifyRules): Classified {
  const out: Classified = { dags: [], image: [], bundle: [], ignored: [] };
  for (const f of files) out[classify(f, rules)].push(f);
  return out;
}

/** The DAG folder as a repository-relative path. */
export function dagsFolder(rules: Pick<ClassifyRules, 'rootFolder' | 'dagsPath'>): string {
  return joinRel(rules.rootFolder, rules.dagsPath);
}
