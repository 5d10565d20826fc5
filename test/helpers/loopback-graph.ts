import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Agent, createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import { MeetingScheduler, createGraphMeetingScheduler } from '../../src/integrations/meetings';

// Microsoft Graph and Entra ID on loopback, for the meeting integration's tests.
//
// - An HTTPS "authority" (msal and @azure/identity refuse http authorities) with the two endpoints
//   a ClientSecretCredential calls when instance discovery is off: the tenant's OpenID
//   configuration and its v2.0 token endpoint. The certificate is self-signed for 127.0.0.1 and
//   made here at start (node:crypto signs; the X.509 DER is assembled below); `authorityAgent`
//   trusts exactly that certificate, so TLS is verified, not switched off.
// - An HTTP Graph (/v1.0) serving the calls the bot makes for a deployment meeting — events
//   create / read / update / cancel, onlineMeetings by JoinWebUrl, and the recordAutomatically
//   update — plus an App Service style managed-identity token endpoint.
// Graph answers like the real API (status codes, bodies, error shapes) and refuses what the real
// one would: a bearer token it did not issue, a user it has no mailbox for, a malformed body.
// Every request is recorded; anything that did not look right is also listed in `malformed`.

export interface Mailbox {
  readonly aadObjectId: string;
  readonly email: string;
  readonly name: string;
}

export interface GraphRequest {
  readonly method: string;
  /** Decoded path below /v1.0, e.g. /users/{id}/events/{eventId}/cancel. */
  readonly path: string;
  /** As sent, still percent-encoded, query included. */
  readonly rawUrl: string;
  /** Query parameters, decoded once. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
  /** What the server answered. */
  status: number;
}

export interface TokenRequest {
  readonly kind: 'openid-configuration' | 'client-credentials' | 'managed-identity';
  readonly path: string;
  /** Form fields (client credentials) or query parameters (managed identity). */
  readonly fields: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  status: number;
}

