import { catalogue } from './card-catalogue';
import { ContainerStyleName, TEAMS_THEMES, TextColorName, ThemeName, contrastRatio } from './teams-host-colors';

// WCAG AA for text (4.5:1) on every card, in Teams' light, dark and high-contrast themes: each text
// element's colour (TextBlock, RichTextBlock runs, FactSet, input labels), subtle or not, against the
// background of the container style it sits in, as Teams' host config renders them.

const WCAG_AA = 4.5;
const CONTAINERS = new Set(['Container', 'Column', 'ColumnSet', 'TableCell', 'Table']);

interface TextUse {
  readonly text: string;
  readonly color: TextColorName;
  readonly subtle: boolean;
  readonly style: ContainerStyleName;
}

type Json = Record<string, unknown>;

function styleName(value: unknown, inherited: ContainerStyleName): ContainerStyleName {
  if (typeof value !== 'string' || value === '') return inherited;
  const style = value.toLowerCase() as ContainerStyleName;
  if (!(style in TEAMS_THEMES.light.containerStyles)) throw new Error(`unknown container style "${value}"`);
  return style;
}

function colorName(value: unknown): TextColorName {
  const color = (typeof value === 'string' ? value : 'default').toLowerCase() as TextColorName;
  if (!(color in TEAMS_THEMES.light.containerStyles.default.foreground)) throw new Error(`unknown text colour "${String(value)}"`);
  return color;
}

/** Every piece of text on the card with the colour it is drawn in and the container style behind it. */
export function textUses(card: unknown): TextUse[] {
  const uses: TextUse[] = [];
  const visit = (node: unknown, style: ContainerStyleName): void => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, style));
    if (typeof node !== 'object' || node === null) return;
    const n = node as Json;
    const here = CONTAINERS.has(String(n.type)) ? styleName(n.style, style) : style;
    switch (n.type) {
      case 'TextBlock':
        uses.push({ text: String(n.text), color: colorName(n.color), subtle: n.isSubtle === true, style: here });
        return;
      case 'RichTextBlock':
        for (const run of (n.inlines as Json[]) ?? []) {
          uses.push({ text: String(run.text), color: colorName(run.color), subtle: run.isSubtle === true, style: here });
        }
        return;
      case 'FactSet':
        // Teams' host config draws fact titles and values in the default colour, not subtle.
        for (const fact of (n.facts as Json[]) ?? []) {
          uses.push({ text: String(fact.title), color: 'default', subtle: false, style: here });
          uses.push({ text: String(fact.value), color: 'default', subtle: false, style: here });
        }
        return;
      case 'Action.ShowCard':
        visit(n.card, TEAMS_THEMES.light.showCardStyle);
        return;
    }
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.label === 'string') {
      uses.push({ text: n.label, color: 'default', subtle: false, style: here });
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'card') visit(value, here);
  };
  visit(card, 'default');
  return uses;
}

function ratioOf(use: TextUse, theme: ThemeName): number {
  const container = TEAMS_THEMES[theme].containerStyles[use.style];
  const colors = container.foreground[use.color];
  return contrastRatio(use.subtle ? colors.subtle : colors.default, container.background);
}

const cards = catalogue();
const themes: ThemeName[] = ['light', 'dark', 'high-contrast'];

describe('text contrast on every card (WCAG AA, 4.5:1)', () => {
  it.each(themes)('in Teams %s', (theme) => {
    const failures = cards.flatMap(({ name, card }) =>
      textUses(card)
        .map((use) => ({ use, ratio: ratioOf(use, theme) }))
        .filter(({ ratio }) => ratio < WCAG_AA)
        .map(({ use, ratio }) => `${name}: "${use.text.slice(0, 40)}" ${use.subtle ? 'subtle ' : ''}${use.color} on ${use.style}: ${ratio.toFixed(2)}:1`),
    );
    expect(failures).toEqual([]);
  });

  it('walks a good part of every card: texts in more than one container style, and every card kind', () => {
    const uses = cards.flatMap(({ card }) => textUses(card));
    expect(uses.length).toBeGreaterThan(1_000);
    expect(new Set(uses.map((u) => u.style))).toEqual(new Set(['default', 'emphasis', 'good', 'attention', 'warning']));
    const kinds = new Set(cards.map(({ name }) => name.split('/')[0]));
    expect([...kinds].sort()).toEqual(
      ['company-notice', 'help', 'history', 'on-call', 'promotion', 'rc', 'refusal', 'schedule-form', 'status', 'tracker'].sort(),
    );
  });
});

describe('the contrast check itself', () => {
  it("measures what the issue reports: Teams' Good, Warning and Attention text fail on the default background", () => {
    const light = TEAMS_THEMES.light.containerStyles.default;
    expect(contrastRatio(light.foreground.good.default, light.background)).toBeLessThan(2.5);
    expect(contrastRatio(light.foreground.warning.default, light.background)).toBeLessThan(1.7);
    const dark = TEAMS_THEMES.dark.containerStyles.default;
    expect(contrastRatio(dark.foreground.attention.default, dark.background)).toBeLessThan(WCAG_AA);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
  });

  it('finds a coloured text, a subtle text in a coloured container, and text inside a ShowCard', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'green', color: 'Good' },
        { type: 'Container', style: 'attention', items: [{ type: 'TextBlock', text: 'faint', isSubtle: true }] },
      ],
      actions: [{ type: 'Action.ShowCard', card: { type: 'AdaptiveCard', body: [{ type: 'Input.Text', id: 'x', label: 'Why?' }] } }],
    };
    const uses = textUses(card);
    expect(uses).toEqual([
      { text: 'green', color: 'good', subtle: false, style: 'default' },
      { text: 'faint', color: 'default', subtle: true, style: 'attention' },
      { text: 'Why?', color: 'default', subtle: false, style: 'emphasis' },
    ]);
    expect(ratioOf(uses[0]!, 'light')).toBeLessThan(WCAG_AA);
    expect(ratioOf(uses[1]!, 'high-contrast')).toBeLessThan(WCAG_AA);
    expect(ratioOf(uses[2]!, 'dark')).toBeGreaterThan(WCAG_AA);
  });
});
