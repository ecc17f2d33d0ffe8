// What is wrong with the inputs taken together (each read and checked alone in settings.ts):
// deploy types that exclude each other, named DAG bundles, sparse-checkout; and the two
// list shapes inputs come in.
import { inputExcludesImage, inputIsBundle } from '../decide/kinds.js';
import { isInside, joinRel, normalizeFolder } from '../project/paths.js';
import type { Settings } from './settings-types.js';

/** What is wrong with the inputs taken together. */
export function combinationProblems(settings: Settings): string[] {
  const out: string[] = [];
  for (const secret of settings.buildSecrets) {
    if (!/(^|,)id=[^,]+/.test(secret)) {
      out.push(
        `Input 'build-secrets' has '${secret.split(',')[0]}…' without 'id=': write each secret as 'id=name,src=path' on its own line.`,
      );
    }
  }
  if (settings.noDagsBaseDir && (settings.imageName || settings.deployType === 'non-dags')) {
    out.push(
      `Input 'no-dags-base-dir' changes the DAG tarball, which ${settings.imageName ? "'image-name'" : "'deploy-type: non-dags'"} does not ship; remove one of them.`,
    );
  }
  out.push(...sparseProblems(settings));
  out.push(...dagBundleProblems(settings));
  if (settings.imageName && inputExcludesImage(settings.deployType)) {
    out.push(
      `Input 'image-name' deploys an image; it cannot go with 'deploy-type: ${settings.deployType}'.`,
    );
  }
  return out;
}

/**
 * A named DAG bundle takes DAGs, so the deploy types without a DAG tarball are refused, as
 * deploy-action and the Astro CLI refuse them (`image-only`, `image-name`, `dbt`, `non-dags`).
 */
function dagBundleProblems(s: Settings): string[] {
  const name = s.dagBundleName;
  if (!name) return [];
  if (s.imageName)
    return [
      `Input 'dag-bundle-name' ('${name}') deploys DAGs, but 'image-name' deploys only an image; remove one of them.`,
    ];
  const why: Partial<Record<Settings['deployType'], string>> = {
    'image-only': 'deploys no DAGs',
    dbt: 'deploys a dbt project, not DAGs',
    'non-dags': 'deploys a non-DAG bundle, not DAGs',
  };
  const reason = why[s.deployType];
  return reason
    ? [
        `Input 'dag-bundle-name' ('${name}') deploys DAGs to a named DAG bundle, but 'deploy-type: ${s.deployType}' ${reason}; remove one of them.`,
      ]
    : [];
}

/**
 * `sparse-checkout` holds cone-mode patterns: folders of the repository (git adds the files at
 * the top of every folder on the way). The folders the deploy reads from the work tree must be
 * in the cone: root-folder, or the DAG folder when root-folder is the repository's root.
 */
function sparseProblems(s: Settings): string[] {
  if (s.sparseCheckout.length === 0) return [];
  const problems: string[] = [];
  const folders: string[] = [];
  for (const given of s.sparseCheckout) {
    const folder = normalizeFolder(given);
    if (/[*?[\]!\\]/.test(given) || folder === undefined || folder === '') {
      problems.push(
        `Input 'sparse-checkout' has '${given}', which is not a folder inside the repository; cone-mode patterns are folders such as 'astro' or 'libs/common' (no wildcards or negations).`,
      );
    } else folders.push(folder);
  }
  if (problems.length) return problems;
  s.sparseCheckout = folders;
  const needed =
    s.rootFolder !== ''
      ? { folder: s.rootFolder, what: 'root-folder' }
      : inputIsBundle(s.deployType)
        ? undefined
        : { folder: joinRel(s.rootFolder, s.dagsPath), what: 'the DAG folder' };
  if (needed && !folders.some((f) => isInside(needed.folder, f))) {
    problems.push(
      `Input 'sparse-checkout' leaves ${needed.what} '${needed.folder}' out of the clone, so there would be nothing to deploy; add '${needed.folder}' (or a folder holding it) to it.`,
    );
  }
  return problems;
}

/** One entry per non-empty line. */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Comma- or newline-separated entries. */
export function list(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((l) => l.trim())
    .filter(Boolean);
}