export interface StoredEvent {
  readonly id: string;
  readonly organizerId: string;
  subject: string;
  body?: { contentType: string; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  attendees: Array<{ emailAddress: { address: string; name?: string }; type: string }>;
  readonly joinUrl: string;
  readonly transactionId?: string;
  isCancelled: boolean;
  cancelComment?: string;
}

export interface StoredOnlineMeeting {
  readonly id: string;
  readonly organizerId: string;
  readonly joinWebUrl: string;
  recordAutomatically: boolean;
}

export interface GraphFault {
  readonly status: 400 | 401 | 403 | 404 | 409 | 429 | 500 | 503;
  /** How many matching requests to fail; Infinity for all. */
  readonly count: number;
  readonly match?: (request: GraphRequest) => boolean;
  readonly code?: string;
  readonly message?: string;
  /** Seconds, sent as Retry-After. */
  readonly retryAfter?: number;
}

export interface LoopbackGraph {
  /** http://127.0.0.1:{port}/v1.0 */
  readonly graphUrl: string;
  /** https://127.0.0.1:{port}, for ClientSecretCredential's authorityHost. */
  readonly authorityHost: string;
  /** An https.Agent that trusts the authority's certificate (and nothing else). */
  readonly authorityAgent: Agent;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** For IDENTITY_ENDPOINT / IDENTITY_HEADER (App Service managed identity). */
  readonly managedIdentity: { readonly endpoint: string; readonly header: string };
  readonly requests: GraphRequest[];
  readonly tokenRequests: TokenRequest[];
  /** Access tokens handed out; Graph accepts only these. */
  readonly issuedTokens: ReadonlySet<string>;
  readonly malformed: string[];
  readonly events: ReadonlyMap<string, StoredEvent>;
  readonly onlineMeetings: ReadonlyMap<string, StoredOnlineMeeting>;
  /** Answers create without onlineMeeting.joinUrl; a later read of the event has it (Graph can be that slow). */
  answerCreateWithoutJoinUrl: boolean;
  /** How many JoinWebUrl lookups of a new meeting come back empty before Graph lists it. */
  hideNewMeetingsForLookups: number;
  injectFault(fault: GraphFault): void;
  close(): Promise<void>;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const EVENT_KEYS = new Set(['subject', 'body', 'start', 'end', 'attendees', 'isOnlineMeeting', 'onlineMeetingProvider', 'allowNewTimeProposals', 'transactionId']);
const UPDATE_KEYS = new Set(['subject', 'body', 'start', 'end', 'attendees']);
const ONLINE_MEETING_KEYS = new Set(['recordAutomatically', 'subject', 'startDateTime', 'endDateTime', 'allowRecording']);
const GRAPH_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/;

export async function startLoopbackGraph(options: { readonly mailboxes: readonly Mailbox[] }): Promise<LoopbackGraph> {
  const tenantId = '7a1e5e1c-0d2b-4c4e-9b35-5d0e8a1f2c3d';
  const clientId = 'a5c0f1de-8d7e-4f51-9a64-3e2b1c0d9f87';
  const clientSecret = `secret-${randomBytes(12).toString('hex')}`;
  const identityHeader = `identity-header-${randomBytes(8).toString('hex')}`;
  const { cert, key } = selfSignedLoopbackCertificate();

  const requests: GraphRequest[] = [];
  const tokenRequests: TokenRequest[] = [];
  const issuedTokens = new Set<string>();
  const malformed: string[] = [];
  const events = new Map<string, StoredEvent>();
  const onlineMeetings = new Map<string, StoredOnlineMeeting>();
  const hiddenLookups = new Map<string, number>();
  const faults: Array<{ fault: GraphFault; left: number }> = [];
  const mailboxOf = (id: string) => options.mailboxes.find((m) => m.aadObjectId === id || m.email.toLowerCase() === id.toLowerCase());
  let graphUrl = '';
  let authorityHost = '';

  const state = {
    answerCreateWithoutJoinUrl: false,
    hideNewMeetingsForLookups: 0,
  };

  // ---- Entra ID: OpenID configuration and token endpoint (HTTPS) ---------------------------
  const authority = createHttpsServer({ cert, key }, async (req, res) => {
    const url = new URL(req.url ?? '/', authorityHost);
    const text = await readText(req);
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && parts.length === 4 && parts[1] === 'v2.0' && parts[2] === '.well-known' && parts[3] === 'openid-configuration') {
      const record: TokenRequest = { kind: 'openid-configuration', path: url.pathname, fields: {}, headers: req.headers, status: 200 };
      tokenRequests.push(record);
      if (parts[0] !== tenantId) return aadError(res, record, 400, 'invalid_tenant', 90002, `Tenant '${parts[0]}' not found.`);
      const base = `${authorityHost}/${tenantId}`;
      return json(res, 200, {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        issuer: `${base}/v2.0`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'NA',
      });
    }
    if (req.method === 'POST' && parts.length === 4 && parts[1] === 'oauth2' && parts[2] === 'v2.0' && parts[3] === 'token') {
      const fields = Object.fromEntries(new URLSearchParams(text));
      const record: TokenRequest = { kind: 'client-credentials', path: url.pathname, fields, headers: req.headers, status: 200 };
      tokenRequests.push(record);
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        malformed.push(`token request with content-type ${req.headers['content-type']}`);
        return aadError(res, record, 400, 'invalid_request', 900144, "The request body must contain the parameter 'grant_type'.");
      }
      if (parts[0] !== tenantId) return aadError(res, record, 400, 'invalid_tenant', 90002, `Tenant '${parts[0]}' not found.`);
      if (fields.grant_type !== 'client_credentials') {
        return aadError(res, record, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${fields.grant_type}'.`);
      }
      if (fields.client_id !== clientId) {
        return aadError(res, record, 400, 'unauthorized_client', 700016, `Application with identifier '${fields.client_id}' was not found in the directory.`);
      }
      if (fields.client_secret !== clientSecret) {
        return aadError(res, record, 401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
      }
      if (fields.scope !== GRAPH_SCOPE) {
        return aadError(res, record, 400, 'invalid_scope', 1002012, `The provided value for scope ${fields.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
      }
      const token = `graph-app-token-${randomBytes(16).toString('hex')}`;
      issuedTokens.add(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
    }
    malformed.push(`authority: ${req.method} ${url.pathname}`);
    return json(res, 404, { error: 'not_found', error_description: `no route ${req.method} ${url.pathname}` });
  });

  // ---- Graph /v1.0 and the managed-identity endpoint (HTTP) --------------------------------
  const graph: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await readText(req);

    if (req.method === 'GET' && url.pathname === '/msi/token') {
      const fields = Object.fromEntries(url.searchParams);
      const record: TokenRequest = { kind: 'managed-identity', path: url.pathname, fields, headers: req.headers, status: 200 };
      tokenRequests.push(record);
      if (req.headers['x-identity-header'] !== identityHeader) {
        record.status = 401;
        return json(res, 401, { statusCode: 401, message: 'Unauthorized: X-IDENTITY-HEADER is missing or wrong' });
      }
      if (fields['api-version'] !== '2019-08-01' || fields.resource !== GRAPH_RESOURCE) {
        malformed.push(`managed identity token for api-version ${fields['api-version']} resource ${fields.resource}`);
        record.status = 400;
        return json(res, 400, { statusCode: 400, message: 'Bad request: api-version and resource are required' });
      }
      const token = `graph-mi-token-${randomBytes(16).toString('hex')}`;
      issuedTokens.add(token);
      return json(res, 200, {
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: GRAPH_RESOURCE,
        token_type: 'Bearer',
        client_id: fields.client_id ?? 'system-assigned',
      });
    }

    if (!url.pathname.startsWith('/v1.0/')) {
      malformed.push(`${req.method} ${url.pathname}`);
      return json(res, 404, graphError('BadRequest', `Invalid version: ${url.pathname.split('/')[1]}`));
    }
    // Split before decoding, so an id with an unencoded "/" shows up as a wrong path.
    const segments = url.pathname.slice('/v1.0'.length).split('/').filter(Boolean).map(decodeURIComponent);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const request: GraphRequest = {
      method: req.method ?? '',
      path: `/${segments.join('/')}`,
      rawUrl: req.url ?? '',
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      status: 0,
    };
    requests.push(request);
    const answer = (status: number, payload?: unknown) => {
      request.status = status;
      if (payload === undefined) {
        res.writeHead(status);
        return res.end();
      }
      return json(res, status, payload);
    };
    const refuse = (status: number, code: string, message: string) => {
      if (status === 400 || status === 415) malformed.push(`${request.method} ${request.path}: ${message}`);
      return answer(status, graphError(code, message));
    };

    const authorization = String(req.headers.authorization ?? '');
    if (!authorization.startsWith('Bearer ')) return refuse(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    if (!issuedTokens.has(authorization.slice('Bearer '.length))) {
      return refuse(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed, there are no dots (.).');
    }
    const fault = faults.find((f) => f.left > 0 && (f.fault.match?.(request) ?? true));
    if (fault) {
      fault.left -= 1;
      if (fault.fault.retryAfter !== undefined) res.setHeader('retry-after', String(fault.fault.retryAfter));
      const defaults = FAULTS[fault.fault.status];
      return answer(fault.fault.status, graphError(fault.fault.code ?? defaults.code, fault.fault.message ?? defaults.message));
    }
    if (body !== undefined && !String(req.headers['content-type']).startsWith('application/json')) {
      return refuse(415, 'UnsupportedMediaType', `Content-Type ${req.headers['content-type']} is not application/json`);
    }

    const [users, userId, collection, itemId, action, ...rest] = segments;
    if (users !== 'users' || !userId || rest.length > 0) return refuse(400, 'BadRequest', `Resource not found for the segment '${segments[0]}'.`);
    const mailbox = mailboxOf(userId);
    if (!mailbox) return refuse(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);

    if (collection === 'events') {
      if (!itemId && req.method === 'POST') {
        const problems = eventProblems(body, { create: true });
        if (problems.length) return refuse(400, 'ErrorInvalidRequest', problems.join('; '));
        const existing = body.transactionId
          ? [...events.values()].find((e) => e.organizerId === mailbox.aadObjectId && e.transactionId === body.transactionId)
          : undefined;
        if (existing) return answer(201, eventJson(existing, mailbox, true));
        const event = createEvent(mailbox, body);
        return answer(201, eventJson(event, mailbox, !state.answerCreateWithoutJoinUrl));
      }
      const event = itemId ? events.get(itemId) : undefined;
      // A cancelled event has gone to Deleted Items; the bot never touches it again.
      if (!event || event.organizerId !== mailbox.aadObjectId || event.isCancelled) {
        return refuse(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      }
      if (!action && req.method === 'GET') return answer(200, eventJson(event, mailbox, true));
      if (!action && req.method === 'PATCH') {
        const problems = eventProblems(body, { create: false });
        if (problems.length) return refuse(400, 'ErrorInvalidRequest', problems.join('; '));
        Object.assign(event, pick(body, UPDATE_KEYS));
        return answer(200, eventJson(event, mailbox, true));
      }
      if (action === 'cancel' && req.method === 'POST') {
        if (body !== undefined && (typeof body !== 'object' || Object.keys(body).some((k) => k !== 'comment') || (body.comment !== undefined && typeof body.comment !== 'string'))) {
          return refuse(400, 'ErrorInvalidRequest', `cancel takes { comment }, got ${JSON.stringify(body)}`);
        }
        event.isCancelled = true;
        event.cancelComment = body?.comment;
        return answer(202);
      }
    }

    if (collection === 'onlineMeetings') {
      if (userId !== mailbox.aadObjectId) {
        return refuse(400, 'General', 'With application permission onlineMeetings are addressed by the user object id, not a UPN.');
      }
      if (!itemId && req.method === 'GET') {
        const filter = /^JoinWebUrl eq '((?:[^']|'')*)'$/i.exec(request.query.$filter ?? '');
        if (!filter) return refuse(400, 'BadRequest', "Filter expression expected - /onlineMeetings?$filter={ParameterName} eq '{id}'.");
        const joinWebUrl = filter[1]!.replace(/''/g, "'");
        const meeting = [...onlineMeetings.values()].find((m) => m.organizerId === mailbox.aadObjectId && m.joinWebUrl === joinWebUrl);
        if (meeting) {
          const hidden = hiddenLookups.get(meeting.id) ?? 0;
          if (hidden > 0) {
            hiddenLookups.set(meeting.id, hidden - 1);
            return answer(200, { '@odata.context': `${graphUrl}/$metadata#users('${userId}')/onlineMeetings`, value: [] });
          }
        }
        return answer(200, { '@odata.context': `${graphUrl}/$metadata#users('${userId}')/onlineMeetings`, value: meeting ? [onlineMeetingJson(meeting)] : [] });
      }
      const meeting = itemId ? onlineMeetings.get(itemId) : undefined;
      if (!meeting || meeting.organizerId !== mailbox.aadObjectId) return refuse(404, 'NotFound', 'The meeting was not found.');
      if (!action && req.method === 'PATCH') {
        const keys = typeof body === 'object' && body ? Object.keys(body) : [];
        if (!keys.length || keys.some((k) => !ONLINE_MEETING_KEYS.has(k)) || (body.recordAutomatically !== undefined && typeof body.recordAutomatically !== 'boolean')) {
          return refuse(400, 'BadRequest', `not an onlineMeeting update: ${JSON.stringify(body)}`);
        }
        if (typeof body.recordAutomatically === 'boolean') meeting.recordAutomatically = body.recordAutomatically;
        return answer(200, onlineMeetingJson(meeting));
      }
    }
    return refuse(400, 'BadRequest', `No HTTP resource was found that matches ${request.method} ${request.path}`);
  });

