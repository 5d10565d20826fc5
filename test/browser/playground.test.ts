import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser } from 'playwright-core';
import { findProjectRoot } from '../../src/dev/start-local';
import { launchChromium, LocalStack, PlaygroundMessage, PlaygroundPage, sendMessageAs, startLocalStack } from './helpers/playground';

// A newcomer's first minutes, in a real browser against the built bot (`npm run build` first):
// the Agents Playground as Jake Edgington (Platform) in #engineering, then Luis Garcia through the
// playground's API. Screenshots land in docs/screenshots/ for the README.

const RELEASE = '2026.4.0-rc.1';
const RC_CUT =
  `rc ${RELEASE} features: Loan export to CSV; Faster portfolio search fixes: Login loop on Safari ` +
  'notes: https://wiki.lendos.example/releases/2026.4.0 known issues: none';
const SCREENSHOTS = path.join(findProjectRoot(__dirname), 'docs', 'screenshots');

const cardText = (m: PlaygroundMessage) => JSON.stringify(m.attachments ?? []);

// Starting two servers and Chromium takes seconds; `testTimeout` inside a jest project is ignored.
jest.setTimeout(120_000);

describe('@lendos in the Microsoft 365 Agents Playground', () => {
  let stack: LocalStack | undefined;
  let browser: Browser | undefined;
  let client: PlaygroundPage;
  let releaseThread: PlaygroundMessage | undefined;

  /** Runs a step and, if it fails, adds the bot's and the playground's last log lines. */
  const step = (run: () => Promise<void>) => async () => {
    try {
      await run();
    } catch (error) {
      if (error instanceof Error && stack) error.message += `\n\n${stack.diagnostics()}`;
      throw error;
    }
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    stack = await startLocalStack({ botEntry: process.env.LENDOS_BOT_ENTRY });
    browser = await launchChromium();
    client = await PlaygroundPage.open(browser, stack);
    await client.openChannel('engineering');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it(
    'answers "@lendos help" in #engineering with the help card',
    step(async () => {
      await client.postMention('help');
      const card = await client.waitForCard('What you can do with @lendos');
      await client.screenshot(path.join(SCREENSHOTS, 'help-card.png'), card);
    }),
  );

  it(
    `posts "Release ${RELEASE}" as a new root post with the RC card when Jake cuts the RC`,
    step(async () => {
      const engineering = stack!.playground.config.teams[0]!.channels.find((c) => c.name === 'engineering')!;
      await client.postMention(RC_CUT);

      // A root post is the first message of a new "<channel>;messageid=<id>" conversation.
      releaseThread = await client.waitForMessage(
        (m) =>
          m.action === 'createMessage' &&
          m.actionConversationId === engineering.id &&
          m.postConversationId !== undefined &&
          m.fromId === stack!.playground.config.bot.id &&
          cardText(m).includes(`Release ${RELEASE}`),
      );
      const card = await client.waitForCard(`Release ${RELEASE}`);
      for (const item of ['Loan export to CSV', 'Faster portfolio search', 'Login loop on Safari']) {
        expect(await card.textContent()).toContain(item);
      }
      // Everyone's card acts for nobody; "Show my actions" turns it into Jake's own view (the
      // playground does not send Teams' automatic refresh), which the narrow picture shows.
      await client.screenshot(path.join(SCREENSHOTS, 'rc-card.png'), card);
      await expect(card.getByRole('button', { name: 'Approve', exact: true }).count()).resolves.toBe(0);
      await card.getByRole('button', { name: 'Show my actions', exact: true }).click();
      await card.getByRole('button', { name: 'Approve', exact: true }).waitFor();
      const narrow = await client.screenshotNarrow(path.join(SCREENSHOTS, 'rc-card-360.png'), card);
      expect(narrow.width).toBeLessThanOrEqual(360);
      expect(narrow.cutTitles).toEqual([]);
    }),
  );

  it(
    'updates the RC card for everyone when Jake clicks Approve (on his own view) and Luis approves in the thread',
    step(async () => {
      expect(releaseThread).toBeDefined();
      const thread = releaseThread!.postConversationId!;

      await client.clickCardButton(`Release ${RELEASE}`, 'Approve');
      await client.waitForCard(/1 of 5/);

      await sendMessageAs(stack!, 'Luis Garcia', thread, 'approve rc.1');
      await client.waitForCard(/2 of 5/);
    }),
  );
});
