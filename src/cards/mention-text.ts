// How a Teams mention reads in a message: `<at>Name</at>` in the text, and the same string as the
// mention entity's `text`. Teams reads message text as HTML around mentions, so a name with "&" or
// "<" is escaped — in both places alike, or the entity would not match its text.

/** "<at>Luis Garcia</at>"; "<at>Ana &amp; Co</at>" for "Ana & Co". */
export function atMention(name: string): string {
  return `<at>${escapeHtml(name)}</at>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
