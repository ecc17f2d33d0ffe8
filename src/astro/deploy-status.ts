// Whether a deploy was finalized, from the deploy alone. DEPLOYED says so; but Astro may keep a
// finalized deploy INITIALIZED until its rollout ends (ASTRO-API.md C5 leaves it open; the
// emulator's `deployStatusAt`), so an INITIALIZED deploy counts too when it carries a version
// only a finalize sets: its own dagTarballVersion (sent in the finalize body) or a bundle's
// desiredVersion. A FAILED deploy puts nothing live.
import type { Deploy } from './types.js';

export function finalizedShows(d: Deploy): boolean {
  if (d.status === 'DEPLOYED') return true;
  return (
    d.status === 'INITIALIZED' &&
    (Boolean(d.dagTarballVersion) || (d.bundles ?? []).some((b) => b.desiredVersion))
  );
}
