import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as ACData from 'adaptivecards-templating';
import { BotError } from '../errors';
import { CARD_NAMES, CardDataMap, CardName } from './card-data';

// One JSON template per card in `cards/`, expanded with adaptivecards-templating. The templates are
// read and parsed as JSON when the renderer is created, so a missing or broken file fails at start.
// Compiling a template (its expressions, through adaptive-expressions' ANTLR parser) and loading
// the templating library itself take longer than the rest of start-up together, so each template
// is compiled once, on its first render — or by `compileAll`, which the server runs in the
// background once it is listening.

/** An expanded Adaptive Card, ready to be an attachment's content. */
export interface AdaptiveCardJson {
  readonly type: 'AdaptiveCard';
  readonly version: string;
  readonly body?: readonly unknown[];
  readonly actions?: readonly unknown[];
  readonly [property: string]: unknown;
}

export interface CardAttachment {
  readonly contentType: 'application/vnd.microsoft.card.adaptive';
  readonly content: AdaptiveCardJson;
}

export type CardRenderer = <K extends CardName>(name: K, data: CardDataMap[K]) => AdaptiveCardJson;

export interface CompilingCardRenderer extends CardRenderer {
  /** Compiles every template not compiled yet, yielding to other work between templates; stops when `signal` aborts. */
  compileAll(signal?: AbortSignal): Promise<void>;
}

/** `cards/` at the repository root, whether running from `src/` (ts-node, jest) or `dist/src/`. */
export function defaultCardsDir(): string {
  const candidates = [path.resolve(__dirname, '../../cards'), path.resolve(__dirname, '../../../cards')];
  return candidates.find((dir) => existsSync(path.join(dir, 'rc.json'))) ?? candidates[0]!;
}

/** Creates the card renderer: `render('rc', rcCardData(...))`. */
export function createCardRenderer(cardsDir: string = defaultCardsDir()): CompilingCardRenderer {
  const sources: ReadonlyMap<CardName, unknown> = new Map(CARD_NAMES.map((name) => [name, readTemplate(cardsDir, name)] as const));
  const compiled = new Map<CardName, ACData.Template>();
  const templateOf = (name: CardName): ACData.Template => {
    let template = compiled.get(name);
    if (!template) {
      if (!sources.has(name)) throw new BotError('invalid', `There is no card template named "${name}"`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Template } = require('adaptivecards-templating') as typeof ACData;
      template = new Template(sources.get(name));
      compiled.set(name, template);
    }
    return template;
  };

  const render = <K extends CardName>(name: K, data: CardDataMap[K]): AdaptiveCardJson => {
    const card: unknown = templateOf(name).expand({ $root: data });
    if (!isAdaptiveCard(card)) throw new BotError('invalid', `cards/${name}.json did not expand to an AdaptiveCard`);
    const unresolved = JSON.stringify(card).includes('${') ? unresolvedBindings(card, data) : [];
    if (unresolved.length > 0) {
      // A binding to a field the data lacks stays as literal "${field}" text; never post that.
      throw new BotError('invalid', `cards/${name}.json left bindings unresolved: ${unresolved.join(', ')}`);
    }
    // A `refresh` whose $when is false expands to null, which no host accepts: leave it out.
    if ((card as { refresh?: unknown }).refresh === null) delete (card as { refresh?: unknown }).refresh;
    return asTeamsMarkdown(card) as AdaptiveCardJson;
  };
  return Object.assign(render, {
    async compileAll(signal?: AbortSignal) {
      for (const name of CARD_NAMES) {
        if (signal?.aborted) return;
        if (compiled.has(name)) continue;
        templateOf(name);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  });
}

/**
 * Teams reads TextBlock and FactSet text as markdown: it drops anything that looks like an HTML tag
 * (`<rc>`, `<notes>` in a usage line or a reason someone typed) and joins lines split by a single
 * line break. So `<` and `>` go out as entities (Teams shows `&lt;rc&gt;` as `<rc>`), except in the
 * `<at>…</at>` of a mention, and a single line break becomes a paragraph break. RichTextBlock runs
 * are plain text and are left alone.
 */
function asTeamsMarkdown(node: unknown): unknown {
  // The card is fresh from expand(): rewritten in place, touching only the strings that need it.
  if (Array.isArray(node)) {
    for (const item of node) asTeamsMarkdown(item);
    return node;
  }
  if (typeof node !== 'object' || node === null) return node;
  const element = node as Record<string, unknown>;
  if (element.type === 'TextBlock' && typeof element.text === 'string') element.text = teamsMarkdown(element.text);
  if (element.type === 'FactSet' && Array.isArray(element.facts)) {
    for (const fact of element.facts as Record<string, unknown>[]) {
      if (typeof fact.title === 'string') fact.title = teamsMarkdown(fact.title);
      if (typeof fact.value === 'string') fact.value = teamsMarkdown(fact.value);
    }
  }
  for (const value of Object.values(element)) if (typeof value === 'object' && value !== null) asTeamsMarkdown(value);
  return node;
}

const MENTION_TAG = /^<\/?at>$/i;
const NEEDS_ESCAPE = /[<>\n]/;

/** Text as Teams' card markdown shows it verbatim: angle brackets escaped, every line its own paragraph. */
export function teamsMarkdown(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text
    .replace(/<\/?at>|[<>]/gi, (found) => (MENTION_TAG.test(found) ? found : found === '<' ? '&lt;' : '&gt;'))
    .replace(/\n+/g, (breaks) => (breaks.length === 1 ? '\n\n' : breaks));
}

export function cardAttachment(card: AdaptiveCardJson): CardAttachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}

function readTemplate(cardsDir: string, name: CardName): unknown {
  const file = path.join(cardsDir, `${name}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BotError('invalid', `Can't load the card template ${file}: ${(error as Error).message}`, error);
  }
}

function isAdaptiveCard(value: unknown): value is AdaptiveCardJson {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'AdaptiveCard';
}

/** `${...}` left in the card's strings, not counting any that came verbatim from the data. */
function unresolvedBindings(card: unknown, data: unknown): string[] {
  const fromData = strings(data)
    .filter((s) => s.includes('${'))
    .sort((a, b) => b.length - a.length);
  return strings(card)
    .map((s) => fromData.reduce((rest, d) => rest.split(d).join(''), s))
    .flatMap((rest) => rest.match(/\$\{[^}]*\}?/g) ?? []);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}
