import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import { BotError } from '../errors';

// The few Microsoft Graph calls the bot makes, over plain fetch: an app-only token from the
// configured TokenCredential on every call (the credential caches and refreshes it), bounded
// retries where repeating the call is safe, every answer checked with zod, and every failure turned
// into one BotError that says what was being done and what to fix.

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com/v1.0, without a trailing slash. */
  readonly baseUrl: string;
  readonly credential: TokenCredential;
  readonly scope: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** Attempts for a call that is safe to repeat, when Graph throttles (429) or is unavailable (502/503/504). */
  readonly maxAttempts: number;
  /** Upper bound on one wait between attempts, whatever Retry-After says. */
  readonly maxRetryDelayMs: number;
}

export interface GraphCall<T> {
  readonly method: 'GET' | 'POST' | 'PATCH';
  /** Path below the base URL, segments already encoded, e.g. /users/{id}/events. */
  readonly path: string;
  /** Encoded query string without the "?". */
  readonly query?: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Schema of the answer; omitted for calls answered with no body (202). */
  readonly schema?: z.ZodType<T>;
  /** What the bot was doing, for messages: "create the meeting … on irc@x's calendar". */
  readonly what: string;
  /** Whether sending the call twice does no harm, so throttling and outages are retried here. */
  readonly idempotent: boolean;
  /** What a 403 means for this call: the permission or policy the app registration lacks. */
  readonly whenForbidden: string;
}

export interface GraphClient {
  /** Resolves with the parsed answer, or undefined for a call without a schema. */
  send<T = undefined>(call: GraphCall<T>): Promise<T>;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

const graphErrorBody = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innerError: z.object({ 'request-id': z.string().optional() }).passthrough().optional(),
  }),
});

export function createGraphClient(options: GraphClientOptions): GraphClient {
  async function token(what: string): Promise<string> {
    try {
      const accessToken = await options.credential.getToken(options.scope);
      if (!accessToken) throw new Error('the credential returned no token');
      return accessToken.token;
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      const status = (error as { statusCode?: unknown }).statusCode;
      throw new BotError(
        'integration',
        `Couldn't get a Microsoft Graph token to ${what}: ${message}. ` +
          'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (or the managed identity).',
        error,
        typeof status === 'number' ? status : refusedBy(message),
      );
    }
  }

  async function send(call: GraphCall<unknown>): Promise<unknown> {
    const url = `${options.baseUrl}${call.path}${call.query ? `?${call.query}` : ''}`;
    for (let attempt = 1; ; attempt += 1) {
      const headers: Record<string, string> = {
        authorization: `Bearer ${await token(call.what)}`,
        accept: 'application/json',
        ...call.headers,
      };
      if (call.body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      try {
        response = await options.fetch(url, {
          method: call.method,
          headers,
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw new BotError('integration', `Couldn't reach Microsoft Graph at ${options.baseUrl} to ${call.what}: ${causeText(error)}`, error);
      }
      const text = await response.text();
      if (response.ok) return parseAnswer(call, response.status, text);
      if (call.idempotent && RETRY_STATUSES.has(response.status) && attempt < options.maxAttempts) {
        await sleep(Math.min(retryDelayMs(response.headers.get('retry-after'), attempt), options.maxRetryDelayMs));
        continue;
      }
      throw graphFailure(call, response.status, text, attempt);
    }
  }

  return { send: send as GraphClient['send'] };
}

function parseAnswer(call: GraphCall<unknown>, status: number, text: string): unknown {
  if (!call.schema) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BotError('integration', `Microsoft Graph answered "${call.what}" with ${status} and a body that is not JSON`);
  }
  const parsed = call.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
    throw new BotError('integration', `Microsoft Graph answered "${call.what}" with an unexpected body (${issues})`, parsed.error);
  }
  return parsed.data;
}

function graphFailure(call: GraphCall<unknown>, status: number, text: string, attempts: number): BotError {
  let code = '';
  let detail = '';
  let requestId = '';
  try {
    const body = graphErrorBody.safeParse(JSON.parse(text));
    if (body.success) {
      code = body.data.error.code ?? '';
      detail = body.data.error.message ?? '';
      requestId = body.data.error.innerError?.['request-id'] ?? '';
    }
  } catch {
    detail = text.slice(0, 200);
  }
  const said = [`${status}${code ? ` ${code}` : ''}`, detail].filter(Boolean).join(': ');
  const trace = requestId ? ` (Graph request-id ${requestId})` : '';
  const cause = { status, code, message: detail, requestId };
  if (status === 401) {
    return new BotError(
      'integration',
      `Microsoft Graph did not accept the bot's token to ${call.what} (${said})${trace}. Check that GRAPH_TENANT_ID is the tenant of the IRC's mailbox.`,
      cause,
      status,
    );
  }
  if (status === 403) {
    return new BotError('integration', `Microsoft Graph refused to ${call.what} (${said})${trace}. ${call.whenForbidden}`, cause, status);
  }
  if (status === 404) {
    return new BotError('not-found', `Microsoft Graph could not ${call.what}: it has no such item (${said})${trace}.`, cause, status);
  }
  if (RETRY_STATUSES.has(status) || status >= 500) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return new BotError('integration', `Microsoft Graph was unavailable to ${call.what}${tries} (${said})${trace}; try again shortly.`, cause, status);
  }
  return new BotError('integration', `Microsoft Graph refused to ${call.what} (${said})${trace}.`, cause, status);
}

/**
 * @azure/identity reports the authority's refusal without its HTTP status, but with the OAuth
 * error code (RFC 6749 §5.2) in the message. Those codes are 4xx answers that retrying won't fix.
 */
function refusedBy(message: string): number | undefined {
  if (/\binvalid_client\b/.test(message)) return 401;
  if (/\b(invalid_request|invalid_grant|unauthorized_client|unsupported_grant_type|invalid_scope|invalid_tenant)\b/.test(message)) return 400;
  return undefined;
}

/** Retry-After is seconds or an HTTP date; without it, wait a second per attempt so far. */
function retryDelayMs(retryAfter: string | null, attempt: number): number {
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - Date.now());
  }
  return 1000 * attempt;
}

function causeText(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  const message = (error as Error).message ?? String(error);
  return cause?.message ? `${message} (${cause.message})` : message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
