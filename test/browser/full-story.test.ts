import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, Locator } from 'playwright-core';
import { findProjectRoot } from '../../src/dev/start-local';
import { startLoopbackGitHub, LoopbackGitHub } from './helpers/loopback-github';
import {
  cardActionData,
  cardJson,
  executeCardActionAs,
  launchChromium,
  LocalStack,
  PlaygroundMessage,
  PlaygroundPage,
  sendMessageAs,
  startLocalStack,
} from './helpers/playground';

// The runbook end to end in a real Teams client: the Agents Playground in headless Chromium
// against the built bot (`npm run build` first). Jake Edgington is the playground's currentUser,
// so everything Jake does is typed or clicked in the page; the other people act through the
// playground's own API (a message in the thread, or the card click the web client would send as
// them). Every step waits for what a person would see, and the cards are photographed as they
// look at that moment into docs/screenshots/ for the README.
//
// The cards in a thread act for nobody: Teams refreshes them into each person's own view
// (`refresh.userIds`), which the playground does not do, so Jake clicks "Show my actions" for his
// buttons, and the others' clicks take their data from their own view, fetched the same way.
//
// The bot runs on real time, and `start` is refused before the announced window opens. The
// release is therefore a hotfix (allowed during business hours) whose window opens at the next
// whole minute at least WINDOW_LEAD_MS after scheduling (times are written to the minute): the
// test waits for it, 70 s at most, while Steven confirms on-call and #general is looked at.

const VERSION = '2026.4.1';
const RC = `${VERSION}-rc.1`;
const ENVIRONMENT = 'BXCI Production';
const DEPLOYMENT = `Deploy ${VERSION} to ${ENVIRONMENT}`;
const NOTES = 'https://wiki.lendos.example/releases/2026.4.1';
const WINDOW_LEAD_MS = 10_000;
const SCREENSHOTS = path.join(findProjectRoot(__dirname), 'docs', 'screenshots');

jest.setTimeout(180_000);

/** `text` as a RegExp source that matches it literally. */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "2026-11-26 12:41 UTC": the start as written after `at` (UTC, so no hour is ambiguous when the clocks go back). */
function atUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

