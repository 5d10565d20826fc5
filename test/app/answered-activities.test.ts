import { AnsweredActivities } from '../../src/app/answered-activities';
import { silentLogger } from '../../src/logger';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { DocumentStore } from '../../src/store/document-store';

// The shared record of answered activities, as two instances use it on one store: one answers, the
// other stays silent once the reply went out — and answers itself when the first never does (it was
// SIGKILLed after claiming, or its post failed), so a crash never loses an answer.

const HOLD_MS = 5_000;
const NOW = new Date('2026-04-14T14:05:00Z');

describe('AnsweredActivities on one store shared by two instances', () => {
  let store: DocumentStore;
  let clock: number;
  let slept: number[];
  /** The sleeping instance moves the shared clock; `during` runs what happens meanwhile elsewhere. */
  let during: (() => Promise<void>) | undefined;
  const instance = () =>
    new AnsweredActivities(store, silentLogger, {
      unsentClaimMs: HOLD_MS,
      clock: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
        const act = during;
        during = undefined;
        await act?.();
      },
    });

  beforeEach(() => {
    store = openEmbeddedStore(':memory:');
    clock = 1_000_000;
    slept = [];
    during = undefined;
  });
  afterEach(() => store.close());

  test('a copy arriving after the answer went out is silent at once', async () => {
    const [a, b] = [instance(), instance()];
    const first = await a.claim('conv', 'act-1', NOW);
    expect(first.mine).toBe(true);
    if (first.mine) await first.sent();
    expect((await b.claim('conv', 'act-1', NOW)).mine).toBe(false);
    expect(slept).toEqual([]);
  });

  test('a copy arriving while the first instance is still answering waits for it, then stays silent', async () => {
    const [a, b] = [instance(), instance()];
    const first = await a.claim('conv', 'act-2', NOW);
    during = async () => {
      if (first.mine) await first.sent();
    };
    expect((await b.claim('conv', 'act-2', NOW)).mine).toBe(false);
    expect(slept).toHaveLength(1);
  });

  test('a claim whose reply never went out is taken over after the hold, once', async () => {
    const [a, b, c] = [instance(), instance(), instance()];
    expect((await a.claim('conv', 'act-3', NOW)).mine).toBe(true); // then a is killed: never sent
    const second = await b.claim('conv', 'act-3', NOW);
    expect(second.mine).toBe(true);
    expect(slept.reduce((sum, ms) => sum + ms, 0)).toBe(HOLD_MS);
    if (second.mine) await second.sent();
    expect((await c.claim('conv', 'act-3', NOW)).mine).toBe(false);
  });

  test('another activity, or the same id in another conversation, is its own answer', async () => {
    const a = instance();
    expect((await a.claim('conv', 'act-4', NOW)).mine).toBe(true);
    expect((await a.claim('conv', 'act-5', NOW)).mine).toBe(true);
    expect((await a.claim('other conv', 'act-4', NOW)).mine).toBe(true);
  });
});
