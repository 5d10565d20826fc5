import type { RcContents } from '../domain/types';

// What goes on an RC card when the RC is cut from GitHub: the release body's own sections
// (`## Features`, `## Fixes`, `## Known issues`) when it has them, else the pull requests merged
// since the previous release tag, sorted into features and fixes by their labels. Pure and linear in
// the size of the body or the list.

export interface PullRequestSummary {
  readonly number: number;
  readonly title: string;
  readonly labels: readonly string[];
}

export interface ContentLabels {
  readonly features: readonly string[];
  readonly fixes: readonly string[];
  readonly hotfix: string;
}

export type ListedContents = Pick<RcContents, 'features' | 'fixes' | 'knownIssues'>;

/** An RC card stays readable (and under Teams' card size) with this many items a list; the rest are counted. */
export const MAX_ITEMS = 25;
const MAX_ITEM_LENGTH = 300;

type Section = 'features' | 'fixes' | 'knownIssues';

const HEADING = /^ {0,3}#{1,6}[ \t]+(.*)$/;
const BULLET = /^\s*(?:[-*+]|\d{1,3}[.)])\s+/;
const NONE_ITEM = /^(?:none|n\/a|nothing|-)\.?$/i;

function sectionOf(title: string): Section | undefined {
  const words = title.toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (/^(?:new )?features?$|^what s new$|^enhancements?$/.test(words)) return 'features';
  if (/^(?:bug )?fix(?:es)?$|^fixed$|^bug fixes$/.test(words)) return 'fixes';
  if (/^known issues?$|^known problems?$/.test(words)) return 'knownIssues';
  return undefined;
}

/**
 * The body's Features / Fixes / Known issues sections, bullet by bullet; undefined when the body has
 * none of them (the caller then reads the pull requests). Other sections are left out.
 */
export function releaseBodySections(body: string | null | undefined): ListedContents | undefined {
  if (!body) return undefined;
  const lists: Record<Section, string[]> = { features: [], fixes: [], knownIssues: [] };
  let current: Section | undefined;
  let found = false;
  let inComment = false;
  for (const raw of body.split(/\r?\n/)) {
    let line = raw;
    if (inComment) {
      const end = line.indexOf('-->');
      if (end < 0) continue;
      inComment = false;
      line = line.slice(end + 3);
    }
    const open = line.indexOf('<!--');
    if (open >= 0) {
      const close = line.indexOf('-->', open);
      if (close < 0) inComment = true;
      line = line.slice(0, open) + (close < 0 ? '' : line.slice(close + 3));
    }
    const heading = HEADING.exec(line);
    if (heading) {
      current = sectionOf(trimClosingHashes(heading[1] ?? ''));
      found ||= current !== undefined;
      continue;
    }
    if (!current) continue;
    const item = clip(line.replace(BULLET, '').trim());
    if (item !== '' && !NONE_ITEM.test(item)) lists[current].push(item);
  }
  if (!found) return undefined;
  return { features: capItems(lists.features), fixes: capItems(lists.fixes), knownIssues: capItems(lists.knownIssues) };
}

/**
 * Pull requests as RC contents: a fix label makes a fix, anything else (a feature label or none) a
 * feature, so nothing merged is left off the card. Each item is "Title (#123)".
 */
export function contentsFromPullRequests(pulls: readonly PullRequestSummary[], labels: ContentLabels): ListedContents {
  const fixLabels = new Set(labels.fixes.map((l) => l.toLowerCase()));
  const features: string[] = [];
  const fixes: string[] = [];
  for (const pull of [...pulls].sort((a, b) => a.number - b.number)) {
    const item = `${clip(pull.title.trim())} (#${pull.number})`;
    const isFix = pull.labels.some((label) => fixLabels.has(label.toLowerCase()));
    (isFix ? fixes : features).push(item);
  }
  return { features: capItems(features), fixes: capItems(fixes), knownIssues: [] };
}

/** A `hotfix` label on any pull request of the RC. */
export function hasHotfixLabel(pulls: readonly PullRequestSummary[], labels: ContentLabels): boolean {
  const hotfix = labels.hotfix.toLowerCase();
  return pulls.some((pull) => pull.labels.some((label) => label.toLowerCase() === hotfix));
}

/** "hotfix" as a word in a release's name or a tagged commit's message. */
export function mentionsHotfix(text: string | null | undefined): boolean {
  return /\bhot-?fix\b/i.test(text ?? '');
}

export function capItems(items: readonly string[], max = MAX_ITEMS): string[] {
  if (items.length <= max) return [...items];
  return [...items.slice(0, max - 1), `… and ${items.length - max + 1} more (see the release notes)`];
}

/** "Features ##  " → "Features", by hand: a regex for trailing runs backtracks quadratically on long lines. */
function trimClosingHashes(title: string): string {
  let end = title.length;
  while (end > 0 && ' \t#'.includes(title[end - 1]!)) end -= 1;
  return title.slice(0, end);
}

function clip(text: string): string {
  return text.length <= MAX_ITEM_LENGTH ? text : `${text.slice(0, MAX_ITEM_LENGTH - 1)}…`;
}
