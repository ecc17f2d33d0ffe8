// GitHub Marketplace metadata of action.yml: a name of our own (not Astronomer's action's), a
// description the Marketplace shows whole (at most 125 characters), an author, and a branding
// badge from GitHub's allowed sets (the Feather icons and colors of GitHub's metadata syntax,
// as the action-validator schema lists them).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** Feather icons GitHub accepts for `branding.icon`. */
const ICONS = new Set(
  'activity airplay alert-circle alert-octagon alert-triangle align-center align-justify align-left align-right anchor aperture archive arrow-down-circle arrow-down-left arrow-down-right arrow-down arrow-left-circle arrow-left arrow-right-circle arrow-right arrow-up-circle arrow-up-left arrow-up-right arrow-up at-sign award bar-chart-2 bar-chart battery-charging battery bell-off bell bluetooth bold book-open book bookmark box briefcase calendar camera-off camera cast check-circle check-square check chevron-down chevron-left chevron-right chevron-up chevrons-down chevrons-left chevrons-right chevrons-up circle clipboard clock cloud-drizzle cloud-lightning cloud-off cloud-rain cloud-snow cloud code command compass copy corner-down-left corner-down-right corner-left-down corner-left-up corner-right-down corner-right-up corner-up-left corner-up-right cpu credit-card crop crosshair database delete disc dollar-sign download-cloud download droplet edit-2 edit-3 edit external-link eye-off eye facebook fast-forward feather file-minus file-plus file-text file film filter flag folder-minus folder-plus folder gift git-branch git-commit git-merge git-pull-request globe grid hard-drive hash headphones heart help-circle home image inbox info italic layers layout life-buoy link-2 link list loader lock log-in log-out mail map-pin map maximize-2 maximize menu message-circle message-square mic-off mic minimize-2 minimize minus-circle minus-square minus monitor moon more-horizontal more-vertical move music navigation-2 navigation octagon package paperclip pause-circle pause percent phone-call phone-forwarded phone-incoming phone-missed phone-off phone-outgoing phone pie-chart play-circle play plus-circle plus-square plus pocket power printer radio refresh-ccw refresh-cw repeat rewind rotate-ccw rotate-cw rss save scissors search send server settings share-2 share shield-off shield shopping-bag shopping-cart shuffle sidebar skip-back skip-forward slash sliders smartphone speaker square star stop-circle sun sunrise sunset tablet tag target terminal thermometer thumbs-down thumbs-up toggle-left toggle-right trash-2 trash trending-down trending-up triangle truck tv type umbrella underline unlock upload-cloud upload user-check user-minus user-plus user-x user users video-off video voicemail volume-1 volume-2 volume-x volume watch wifi-off wifi wind x-circle x-square x zap-off zap zoom-in zoom-out'.split(
    ' ',
  ),
);
/** Colors GitHub accepts for `branding.color`. */
const COLORS = new Set([
  'white',
  'yellow',
  'blue',
  'green',
  'orange',
  'red',
  'purple',
  'gray-dark',
]);

interface Metadata {
  name?: unknown;
  description?: unknown;
  author?: unknown;
  branding?: { icon?: unknown; color?: unknown };
}

/** Why the metadata cannot be published on the Marketplace, one line per problem. */
export function marketplaceProblems(a: Metadata): string[] {
  const problems: string[] = [];
  const name = typeof a.name === 'string' ? a.name.trim() : '';
  if (!name) problems.push('name is missing');
  else {
    if (
      [
        'deploy apache airflow dags to astro',
        'deploy to astro',
        'astronomer deploy action',
      ].includes(name.toLowerCase())
    )
      problems.push(`name '${name}' is Astronomer's action's name`);
    if (/^github\b/i.test(name)) problems.push(`name '${name}' starts with GitHub`);
  }
  const description = typeof a.description === 'string' ? a.description.trim() : '';
  if (!description) problems.push('description is missing');
  else if (description.length > 125)
    problems.push(`description has ${description.length} characters (at most 125)`);
  if (typeof a.author !== 'string' || !a.author.trim()) problems.push('author is missing');
  if (!a.branding) problems.push('branding is missing');
  else {
    if (!ICONS.has(String(a.branding.icon)))
      problems.push(`branding.icon '${String(a.branding.icon)}' is not an allowed Feather icon`);
    if (!COLORS.has(String(a.branding.color)))
      problems.push(`branding.color '${String(a.branding.color)}' is not an allowed color`);
  }
  return problems;
}

const good: Metadata = {
  name: 'Astro Deploy (state-aware)',
  description: 'Deploy Airflow to Astro.',
  author: 'someone',
  branding: { icon: 'upload-cloud', color: 'purple' },
};

describe('Marketplace metadata rules', () => {
  test.each<[string, Metadata, RegExp | null]>([
    ['valid', good, null],
    ['125 characters', { ...good, description: 'x'.repeat(125) }, null],
    ['126 characters', { ...good, description: 'x'.repeat(126) }, /126 characters \(at most 125\)/],
    ['no description', { ...good, description: undefined }, /description is missing/],
    ['no name', { ...good, name: ' ' }, /name is missing/],
    ["Astronomer's name", { ...good, name: 'Deploy Apache Airflow DAGs to Astro' }, /Astronomer/],
    ['GitHub name', { ...good, name: 'GitHub Astro Deploy' }, /starts with GitHub/],
    ['no author', { ...good, author: '' }, /author is missing/],
    ['no branding', { ...good, branding: undefined }, /branding is missing/],
    ['brand icon', { ...good, branding: { icon: 'github', color: 'purple' } }, /icon 'github'/],
    ['omitted icon', { ...good, branding: { icon: 'coffee', color: 'blue' } }, /icon 'coffee'/],
    ['hex color', { ...good, branding: { icon: 'cloud', color: '#800080' } }, /color '#800080'/],
  ])('%s', (_label, metadata, problem) => {
    const problems = marketplaceProblems(metadata);
    if (problem) expect(problems.join('\n')).toMatch(problem);
    else expect(problems).toEqual([]);
  });
});

test('action.yml can be published on the Marketplace', () => {
  const action = parse(fs.readFileSync(path.join(process.cwd(), 'action.yml'), 'utf8'));
  expect(marketplaceProblems(action)).toEqual([]);
});
