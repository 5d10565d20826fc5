import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { TeamsRateLimiter, TeamsRateLimits, retryAfterSeconds } from '../../src/dev/teams-rate-limits';

// A Bot Connector service on loopback: it answers the REST calls botbuilder makes for posts,
// replies, card updates and new channel threads, checks their shape, and records them so tests
// assert on what people in Teams would see. With `limits` it also enforces Teams' rate limits
// (src/dev/teams-rate-limits.ts): a request over them is answered 429 with Retry-After, as Teams
// does, and recorded in `throttled` instead of `calls`.

export interface RecordedCall {
  /** 'createPersonalChat': a proactive 1:1 (POST /v3/conversations with isGroup false and one member). */
  readonly kind: 'createConversation' | 'createPersonalChat' | 'send' | 'reply' | 'update';
  readonly conversationId: string;
  /** The activity id Teams assigned (send/reply/create) or the one updated. */
  readonly activityId: string;
  readonly replyToId?: string;
  readonly activity: ConnectorActivity;
  /** The Authorization header the bot sent (absent when it runs without an app id). */
  readonly authorization?: string;
}

export interface ConnectorActivity {
  readonly type: string;
  readonly text?: string;
  readonly attachments?: Array<{ contentType: string; content: any }>;
  readonly [key: string]: unknown;
}

/** A request the connector answered 429 because it was over Teams' limits. */
export interface ThrottledCall {
  readonly operation: 'send' | 'create';
  readonly conversationId: string;
  /** The Retry-After header sent, in seconds. */
  readonly retryAfterSeconds: number;
  /** Which limit it broke, e.g. "sends per conversation: 7 per 1 s". */
  readonly window: string;
}

export interface LoopbackConnectorOptions {
  /** Enforce these limits (TEAMS_RATE_LIMITS for Teams' own); default: accept everything. */
  readonly limits?: TeamsRateLimits;
  /** The limiter's clock, ms (default performance.now); tests step it instead of sleeping. */
  readonly now?: () => number;
  /**
   * Asked before each request is served: a failure to answer with instead (a Teams outage: 5xx; or
   * throttling: 429 with Retry-After, in seconds). The chaos run (test/chaos) fails a share of calls.
   */
  readonly fault?: (request: { readonly method: string; readonly path: string }) => InjectedFault | undefined;
  /**
   * Called with each call as soon as it is recorded — Teams has taken the post and people see it —
   * and before the bot gets the answer, which waits for the returned promise. `senderPort` is the
   * bot's end of the connection (the chaos run finds the process by it and kills it right there).
   */
  readonly onCall?: (call: RecordedCall, senderPort: number) => void | Promise<void>;
}

export interface InjectedFault {
  readonly status: number;
  readonly retryAfterSeconds?: number;
}

export interface LoopbackConnector {
  readonly url: string;
  readonly calls: RecordedCall[];
  /** The next `count` calls fail with `status` (a Teams outage or throttling). */
  failNext(count: number, status?: number): void;
  /** How many requests were answered with an injected failure. */
  readonly failedCount: number;
  /** Every request that did not look like the Bot Connector API, with the reason. */
  readonly malformed: string[];
  /** Requests refused with 429 for being over the limits (only with `limits`). */
  readonly throttled: ThrottledCall[];
  /**
   * Teams' answer for a person who blocked the bot or lacks the app: creating their personal chat
   * (and posting in it) is refused with 403 MessageWritesBlocked, recorded in `refusedPersonal`.
   */
  blockPersonalChat(aadObjectId: string): void;
  /** Entra ids whose personal chat was refused, one entry per refusal. */
  readonly refusedPersonal: string[];
  close(): Promise<void>;
}

