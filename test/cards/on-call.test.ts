import { onCallData, OnCallCardView } from '../../src/cards/on-call-card';
import { createCardRenderer } from '../../src/cards/render';
import { DeploymentState } from '../../src/domain/types';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { actions, actionTitles, byId, expectNoTemplateLeft, texts } from './card-query';
import { crew, dview, people, states } from './deployment-fixtures';
import { deploymentActionsFor } from '../../src/domain/deployment-actions';
import { ids } from './fixtures';

const render = createCardRenderer();
/** The IRC's own view (Steven), whose buttons these are. */
const onCall = (state: DeploymentState, extra: Partial<OnCallCardView> = {}) =>
  render('on-call', onCallData(state, { ...dview, people, rotaOnCall: ids.jake, viewer: { actions: deploymentActionsFor(state, ids.steven, crew) }, ...extra }));
/** The card in the thread, everyone's. */
const baseCard = (state: DeploymentState) => render('on-call', onCallData(state, { ...dview, people, rotaOnCall: ids.jake }));

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

const ref = (state: DeploymentState) => ({ deploymentId: state.id, revision: state.revision });

describe('on-call card (runbook 3.3): awaiting confirmation', () => {
  const state = states.scheduled();
  const card = onCall(state);

  it('says who is on call for which window, and that the deployment waits for it', () => {
    expectValid(card);
    expect(texts(card)).toEqual([
      'On-call coverage · Deploy 2026.4.0 to BXCI Production',
      'Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)',
      'On call: Jake Edgington',
      '⏳',
      'Awaiting confirmation by an IRC (Steven Inouye)',
      "Deploy 2026.4.0 to BXCI Production can't start until on-call coverage is confirmed, or overridden with another person.",
    ]);
    expect(card.fallbackText).toBe('On-call coverage for Deploy 2026.4.0 to BXCI Production: Awaiting confirmation by an IRC (Steven Inouye)');
  });

  it('the card in the thread confirms nothing: it refreshes for the IRC, whose own view has the buttons; anyone else is told who confirms', () => {
    const base = baseCard(state);
    expectValid(base);
    expect(actionTitles(base)).toEqual(['Show my actions']);
    expect(base.refresh).toMatchObject({ action: { verb: 'refreshOnCall', data: { verb: 'refreshOnCall', ...ref(state) } }, userIds: [`8:orgid:${ids.steven}`] });
    const luis = render('on-call', onCallData(state, { ...dview, people, rotaOnCall: ids.jake, viewer: { actions: deploymentActionsFor(state, ids.luis, crew) } }));
    expect(actionTitles(luis)).toEqual(['Show my actions']);
    expect(byId(luis, 'viewer-note').text).toBe('Only an IRC (Steven Inouye) confirms on-call coverage.');
    expect(baseCard(states.covered()).refresh).toBeUndefined();
  });

  it('Confirm names the rota person in one click', () => {
    expect(actionTitles(card)).toEqual(['Confirm', 'Override', 'Override on-call']);
    expect(byId(card, 'confirm')).toEqual({
      type: 'Action.Execute',
      id: 'confirm',
      title: 'Confirm',
      verb: 'confirmOnCall',
      style: 'positive',
      associatedInputs: 'none',
      data: { verb: 'confirmOnCall', ...ref(state), confirmPerson: ids.jake },
    });
    expect(typeof (byId(card, 'confirm').data as { revision: unknown }).revision).toBe('number');
  });

  it('Override asks for another person and a required reason', () => {
    expect(byId(card, 'override')).toMatchObject({ type: 'Action.ShowCard', title: 'Override' });
    const person = byId(card, 'overridePerson');
    expect(person).toMatchObject({ type: 'Input.ChoiceSet', label: 'Who covers instead?', isRequired: true });
    expect((person.choices as { value: string }[]).map((c) => c.value)).toEqual(people.filter((id) => id !== ids.jake));
    expect(byId(card, 'overrideReason')).toMatchObject({
      type: 'Input.Text',
      label: "Why can't the scheduled on-call engineer cover?",
      isRequired: true,
      errorMessage: 'Give a reason: an override is recorded with it.',
    });
    expect(byId(card, 'override-submit')).toMatchObject({
      type: 'Action.Execute',
      verb: 'overrideOnCall',
      associatedInputs: 'auto',
      data: { verb: 'overrideOnCall', ...ref(state) },
    });
  });

  it('without a rota, Confirm asks who is on call', () => {
    const c = onCall(state, { rotaOnCall: undefined });
    expectValid(c);
    expect(byId(c, 'person').text).toBe('On call: not named yet — pick who covers when you confirm');
    expect(actionTitles(c)).toEqual(['Confirm…', 'Confirm coverage', 'Override', 'Override on-call']);
    expect(byId(c, 'confirm')).toMatchObject({ type: 'Action.ShowCard' });
    expect(byId(c, 'confirmPerson')).toMatchObject({ type: 'Input.ChoiceSet', label: 'Who is on call for the window?', isRequired: true });
    expect((byId(c, 'confirmPerson').choices as unknown[]).length).toBe(people.length);
    expect(byId(c, 'confirm-submit')).toMatchObject({ verb: 'confirmOnCall', data: { verb: 'confirmOnCall', ...ref(state) } });
  });

  it('a reschedule voids the coverage, so the buttons come back', () => {
    const c = onCall(states.rescheduled());
    expectValid(c);
    expect(byId(c, 'status-text').text).toBe('Awaiting confirmation by an IRC (Steven Inouye)');
    expect(actionTitles(c)).toEqual(['Confirm', 'Override', 'Override on-call']);
  });
});

