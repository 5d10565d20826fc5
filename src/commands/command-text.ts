// Small text helpers every command parser shares: words, punctuation, quoting in replies.

/** A word of the input and where it sits, so what follows it keeps its own line breaks. */
export interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export function wordsOf(text: string): Word[] {
  return [...text.matchAll(/\S+/g)].map((match) => ({ text: match[0], start: match.index, end: match.index + match[0].length }));
}

/** The text after the word at `index` (or all of it for -1), without the spaces in between. */
export function textAfter(text: string, words: readonly Word[], index: number): string {
  if (index < 0) return text.replace(/^\s+/, '');
  if (index >= words.length - 1) return '';
  return text.slice(words[index].end).replace(/^\s+/, '');
}

export function splitFirst(text: string): { head: string; tail: string } {
  const trimmed = text.replace(/^\s+/, '');
  const space = trimmed.search(/\s/);
  if (space < 0) return { head: trimmed, tail: '' };
  return { head: trimmed.slice(0, space), tail: trimmed.slice(space).replace(/^\s+/, '') };
}

export function stripTrailingPunctuation(token: string): string {
  return token.replace(/[.,;:!?]+$/, '');
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
