import { parseCommand } from '../../src/commands/parse-command';
import { OPTIONS, PROD, STAGING } from './fixtures';

// `evidence` and `metrics`: what they take, and what a mistake gets told.

describe('parseCommand: evidence', () => {
  test.each([
    ['evidence', { name: 'evidence' }],
    ['evidence 2026.4.0', { name: 'evidence', release: '2026.4.0' }],
    ['evidence 2026.04.0.', { name: 'evidence', release: '2026.4.0' }],
    ['evidence 2026.4.0-rc.3', { name: 'evidence', release: '2026.4.0' }],
  ])('%s', (text, command) => {
    expect(parseCommand(text, OPTIONS)).toEqual({ ok: true, command });
  });

  test('something else is refused with the usage', () => {
    expect(parseCommand('evidence please', OPTIONS)).toMatchObject({ ok: false, command: 'evidence', error: expect.stringContaining('is not a release version') });
    expect(parseCommand('evidence 2026.4.0 now', OPTIONS)).toMatchObject({ ok: false, error: 'evidence takes at most one version; I don\'t understand `now`.' });
    expect(parseCommand('evidence x', OPTIONS)).toMatchObject({ usage: expect.stringContaining('Usage: evidence [<version>]') });
  });
});

describe('parseCommand: metrics', () => {
  test.each([
    ['metrics', { name: 'metrics' }],
    ['metrics BXCI Production', { name: 'metrics', environment: PROD }],
    ['metrics "bxci-staging"', { name: 'metrics', environment: STAGING }],
    // Midnight in the configured zone (America/New_York).
    ['metrics since 2026-01-01', { name: 'metrics', since: new Date('2026-01-01T05:00:00Z') }],
    ['metrics "BXCI Production" since 2026-07-01.', { name: 'metrics', environment: PROD, since: new Date('2026-07-01T04:00:00Z') }],
  ])('%s', (text, command) => {
    expect(parseCommand(text, OPTIONS)).toEqual({ ok: true, command });
  });

  test.each([
    ['metrics since', 'since needs a date like 2026-01-01.'],
    ['metrics since yesterday', 'since needs a date like 2026-01-01, not `yesterday`.'],
    ['metrics since 2026-02-30', 'February 2026 has 28 days'],
    ['metrics Narnia', '`Narnia` is not an environment I deploy to.'],
    ['metrics BXCI Production last quarter', "I don't understand `last quarter` after the environment; write since and a date, or nothing."],
  ])('%s is refused: %s', (text, error) => {
    const result = parseCommand(text, OPTIONS);
    expect(result).toMatchObject({ ok: false, command: 'metrics', error: expect.stringContaining(error) });
    expect(!result.ok && result.usage).toContain('Usage: metrics [<environment>] [since <YYYY-MM-DD>]');
  });
});
