import { atMention } from '../cards/mention-text';
import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Activity, ActivityTypes, CardFactory, ConversationParameters } from 'botbuilder';
import { AuthenticationConstants, BotFrameworkAuthentication, ClaimsIdentity } from 'botframework-connector';
import { ServiceClientCredentials, createWebResource } from 'botbuilder-stdlib/lib/azureCoreHttpCompat';
import { ChannelTarget, ConversationTarget, ThreadRef } from '../app/documents';
import { OutboundMessage, PersonalTarget, TeamsGateway } from '../app/outbox';

/**
 * The outbox's view of Teams: new channel threads, posts and card updates as Bot Connector REST
 * calls (POST /v3/conversations, POST …/{conversation}/activities, PUT …/activities/{id}).
 *
 * Credentials and tokens are botbuilder's: for each service URL the adapter's own connector
 * factory makes a ConnectorClient, and every call is signed by that client's credentials (they
 * fetch, cache and renew the Entra token, or add nothing when the bot runs without an app id).
 * The request itself is a plain JSON POST or PUT over a keep-alive agent rather than the client's
 * operation pipeline: that pipeline's serializer, tracing and policies were about a quarter of the
 * bot's CPU per approval (bench/README.md), for requests whose bodies are already plain JSON.
 *
 * Nothing is retried here: a failure reaches the outbox as a ConnectorError with the HTTP status
 * (and Retry-After), which decides between retrying later and dropping the message.
 */
