import { DeploymentLogDocument, deploymentLogKey, finishedAt } from '../../src/app/deployment-log';
import { computeMetrics } from '../../src/domain/metrics';
import { duration, metricsDefinitions } from '../../src/cards/metrics-card';
import { Harness, people, startHarness } from '../helpers/bot-harness';
import { asLogged, generateHistory } from '../helpers/deployment-history';
import { expectValidCard, findById, textOf } from '../teams/teams-view';
import { promoteRelease, refusalsIn, scheduleText, sentCards } from './deployment-view';

// `metrics` over real HTTP, on a generated history of 60 deployments kept in the deployment log
// (as the outbox writes it), plus one deployment run through the bot itself.

const HISTORY = generateHistory(60, 20260414);
const ZONE = 'America/New_York';

describe('metrics on a generated history', () => {
  let h: Harness;
  let clock = new Date('2026-06-01T12:00:00Z');
  const askIn = '19:engineering0001@thread.tacv2;messageid=77001';

  beforeAll(async () => {
    h = await startHarness({ now: () => clock });
    const byDocument = new Map<string, DeploymentLogDocument>();
    for (const generated of HISTORY.filter((d) => d.outcome !== 'active')) {
      const record = asLogged(generated);
      const month = finishedAt(record.state)!.slice(0, 7);
      const key = deploymentLogKey(record.state.environment.key, month);
      const doc = byDocument.get(key.id) ?? { ...key, type: 'deploymentLog', environment: record.state.environment, month, deployments: [] };
      byDocument.set(key.id, { ...doc, deployments: [...doc.deployments, record] });
    }
    for (const doc of byDocument.values()) await h.store.create(doc);
  });
  afterAll(() => h.close());

  const ask = async (text: string) => {
    const { calls } = await h.say(people.luis, text, { conversationId: askIn });
    const cards = sentCards(calls, askIn);
    expect(cards).toHaveLength(1);
    return cards[0]!;
  };
  const figure = (card: any, id: string) => textOf(card, id).split('\n');

  test('shows the four figures, a bar per month and the definitions, for all environments', async () => {
    const card = await ask('metrics since 2025-11-01');
    expectValidCard(card);
    const from = new Date('2025-11-01T04:00:00Z'); // midnight in New York
    const expected = computeMetrics(HISTORY, { from, to: clock, failureWindowDays: 7, timeZone: ZONE });
    expect(expected.finished).toBeGreaterThanOrEqual(50);
    expect(textOf(card, 'title')).toBe('Delivery metrics · all environments');
    expect(textOf(card, 'period')).toBe(`1 Nov 2025 – 1 Jun 2026 (${expected.days} days)`);
    expect(figure(card, 'frequency')).toEqual([
      'Deployment frequency',
      `${expected.live} deployments went live in ${expected.days} days`,
      `${expected.perWeek.toFixed(1)} a week`,
    ]);
    expect(figure(card, 'lead-time')).toEqual([
      'Lead time for changes',
      `median from RC cut to live over ${expected.rcToLive!.count} deployments; from the first commit ${duration(expected.commitToLive!)} (${expected.commitToLive!.count})`,
      duration(expected.rcToLive!),
    ]);
    expect(figure(card, 'change-failure-rate')).toEqual([
      'Change failure rate',
      `${expected.failed} of ${expected.finished} aborted or with a bug within 7 days`,
      `${Math.round(expected.changeFailureRate! * 100)}%`,
    ]);
    expect(figure(card, 'time-to-restore')[0]).toBe('Time to restore');
    expect(figure(card, 'time-to-restore')[2]).toBe(duration(expected.timeToRestore!));
    const chart = textOf(card, 'chart').split('\n');
    expect(chart[0]).toBe('Deployments finished per month');
    expect(chart.filter((line) => /^[A-Z][a-z]{2} \d{4}$/.test(line))).toEqual(['Nov 2025', 'Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026', 'May 2026', 'Jun 2026']);
    // Each month's bar is weighted columns: green (went live without failure), red (failed), the rest empty.
    const rows = findById(card, 'chart').items.filter((item: any) => item.type === 'ColumnSet');
    const busiest = Math.max(...expected.months.map((m) => m.finished));
    rows.forEach((row: any, i: number) => {
      const month = expected.months[i]!;
      const segments = row.columns[1].items[0].columns.map((c: any) => [c.style, Number(c.width)]);
      const weight = (style: string) => segments.filter(([s]: [string]) => s === style).reduce((n: number, [, w]: [string, number]) => n + w, 0);
      expect([weight('good'), weight('attention'), weight('good') + weight('attention') + weight('default')]).toEqual([month.finished - month.failed, month.failed, busiest]);
    });
    expect(textOf(card, 'definitions')).toBe(['How these are counted', ...metricsDefinitions(7)].join('\n'));
  });

  test('for one environment since a date', async () => {
    const card = await ask('metrics "BXCI Staging" since 2026-02-01');
    const expected = computeMetrics(HISTORY, { from: new Date('2026-02-01T05:00:00Z'), to: clock, environment: 'bxci-staging', failureWindowDays: 7, timeZone: ZONE });
    expect(textOf(card, 'title')).toBe('Delivery metrics · BXCI Staging');
    expect(figure(card, 'frequency')[1]).toBe(`${expected.live} deployments went live in ${expected.days} days`);
    expect(figure(card, 'change-failure-rate')[1]).toBe(`${expected.failed} of ${expected.finished} aborted or with a bug within 7 days`);
  });

  test('without since: the last six months; a deployment the bot just ran counts before and after it reaches the log', async () => {
    clock = new Date('2026-07-13T12:00:00Z');
    const before = await ask('metrics BXCI Production');
    expect(textOf(before, 'period')).toMatch(/^1 Feb 2026 – 13 Jul 2026/);
    const thread = await promoteRelease(h, '2026.7.0');
    const inThread = { conversationId: thread.conversationId };
    await h.say(people.steven, scheduleText('2026.7.0', 'BXCI Production', '2026-07-14 22:00'), inThread);
    await h.say(people.steven, 'confirm on-call', inThread);
    clock = new Date('2026-07-15T02:05:00Z');
    for (const [person, text] of [
      [people.steven, 'start'],
      [people.jake, 'ready'],
      [people.jake, 'stable'],
      [people.luis, 'smoke pass'],
      [people.bosko, 'smoke pass'],
      [people.jake, 'live'],
    ] as const) {
      expect(refusalsIn((await h.say(person, text, inThread)).calls)).toEqual([]);
    }
    const log = await h.store.read<DeploymentLogDocument>(...(Object.values(deploymentLogKey('bxci-production', '2026-07')) as [string, string]));
    expect(log!.doc.deployments.map((d) => [d.state.id, d.releaseTimes?.rcCutAt])).toEqual([['2026.7.0@bxci-production.1', '2026-07-13T12:00:00.000Z']]);
    const after = await ask('metrics BXCI Production');
    const lives = (card: any) => Number(/^(\d+) deployment/.exec(figure(card, 'frequency')[1]!)![1]);
    expect(lives(after)).toBe(lives(before) + 1);
  });

  test('a wrong environment or date is refused with what was wrong and the usage', async () => {
    const { calls } = await h.say(people.luis, 'metrics Narnia', { conversationId: askIn });
    const [refusal] = refusalsIn(calls);
    expect(refusal).toContain('`Narnia` is not an environment I deploy to. The environments are BXCI Production and BXCI Staging.');
    expect(refusal).toContain('Usage: metrics [<environment>] [since <YYYY-MM-DD>]');
    const badDate = refusalsIn((await h.say(people.luis, 'metrics since last tuesday', { conversationId: askIn })).calls)[0];
    expect(badDate).toContain('since needs a date like 2026-01-01, not `last tuesday`.');
  });
});
