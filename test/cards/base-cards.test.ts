import { catalogue } from './card-catalogue';
import { actions } from './card-query';

// The RC card, the tracker and the on-call card as posted for everyone act for nobody: every
// button on them would be refused for most of the channel, except "Show my actions", which turns
// the card into the clicker's own view. Each person's buttons come on that view (and from Teams'
// refresh for the people in `refresh.userIds`).

const REFRESH_VERBS = ['refreshRc', 'refreshTracker', 'refreshOnCall'];
const base = catalogue().filter(({ name }) => /^(rc|tracker|on-call)\/[^/]+$/.test(name));

describe('the cards everyone sees', () => {
  it('covers the RC card, the tracker and the on-call card in each state', () => {
    expect(base.filter(({ name }) => name.startsWith('rc/')).length).toBeGreaterThanOrEqual(5);
    expect(base.filter(({ name }) => name.startsWith('tracker/')).length).toBeGreaterThanOrEqual(5);
    expect(base.filter(({ name }) => name.startsWith('on-call/')).length).toBeGreaterThanOrEqual(5);
  });

  it.each(base.map(({ name, card }) => [name, card] as const))('%s offers no button but "Show my actions"', (_name, card) => {
    const acting = actions(card).filter((a) => a.type === 'Action.Execute' || a.type === 'Action.ShowCard');
    expect(acting.map((a) => String(a.verb ?? a.title)).filter((verb) => !REFRESH_VERBS.includes(verb))).toEqual([]);
    // Whenever it offers "Show my actions" it also refreshes for the people who can act (at most 60).
    const refresh = (card as { refresh?: { userIds: string[]; action: { verb: string } } }).refresh;
    if (acting.length > 0) {
      expect(refresh?.userIds.length).toBeGreaterThan(0);
      expect(refresh!.userIds.length).toBeLessThanOrEqual(60);
      expect(refresh!.userIds.every((id) => /^8:orgid:[0-9a-f-]{36}$/.test(id))).toBe(true);
      expect(REFRESH_VERBS).toContain(refresh!.action.verb);
    }
  });
});
