import { EnvironmentDocument, ReleaseDocument, environmentKey, releaseKey } from '../../src/app/documents';
import { ENGINEERING, Person, cardText, people } from '../helpers/bot-harness';
import { BotProcess } from '../helpers/bot-process';
import { SeenRequest } from '../helpers/cosmos-server';
import { ADAPTIVE_CARD, LEADS, approvalRows, ownButtonData, findById, rcCutText, refusalsIn, textOf } from '../teams/teams-view';
import { Answer, Fleet, eventually, pause, startFleet } from './fleet';

// Three bot instances as real processes on one Cosmos DB (the local Cosmos protocol server), one
// Bot Connector, and activities spread over the instances as a load balancer would. Commands that
// race across processes must all count, once each, and be posted once each; a reminder that every
// instance checks for must be sent once.
//
// The first test used to lose an approval in about 2 of 3 full runs on a loaded machine: a command
// whose conditional write lost to another instance was re-run at once, at most 6 times. Seven
// commands and their outbox acknowledgements hit one release document within a second, the instances
// re-collided in lock-step, and the slowest lost every round until its person was told "try again"
// (up to 4 losses in a row were measured on one command at load 7–11, so 6 left no margin). A loser
// now waits a random, doubling time and tries up to 40 times within 8 s (src/app/conflict-retry.ts,
// test/app/conflict-retry.test.ts). The test fails on any "try again" and prints what each instance
// answered each person, and what it logged.

const RELEASE = '2026.4.0';
const RC = `${RELEASE}-rc.1`;
const ENVIRONMENT = 'bxci-production';
const MONDAY_MORNING = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
const WINDOW_START = new Date('2026-04-15T02:00:00Z'); // Tue 14 Apr, 22:00 EDT: the scheduled window
const FIFTEEN_MINUTES_OVER = new Date('2026-04-15T03:45:00Z'); // 90 min estimate + 15 min

