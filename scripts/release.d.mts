// Types of scripts/release.mjs for the unit tests.
export class ReleaseError extends Error {}
export interface ReleaseTag {
  tag: string;
  version: string;
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}
export function parseTag(tag: string): ReleaseTag;
export function checkTag(tag: string, packageVersion: string): ReleaseTag;
export function changelogSection(
  changelog: string,
  version: string,
): { heading: string; date: string; body: string };
export function majorTag(
  tag: string,
  existingTags?: string[],
): { major: string; move: boolean; reason: string };
