import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TokenCredentials } from 'botframework-connector';
import { BotConfig, parseConfig } from '../../src/config/config';
import { Logger, createLogger, silentLogger } from '../../src/logger';
import { BotServer, BotServerOptions, startBotServer } from '../../src/server';
import { DocumentStore } from '../../src/store/document-store';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { ENGINEERING, GENERAL, Person, ROOT, TEAM } from './bot-harness';
import { LoopbackConnector, startLoopbackConnector } from './loopback-connector';

// The real bot on an ephemeral port, for the HTTP edge itself: authentication, limits, health and
// shutdown. Unlike bot-harness it takes any startBotServer option (an app id, where the signing
// keys are published, outbound credentials), a store wrapper (failure injection) and a logger, and
// it posts raw requests with any headers.

export const APP_ID = '11111111-2222-3333-4444-555555555555';
export const APP_PASSWORD = 'app-password-never-logged-7f3c9a';
/** The token the bot's outbound calls carry in tests (instead of one from Entra). */
export const OUTBOUND_TOKEN = 'outbound-token-from-loopback-factory';

/**
 * botbuilder's own credentials factory for the bot's app id (so isValidAppId, used when checking
 * inbound tokens, is the real one) whose outbound credentials are a fixed bearer token: Entra's
 * token endpoint is the one thing tests cannot reach, and botbuilder's MSAL client accepts only
 * https authorities.
 */
export class FixedTokenCredentialsFactory extends ConfigurationServiceClientCredentialFactory {
  constructor(
    appId: string,
    tenantId: string,
    private readonly token: string = OUTBOUND_TOKEN,
  ) {
    super({ MicrosoftAppId: appId, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenantId });
  }

  override async createCredentials(appId: string): Promise<TokenCredentials> {
    if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
    return new TokenCredentials(this.token);
  }
}

export interface HttpBotOptions {
  /** Anything startBotServer takes; config, store, logger, port and cardsDir are set here. */
  readonly server?: Partial<BotServerOptions>;
  /** Wraps the embedded store the bot gets (the test keeps the raw one for its assertions). */
  readonly wrapStore?: (store: DocumentStore) => DocumentStore;
  readonly logger?: Logger;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

export interface HttpBot {
  readonly bot: BotServer;
  readonly connector: LoopbackConnector;
  /** The embedded store itself, unwrapped. */
  readonly store: DocumentStore;
  readonly config: BotConfig;
  /** A Teams message from `person` in a new #engineering root post (or `conversationId`). */
  message(person: Person, text: string, overrides?: Record<string, unknown>): Record<string, any>;
  /** A Teams invoke from `person`. */
  invoke(person: Person, name: string, value: Record<string, unknown>, overrides?: Record<string, unknown>): Record<string, any>;
  /** POST /api/messages with `activity` as JSON and the given headers. */
  post(activity: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  get(path: string): Promise<HttpResponse>;
  /** The release document, if a command created it. */
  release(version: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function startHttpBot(options: HttpBotOptions = {}): Promise<HttpBot> {
  const connector = await startLoopbackConnector();
  const dir = mkdtempSync(join(tmpdir(), 'lendos-http-'));
  const store = openEmbeddedStore(join(dir, 'store.db'));
  const raw = JSON.parse(readFileSync(join(ROOT, 'config', 'lendos.example.json'), 'utf8'));
  raw.channels = {
    engineering: { id: ENGINEERING, teamId: TEAM, serviceUrl: connector.url },
    general: { id: GENERAL, teamId: TEAM, serviceUrl: connector.url },
  };
  const config = parseConfig(raw);
  let bot: BotServer;
  try {
    bot = await startBotServer({
      config,
      store: options.wrapStore ? options.wrapStore(store) : store,
      logger: options.logger ?? silentLogger,
      port: 0,
      cardsDir: join(ROOT, 'cards'),
      outboxBaseDelayMs: 20,
      ...options.server,
    });
  } catch (error) {
    await store.close();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const base = (person: Person, overrides: Record<string, unknown>) => {
    const conversationId = `${ENGINEERING};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`;
    return {
      id: randomUUID(),
      channelId: 'msteams',
      serviceUrl: connector.url,
      timestamp: new Date().toISOString(),
      from: { id: `29:${person.key}`, name: person.name, aadObjectId: person.aadObjectId },
      recipient: { id: `28:${APP_ID}`, name: 'lendos' },
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId: config.tenantId },
      channelData: { teamsChannelId: ENGINEERING, teamsTeamId: TEAM, channel: { id: ENGINEERING }, team: { id: TEAM }, tenant: { id: config.tenantId } },
      locale: 'en-US',
      ...overrides,
    };
  };

  const request = async (path: string, init: RequestInit): Promise<HttpResponse> => {
    const response = await fetch(`${bot.url}${path}`, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, headers: response.headers };
  };

  return {
    bot,
    connector,
    store,
    config,
    message: (person, text, overrides = {}) => ({
      ...base(person, overrides),
      type: 'message',
      text: `<at>lendos</at> ${text}`,
      entities: [{ type: 'mention', text: '<at>lendos</at>', mentioned: { id: `28:${APP_ID}`, name: 'lendos' } }],
    }),
    invoke: (person, name, value, overrides = {}) => ({ ...base(person, overrides), type: 'invoke', name, value }),
    post: (activity, headers = {}) =>
      request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) }),
    get: (path) => request(path, { method: 'GET' }),
    async release(version) {
      return (await store.read(version, version))?.doc;
    },
    async close() {
      await bot.close();
      await store.close();
      await connector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Log lines collected from a real (pino) logger, parsed. */
export function collectingLogger(): { logger: Logger; lines: string[]; entries(): Array<Record<string, any>> } {
  const lines: string[] = [];
  return {
    logger: createLogger({ write: (line) => lines.push(line) }),
    lines,
    entries: () => lines.map((line) => JSON.parse(line)),
  };
}
