import { DeliveryDeferred } from '../../src/app/outbox';
import { SendPacer, TEAMS_SEND_LIMITS } from '../../src/teams/send-pacer';
import { VirtualClock } from '../helpers/virtual-clock';

// The bot's side of Teams' rate limits: when each outbound request may go, per conversation and
// per tenant, on a virtual clock (no waiting in real time).

const TENANT = 'tenant-a';
const thread = (n: number) => `send 19:engineering@thread.tacv2;messageid=${n}`;

/** Lets every promise that can move, move (nothing here waits on I/O). */
const flush = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** Advances the clock from wake-up to wake-up until nobody sleeps any more. */
async function runOut(clock: VirtualClock): Promise<void> {
  await flush();
  while (clock.nextWake !== undefined) {
    clock.advanceTo(clock.nextWake);
    await flush();
  }
}

describe('send pacer', () => {
  let clock: VirtualClock;
  let pacer: SendPacer;
  let sent: Array<{ key: string; at: number; n: number }>;
  beforeEach(() => {
    clock = new VirtualClock();
    pacer = new SendPacer({ clock, maxWaitMs: 60_000 });
    sent = [];
  });
  const send = (key: string, n: number, tenantId = TENANT) =>
    pacer.run({ key, tenantId }, async () => {
      sent.push({ key, at: clock.now(), n });
      return n;
    });

  it('sends 10 posts to one thread at 7 in the first second, the 8th a second later, the last two at 2 s — in their order', async () => {
    const results = Array.from({ length: 10 }, (_, n) => send(thread(1), n));
    await runOut(clock);
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sent.map((s) => s.at)).toEqual([0, 0, 0, 0, 0, 0, 0, 1_000, 2_000, 2_000]);
    expect(sent.map((s) => s.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('holds a thread to 60 in 30 s', async () => {
    const results = Array.from({ length: 61 }, (_, n) => send(thread(1), n));
    await runOut(clock);
    await Promise.all(results);
    const times = sent.map((s) => s.at);
    for (let i = 0; i < times.length; i += 1) {
      for (const w of TEAMS_SEND_LIMITS.perConversation) expect(times.filter((t) => t > times[i]! - w.ms && t <= times[i]!).length).toBeLessThanOrEqual(w.max);
    }
    expect(times[60]).toBe(times[0]! + 30_000);
  });

  it('shares the tenant’s 50 per second among threads; another tenant is not held back', async () => {
    const results = Array.from({ length: 60 }, (_, n) => send(thread(n % 10), n));
    results.push(send(thread(99), 99, 'tenant-b'));
    await runOut(clock);
    await Promise.all(results);
    expect(sent.filter((s) => s.n < 60 && s.at === 0)).toHaveLength(50);
    expect(sent.filter((s) => s.n < 60 && s.at === 1_000)).toHaveLength(10);
    expect(sent.find((s) => s.n === 99)!.at).toBe(0);
  });

  it('counts a request until Teams answers it: slow answers push the next window out', async () => {
    const answers: Array<() => void> = [];
    // 50 threads, one request each, all still unanswered: the tenant's second is full
    const slow = Array.from({ length: 50 }, (_, n) => pacer.run({ key: thread(n), tenantId: TENANT }, () => new Promise<void>((resolve) => answers.push(resolve))));
    const next = send(thread(50), 50);
    await flush();
    expect(answers).toHaveLength(50);
    expect(sent).toHaveLength(0);
    clock.advanceTo(500);
    for (const answer of answers) answer();
    await Promise.all(slow);
    await runOut(clock);
    await next;
    // Teams may have counted the 50 as late as their answers (500 ms): the next goes a second after that.
    expect(sent).toEqual([{ key: thread(50), at: 1_500, n: 50 }]);
  });

  it('honours Retry-After of a 429 or 503 for that conversation only', async () => {
    const refused = pacer.run({ key: thread(1), tenantId: TENANT }, async () => {
      throw Object.assign(new Error('Teams answered 429'), { statusCode: 429, retryAfterMs: 3_000 });
    });
    await expect(refused).rejects.toThrow('429');
    const again = send(thread(1), 1);
    const other = send(thread(2), 2);
    await runOut(clock);
    await Promise.all([again, other]);
    expect(sent).toEqual([
      { key: thread(2), at: 0, n: 2 },
      { key: thread(1), at: 3_000, n: 1 },
    ]);

    const unavailable = pacer.run({ key: thread(3), tenantId: TENANT }, async () => {
      throw Object.assign(new Error('Teams answered 503'), { statusCode: 503, retryAfterMs: 5_000 });
    });
    await expect(unavailable).rejects.toThrow('503');
    const after = send(thread(3), 3);
    await runOut(clock);
    await after;
    expect(sent[2]).toEqual({ key: thread(3), at: 8_000, n: 3 });
  });

  it('hands a wait longer than its limit back to the outbox (DeliveryDeferred) rather than wait', async () => {
    const short = new SendPacer({ clock, maxWaitMs: 500 });
    const all = Promise.allSettled(Array.from({ length: 8 }, () => short.run({ key: thread(1), tenantId: TENANT }, async () => clock.now())));
    await runOut(clock);
    const settled = await all;
    expect(settled.slice(0, 7).every((s) => s.status === 'fulfilled')).toBe(true);
    const last = settled[7]!;
    expect(last.status === 'rejected' && last.reason).toBeInstanceOf(DeliveryDeferred);
    expect(last.status === 'rejected' && (last.reason as DeliveryDeferred).forMs).toBe(1_000);
  });

  it('forgets conversations whose requests have left every window', async () => {
    const first = Array.from({ length: 1_000 }, (_, n) => send(thread(n), n));
    await runOut(clock);
    await Promise.all(first);
    expect(pacer.remembered).toBe(1_001); // 1,000 threads and the tenant
    clock.advanceTo(clock.now() + 3_600_000);
    const second = Array.from({ length: 1_000 }, (_, n) => send(thread(5_000 + n), n));
    await runOut(clock);
    await Promise.all(second);
    expect(pacer.remembered).toBeLessThanOrEqual(1_001); // the first thousand are gone
  });

  it('defers a card update made less than a second after the last one only while sends are under pressure', async () => {
    const card = '19:t;messageid=1\u00001';
    const request = { key: thread(1), tenantId: TENANT };
    expect(pacer.deferCardUpdate(request, card)).toBeUndefined(); // never updated
    pacer.cardUpdated(card);
    clock.advanceTo(200);
    expect(pacer.deferCardUpdate(request, card)).toBeUndefined(); // quiet: sent at once
    // the tenant past half its budget: the update waits for the rest of the second
    await Promise.all(Array.from({ length: 25 }, (_, n) => send(thread(10 + n), n)));
    expect(pacer.deferCardUpdate(request, card)).toBe(800);
    clock.advanceTo(1_000);
    expect(pacer.deferCardUpdate(request, card)).toBeUndefined();
  });
});
