import fc from 'fast-check';
import { DEPLOYMENT_CARD_VERBS, RC_CARD_VERBS } from '../../src/cards/card-data';
import { ENGINEERING, Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import { ADAPTIVE_CARD } from './teams-view';

// Every invoke is answered: a malformed card click gets 200 with a card saying nothing happened, an
// invoke the bot does not handle gets 400 naming it. teams-ai alone answers both with 501 (no route
// matched), which Teams shows as a broken card. Fuzzed over real HTTP, 5,000 invokes.

const THREAD = `${ENGINEERING};messageid=515151`;
const ERROR_TYPE = 'application/vnd.microsoft.error';

const INVOKE_NAMES = [
  'adaptiveCard/action',
  'adaptiveCard/foo',
  'adaptiveCard/',
  'composeExtension/fetchTask',
  'composeExtension/submitAction',
  'composeExtension/query',
  'composeExtension/queryLink',
  'composeExtension/selectItem',
  'composeExtension/setting',
  'task/fetch',
  'task/submit',
  'signin/verifyState',
  'signin/tokenExchange',
  'actionableMessage/executeAction',
  'fileConsent/invoke',
  'config/fetch',
  'tab/fetch',
  'message/submitAction',
  'handoff/action',
  'healthCheck',
];

const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** Card data a button might carry: the right keys with wrong types, or anything at all. */
const cardData = fc.oneof(
  junk,
  fc.record(
    {
      release: fc.oneof(fc.constant('2026.4.0'), junk),
      rc: fc.oneof(fc.constant(3), fc.constant('3'), junk),
      revision: fc.oneof(fc.constant(0), junk),
      reason: junk,
      notesUrl: junk,
      deploymentId: fc.oneof(fc.constant('2026.4.0@bxci-production.1'), junk),
      version: junk,
      environment: junk,
      date: junk,
      time: junk,
      durationMinutes: junk,
      validators: junk,
      verb: junk,
    },
    { requiredKeys: [] },
  ),
);

const verb = fc.oneof(fc.constantFrom(...RC_CARD_VERBS, ...DEPLOYMENT_CARD_VERBS, 'approveAll', '', 'constructor', '__proto__'), junk);

const action = fc.oneof(
  junk,
  fc.record({ type: fc.oneof(fc.constant('Action.Execute'), junk), verb, data: cardData }, { requiredKeys: [] }),
  fc.record({ type: fc.constant('Action.Execute'), verb, data: cardData }),
);

const value = fc.oneof(
  junk,
  fc.record({ action, trigger: fc.oneof(fc.constant('manual'), fc.constant('automatic'), junk) }, { requiredKeys: [] }),
  fc.record({ commandId: fc.oneof(fc.constant('scheduleDeploy'), junk), commandContext: junk, data: cardData, context: junk, botMessagePreviewAction: junk }, { requiredKeys: [] }),
  fc.record({ data: cardData, context: junk }, { requiredKeys: [] }),
);

const invoke = fc.record({ name: fc.oneof(fc.constantFrom(...INVOKE_NAMES), fc.string({ maxLength: 30 })), value });

describe('malformed invokes over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test('named examples: a card click the bot cannot read gets a card, an invoke it does not handle gets 400', async () => {
    const click = (value: unknown) => h.invoke(people.luis, THREAD, 'adaptiveCard/action', value as Record<string, unknown>);
    for (const value of [undefined, 'approve', { action: 'approve' }, { action: null }, { action: { type: 'Action.Submit', verb: 'approve' } }, { action: { type: 'Action.Execute', verb: 42 } }, { action: { type: 'Action.Execute' } }]) {
      const { status, body } = await click(value);
      expect({ value, status, type: body?.type }).toEqual({ value, status: 200, type: ADAPTIVE_CARD });
      expect(cardText(body.value)).toContain("This button sent something I can't read, so nothing happened.");
    }
    const unknownVerb = await click({ action: { type: 'Action.Execute', verb: 'approveAll', data: {} } });
    expect(unknownVerb.status).toBe(200);
    expect(cardText(unknownVerb.body.value)).toContain('This button ("approveAll") isn\'t one I know, so nothing happened.');
    const wrongTypes = await click({ action: { type: 'Action.Execute', verb: 'approve', data: { release: ['2026.4.0'], rc: { n: 3 } } } });
    expect(wrongTypes.status).toBe(200);
    expect(cardText(wrongTypes.body.value)).toContain('This card is missing which release it is about, so nothing happened.');

    const longReason = await click({ action: { type: 'Action.Execute', verb: 'reject', data: { release: '2026.4.0', rc: 3, revision: 0, reason: 'x'.repeat(200_000) } } });
    expect(longReason.status).toBe(200);
    expect(cardText(longReason.body.value)).toContain('That reason is longer than 2,000 characters, so nothing was recorded.');

    for (const name of ['adaptiveCard/foo', 'task/fetch', 'composeExtension/query', 'signin/verifyState']) {
      const { status, body } = await h.invoke(people.luis, THREAD, name, {});
      expect({ name, status, body }).toEqual({
        name,
        status: 400,
        body: { statusCode: 400, type: ERROR_TYPE, value: { code: 'BadRequest', message: `I don't handle "${name}" invokes.` } },
      });
    }
    const unknownCommand = await h.invoke(people.luis, THREAD, 'composeExtension/fetchTask', { commandId: 'deleteEverything' });
    expect(unknownCommand.status).toBe(200);
    expect(unknownCommand.body).toEqual({ task: { type: 'message', value: 'I have no command "deleteEverything". The one I offer here is Schedule deploy.' } });
    const unknownSubmit = await h.invoke(people.luis, THREAD, 'composeExtension/submitAction', { commandId: 'deleteEverything', data: {} });
    expect(unknownSubmit).toMatchObject({ status: 200, body: { task: { type: 'message' } } });
  });

  test('5,000 fuzzed invokes: never a 5xx or 501, each answered with a card, a dialog answer or a 400 that says what is wrong', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(invoke, async ({ name, value }) => {
        const { status, body } = await h.invoke(people.luis, THREAD, name, value as Record<string, unknown>);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status === 200 || status === 400).toBe(true);
        if (status === 400) expect(body?.value?.message ?? body?.message).toEqual(expect.any(String));
        if (status === 200 && name === 'adaptiveCard/action') expect(body?.type).toBe(ADAPTIVE_CARD);
      }),
      { numRuns: 5_000 },
    );
    expect([...statuses.keys()].sort()).toEqual([200, 400]);
    await h.settle();
    // Nothing a malformed click could change was changed: no post, no card update, no thread.
    expect(h.connector.calls.filter((call) => call.kind !== 'reply')).toEqual([]);
  }, 240_000);
});