describe('three instances on one Cosmos DB', () => {
  let fleet: Fleet;
  let a: BotProcess;
  let b: BotProcess;
  let c: BotProcess;
  let thread: { conversationId: string; activityId: string };

  beforeAll(async () => {
    // The production sweep interval: a sweep reads documents afresh, so a fast one would refresh the
    // instances' caches behind the scenes and hide decisions taken on a stale copy.
    fleet = await startFleet({ store: 'cosmos', env: { LENDOS_TEST_REMINDER_INTERVAL_MS: '100', LENDOS_TEST_OUTBOX_SWEEP_MS: '30000' } });
    fleet.setClock(MONDAY_MORNING);
    // All at once, as a scale-out does: the database and container are created by whoever is first.
    [a, b, c] = await Promise.all([fleet.start('A'), fleet.start('B'), fleet.start('C')]);
  }, 30_000);
  afterAll(() => fleet?.close());
  afterEach(() => expect(fleet.connector.malformed).toEqual([]));

  const release = () => fleet.read<ReleaseDocument>(releaseKey(RELEASE).pk, releaseKey(RELEASE).id);
  const inThread = () => ({ conversationId: thread.conversationId });
  /** Everything the instances wrote has been posted: no release message pending. */
  const releaseOutboxEmpty = async () => {
    const doc = await release();
    return doc !== undefined && doc.outbox.length === 0;
  };

  test('concurrent approvals, a redelivered activity and a double click over three instances: each counts once, each is posted once', async () => {
    // Jake cuts the RC through instance A.
    const cut = await fleet.say(a, people.jake, rcCutText(RC), { conversationId: `${ENGINEERING};messageid=${Date.now()}` });
    expect(cut.status).toBe(200);
    const root = await eventually(() => fleet.thread(RC), `the thread "Release ${RC}"`);
    thread = { conversationId: root.conversationId, activityId: root.activityId };
    await eventually(releaseOutboxEmpty, 'the RC thread to be recorded');

    // Every instance has answered in this thread before, so each holds the release in its cache —
    // the same document, about to go stale in two of them: a long-running fleet's normal state.
    for (const bot of [a, b, c]) {
      const status = await fleet.say(bot, people.luis, 'status', inThread());
      expect(status.status).toBe(200);
    }
    const answersInThread = () => fleet.connector.calls.filter((call) => call.conversationId === thread.conversationId && (call.kind === 'send' || call.kind === 'reply'));
    await eventually(() => answersInThread().length >= 3, 'three status answers');
    expect(refusalsIn(fleet.connector.calls)).toEqual([]);
    const cosmosMark = fleet.cosmos!.requests.length;

    const approveCard = ownButtonData(fleet.latestCard(RC), 'approve');
    const deliveries: Delivery[] = [];
    const typed = (bot: BotProcess, lead: Person, activityId?: string) => {
      const delivery: Delivery = { bot, person: lead, how: 'typed', answer: fleet.say(bot, lead, 'approve rc.1', { ...inThread(), activityId }) };
      deliveries.push(delivery);
      return delivery.answer;
    };
    const clicked = (bot: BotProcess, lead: Person) => {
      const delivery: Delivery = { bot, person: lead, how: 'clicked Approve', answer: fleet.click(bot, lead, thread, 'approve', approveCard) };
      deliveries.push(delivery);
      return delivery.answer;
    };
    const luisActivity = `luis-approve-${Date.now()}`;
    const logsBefore = new Map([a, b, c].map((bot) => [bot, bot.logs.length]));
    const answers = await Promise.all([
      typed(a, people.luis, luisActivity), // round-robin A, B, C, A, B …
      clicked(b, people.rafaella),
      typed(c, people.steven),
      clicked(a, people.bosko),
      typed(b, people.jake),
      typed(c, people.luis, luisActivity), // … Teams delivering Luis's message again, to another instance
      clicked(c, people.rafaella), // … and Rafaella's second click, landing on a third instance
    ]);
    // Whatever fails below, the failure says what each instance answered each person, and what it logged.
    await readable(() => answeredByInstance(fleet, deliveries, logsBefore), async () => {
      // Nobody was told to try again: a command that loses a race to another instance is re-run (conflict-retry.ts).
      const report = await answeredByInstance(fleet, deliveries, logsBefore);
      expect(report.filter((line) => TRY_AGAIN.test(line))).toEqual([]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
      const [, rafaellaFirst, , boskoClick, , , rafaellaSecond] = answers as Answer[];
      for (const answer of [rafaellaFirst!, boskoClick!, rafaellaSecond!]) expect(answer.body.type).toBe(ADAPTIVE_CARD);
      // Both of Rafaella's clicks show her approval; exactly one of them is told it was already recorded.
      for (const answer of [rafaellaFirst!, rafaellaSecond!]) expect(approvalRows(answer.body.value)[1]).toMatch(/^✅ QA · Rafaella Barrocas: Approved · /);
      const notices = [rafaellaFirst!, rafaellaSecond!].map((answer) => findById(answer.body.value, 'notice')).filter(Boolean).map(cardText);
      expect(notices).toEqual([expect.stringContaining('You already approved rc.1 for QA')]);

      // The store holds five approvals, one event each, whatever instance took them.
      await eventually(releaseOutboxEmpty, 'every approval to be posted', 15_000);
      await pause(600); // a moment more: nothing else may be posted
      const doc = (await release())!;
      const decisions = doc.state.rcs[0]!.decisions;
      expect(Object.keys(decisions).sort()).toEqual(['daml', 'platform', 'product', 'qa', 'stream']);
      expect(Object.values(decisions).map((d) => d.decision)).toEqual(['approved', 'approved', 'approved', 'approved', 'approved']);
      expect(doc.events.filter((event) => event.type === 'approved')).toHaveLength(5);
      expect(doc.outboxLease).toBeUndefined();

      // People saw one thread reply per approval, counting 1 to 5, and no more.
      const replies = fleet.textsIn(thread.conversationId).filter((text) => text.includes('approved rc.1'));
      expect(replies).toHaveLength(5);
      expect(replies.map((text) => /— (\d) of 5 approved/.exec(text)?.[1])).toEqual(['1', '2', '3', '4', '5']);
      for (const { person, area } of LEADS) expect(replies.filter((text) => text.startsWith(`✅ ${person.name} approved rc.1 for ${area} —`))).toHaveLength(1);

      // The card: 5 of 5, refreshing first for Jake, who may promote; its updates never went back to an older state.
      const card = fleet.latestCard(RC);
      expect(textOf(card, 'approvals-title')).toBe('Approvals — 5 of 5');
      expect(textOf(card, 'status')).toBe('✅ Ready to promote');
      expect(card.refresh.userIds[0]).toBe(`8:orgid:${people.jake.aadObjectId}`);
      const updates = fleet.connector.calls.filter((call) => call.kind === 'update' && call.activityId === thread.activityId);
      const counts = updates.map((update) => Number(/(\d) of 5/.exec(textOf(update.activity.attachments![0]!.content, 'approvals-title'))?.[1]));
      expect(counts).toEqual([...counts].sort());

      // The instances did race: conditional writes of the release carried an ETag another write had
      // already replaced, which Cosmos refuses with 412 — and the commands were re-run on fresh state.
      const releaseWrites = fleet.cosmos!.requests.slice(cosmosMark).filter(isReplaceOf(RELEASE));
      expect(releaseWrites.length).toBeGreaterThan(0);
      expect(losingWrites(releaseWrites)).toBeGreaterThanOrEqual(1);
    });
  }, 30_000);

  test('an instance that last saw an older state answers from the current one: a click on the card of an RC cut elsewhere, and status', async () => {
    const release7 = '2026.7.0';
    const settled = async () => (await fleet.read<ReleaseDocument>(releaseKey(release7).pk, releaseKey(release7).id))?.outbox.length === 0;
    await fleet.say(a, people.jake, rcCutText(`${release7}-rc.1`), { conversationId: `${ENGINEERING};messageid=${Date.now()}` });
    const rc1 = await eventually(() => fleet.thread(`${release7}-rc.1`), 'the rc.1 thread');
    await eventually(settled, 'rc.1 to be recorded');
    expect((await fleet.say(b, people.luis, 'status', { conversationId: rc1.conversationId })).status).toBe(200); // B now holds rc.1

    await fleet.say(a, people.jake, rcCutText(`${release7}-rc.2`), { conversationId: `${ENGINEERING};messageid=${Date.now()}` });
    const rc2 = await eventually(() => fleet.thread(`${release7}-rc.2`), 'the rc.2 thread');
    await eventually(settled, 'rc.2 to be recorded');

    // Luis clicks Approve on rc.2's card; the click reaches B.
    const click = await fleet.click(b, people.luis, rc2, 'approve', ownButtonData(fleet.latestCard(`${release7}-rc.2`), 'approve'));
    expect(click.body.type).toBe(ADAPTIVE_CARD);
    expect(textOf(click.body.value, 'title')).toBe(`Release ${release7}-rc.2`);
    expect(approvalRows(click.body.value)[0]).toMatch(/^✅ Product · Luis Garcia: Approved · /);
    await eventually(settled, 'the approval to be posted');

    // B's status shows rc.2 and its approval, not the rc.1 it saw last.
    const before = fleet.connector.calls.length;
    expect((await fleet.say(b, people.luis, `status ${release7}`, { conversationId: rc2.conversationId })).status).toBe(200);
    const answer = await eventually(() => fleet.connector.calls.slice(before).find((call) => call.activity.attachments?.length), 'the status card');
    const status = cardText(answer.activity.attachments![0]!.content);
    expect(status).toContain(`${release7}-rc.2`);
    expect(status).toContain('1 of 5');
  }, 30_000);

  test('the overrun reminder, checked by every instance, is sent once — also when the instance that started the deployment is gone', async () => {
    // Promote through C, schedule through A, confirm on-call through B, start through C.
    const steps: Array<[BotProcess, Person, string]> = [
      [c, people.jake, 'promote rc.1'],
      [a, people.steven, `schedule deploy ${RELEASE} to "BXCI Production" at 2026-04-14 22:00 for 90m engineer jake validators luis, bosko`],
      [b, people.steven, 'confirm on-call'],
    ];
    for (const [bot, person, text] of steps) {
      const before = fleet.connector.calls.length;
      expect((await fleet.say(bot, person, text, inThread())).status).toBe(200);
      await eventually(environmentAndReleaseSettled, `"${text}" to be posted`);
      expect(refusalsIn(fleet.connector.calls.slice(before))).toEqual([]);
    }
    fleet.setClock(WINDOW_START);
    expect((await fleet.say(c, people.steven, 'start', inThread())).status).toBe(200);
    await eventually(async () => (await environment())?.deployments[0]?.state.phase === 'in-progress' && environmentAndReleaseSettled(), 'the start to be posted');
    expect(fleet.textsIn(thread.conversationId).filter((text) => text.startsWith('▶️'))).toHaveLength(1);

    // C, the only instance whose cache saw the start, dies; A and B still check every 100 ms.
    await c.kill('SIGKILL');
    const reminders = () => fleet.textsIn(thread.conversationId).filter((text) => text.includes('past its'));
    await pause(500); // within the estimate: nothing
    expect(reminders()).toEqual([]);

    fleet.setClock(FIFTEEN_MINUTES_OVER);
    await eventually(() => reminders().length > 0, 'the overrun reminder', 10_000);
    await pause(1_000); // ten more checks by each live instance
    expect(reminders()).toEqual([
      '<at>Steven Inouye</at> Deploy 2026.4.0 to BXCI Production is running 15 min past its ~90 min estimate. Finish with `live`, or `abort <reason>`.',
    ]);
    const deployment = (await environment())!.deployments[0]!;
    expect(deployment.reminderSentAt).toBe(FIFTEEN_MINUTES_OVER.toISOString());
  }, 30_000);

  const environment = () => fleet.read<EnvironmentDocument>(environmentKey(ENVIRONMENT).pk, environmentKey(ENVIRONMENT).id);
  async function environmentAndReleaseSettled(): Promise<boolean> {
    const env = await environment();
    return (await releaseOutboxEmpty()) && (env === undefined || env.outbox.length === 0);
  }
});

/** What an answer says when nothing was changed and the person must act again. */
const TRY_AGAIN = /try again|went wrong|didn't go through|kept changing|busy/i;

interface Delivery {
  readonly bot: BotProcess;
  readonly person: Person;
  readonly how: string;
  readonly answer: Promise<Answer>;
}

/**
 * One line per delivery — the instance, the person, what they did, the HTTP answer and what the bot
 * told them (the invoke's card, or what it posted in reply and in the thread) — then each instance's
 * warnings and errors since the deliveries began.
 */
async function answeredByInstance(fleet: Fleet, deliveries: readonly Delivery[], logsBefore: ReadonlyMap<BotProcess, number>): Promise<string[]> {
  const calls = fleet.connector.calls;
  const lines = await Promise.all(
    deliveries.map(async ({ bot, person, how, answer }) => {
      const settled = await answer.catch((error: Error) => ({ status: 0, body: `request failed: ${error.message}`, activityId: '?' }) as Answer);
      const said: string[] = [];
      if (settled.body?.type === ADAPTIVE_CARD) {
        const card = settled.body.value;
        const notice = findById(card, 'notice');
        const rows = approvalRows(card).filter((row) => row.includes(person.name));
        said.push(`card: ${[notice ? cardText(notice) : '', ...rows].filter(Boolean).join(' | ') || cardText(card).slice(0, 200)}`);
      } else if (settled.body !== undefined && settled.body !== '' && typeof settled.body !== 'object') {
        said.push(`body: ${String(settled.body).slice(0, 200)}`);
      }
      for (const call of calls.filter((call) => call.replyToId === settled.activityId)) {
        said.push(`replied: ${call.activity.text ?? cardText(call.activity.attachments?.[0]?.content).slice(0, 200)}`);
      }
      if (said.length === 0) {
        // an accepted typed approval is answered in the thread, through the outbox of whichever instance wrote it
        const inThread = calls.find((call) => call.activity.text?.startsWith(`✅ ${person.name} approved rc.1`));
        said.push(inThread ? `in the thread (this delivery or another of it): ${inThread.activity.text}` : 'no answer');
      }
      return `${bot.name} · ${person.name} ${how} (activity ${settled.activityId}) → HTTP ${settled.status}; ${said.join('; ').replace(/\s*\n\s*/g, ' ')}`;
    }),
  );
  const posted = calls
    .filter((call) => (call.kind === 'send' || call.kind === 'reply') && call.activity.text?.includes('approved rc.1'))
    .map((call) => `thread: ${call.activity.text}`);
  const logged = [...logsBefore].flatMap(([bot, from]) =>
    bot.logs
      .slice(from)
      .filter((line) => /"level":"(warn|error)"/.test(line))
      .map((line) => `${bot.name} logged: ${line.slice(0, 300)}`),
  );
  return [...lines, ...posted, ...logged];
}

/** Runs `assertions`; a failure carries `report()` after its own message, so it can be read without a rerun. */
async function readable(report: () => Promise<string[]>, assertions: () => Promise<void>): Promise<void> {
  try {
    await assertions();
  } catch (error) {
    const lines = await report().catch((e: Error) => [`(no report: ${e.message})`]);
    throw new Error(`${(error as Error).message}\n\nWhat each instance answered, and what it logged:\n${lines.join('\n')}`);
  }
}

/** A conditional replace (PUT with If-Match) of a document named `id`. */
function isReplaceOf(id: string) {
  return (request: SeenRequest) => request.method === 'PUT' && request.path.endsWith(`/docs/${encodeURIComponent(id)}`) && Boolean(request.headers['if-match']);
}

/**
 * Replaces that lost a race: an ETag changes with every successful write, so of several replaces
 * sent with the same If-Match at most one succeeded; each of the others was answered 412.
 */
function losingWrites(replaces: readonly SeenRequest[]): number {
  const byEtag = new Map<string, number>();
  for (const request of replaces) byEtag.set(String(request.headers['if-match']), (byEtag.get(String(request.headers['if-match'])) ?? 0) + 1);
  return [...byEtag.values()].reduce((lost, sent) => lost + sent - 1, 0);
}
