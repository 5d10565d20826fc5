import { catalogue } from './card-catalogue';
import { nodes } from './card-query';

// At 360 px (a phone) Teams lays a card's buttons out in one row and cuts titles that do not fit
// ("Confirm Rafaella Ba…", "Live with ove…"). Each row of buttons, as it first shows, must fit:
// estimated with Teams' button metrics, checked by eye in the narrow Playground screenshot.
//
// The model: a 360 px screen leaves the card 344 px (8 px gutters), less the host config's 16 px
// padding on both sides: 312 px for a row. A button is its title in 14 px semibold Segoe UI (about
// 7.7 px a character) plus 12 px padding each side, and at least 96 px wide (Fluent UI's button
// min-width); buttons are 8 px apart (actions.buttonSpacing); secondary actions (`mode: "secondary"`)
// fold into one 32 px "…" overflow button.

const ROW_WIDTH = 312;
const CHAR = 7.7;
const PADDING = 24;
const GAP = 8;
const OVERFLOW = 32;
const MIN_BUTTON = 96;

type Json = Record<string, unknown>;

function rowWidth(actions: readonly Json[]): number {
  const primary = actions.filter((a) => a.mode !== 'secondary');
  const widths = primary.map((a) => Math.max(MIN_BUTTON, String(a.title ?? '').length * CHAR + PADDING));
  if (primary.length < actions.length) widths.push(OVERFLOW);
  return widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, widths.length - 1);
}

/** Every row of buttons on the card: its own actions, each ActionSet's, each ShowCard form's. */
function actionRows(card: unknown): { where: string; actions: Json[] }[] {
  return nodes(card)
    .filter((n) => n.type === 'AdaptiveCard' || n.type === 'ActionSet')
    .map((n) => ({ where: String(n.id ?? n.type), actions: ((n.actions as Json[]) ?? []).filter(Boolean) }))
    .filter((row) => row.actions.length > 0);
}

describe('buttons fit a 360 px screen', () => {
  const cards = catalogue();

  it('every row of buttons, as it first shows, fits in 312 px: no title is cut', () => {
    const overflowing = cards.flatMap(({ name, card }) =>
      actionRows(card)
        .filter((row) => rowWidth(row.actions) > ROW_WIDTH)
        .map((row) => `${name} (${row.where}): ${row.actions.map((a) => `${a.title}${a.mode === 'secondary' ? ' [more]' : ''}`).join(', ')} ≈ ${Math.round(rowWidth(row.actions))} px`),
    );
    expect(overflowing).toEqual([]);
  });

  it('at most three buttons show in a row; the rest go to the overflow menu', () => {
    const crowded = cards.flatMap(({ name, card }) =>
      actionRows(card)
        .filter((row) => row.actions.filter((a) => a.mode !== 'secondary').length > 3)
        .map((row) => `${name} (${row.where})`),
    );
    expect(crowded).toEqual([]);
  });

  it('the model would have caught the old buttons: four RC buttons, or "Confirm Rafaella Barrocas" beside Override', () => {
    const button = (title: string, mode?: string) => ({ type: 'Action.Execute', title, ...(mode ? { mode } : {}) });
    expect(rowWidth([button('Approve'), button('Reject'), button('Revoke'), button('Promote')])).toBeGreaterThan(ROW_WIDTH);
    expect(rowWidth([button('Confirm Rafaella Barrocas'), button('Override')])).toBeGreaterThan(ROW_WIDTH);
    expect(rowWidth([button('Smoke pass'), button('Smoke fail'), button('Live with override'), button('Abort')])).toBeGreaterThan(ROW_WIDTH);
    expect(rowWidth([button('Approve', 'secondary'), button('Reject', 'secondary'), button('Revoke', 'secondary'), button('Promote')])).toBeLessThanOrEqual(ROW_WIDTH);
  });

  it('the actions that moved to the overflow menu are still on the card', () => {
    const secondary = new Set(cards.flatMap(({ card }) => nodes(card).filter((n) => n.mode === 'secondary').map((n) => String(n.title))));
    expect([...secondary].sort()).toEqual(['Abort', 'QA fail', 'QA pass', 'Revoke']);
  });
});