  function createEvent(mailbox: Mailbox, body: any): StoredEvent {
    const thread = randomBytes(12).toString('hex');
    // Real join links carry percent-escapes, so the client must encode them again inside $filter.
    const joinUrl =
      `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0` +
      `?context=%7b%22Tid%22%3a%22${tenantId}%22%2c%22Oid%22%3a%22${mailbox.aadObjectId}%22%7d`;
    // Immutable Outlook ids are base64 and hold "/", "+" and "=": the client must encode them in paths.
    const id = `AAkALgAAAAAAHYQDEapmEc2byACqAC/EWg0A${randomBytes(12).toString('base64').replace(/=+$/, '')}+AAA=`;
    const event: StoredEvent = {
      id,
      organizerId: mailbox.aadObjectId,
      subject: body.subject,
      ...(body.body ? { body: body.body } : {}),
      start: body.start,
      end: body.end,
      attendees: body.attendees,
      joinUrl,
      ...(body.transactionId ? { transactionId: body.transactionId } : {}),
      isCancelled: false,
    };
    events.set(id, event);
    const meetingId = Buffer.from(`1*${mailbox.aadObjectId}*0**19:meeting_${thread}@thread.v2`).toString('base64');
    onlineMeetings.set(meetingId, { id: meetingId, organizerId: mailbox.aadObjectId, joinWebUrl: joinUrl, recordAutomatically: false });
    if (state.hideNewMeetingsForLookups > 0) hiddenLookups.set(meetingId, state.hideNewMeetingsForLookups);
    return event;
  }

