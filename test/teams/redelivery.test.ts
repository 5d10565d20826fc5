import { Harness, people, startHarness } from '../helpers/bot-harness';
import { cutRc, refusalsIn } from './teams-view';

// Teams retries a delivery it thinks failed with the same activity id: people see one answer.

describe('a redelivered activity that changes nothing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('gets its refusal once', async () => {
    const thread = await cutRc(h, '2026.9.0-rc.1');
    const first = await h.say(people.mallory, 'approve rc.1', { conversationId: thread.conversationId, activityId: 'retry-1' });
    const again = await h.say(people.mallory, 'approve rc.1', { conversationId: thread.conversationId, activityId: 'retry-1' });
    expect(refusalsIn(first.calls)).toHaveLength(1);
    expect(again.status).toBe(200);
    expect(again.calls).toEqual([]);
  });

  it('gets its help card once, and a new activity with the same text is answered again', async () => {
    const first = await h.say(people.luis, 'help', { personal: true, activityId: 'help-1' });
    const again = await h.say(people.luis, 'help', { personal: true, activityId: 'help-1' });
    const fresh = await h.say(people.luis, 'help', { personal: true, activityId: 'help-2' });
    expect(first.calls).toHaveLength(1);
    expect(again.calls).toEqual([]);
    expect(fresh.calls).toHaveLength(1);
  });
});
