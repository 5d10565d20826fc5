// Reading a rendered card the way a person sees it: its texts and its buttons.

type Json = Record<string, unknown>;

/** Every object in the card, depth first. */
export function nodes(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(nodes)];
}

/** The visible texts: TextBlocks, and RichTextBlocks joined from their runs. */
export function texts(value: unknown): string[] {
  return nodes(value).flatMap((n) => {
    if (n.type === 'TextBlock') return [String(n.text)];
    if (n.type === 'RichTextBlock') return [(n.inlines as Json[]).map((run) => String(run.text)).join('')];
    return [];
  });
}

export function byId(card: unknown, id: string): Json {
  const found = nodes(card).filter((n) => n.id === id);
  if (found.length !== 1) throw new Error(`expected one element with id "${id}", found ${found.length}`);
  return found[0]!;
}

/** Every button, including those inside an Action.ShowCard's card (not the card's `refresh`, which nobody sees). */
export function actions(card: unknown): Json[] {
  const shown = typeof card === 'object' && card !== null && 'refresh' in card ? { ...(card as Json), refresh: undefined } : card;
  return nodes(shown).filter((n) => typeof n.type === 'string' && n.type.startsWith('Action.'));
}

export function actionTitles(card: unknown): string[] {
  return actions(card).map((a) => String(a.title));
}

/** Every string in the card, for "no ${ left" checks. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allStrings);
  return [];
}

export function expectNoTemplateLeft(card: unknown): void {
  const left = allStrings(card).filter((s) => s.includes('${') || s.includes('$data') || s.includes('$when'));
  expect(left).toEqual([]);
  const keys = nodes(card).flatMap((n) => Object.keys(n)).filter((k) => k.startsWith('$') && k !== '$schema');
  expect(keys).toEqual([]);
}