export async function startLoopbackConnector(options: LoopbackConnectorOptions = {}): Promise<LoopbackConnector> {
  const calls: RecordedCall[] = [];
  const throttled: ThrottledCall[] = [];
  const limiter = options.limits ? new TeamsRateLimiter(options.limits) : undefined;
  const now = options.now ?? (() => performance.now());
  const malformed: string[] = [];
  let failures = { count: 0, status: 503 };
  let nextId = 1000;
  let failed = 0;
  const blocked = new Set<string>();
  const refusedPersonal: string[] = [];
  const personalChats = new Map<string, string>();

  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    const authorization = req.headers.authorization;
    if (failures.count > 0) {
      failures.count -= 1;
      failed += 1;
      // Teams sends Retry-After with 429/503 (the gateway hands it to the outbox with the status).
      res.setHeader('retry-after', '0');
      return send(res, failures.status, { error: { code: 'ServiceError', message: 'injected failure' } });
    }
    const fault = options.fault?.({ method: req.method ?? '', path: (req.url ?? '').split('?')[0]! });
    if (fault) {
      failed += 1;
      if (fault.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(fault.retryAfterSeconds));
      const code = fault.status === 429 ? 'TooManyRequests' : 'ServiceError';
      return send(res, fault.status, { error: { code, message: 'injected failure' } });
    }
    const record = async (call: RecordedCall) => {
      calls.push(call);
      await options.onCall?.(call, req.socket.remotePort ?? 0);
    };
    const path = (req.url ?? '').split('?')[0]!;
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (limiter && body && parts[0] === 'v3' && parts[1] === 'conversations') {
      const create = parts.length === 2;
      const conversationId = create ? String(body.channelData?.channel?.id ?? '') : parts[2] ?? '';
      const operation = create ? 'create' : 'send';
      const tenantId = String(body.tenantId ?? body.channelData?.tenant?.id ?? body.conversation?.tenantId ?? '');
      const admission = limiter.admit({ tenantId, operation, conversationId }, now());
      if (!admission.allowed) {
        const seconds = retryAfterSeconds(admission.retryAfterMs);
        throttled.push({ operation, conversationId, retryAfterSeconds: seconds, window: admission.window });
        res.setHeader('retry-after', String(seconds));
        return send(res, 429, { error: { code: 'TooManyRequests', message: `over the limit (${admission.window})` } });
      }
    }
    // /v3/conversations, a personal chat: { isGroup: false, bot, members: [{ id: <Entra id> }], tenantId }
    if (req.method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations' && body?.isGroup === false) {
      const members = body.members;
      const member = Array.isArray(members) && members.length === 1 ? members[0] : undefined;
      if (typeof member?.id !== 'string' || !/^[0-9a-f-]{36}$/i.test(member.id) || typeof body.tenantId !== 'string') {
        malformed.push(`personal createConversation without one member's Entra id and a tenantId: ${JSON.stringify(body)}`);
        return send(res, 400, { error: { code: 'BadArgument', message: 'a personal chat needs members: [{ id }] and tenantId' } });
      }
      const aadObjectId = member.id.toLowerCase();
      if (blocked.has(aadObjectId)) {
        refusedPersonal.push(aadObjectId);
        return send(res, 403, { error: { code: 'MessageWritesBlocked', message: 'Thread is blocked or the bot is not installed for the user' } });
      }
      const conversationId = `a:1${aadObjectId}`; // Teams answers with the same 1:1 chat every time
      personalChats.set(conversationId, aadObjectId);
      calls.push({ kind: 'createPersonalChat', conversationId, activityId: '', activity: { type: 'conversation', members }, authorization });
      return send(res, 201, { id: conversationId });
    }
    // /v3/conversations
    if (req.method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations') {
      const channelId = body?.channelData?.channel?.id;
      if (!body?.isGroup || typeof channelId !== 'string' || !body.activity) {
        malformed.push(`createConversation without isGroup/channelData.channel.id/activity: ${JSON.stringify(body)}`);
        return send(res, 400, { error: { code: 'BadArgument', message: 'channel post needs channelData.channel.id' } });
      }
      const activityId = String((nextId += 1));
      const conversationId = `${channelId};messageid=${activityId}`;
      await record({ kind: 'createConversation', conversationId, activityId, activity: body.activity, authorization });
      return send(res, 201, { id: conversationId, activityId });
    }
    // /v3/conversations/{id}/activities[/{activityId}]
    if (parts.length >= 4 && parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
      const conversationId = parts[2]!;
      if (!body || typeof body.type !== 'string') {
        malformed.push(`${req.method} ${path} without an activity type`);
        return send(res, 400, { error: { code: 'BadArgument', message: 'activity.type is required' } });
      }
      if (req.method === 'POST' && conversationId.startsWith('a:1') && !personalChats.has(conversationId)) {
        malformed.push(`POST to personal chat ${conversationId} that was never created`);
        return send(res, 404, { error: { code: 'ConversationNotFound', message: 'no such conversation' } });
      }
      if (req.method === 'POST') {
        const activityId = String((nextId += 1));
        const replyToId = parts[4];
        await record({ kind: replyToId ? 'reply' : 'send', conversationId, activityId, replyToId, activity: body, authorization });
        return send(res, 200, { id: activityId });
      }
      if (req.method === 'PUT' && parts[4]) {
        await record({ kind: 'update', conversationId, activityId: parts[4], activity: body, authorization });
        return send(res, 200, { id: parts[4] });
      }
    }
    malformed.push(`${req.method} ${path}`);
    return send(res, 404, { error: { code: 'NotFound', message: `no route ${req.method} ${path}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    malformed,
    throttled,
    refusedPersonal,
    blockPersonalChat(aadObjectId) {
      blocked.add(aadObjectId.toLowerCase());
    },
    get failedCount() {
      return failed;
    },
    failNext(count, status = 503) {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readJson(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
