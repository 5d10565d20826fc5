import { ReleaseState } from '../../src/domain/types';
import { rcCardData, rcCardDataForEveryView } from '../../src/cards/rc-card';
import { rcCardView } from '../../src/cards/rc-views';
import { RELEASE_ACTIONS, ReleaseAction } from '../../src/domain/release-actions';
import { createCardRenderer } from '../../src/cards/render';
import { actionTitles } from './card-query';
import { awaitingState, blockedState, hotfixState, ids, promotedState, readyState, supersededState, view } from './fixtures';

// A click shows the RC card twice (the clicker's view, and everyone's update), and every refresh
// shows someone's view: the server templates each change once, with every person's parts in it,
// and cuts each view from that (src/cards/rc-views.ts). Every view cut so must be exactly the card
// the template gives for that view, for every set of buttons, on open, ready, blocked, promoted and
// superseded RCs, with and without release notes and people who can get their own view.

const render = createCardRenderer();
const NOW = new Date('2026-04-15T14:00:00Z');
const everyone = Object.values(ids);

/** Every subset of the release actions, the empty one included. */
const subsets: ReleaseAction[][] = Array.from({ length: 2 ** RELEASE_ACTIONS.length }, (_, bits) => RELEASE_ACTIONS.filter((_, i) => bits & (1 << i)));

const withoutNotes = (state: ReleaseState): ReleaseState => ({
  ...state,
  rcs: state.rcs.map((rc) => ({ ...rc, contents: { ...rc.contents, notesUrl: undefined } })),
});

const cases: Array<[string, ReleaseState, number, { people?: string[]; notice?: string }]> = [
  ['awaiting', awaitingState, 3, { people: everyone }],
  ['awaiting, nobody to refresh', awaitingState, 3, {}],
  ['blocked, with a notice', blockedState, 3, { people: everyone, notice: 'Nothing changed: rc.3 is blocked.' }],
  ['ready, release notes linked', readyState, 3, { people: everyone }],
  ['ready, no release notes', withoutNotes(readyState), 3, { people: everyone }],
  ['promoted', promotedState, 3, { people: everyone }],
  ['superseded', supersededState, 3, { people: everyone }],
  ['hotfix', hotfixState, hotfixState.rcs[hotfixState.rcs.length - 1]!.number, { people: everyone }],
];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe.each(cases)('the RC card cut from one expansion (%s)', (_name, state, rc, extra) => {
  const options = { ...view, ...extra, now: NOW };
  // frozen: cutting views out of it must not change it (the server caches it and shares its elements)
  const everyView = deepFreeze(render('rc', rcCardDataForEveryView(state, rc, options)));

  test('the base card everyone sees is the template expanded for nobody', () => {
    expect(rcCardView(everyView)).toEqual(render('rc', rcCardData(state, rc, options)));
  });

  test('each set of buttons a person may have gives the card the template expands for them', () => {
    for (const actions of subsets) {
      expect({ actions, card: rcCardView(everyView, { actions }) }).toEqual({ actions, card: render('rc', rcCardData(state, rc, { ...options, viewer: { actions } })) });
    }
  });
});

test('the views differ where they must: a pending lead sees Approve and Reject, Platform at 5 of 5 sees Promote, the rest see no button that acts', () => {
  const everyView = render('rc', rcCardDataForEveryView(readyState, 3, { ...view, people: everyone, now: NOW }));
  expect(actionTitles(rcCardView(everyView, { actions: ['approve', 'reject'] }))).toEqual(expect.arrayContaining(['Approve', 'Reject']));
  expect(actionTitles(rcCardView(everyView, { actions: ['promote'] }))).toEqual(expect.arrayContaining(['Promote']));
  expect(actionTitles(rcCardView(everyView, { actions: ['promote'] }))).not.toContain('Approve');
  expect(actionTitles(rcCardView(everyView))).not.toEqual(expect.arrayContaining(['Approve']));
});
