import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/config';
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
});
