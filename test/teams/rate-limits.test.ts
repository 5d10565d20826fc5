import { TEAMS_RATE_LIMITS, TeamsRateLimiter, earliestCompletion, retryAfterSeconds } from '../../src/dev/teams-rate-limits';
import { LoopbackConnector, startLoopbackConnector } from '../helpers/loopback-connector';

// The stand-in for Teams' rate limits that the loopback connectors (tests and benchmark) enforce:
// per bot per conversation 7 sends/s, 8 per 2 s, 60 per 30 s, 1,800 per hour; new threads the same
// per channel; 50 requests/s per tenant; 429 with Retry-After when over.

const TENANT = '00000000-0000-0000-0000-0000000000aa';
const THREAD = '19:engineering0001@thread.tacv2;messageid=1001';
const send = (conversationId = THREAD, tenantId = TENANT) => ({ tenantId, operation: 'send' as const, conversationId });

describe('Teams rate limiter', () => {
  it('admits 7 sends to one conversation in a second and refuses the 8th until the first leaves the window', () => {
    const limiter = new TeamsRateLimiter();
    for (let i = 0; i < 7; i += 1) expect(limiter.admit(send(), i * 10).allowed).toBe(true);
    const eighth = limiter.admit(send(), 100);
    expect(eighth).toEqual({ allowed: false, retryAfterMs: 900, window: 'sends per conversation: 7 per 1 s' });
    expect(limiter.admit(send(), 1_000).allowed).toBe(true);
  });

  it('allows 8 in 2 s, then nothing until 2 s after the first', () => {
    const limiter = new TeamsRateLimiter();
    for (let i = 0; i < 7; i += 1) expect(limiter.admit(send(), 0).allowed).toBe(true);
    expect(limiter.admit(send(), 1_000).allowed).toBe(true); // the 8th, in a new second
    expect(limiter.admit(send(), 1_500)).toEqual({ allowed: false, retryAfterMs: 500, window: 'sends per conversation: 8 per 2 s' });
    expect(limiter.admit(send(), 2_000).allowed).toBe(true);
  });

  it('caps a conversation at 60 per 30 s and 1,800 per hour', () => {
    const limiter = new TeamsRateLimiter();
    // one every 300 ms stays under 7/s and 8/2 s; the 61st within 30 s is refused
    for (let i = 0; i < 60; i += 1) expect(limiter.admit(send(), i * 300).allowed).toBe(true);
    const refused = limiter.admit(send(), 60 * 300);
    expect(refused.allowed).toBe(false);
    expect(refused.allowed === false && refused.window).toBe('sends per conversation: 60 per 30 s');

    const hourly = new TeamsRateLimiter();
    let t = 0;
    for (let i = 0; i < 1_800; i += 1, t += 1_000) expect(hourly.admit(send(), t).allowed).toBe(true);
    const over = hourly.admit(send(), t);
    expect(over).toEqual({ allowed: false, retryAfterMs: 3_600_000 - t, window: 'sends per conversation: 1800 per 3600 s' });
  });

  it('counts conversations apart, but every request against the tenant’s 50 per second', () => {
    const limiter = new TeamsRateLimiter();
    for (let i = 0; i < 50; i += 1) expect(limiter.admit(send(`19:c@thread.tacv2;messageid=${i}`), 0).allowed).toBe(true);
    expect(limiter.admit(send('19:c@thread.tacv2;messageid=99'), 0)).toEqual({ allowed: false, retryAfterMs: 1_000, window: 'requests per tenant: 50 per 1 s' });
    expect(limiter.admit(send('19:c@thread.tacv2;messageid=99', 'another-tenant'), 0).allowed).toBe(true);
  });

  it('limits new threads per channel like sends, apart from the sends', () => {
    const limiter = new TeamsRateLimiter();
    const create = { tenantId: TENANT, operation: 'create' as const, conversationId: '19:engineering0001@thread.tacv2' };
    for (let i = 0; i < 7; i += 1) expect(limiter.admit(create, 0).allowed).toBe(true);
    expect(limiter.admit(create, 0)).toEqual({ allowed: false, retryAfterMs: 1_000, window: 'new threads per channel: 7 per 1 s' });
    expect(limiter.admit(send('19:engineering0001@thread.tacv2'), 0).allowed).toBe(true);
  });

  it('does not count refused requests: a retry after Retry-After goes through', () => {
    const limiter = new TeamsRateLimiter();
    for (let i = 0; i < 7; i += 1) limiter.admit(send(), 0);
    for (let i = 0; i < 100; i += 1) expect(limiter.admit(send(), 500).allowed).toBe(false);
    expect(limiter.admit(send(), 1_000).allowed).toBe(true);
  });

  it('says Retry-After in whole seconds, at least 1', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1_000)).toBe(1);
    expect(retryAfterSeconds(1_001)).toBe(2);
  });

  it('knows when a perfect sender could have finished', () => {
    // 10 sends to one thread, all at once: 7 at 0, the 8th at 1 s, the last two at 2 s
    expect(earliestCompletion(Array.from({ length: 10 }, () => ({ ...send(), at: 0 })))).toBe(2_000);
    // 10 threads × 6 sends at once: the tenant's 50/s is the bottleneck, the last 10 go at 1 s
    const sixEach = Array.from({ length: 60 }, (_, i) => ({ ...send(`19:c@thread.tacv2;messageid=${i % 10}`), at: 0 }));
    expect(earliestCompletion(sixEach)).toBe(1_000);
    // spread out enough, nothing waits: the last is sent when it exists
    expect(earliestCompletion([{ ...send(), at: 0 }, { ...send(), at: 400 }])).toBe(400);
    expect(TEAMS_RATE_LIMITS.perConversation.map((w) => [w.ms, w.max])).toEqual([[1_000, 7], [2_000, 8], [30_000, 60], [3_600_000, 1_800]]);
  });
});