  function eventJson(event: StoredEvent, mailbox: Mailbox, withJoinUrl: boolean): Record<string, unknown> {
    return {
      '@odata.context': `${graphUrl}/$metadata#users('${mailbox.aadObjectId}')/events/$entity`,
      '@odata.etag': `W/"${createHash('sha1').update(JSON.stringify(event)).digest('base64')}"`,
      id: event.id,
      subject: event.subject,
      body: event.body ?? { contentType: 'html', content: '' },
      start: { dateTime: sevenDigits(event.start.dateTime), timeZone: 'UTC' },
      end: { dateTime: sevenDigits(event.end.dateTime), timeZone: 'UTC' },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      onlineMeetingUrl: null,
      onlineMeeting: withJoinUrl ? { joinUrl: event.joinUrl } : null,
      isCancelled: event.isCancelled,
      organizer: { emailAddress: { name: mailbox.name, address: mailbox.email } },
      attendees: event.attendees.map((a) => ({ ...a, status: { response: 'none', time: '0001-01-01T00:00:00Z' } })),
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(event.id)}&exvsurl=1&path=/calendar/item`,
      ...(event.transactionId ? { transactionId: event.transactionId } : {}),
    };
  }

  await new Promise<void>((resolve) => graph.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => authority.listen(0, '127.0.0.1', resolve));
  graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}/v1.0`;
  authorityHost = `https://127.0.0.1:${(authority.address() as AddressInfo).port}`;
  const authorityAgent = new Agent({ ca: cert });

  return Object.assign(state, {
    graphUrl,
    authorityHost,
    authorityAgent,
    tenantId,
    clientId,
    clientSecret,
    managedIdentity: { endpoint: `${graphUrl.replace(/\/v1\.0$/, '')}/msi/token`, header: identityHeader },
    requests,
    tokenRequests,
    issuedTokens,
    malformed,
    events,
    onlineMeetings,
    injectFault(fault: GraphFault) {
      faults.push({ fault, left: fault.count });
    },
    async close() {
      authorityAgent.destroy();
      await Promise.all(
        [graph, authority].map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  });
}

const FAULTS: Record<GraphFault['status'], { code: string; message: string }> = {
  400: { code: 'BadRequest', message: 'Bad request.' },
  401: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' },
  403: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' },
  404: { code: 'ErrorItemNotFound', message: 'The specified object was not found in the store.' },
  409: { code: 'ErrorIrresolvableConflict', message: 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.' },
  429: { code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' },
  500: { code: 'InternalServerError', message: 'An internal server error occurred.' },
  503: { code: 'ServiceNotAvailable', message: 'Service is temporarily unavailable.' },
};

function eventProblems(body: any, { create }: { create: boolean }): string[] {
  if (typeof body !== 'object' || body === null) return ['the body must be a JSON event'];
  const problems: string[] = [];
  for (const key of Object.keys(body)) {
    if (!(create ? EVENT_KEYS : UPDATE_KEYS).has(key)) problems.push(`unexpected property ${key}`);
  }
  if (create || 'subject' in body) if (typeof body.subject !== 'string' || !body.subject.trim()) problems.push('subject must be a non-empty string');
  for (const edge of ['start', 'end'] as const) {
    if (!create && !(edge in body)) continue;
    const value = body[edge];
    if (typeof value?.dateTime !== 'string' || !GRAPH_DATE_TIME.test(value.dateTime)) problems.push(`${edge}.dateTime must be like 2026-04-14T22:00:00`);
    if (value?.timeZone !== 'UTC') problems.push(`${edge}.timeZone must be UTC, got ${value?.timeZone}`);
  }
  if (('start' in body || 'end' in body) && !('start' in body && 'end' in body)) problems.push('start and end are updated together');
  if (typeof body.start?.dateTime === 'string' && typeof body.end?.dateTime === 'string' && !(body.end.dateTime > body.start.dateTime)) {
    problems.push('end must be after start');
  }
  if (create || 'attendees' in body) {
    if (!Array.isArray(body.attendees)) problems.push('attendees must be an array');
    else {
      body.attendees.forEach((a: any, i: number) => {
        if (typeof a?.emailAddress?.address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(a.emailAddress.address)) problems.push(`attendees[${i}].emailAddress.address is not an address`);
        if (!['required', 'optional', 'resource'].includes(a?.type)) problems.push(`attendees[${i}].type must be required, optional or resource`);
      });
    }
  }
  if ('body' in body && (!['text', 'html'].includes(body.body?.contentType) || typeof body.body?.content !== 'string')) {
    problems.push('body must be { contentType: text|html, content }');
  }
  if (create) {
    if (body.isOnlineMeeting !== true) problems.push('isOnlineMeeting must be true for a Teams meeting');
    if (body.onlineMeetingProvider !== 'teamsForBusiness') problems.push(`onlineMeetingProvider must be teamsForBusiness, got ${body.onlineMeetingProvider}`);
    if ('transactionId' in body && typeof body.transactionId !== 'string') problems.push('transactionId must be a string');
  }
  return problems;
}

function onlineMeetingJson(meeting: StoredOnlineMeeting): Record<string, unknown> {
  return {
    id: meeting.id,
    joinWebUrl: meeting.joinWebUrl,
    recordAutomatically: meeting.recordAutomatically,
    allowRecording: true,
    participants: { organizer: { identity: { user: { id: meeting.organizerId } }, role: 'presenter' } },
  };
}

function graphError(code: string, message: string): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUuid(), 'client-request-id': randomUuid() },
    },
  };
}

function aadError(res: ServerResponse, record: TokenRequest, status: number, error: string, code: number, description: string): void {
  record.status = status;
  json(res, status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${randomUuid()} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUuid(),
    correlation_id: randomUuid(),
  });
}

function pick(body: any, keys: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => keys.has(k)));
}

