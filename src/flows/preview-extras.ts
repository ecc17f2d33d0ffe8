// What a preview gets besides its deploy: the base's Airflow objects (the pull request
// comment is github-record.ts's).
import { createAirflowClient } from '../astro/airflow.js';
import type { Deployment } from '../astro/types.js';
import { copyAirflowObjects } from '../preview/copy.js';
import { cell } from '../report/markdown.js';
import { step, type Parts } from './parts.js';

/** Copy the base's connections, variables and pools; the summary rows of what was (not) copied. */
export async function copyObjects(
  p: Parts,
  base: Deployment,
  preview: Deployment,
  copied: { connectionsWithoutPassword: string[] },
): Promise<[string, string][]> {
  const { settings, log } = p;
  if (!settings.copyConnections && !settings.copyVariables && !settings.copyPools) return [];
  return step(p, 'Copy Airflow objects', async () => {
    const client = (d: Deployment) =>
      createAirflowClient({ apiUrl: d.webServerAirflowApiUrl, token: settings.token, log });
    const from = client(base);
    const to = client(preview);
    // Only ever a preview that has not taken a deploy yet: its Airflow API may still answer
    // 404 for a while after it turned HEALTHY. (The base's 404 stays an error.)
    await to.waitUntilServing({ timeoutMs: settings.waitMs, name: preview.name });
    const counts = await copyAirflowObjects({
      from,
      to,
      connections: settings.copyConnections,
      variables: settings.copyVariables,
      pools: settings.copyPools,
      log,
    });
    const fmt = (c: { created: number; updated: number }) =>
      `${c.created} created, ${c.updated} updated`;
    const rows: [string, string][] = [];
    if (settings.copyConnections) rows.push(['Connections copied', fmt(counts.connections)]);
    if (settings.copyVariables) rows.push(['Variables copied', fmt(counts.variables)]);
    if (settings.copyPools) rows.push(['Pools copied', fmt(counts.pools)]);
    copied.connectionsWithoutPassword = counts.connectionsWithoutPassword;
    const notCopied: [string, string[]][] = [
      ['Variables with masked values (not copied)', counts.variablesMasked],
      ['Connections with masked extra keys (left out)', counts.connectionsWithMaskedExtra],
      ['Connections copied without extra (not readable)', counts.connectionsWithoutExtra],
      ["Already on the preview, left as is ('/' in the name)", counts.leftAsIs],
      ["Connections Airflow 3's API refuses (id)", counts.connectionIdsRefused],
    ];
    // A preview missing objects is not finished: a later run reuses it and copies nothing.
    if (counts.failures.length) {
      throw new Error(
        `${counts.failures.length} Airflow object(s) could not be copied from ${base.name} to ${preview.name}, so nothing was deployed: ${counts.failures.join('; ')} ` +
          `Set them on ${preview.name} by hand, or delete the preview (action: delete-deployment-preview) and run again to copy everything.`,
      );
    }
    // (copyAirflowObjects has already warned about each of these in the log.)
    for (const [label, items] of notCopied) {
      if (items.length) rows.push([label, cell(items.join('; '))]);
    }
    if (counts.connectionsWithoutPassword.length) {
      const ids = counts.connectionsWithoutPassword.join(', ');
      rows.push(['Connections needing a password', cell(ids)]);
    }
    return rows;
  });
}
