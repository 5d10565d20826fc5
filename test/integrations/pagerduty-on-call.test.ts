import { lookUpOnCall } from '../../src/app/on-call';
import { createPagerDutyOnCall } from '../../src/integrations/pagerduty-on-call';
import { LoopbackPagerDuty, startLoopbackPagerDuty } from '../helpers/loopback-pagerduty';

// The PagerDuty on-call provider against a loopback PagerDuty that checks each request.

const PEOPLE: Record<string, string> = { 'bosko.kocev@lendos.example': 'id-bosko', 'jake.edgington@lendos.example': 'id-jake' };
const bosko = { id: 'PU0BOSK', name: 'Bosko Kocev', email: 'Bosko.Kocev@lendos.example' };
const jake = { id: 'PU0JAKE', name: 'Jake Edgington', email: 'jake.edgington@lendos.example' };
const dana = { id: 'PU0DANA', name: 'Dana Lee', email: 'dana.lee@lendos.example' };
const WINDOW = { start: new Date('2026-04-15T02:00:00Z'), end: new Date('2026-04-15T03:30:00Z') };

describe('the PagerDuty on-call provider', () => {
  let pd: LoopbackPagerDuty;
  const provider = (scheduleIds = ['PSCHED1', 'PSCHED2'], timeoutMs = 2_500) =>
    createPagerDutyOnCall({ baseUrl: pd.url, token: pd.token, scheduleIds, timeoutMs, personByEmail: (email) => PEOPLE[email.toLowerCase()] });

  beforeEach(async () => {
    pd = await startLoopbackPagerDuty({ pageSize: 2 });
  });
  afterEach(async () => {
    expect(pd.malformed).toEqual([]);
    await pd.close();
  });

  test('asks for the window in every schedule, with the v2 headers, and names the level-1 on-call at its start by email', async () => {
    pd.shift({ scheduleId: 'PSCHED1', level: 2, user: jake, start: '2026-04-13T00:00:00Z', end: '2026-04-20T00:00:00Z' });
    pd.shift({ scheduleId: 'PSCHED2', level: 1, user: bosko, start: '2026-04-14T16:00:00Z', end: '2026-04-15T04:00:00Z' });
    expect(await lookUpOnCall(provider(), WINDOW)).toEqual({ proposedOnCall: 'id-bosko' });
    const [request] = pd.requests;
    expect(request!.headers).toMatchObject({ authorization: `Token token=${pd.token}`, accept: 'application/vnd.pagerduty+json;version=2' });
    expect(request!.query.getAll('schedule_ids[]')).toEqual(['PSCHED1', 'PSCHED2']);
    expect(Object.fromEntries([...request!.query].filter(([k]) => k !== 'schedule_ids[]'))).toEqual({
      since: '2026-04-15T02:00:00.000Z',
      until: '2026-04-15T03:30:00.000Z',
      'include[]': 'users',
      limit: '100',
      offset: '0',
    });
  });

  test('a hand-off during the window: whoever is on call when it starts; a tie goes to the first schedule listed', async () => {
    pd.shift({ scheduleId: 'PSCHED2', level: 1, user: bosko, start: '2026-04-14T12:00:00Z', end: '2026-04-15T03:00:00Z' });
    pd.shift({ scheduleId: 'PSCHED2', level: 1, user: jake, start: '2026-04-15T03:00:00Z', end: '2026-04-16T12:00:00Z' });
    pd.shift({ scheduleId: 'PSCHED1', level: 1, user: jake, start: null, end: null });
    expect(await lookUpOnCall(provider(['PSCHED2', 'PSCHED1']), WINDOW)).toEqual({ proposedOnCall: 'id-bosko' });
    expect(await lookUpOnCall(provider(['PSCHED1', 'PSCHED2']), WINDOW)).toEqual({ proposedOnCall: 'id-jake' });
  });

  test('reads every page (offset) until PagerDuty says there are no more', async () => {
    pd.shift({ scheduleId: 'PSCHED1', level: 3, user: jake, start: null, end: null });
    pd.shift({ scheduleId: 'PSCHED1', level: 2, user: jake, start: null, end: null });
    pd.shift({ scheduleId: 'PSCHED1', level: 1, user: bosko, start: null, end: null });
    expect(await lookUpOnCall(provider(['PSCHED1']), WINDOW)).toEqual({ proposedOnCall: 'id-bosko' });
    expect(pd.requests.map((r) => r.query.get('offset'))).toEqual(['0', '2']);
  });

  test.each([
    [503, 'PagerDuty failed (503: Internal Server Error).'],
    [401, 'PagerDuty refused PAGERDUTY_TOKEN (401: Request Refused).'],
    [404, 'PagerDuty does not know schedule PSCHED1, PSCHED2 (404: Request Refused).'],
    [429, 'PagerDuty is rate-limiting the bot (429: Request Refused).'],
  ] as const)('%s: the card is told why', async (status, problem) => {
    pd.failNext(1, status);
    expect(await lookUpOnCall(provider(), WINDOW)).toEqual({ onCallProblem: problem });
  });

  test('no answer in time, nobody on call, or someone the bot does not know: each said in words', async () => {
    pd.hangNext(1);
    expect(await lookUpOnCall(provider(['PSCHED1'], 200), WINDOW)).toEqual({ onCallProblem: 'PagerDuty did not answer within 0.2 s.' });
    expect(await lookUpOnCall(provider(['PSCHED1']), WINDOW)).toEqual({ onCallProblem: 'PagerDuty has nobody on call for the window in schedule PSCHED1.' });
    pd.shift({ scheduleId: 'PSCHED1', level: 1, user: dana, start: null, end: null });
    expect(await lookUpOnCall(provider(['PSCHED1']), WINDOW)).toEqual({
      onCallProblem: "PagerDuty has Dana Lee (dana.lee@lendos.example) on call, who is not among the bot's people: add them to the config, or override.",
    });
  });
});
