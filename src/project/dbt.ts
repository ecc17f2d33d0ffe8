// The dbt project a dbt deploy ships, read from the checkout: its name and where Astro mounts
// it. Read by the decision (which bundle is live) and by the deploy (what to create).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ProjectError } from './check.js';

/**
 * The bundle a dbt deploy ships: at mount-path, else where the Astro CLI mounts a dbt project
 * (/usr/local/airflow/dbt/<its name>); typed bundle-type, else `dbt`. The project's name is
 * read only for the default mount path.
 */
export async function dbtBundle(
  projectDir: string,
  given: { mountPath?: string; bundleType?: string },
): Promise<{ mountPath: string; bundleType: string }> {
  return {
    mountPath: given.mountPath || `/usr/local/airflow/dbt/${await dbtProjectName(projectDir)}`,
    bundleType: given.bundleType || 'dbt',
  };
}

/** Name of the dbt project (dbt_project.yml `name`), or a clear error. */
export async function dbtProjectName(projectDir: string): Promise<string> {
  const file = path.join(projectDir, 'dbt_project.yml');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new ProjectError(
      `deploy-type dbt needs a dbt project, but ${projectDir} has no dbt_project.yml; point root-folder at the dbt project folder.`,
    );
  }
  let doc: unknown;
  try {
    // Loaded here, not at start-up: few runs read YAML (see settings.ts loadSettings, and why
    // `.default`).
    doc = (await import('yaml')).default.parse(text);
  } catch (e) {
    throw new ProjectError(
      `dbt_project.yml in ${projectDir} is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const name = (doc as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new ProjectError(
      `dbt_project.yml in ${projectDir} has no usable \`name\` (got ${JSON.stringify(name)}); set it, or give mount-path.`,
    );
  }
  return name;
}
