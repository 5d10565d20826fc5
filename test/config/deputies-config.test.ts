import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../src/config/config';
import { configuredDeputies } from '../../src/config/directory-from-config';

// `deputies[]` in the config: covers known ahead, in the configured zone (America/New_York).

const example = () => JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'lendos.example.json'), 'utf8'));
const withDeputies = (deputies: unknown) => ({ ...example(), deputies });
const problems = (raw: unknown): string[] => {
  try {
    parseConfig(raw);
    return [];
  } catch (error) {
    return (error as ConfigError).problems as string[];
  }
};

describe('config deputies', () => {
  test('a date alone covers that whole day; from a date starts at its midnight', () => {
    const config = parseConfig(withDeputies([{ area: 'daml', deputy: 'bosko', from: '2026-04-13', until: '2026-04-20' }]));
    expect(configuredDeputies(config)).toEqual([
      {
        area: 'daml',
        lead: '00000000-0000-0000-0000-0000000000a3',
        deputy: '00000000-0000-0000-0000-0000000000a4',
        from: '2026-04-13T04:00:00.000Z',
        until: '2026-04-21T04:00:00.000Z',
        source: 'config',
      },
    ]);
    const timed = parseConfig(withDeputies([{ area: 'daml', deputy: 'bosko', until: '2026-04-20 12:00' }]));
    expect(configuredDeputies(timed)[0]!.until).toBe('2026-04-20T16:00:00.000Z');
  });

  test('each mistake is named: an unknown area or person, the lead as their own deputy, a date that does not exist', () => {
    expect(problems(withDeputies([{ area: 'payments', deputy: 'bosko', until: '2026-04-20' }]))).toEqual(['deputies.0.area: "payments" is not a key in areas']);
    expect(problems(withDeputies([{ area: 'daml', deputy: 'nobody', until: '2026-04-20' }]))).toEqual(['deputies.0.deputy: "nobody" is not a key in people']);
    expect(problems(withDeputies([{ area: 'daml', deputy: 'steven', until: '2026-04-20' }]))).toEqual([
      'deputies.0.deputy: "steven" leads daml already; a deputy is someone else',
    ]);
    expect(problems(withDeputies([{ area: 'daml', deputy: 'bosko', until: '2026-02-30' }]))).toEqual([
      'deputies.0: until/from is not a date and time that exists in America/New_York',
    ]);
    expect(problems(withDeputies([{ area: 'daml', deputy: 'bosko', until: 'next week' }]))[0]).toContain('deputies.0.until: must be a date like "2026-04-20"');
  });
});
