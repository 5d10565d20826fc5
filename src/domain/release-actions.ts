import { Directory, ReleaseCommand, ReleaseState } from './types';
import { currentRc, decide } from './release';
import { isRefusal, present } from './rule-helpers';

// What one person may do on an RC right now, asked of the rules themselves: each action is the
// command it stands for, decided on the current state as that person. So a card shows exactly the
// buttons the domain would accept, and nothing about who may do what is written twice.

/** The RC card's actions, as the domain knows them (a card button each). */
export const RELEASE_ACTIONS = ['approve', 'reject', 'revoke', 'promote', 'qaPass', 'qaFail'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];

/** How pressing an action is when the card can name only so many people: promotion, then decisions, QA, revoking. */
const URGENCY: Readonly<Record<ReleaseAction, number>> = { promote: 0, approve: 1, reject: 1, qaPass: 2, qaFail: 2, revoke: 3 };

/**
 * The command a button sends, with whatever the person types into it filled in (a reason, a
 * summary, a notes link when the RC has none) so that only the rules decide. A click carries no
 * area: a deputy who also leads an area of their own is asked to type which.
 */
function probe(action: ReleaseAction, state: ReleaseState, rc: number): ReleaseCommand {
  switch (action) {
    case 'approve':
      return { type: 'approve', rc };
    case 'reject':
      return { type: 'reject', rc, reason: 'typed on the card' };
    case 'revoke':
      return { type: 'revoke', rc };
    case 'promote': {
      const notes = present(state.rcs.find((r) => r.number === rc)?.contents.notesUrl);
      return { type: 'promote', rc, ...(notes ? {} : { notesUrl: 'https://release-notes.example/typed-on-the-card' }) };
    }
    case 'qaPass':
      return { type: 'recordQa', rc, result: 'pass', summary: 'typed on the card' };
    case 'qaFail':
      return { type: 'recordQa', rc, result: 'fail', summary: 'typed on the card' };
  }
}

/** What `personId` may do on RC `rc` now, in RELEASE_ACTIONS order; empty for an older RC or a promoted release. */
export function actionsFor(
  state: ReleaseState | undefined,
  rc: number,
  personId: string,
  directory: Directory,
  now: Date,
): readonly ReleaseAction[] {
  if (!state || currentRc(state)?.number !== rc) return [];
  const actor = { id: personId, name: directory.nameOf(personId) };
  return RELEASE_ACTIONS.filter((action) => !isRefusal(decide(probe(action, state, rc), state, { actor, now, directory, version: state.version })));
}

/**
 * Of `candidates`, those who may do something on RC `rc` now, the most pressing first: whoever can
 * promote, then those who can approve or reject, record QA, and last those who can only revoke;
 * within each, in the candidates' order.
 */
export function whoCanAct(
  state: ReleaseState | undefined,
  rc: number,
  candidates: readonly string[],
  directory: Directory,
  now: Date,
): readonly string[] {
  return [...new Set(candidates)]
    .map((id) => ({ id, urgency: Math.min(...actionsFor(state, rc, id, directory, now).map((action) => URGENCY[action])) }))
    .filter((person) => Number.isFinite(person.urgency))
    .sort((a, b) => a.urgency - b.urgency)
    .map((person) => person.id);
}