describe('the whole runbook in the Agents Playground: RC cut to live, then a bug', () => {
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  let github: LoopbackGitHub | undefined;
  let client: PlaygroundPage;

  // Learned along the way, used by later steps.
  let rcPost: PlaygroundMessage; // the root post "Release 2026.4.1-rc.1" with the RC card
  let thread: string; // its conversation id, "<channel>;messageid=<root post id>"
  let tracker: PlaygroundMessage;
  let onCall: PlaygroundMessage;
  let windowStart: Date;

  const shot = (name: string) => path.join(SCREENSHOTS, name);
  const botId = () => stack!.playground.config.bot.id;
  const fromBot = (m: PlaygroundMessage) => m.fromId === botId();
  const inThread = (m: PlaygroundMessage) => m.actionConversationId === thread && fromBot(m);
  /** The RC card in the page (the root post of the release thread). */
  const rcCard = () => client.card(`Release ${RC}`).first();
  /** The tracker card in the page: titled like the deployment, and not the on-call card (the tracker itself may say it waits for on-call coverage). */
  const trackerCard = () => client.card(DEPLOYMENT).filter({ hasNotText: `On-call coverage · ${DEPLOYMENT}` }).first();
  const onCallCard = () => client.card(`On-call coverage · ${DEPLOYMENT}`).first();
  /**
   * Shows Jake's own button `title` on a card and, with `then`, clicks it: "Show my actions" first
   * when the card shows everyone's view. A card update for everyone that lands after his view
   * brings the base card back, so this looks again until the button is his to click.
   */
  const mine = async (card: () => Locator, title: string, then?: 'click') => {
    for (let attempt = 1; ; attempt += 1) {
      const button = card().getByRole('button', { name: title, exact: true });
      const showMine = card().getByRole('button', { name: 'Show my actions', exact: true });
      await button.or(showMine).first().waitFor();
      try {
        if (!(await button.isVisible())) {
          await showMine.click({ timeout: 5_000 });
          await button.waitFor({ timeout: 5_000 });
        }
        if (then === 'click') await button.click({ timeout: 5_000 });
        return button;
      } catch (error) {
        if (attempt >= 4) throw error;
      }
    }
  };
  /** A plain-text message in the page (not text on a card). */
  const line = (text: string | RegExp) => client.textMessage(text);

  /**
   * Clicks a card's button as someone other than Jake: first their own view of the card as last
   * rendered (the refresh Teams would send as them), then the button on it, with the data it carries.
   */
  const clickAs = async (who: string, message: PlaygroundMessage, verb: string, inputs?: Record<string, string>) => {
    const current = client.latest(message.messageId);
    const target = client.cardTarget(current.messageId);
    const refresh = (current.attachments?.[0]?.content as { refresh?: { action?: { verb: string; data: Record<string, unknown> } } } | undefined)?.refresh?.action;
    if (!refresh) throw new Error(`the card of message ${current.messageId} refreshes for nobody: ${cardJson(current)}`);
    const view = await executeCardActionAs(stack!, who, target, { verb: refresh.verb, data: refresh.data });
    const own = { ...current, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: view.value }] } as PlaygroundMessage;
    const answer = await executeCardActionAs(stack!, who, target, { verb, data: cardActionData(own, verb, inputs) });
    // The clicker gets the fresh card back at once; a refused click gets it with a notice on top.
    const returned = JSON.stringify(answer.value ?? null);
    expect(returned).toContain('AdaptiveCard');
    expect(returned).not.toContain('"id":"notice"');
    expect(returned).not.toContain("Can't do that");
    return answer;
  };

  /**
   * Runs a step and, if it fails, adds the bot's and the playground's last log lines and a
   * screenshot of the page (in the temporary directory) to the error. The steps build on each
   * other, so once one fails the rest fail at once instead of each waiting for its timeout.
   */
  let failedStep: string | undefined;
  const step = (run: () => Promise<void>) => async () => {
    if (failedStep) throw new Error(`not run: the step "${failedStep}" failed before it`);
    try {
      await run();
    } catch (error) {
      failedStep = expect.getState().currentTestName ?? 'an earlier step';
      if (error instanceof Error && stack) {
        const file = path.join(os.tmpdir(), `lendos-full-story-failure-${Date.now()}.png`);
        const saved = await client?.page.screenshot({ path: file }).then(() => true, () => false);
        error.message += `\n\n${saved ? `page at the failure: ${file}\n` : ''}${stack.diagnostics()}`;
      }
      throw error;
    }
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    github = await startLoopbackGitHub();
    stack = await startLocalStack({
      botEntry: process.env.LENDOS_BOT_ENTRY,
      botEnv: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: github.repository, GITHUB_TOKEN: 'loopback-token' },
    });
    browser = await launchChromium();
    client = await PlaygroundPage.open(browser, stack);
    await client.openChannel('engineering');
  });

  afterAll(async () => {
    try {
      await browser?.close();
    } finally {
      await stack?.stop();
      await github?.close();
    }
  });

  it(
    'Jake cuts a hotfix RC in #engineering: a new post "Release 2026.4.1-rc.1" with its card',
    step(async () => {
      const engineering = stack!.playground.config.teams[0]!.channels.find((c) => c.name === 'engineering')!;
      await client.postMention(
        `rc ${RC} hotfix features: Faster loan export fixes: APR rounding on 30-year loans notes: ${NOTES} known issues: none`,
      );
      rcPost = await client.waitForMessage(
        (m) => m.action === 'createMessage' && m.actionConversationId === engineering.id && m.postConversationId !== undefined && fromBot(m) && cardJson(m).includes(`Release ${RC}`),
      );
      thread = rcPost.postConversationId!;
      const card = await client.waitForCard(`Release ${RC}`);
      await expect(card.textContent()).resolves.toContain('APR rounding on 30-year loans');
      await expect(card.textContent()).resolves.toMatch(/Awaiting approvals — 0 of 5/);
    }),
  );

  it(
    'Rafaella records the QA pass in the thread; the card shows it',
    step(async () => {
      await sendMessageAs(stack!, 'Rafaella Barrocas', thread, 'qa pass rc.1 212 regression tests green');
      await client.waitForCard(/Passed.*212 regression tests green/);
      await line(/QA regression PASSED on rc\.1/).waitFor();
    }),
  );

  it(
    'the five leads approve (Jake on the card, the others typed or clicked) and the Promote button appears',
    step(async () => {
      await mine(rcCard, 'Approve', 'click');
      await client.waitForCard(/Approvals — 1 of 5/);
      await sendMessageAs(stack!, 'Luis Garcia', thread, 'approve rc.1');
      await client.waitForCard(/Approvals — 2 of 5/);
      await clickAs('Rafaella Barrocas', rcPost, 'approve');
      await client.waitForCard(/Approvals — 3 of 5/);
      await sendMessageAs(stack!, 'Steven Inouye', thread, 'approve rc.1');
      await client.waitForCard(/Approvals — 4 of 5/);
      await clickAs('Bosko Kocev', rcPost, 'approve');
      await client.waitForCard(/Approvals — 5 of 5/);

      await line(/All areas approved: .*promote it with/).waitFor();
      // Everyone's card: the matrix, what it waits for, and no Promote; Jake's own view has it.
      const card = rcCard();
      await expect(card.textContent()).resolves.toContain('Ready to promote');
      await mine(rcCard, 'Promote');
      await client.screenshotAt(shot('rc-card-approved.png'), card);
    }),
  );

  it(
    'Jake clicks Promote: the promotion line appears in the thread',
    step(async () => {
      await mine(rcCard, 'Promote', 'click');
      // The runbook's line, its notes link named "Release notes".
      const promoted = line(`${RC} promoted to ${VERSION}. Release notes`);
      await promoted.waitFor();
      await expect(promoted.getByRole('link', { name: 'Release notes' }).getAttribute('href')).resolves.toBe(NOTES);
      await rcCard().getByRole('button', { name: 'Promote', exact: true }).waitFor({ state: 'detached' });
      await client.screenshotAt(shot('promotion.png'), promoted, 'center');
    }),
  );

  it(
    'Steven schedules the deployment in the thread: tracker and on-call cards in the thread, the meeting link, the notice in #general',
    step(async () => {
      const now = Date.now();
      windowStart = new Date(Math.ceil((now + WINDOW_LEAD_MS) / 60_000) * 60_000);
      const at = atUtc(windowStart);
      await sendMessageAs(
        stack!,
        'Steven Inouye',
        thread,
        `schedule deploy ${VERSION} to "${ENVIRONMENT}" at ${at} for 30m engineer jake validators luis, bosko, rafaella`,
      );
      tracker = await client.waitForMessage((m) => m.action === 'createMessage' && inThread(m) && cardJson(m).includes('"id":"phases"'));
      onCall = await client.waitForMessage((m) => m.action === 'createMessage' && inThread(m) && cardJson(m).includes('On-call coverage'));
      await line(/Steven Inouye scheduled Deploy 2026\.4\.1 to BXCI Production \(hotfix\)/).waitFor();

      const card = trackerCard();
      await card.waitFor();
      await expect(card.textContent()).resolves.toContain('HOTFIX');
      await expect(card.textContent()).resolves.toContain('IRC Steven Inouye · Engineer Jake Edgington');
      // No Graph credentials: a prefilled Teams meeting link and the reminder to record.
      await card.getByText('Create the meeting', { exact: true }).waitFor();
      await expect(card.textContent()).resolves.toContain('Record automatically');
      await client.screenshotAt(shot('tracker-scheduled.png'), card);
    }),
  );

  it(
    'Steven confirms on-call coverage on the on-call card',
    step(async () => {
      const before = onCallCard();
      await before.waitFor();
      await expect(before.textContent()).resolves.toMatch(/Awaiting confirmation/);
      await clickAs('Steven Inouye', onCall, 'confirmOnCall');
      await client.waitForCard(/On-call coverage[\s\S]*Confirmed by Steven Inouye/);
      await line(/On-call coverage confirmed by Steven Inouye/).waitFor();
      await client.screenshotAt(shot('on-call.png'), onCallCard());
    }),
  );

  it(
    'the company notice is a new post in #general',
    step(async () => {
      await client.openChannel('General');
      const notice = await client.waitForCard(`Deployment: ${VERSION} to ${ENVIRONMENT}`);
      await expect(notice.textContent()).resolves.toMatch(/avoid making changes to BXCI Production/i);
      await client.screenshotAt(shot('company-notice.png'), notice);
      await client.openChannel('engineering');
    }),
  );

  it(
    'once the window opens Steven starts it; Jake clicks Ready and Stable on the tracker',
    step(async () => {
      const wait = windowStart.getTime() - Date.now();
      if (wait > 0) await client.page.waitForTimeout(wait + 500);
      await clickAs('Steven Inouye', tracker, 'startDeploy');
      await line(/Steven Inouye started Deploy 2026\.4\.1/).waitFor();
      await trackerCard().getByText(/Started \d\d:\d\d .* of ~30 min/).first().waitFor();
      // Jake's own view of the tracker (engineer and Platform): Ready.
      await mine(trackerCard, 'Ready');
      await client.screenshotAt(shot('tracker-in-progress.png'), trackerCard());

      await mine(trackerCard, 'Ready', 'click');
      // Ready pulls the validators in: each @mentioned, with the way into the meeting.
      await line(/Deploy 2026\.4\.1 to BXCI Production is ready\. Luis Garcia, Bosko Kocev, Rafaella Barrocas: Please join the deployment meeting/).waitFor();
      await mine(trackerCard, 'Stable', 'click');
      await line(/confirmed BXCI Production is stable/).waitFor();
      // Jake validates nothing: the smoke buttons are the validators' (each on their own view).
      await trackerCard().getByRole('button', { name: 'Show my actions', exact: true }).waitFor();
      await expect(trackerCard().getByRole('button', { name: 'Smoke pass', exact: true }).count()).resolves.toBe(0);
    }),
  );

  it(
    'each validator records a smoke pass on the tracker; Jake clicks Live and the live line appears',
    step(async () => {
      await clickAs('Luis Garcia', tracker, 'smokePass', { smokePassNotes: 'loan list and export fine' });
      await line(/Luis Garcia: smoke pass/).waitFor();
      await clickAs('Bosko Kocev', tracker, 'smokePass', { smokePassNotes: 'stream lag normal' });
      await line(/Bosko Kocev: smoke pass/).waitFor();
      await clickAs('Rafaella Barrocas', tracker, 'smokePass');
      await line(/Rafaella Barrocas: smoke pass.*3 of 3 passed/).waitFor();
      await trackerCard().getByText(/3 of 3 passed/).first().waitFor();
      await mine(trackerCard, 'Live');
      await client.screenshotAt(shot('tracker-stable.png'), trackerCard());

      await mine(trackerCard, 'Live', 'click');
      // Runbook 4.5, word for word, as its own message in the release thread.
      const liveLine = line(new RegExp(`^${literally(`${VERSION} live in ${ENVIRONMENT}.`)}$`));
      await liveLine.waitFor();
      await client.screenshotAt(shot('live.png'), liveLine, 'end');
      await expect(trackerCard().textContent()).resolves.toContain(`${VERSION} live in ${ENVIRONMENT}.`);
      await trackerCard().getByRole('button', { name: 'Live', exact: true }).waitFor({ state: 'detached' });
      await client.screenshotAt(shot('tracker-live.png'), trackerCard());
    }),
  );

  it(
    'a bug after the deployment: Jake makes General #production-support and files it; the bot replies with the GitHub issue',
    step(async () => {
      await client.openChannel('General');
      // The company notice was updated for everyone when the deployment went live.
      await client.waitForCard(new RegExp(`${literally(`Deployment: ${VERSION} to ${ENVIRONMENT}`)}[\\s\\S]*Finished`));
      // The playground's team has General and one other channel, so General stands in for
      // #production-support: registered the way a Platform person would register a real one.
      await client.postMention('register production-support');
      await line('This channel is now #production-support for release posts. Registered by Jake Edgington.').waitFor();
      await client.postMention('bug Export to CSV times out for portfolios over 10k loans');
      const reply = line(/Filed #101 "Export to CSV times out for portfolios over 10k loans": https:\/\/github\.com\/lendos\/lendos-platform\/issues\/101/);
      await reply.waitFor();
      expect(github!.issues).toHaveLength(1);
      expect(github!.issues[0]!.body.labels).toEqual(expect.arrayContaining(['bug', `release:${VERSION}`, 'env:bxci-production']));
      const issue = github!.issues[0]!;
      expect(issue.authorization).toMatch(/loopback-token/);
      expect(issue.body.title).toBe('Export to CSV times out for portfolios over 10k loans');
      expect(issue.body.body).toContain(`Deploy ${VERSION} to ${ENVIRONMENT}`);
      await client.screenshotAt(shot('bug.png'), reply, 'center');

      // The bug is recorded on the deployment: the tracker in #engineering links the issue.
      await client.openChannel('engineering');
      const link = trackerCard().getByRole('link', { name: 'Export to CSV times out for portfolios over 10k loans' });
      await link.waitFor();
      await expect(link.getAttribute('href')).resolves.toBe(`https://github.com/${github!.repository}/issues/101`);
      await client.screenshotAt(shot('tracker-bug.png'), trackerCard(), 'end');
    }),
  );
});
