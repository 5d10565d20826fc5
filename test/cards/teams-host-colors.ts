// The colours Teams renders Adaptive Card text with, per theme: for each container style its
// background and, for each text colour, the default and the subtle (isSubtle) variant. Colours are
// #RRGGBB, or #AARRGGBB with alpha first as Adaptive Cards host configs write them.
//
// Sources (read 2026; copied as data, the colours only):
// - light: microsoft/AdaptiveCards samples/HostConfig/microsoft-teams-light.json
//   (commit 6cf9ce1ac957c32b864a6bf1ed31c13dc2efc742; the same colours are in
//   microsoft/Teams-AdaptiveCards-Mobile samples/HostConfig/microsoft-teams-light.json, 050f4d49)
// - dark: microsoft/AdaptiveCards samples/HostConfig/microsoft-teams-dark.json
//   (commit 181511ae0825c5b224a717f96bb86ecd54122695)
// - high contrast: Microsoft publishes no Teams high-contrast host config. These are the colours of
//   the Teams high-contrast emulation in pnp/sp-dev-fx-controls-react
//   (src/controls/adaptiveCardHost/fluentUI/HostConfig.ts, createHighContrastTeamsHostConfig, commit
//   06bfc8b9): its emphasis/good/attention/warning containers as written there, and its default
//   container from its Fluent theme (FluentUITeamsHighContrastTheme.ts: bodyBackground = palette.white
//   #000000, bodyText = neutralPrimary #f8f8f8, bodySubtext = neutralSecondary #fbfbfb; the
//   accent/good/warning/attention text colours there come from the Fluent default palette).
// Teams shows an Action.ShowCard's card in the `emphasis` style (host config actions.showCard.style).

export type ThemeName = 'light' | 'dark' | 'high-contrast';
export type TextColorName = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type ContainerStyleName = 'default' | 'emphasis' | 'accent' | 'good' | 'attention' | 'warning';

export interface ContainerColors {
  readonly background: string;
  readonly foreground: Readonly<Record<TextColorName, { readonly default: string; readonly subtle: string }>>;
}

export interface HostColors {
  readonly containerStyles: Readonly<Record<ContainerStyleName, ContainerColors>>;
  readonly showCardStyle: ContainerStyleName;
}

type Foreground = ContainerColors['foreground'];
const pair = (d: string, subtle: string) => ({ default: d, subtle });

const lightForeground: Foreground = {
  default: pair('#ff252424', '#bf252424'),
  dark: pair('#252424', '#bf252424'),
  light: pair('#ffffff', '#fff3f2f1'),
  accent: pair('#6264a7', '#8b8cc7'),
  good: pair('#92c353', '#e592c353'),
  warning: pair('#f8d22a', '#e5f8d22a'),
  attention: pair('#c4314b', '#e5c4314b'),
};

const light: HostColors = {
  containerStyles: {
    default: { background: '#ffffff', foreground: lightForeground },
    emphasis: { background: '#fff9f8f7', foreground: lightForeground },
    accent: { background: '#C7DEF9', foreground: lightForeground },
    good: { background: '#CCFFCC', foreground: lightForeground },
    attention: { background: '#FFC5B2', foreground: lightForeground },
    warning: { background: '#FFE2B2', foreground: lightForeground },
  },
  showCardStyle: 'emphasis',
};

const darkOnDark: Foreground = {
  default: pair('#ffffffff', '#bfffffff'),
  dark: pair('#ff201f1f', '#ff2d2c2c'),
  light: pair('#ffffffff', '#bfffffff'),
  accent: pair('#ffa6a7dc', '#ff8b8cc7'),
  good: pair('#ff92c353', '#e592c353'),
  warning: pair('#fff8d22a', '#e5f8d22a'),
  attention: pair('#ffd74654', '#e5d74654'),
};
// Teams' dark theme keeps the light backgrounds of the coloured container styles, with dark text on them.
const darkOnLight: Foreground = { ...darkOnDark, default: pair('#ff201f1f', '#ff2d2c2c') };

const dark: HostColors = {
  containerStyles: {
    default: { background: '#ff2d2c2c', foreground: darkOnDark },
    emphasis: { background: '#ff292828', foreground: darkOnDark },
    accent: { background: '#C7DEF9', foreground: darkOnLight },
    good: { background: '#CCFFCC', foreground: darkOnLight },
    attention: { background: '#FFC5B2', foreground: darkOnLight },
    warning: { background: '#FFE2B2', foreground: darkOnLight },
  },
  showCardStyle: 'emphasis',
};

const contrastColors = {
  dark: pair('#000000', '#737373'),
  light: pair('#FFFFFF', '#D2D2D2'),
  accent: pair('#82C7FF', '#3AA0F3'),
  good: pair('#92C353', '#498205'),
  warning: pair('#F8D22A', '#C19C00'),
  attention: pair('#D74553', '#D13438'),
};

const highContrast: HostColors = {
  containerStyles: {
    default: {
      background: '#000000',
      foreground: {
        ...contrastColors,
        default: pair('#f8f8f8', '#fbfbfb'),
        // Fluent's default palette, which the emulation's default container falls back to
        // (accent, greenDark/green, yellowDark, redDark/red; the subtle accent, a lightened accent, taken as the accent).
        accent: pair('#0078d4', '#0078d4'),
        good: pair('#004b1c', '#107c10'),
        warning: pair('#d29200', '#d29200'),
        attention: pair('#a4262c', '#e81123'),
      },
    },
    emphasis: { background: '#2F2F2F', foreground: { ...contrastColors, default: pair('#FFFFFF', '#D2D2D2') } },
    accent: { background: '#1B3345', foreground: { ...contrastColors, default: pair('#FFFFFF', '#D2D2D2') } },
    good: { background: '#92C353', foreground: { ...contrastColors, default: pair('#000000', '#415725') } },
    attention: { background: '#D74553', foreground: { ...contrastColors, default: pair('#000000', '#601F25') } },
    warning: { background: '#F8D22A', foreground: { ...contrastColors, default: pair('#000000', '#6F5E12') } },
  },
  showCardStyle: 'emphasis',
};

export const TEAMS_THEMES: Readonly<Record<ThemeName, HostColors>> = { light, dark, 'high-contrast': highContrast };

interface Rgba {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

export function parseColor(hex: string): Rgba {
  const digits = hex.replace(/^#/, '');
  if (!/^(?:[0-9a-f]{6}|[0-9a-f]{8})$/i.test(digits)) throw new Error(`not a host config colour: ${hex}`);
  const value = (i: number) => parseInt(digits.slice(i, i + 2), 16);
  return digits.length === 6 ? { r: value(0), g: value(2), b: value(4), a: 1 } : { a: value(0) / 255, r: value(2), g: value(4), b: value(6) };
}

/** The colour a (possibly translucent) foreground shows as over an opaque background. */
function over(foreground: Rgba, background: Rgba): Rgba {
  const mix = (f: number, b: number) => f * foreground.a + b * (1 - foreground.a);
  return { r: mix(foreground.r, background.r), g: mix(foreground.g, background.g), b: mix(foreground.b, background.b), a: 1 };
}

/** WCAG 2.x relative luminance. */
function luminance({ r, g, b }: Rgba): number {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG contrast ratio of text in `foreground` on `background` (1 to 21). */
export function contrastRatio(foreground: string, background: string): number {
  const bg = parseColor(background);
  const opaqueBackground = bg.a === 1 ? bg : over(bg, { r: 255, g: 255, b: 255, a: 1 });
  const shown = over(parseColor(foreground), opaqueBackground);
  const [lighter, darker] = [luminance(shown), luminance(opaqueBackground)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}