describe('on-call card: decided or moot', () => {
  it('confirmed: by whom and when; no buttons', () => {
    const c = onCall(states.covered());
    expectValid(c);
    expect(byId(c, 'person').text).toBe('On call: Jake Edgington');
    expect(byId(c, 'status-text').text).toBe('Confirmed by Steven Inouye · Fri 10 Apr 2026, 10:01 EDT');
    expect(() => byId(c, 'note')).toThrow();
    expect(actions(c)).toEqual([]);
  });

  it('overridden: by whom, the person who covers, and why; no buttons', () => {
    const c = onCall(states.overridden());
    expectValid(c);
    expect(byId(c, 'person').text).toBe('On call: Bosko Kocev');
    expect(texts(byId(c, 'status'))).toEqual([
      '🔁',
      'Overridden by Steven Inouye · Fri 10 Apr 2026, 10:01 EDT: Bosko Kocev covers',
      'Reason: Jake is on leave',
    ]);
    expect(actions(c)).toEqual([]);
  });

  it('started: still shows the coverage, no buttons', () => {
    const c = onCall(states.inProgress());
    expectValid(c);
    expect(byId(c, 'status-text').text).toBe('Confirmed by Steven Inouye · Fri 10 Apr 2026, 10:01 EDT');
    expect(actions(c)).toEqual([]);
  });

  it('cancelled before anyone confirmed: says so, no buttons', () => {
    const c = onCall(states.cancelled(), { rotaOnCall: undefined });
    expectValid(c);
    expect(byId(c, 'person').text).toBe('On call: nobody was confirmed');
    expect(byId(c, 'status-text').text).toBe('Not confirmed');
    expect(byId(c, 'note').text).toBe('The deployment was cancelled.');
    expect(actions(c)).toEqual([]);
  });

  it('shows a notice to the person who clicked, above everything else', () => {
    const text = 'Nothing changed: Steven Inouye already confirmed Jake Edgington.';
    const c = onCall(states.covered(), { notice: text });
    expectValid(c);
    expect(c.body![0]).toMatchObject({ id: 'notice', style: 'warning' });
    expect(texts(byId(c, 'notice'))).toEqual([text]);
  });
});