function sevenDigits(dateTime: string): string {
  const [whole, fraction = ''] = dateTime.split('.');
  return `${whole}.${fraction.padEnd(7, '0').slice(0, 7)}`;
}

function randomUuid(): string {
  const hex = randomBytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function json(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---- a self-signed certificate for 127.0.0.1, without openssl or a certificate package -------

/**
 * An ECDSA P-256 key and an X.509 v3 certificate for CN=localhost, IP 127.0.0.1, valid for a day:
 * the DER structure of RFC 5280 written out with a minimal encoder, signed with node:crypto.
 */
export function selfSignedLoopbackCertificate(): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ecdsaWithSha256 = sequence(objectId('1.2.840.10045.4.3.2'));
  const name = sequence(set(sequence(objectId('2.5.4.3'), tlv(0x0c, Buffer.from('localhost')))));
  const now = Date.now();
  const subjectAltName = sequence(tlv(0x82, Buffer.from('localhost')), tlv(0x87, Buffer.from([127, 0, 0, 1])));
  const extensions = tlv(
    0xa3,
    sequence(
      sequence(objectId('2.5.29.19'), tlv(0x04, sequence(tlv(0x01, Buffer.from([0xff]))))), // basicConstraints cA
      sequence(objectId('2.5.29.17'), tlv(0x04, subjectAltName)),
    ),
  );
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and 16 bytes long, as RFC 5280 asks
  const toBeSigned = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ecdsaWithSha256,
    name,
    sequence(utcTime(new Date(now - 60_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions,
  );
  const signature = sign('sha256', toBeSigned, privateKey);
  const der = sequence(toBeSigned, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const cert = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  new X509Certificate(cert); // throws if the encoding is wrong
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function tlv(tag: number, content: Buffer): Buffer {
  const length = content.length;
  if (length < 0x80) return Buffer.concat([Buffer.from([tag, length]), content]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), content]);
}

function sequence(...parts: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(parts));
}

function set(...parts: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(parts));
}

/** A non-negative INTEGER in DER's minimal form: no leading zero byte unless the next has its top bit set. */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const minimal = bytes.subarray(start);
  return tlv(0x02, minimal[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function objectId(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128 = [arc & 0x7f];
    for (let n = arc >> 7; n > 0; n >>= 7) base128.unshift(0x80 | (n & 0x7f));
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime YYMMDDHHMMSSZ (certificates use it until 2050). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text));
}

/** The bot's Graph meeting scheduler against this loopback Graph, signed in as its app registration. */
export function loopbackMeetingScheduler(graph: LoopbackGraph): MeetingScheduler {
  const credential = new ClientSecretCredential(graph.tenantId, graph.clientId, graph.clientSecret, {
    authorityHost: graph.authorityHost,
    disableInstanceDiscovery: true,
    agent: graph.authorityAgent,
  });
  return createGraphMeetingScheduler({ baseUrl: graph.graphUrl, credential, lookupDelayMs: 0 });
}
