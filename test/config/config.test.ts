import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configuredFreezes, loadConfigFile, parseConfig } from '../../src/config/config';
import { directoryFromConfig } from '../../src/config/directory-from-config';

const examplePath = join(__dirname, '..', '..', 'config', 'lendos.example.json');
const example = () => JSON.parse(readFileSync(examplePath, 'utf8'));

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('config was accepted');
}

describe('config', () => {
  it('accepts the shipped example with the runbook five leads', () => {
    const config = loadConfigFile(examplePath);
    const directory = directoryFromConfig(config);
    expect(directory.areas.map((a) => [a.name, directory.nameOf(a.leadId)])).toEqual([
      ['Product', 'Luis Garcia'],
      ['QA', 'Rafaella Barrocas'],
      ['DAML', 'Steven Inouye'],
      ['Stream', 'Bosko Kocev'],
      ['Platform', 'Jake Edgington'],
    ]);
  });

  it('scheduling defaults: people keys, validators from the pool, the engineer not among them', () => {
    expect(parseConfig(example()).scheduling).toEqual({});
    expect(parseConfig({ ...example(), scheduling: { engineer: 'jake', validators: ['luis', 'bosko'] } }).scheduling).toEqual({ engineer: 'jake', validators: ['luis', 'bosko'] });
    expect(problemsOf({ ...example(), scheduling: { engineer: 'ghost', validators: ['jake', 'bosko'] } })).toEqual([
      'scheduling.engineer: "ghost" is not a key in people',
      'scheduling.validators.0: "jake" is not in roles.validators, the validator pool',
    ]);
    expect(problemsOf({ ...example(), scheduling: { engineer: 'luis', validators: ['luis'] } })).toEqual([
      'scheduling.validators.0: "luis" is the default engineer; the engineer cannot also validate',
    ]);
  });

  it('names every mistake on its own line, with where it is', () => {
    const raw = example();
    raw.timeZone = 'Mars/Olympus';
    raw.businessHours.start = '9am';
    raw.areas[0].lead = 'nobody';
    raw.people[1].aadObjectId = 'not-a-guid';
    raw.roles.platform = ['ghost'];
    delete raw.github; // its cutBy would be one more problem (not in the Platform team)
    const problems = problemsOf(raw);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('timeZone: "Mars/Olympus" is not an IANA time zone'),
        expect.stringContaining('businessHours.start: must be a 24-hour time like "09:00"'),
        expect.stringContaining('areas.0.lead: "nobody" is not a key in people'),
        expect.stringContaining('people.1.aadObjectId: must be an Entra object id'),
        expect.stringContaining('roles.platform.0: "ghost" is not a key in people'),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('refuses one person leading two areas, since that release could never be promoted', () => {
    const raw = example();
    raw.areas[1].lead = 'luis';
    expect(problemsOf(raw)).toEqual([expect.stringContaining('"luis" leads product and qa')]);
  });

  it('refuses duplicate people and business hours that end before they start', () => {
    const raw = example();
    raw.people.push({ ...raw.people[0] });
    raw.businessHours = { days: ['mon'], start: '18:00', end: '09:00' };
    const problems = problemsOf(raw);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('person key "luis" appears more than once'),
        expect.stringContaining('start (18:00) must be before end (09:00)'),
      ]),
    );
  });

  it('says which file could not be read or parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lendos-config-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "tenantId": ');
    expect(() => loadConfigFile(broken)).toThrow(/broken\.json has 1 problem\(s\):\n {2}- is not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/missing\.json has 1 problem\(s\):\n {2}- cannot be read \(ENOENT\)/);
  });

  it('matches people by Entra object id whatever the case Teams sends', () => {
    const raw = example();
    raw.people[0].aadObjectId = raw.people[0].aadObjectId.toUpperCase();
    const directory = directoryFromConfig(parseConfig(raw));
    expect(directory.areasLedBy('00000000-0000-0000-0000-0000000000a1')).toEqual(['product']);
  });

  it('resolves the example freeze to instants in the configured zone, and names each mistake in a freeze', () => {
    const freezes = configuredFreezes(loadConfigFile(examplePath));
    expect(freezes).toEqual([
      {
        name: 'Year-end close',
        from: '2026-12-24T05:00:00.000Z', // 00:00 EST
        to: '2027-01-04T05:00:00.000Z', // the end of 3 Jan: `to` is inclusive
        environments: ['bxci-production'],
        hotfixes: true,
        source: { kind: 'config' },
      },
    ]);
    const raw = example();
    raw.freezes = [
      { name: 'Spring', from: '2026-03-08 02:30', to: '2026-03-09', environments: ['nowhere'] },
      { name: 'spring', from: '2026/04/01', to: '2026-04-02' },
      { name: 'Backwards', from: '2026-05-02', to: '2026-05-01' },
    ];
    expect(problemsOf(raw)).toEqual([
      'freezes.1.from: must be a date like "2026-12-24" or a date and time like "2026-12-24 18:00"',
      'freezes.0.environments.0: "nowhere" is not a key in environments',
      'freezes.0: from: "2026-03-08 02:30" does not exist in America/New_York (clocks jump forward over it); pick a time before or after the jump',
      'freezes.2: to (2026-05-01) must be after from (2026-05-02)',
      'freezes: freeze name "spring" appears more than once',
    ]);
  });
});
