// Which mode a run performs (the four classic ones, `rollback` or `cleanup-previews`);
// `action: preview` picks one from the event.
import type { ActionMode } from './settings-types.js';
import { describeTrigger, type Trigger } from './trigger.js';

export type Mode = Exclude<ActionMode, 'preview'>;

/** `action: preview` picks the preview step from the event. */
export function resolveMode(action: ActionMode, trigger: Trigger): Mode {
  if (action !== 'preview') return action;
  if (trigger.kind === 'pull_request') {
    if (trigger.action === 'closed') return 'delete-deployment-preview';
    if (['opened', 'reopened', 'synchronize', 'ready_for_review'].includes(trigger.action))
      return 'deploy-deployment-preview';
    throw new Error(
      `action 'preview' does nothing for pull_request '${trigger.action}' events; run it on opened, reopened, synchronize, ready_for_review and closed.`,
    );
  }
  if (trigger.kind === 'create' && trigger.refType === 'branch') return 'create-deployment-preview';
  if (trigger.kind === 'delete' && trigger.refType === 'branch') return 'delete-deployment-preview';
  throw new Error(
    `action 'preview' follows pull_request events and branch create/delete events, not ${describeTrigger(trigger)}; use action 'deploy' or one of the explicit preview actions for this workflow.`,
  );
}
