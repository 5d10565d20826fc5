// Teams hands a bot HTML, not text: the message is wrapped in <p>/<div>, the bot's @mention is an
// <at> element, spaces arrive as &nbsp;, links as <a>. Commands are parsed from plain lines, so this
// turns what Teams (or the Agents Playground, or a person typing "@lendos" by hand) sends into them.

const BOT_NAME = /^@?lendos(?:\s+release)?(?:\s+bot)?$/i;
// Teams splits a multi-word mention ("LendOS Release Bot") into one element per word.
const BOT_NAME_PART = /^@?(?:lendos|release|bot)$/i;
const TYPED_BOT_NAME = /^@?lendos(?:[ \t]+release[ \t]+bot)?(?:[ \t]*[:,]|(?=\s|$))/i;

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s[^<>]*)?)\/?>/g;
// A name starts only where no name character precedes it: without the lookbehind a long run of name
// characters with no `=` would be retried from each of its characters (quadratic).
const ATTRIBUTE = /(?<![-a-zA-Z0-9_:.])([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g;
const ENTITY = /&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z][a-zA-Z0-9]{1,31});/g;

const BLOCK_TAGS = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'blockquote', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'tr', 'table', 'hr', 'section', 'article', 'header', 'footer',
]);
const CELL_TAGS = new Set(['td', 'th']);
const INLINE_TAGS = new Set([
  'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'code', 'font', 'small', 'big',
  'sup', 'sub', 'mark', 'tbody', 'thead', 'tfoot', 'label', 'attachment', 'systemtag',
]);
const IMAGE_TAGS = new Set(['img', 'emoji']);

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: '\u00a0',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  bull: '\u2022',
  middot: '\u00b7',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  zwj: '\u200d',
  zwnj: '\u200c',
  shy: '\u00ad',
};

