import { ENGINEERING, Harness, cardText, people, startHarness } from '../helpers/bot-harness';
import { ADAPTIVE_CARD } from '../teams/teams-view';

/** A thread in #engineering that no release owns. */
const ENGINEERING_THREAD = { conversationId: `${ENGINEERING};messageid=424242`, activityId: '424242' };

// Card data comes from the client and is checked like any other input: a click whose data is not
// what the bot's cards send changes nothing and says so.

describe('deployment card clicks with data the bot never sent', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a tracker click naming no known deployment is answered with a card saying nothing happened', async () => {
    for (const data of [{}, { deploymentId: 42 }, { deploymentId: '2026.4.0@../../etc.1' }, { deploymentId: '2026.4.0@bxci-production.1' }]) {
      const { status, body, calls } = await h.click(people.steven, ENGINEERING_THREAD, 'startDeploy', data);
      expect(status).toBe(200);
      expect(body.type).toBe(ADAPTIVE_CARD);
      expect(cardText(body.value)).toContain('This card is not about a deployment I know, so nothing happened.');
      expect(calls).toEqual([]);
    }
  });

  it('a schedule form whose inputs are not text comes back with the reason and schedules nothing', async () => {
    const { status, body, calls } = await h.click(people.steven, ENGINEERING_THREAD, 'scheduleDeploy', { verb: 'scheduleDeploy', version: { $gt: '' }, date: ['2026-04-14'] });
    expect(status).toBe(200);
    expect(cardText(body.value)).toContain('The form came back in a shape I could not read, so nothing was scheduled.');
    expect(calls).toEqual([]);
  });
});
