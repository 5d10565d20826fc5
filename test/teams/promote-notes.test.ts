import { Harness, people, startHarness } from '../helpers/bot-harness';
import { approveInThread, buttonData, buttons, findById, postedTexts } from './teams-view';

// An RC cut without a release-notes link: the Promote button asks for the link, so a click can work.

describe('Promote on an RC cut without release notes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('asks for the notes link on the card and posts the promotion line with it', async () => {
    await h.say(people.jake, 'rc 2026.8.0-rc.1 features: faster search');
    const root = h.thread('2026.8.0-rc.1');
    const thread = { conversationId: root.conversationId, activityId: root.activityId };
    await approveInThread(h, thread, 'rc.1', [people.luis, people.rafaella, people.steven, people.bosko, people.jake]);

    const card = (await h.refresh(people.jake, thread, h.latestCard('2026.8.0-rc.1'))).body.value;
    expect(buttons(card)).toContain('Promote');
    const notesInput = findById(card, 'notesUrl');
    expect(notesInput).toMatchObject({ type: 'Input.Text', isRequired: true });

    const data = buttonData(card, 'promote');
    const { status, calls } = await h.click(people.jake, thread, 'promote', { ...data, notesUrl: 'https://notes.example/2026.8.0' });
    expect(status).toBe(200);
    expect(postedTexts(calls, thread.conversationId)).toContain('2026.8.0-rc.1 promoted to 2026.8.0. [Release notes](https://notes.example/2026.8.0)');
    expect(buttons(h.latestCard('2026.8.0-rc.1'))).toEqual([]);
    expect(h.latestCard('2026.8.0-rc.1').refresh).toBeUndefined();
  });
});
