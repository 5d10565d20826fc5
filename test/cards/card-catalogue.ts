import { USAGE, parseCommand } from '../../src/commands/parse-command';
import { companyNoticeData } from '../../src/cards/company-notice-card';
import { helpCardData } from '../../src/cards/help-card';
import { historyCardData } from '../../src/cards/history-card';
import { onCallData } from '../../src/cards/on-call-card';
import { promotionCardData } from '../../src/cards/promotion-card';
import { rcCardData } from '../../src/cards/rc-card';
import { actionsFor } from '../../src/domain/release-actions';
import { deploymentActionsFor } from '../../src/domain/deployment-actions';
import { refusalCardData } from '../../src/cards/refusal-card';
import { AdaptiveCardJson, createCardRenderer } from '../../src/cards/render';
import { rescheduleFormData, scheduleFormData } from '../../src/cards/schedule-form-card';
import { statusCardData } from '../../src/cards/status-card';
import { trackerData } from '../../src/cards/tracker-card';
import { DeploymentState, ReleaseEvent } from '../../src/domain/types';
import { businessHours, crew, dview, inWindow, people, prod, staging, states } from './deployment-fixtures';
import {
  awaitingState,
  blockedState,
  hotfixState,
  ids,
  promotedState,
  readyState,
  supersededState,
  view,
} from './fixtures';
import { OPTIONS } from '../commands/fixtures';

// Every card the bot sends, in every state worth looking at, rendered from its real template: what
// the accessibility and rendering tests walk. A new card or state belongs here.

export interface CatalogueCard {
  readonly name: string;
  readonly card: AdaptiveCardJson;
}

const NOTICE = 'Nothing changed: rc.3 was superseded by rc.4.\n\nInstead: approve rc.4 in its own thread, e.g. `approve rc.4`.';
const NEW_MEETING = 'https://teams.microsoft.com/l/meeting/new?subject=Deploy%202026.4.0%20to%20BXCI%20Production';

/** Refusals the parser gives for the commands people get wrong most, each with its usage as the hint. */
export const PARSE_REFUSALS: readonly string[] = [
  'approve three',
  'reject rc.3',
  'qa rc.3',
  'rc 2026.4.0',
  'promote rc.3 soon',
  'schedule deploy 2026.4.0 to',
  'smoke fail',
  'bug',
  'register',
  'frobnicate',
];

