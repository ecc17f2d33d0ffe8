// The typed settings object: every input, validated, in one place (built by settings.ts;
// nothing else reads inputs).

export const ACTIONS = [
  'deploy',
  'create-deployment-preview',
  'delete-deployment-preview',
  'deploy-deployment-preview',
  'preview',
  'rollback',
  'cleanup-previews',
] as const;
export type ActionMode = (typeof ACTIONS)[number];

/** `rollback-to`: which earlier deploy `action: rollback` puts live again. */
export type RollbackTo =
  | { kind: 'previous' }
  /** A full or abbreviated (7+ hex characters) commit SHA, lower-case. */
  | { kind: 'commit'; sha: string }
  | { kind: 'deploy'; id: string };

import type { DeployTypeInput } from '../decide/kinds.js';

export { DEPLOY_TYPES, type DeployTypeInput } from '../decide/kinds.js';

export interface Settings {
  action: ActionMode;
  deploymentId?: string;
  deploymentName?: string;
  workspace?: string;
  /** Repository-relative, normalized: '' for the repository root, else 'a/b' (no leading/trailing slash). */
  rootFolder: string;
  deployType: DeployTypeInput;
  /** Relative to rootFolder, normalized; 'dags' unless given. */
  dagsPath: string;
  parse: boolean;
  pytest: boolean;
  pytestFile: string;
  force: boolean;
  /** undefined when 'no-custom-image'. */
  imageName?: string;
  /** Each like `id=x,src=path` (one per line of the input). */
  buildSecrets: string[];
  description?: string;
  previewName?: string;
  copyConnections: boolean;
  copyVariables: boolean;
  copyPools: boolean;
  wakeOnDeploy: boolean;
  waitMs: number;
  mountPath?: string;
  bundleType?: string;
  imageTriggerPaths: string[];
  bundleTriggerPaths: string[];
  skipUnchanged: boolean;
  checkout: boolean;
  checkoutSubmodules: false | true | 'recursive';
  noDagsBaseDir: boolean;
  /** The named DAG bundle the DAGs go to (Airflow 3); undefined: the default bundle. */
  dagBundleName?: string;
  /**
   * Cone-mode sparse-checkout folders (repository-relative, normalized) for the action's own
   * clone; [] = the whole work tree.
   */
  sparseCheckout: string[];
  dryRun: boolean;
  /** For `action: rollback` (default: the deploy before the live one). */
  rollbackTo: RollbackTo;
  previewOverrides: Record<string, unknown>;
  githubToken?: string;
  prComment: boolean;
  /** Record each deploy and preview as a GitHub deployment (`github-deployments`). */
  githubDeployments: boolean;
  apiUrl: string;
  token: string;
  /** Absolute path of the repository checkout (GITHUB_WORKSPACE, else the current directory). */
  checkoutDir: string;
  /** Notices about compatibility inputs that have no effect. */
  notices: string[];
}
