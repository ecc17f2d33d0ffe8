// Which flow a mode runs: the one place main.ts hands over to. Only the deploy flow is loaded
// at start-up; the others (and the Airflow and GitHub clients they bring) load when used.
import type { Deployment } from '../astro/types.js';
import type { Mode } from '../inputs/mode.js';
import type { Outcome } from '../report/report.js';
import { deployFlow } from './deploy.js';
import type { Parts } from './parts.js';

export async function runFlow(mode: Mode, p: Parts, base: Deployment): Promise<Outcome> {
  switch (mode) {
    case 'deploy':
      return deployFlow(p, base);
    case 'rollback':
      return (await import('./rollback.js')).rollbackFlow(p, base);
    case 'cleanup-previews':
      return (await import('./cleanup.js')).cleanupFlow(p, base);
    default:
      return (await import('./preview.js')).previewFlow(mode, p, base);
  }
}
