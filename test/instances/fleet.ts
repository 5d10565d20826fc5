import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore, StoredDocument } from '../../src/store/document-store';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { ENGINEERING, Person, TEAM, exampleConfig } from '../helpers/bot-harness';
import { BotProcess, FAST_TIMINGS, startBotProcess, writeBotConfig } from '../helpers/bot-process';
import { CosmosServerOptions, LocalCosmosServer, startCosmosServer } from '../helpers/cosmos-server';
import { LoopbackConnector, LoopbackConnectorOptions, RecordedCall, startLoopbackConnector } from '../helpers/loopback-connector';
import { HoldingProxy, startHoldingProxy } from './holding-proxy';

// Bot instances as real processes on one store, one loopback Bot Connector that records what
// people in Teams would see, and a Teams client that delivers activities to whichever instance a
// test picks (as Azure's load balancer would). Documents are read straight from the store, never
// through a bot.

export type StoreKind = 'cosmos' | 'embedded';

export interface FleetOptions {
  readonly store: StoreKind;
  /** Put a holding proxy between the bots and the connector (test/instances/holding-proxy.ts). */
  readonly holdingProxy?: boolean;
  /** LENDOS_TEST_* settings for every instance, over FAST_TIMINGS. */
  readonly env?: Readonly<Record<string, string>>;
  /** How the loopback Bot Connector behaves (failures, a hook on each call). */
  readonly connector?: LoopbackConnectorOptions;
  /** How the Cosmos server behaves (with store 'cosmos'). */
  readonly cosmos?: CosmosServerOptions;
}

export interface Answer {
  readonly status: number;
  readonly body: any;
  readonly activityId: string;
}

export interface CardRef {
  readonly conversationId: string;
  readonly activityId: string;
}

export interface Fleet {
  readonly connector: LoopbackConnector;
  readonly cosmos?: LocalCosmosServer;
  readonly proxy?: HoldingProxy;
  /** Every instance started, dead ones included. */
  readonly bots: readonly BotProcess[];
  start(name: string, env?: Readonly<Record<string, string>>): Promise<BotProcess>;
  /** Sets the clock of every instance (they read it on each use). */
  setClock(at: Date): void;
  /** A document as the store holds it now, read directly (not through a bot). */
  read<T extends StoredDocument>(pk: string, id: string): Promise<T | undefined>;
  /** A person types `text` (after an @lendos mention) in a conversation; delivered to `bot`. */
  say(bot: BotProcess, person: Person, text: string, options: { conversationId: string; activityId?: string }): Promise<Answer>;
  /** A person clicks an Action.Execute button of the card posted as `card`; delivered to `bot`. */
  click(bot: BotProcess, person: Person, card: CardRef, verb: string, data: Record<string, unknown>, options?: { activityId?: string }): Promise<Answer>;
  /** The root post of the thread "Release <rc>", once the connector saw it. */
  thread(rcVersion: string): RecordedCall | undefined;
  /** The latest card of that thread's root post, after its updates. */
  latestCard(rcVersion: string): any;
  /** Texts posted into a conversation, in order. */
  textsIn(conversationId: string): string[];
  close(): Promise<void>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'lendos-fleet-'));
  const connector = await startLoopbackConnector(options.connector);
  const proxy = options.holdingProxy ? await startHoldingProxy(connector.url) : undefined;
  const serviceUrl = proxy?.url ?? connector.url;
  const cosmos = options.store === 'cosmos' ? await startCosmosServer(options.cosmos) : undefined;
  const databaseId = `fleet-${randomUUID()}`;
  const storePath = join(dir, 'store.db');
  const clockFile = join(dir, 'clock');
  const configPath = writeBotConfig(dir, serviceUrl);
  const tenantId = exampleConfig().tenantId;
  const storeEnv: Record<string, string> = cosmos
    ? { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: databaseId }
    : { LENDOS_STORE_PATH: storePath };
  const bots: BotProcess[] = [];
  const cosmosClient = cosmos && new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, agent: cosmos.agent });
  let embedded: DocumentStore | undefined;

  const deliver = async (bot: BotProcess, activity: Record<string, unknown>): Promise<Answer> => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, activityId: String(activity.id) };
  };

  const base = (person: Person, conversationId: string, activityId: string | undefined) => ({
    id: activityId ?? randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${person.key}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { id: '28:lendos-bot', name: 'lendos' },
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId },
    channelData: {
      teamsChannelId: ENGINEERING,
      teamsTeamId: TEAM,
      channel: { id: conversationId.split(';')[0] },
      team: { id: TEAM },
      tenant: { id: tenantId },
    },
    locale: 'en-US',
  });

  const fleet: Fleet = {
    connector,
    cosmos,
    proxy,
    bots,
    async start(name, env = {}) {
      const bot = await startBotProcess({
        name,
        env: { LENDOS_CONFIG: configPath, LENDOS_TEST_CLOCK_FILE: clockFile, ...storeEnv, ...FAST_TIMINGS, ...options.env, ...env },
      });
      bots.push(bot);
      return bot;
    },
    setClock(at) {
      writeFileSync(`${clockFile}.next`, at.toISOString());
      renameSync(`${clockFile}.next`, clockFile); // an instance reading the clock never sees half a file
    },
    async read<T extends StoredDocument>(pk: string, id: string) {
      if (cosmosClient) {
        const { resource } = await cosmosClient.database(databaseId).container('releases').item(id, pk).read<T>();
        return resource;
      }
      embedded ??= openEmbeddedStore(storePath);
      return (await embedded.read<T>(pk, id))?.doc;
    },
    say: (bot, person, text, sayOptions) =>
      deliver(bot, {
        ...base(person, sayOptions.conversationId, sayOptions.activityId),
        type: 'message',
        text: `<at>lendos</at> ${text}`,
        entities: [{ type: 'mention', text: '<at>lendos</at>', mentioned: { id: '28:lendos-bot', name: 'lendos' } }],
      }),
    click: (bot, person, card, verb, data, clickOptions = {}) =>
      deliver(bot, {
        ...base(person, card.conversationId, clickOptions.activityId),
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: card.activityId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
      }),
    thread(rcVersion) {
      return connector.calls.find((call) => call.kind === 'createConversation' && JSON.stringify(call.activity).includes(`Release ${rcVersion}`));
    },
    latestCard(rcVersion) {
      const root = fleet.thread(rcVersion);
      if (!root) throw new Error(`no thread "Release ${rcVersion}" was posted`);
      const updates = connector.calls.filter((call) => call.kind === 'update' && call.activityId === root.activityId);
      return (updates[updates.length - 1] ?? root).activity.attachments?.[0]?.content;
    },
    textsIn(conversationId) {
      return connector.calls
        .filter((call) => (call.kind === 'send' || call.kind === 'reply') && call.conversationId === conversationId && call.activity.text)
        .map((call) => call.activity.text!);
    },
    async close() {
      await Promise.all(bots.map((bot) => bot.stop()));
      cosmosClient?.dispose();
      await embedded?.close();
      await cosmos?.close();
      await proxy?.close();
      await connector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}

/** Polls `check` (which may read the store) until it passes; fails with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