export function catalogue(): CatalogueCard[] {
  const render = createCardRenderer();
  const cards: CatalogueCard[] = [];
  const add = (name: string, card: AdaptiveCardJson) => cards.push({ name, card });

  const releases = { awaiting: awaitingState, blocked: blockedState, ready: readyState, promoted: promotedState, hotfix: hotfixState };
  const everyone = Object.values(ids);
  const rcNow = new Date('2026-04-15T14:00:00Z');
  for (const [name, state] of Object.entries(releases)) {
    const rc = state.rcs[0]!.number;
    add(`rc/${name}`, render('rc', rcCardData(state, rc, { ...view, people: everyone, now: rcNow })));
    // Each person's own view (what a refresh or their click is answered with).
    for (const [who, id] of [...Object.entries(ids), ['someone-else', 'someone-else'] as const]) {
      const actions = actionsFor(state, rc, id, view.directory, rcNow);
      add(`rc/${name}/${who}`, render('rc', rcCardData(state, rc, { ...view, people: everyone, now: rcNow, viewer: { actions } })));
    }
    add(`status/${name}`, render('status', statusCardData(state, { ...view, threadUrl: 'https://teams.microsoft.com/l/message/19%3Aabc/1' })));
  }
  add('rc/superseded', render('rc', rcCardData(supersededState, 3, view)));
  add('rc/with-notice', render('rc', rcCardData(awaitingState, 3, { ...view, notice: NOTICE, threadUrl: 'https://teams.microsoft.com/l/message/19%3Aabc/1', people: everyone, now: rcNow })));
  add('status/none-yet', render('status', statusCardData({ version: '2026.5.0', revision: 0, rcs: [] }, view)));
  add('promotion', render('promotion', promotionCardData(promotedState, view)));

  const events: ReleaseEvent[] = [
    { type: 'rcCut', rc: 3, hotfix: false, contents: awaitingState.rcs[0]!.contents, by: ids.jake, at: '2026-04-14T14:05:00Z' },
    { type: 'approved', rc: 3, area: 'product', by: ids.luis, at: '2026-04-14T20:00:00Z' },
  ];
  add('history', render('history', historyCardData('2026.4.0', events, view)));
  add('history/empty', render('history', historyCardData('2026.4.0', [], view)));

  for (const id of [...Object.values(ids), 'someone-else']) {
    add(`help/${id}`, render('help', helpCardData({ id, name: 'Ana Lopes' }, crew)));
  }

  add('refusal/plain', render('refusal', refusalCardData({ reason: 'rc.3 was already promoted.' })));
  for (const text of PARSE_REFUSALS) {
    const parsed = parseCommand(text, OPTIONS);
    if (parsed.ok) throw new Error(`"${text}" parses; the catalogue wants a refusal`);
    add(`refusal/${text}`, render('refusal', refusalCardData({ reason: parsed.error, hint: parsed.usage })));
  }

  const deployments: Record<string, () => DeploymentState> = states;
  for (const [name, make] of Object.entries(deployments)) {
    const state = make();
    add(`tracker/${name}`, render('tracker', trackerData(state, { ...dview, now: inWindow(49), newMeetingUrl: NEW_MEETING, people })));
    // Each person's own view (what a refresh or their click is answered with).
    for (const [who, id] of Object.entries(ids)) {
      const viewer = { actions: deploymentActionsFor(state, id, crew) };
      add(`tracker/${name}/${who}`, render('tracker', trackerData(state, { ...dview, now: inWindow(49), newMeetingUrl: NEW_MEETING, people, viewer })));
    }
    add(`on-call/${name}`, render('on-call', onCallData(state, { ...dview, people, rotaOnCall: ids.jake })));
    for (const [who, id] of [['steven', ids.steven], ['luis', ids.luis]] as const) {
      const viewer = { actions: deploymentActionsFor(state, id, crew) };
      add(`on-call/${name}/${who}`, render('on-call', onCallData(state, { ...dview, people, rotaOnCall: ids.jake, viewer })));
    }
    add(`company-notice/${name}`, render('company-notice', companyNoticeData(state, dview)));
  }
  add('tracker/overrun', render('tracker', trackerData(states.inProgress(), { ...dview, now: inWindow(102) })));
  add('tracker/before-window', render('tracker', trackerData(states.covered(), { ...dview, now: inWindow(-120) })));
  add('tracker/with-notice', render('tracker', trackerData(states.stable(), { ...dview, now: inWindow(72), notice: NOTICE })));
  add('on-call/unnamed', render('on-call', onCallData(states.scheduled(), { ...dview, people })));
  add('on-call/unnamed/steven', render('on-call', onCallData(states.scheduled(), { ...dview, people, viewer: { actions: deploymentActionsFor(states.scheduled(), ids.steven, crew) } })));
  add('on-call/with-notice', render('on-call', onCallData(states.scheduled(), { ...dview, people, notice: NOTICE })));
  add('company-notice/rescheduled', render('company-notice', companyNoticeData(states.rescheduled(), { ...dview, rescheduledFrom: { start: '2026-04-15T02:00:00.000Z', end: '2026-04-15T03:30:00.000Z' } })));

  const formOptions = {
    ...dview,
    directory: crew,
    businessHours,
    releases: [
      { version: '2026.4.0', hotfix: false },
      { version: '2026.4.1', hotfix: true },
    ],
    environments: [prod, staging],
    people,
  };
  add('schedule-form', render('schedule-form', scheduleFormData(formOptions)));
  add('schedule-form/dialog', render('schedule-form', scheduleFormData({ ...formOptions, surface: 'dialog' })));
  add(
    'schedule-form/refused',
    render('schedule-form', scheduleFormData({ ...formOptions, error: `${USAGE.schedule.syntax}\nThe window overlaps business hours.` })),
  );
  add('schedule-form/blocked', render('schedule-form', scheduleFormData({ ...formOptions, releases: [], environments: [] })));
  add('schedule-form/reschedule', render('schedule-form', rescheduleFormData(states.covered(), { ...dview, businessHours })));
  return cards;
}
