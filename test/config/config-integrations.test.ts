import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../src/config/config';

// The config sections for GitHub RC cuts, the on-call source, metrics and evidence links.

const example = () => JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'lendos.example.json'), 'utf8'));

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('config was accepted');
}

describe('config: integrations', () => {
  test('the example documents every section, and what is left out takes its default', () => {
    const config = parseConfig(example());
    expect(config.github).toEqual({ cutOn: 'prerelease', cutBy: 'jake', labels: { features: ['feature', 'enhancement'], fixes: ['bug', 'fix'], hotfix: 'hotfix' }, publishOnPromotion: false });
    expect(config.onCall?.provider).toBe('rotation');
    const bare = example();
    delete bare.github;
    delete bare.metrics;
    delete bare.evidence;
    bare.onCall = { rotation: ['jake'], start: '2026-01-05' };
    const defaults = parseConfig(bare);
    expect([defaults.github, defaults.metrics, defaults.evidence, defaults.onCall?.provider]).toEqual([undefined, { failureWindowDays: 7, months: 6 }, { linkMinutes: 15 }, 'rotation']);
  });

  test('webhook cuts are attributed to someone of the Platform team', () => {
    const raw = example();
    raw.github.cutBy = 'luis';
    expect(problemsOf(raw)).toEqual(['github.cutBy: "luis" is not in roles.platform; RCs are cut by the Platform team, so webhook cuts are attributed to one of them']);
    raw.github.cutBy = 'nobody';
    expect(problemsOf(raw)).toEqual(['github.cutBy: "nobody" is not a key in people']);
    raw.github = { cutBy: 'jake', cutOn: 'release' };
    expect(problemsOf(raw)[0]).toMatch(/^github\.cutOn: Invalid enum value\. Expected 'prerelease' \| 'tag'/);
  });

  test('each on-call provider names what it needs', () => {
    const raw = example();
    raw.onCall = { provider: 'pagerduty' };
    expect(problemsOf(raw)).toEqual(['onCall.pagerduty: provider "pagerduty" needs pagerduty.scheduleIds']);
    raw.onCall = { provider: 'pagerduty', pagerduty: { scheduleIds: ['pabc 12'] } };
    expect(problemsOf(raw)).toEqual(['onCall.pagerduty.scheduleIds.0: must be a PagerDuty schedule id like "PABC123"']);
    raw.onCall = { provider: 'rotation', start: '2026-01-05' };
    expect(problemsOf(raw)).toEqual(['onCall: the rotation provider needs rotation (people keys) and start (a date like "2026-01-05")']);
    raw.onCall = { provider: 'pagerduty', pagerduty: { scheduleIds: ['PABC123'] } };
    expect(parseConfig(raw).onCall?.pagerduty).toEqual({ scheduleIds: ['PABC123'], baseUrl: 'https://api.pagerduty.com', timeoutMs: 2500 });
  });

  test('metrics and evidence links stay within sensible bounds', () => {
    const raw = example();
    raw.metrics = { failureWindowDays: 0, months: 30 };
    raw.evidence = { linkMinutes: 0 };
    expect(problemsOf(raw)).toEqual([
      'metrics.failureWindowDays: Number must be greater than or equal to 1',
      'metrics.months: Number must be less than or equal to 24',
      'evidence.linkMinutes: Number must be greater than or equal to 1',
    ]);
  });
});
