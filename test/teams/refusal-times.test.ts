import { Harness, people, startHarness } from '../helpers/bot-harness';
import { cutRc, onlyRefusal } from './teams-view';

// Times in a refusal read like the times on the cards: in the configured zone, not UTC.

describe('times in refusals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: () => new Date('2026-04-14T14:05:00Z') });
  });
  afterAll(async () => {
    await h.close();
  });

  it('are shown in the configured zone', async () => {
    const thread = await cutRc(h, '2026.10.0-rc.1');
    await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    const again = await h.say(people.luis, 'approve rc.1', { conversationId: thread.conversationId });
    expect(onlyRefusal(again.calls, thread.conversationId)).toContain('You already approved rc.1 for Product on Tue 14 Apr 2026, 10:05 EDT.');
  });
});
