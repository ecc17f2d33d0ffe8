// Stage 3 of a deploy: the DAG tarball (with Astronomer's monitoring DAG on Hybrid) or the
// bundle tarball, written before any deploy exists, so a bad folder never leaves an empty
// deploy behind.
import * as path from 'node:path';
import type { AstroApi, Deployment } from '../astro/types.js';
import { onHybrid } from '../astro/product.js';
import type { Log } from '../platform/log.js';
import { MONITORING_DAG_FILE, monitoringDag, needsMonitoringDag } from './monitoring-dag.js';
import type { Preflight } from './preflight.js';
import { DeployError, type DeployRequest } from './request.js';
import { dagTarballPrefix, writeTarball, type TarballResult } from './tarball.js';

/**
 * Does this Deployment's DAG tarball carry the monitoring DAG? Only a HYBRID Deployment of an
 * organization on Astro Hybrid.
 */
async function hybridMonitoring(api: AstroApi, d: Deployment, log: Log): Promise<boolean> {
  if (d.type !== 'HYBRID') return false;
  return needsMonitoringDag((await onHybrid(api, d, log)).product, d.type);
}

function monitoringDagFor(runtime: string, d: Deployment): string {
  const text = monitoringDag(runtime);
  if (text === undefined) {
    throw new DeployError(
      `${d.name} is an Astro Hybrid Deployment, whose DAG deploys must carry Astronomer's monitoring DAG, and Astro Runtime "${runtime}" names no Airflow 2 or 3 version to write it for; deploy an image built FROM a released Astro Runtime.`,
    );
  }
  return text;
}

interface PackOptions {
  api: AstroApi;
  log: Log;
  /** Our folder for the tarball. */
  work: string;
  /** The Runtime of the image that ships with it, if one does. */
  runtime?: string;
  warnings: string[];
}

/** The DAG tarball, for the Airflow the Deployment runs once this deploy is live. */
async function packDags(req: DeployRequest, o: PackOptions): Promise<TarballResult> {
  const d = req.deployment;
  // Hybrid: every DAG tarball carries Astronomer's monitoring DAG, as the CLI's do.
  const extraFiles = (await hybridMonitoring(o.api, d, o.log))
    ? [
        {
          name: MONITORING_DAG_FILE,
          content: monitoringDagFor(o.runtime ?? d.astroRuntimeVersion, d),
        },
      ]
    : [];
  const tarball = await writeTarball({
    dir: req.dagsDir,
    prefix: dagTarballPrefix(req.dagsDir, req.noDagsBaseDir),
    out: path.join(o.work, 'dags.tar.gz'),
    mtime: req.mtime,
    extraFiles,
  });
  o.log.info(
    `DAG tarball: ${tarball.files} files, ${tarball.bytes} bytes (sha256 ${tarball.sha256.slice(0, 12)})` +
      (extraFiles.length
        ? `, with Astronomer's ${MONITORING_DAG_FILE} (a Hybrid Deployment).`
        : '.'),
  );
  if (tarball.dagFiles === 0) {
    o.warnings.push(
      tarball.folderFiles === 0
        ? `The DAG folder ${req.dagsDir} is empty: this deploy removes every DAG from ${d.name}.`
        : `The DAG folder ${req.dagsDir} has no .py file (only ${tarball.folderFiles} other file(s), such as .airflowignore or __init__.py): this deploy removes every DAG from ${d.name}.`,
    );
  }
  return tarball;
}

async function packBundle(
  req: DeployRequest,
  mountPath: string | undefined,
  o: PackOptions,
): Promise<TarballResult> {
  const tarball = await writeTarball({
    dir: req.projectDir,
    prefix: '',
    out: path.join(o.work, 'bundle.tar.gz'),
    mtime: req.mtime,
  });
  o.log.info(
    `Bundle tarball: ${tarball.files} files, ${tarball.bytes} bytes (sha256 ${tarball.sha256.slice(0, 12)}).`,
  );
  if (tarball.files === 0)
    o.warnings.push(
      `The bundle folder ${req.projectDir} is empty: the bundle at ${mountPath} will be empty.`,
    );
  return tarball;
}

/** The tarball this deploy uploads, if it uploads one. */
export async function pack(
  req: DeployRequest,
  pre: Preflight,
  o: PackOptions,
): Promise<TarballResult | undefined> {
  const tarball = pre.shipsDags
    ? await packDags(req, o)
    : pre.isBundle
      ? await packBundle(req, pre.mountPath, o)
      : undefined;
  if (tarball?.skipped.length) {
    o.warnings.push(
      `Left out of the tarball (not files or symlinks): ${tarball.skipped.join(', ')}.`,
    );
  }
  return tarball;
}
