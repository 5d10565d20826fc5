// Small text helpers every command parser shares: words, punctuation, quoting in replies.

/** A word of the input and where it sits, so what follows it keeps its own line breaks. */
export interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/**
 * The words of `text` (what /\S+/g matches), at most `limit` of them: a reader that looks at the
 * first few words of a long text stops there instead of cutting all of it into words.
 */
export function wordsOf(text: string, limit = Infinity): Word[] {
  const words: Word[] = [];
  let start = -1;
  for (let i = 0; i < text.length && words.length < limit; i++) {
    if (isSpaceCode(text.charCodeAt(i))) {
      if (start >= 0) words.push({ text: text.slice(start, i), start, end: i });
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0 && words.length < limit) words.push({ text: text.slice(start), start, end: text.length });
  return words;
}

/** The text after the word at `index` (or all of it for -1), without the spaces in between. `words` may be the first few only. */
export function textAfter(text: string, words: readonly Word[], index: number): string {
  if (index < 0) return text.replace(/^\s+/, '');
  if (index >= words.length) return '';
  return text.slice(words[index].end).replace(/^\s+/, '');
}

export function splitFirst(text: string): { head: string; tail: string } {
  const trimmed = text.replace(/^\s+/, '');
  const space = trimmed.search(/\s/);
  if (space < 0) return { head: trimmed, tail: '' };
  return { head: trimmed.slice(0, space), tail: trimmed.slice(space).replace(/^\s+/, '') };
}

/** Sentence punctuation a word may carry that is not part of it: `rc.3.`, `approve,`. */
export const TRAILING_PUNCTUATION = '.,;:!?';

export function stripTrailingPunctuation(token: string): string {
  return trimEndChars(token, TRAILING_PUNCTUATION);
}

// Runs at the end of a text are cut by scanning back from the end, never with /[…]+$/: a backtracking
// engine retries that pattern from every character of a run that does not end the text, which is
// quadratic in the run's length (`a` + 80,000 dots + `b` took 13.5 s).

/** `text` without the run of any of `chars` (single UTF-16 units) at its end. */
export function trimEndChars(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1])) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without the run of characters at its end for which `isTrimmed` holds. */
export function trimEndWhere(text: string, isTrimmed: (char: string) => boolean): string {
  let end = text.length;
  while (end > 0 && isTrimmed(text[end - 1])) end -= 1;
  return end === text.length ? text : text.slice(0, end);
}

/** What /\s/ matches, for one character. */
export function isSpace(char: string): boolean {
  return char.length === 1 && isSpaceCode(char.charCodeAt(0));
}

/** What /\s/ matches (ECMAScript WhiteSpace and LineTerminator), by UTF-16 code. */
function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/** Someone's text shown back in a reply: one line, backticked, at most 40 characters. */
export function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/`/g, "'");
  return `\`${flat.length > 40 ? `${flat.slice(0, 40)}…` : flat}\``;
}

export function optional<K extends string, V>(key: K, value: V | undefined | ''): { [P in K]?: V } {
  return value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}
