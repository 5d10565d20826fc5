import { AuthenticationConstants, ToBotFromBotOrEmulatorTokenValidationParameters } from 'botframework-connector';
import { CallerIdConstants } from 'botbuilder';
import { createLogger } from '../../src/logger';
import { PUBLIC_CLOUD_AUTHENTICATION, createBotAdapter } from '../../src/teams/bot-adapter';
import { people } from '../helpers/bot-harness';
import { APP_ID, APP_PASSWORD, FixedTokenCredentialsFactory, HttpBot, OUTBOUND_TOKEN, collectingLogger, startHttpBot } from '../helpers/http-bot';
import { LoopbackIdentity, impostorOf, newSigningKey, signJwt, startLoopbackIdentity } from '../helpers/loopback-identity';

// With an app id, every request must carry a Bot Framework token that botbuilder's own validation
// accepts: signed by a published key (here: keys generated now and published on loopback), issued
// by https://api.botframework.com, for our app id, for the activity's serviceUrl, not expired. Each
// refusal is checked at the edge: the HTTP status, no document written, nothing sent to Teams.

const OTHER_TENANT = '99999999-0000-0000-0000-000000000099';
const OTHER_APP = '99999999-8888-7777-6666-555555555555';

describe('Bot Framework tokens over real HTTP', () => {
  let identity: LoopbackIdentity;
  let h: HttpBot;
  const logs = collectingLogger();
  const consoleOutput: string[] = [];
  /** Every bearer token sent in this file: none may show up in a log. */
  const tokensSent: string[] = [];
  let patch = 0;
  /** A fresh release per case, so "no document" means this request wrote nothing. */
  const nextRc = () => `2031.1.${(patch += 1)}-rc.1`;
  const cut = (rc: string) => `rc ${rc}\nfeatures: Loan export\nnotes: https://notes.example/${rc}`;
  const bearer = (token: string) => {
    tokensSent.push(token);
    return { authorization: `Bearer ${token}` };
  };

  beforeAll(async () => {
    // botbuilder writes its own diagnostics (not ours) with console.error; keep them for the
    // secrets check instead of printing them.
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map(String).join(' ')));
    identity = await startLoopbackIdentity();
    h = await startHttpBot({
      logger: logs.logger,
      server: {
        appId: APP_ID,
        appPassword: APP_PASSWORD,
        openIdMetadataUrl: identity.channelMetadataUrl,
        emulatorOpenIdMetadataUrl: identity.entraMetadataUrl,
        credentialsFactory: new FixedTokenCredentialsFactory(APP_ID, '00000000-0000-0000-0000-0000000000aa'),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await identity?.close();
    jest.restoreAllMocks();
  });

  /** Posts an RC cut from Jake with `headers`; expects `status` and, unless 200, no trace of it. */
  async function expectRefused(status: number, headers: Record<string, string>, overrides: Record<string, unknown> = {}) {
    const rc = nextRc();
    const callsBefore = h.connector.calls.length;
    const response = await h.post(h.message(people.jake, cut(rc), overrides), headers);
    await h.bot.outbox.idle();
    expect(response.status).toBe(status);
    expect(await h.release(rc.replace(/-rc\.1$/, ''))).toBeUndefined();
    expect(h.connector.calls.slice(callsBefore)).toEqual([]);
    return response;
  }

  test('a valid channel token: 200, the command is applied, and the reply goes out with the bot’s own token', async () => {
    const rc = nextRc();
    const activity = h.message(people.jake, cut(rc));
    const response = await h.post(activity, bearer(identity.channelToken(APP_ID, h.connector.url)));
    await h.bot.outbox.idle();

    expect(response.status).toBe(200);
    expect(await h.release(rc.replace(/-rc\.1$/, ''))).toMatchObject({ id: rc.replace(/-rc\.1$/, '') });
    const help = await h.post(h.message(people.luis, 'help'), bearer(identity.channelToken(APP_ID, h.connector.url)));
    expect(help.status).toBe(200);
    const replies = h.connector.calls.filter((call) => call.kind === 'reply' || call.kind === 'send');
    expect(replies.length).toBeGreaterThan(0);
    for (const call of h.connector.calls) expect(call.authorization).toBe(`Bearer ${OUTBOUND_TOKEN}`);
    // botbuilder fetched the metadata, then the keys, from our loopback issuer
    expect(identity.requests).toEqual(expect.arrayContaining(['/channel/.well-known/openidconfiguration', '/channel/keys']));
  });

  test('no Authorization header: 401', async () => {
    await expectRefused(401, {});
  });

  test('not a bearer token, or not a JWT: 401', async () => {
    await expectRefused(401, { authorization: `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}` });
    await expectRefused(401, bearer('not-a-jwt'));
    await expectRefused(401, bearer('a.b.c'));
  });

  test('expired (past the 5 minutes of clock skew botbuilder allows): 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, { nbf: now - 7200, exp: now - 600 })));
  });

  test('not valid yet: 401 (botbuilder alone would answer 500)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, { nbf: now + 3600, exp: now + 7200 })));
  });

  test('for another app (wrong audience), or for no app: 401', async () => {
    await expectRefused(401, bearer(identity.channelToken(OTHER_APP, h.connector.url)));
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, { aud: undefined })));
  });

  test('from another issuer: 401', async () => {
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, { iss: 'https://api.botframework.example' })));
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, { iss: undefined })));
  });

  test('a forged signature (same key id, another key): 401 (botbuilder alone would answer 500)', async () => {
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, {}, impostorOf(identity.channelKey))));
  });

  test('signed by a key that is not published, or by Entra’s key for a channel token: 401', async () => {
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, {}, newSigningKey())));
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, {}, identity.entraKey)));
  });

  test('algorithm tricks: alg "none", and HS256 keyed with the public key: 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: h.connector.url, nbf: now - 60, exp: now + 3600 };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none', typ: 'JWT', kid: identity.channelKey.kid })}.${encode(claims)}.`;
    await expectRefused(401, bearer(unsigned));
    const { createHmac, createPublicKey } = await import('node:crypto');
    const publicPem = createPublicKey({ key: identity.channelKey.publicJwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
    const input = `${encode({ alg: 'HS256', typ: 'JWT', kid: identity.channelKey.kid })}.${encode(claims)}`;
    const hs256 = `${input}.${createHmac('sha256', publicPem).update(input).digest('base64url')}`;
    await expectRefused(401, bearer(hs256));
  });

  test('the serviceurl claim names another connector than the activity: 401', async () => {
    await expectRefused(401, bearer(identity.channelToken(APP_ID, 'https://smba.trafficmanager.net/teams/')));
    // the token is for the real connector, the activity points the bot's replies elsewhere
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url)), { serviceUrl: 'http://127.0.0.1:1/' });
  });

  test('a valid token for a channel its key does not endorse: 401; one it endorses that is not Teams: 403', async () => {
    await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url)), { channelId: 'slack' });
    await expectRefused(403, bearer(identity.channelToken(APP_ID, h.connector.url)), { channelId: 'webchat' });
  });

  test('Entra-issued tokens for the bot’s own app (botbuilder’s emulator path) pass; for another app, or another tenant, they do not', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tenant = h.config.tenantId;
    const entra = (claims: Record<string, unknown>) =>
      signJwt(identity.entraKey, { iss: `https://sts.windows.net/${tenant}/`, aud: APP_ID, appid: APP_ID, ver: '1.0', tid: tenant, nbf: now - 60, exp: now + 3600, ...claims });

    const rc = nextRc();
    const accepted = await h.post(h.message(people.jake, cut(rc)), bearer(entra({})));
    await h.bot.outbox.idle();
    expect(accepted.status).toBe(200);
    expect(await h.release(rc.replace(/-rc\.1$/, ''))).toBeDefined();

    await expectRefused(401, bearer(entra({ appid: OTHER_APP })));
    await expectRefused(401, bearer(entra({ iss: `https://sts.windows.net/${OTHER_TENANT}/`, tid: OTHER_TENANT })));
  });

  test('tokens naming made-up tenants are refused before botbuilder can grow its process-wide issuer list', async () => {
    const before = (ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[]).length;
    for (let i = 0; i < 20; i += 1) {
      const tenant = `${'f'.repeat(8)}-0000-0000-0000-${String(i).padStart(12, '0')}`;
      await expectRefused(401, bearer(identity.channelToken(APP_ID, h.connector.url, { tid: tenant })));
    }
    expect((ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[]).length).toBe(before);
  });

  test('an activity from another tenant, even well signed, changes nothing and is logged with the tenant; its invoke gets 403', async () => {
    const otherTenant = { channelData: { tenant: { id: OTHER_TENANT } }, conversation: { id: `19:x@thread.tacv2;messageid=1`, isGroup: true, conversationType: 'channel', tenantId: OTHER_TENANT } };
    const callsBefore = h.connector.calls.length;
    await expectRcCutIgnored(otherTenant, OTHER_TENANT);

    const click = h.invoke(people.jake, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb: 'approve', data: { version: '2031.1.0-rc.1' } }, trigger: 'manual' }, otherTenant);
    const invoke = await h.post(click, bearer(identity.channelToken(APP_ID, h.connector.url)));
    await h.bot.outbox.idle();
    expect(invoke.status).toBe(403);
    expect(h.connector.calls.slice(callsBefore)).toEqual([]);
  });

  test('an activity that names no tenant is not taken to be ours: nothing changes, and the log says so', async () => {
    const noTenant = { channelData: {}, conversation: { id: `19:x@thread.tacv2;messageid=2`, isGroup: true, conversationType: 'channel' } };
    await expectRcCutIgnored(noTenant, '(none)');
  });

  /** A well-signed RC cut with these activity fields is answered 200, changes nothing, posts nothing, and is logged. */
  async function expectRcCutIgnored(overrides: Record<string, unknown>, loggedTenant: string): Promise<void> {
    const rc = nextRc();
    const message = h.message(people.jake, cut(rc), overrides);
    const callsBefore = h.connector.calls.length;
    const response = await h.post(message, bearer(identity.channelToken(APP_ID, h.connector.url)));
    await h.bot.outbox.idle();
    expect(response.status).toBe(200);
    expect(await h.release(rc.replace(/-rc\.1$/, ''))).toBeUndefined();
    expect(h.connector.calls.slice(callsBefore)).toEqual([]);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'refused an activity from another tenant', activityId: message.id, tenant: loggedTenant }),
    );
  }

  test('each refusal is logged with its reason, and no token or secret appears in any log line or console output', () => {
    const refusals = logs.entries().filter((entry) => entry.msg === 'refused a request');
    expect(refusals.length).toBeGreaterThanOrEqual(20);
    for (const entry of refusals) {
      expect(entry).toEqual(expect.objectContaining({ level: 'warn', status: expect.any(Number), reason: expect.any(String) }));
    }
    const turns = logs.entries().filter((entry) => entry.msg === 'turn');
    expect(turns.length).toBeGreaterThan(20);
    const everything = [...logs.lines, ...consoleOutput].join('\n');
    for (const secret of [APP_PASSWORD, OUTBOUND_TOKEN, ...tokensSent]) expect(everything).not.toContain(secret);
    // no message text either
    expect(logs.lines.join('\n')).not.toContain('Loan export');
  });
});