// Unicode space separators (besides U+0020) and tabs read as one space.
const SPACES = /[\t\v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
// Invisible characters Teams and clipboards leave behind; also C0/C1 controls other than \n.
const INVISIBLES = /[\u200b-\u200d\u2060-\u2064\ufeff\u00ad\u180e\u034f\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;

type Piece =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'break' }
  | { readonly kind: 'mention'; readonly name: string };

interface Capture {
  readonly kind: 'mention' | 'link';
  readonly closeTag: string;
  readonly href?: string;
  depth: number;
  text: string;
}

/**
 * Plain command text from what Teams sends: the bot's mention removed (a leading mention always,
 * whatever its name), HTML reduced to lines, entities decoded, odd spaces and invisible characters
 * cleaned, each line trimmed with runs of spaces collapsed, empty lines dropped, and a leading
 * "@lendos"/"lendos:" typed as plain text removed. Free text keeps its case; links keep their URL.
 */
export function normalizeTeamsText(raw: string): string {
  if (typeof raw !== 'string') return '';
  const pieces = dropBotMentions(htmlToPieces(raw.replace(LINE_BREAKS, '\n')));
  const joined = pieces
    .map((piece) => (piece.kind === 'break' ? '\n' : piece.kind === 'text' ? piece.text : piece.name))
    .join('');
  return dropTypedBotName(tidyLines(joined));
}

function htmlToPieces(html: string): Piece[] {
  const pieces: Piece[] = [];
  let capture: Capture | undefined;
  let last = 0;

  const addText = (text: string): void => {
    if (text === '') return;
    if (capture) capture.text += text;
    else pieces.push({ kind: 'text', text });
  };

  for (const match of html.matchAll(TAG)) {
    addText(decodeEntities(html.slice(last, match.index)));
    last = match.index + match[0].length;
    const closing = match[1] === '/';
    const tag = match[2].toLowerCase();
    const attributes = match[3];

    if (capture) {
      if (tag === capture.closeTag) {
        if (!closing) capture.depth += 1;
        else if (capture.depth > 0) capture.depth -= 1;
        else {
          pieces.push(finishCapture(capture));
          capture = undefined;
        }
      } else if (BLOCK_TAGS.has(tag) || CELL_TAGS.has(tag)) addText(' ');
      else if (IMAGE_TAGS.has(tag)) addText(attribute(attributes, 'alt') ?? '');
      else if (!isKnownTag(tag)) addText(match[0]);
      continue;
    }

    if (tag === 'at' && !closing) {
      capture = { kind: 'mention', closeTag: 'at', depth: 0, text: '' };
    } else if (tag === 'span' && !closing && /schema\.skype\.com\/Mention/i.test(attribute(attributes, 'itemtype') ?? '')) {
      capture = { kind: 'mention', closeTag: 'span', depth: 0, text: '' };
    } else if (tag === 'a' && !closing) {
      capture = { kind: 'link', closeTag: 'a', href: attribute(attributes, 'href'), depth: 0, text: '' };
    } else if (BLOCK_TAGS.has(tag)) {
      pieces.push({ kind: 'break' });
    } else if (CELL_TAGS.has(tag)) {
      addText(' ');
    } else if (IMAGE_TAGS.has(tag)) {
      if (!closing) addText(attribute(attributes, 'alt') ?? '');
    } else if (!isKnownTag(tag)) {
      // Not HTML we know (e.g. "<reason>" typed in a plain-text client): it is the person's text.
      addText(match[0]);
    }
  }
  addText(decodeEntities(html.slice(last)));
  // An element Teams never closed: keep what was in it as text.
  if (capture) pieces.push({ kind: 'text', text: capture.text });
  return pieces;
}

function isKnownTag(tag: string): boolean {
  return tag === 'at' || tag === 'a' || BLOCK_TAGS.has(tag) || CELL_TAGS.has(tag) || INLINE_TAGS.has(tag) || IMAGE_TAGS.has(tag);
}

function finishCapture(capture: Capture): Piece {
  if (capture.kind === 'mention') return { kind: 'mention', name: cleanChars(capture.text).trim() };
  return { kind: 'text', text: linkText(cleanChars(capture.text).trim(), (capture.href ?? '').trim()) };
}

/**
 * What a link reads as in a command. When the visible text is itself a URL it wins (Safe Links
 * rewrites the href, not the text); a bare domain gets its href's scheme back; a link with a label
 * keeps both so a "notes:" field can still find the URL.
 */
function linkText(text: string, href: string): string {
  if (!/^(?:https?|mailto):/i.test(href)) return text;
  if (text === '') return href;
  if (/^https?:\/\//i.test(text)) return text;
  const bare = (url: string): string => url.replace(/^(?:https?:\/\/|mailto:)/i, '').replace(/\/$/, '').toLowerCase();
  if (bare(text) === bare(href)) return href;
  return `${text} (${href})`;
}

function attribute(attributes: string, name: string): string | undefined {
  for (const match of attributes.matchAll(ATTRIBUTE)) {
    if (match[1].toLowerCase() === name) return decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return undefined;
}

function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, body: string) => {
    if (body[0] !== '#') return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The first mention in the message is how the person addressed the bot in a channel, whatever
 * display name the bot has there; later mentions of the bot are noise; mentions of people are
 * kept as their names ("ask Luis Garcia").
 */
function dropBotMentions(pieces: readonly Piece[]): Piece[] {
  const result: Piece[] = [];
  let leading = true;
  let afterLeadingMention = false;
  for (const piece of pieces) {
    if (piece.kind === 'mention') {
      const isBot = BOT_NAME.test(piece.name) || (afterLeadingMention && BOT_NAME_PART.test(piece.name));
      if (leading || isBot) {
        afterLeadingMention = leading || afterLeadingMention;
        leading = false;
        result.push({ kind: 'text', text: ' ' });
        continue;
      }
      result.push({ kind: 'text', text: piece.name });
    } else if (piece.kind === 'text' && afterLeadingMention) {
      // "@lendos: approve rc.3"
      result.push({ kind: 'text', text: piece.text.replace(/^[\s\u00a0]*[:,]/, ' ') });
    } else {
      result.push(piece);
    }
    if (piece.kind === 'break' || (piece.kind === 'text' && isBlank(piece.text))) continue;
    leading = false;
    afterLeadingMention = false;
  }
  return result;
}

function isBlank(text: string): boolean {
  return cleanChars(text).trim() === '';
}

function cleanChars(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(SPACES, ' ').replace(INVISIBLES, '');
}

function tidyLines(text: string): string {
  return cleanChars(text)
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function dropTypedBotName(text: string): string {
  const match = TYPED_BOT_NAME.exec(text);
  if (!match) return text;
  return text.slice(match[0].length).replace(/^[ ]+/, '').replace(/^\n+/, '');
}
