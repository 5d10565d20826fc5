// What a person reads of a card in Teams. Teams renders TextBlock (and FactSet) text as markdown: it
// drops anything shaped like an HTML tag, decodes entities, and joins lines split by one line break.
// RichTextBlock runs are plain text, and a line break inside a run collapses like any whitespace.

type Json = Record<string, unknown>;

/** The lines Teams shows for a TextBlock's markdown. */
export function shownByTeams(markdown: string): string[] {
  return markdown
    .split(/\n{2,}/)
    .map((paragraph) =>
      paragraph
        .replace(/\n/g, ' ')
        .replace(/<\/?[A-Za-z][^<>]*>/g, '')
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\*\*/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    );
}

function nodes(value: unknown): Json[] {
  if (Array.isArray(value)) return value.flatMap(nodes);
  if (typeof value !== 'object' || value === null) return [];
  return [value as Json, ...Object.values(value).flatMap(nodes)];
}

/** Every line of text on the card as Teams shows it, in order (ShowCard forms included). */
export function visibleLines(card: unknown): string[] {
  return nodes(card).flatMap((n) => {
    if (n.type === 'TextBlock') return shownByTeams(String(n.text));
    if (n.type === 'RichTextBlock') return [(n.inlines as { text: string }[]).map((run) => run.text).join('').replace(/\s+/g, ' ')];
    if (n.type === 'FactSet') return (n.facts as { title: string; value: string }[]).flatMap((f) => [...shownByTeams(f.title), ...shownByTeams(f.value)]);
    return [];
  });
}
