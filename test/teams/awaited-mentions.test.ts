import { Harness, Person, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { promoteRelease, scheduleText } from '../deployments/deployment-view';
import { LEADS, cutRc, refusalsIn } from './teams-view';

// Over HTTP: whoever a release waits for is @mentioned with a real Teams mention (the Entra object
// id in `entities`, `<at>Name</at>` in the text), so Teams notifies them — the leads and the QA lead
// when an RC is cut, the Platform team at 5 of 5, the IRCs when a deployment is scheduled.

const MONDAY = new Date('2026-04-13T12:00:00Z'); // Mon 13 Apr 2026, 08:00 EDT
const ANA: Person = { key: 'ana', name: 'Ana Ruiz', aadObjectId: '6d1f7c2e-5b9a-4c3e-8f1a-2b7d9e0c4a11' };

const mention = (person: Person) => ({ type: 'mention', text: `<at>${person.name}</at>`, mentioned: { id: person.aadObjectId, name: person.name } });

/** The bot's text posts in a conversation, in order, with their mention entities. */
function postsIn(calls: readonly RecordedCall[], conversationId: string): Array<{ text: string; entities: unknown }> {
  return calls
    .filter((call) => (call.kind === 'send' || call.kind === 'reply') && call.conversationId === conversationId && call.activity.text)
    .map((call) => ({ text: call.activity.text!, entities: call.activity.entities }));
}

describe('who is awaited is @mentioned', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      now: () => MONDAY,
      // Steven is away, Ana decides DAML for him until Friday (config `deputies[]`).
      configure: (config) => {
        config.people.push({ key: ANA.key, name: ANA.name, aadObjectId: ANA.aadObjectId, email: 'ana.ruiz@lendos.example' });
        config.deputies = [{ area: 'daml', deputy: 'ana', until: '2026-04-17' }];
      },
    });
  });
  afterAll(() => h?.close());
  afterEach(() => expect(h.connector.malformed).toEqual([]));

  test('an RC cut: one reply in its new thread, after the root, mentioning each area decider once and the QA lead', async () => {
    const before = h.connector.calls.length;
    const thread = await cutRc(h, '2026.4.0-rc.1');
    const calls = h.connector.calls.slice(before);
    const inThread = calls.filter((call) => call.conversationId === thread.conversationId);
    expect(inThread.map((call) => call.kind)).toEqual(['createConversation', 'send']);
    expect(postsIn(calls, thread.conversationId)).toEqual([
      {
        text:
          '🗳️ rc.1 waits for your decision, <at>Luis Garcia</at> (Product), <at>Rafaella Barrocas</at> (QA), ' +
          '<at>Ana Ruiz</at> (DAML, deputy of Steven Inouye), <at>Bosko Kocev</at> (Stream) and <at>Jake Edgington</at> (Platform): ' +
          "reply `approve rc.1` or `reject rc.1 <reason>`, or use the card's buttons. " +
          'QA regression result from Rafaella Barrocas: `qa pass rc.1 <link or summary>` or `qa fail rc.1 <what failed>`.',
        // Rafaella leads QA and is the QA lead: mentioned once.
        entities: [mention(people.luis), mention(people.rafaella), mention(ANA), mention(people.bosko), mention(people.jake)],
      },
    ]);
  });

  test('the mention is part of the cut, delivered once: a restart posts nothing again', async () => {
    const before = h.connector.calls.length;
    await h.restart();
    await h.settle();
    expect(h.connector.calls.slice(before)).toEqual([]);
    const root = h.thread('2026.4.0-rc.1');
    expect(h.textsIn(root.conversationId).filter((text) => text.startsWith('🗳️'))).toHaveLength(1);
  });

  test('a new RC mentions the deciders and the QA lead again, in its own thread', async () => {
    const thread = await cutRc(h, '2026.4.0-rc.2');
    const texts = h.textsIn(thread.conversationId);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(/^🗳️ rc\.2 waits for your decision, <at>Luis Garcia<\/at> \(Product\)/);
    expect(texts[0]).toContain('QA regression result from Rafaella Barrocas');
  });

  test('5 of 5: the last approval reply mentions the Platform team to promote; earlier ones mention nobody', async () => {
    const thread = await cutRc(h, '2026.5.0-rc.1');
    const deciders = LEADS.map(({ person }) => (person === people.steven ? ANA : person));
    const replies: Array<{ text: string; entities: unknown }> = [];
    for (const person of deciders) {
      const { calls } = await h.say(person, 'approve rc.1', { conversationId: thread.conversationId });
      expect(refusalsIn(calls)).toEqual([]);
      replies.push(...postsIn(calls, thread.conversationId));
    }
    expect(replies.slice(0, 4).map((reply) => reply.entities)).toEqual([undefined, undefined, undefined, undefined]);
    expect(replies[4]).toEqual({
      text:
        '✅ Jake Edgington approved rc.1 for Platform — 5 of 5 approved. ' +
        "All areas approved: <at>Jake Edgington</at>, promote it with `promote rc.1` or the card's Promote button.",
      entities: [mention(people.jake)],
    });
  });
});

describe('a scheduled deployment mentions the IRCs for on-call coverage', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ now: () => MONDAY });
  });
  afterAll(() => h?.close());

  test('scheduled: the thread post mentions the IRC, who confirms on-call; rescheduled: again', async () => {
    const thread = await promoteRelease(h, '2026.4.0');
    const scheduled = await h.say(people.steven, scheduleText('2026.4.0', 'BXCI Production', '2026-04-14 22:00'), { conversationId: thread.conversationId });
    expect(refusalsIn(scheduled.calls)).toEqual([]);
    const [post] = postsIn(scheduled.calls, thread.conversationId);
    expect(post!.text).toMatch(/On-call coverage must be confirmed before it starts: <at>Steven Inouye<\/at>, confirm it with `confirm on-call` or the on-call card\.$/);
    expect(post!.entities).toEqual([mention(people.steven)]);

    expect(refusalsIn((await h.say(people.steven, 'confirm on-call', { conversationId: thread.conversationId })).calls)).toEqual([]);
    const moved = await h.say(people.steven, 'reschedule at 2026-04-15 22:00', { conversationId: thread.conversationId });
    expect(refusalsIn(moved.calls)).toEqual([]);
    const [again] = postsIn(moved.calls, thread.conversationId);
    expect(again!.text).toContain('On-call coverage must be confirmed again for the new window: <at>Steven Inouye</at>');
    expect(again!.entities).toEqual([mention(people.steven)]);
  });
});

describe('a name Teams reads as HTML', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      now: () => MONDAY,
      configure: (config) => {
        config.people.find((p: { key: string }) => p.key === 'bosko').name = 'Bosko Kocev & Co';
      },
    });
  });
  afterAll(() => h?.close());

  test('"&" is escaped alike in the text and in the mention entity, so the mention matches its text', async () => {
    const thread = await cutRc(h, '2026.4.0-rc.1');
    const [post] = h.connector.calls.filter((call) => call.kind === 'send' && call.conversationId === thread.conversationId);
    const entities = post!.activity.entities as Array<{ text: string; mentioned: { id: string; name: string } }>;
    const bosko = entities.find((entity) => entity.mentioned.id === people.bosko.aadObjectId)!;
    expect(bosko).toEqual({ type: 'mention', text: '<at>Bosko Kocev &amp; Co</at>', mentioned: { id: people.bosko.aadObjectId, name: 'Bosko Kocev & Co' } });
    for (const entity of entities) expect(post!.activity.text).toContain(entity.text);
  });
});