describe('when the signing keys cannot be fetched', () => {
  test('a request is answered 503 (our outage, not the caller’s fault), nothing runs, and the outage is logged', async () => {
    const identity = await startLoopbackIdentity();
    const logs = collectingLogger();
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const h = await startHttpBot({
      logger: logs.logger,
      server: {
        appId: APP_ID,
        appPassword: APP_PASSWORD,
        openIdMetadataUrl: 'http://127.0.0.1:9/nothing/.well-known/openidconfiguration',
        credentialsFactory: new FixedTokenCredentialsFactory(APP_ID, '00000000-0000-0000-0000-0000000000aa'),
      },
    });
    try {
      const rc = '2031.2.1-rc.1';
      const response = await h.post(h.message(people.jake, `rc ${rc}\nnotes: https://notes.example/x`), {
        authorization: `Bearer ${identity.channelToken(APP_ID, h.connector.url)}`,
      });
      await h.bot.outbox.idle();
      expect(response.status).toBe(503);
      expect(await h.release('2031.2.1')).toBeUndefined();
      expect(h.connector.calls).toEqual([]);
      expect(logs.entries()).toContainEqual(expect.objectContaining({ level: 'error', msg: 'cannot check Bot Framework tokens: signing keys unavailable' }));
    } finally {
      await h.close();
      await identity.close();
      jest.restoreAllMocks();
    }
  });
});

describe('authentication settings', () => {
  test('the public-cloud values spelled out when a metadata URL is overridden are botbuilder’s own', () => {
    expect(PUBLIC_CLOUD_AUTHENTICATION).toEqual({
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: CallerIdConstants.PublicAzureChannel,
    });
  });

  test('in production (no override) the adapter gets only the app settings, so botbuilder uses its public-cloud defaults', () => {
    const adapter = createBotAdapter({ appId: APP_ID, appPassword: APP_PASSWORD, tenantId: 'tenant-1' }, createLogger({ level: 'silent' }));
    expect(adapter.botFrameworkAuthConfig).toEqual({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant-1',
    });
    const local = createBotAdapter({ appId: '', tenantId: 'tenant-1' }, createLogger({ level: 'silent' }));
    expect(local.botFrameworkAuthConfig).toEqual({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' });
  });
});
