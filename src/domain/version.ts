// Calendar versions: a release is YEAR.MONTH.PATCH (2026.4.0), an RC is YEAR.MONTH.PATCH-rc.N
// (2026.4.0-rc.3). Parsers return values, never throw, and say what the expected form looks like.

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export interface ReleaseVersion {
  /** Normalised, e.g. "2026.4.0" for "2026.04.0". */
  readonly release: string;
}

export interface RcVersion {
  readonly release: string;
  readonly rc: number;
}

/** An RC named either short (`rc.3`, only meaningful inside a release thread) or in full. */
export interface RcRef {
  readonly rc: number;
  /** Present only when the full version was written. */
  readonly release?: string;
}

const RELEASE_FORM = 'YEAR.MONTH.PATCH, for example 2026.4.0';
const RC_FORM = 'YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3';
const MAX_PATCH = 999;
const MAX_RC = 999;

// Loose on purpose (leading zeros, `rc3`, `RC.3`): ranges are checked afterwards so the reason can be precise.
const RELEASE_PATTERN = /^(\d{4})\.(\d{1,2})\.(\d{1,3})$/;
const RC_PATTERN = /^(\d{4})\.(\d{1,2})\.(\d{1,3})-rc\.?(\d{1,3})$/i;
const RC_SHORT_PATTERN = /^rc\.?(\d{1,3})$/i;

export function parseReleaseVersion(text: string): Parsed<ReleaseVersion> {
  const input = text.trim();
  if (input === '') return fail(`No release version given. Write it as ${RELEASE_FORM}.`);
  const match = RELEASE_PATTERN.exec(input);
  if (!match) {
    const asRc = RC_PATTERN.exec(input);
    if (asRc) {
      return fail(`${quote(input)} is an RC, not a release version. The release is ${asRc[1]}.${Number(asRc[2])}.${Number(asRc[3])}.`);
    }
    return fail(`${quote(input)} is not a release version. Write it as ${RELEASE_FORM}.`);
  }
  const problem = rangeProblem(match[1], match[2], match[3]);
  if (problem) return fail(`${quote(input)} is not a release version: ${problem}. Write it as ${RELEASE_FORM}.`);
  return { ok: true, value: { release: joinRelease(match[1], match[2], match[3]) } };
}

export function parseRcVersion(text: string): Parsed<RcVersion> {
  const input = text.trim();
  if (input === '') return fail(`No RC version given. Write it as ${RC_FORM}.`);
  const match = RC_PATTERN.exec(input);
  if (!match) {
    if (RELEASE_PATTERN.test(input)) {
      return fail(`${quote(input)} is a release version, not an RC. Write the RC as YEAR.MONTH.PATCH-rc.N, for example ${input}-rc.1.`);
    }
    return fail(`${quote(input)} is not an RC version. Write it as ${RC_FORM}.`);
  }
  const problem = rangeProblem(match[1], match[2], match[3]) ?? rcProblem(match[4]);
  if (problem) return fail(`${quote(input)} is not an RC version: ${problem}. Write it as ${RC_FORM}.`);
  return { ok: true, value: { release: joinRelease(match[1], match[2], match[3]), rc: Number(match[4]) } };
}

/** `rc.3`, `rc3`, `RC.3` (inside a release thread) or a full RC version (anywhere). */
export function parseRcRef(text: string): Parsed<RcRef> {
  const input = text.trim();
  const short = RC_SHORT_PATTERN.exec(input);
  if (short) {
    const problem = rcProblem(short[1]);
    if (problem) return fail(`${quote(input)} is not an RC: ${problem}.`);
    return { ok: true, value: { rc: Number(short[1]) } };
  }
  if (RC_PATTERN.test(input)) return parseRcVersion(input);
  return fail(
    `${input === '' ? 'No RC given' : `${quote(input)} does not name an RC`}. Write rc.N inside the release thread (for example rc.3), ` +
      `or the full version anywhere (for example 2026.4.0-rc.3).`,
  );
}

export function formatRc(release: string, rc: number): string {
  return `${release}-${rcLabel(rc)}`;
}

export function rcLabel(rc: number): string {
  return `rc.${rc}`;
}

/** The release a hotfix of `release` would be: 2026.4.0 → 2026.4.1. Undefined if `release` doesn't parse. */
export function nextPatchRelease(release: string): string | undefined {
  const match = RELEASE_PATTERN.exec(release.trim());
  if (!match || rangeProblem(match[1], match[2], match[3]) || Number(match[3]) >= MAX_PATCH) return undefined;
  return joinRelease(match[1], match[2], String(Number(match[3]) + 1));
}

function rangeProblem(year: string, month: string, patch: string): string | undefined {
  if (Number(year) < 2000 || Number(year) > 2999) return `the year must be between 2000 and 2999`;
  if (Number(month) < 1 || Number(month) > 12) return `the month must be 1 to 12`;
  if (Number(patch) > MAX_PATCH) return `the patch must be 0 to ${MAX_PATCH}`;
  return undefined;
}

function rcProblem(rc: string): string | undefined {
  const n = Number(rc);
  if (n < 1 || n > MAX_RC) return `RC numbers run from rc.1 to rc.${MAX_RC}`;
  return undefined;
}

function joinRelease(year: string, month: string, patch: string): string {
  return `${Number(year)}.${Number(month)}.${Number(patch)}`;
}

function quote(input: string): string {
  const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
  return `\`${shown}\``;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
