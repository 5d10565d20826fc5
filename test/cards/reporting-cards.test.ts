import { buildEvidence } from '../../src/app/evidence';
import { evidenceCardData } from '../../src/cards/evidence-card';
import { duration, metricsCardData } from '../../src/cards/metrics-card';
import { createCardRenderer } from '../../src/cards/render';
import { computeMetrics } from '../../src/domain/metrics';
import { validateAdaptiveCard } from '../helpers/validate-card';
import { expectNoTemplateLeft, texts } from './card-query';
import { directory, promotedState } from './fixtures';

// The evidence and metrics cards at their edges: valid Adaptive Cards with nothing to show, and
// the wording of durations.

const render = createCardRenderer();
const ZONE = 'America/New_York';

function expectValid(card: unknown) {
  expect(validateAdaptiveCard(card)).toEqual([]);
  expectNoTemplateLeft(card);
}

describe('the metrics card', () => {
  const period = { from: new Date('2026-02-01T05:00:00Z'), to: new Date('2026-04-14T14:00:00Z'), failureWindowDays: 7, timeZone: ZONE };

  test('with no deployments at all: dashes, empty bars, and still a valid card', () => {
    const card = render('metrics', metricsCardData({ metrics: computeMetrics([], period), from: period.from, to: period.to, failureWindowDays: 7 }, ZONE));
    expectValid(card);
    const text = texts(card);
    expect(text).toEqual(expect.arrayContaining(['0.0 a week', '—', 'nothing went live in the period', 'no deployment went live or was aborted in the period', 'Feb 2026', 'Mar 2026', 'Apr 2026']));
  });

  test('durations read as minutes, hours, then days', () => {
    const of = (minutes: number) => duration({ count: 1, medianMs: minutes * 60_000 });
    expect([of(45), of(60), of(125), of(47 * 60 + 59), of(48 * 60), of(4 * 24 * 60 + 5 * 60)]).toEqual(['45 min', '1 h', '2 h 5 min', '47 h 59 min', '2 d', '4 d 5 h']);
  });
});

describe('the evidence card', () => {
  test('a release without deployments: valid, with both download links', () => {
    const pack = buildEvidence({ version: promotedState.version, state: promotedState, events: [], deployments: [], directory, timeZone: ZONE, generatedAt: new Date('2026-04-14T14:05:00Z') });
    const link = (format: string) => ({ url: `https://bot.example/evidence/${promotedState.version}.${format}?expires=1&sig=ab`, expiresAt: new Date('2026-04-14T14:20:00Z') });
    const card = render('evidence', evidenceCardData(pack, { timeZone: ZONE, now: new Date('2026-04-14T14:05:00Z'), markdown: link('md'), json: link('json') }));
    expectValid(card);
    const summary = (card.body as any[]).find((element) => element.id === 'summary');
    expect(summary.facts).toContainEqual({ title: 'Deployments', value: 'none' });
    expect(texts(card)).toEqual(expect.arrayContaining(['The links expire at 10:20 EDT (in 15 minutes); ask again for new ones. Check a JSON export with npm run evidence:verify.']));
    expect(JSON.stringify(card)).toContain(`/evidence/${promotedState.version}.json`);
  });
});
