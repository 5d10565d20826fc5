import { rescheduleFormData, scheduleFormData, scheduleFormValuesOf, ScheduleFormOptions } from '../../src/cards/schedule-form-card';
import { createCardRenderer } from '../../src/cards/render';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { actions, byId, expectNoTemplateLeft, nodes, texts } from './card-query';
import { businessHours, crew, dview, inWindow, people, play, prod, staging, STEP, states } from './deployment-fixtures';
import { ids } from './fixtures';

const render = createCardRenderer();

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

const options: ScheduleFormOptions = {
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
const form = (extra: Partial<ScheduleFormOptions> = {}) => render('schedule-form', scheduleFormData({ ...options, ...extra }));
const inputs = (card: unknown) => nodes(card).filter((n) => typeof n.type === 'string' && n.type.startsWith('Input.'));
const choices = (input: Record<string, unknown>) => input.choices as { title: string; value: string }[];

describe('schedule form: a new deployment', () => {
  const card = form();

  it('is a valid Adaptive Card 1.5 with nothing left of the template', () => {
    expect(card.version).toBe('1.5');
    expectValid(card);
    expect(byId(card, 'title').text).toBe('Schedule a deployment');
    expect(card.fallbackText).toBe('Schedule a deployment');
  });

  it('asks for release, environment, date, start time, duration, engineer and validators, in that order', () => {
    expect(inputs(card).map((i) => [i.type, i.id, i.label])).toEqual([
      ['Input.ChoiceSet', 'version', 'Release'],
      ['Input.ChoiceSet', 'environment', 'Environment'],
      ['Input.Date', 'date', 'Start date'],
      ['Input.Time', 'time', 'Start time (America/New_York)'],
      ['Input.Number', 'durationMinutes', 'Duration (minutes)'],
      ['Input.ChoiceSet', 'engineer', 'Deployment engineer'],
      ['Input.ChoiceSet', 'validators', 'Validators'],
    ]);
  });

  it('makes every input required, with an error message saying what to do', () => {
    for (const input of inputs(card)) {
      expect(input).toMatchObject({ isRequired: true });
      expect(String(input.errorMessage)).toMatch(/^(Pick|A window runs)/);
    }
    expect(byId(card, 'durationMinutes').errorMessage).toBe('A window runs 15 to 480 minutes.');
  });

  it('offers the promoted releases given, marking hotfixes, and the configured environments', () => {
    expect(choices(byId(card, 'version'))).toEqual([
      { title: '2026.4.0', value: '2026.4.0' },
      { title: '2026.4.1 (hotfix)', value: '2026.4.1' },
    ]);
    expect(choices(byId(card, 'environment'))).toEqual([
      { title: 'BXCI Production', value: 'bxci-production' },
      { title: 'BXCI Staging', value: 'bxci-staging' },
    ]);
  });

  it('defaults the duration to the ~90 min estimate, within the domain limits', () => {
    expect(byId(card, 'durationMinutes')).toMatchObject({ value: 90, min: 15, max: 480 });
  });

  it('offers every person as engineer, and the validator pool as a multi-select', () => {
    expect(choices(byId(card, 'engineer')).map((c) => c.title)).toEqual([
      'Luis Garcia',
      'Rafaella Barrocas',
      'Steven Inouye',
      'Bosko Kocev',
      'Jake Edgington',
    ]);
    expect(byId(card, 'validators')).toMatchObject({ isMultiSelect: true, style: 'expanded' });
    expect(choices(byId(card, 'validators'))).toEqual([
      { title: 'Luis Garcia', value: ids.luis },
      { title: 'Bosko Kocev', value: ids.bosko },
      { title: 'Rafaella Barrocas', value: ids.rafaella },
    ]);
  });

  it('says which release is a hotfix and the business-hours rule', () => {
    expect(texts(byId(card, 'hotfix-note'))).toEqual(['🔥 2026.4.1 is a hotfix: it may be deployed during business hours.']);
    expect(byId(card, 'hotfix-note').style).toBe('warning');
    expect(byId(card, 'window-rule').text).toBe(
      'Unless the release is a hotfix, the window may not overlap business hours (Mon–Fri 09:00–18:00, America/New_York).',
    );
  });

  it('in chat, submits with Action.Execute "scheduleDeploy" and all inputs', () => {
    expect(actions(card)).toEqual([
      {
        type: 'Action.Execute',
        id: 'submit',
        title: 'Schedule',
        verb: 'scheduleDeploy',
        style: 'positive',
        associatedInputs: 'auto',
        data: { verb: 'scheduleDeploy' },
      },
    ]);
  });

  it('in a dialog (message-extension action), the same JSON submits with Action.Submit', () => {
    const dialog = form({ surface: 'dialog' });
    expectValid(dialog);
    expect(actions(dialog)).toEqual([
      { type: 'Action.Submit', id: 'submit', title: 'Schedule', style: 'positive', associatedInputs: 'auto', data: { verb: 'scheduleDeploy' } },
    ]);
    const withoutActions = (c: typeof card) => ({ ...c, actions: [] });
    expect(withoutActions(dialog)).toEqual(withoutActions(card));
  });

  it('opens empty, without an error banner', () => {
    expect(() => byId(card, 'error')).toThrow();
    expect(['version', 'environment', 'date', 'time', 'engineer', 'validators'].map((id) => byId(card, id).value)).toEqual(['', '', '', '', '', '']);
  });
});

describe('schedule form: variants', () => {
  it('re-shows what was typed, with the refusal at the top', () => {
    const error = '2026.4.0 is not a hotfix, so its window may not overlap business hours: Tue 14 Apr 2026, 10:00–11:30 EDT overlaps …';
    const card = form({
      error,
      values: {
        version: '2026.4.0',
        environment: 'bxci-production',
        date: '2026-04-14',
        time: '10:00',
        durationMinutes: 120,
        engineer: ids.bosko,
        validators: [ids.luis, ids.rafaella],
      },
    });
    expectValid(card);
    expect(card.body![0]).toMatchObject({ id: 'error', style: 'attention' });
    expect(texts(byId(card, 'error'))).toEqual([`🚫 ${error}`]);
    expect(byId(card, 'version').value).toBe('2026.4.0');
    expect(byId(card, 'environment').value).toBe('bxci-production');
    expect(byId(card, 'date').value).toBe('2026-04-14');
    expect(byId(card, 'time').value).toBe('10:00');
    expect(byId(card, 'durationMinutes').value).toBe(120);
    expect(byId(card, 'engineer').value).toBe(ids.bosko);
    expect(byId(card, 'validators').value).toBe(`${ids.luis},${ids.rafaella}`);
  });

  it('preselects the only promoted release, and has no hotfix note without a hotfix', () => {
    const card = form({ releases: [{ version: '2026.4.0', hotfix: false }] });
    expectValid(card);
    expect(byId(card, 'version').value).toBe('2026.4.0');
    expect(() => byId(card, 'hotfix-note')).toThrow();
  });

  it('names every hotfix offered', () => {
    const card = form({ releases: [{ version: '2026.4.1', hotfix: true }, { version: '2026.3.2', hotfix: true }] });
    expect(texts(byId(card, 'hotfix-note'))).toEqual(['🔥 2026.4.1 and 2026.3.2 are hotfixes: they may be deployed during business hours.']);
  });

  it('writes business days that are not one run as a list', () => {
    const card = form({ businessHours: { days: ['fri', 'mon', 'wed'], start: '08:00', end: '17:30' } });
    expect(byId(card, 'window-rule').text).toContain('(Mon, Wed, Fri 08:00–17:30, America/New_York)');
  });

  it('with nothing promoted, says so and offers no release input and no submit', () => {
    const card = form({ releases: [] });
    expectValid(card);
    expect(texts(byId(card, 'blockers'))).toEqual(['No release is promoted yet; only a promoted release is scheduled.']);
    expect(() => byId(card, 'version')).toThrow();
    expect(actions(card)).toEqual([]);
  });

  it('with an empty validator pool, says where to fix it', () => {
    const card = form({ directory: { ...crew, validatorPool: [] } });
    expectValid(card);
    expect(texts(byId(card, 'blockers'))).toEqual(['The validator pool is empty; add validators to the config (roles.validators).']);
    expect(() => byId(card, 'validators')).toThrow();
    expect(actions(card)).toEqual([]);
  });
});

describe('schedule form: reschedule', () => {
  const state = states.covered();
  const card = render('schedule-form', rescheduleFormData(state, { ...dview, businessHours }));

  it('names the deployment and shows what stays as facts, not inputs', () => {
    expectValid(card);
    expect(byId(card, 'title').text).toBe('Reschedule Deploy 2026.4.0 to BXCI Production');
    expect(byId(card, 'facts').facts).toEqual([
      { title: 'Release', value: '2026.4.0' },
      { title: 'Environment', value: 'BXCI Production' },
      { title: 'Engineer', value: 'Bosko Kocev' },
      { title: 'Validators', value: 'Luis Garcia and Rafaella Barrocas' },
    ]);
    expect(inputs(card).map((i) => i.id)).toEqual(['date', 'time', 'durationMinutes']);
  });

  it('opens on the current window, in the configured zone', () => {
    expect(byId(card, 'date').value).toBe('2026-04-14');
    expect(byId(card, 'time').value).toBe('22:00');
    expect(byId(card, 'durationMinutes').value).toBe(90);
    expect(byId(card, 'window-rule').text).toBe('The window may not overlap business hours (Mon–Fri 09:00–18:00, America/New_York).');
  });

  it('submits "rescheduleDeploy" with the deployment and the revision the IRC saw', () => {
    expect(actions(card)).toEqual([
      {
        type: 'Action.Execute',
        id: 'submit',
        title: 'Reschedule',
        verb: 'rescheduleDeploy',
        style: 'positive',
        associatedInputs: 'auto',
        data: { verb: 'rescheduleDeploy', deploymentId: '2026.4.0@bxci-production.1', revision: state.revision },
      },
    ]);
    const dialog = render('schedule-form', rescheduleFormData(state, { ...dview, businessHours, surface: 'dialog' }));
    expect(actions(dialog)).toMatchObject([{ type: 'Action.Submit', data: { verb: 'rescheduleDeploy', deploymentId: '2026.4.0@bxci-production.1', revision: state.revision } }]);
  });

  it('keeps what was typed over the current window when re-shown with an error', () => {
    const again = render('schedule-form', rescheduleFormData(state, { ...dview, businessHours, values: { time: '23:00' }, error: 'Overlaps …' }));
    expectValid(again);
    expect(byId(again, 'time').value).toBe('23:00');
    expect(byId(again, 'date').value).toBe('2026-04-14');
    expect(texts(byId(again, 'error'))).toEqual(['🚫 Overlaps …']);
  });

  it('a hotfix says so instead of the business-hours rule', () => {
    const hotfix = play([STEP.schedule], true);
    const c = render('schedule-form', rescheduleFormData(hotfix, { ...dview, businessHours }));
    expectValid(c);
    expect(texts(byId(c, 'hotfix-note'))).toEqual(['🔥 2026.4.0 is a hotfix: it may be deployed during business hours.']);
    expect(() => byId(c, 'window-rule')).toThrow();
    expect(byId(c, 'facts').facts).toContainEqual({ title: 'Release', value: '2026.4.0 (hotfix)' });
  });

  it('a started deployment cannot be moved: no submit, and why', () => {
    const c = render('schedule-form', rescheduleFormData(states.inProgress(), { ...dview, businessHours }));
    expectValid(c);
    expect(texts(byId(c, 'blockers'))).toEqual([
      "Deploy 2026.4.0 to BXCI Production has started; only a deployment that hasn't started can be moved.",
    ]);
    expect(actions(c)).toEqual([]);
  });

  it('scheduleFormValuesOf reads the window as local date, time and length', () => {
    expect(scheduleFormValuesOf(state, 'Europe/Lisbon')).toEqual({
      version: '2026.4.0',
      environment: 'bxci-production',
      date: '2026-04-15',
      time: '03:00',
      durationMinutes: 90,
      engineer: ids.bosko,
      validators: [ids.luis, ids.rafaella],
    });
    expect(inWindow(0).toISOString()).toBe(state.window.start);
  });
});
