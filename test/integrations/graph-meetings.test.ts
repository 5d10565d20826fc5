import { ClientSecretCredential } from '@azure/identity';
import { BotError } from '../../src/errors';
import { createGraphMeetingScheduler, MeetingScheduler } from '../../src/integrations/meetings';
import { Logger } from '../../src/logger';
import { LoopbackGraph, startLoopbackGraph } from '../helpers/loopback-graph';
import { bosko, deployMeeting, jake, luis, mailboxes, rejectionOf, steven } from './fixtures';

// The Graph meeting scheduler over real HTTP: a real ClientSecretCredential (msal-node inside
// @azure/identity) signs in at a loopback HTTPS authority, and every Graph call goes to a loopback
// Graph that checks the token, the path and the body.

describe('Graph meeting scheduler', () => {
  let graph: LoopbackGraph;
  let warnings: string[];
  let scheduler: MeetingScheduler;

  const loggerInto = (lines: string[]): Logger => ({
    info: () => undefined,
    warn: (fields, message) => lines.push(`${message} ${JSON.stringify(fields)}`),
    error: (fields, message) => lines.push(`${message} ${JSON.stringify(fields)}`),
  });

  const credentialFor = (secret: string) =>
    new ClientSecretCredential(graph.tenantId, graph.clientId, secret, {
      authorityHost: graph.authorityHost,
      disableInstanceDiscovery: true,
      agent: graph.authorityAgent,
    });

  const calls = () => graph.requests.map((r) => `${r.method} ${r.path}`);

  beforeEach(async () => {
    graph = await startLoopbackGraph({ mailboxes });
    warnings = [];
    scheduler = createGraphMeetingScheduler({
      baseUrl: graph.graphUrl,
      credential: credentialFor(graph.clientSecret),
      logger: loggerInto(warnings),
      lookupDelayMs: 0,
    });
  });

  afterEach(async () => {
    expect(graph.malformed).toEqual([]);
    await graph.close();
  });

  it("creates the Teams meeting on the IRC's calendar, invites everyone, and turns recording on", async () => {
    const meeting = await scheduler.create(deployMeeting({ details: 'Runbook: https://wiki.lendos.example/release-execution' }));

    const [event] = [...graph.events.values()];
    const [online] = [...graph.onlineMeetings.values()];
    expect(meeting).toEqual({ id: `graph:${steven.aadObjectId}:${event!.id}`, joinUrl: event!.joinUrl, recordingOn: true, kind: 'teams-meeting' });
    expect(online!.recordAutomatically).toBe(true);

    expect(calls()).toEqual([
      `POST /users/${steven.aadObjectId}/events`,
      `GET /users/${steven.aadObjectId}/onlineMeetings`,
      `PATCH /users/${steven.aadObjectId}/onlineMeetings/${online!.id}`,
    ]);
    const [create, lookup, record] = graph.requests;
    expect(create!.body).toEqual({
      subject: 'Deploy 2026.4.0 to BXCI Production',
      body: { contentType: 'text', content: 'Runbook: https://wiki.lendos.example/release-execution' },
      start: { dateTime: '2026-04-14T22:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-04-14T23:30:00', timeZone: 'UTC' },
      attendees: [
        { emailAddress: { address: jake.email, name: jake.name }, type: 'required' },
        { emailAddress: { address: luis.email, name: luis.name }, type: 'required' },
        { emailAddress: { address: bosko.email, name: bosko.name }, type: 'required' },
      ],
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      allowNewTimeProposals: false,
    });
    expect(create!.headers.prefer).toBe('outlook.timezone="UTC", IdType="ImmutableId"');
    expect(create!.headers['content-type']).toBe('application/json');
    // The join link's own %-escapes are encoded again inside $filter, spaces as %20 (and the
    // quotes as %27: the URL standard percent-encodes ' in a query).
    expect(lookup!.query.$filter).toBe(`JoinWebUrl eq '${event!.joinUrl}'`);
    expect(lookup!.rawUrl).toContain('$filter=JoinWebUrl%20eq%20%27https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_');
    expect(record!.body).toEqual({ recordAutomatically: true });

    // Every Graph call carries the token the authority issued for the client secret.
    const issued = [...graph.issuedTokens];
    expect(issued).toHaveLength(1);
    expect(graph.requests.map((r) => r.headers.authorization)).toEqual(graph.requests.map(() => `Bearer ${issued[0]}`));
    expect(graph.tokenRequests.map((t) => `${t.kind} ${t.path} ${t.status}`)).toEqual([
      `openid-configuration /${graph.tenantId}/v2.0/.well-known/openid-configuration 200`,
      `client-credentials /${graph.tenantId}/oauth2/v2.0/token 200`,
    ]);
    expect(graph.tokenRequests[1]!.fields).toMatchObject({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(warnings).toEqual([]);
  });

  it('signs in once: the next meeting reuses the cached token', async () => {
    await scheduler.create(deployMeeting());
    await scheduler.create(deployMeeting({ subject: 'Deploy 2026.4.0 to BXCI Staging' }));
    expect(graph.tokenRequests.filter((t) => t.kind === 'client-credentials')).toHaveLength(1);
    expect(graph.events.size).toBe(2);
  });

  it('leaves the IRC and repeated addresses out of the invitation', async () => {
    await scheduler.create(
      deployMeeting({
        attendees: [
          { email: steven.email.toUpperCase(), name: steven.name },
          { email: jake.email, name: jake.name },
          { email: jake.email, name: 'Jake again' },
        ],
      }),
    );
    expect(graph.requests[0]!.body.attendees).toEqual([{ emailAddress: { address: jake.email, name: jake.name }, type: 'required' }]);
  });

  it("sends the idempotency key as the event's transactionId, so a repeated create makes one meeting", async () => {
    const first = await scheduler.create(deployMeeting({ idempotencyKey: 'dep-2026.4.0-bxci-production-1' }));
    const again = await scheduler.create(deployMeeting({ idempotencyKey: 'dep-2026.4.0-bxci-production-1' }));
    expect(again.id).toBe(first.id);
    expect(graph.events.size).toBe(1);
    expect(graph.requests[0]!.body.transactionId).toBe('dep-2026.4.0-bxci-production-1');
  });

  it('retries a throttled create that carries an idempotency key, honouring Retry-After', async () => {
    graph.injectFault({ status: 429, count: 1, retryAfter: 0, match: (r) => r.method === 'POST' });
    const meeting = await scheduler.create(deployMeeting({ idempotencyKey: 'dep-1' }));
    expect(meeting.recordingOn).toBe(true);
    expect(graph.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([429, 201]);
  });

  it('does not repeat a throttled create without an idempotency key (it could invite everyone twice)', async () => {
    graph.injectFault({ status: 503, count: 1, retryAfter: 0, match: (r) => r.method === 'POST' });
    const error = await rejectionOf(scheduler.create(deployMeeting()));
    expect(error).toBeInstanceOf(BotError);
    expect(error).toMatchObject({ code: 'integration', statusCode: 503 });
    expect(error.message).toMatch(/Microsoft Graph was unavailable to create the meeting "Deploy 2026.4.0 to BXCI Production" on steven.inouye@lendos.example's calendar \(503 ServiceNotAvailable/);
    expect(calls()).toEqual([`POST /users/${steven.aadObjectId}/events`]);
  });

  it('reads the event again when Graph answers the create before the Teams link is attached', async () => {
    graph.answerCreateWithoutJoinUrl = true;
    const meeting = await scheduler.create(deployMeeting());
    const [event] = [...graph.events.values()];
    expect(meeting.joinUrl).toBe(event!.joinUrl);
    expect(calls().slice(0, 2)).toEqual([`POST /users/${steven.aadObjectId}/events`, `GET /users/${steven.aadObjectId}/events/${event!.id}`]);
    expect(graph.requests[1]!.query.$select).toBe('id,isOnlineMeeting,onlineMeeting');
    // The immutable id holds "/", "+" and "=": sent encoded, it arrives as one path segment.
    expect(graph.requests[1]!.rawUrl).toContain(encodeURIComponent(event!.id));
    expect(meeting.recordingOn).toBe(true);
  });

  it('looks the new Teams meeting up again when Graph does not list it yet', async () => {
    graph.hideNewMeetingsForLookups = 1;
    const meeting = await scheduler.create(deployMeeting());
    expect(meeting.recordingOn).toBe(true);
    expect(calls().filter((c) => c.startsWith('GET'))).toHaveLength(2);
  });

  it('updates the window, subject and attendees by PATCHing the event; recording stays on', async () => {
    const created = await scheduler.create(deployMeeting());
    graph.requests.length = 0;

    const moved = await scheduler.update(
      created.id,
      deployMeeting({ start: new Date('2026-04-15T22:00:00Z'), end: new Date('2026-04-15T23:30:00Z'), attendees: [{ email: jake.email, name: jake.name }] }),
    );

    const [event] = [...graph.events.values()];
    expect(moved).toEqual(created);
    expect(calls()).toEqual([`PATCH /users/${steven.aadObjectId}/events/${event!.id}`, `GET /users/${steven.aadObjectId}/onlineMeetings`]);
    expect(graph.requests[0]!.body).toEqual({
      subject: 'Deploy 2026.4.0 to BXCI Production',
      start: { dateTime: '2026-04-15T22:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-04-15T23:30:00', timeZone: 'UTC' },
      attendees: [{ emailAddress: { address: jake.email, name: jake.name }, type: 'required' }],
    });
    expect(event!.start.dateTime).toBe('2026-04-15T22:00:00');
  });

  it('cancels the meeting with a comment to the attendees; a cancelled meeting is gone', async () => {
    const created = await scheduler.create(deployMeeting());
    graph.requests.length = 0;

    await scheduler.cancel(created.id, 'Deployment aborted: the DAML upgrade failed in staging.');

    const [event] = [...graph.events.values()];
    expect(calls()).toEqual([`POST /users/${steven.aadObjectId}/events/${event!.id}/cancel`]);
    expect(graph.requests[0]!.body).toEqual({ comment: 'Deployment aborted: the DAML upgrade failed in staging.' });
    expect(graph.requests[0]!.status).toBe(202);
    expect(event!.isCancelled).toBe(true);

    const error = await rejectionOf(scheduler.update(created.id, deployMeeting()));
    expect(error).toMatchObject({ code: 'not-found', statusCode: 404 });
  });

  it('turns a 403 on the calendar into one clear error naming the missing permission', async () => {
    graph.injectFault({ status: 403, count: 1 });
    const error = await rejectionOf(scheduler.create(deployMeeting()));
    expect(error).toBeInstanceOf(BotError);
    expect(error).toMatchObject({ code: 'integration', statusCode: 403 });
    expect(error.message).toContain(
      `Microsoft Graph refused to create the meeting "Deploy 2026.4.0 to BXCI Production" on ${steven.email}'s calendar (403 ErrorAccessDenied: Access is denied.`,
    );
    expect(error.message).toContain('Calendars.ReadWrite');
    expect(error.message).toMatch(/Graph request-id [0-9a-f-]{36}/);
    expect(graph.events.size).toBe(0);
  });

  it('keeps the meeting but reports recording off when the onlineMeetings API is refused (no application access policy)', async () => {
    graph.injectFault({
      status: 403,
      count: Infinity,
      code: 'General',
      message: 'No application access policy found for this app.',
      match: (r) => r.path.includes('/onlineMeetings'),
    });
    const meeting = await scheduler.create(deployMeeting());

    expect(meeting.kind).toBe('teams-meeting');
    expect(meeting.recordingOn).toBe(false);
    expect(meeting.recordingIssue).toContain('No application access policy found for this app.');
    expect(meeting.recordingIssue).toContain('OnlineMeetings.ReadWrite.All');
    expect(meeting.recordingIssue).toContain('Grant-CsApplicationAccessPolicy');
    expect(graph.events.size).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('Meeting options → Record automatically')]);
  });

  it('says which token problem stopped it when the client secret is wrong, and calls no Graph API', async () => {
    const wrong = createGraphMeetingScheduler({ baseUrl: graph.graphUrl, credential: credentialFor('not-the-secret'), lookupDelayMs: 0 });
    const error = await rejectionOf(wrong.create(deployMeeting()));
    expect(error).toBeInstanceOf(BotError);
    // The authority's 401 invalid_client: a 4xx, so the outbox stops retrying after a few attempts.
    expect(error).toMatchObject({ code: 'integration', statusCode: 401 });
    expect(error.message).toMatch(/^Couldn't get a Microsoft Graph token to create the meeting .*AADSTS7000215: Invalid client secret provided/s);
    expect(graph.requests).toEqual([]);
    expect(graph.tokenRequests.at(-1)).toMatchObject({ kind: 'client-credentials', status: 401 });
  });

  it('answers not-found for an IRC without a mailbox', async () => {
    const error = await rejectionOf(
      scheduler.create(deployMeeting({ organizer: { email: 'nobody@lendos.example', aadObjectId: '00000000-0000-0000-0000-0000000000ff' } })),
    );
    expect(error).toMatchObject({ code: 'not-found', statusCode: 404 });
    expect(error.message).toContain('ErrorInvalidUser');
  });

  it('refuses a request that ends before it starts without calling Graph', async () => {
    const error = await rejectionOf(scheduler.create(deployMeeting({ end: new Date('2026-04-14T21:00:00Z') })));
    expect(error).toMatchObject({ code: 'invalid' });
    expect(error.message).toContain('the meeting must end after it starts');
    expect(graph.requests).toEqual([]);
  });

  it('turns a scheduling-link id into a real meeting on update, and cancels it as a no-op', async () => {
    const meeting = await scheduler.update('link:abc', deployMeeting());
    expect(meeting.kind).toBe('teams-meeting');
    expect(graph.events.size).toBe(1);
    graph.requests.length = 0;
    await scheduler.cancel('link:abc');
    expect(graph.requests).toEqual([]);
  });

  it('refuses a plain-http Graph base URL on another host (the bearer token would travel in clear)', () => {
    expect(() => createGraphMeetingScheduler({ baseUrl: 'http://graph.example.com/v1.0', credential: credentialFor('x') })).toThrow(
      /must be an https:\/\/ URL/,
    );
  });
});
