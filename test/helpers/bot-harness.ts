import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnCallProvider } from '../../src/app/on-call';
import { BotConfig, parseConfig } from '../../src/config/config';
import { BugTracker } from '../../src/integrations/bug-tracker';
import { MeetingScheduler } from '../../src/integrations/meeting-scheduler';
import { Logger, silentLogger } from '../../src/logger';
import { startBotServer, BotServer, BotServerOptions } from '../../src/server';
import { SendPacer } from '../../src/teams/send-pacer';
import { openEmbeddedStore } from '../../src/store/embedded-store';
import { DocumentStore } from '../../src/store/document-store';
import { LoopbackConnector, LoopbackConnectorOptions, RecordedCall, startLoopbackConnector } from './loopback-connector';

// Starts the real bot (restify + botbuilder + teams-ai) on an ephemeral port with a fresh embedded
// store and a loopback Bot Connector, and speaks to it over HTTP with Teams-shaped activities.

export const ROOT = join(__dirname, '..', '..');
export const ENGINEERING = '19:engineering0001@thread.tacv2';
export const GENERAL = '19:general0001@thread.tacv2';
export const TEAM = '19:team0001@thread.tacv2';

export interface Person {
  readonly key: string;
  readonly name: string;
  readonly aadObjectId: string;
}

export function exampleConfig(): BotConfig {
  return parseConfig(JSON.parse(readFileSync(join(ROOT, 'config', 'lendos.example.json'), 'utf8')));
}

export const people = (() => {
  const config = exampleConfig();
  const byKey = (key: string): Person => {
    const person = config.people.find((p) => p.key === key)!;
    return { key, name: person.name, aadObjectId: person.aadObjectId };
  };
  return {
    luis: byKey('luis'), // Product lead
    rafaella: byKey('rafaella'), // QA lead (and QA role)
    steven: byKey('steven'), // DAML lead, IRC
    bosko: byKey('bosko'), // Stream lead
    jake: byKey('jake'), // Platform lead and Platform team
    mallory: { key: 'mallory', name: 'Mallory Outsider', aadObjectId: '00000000-0000-0000-0000-0000000000ff' } as Person,
  };
})();

export interface SayOptions {
  /** Conversation to speak in: a thread's conversation id, or a channel root (default: new root post in #engineering). */
  readonly conversationId?: string;
  /** Reuse an activity id, to play Teams redelivering the same activity. */
  readonly activityId?: string;
  /** Raw text exactly as Teams sends it (otherwise an `<at>lendos</at>` mention is prepended). */
  readonly raw?: boolean;
  readonly personal?: boolean;
}

export interface Harness {
  /** The running bot; replaced by restart(). */
  readonly bot: BotServer;
  readonly connector: LoopbackConnector;
  readonly store: DocumentStore;
  /** The embedded store's SQLite file, for tests that read every stored document. */
  readonly storePath: string;
  readonly config: BotConfig;
  /** Sends a message; resolves with the bot's HTTP answer, without waiting for the outbox. */
  post(person: Person, text: string, options?: SayOptions): Promise<{ status: number }>;
  /** Sends a message; resolves after the bot answered and the outbox delivered everything. */
  say(person: Person, text: string, options?: SayOptions): Promise<{ status: number; calls: RecordedCall[] }>;
  /**
   * Sends any other invoke (e.g. `composeExtension/fetchTask`, `composeExtension/submitAction`) in a
   * conversation; resolves with the invoke response once posts are delivered.
   */
  invoke(person: Person, conversationId: string, name: string, value: Record<string, unknown>, options?: { activityId?: string }): Promise<{ status: number; body: any; calls: RecordedCall[] }>;
  /**
   * Sends any other activity (conversationUpdate, installationUpdate, …) from `person` in a conversation;
   * `fields` are merged over the Teams-shaped base. Resolves once posts are delivered.
   */
  activity(person: Person, conversationId: string, fields: Record<string, unknown>, options?: { activityId?: string; personal?: boolean }): Promise<{ status: number; calls: RecordedCall[] }>;
  /** Clicks an Action.Execute button; resolves with the invoke response body once posts are delivered. */
  click(person: Person, card: { conversationId: string; activityId: string }, verb: string, data: Record<string, unknown>, options?: { activityId?: string }): Promise<{ status: number; body: any; calls: RecordedCall[] }>;
  /**
   * Teams' automatic refresh of a card with user-specific views, as it sends it for someone in the
   * card's `refresh.userIds`: the card's refresh action, `trigger: "automatic"`. Resolves with the
   * invoke response (that person's view) once posts, if any, are delivered.
   */
  refresh(person: Person, card: { conversationId: string; activityId: string }, content: any): Promise<{ status: number; body: any; calls: RecordedCall[] }>;
  /** The root post of the thread "Release <rc>". */
  thread(rcVersion: string): RecordedCall;
  /** The latest card content of a thread's root post (after updates). */
  latestCard(rcVersion: string): any;
  /** Texts posted into a conversation, in order. */
  textsIn(conversationId: string): string[];
  settle(): Promise<void>;
  /** Stops the bot and starts a new one on the same store file and connector, like a process restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly bindChannels?: boolean;
  readonly now?: () => Date;
  readonly configure?: (config: any) => void;
  /** How often the outbox looks for abandoned messages (default: every 100 ms). */
  readonly outboxSweepMs?: number;
  /** Where the bot logs (default: nowhere). */
  readonly logger?: Logger;
  /** Passed to startBotServer as is (default there: prefilled Teams links, no Graph). */
  readonly meetings?: MeetingScheduler;
  /** Passed to startBotServer as is (default there: none, bugs are recorded only). */
  readonly bugTracker?: BugTracker;
  readonly onCall?: OnCallProvider;
  /** How often the bot checks for overrunning windows (default there: 30 s). */
  readonly reminderIntervalMs?: number;
  /** Any other startBotServer option (GitHub webhooks, evidence links …), passed as is. */
  readonly server?: Partial<BotServerOptions>;
  /** Options of the loopback Bot Connector (Teams' rate limits and their clock, injected faults). */
  readonly connector?: LoopbackConnectorOptions;
  /** Wraps the store the bot gets (failure injection); `store` stays the unwrapped one. */
  readonly wrapStore?: (store: DocumentStore) => DocumentStore;
}

