import { SigningKeyPolicy, SigningKeys, SigningKeysUnavailable } from '../../src/teams/signing-keys';
import { people } from '../helpers/bot-harness';
import { APP_ID, APP_PASSWORD, FixedTokenCredentialsFactory, HttpBot, collectingLogger, startHttpBot } from '../helpers/http-bot';
import { LoopbackIdentity, impostorOf, newSigningKey, signJwt, startLoopbackIdentity } from '../helpers/loopback-identity';
import { waitFor } from '../helpers/wait-for';

// The Bot Framework signing-key host misbehaving: slow, black-holed (accepts, never answers) or down
// (connection refused). A token that fails what needs no network is 401 without any key request; a
// key fetch never outlasts its deadline, runs once for everyone, and cached keys are used while a
// refresh fails; only when no key can be had at all is the answer 503 with Retry-After.

// Long enough that a slow (100 ms a request) host answers within it on a busy machine.
const DEADLINE_MS = 1_000;
const HOUR = 60 * 60_000;

/** A clock the test moves. */
function testClock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function policy(overrides: Partial<SigningKeyPolicy> = {}): SigningKeyPolicy {
  return { timeoutMs: DEADLINE_MS, refreshAfterMs: 24 * HOUR, unknownKeyRefreshMs: HOUR, retryAfterFailureMs: 10_000, now: () => Date.now(), ...overrides };
}

const metadataRequests = (identity: LoopbackIdentity) => identity.requests.filter((path) => path === '/channel/.well-known/openidconfiguration').length;

describe('SigningKeys against a misbehaving key host', () => {
  let identity: LoopbackIdentity;
  beforeEach(async () => {
    identity = await startLoopbackIdentity();
  });
  afterEach(() => identity.close());

  test('concurrent lookups share one fetch, and cached keys serve every later one', async () => {
    await identity.setMode({ kind: 'slow', delayMs: 50 });
    const keys = new SigningKeys(identity.channelMetadataUrl, policy());
    const found = await Promise.all(Array.from({ length: 20 }, () => keys.getKey(identity.channelKey.kid)));
    expect(found.every((key) => key?.key.includes('BEGIN PUBLIC KEY'))).toBe(true);
    expect(found[0]!.endorsements).toContain('msteams');
    expect(identity.requests).toEqual(['/channel/.well-known/openidconfiguration', '/channel/keys']);

    await identity.setMode({ kind: 'down' });
    for (let i = 0; i < 50; i++) expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
    expect(identity.requests).toHaveLength(2);
    expect(keys.fetches).toBe(1);
  });

  test('black-holed: the fetch is abandoned at its deadline and its connection closed; callers get SigningKeysUnavailable', async () => {
    await identity.setMode({ kind: 'black-hole' });
    const keys = new SigningKeys(identity.channelMetadataUrl, policy());
    const lookups = Promise.allSettled(Array.from({ length: 5 }, () => keys.getKey(identity.channelKey.kid)));
    const results = await lookups;
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(SigningKeysUnavailable);
      expect(error.message).toContain(`no answer within ${DEADLINE_MS} ms`);
      expect(error.retryAfterSeconds).toBe(10);
    }
    expect(identity.connections()).toBe(1);
    await waitFor(() => identity.openSockets() === 0, 'the abandoned connection to close', 1_000);
  });

  test('down: connection refused is SigningKeysUnavailable, and the next tries wait for Retry-After without a fetch', async () => {
    const clock = testClock();
    await identity.setMode({ kind: 'down' });
    const keys = new SigningKeys(identity.channelMetadataUrl, policy({ now: clock.now }));
    await expect(keys.getKey(identity.channelKey.kid)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    clock.advance(4_000);
    await expect(keys.getKey(identity.channelKey.kid)).rejects.toMatchObject({ retryAfterSeconds: 6 });
    expect(keys.fetches).toBe(1);

    await identity.setMode({ kind: 'serving' });
    clock.advance(6_000);
    expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
    expect(keys.fetches).toBe(2);
  });

  test('slow but within the deadline: the keys arrive', async () => {
    await identity.setMode({ kind: 'slow', delayMs: DEADLINE_MS / 4 });
    const keys = new SigningKeys(identity.channelMetadataUrl, policy());
    expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
  });

  test('stale keys keep working while their refresh fails, and the refresh is retried only after Retry-After', async () => {
    const clock = testClock();
    const failures: string[] = [];
    const keys = new SigningKeys(identity.channelMetadataUrl, policy({ now: clock.now }), (error) => failures.push(error.message));
    expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();

    await identity.setMode({ kind: 'black-hole' });
    clock.advance(25 * HOUR);
    // Answered from the cache at once; the refresh runs behind it.
    expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
    expect(keys.fetches).toBe(2);
    await waitFor(() => failures.length === 1, 'the background refresh to fail');
    expect(failures[0]).toContain(`no answer within ${DEADLINE_MS} ms`);

    for (let i = 0; i < 10; i++) expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
    expect(keys.fetches).toBe(2);
    clock.advance(10_000);
    expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
    expect(keys.fetches).toBe(3);
  });

  test('an unknown key id is null, and triggers a refresh at most once an hour (a rotation is picked up)', async () => {
    const clock = testClock();
    const keys = new SigningKeys(identity.channelMetadataUrl, policy({ now: clock.now }));
    expect(await keys.getKey(identity.channelKey.kid)).not.toBeNull();
    for (let i = 0; i < 20; i++) expect(await keys.getKey(`made-up-${i}`)).toBeNull();
    expect(keys.fetches).toBe(1);

    const rotated = newSigningKey();
    identity.publishChannelKey(rotated);
    clock.advance(HOUR);
    expect(await keys.getKey(rotated.kid)).not.toBeNull();
    expect(keys.fetches).toBe(2);
    expect(await keys.getKey('made-up-again')).toBeNull();
    expect(keys.fetches).toBe(2);
  });
});

