import { companyNoticeData } from '../../src/cards/company-notice-card';
import { createCardRenderer } from '../../src/cards/render';
import { DeploymentState } from '../../src/domain/types';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { actions, byId, expectNoTemplateLeft, texts } from './card-query';
import { dview, play, STEP, states } from './deployment-fixtures';

const render = createCardRenderer();
const notice = (state: DeploymentState, extra = {}) => render('company-notice', companyNoticeData(state, { ...dview, ...extra }));

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

const WINDOW_TEXT = 'Tue 14 Apr 2026, 22:00–23:30 EDT (Wed 15 Apr 02:00–03:30 UTC)';
const AVOID = 'Please avoid making changes to BXCI Production during the window.';

describe('company notice (#general, runbook 3.2)', () => {
  it('scheduled: release and environment, the window in the zone and UTC, avoid changes, the IRC', () => {
    const card = notice(states.scheduled());
    expectValid(card);
    expect(texts(card)).toEqual([
      'Deployment: 2026.4.0 to BXCI Production',
      '📅 Scheduled',
      'Window',
      WINDOW_TEXT,
      AVOID,
      'IRC: Steven Inouye',
    ]);
    expect(() => byId(card, 'hotfix-badge')).toThrow();
    expect(actions(card)).toEqual([]);
    expect(card.fallbackText).toBe(`Deployment: 2026.4.0 to BXCI Production — Scheduled: ${WINDOW_TEXT}`);
  });

  it('hotfix: carries the HOTFIX badge', () => {
    const card = notice(play([STEP.schedule], true));
    expectValid(card);
    expect(texts(byId(card, 'hotfix-badge'))).toEqual(['HOTFIX']);
    expect(card.fallbackText).toContain('(hotfix)');
  });

  it('rescheduled: says so, shows the new window and the old one', () => {
    const card = notice(states.rescheduled(), { rescheduledFrom: states.scheduled().window });
    expectValid(card);
    expect(byId(card, 'state').text).toBe('🔁 Rescheduled');
    expect(byId(card, 'state-box').style).toBe('warning');
    expect(byId(card, 'window-text').text).toBe('Wed 15 Apr 2026, 22:00 – Thu 16 Apr 2026, 00:00 EDT (Thu 16 Apr 02:00–04:00 UTC)');
    expect(byId(card, 'previous-window').text).toBe(`Previously ${WINDOW_TEXT}`);
    expect(byId(card, 'avoid').text).toBe(AVOID);
  });

  it('under way: the state line says since when, and changes are still to be avoided', () => {
    for (const state of [states.inProgress(), states.ready(), states.stable()]) {
      const card = notice(state);
      expectValid(card);
      expect(byId(card, 'state').text).toBe('🚧 In progress · started 22:02 EDT');
      expect(byId(card, 'avoid').text).toBe(AVOID);
    }
  });

  it('finished: live since when; no more "avoid changes"', () => {
    const card = notice(states.live());
    expectValid(card);
    expect(byId(card, 'state').text).toBe('✅ Finished · 2026.4.0 is live in BXCI Production since 23:20 EDT');
    expect(byId(card, 'state-box').style).toBe('good');
    expect(() => byId(card, 'avoid')).toThrow();
    expect(byId(card, 'window-text').text).toBe(WINDOW_TEXT);
  });

  it('aborted: when and why', () => {
    const card = notice(states.aborted());
    expectValid(card);
    expect(byId(card, 'state').text).toBe('⛔ Aborted · 22:20 EDT');
    expect(byId(card, 'state-box').style).toBe('attention');
    expect(byId(card, 'reason').text).toBe('Reason: migration failed');
    expect(() => byId(card, 'avoid')).toThrow();
  });

  it('cancelled: a big "Cancelled" and the reason; the window only as what was planned', () => {
    const card = notice(states.cancelled());
    expectValid(card);
    expect(byId(card, 'cancelled-title')).toMatchObject({ text: '🚫 Cancelled', size: 'ExtraLarge' });
    expect(byId(card, 'cancelled').style).toBe('attention');
    expect(texts(byId(card, 'cancelled'))).toEqual(['🚫 Cancelled', 'Reason: QA found a blocker', `Was planned for ${WINDOW_TEXT}`]);
    expect(() => byId(card, 'window')).toThrow();
    expect(() => byId(card, 'state')).toThrow();
    expect(() => byId(card, 'avoid')).toThrow();
    expect(card.fallbackText).toBe(`Deployment: 2026.4.0 to BXCI Production — Cancelled: ${WINDOW_TEXT} — QA found a blocker`);
  });

  it('ignores a previous window once the deployment started', () => {
    const card = notice(states.inProgress(), { rescheduledFrom: states.rescheduled().window });
    expect(() => byId(card, 'previous-window')).toThrow();
  });

  it('shows the window in the configured zone', () => {
    const card = notice(states.scheduled(), { timeZone: 'Europe/Lisbon' });
    expect(byId(card, 'window-text').text).toBe('Wed 15 Apr 2026, 03:00–04:30 GMT+1 (02:00–03:30 UTC)');
  });
});
