import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';
import {
  bindPlaygroundChannels,
  findProjectRoot,
  ManagedProcess,
  pickPort,
  PlaygroundUser,
  RunningBot,
  RunningPlayground,
  startBot,
  startPlayground,
} from '../../../src/dev/start-local';

// The bot and the Microsoft 365 Agents Playground on ephemeral ports, headless Chromium on the
// playground's web client, and the playground's own HTTP API for what the UI can't do (speak as
// someone other than currentUser, click a card as someone else).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LocalStack {
  readonly root: string;
  readonly bot: RunningBot;
  readonly playground: RunningPlayground;
  /** Temporary directory with the bot's config, store and the playground's log. */
  readonly workDir: string;
  /** Stops both processes (whole process groups) and removes workDir. Safe to call twice. */
  stop(): Promise<void>;
  /** The last lines of both processes and of the playground log, for a failing test's message. */
  diagnostics(): string;
}

export interface LocalStackOptions {
  /** The bot's entry script (relative to the project root). Default dist/src/main.js. */
  readonly botEntry?: string;
  /** Extra environment for the bot. */
  readonly botEnv?: NodeJS.ProcessEnv;
  /** The bot config to start from; #engineering and #general get bound to the playground. */
  readonly baseConfig?: string;
}

/**
 * Starts the playground (any free port) pointed at a free bot port, then the bot with a fresh
 * store and a config whose channels are the playground's. If anything fails, whatever started
 * is stopped before the error propagates.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const root = findProjectRoot(__dirname);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lendos-playground-'));
  const started: ManagedProcess[] = [];
  const killOnExit = () => started.forEach((child) => child.signal('SIGKILL'));
  process.on('exit', killOnExit);
  const stopAll = async () => {
    await Promise.all(started.map((child) => child.stop(3_000)));
    process.off('exit', killOnExit);
  };

  try {
    const botPort = await pickPort();
    const playground = await startPlayground({
      root,
      botPort,
      port: 0,
      logFile: path.join(workDir, 'playground.log'),
      openBrowser: false,
      onSpawn: (child) => started.push(child),
    });
    const baseConfig = JSON.parse(readFileSync(path.resolve(root, options.baseConfig ?? 'config/lendos.example.json'), 'utf8'));
    const configFile = path.join(workDir, 'lendos.json');
    writeFileSync(configFile, JSON.stringify(bindPlaygroundChannels(baseConfig, playground), null, 2));
    const bot = await startBot({
      root,
      entry: options.botEntry ?? path.join('dist', 'src', 'main.js'),
      port: botPort,
      env: { HOST: '127.0.0.1', LENDOS_CONFIG: configFile, LENDOS_STORE_PATH: path.join(workDir, 'lendos.db'), ...options.botEnv },
      onSpawn: (child) => started.push(child),
    });
    let stopped = false;
    return {
      root,
      bot,
      playground,
      workDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
        rmSync(workDir, { recursive: true, force: true });
      },
      diagnostics() {
        const tail = (name: string, lines: readonly string[]) => `--- ${name} ---\n${lines.slice(-25).join('\n')}`;
        let log: string[] = [];
        try {
          log = readFileSync(playground.logFile, 'utf8').trimEnd().split('\n');
        } catch {
          // No log yet.
        }
        return [tail('bot', bot.process.recentLines()), tail('playground log', log)].join('\n');
      },
    };
  } catch (error) {
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A message the playground pushed to its web client: something the bot posted or updated. */
export interface PlaygroundMessage {
  readonly action: 'createMessage' | 'updateMessage';
  /**
   * For a root post (created or updated): the channel id. For a thread reply: the thread's
   * conversation id, "<channel id>;messageid=<root post id>". For a chat: the chat id.
   */
  readonly actionConversationId: string;
  /** For a newly created root post only: "<channel id>;messageid=<messageId>", the thread it starts. */
  readonly postConversationId?: string;
  readonly messageId: string;
  readonly fromId: string;
  readonly text?: string;
  readonly attachments?: readonly { contentType: string; content: unknown }[];
}

/** The playground's web client in headless Chromium, speaking as the config's currentUser. */
export class PlaygroundPage {
  /** Every createMessage/updateMessage the playground pushed since the page opened. */
  readonly messages: PlaygroundMessage[] = [];

  private constructor(
    readonly page: Page,
    private readonly stack: LocalStack,
  ) {}