describe('tokens over HTTP while the key host misbehaves', () => {
  let identity: LoopbackIdentity;
  let h: HttpBot;
  const logs = collectingLogger();

  async function startBot(): Promise<HttpBot> {
    return startHttpBot({
      logger: logs.logger,
      server: {
        appId: APP_ID,
        appPassword: APP_PASSWORD,
        openIdMetadataUrl: identity.channelMetadataUrl,
        emulatorOpenIdMetadataUrl: identity.entraMetadataUrl,
        credentialsFactory: new FixedTokenCredentialsFactory(APP_ID, '00000000-0000-0000-0000-0000000000aa'),
        signingKeys: { timeoutMs: DEADLINE_MS },
      },
    });
  }

  beforeEach(async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    identity = await startLoopbackIdentity();
  });
  afterEach(async () => {
    await h?.close();
    await identity.close();
    jest.restoreAllMocks();
  });

  const post = (token: string, overrides: Record<string, unknown> = {}) =>
    h.post(h.message(people.jake, 'help', overrides), { authorization: `Bearer ${token}` });

  /** Tokens that fail a check needing no key: each must be 401 without the key host being asked. */
  function offlineRefusals(): Record<string, string> {
    const now = Math.floor(Date.now() / 1000);
    const url = h.connector.url;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: url, nbf: now - 60, exp: now + 3600 };
    const signingInput = (header: Record<string, unknown>) => `${encode(header)}.${encode(claims)}`;
    return {
      expired: identity.channelToken(APP_ID, url, { nbf: now - 7200, exp: now - 301 }),
      // An hour ahead, not just past the 5-minute tolerance: the tokens are made before the posts, and on
      // a busy machine a second passes before the last is checked (CI once saw this one accepted for that).
      'not valid yet': identity.channelToken(APP_ID, url, { nbf: now + 3600, exp: now + 7200 }),
      'no expiry': identity.channelToken(APP_ID, url, { exp: undefined }),
      'wrong audience': identity.channelToken('99999999-8888-7777-6666-555555555555', url),
      'no audience': identity.channelToken(APP_ID, url, { aud: undefined }),
      'wrong issuer': identity.channelToken(APP_ID, url, { iss: 'https://api.botframework.example' }),
      'another service URL': identity.channelToken(APP_ID, 'https://smba.trafficmanager.net/teams/'),
      'an unknown tenant': identity.channelToken(APP_ID, url, { tid: 'ffffffff-0000-0000-0000-000000000001' }),
      'alg none': `${signingInput({ alg: 'none', typ: 'JWT', kid: identity.channelKey.kid })}.`,
      'alg none with a signature': `${signingInput({ alg: 'none', typ: 'JWT', kid: identity.channelKey.kid })}.c2ln`,
      HS256: `${signingInput({ alg: 'HS256', typ: 'JWT', kid: identity.channelKey.kid })}.c2ln`,
      RS512: signJwt(identity.channelKey, claims, { alg: 'RS512' }),
      'no key id': signJwt(identity.channelKey, claims, { kid: undefined }),
      'not a JWT': 'not-a-jwt',
      'not JSON inside': 'a.b.c',
    };
  }

  test('black-holed from the start: every token failing an offline check is 401 and no key is asked for', async () => {
    await identity.setMode({ kind: 'black-hole' });
    h = await startBot();
    // The prefetch at start is the one connection the host gets.
    await waitFor(() => identity.connections() === 1, 'the prefetch to connect');
    const connections = identity.connections();
    for (const [name, token] of Object.entries(offlineRefusals())) {
      const response = await post(token);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
    }
    const missing = await h.post(h.message(people.jake, 'help'));
    expect(missing.status).toBe(401);
    expect(identity.connections()).toBe(connections);
    expect(h.connector.calls).toEqual([]);
  });

  test('black-holed from the start: a token that passes the offline checks gets 503 with Retry-After within the deadline, and no socket is left open', async () => {
    await identity.setMode({ kind: 'black-hole' });
    h = await startBot();
    const forged = identity.channelToken(APP_ID, h.connector.url, {}, impostorOf(identity.channelKey));
    const responses = await Promise.all([post(forged), post(identity.channelToken(APP_ID, h.connector.url))]);
    for (const response of responses) {
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body).toEqual({ error: 'Service Unavailable', message: 'Cannot validate the token right now; try again.' });
    }
    // the prefetch and the requests shared one fetch
    expect(identity.connections()).toBe(1);
    await waitFor(() => identity.openSockets() === 0, 'the abandoned connection to close', 1_000);
    expect(logs.entries()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'cannot check Bot Framework tokens: signing keys unavailable' }));
    expect(h.connector.calls).toEqual([]);
  }, 5_000);

  test('with the keys cached, the host going down changes nothing: valid is 200, forged and expired are 401, and the host is not asked', async () => {
    h = await startBot();
    expect((await post(identity.channelToken(APP_ID, h.connector.url))).status).toBe(200);
    await identity.setMode({ kind: 'down' });
    const connections = identity.connections();

    expect((await post(identity.channelToken(APP_ID, h.connector.url, {}, impostorOf(identity.channelKey)))).status).toBe(401);
    expect((await post(identity.channelToken(APP_ID, h.connector.url, {}, newSigningKey()))).status).toBe(401);
    for (const [name, token] of Object.entries(offlineRefusals())) {
      expect({ name, status: (await post(token)).status }).toEqual({ name, status: 401 });
    }
    expect((await post(identity.channelToken(APP_ID, h.connector.url))).status).toBe(200);
    expect(identity.connections()).toBe(connections);
  });

  test('down from the start: a valid token gets 503 with Retry-After, and retries within it do not hammer the host', async () => {
    await identity.setMode({ kind: 'down' });
    h = await startBot();
    for (let i = 0; i < 5; i++) {
      const response = await post(identity.channelToken(APP_ID, h.connector.url));
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(identity.connections()).toBe(0);
    expect(h.connector.calls).toEqual([]);
  });

  test('slow but within the deadline: ten first requests at once are all let in after one fetch', async () => {
    await identity.setMode({ kind: 'slow', delayMs: 100 });
    h = await startBot();
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(identity.channelToken(APP_ID, h.connector.url))));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(metadataRequests(identity)).toBe(1);
  });
});