export function createTeamsGateway(auth: BotFrameworkAuthentication, botAppId: string, options: GatewayOptions = {}): TeamsGateway & { close(): void } {
  const credentials = new Map<string, Promise<ServiceClientCredentials>>();
  const bot = { id: botAppId, name: 'lendos' };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  const credentialsFor = (serviceUrl: string): Promise<ServiceClientCredentials> => {
    let found = credentials.get(serviceUrl);
    if (!found) {
      const identity = new ClaimsIdentity([
        { type: AuthenticationConstants.AudienceClaim, value: botAppId },
        { type: AuthenticationConstants.AppIdClaim, value: botAppId },
        { type: AuthenticationConstants.ServiceUrlClaim, value: serviceUrl },
      ]);
      found = auth
        .createConnectorFactory(identity)
        .create(serviceUrl, undefined)
        .then((client) => client.credentials);
      found.catch(() => credentials.delete(serviceUrl)); // a failed sign-in is tried again next time
      credentials.set(serviceUrl, found);
    }
    return found;
  };

  const call = async <T>(serviceUrl: string, method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> => {
    const signed = createWebResource();
    await (await credentialsFor(serviceUrl)).signRequest(signed);
    const authorization = signed.headers.get('authorization');
    const url = new URL(`${serviceUrl.replace(/\/+$/, '')}${path}`);
    const payload = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      accept: 'application/json',
      'user-agent': USER_AGENT,
      ...(authorization ? { authorization } : {}),
    };
    const https = url.protocol === 'https:';
    const response = await new Promise<{ status: number; text: string; retryAfter?: string }>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(url, { method, headers, agent: https ? agents.https : agents.http, timeout: timeoutMs }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: header(res, 'retry-after') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new ConnectorError(`${method} ${url.pathname} got no answer within ${timeoutMs} ms`, 408)));
      req.on('error', reject);
      req.end(payload);
    });
    const parsed = parseJson(response.text);
    if (response.status >= 200 && response.status < 300) return (parsed ?? {}) as T;
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new ConnectorError(
      `Teams answered ${response.status} to ${method} ${url.pathname}${typeof error?.message === 'string' ? `: ${error.message}` : ''}`,
      response.status,
      typeof error?.code === 'string' ? error.code : undefined,
      retryAfterMs(response.retryAfter),
    );
  };

  const activityFor = (to: ConversationTarget, message: OutboundMessage): Partial<Activity> => ({
    ...toActivity(message),
    from: bot,
    channelId: 'msteams',
    serviceUrl: to.serviceUrl,
    conversation: { id: to.conversationId, isGroup: true, conversationType: 'channel', name: '', tenantId: to.tenantId },
  });
  const activitiesPath = (conversationId: string) => `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;

  return {
    async startThread(channel: ChannelTarget, message: OutboundMessage): Promise<ThreadRef> {
      const parameters = {
        isGroup: true,
        bot,
        channelData: { channel: { id: channel.channelId }, ...(channel.teamId ? { team: { id: channel.teamId } } : {}) },
        activity: toActivity(message) as Activity,
        tenantId: channel.tenantId,
      } as ConversationParameters;
      const created = await call<{ id?: string; activityId?: string }>(channel.serviceUrl, 'POST', '/v3/conversations', parameters);
      const activityId = created.activityId || (created.id ? messageIdOf(created.id) : undefined);
      if (!created.id || !activityId) {
        throw new Error(`Teams created conversation "${created.id}" without a message id; cannot thread replies under it`);
      }
      return { conversationId: created.id, activityId, serviceUrl: channel.serviceUrl, tenantId: channel.tenantId };
    },

    async send(to: ConversationTarget, message: OutboundMessage): Promise<string> {
      const sent = await call<{ id?: string }>(to.serviceUrl, 'POST', activitiesPath(to.conversationId), activityFor(to, message));
      if (!sent.id) throw new Error('Teams accepted the post but returned no activity id');
      return sent.id;
    },

    async sendPersonal(person: PersonalTarget, message: OutboundMessage): Promise<string> {
      const parameters = {
        isGroup: false,
        bot,
        members: [{ id: person.aadObjectId }],
        tenantId: person.tenantId,
        channelData: person.tenantId ? { tenant: { id: person.tenantId } } : {},
      } as unknown as ConversationParameters;
      const created = await call<{ id?: string }>(person.serviceUrl, 'POST', '/v3/conversations', parameters);
      if (!created.id) throw new Error('Teams created the personal chat without a conversation id');
      const to = { conversationId: created.id, serviceUrl: person.serviceUrl, tenantId: person.tenantId };
      const sent = await call<{ id?: string }>(person.serviceUrl, 'POST', activitiesPath(created.id), {
        ...activityFor(to, message),
        conversation: { id: created.id, conversationType: 'personal', tenantId: person.tenantId },
      });
      if (!sent.id) throw new Error('Teams accepted the post but returned no activity id');
      return sent.id;
    },

    async update(post: ThreadRef, message: OutboundMessage): Promise<void> {
      await call(post.serviceUrl, 'PUT', `${activitiesPath(post.conversationId)}/${encodeURIComponent(post.activityId)}`, { ...activityFor(post, message), id: post.activityId });
    },

    /** Closes the kept-alive connections (after the outbox has stopped). */
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

export interface GatewayOptions {
  /** A Bot Connector call not answered within this fails with status 408 (default 30 s). */
  readonly timeoutMs?: number;
}

/** A Bot Connector call that failed: its HTTP status (what the outbox decides on), Teams' error code, and Retry-After. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code?: string,
    /** From Retry-After (429, 503): how long Teams asked the bot to wait, ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

const USER_AGENT = 'lendos-release-bot (botbuilder 4.23.3)';

/** "19:abc@thread.tacv2;messageid=1712345" → "1712345": a channel thread is named by its root post. */
export function messageIdOf(conversationId: string): string | undefined {
  return /;messageid=([^;]+)/.exec(conversationId)?.[1];
}

/** Retry-After in seconds or as an HTTP date, in ms from now. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toActivity(message: OutboundMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    ...(message.text ? { text: message.text, textFormat: 'markdown' } : {}),
    ...(message.card ? { attachments: [CardFactory.adaptiveCard(message.card)] } : {}),
    ...(message.mentions?.length
      ? {
          entities: message.mentions.map((person) => ({
            type: 'mention',
            text: atMention(person.name),
            mentioned: { id: person.id, name: person.name },
          })),
        }
      : {}),
  };
}