  static async open(browser: Browser, stack: LocalStack): Promise<PlaygroundPage> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const client = new PlaygroundPage(page, stack);
    // The web client learns about bot messages over this socket; nothing is fetched later, so a
    // page only shows (and we only record) what arrives while it is open.
    page.on('websocket', (socket) => {
      if (!socket.url().includes('/_ws_conversation/')) return;
      socket.on('framereceived', (frame) => client.record(String(frame.payload)));
    });
    await page.goto(stack.playground.url);
    await client.hideLogPanel();
    return client;
  }

  private record(payload: string): void {
    let frame: { action?: string; actionConversationId?: string; message?: Record<string, unknown> };
    try {
      frame = JSON.parse(payload);
    } catch {
      return;
    }
    if ((frame.action !== 'createMessage' && frame.action !== 'updateMessage') || !frame.message) return;
    const m = frame.message as { messageId: string; from?: { id: string }; text?: string; attachments?: PlaygroundMessage['attachments']; postConversationId?: string };
    this.messages.push({
      action: frame.action,
      actionConversationId: frame.actionConversationId ?? '',
      postConversationId: m.postConversationId,
      messageId: m.messageId,
      fromId: m.from?.id ?? '',
      text: m.text,
      attachments: m.attachments,
    });
  }

  /** The log panel takes a third of the width; screenshots read better without it. */
  async hideLogPanel(): Promise<void> {
    const hide = this.page.getByRole('button', { name: 'Hide log panel' });
    if (await hide.isVisible()) await hide.click();
  }

  /** Opens a channel of the team by its name ("engineering", "General"). */
  async openChannel(name: string): Promise<void> {
    const team = this.stack.playground.config.teams[0]!;
    await this.page.locator(`[aria-label="${team.name} - ${name}"]`).click();
    await this.page.getByText('Start a new post').waitFor();
  }

  /**
   * Starts a new post in the open channel: "@<bot> <text>", the mention picked from the
   * compose box's typeahead exactly as a person would. Text stays on one line (Enter sends).
   */
  async postMention(text: string): Promise<void> {
    const botName = this.stack.playground.config.bot.name;
    await this.page.locator('[data-lexical-editor="true"]').first().click();
    await this.page.keyboard.type(`@${botName}`);
    // The item's accessible name is the avatar's label plus the name, hence no exact match.
    await this.page.getByRole('menuitem', { name: botName }).first().click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  /** Adaptive Cards on the page whose text contains `text`. */
  card(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text });
  }

  /** The channel post (root message, its thread and reply box) that holds `inner`. */
  post(inner: Locator): Locator {
    return this.page.locator('div[role="group"].fui-Card').filter({ has: inner });
  }

  /**
   * A plain-text message from the bot or a person (its paragraph, not text inside a card) whose
   * text contains `text`; a RegExp is matched against the whole paragraph.
   */
  textMessage(text: string | RegExp): Locator {
    return this.page.locator('p:not(.ac-adaptiveCard p)').filter({ hasText: text }).first();
  }

  async waitForCard(text: string | RegExp, timeoutMs = 20_000): Promise<Locator> {
    const card = this.card(text).first();
    await card.waitFor({ timeout: timeoutMs });
    return card;
  }

  async waitForText(text: string | RegExp, timeoutMs = 20_000): Promise<Locator> {
    const found = this.page.getByText(text).first();
    await found.waitFor({ timeout: timeoutMs });
    return found;
  }

  /** Waits until the bot has pushed a message matching `match` (see `messages`). */
  async waitForMessage(match: (message: PlaygroundMessage) => boolean, timeoutMs = 20_000): Promise<PlaygroundMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching bot message within ${timeoutMs} ms; got:\n${this.messages.map(describe).join('\n')}`);
      await this.page.waitForTimeout(100);
    }
  }

  /** Clicks an Action.Execute / Action.Submit button of the card containing `cardText`. */
  async clickCardButton(cardText: string | RegExp, buttonTitle: string): Promise<void> {
    await this.card(cardText).first().getByRole('button', { name: buttonTitle, exact: true }).click();
  }

  /** The newest version of the bot's message `messageId` (its createMessage, or the last updateMessage since). */
  latest(messageId: string): PlaygroundMessage {
    const versions = this.messages.filter((m) => m.messageId === messageId);
    const last = versions[versions.length - 1];
    if (!last) throw new Error(`the bot never posted message ${messageId}`);
    return last;
  }

  /**
   * Where a click on message `messageId` happens, as executeCardActionAs wants it: the web client
   * names a root post by the thread it starts ("<channel>;messageid=<id>"), a reply or a chat
   * message by its conversation.
   */
  cardTarget(messageId: string): { conversationId: string; messageId: string } {
    const created = this.messages.find((m) => m.messageId === messageId && m.action === 'createMessage');
    if (!created) throw new Error(`the bot never posted message ${messageId}`);
    return { conversationId: created.postConversationId ?? created.actionConversationId, messageId };
  }

  /**
   * A 1280×900 screenshot with `element` (a card, a line of text) scrolled to the top of the
   * conversation pane, so it reads the way a person sees it at that moment. Posts taller than the
   * viewport stay whole up to the fold; the surrounding thread shows where the card sits.
   */
  async screenshotAt(file: string, element: Locator, block: 'start' | 'center' | 'end' = 'start'): Promise<void> {
    await this.hideLogPanel();
    // The margin keeps the sender's name and time above a card in the picture.
    await element.evaluate((node, where) => {
      (node as unknown as { style: { scrollMarginTop: string } }).style.scrollMarginTop = '56px';
      node.scrollIntoView({ block: where });
    }, block);
    await this.page.waitForTimeout(300); // let scrolling and images settle
    await this.page.screenshot({ path: file });
  }

  /**
   * `card` as a phone shows it: the page at 360 px wide and, since the playground keeps its message
   * column wider than that, the card itself held to the width a 360 px Teams client gives it
   * (328 px: 16 px margins). Takes the card's own screenshot, then puts the page back at 1280×900.
   * Resolves with the card's width there and the titles of the buttons whose text did not fit.
   */
  async screenshotNarrow(file: string, card: Locator, width = 360): Promise<{ width: number; cutTitles: string[] }> {
    const wide = this.page.viewportSize() ?? { width: 1280, height: 900 };
    await this.page.setViewportSize({ width, height: 1400 });
    try {
      await this.hideLogPanel();
      await card.evaluate((node, cardWidth) => {
        const style = (node as unknown as { style: Record<string, string> }).style;
        style.width = `${cardWidth}px`;
        style.maxWidth = `${cardWidth}px`;
      }, width - 32);
      await card.scrollIntoViewIfNeeded();
      await this.page.waitForTimeout(300); // let the layout settle at the new width
      await card.screenshot({ path: file });
      const cutTitles = await card.locator('button').evaluateAll((buttons) =>
        buttons
          .map((button) => button as unknown as { scrollWidth: number; clientWidth: number; offsetParent: unknown; textContent: string | null })
          .filter((button) => button.offsetParent !== null && button.scrollWidth > button.clientWidth + 1)
          .map((button) => button.textContent ?? ''),
      );
      return { width: (await card.boundingBox())?.width ?? 0, cutTitles };
    } finally {
      await card.evaluate((node) => {
        const style = (node as unknown as { style: Record<string, string> }).style;
        style.width = '';
        style.maxWidth = '';
      });
      await this.page.setViewportSize(wide);
    }
  }

  /**
   * A 1280×900 screenshot with the post holding `inner` scrolled to the top (the viewport, not an
   * element shot: element shots of posts taller than the viewport come out clipped).
   */
  async screenshot(file: string, inner?: Locator): Promise<void> {
    await this.hideLogPanel();
    if (inner) await this.post(inner).first().evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await this.page.waitForTimeout(300); // let scrolling and images settle
    await this.page.screenshot({ path: file });
  }
}

/** The message's Adaptive Card JSON (all attachments), for matching and failure messages. */
export function cardJson(m: PlaygroundMessage): string {
  return JSON.stringify(m.attachments ?? []);
}

/**
 * The `data` an Action.Execute button with `verb` carries on the message's card (searched through
 * ShowCards too), merged with `inputs` the way Teams merges a card's input values into it. What a
 * click sends, taken from the card as it was rendered: a button the card doesn't show can't be
 * clicked.
 */
export function cardActionData(m: PlaygroundMessage, verb: string, inputs: Record<string, string> = {}): Record<string, unknown> {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.verb === verb) found.push((o.data as Record<string, unknown>) ?? {});
    Object.values(o).forEach(walk);
  };
  walk(m.attachments?.map((a) => a.content));
  if (found.length === 0) throw new Error(`the card of message ${m.messageId} has no "${verb}" button: ${cardJson(m)}`);
  return { ...found[0], ...inputs };
}

function describe(m: PlaygroundMessage): string {
  const card = m.attachments?.length ? ` [${m.attachments.map((a) => a.contentType).join(', ')}]` : '';
  return `${m.action} in ${m.actionConversationId}${m.postConversationId ? ` (new post ${m.postConversationId})` : ''}: ${m.text ?? ''}${card}`;
}

// ---------------------------------------------------------------------------------------------
// Acting as someone other than currentUser, through the playground's HTTP API

/** A person of the playground config, by display name, aadObjectId or playground user id. */
export function playgroundUser(stack: LocalStack, who: string): PlaygroundUser {
  const { currentUser, users } = stack.playground.config;
  const wanted = who.toLowerCase();
  const user = [currentUser, ...users].find((u) => [u.name, u.aadObjectId, u.id].some((v) => v.toLowerCase() === wanted));
  if (!user) throw new Error(`no playground user "${who}"; known: ${[currentUser, ...users].map((u) => u.name).join(', ')}`);
  return user;
}

/**
 * Sends a message to the bot as `who` in `conversationId`, through
 * `POST /_internal/v1/customActivities`: the playground forwards the body verbatim to the bot and
 * does not show it in the UI. Use a thread id ("<channel id>;messageid=<root post id>") to reply
 * in a thread, or a chat id; the bot's replies then show in the UI. (A bare channel id is not
 * something Teams sends, and the playground turns each reply to it into a new root post: use
 * startPostAs for a new post.) `mentionBot` prefixes "<at>bot</at> " with its mention entity.
 */
export async function sendMessageAs(
  stack: LocalStack,
  who: string,
  conversationId: string,
  text: string,
  options: { mentionBot?: boolean } = {},
): Promise<Record<string, unknown>> {
  const { playground } = stack;
  const user = playgroundUser(stack, who);
  const bot = playground.config.bot;
  const mention = `<at>${bot.name}</at>`;
  const withMention = options.mentionBot ?? true;
  // The template carries what the playground itself would put in: serviceUrl, recipient and the
  // conversation's id, isGroup, conversationType and tenantId.
  const template = await getJson<Record<string, unknown>>(
    `${playground.url}/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`,
  );
  const activity = {
    ...template,
    type: 'message',
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    text: withMention ? `${mention} ${text}` : text,
    textFormat: 'plain',
    locale: 'en-US',
    entities: withMention ? [{ type: 'mention', mentioned: { id: bot.id, name: bot.name }, text: mention }] : [],
    channelData: channelDataFor(stack, conversationId),
  };
  await postJson(`${playground.url}/_internal/v1/customActivities`, activity);
  return activity;
}

/**
 * Starts a new post in a channel as `who`, the way Teams would deliver it: the playground records
 * an (unmentioned, so not forwarded) post, then the message goes to the bot in that post's
 * thread. Returns the thread id. The web client shows neither the post nor the bot's replies in
 * it (it only draws threads it started), but they are in PlaygroundPage.messages.
 */
export async function startPostAs(stack: LocalStack, who: string, channelId: string, text: string): Promise<string> {
  const user = playgroundUser(stack, who);
  const post = await postJson<{ postConversationId?: string }>(
    `${stack.playground.url}/_conversation/v1/conversations/${encodeURIComponent(channelId)}/messages`,
    { type: 'text', text, textFormat: 'plain', from: { id: user.id } },
  );
  if (!post.postConversationId) throw new Error(`${channelId} is not a channel: the playground started no post`);
  await sendMessageAs(stack, who, post.postConversationId, text);
  return post.postConversationId;
}

/** channelData as the playground sends it for a message in `conversationId`. */
export function channelDataFor(stack: LocalStack, conversationId: string): Record<string, unknown> {
  const { config } = stack.playground;
  const team = config.teams[0]!;
  const channelId = conversationId.split(';')[0]!;
  const inTeam = team.channels.some((c) => c.id === channelId);
  return {
    tenant: { id: config.tenantId },
    ...(inTeam ? { teamsChannelId: channelId, teamsTeamId: team.id, team: { id: team.id }, channel: { id: channelId } } : {}),
  };
}

/**
 * Clicks an Action.Execute button as `who`, through the web client's own invoke endpoint
 * (`POST /_conversation/v1/invoke`). Returns the bot's invoke response ({ type, value }).
 * `conversationId` and `messageId` name the message holding the card (see PlaygroundMessage).
 */
export async function executeCardActionAs(
  stack: LocalStack,
  who: string,
  target: { conversationId: string; messageId: string },
  action: { verb: string; data?: Record<string, unknown>; title?: string },
): Promise<{ type?: string; value?: unknown }> {
  const user = playgroundUser(stack, who);
  return postJson(`${stack.playground.url}/_conversation/v1/invoke`, {
    name: 'adaptiveCard/action',
    from: { id: user.id },
    conversation: { id: target.conversationId },
    replyToId: target.messageId,
    value: { action: { type: 'Action.Execute', title: action.title ?? action.verb, verb: action.verb, data: action.data ?? {} } },
  });
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} → ${response.status} ${body}`);
  return JSON.parse(body) as T;
}

async function postJson<T>(url: string, payload: unknown): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const body = await response.text();
  if (!response.ok) throw new Error(`POST ${url} → ${response.status} ${body}`);
  return (body ? JSON.parse(body) : {}) as T;
}
