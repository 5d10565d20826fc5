import { Refusal, RefusalCode } from './types';

// Small pieces both state machines (release.ts, deployment.ts) use to say "no" and to word it.

/** A rule check: a refusal, or undefined when the rule is satisfied. */
export type Check = () => Refusal | undefined;

export function refuse(code: RefusalCode, reason: string, hint?: string): Refusal {
  return hint === undefined ? { kind: 'refusal', code, reason } : { kind: 'refusal', code, reason, hint };
}

export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'refusal';
}

/** The first check that refuses, in order: the order is the order of the reasons people read. */
export function firstRefusal(...checks: readonly Check[]): Refusal | undefined {
  for (const check of checks) {
    const refusal = check();
    if (refusal) return refusal;
  }
  return undefined;
}

/** "Luis, Rafaella and Steven". */
export function listOf(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

export function quoteText(text: string | undefined): string {
  return `“${(text ?? '').trim()}”`;
}

export function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/** The text trimmed, or undefined when there is none. */
export function present(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed ? trimmed : undefined;
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