describe('loopback connector with Teams’ limits', () => {
  let connector: LoopbackConnector;
  let now = 0;
  beforeEach(async () => {
    now = 0;
    connector = await startLoopbackConnector({ limits: TEAMS_RATE_LIMITS, now: () => now });
  });
  afterEach(async () => {
    await connector.close();
  });

  const post = (conversationId: string) =>
    fetch(`${connector.url}/v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'hi', conversation: { id: conversationId, tenantId: TENANT } }),
    });

  it('answers the 8th post to a thread within a second with 429 and Retry-After, and takes it a second later', async () => {
    for (let i = 0; i < 7; i += 1) expect((await post(THREAD)).status).toBe(200);
    const refused = await post(THREAD);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'TooManyRequests', message: 'over the limit (sends per conversation: 7 per 1 s)' } });
    expect(connector.throttled).toEqual([{ operation: 'send', conversationId: THREAD, retryAfterSeconds: 1, window: 'sends per conversation: 7 per 1 s' }]);
    // another thread is not held back, and the refused post was not recorded as delivered
    expect((await post('19:engineering0001@thread.tacv2;messageid=2002')).status).toBe(200);
    expect(connector.calls.filter((c) => c.conversationId === THREAD)).toHaveLength(7);
    now = 1_000;
    expect((await post(THREAD)).status).toBe(200);
  });

  it('limits new threads in a channel', async () => {
    const create = () =>
      fetch(`${connector.url}/v3/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ isGroup: true, tenantId: TENANT, channelData: { channel: { id: '19:engineering0001@thread.tacv2' } }, activity: { type: 'message', text: 'Release' } }),
      });
    for (let i = 0; i < 7; i += 1) expect((await create()).status).toBe(201);
    const refused = await create();
    expect(refused.status).toBe(429);
    expect(connector.throttled.map((t) => t.window)).toEqual(['new threads per channel: 7 per 1 s']);
  });
});
