// Astro Runtime versions: how they compare and which image deploys Astro refuses. Pure, so
// every rule is checked by a table test. The rules are the Astro CLI's (`cloud/deploy/deploy.go`
// ValidRuntimeVersion, `airflow_versions/runtime_versions.go`):
// - versions come in two formats: the old semver one (`12.9.0`, Airflow 2 and older) and the
//   new `<airflow major>.<airflow minor>-<patch>` one (`3.0-7`, Airflow 3); every new-format
//   version is newer than every old-format one; a version in neither format is older than
//   any valid one;
// - an image deploy is refused when its Runtime is older than the Deployment's (a downgrade:
//   only a rollback goes back), when the organization's deployment options do not list it,
//   and when it moves Airflow 2 to Airflow 3 from a Deployment below Runtime 12.0.0.

const NEW_FORMAT = /^(\d+)\.(\d+)-(\d+)(?:[.-](.+))?$/;
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface Parsed {
  newFormat: boolean;
  nums: [number, number, number];
  pre?: string;
}

function parse(version: string): Parsed | undefined {
  const v = version.trim().replace(/^v/, '');
  const n = NEW_FORMAT.exec(v);
  if (n) {
    // The new format's prerelease must itself be a valid semver prerelease.
    if (n[4] !== undefined && !/^[0-9A-Za-z.-]+$/.test(n[4])) return undefined;
    return { newFormat: true, nums: [+n[1], +n[2], +n[3]], pre: n[4] };
  }
  const s = SEMVER.exec(v);
  if (s) return { newFormat: false, nums: [+s[1], +s[2], +s[3]], pre: s[4] };
  return undefined;
}

function comparePre(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1; // a release is newer than its prereleases
  if (b === undefined) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn && +x !== +y) return +x - +y;
    if (xn !== yn) return xn ? -1 : 1;
    if (!xn && x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** < 0, 0, > 0 as Astro Runtime `a` is older than, the same as, newer than `b`. */
export function compareRuntime(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
  if (pa.newFormat !== pb.newFormat) return pa.newFormat ? 1 : -1;
  for (let i = 0; i < 3; i++) if (pa.nums[i] !== pb.nums[i]) return pa.nums[i] - pb.nums[i];
  return comparePre(pa.pre, pb.pre);
}

/** The Airflow major version an Astro Runtime version runs; undefined when it is not one. */
export function airflowMajor(runtime: string): number | undefined {
  const p = parse(runtime);
  if (!p) return undefined;
  return p.newFormat ? p.nums[0] : 2;
}

/**
 * The Airflow major a Deployment (or a deploy) runs: from its Astro Runtime, else from its
 * Airflow version.
 */
export function airflowMajorOf(x: {
  astroRuntimeVersion?: string;
  airflowVersion?: string;
}): number | undefined {
  const byRuntime = x.astroRuntimeVersion ? airflowMajor(x.astroRuntimeVersion) : undefined;
  const byAirflow = /^(\d+)\./.exec(x.airflowVersion ?? '')?.[1];
  return byRuntime ?? (byAirflow ? Number(byAirflow) : undefined);
}

export interface RuntimeCheck {
  /** The Runtime of the image to deploy (its io.astronomer.docker.runtime.version label). */
  image: string;
  /** The Deployment's current Runtime (empty for very old Deployments: not checked). */
  current: string;
  /** The Deployment's name, for the sentence. */
  deploymentName: string;
  /** Runtime versions the organization's deployment options list. */
  releases: string[];
}

/** One sentence when Astro would refuse this Runtime for the Deployment, else undefined. */
export function runtimeRefusal(c: RuntimeCheck): string | undefined {
  const { image, current, deploymentName: name } = c;
  if (!current) return undefined;
  if (compareRuntime(image, current) < 0) {
    return (
      `The image's Astro Runtime ${image} is older than the ${current} that ${name} runs, and Astro does not take a downgraded Runtime ` +
      `(only a rollback goes back); build FROM Astro Runtime ${current} or newer.`
    );
  }
  if (!c.releases.some((r) => compareRuntime(image, r) === 0)) {
    const shown = c.releases.slice(0, 12).join(', ') + (c.releases.length > 12 ? ', …' : '');
    return (
      `The image's Astro Runtime ${image} is not one the organization's deployment options list for ${name}, so Astro would not run it; ` +
      `build FROM a listed version${shown ? ` (${shown})` : ''}.`
    );
  }
  if (
    airflowMajor(current) === 2 &&
    airflowMajor(image) === 3 &&
    compareRuntime(current, '12.0.0') < 0
  ) {
    return (
      `The image's Astro Runtime ${image} moves ${name} from Airflow 2 to Airflow 3, which Astro allows only from Runtime 12.0.0 or newer, and ${name} runs ${current}; ` +
      'deploy an Astro Runtime 12 image (Airflow 2) first, then the Airflow 3 one.'
    );
  }
  return undefined;
}

/**
 * The Astro Runtime a Dockerfile builds FROM, when its final stage starts from an Astro
 * Runtime image with a plain version tag (`quay.io/astronomer/astro-runtime:12.9.0`,
 * `astrocrpublic.azurecr.io/runtime:3.0-7`, `-base` and `-python-X.Y` variants); undefined
 * when that cannot be told without building (an ARG, another base, a digest).
 */
export function runtimeFromDockerfile(text: string): string | undefined {
  const froms = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^from\s/i.test(l));
  const last = froms[froms.length - 1];
  if (!last) return undefined;
  const image = last
    .split(/\s+/)
    .slice(1)
    .find((w) => !w.startsWith('--'));
  if (!image || image.includes('$') || image.includes('@')) return undefined;
  const m = /(?:^|\/)(?:astro-)?runtime:([^/]+)$/.exec(image);
  if (!m) return undefined;
  const tag = m[1]
    .replace(/-base$/, '')
    .replace(/-python-\d+(?:\.\d+)*$/, '')
    .replace(/-base$/, '');
  return parse(tag) ? tag : undefined;
}
