// Which flow a mode runs: the one place main.ts hands over to.
import type { Deployment } from '../astro/types.js';
import type { Mode } from '../inputs/mode.js';
import type { Outcome } from '../report/report.js';
import { cleanupFlow } from './cleanup.js';
import { deployFlow } from './deploy.js';
import type { Parts } from './parts.js';
import { previewFlow } from './preview.js';
import { rollbackFlow } from './rollback.js';

export function runFlow(mode: Mode, p: Parts, base: Deployment): Promise<Outcome> {
  switch (mode) {
    case 'deploy':
      return deployFlow(p, base);
    case 'rollback':
      return rollbackFlow(p, base);
    case 'cleanup-previews':
      return cleanupFlow(p, base);
    default:
      return previewFlow(mode, p, base);
  }
}