export const UNPACED = { perConversation: [{ ms: 1, max: Number.MAX_SAFE_INTEGER }], perTenant: [{ ms: 1, max: Number.MAX_SAFE_INTEGER }] };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const connector = await startLoopbackConnector(options.connector);
  const dir = mkdtempSync(join(tmpdir(), 'lendos-test-'));
  const storePath = join(dir, 'store.db');
  let store = openEmbeddedStore(storePath);
  const raw = JSON.parse(readFileSync(join(ROOT, 'config', 'lendos.example.json'), 'utf8'));
  if (options.bindChannels !== false) {
    raw.channels = {
      engineering: { id: ENGINEERING, teamId: TEAM, serviceUrl: connector.url },
      general: { id: GENERAL, teamId: TEAM, serviceUrl: connector.url },
    };
  }
  options.configure?.(raw);
  const config = parseConfig(raw);
  const start = () =>
    startBotServer({
      config,
      store: options.wrapStore ? options.wrapStore(store) : store,
      logger: options.logger ?? silentLogger,
      port: 0,
      cardsDir: join(ROOT, 'cards'),
      now: options.now,
      outboxBaseDelayMs: 20,
      outboxLeaseMs: 300, // a restarted bot takes over its predecessor's outbox this soon
      outboxSweepMs: options.outboxSweepMs ?? 100,
      meetings: options.meetings,
      bugTracker: options.bugTracker,
      onCall: options.onCall,
      reminderIntervalMs: options.reminderIntervalMs,
      // The loopback connector enforces no rate limits unless a test asks (`connector.limits`), and
      // the bot paces to none either: tests of pacing pass both (test/teams/send-pacing.test.ts).
      pacer: new SendPacer({ limits: UNPACED }),
      ...options.server,
    });
  let bot: BotServer;
  try {
    bot = await start();
  } catch (error) {
    // leave nothing listening when the bot cannot start, or jest never exits
    await store.close();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const post = async (activity: Record<string, unknown>) => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  const settle = () => bot.outbox.idle();

  const newCalls = async <T>(action: () => Promise<T>): Promise<T & { calls: RecordedCall[] }> => {
    const before = connector.calls.length;
    const result = await action();
    await settle();
    return { ...result, calls: connector.calls.slice(before) };
  };

  const harness: Harness = {
    get bot() {
      return bot;
    },
    get store() {
      return store;
    },
    storePath,
    connector,
    config,
    say: (person, text, sayOptions = {}) => newCalls(() => harness.post(person, text, sayOptions)),
    async post(person, text, sayOptions = {}) {
      const conversationId = sayOptions.personal
        ? `a:personal-${person.key}`
        : sayOptions.conversationId ?? `${ENGINEERING};messageid=${Date.now()}${Math.floor(Math.random() * 1000)}`;
      const activity = baseActivity(person, conversationId, connector.url, config.tenantId, sayOptions.activityId, Boolean(sayOptions.personal));
      const withMention = sayOptions.raw || sayOptions.personal ? text : `<at>lendos</at> ${text}`;
      const { status } = await post({
        ...activity,
        type: 'message',
        text: withMention,
        entities: sayOptions.personal
          ? []
          : [{ type: 'mention', text: '<at>lendos</at>', mentioned: { id: '28:lendos-bot', name: 'lendos' } }],
      });
      return { status };
    },
    invoke: (person, conversationId, name, value, invokeOptions = {}) =>
      newCalls(async () => {
        const activity = baseActivity(person, conversationId, connector.url, config.tenantId, invokeOptions.activityId, false);
        return post({ ...activity, type: 'invoke', name, value });
      }),
    activity: (person, conversationId, fields, activityOptions = {}) =>
      newCalls(async () => {
        const activity = baseActivity(person, conversationId, connector.url, config.tenantId, activityOptions.activityId, Boolean(activityOptions.personal));
        const { status } = await post({ ...activity, ...fields });
        return { status };
      }),
    click: (person, card, verb, data, clickOptions = {}) =>
      newCalls(async () => {
        const activity = baseActivity(person, card.conversationId, connector.url, config.tenantId, clickOptions.activityId, false);
        return post({
          ...activity,
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: card.activityId,
          value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
        });
      }),
    refresh: (person, card, content) =>
      newCalls(async () => {
        const action = content?.refresh?.action;
        if (!action) throw new Error('the card has no refresh: nobody gets their own view of it');
        const activity = baseActivity(person, card.conversationId, connector.url, config.tenantId, undefined, false);
        return post({
          ...activity,
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: card.activityId,
          value: { action: { type: 'Action.Execute', verb: action.verb, data: action.data }, trigger: 'automatic' },
        });
      }),
    thread(rcVersion) {
      const root = connector.calls.find(
        (call) => call.kind === 'createConversation' && JSON.stringify(call.activity).includes(`Release ${rcVersion}`),
      );
      if (!root) throw new Error(`no thread "Release ${rcVersion}" was posted; calls: ${connector.calls.map((c) => c.kind).join(', ')}`);
      return root;
    },
    latestCard(rcVersion) {
      const root = harness.thread(rcVersion);
      const updates = connector.calls.filter((call) => call.kind === 'update' && call.activityId === root.activityId);
      const latest = updates.length ? updates[updates.length - 1]! : root;
      return latest.activity.attachments?.[0]?.content;
    },
    textsIn(conversationId) {
      return connector.calls
        .filter((call) => (call.kind === 'send' || call.kind === 'reply') && call.conversationId === conversationId && call.activity.text)
        .map((call) => call.activity.text!);
    },
    settle,
    async restart() {
      await bot.close();
      await store.close();
      store = openEmbeddedStore(storePath);
      bot = await start();
    },
    async close() {
      await bot.close();
      await store.close();
      await connector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

function baseActivity(person: Person, conversationId: string, serviceUrl: string, tenantId: string, activityId: string | undefined, personal: boolean) {
  return {
    id: activityId ?? randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${person.key}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { id: '28:lendos-bot', name: 'lendos' },
    conversation: personal
      ? { id: conversationId, conversationType: 'personal', tenantId }
      : { id: conversationId, isGroup: true, conversationType: 'channel', tenantId },
    channelData: personal
      ? { tenant: { id: tenantId } }
      : {
          teamsChannelId: ENGINEERING,
          teamsTeamId: TEAM,
          channel: { id: conversationId.split(';')[0] },
          team: { id: TEAM },
          tenant: { id: tenantId },
        },
    locale: 'en-US',
  };
}

/** Plain text of every TextBlock/FactSet/RichText in a card, for "what a person reads" assertions. */
export function cardText(card: any): string {
  const parts: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node.text === 'string') parts.push(node.text);
    if (typeof node.title === 'string') parts.push(node.title);
    if (typeof node.value === 'string' && node.type === undefined) parts.push(node.value);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return parts.join('\n');
}

/** The Action.Execute buttons a card shows (including those inside ShowCards), by verb. */
export function cardVerbs(card: any): string[] {
  const verbs: string[] = [];
  const walk = (node: any) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if (node.type === 'Action.Execute' && typeof node.verb === 'string') verbs.push(node.verb);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return verbs;
}
