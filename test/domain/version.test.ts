import { formatRc, nextPatchRelease, parseRcRef, parseRcVersion, parseReleaseVersion, rcLabel } from '../../src/domain/version';

describe('parseReleaseVersion', () => {
  it.each([
    ['2026.4.0', '2026.4.0'],
    ['2026.12.1', '2026.12.1'],
    ['2026.04.0', '2026.4.0'],
    ['  2026.4.10 ', '2026.4.10'],
    ['2000.1.0', '2000.1.0'],
    ['2999.12.999', '2999.12.999'],
  ])('reads %p as %p', (text, release) => {
    expect(parseReleaseVersion(text)).toEqual({ ok: true, value: { release } });
  });

  it.each([
    ['2026.4', 'is not a release version. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.'],
    ['v2026.4.0', 'is not a release version'],
    ['26.4.0', 'is not a release version'],
    ['2026.13.0', 'the month must be 1 to 12'],
    ['2026.0.0', 'the month must be 1 to 12'],
    ['1999.4.0', 'the year must be between 2000 and 2999'],
    ['3000.4.0', 'the year must be between 2000 and 2999'],
  ])('refuses %p saying %p', (text, fragment) => {
    const parsed = parseReleaseVersion(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain(`\`${text}\``);
      expect(parsed.reason).toContain(fragment);
    }
  });

  it('points out an RC given where a release is expected, naming the release', () => {
    expect(parseReleaseVersion('2026.4.0-rc.3')).toEqual({
      ok: false,
      reason: '`2026.4.0-rc.3` is an RC, not a release version. The release is 2026.4.0.',
    });
  });

  it('says nothing was given for blank input', () => {
    expect(parseReleaseVersion('  ')).toEqual({
      ok: false,
      reason: 'No release version given. Write it as YEAR.MONTH.PATCH, for example 2026.4.0.',
    });
  });
});

describe('parseRcVersion', () => {
  it.each([
    ['2026.4.0-rc.3', '2026.4.0', 3],
    ['2026.12.1-rc.1', '2026.12.1', 1],
    ['2026.04.0-rc.3', '2026.4.0', 3],
    ['2026.4.0-RC.3', '2026.4.0', 3],
    ['2026.4.0-rc3', '2026.4.0', 3],
    ['2026.4.0-rc.03', '2026.4.0', 3],
    ['2026.4.1-rc.12', '2026.4.1', 12],
  ])('reads %p', (text, release, rc) => {
    expect(parseRcVersion(text)).toEqual({ ok: true, value: { release, rc } });
  });

  it('shows the expected form for a malformed RC (the brief example)', () => {
    expect(parseRcVersion('2026.4-rc3')).toEqual({
      ok: false,
      reason: '`2026.4-rc3` is not an RC version. Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.3.',
    });
  });

  it.each([
    ['2026.4.0-rc.0', 'RC numbers run from rc.1'],
    ['2026.13.0-rc.1', 'the month must be 1 to 12'],
    ['2026.4.0-beta.1', 'is not an RC version'],
    ['2026.4.0-rc.', 'is not an RC version'],
    ['rc.3', 'is not an RC version'],
  ])('refuses %p saying %p', (text, fragment) => {
    const parsed = parseRcVersion(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain(`\`${text}\``);
      expect(parsed.reason).toContain(fragment);
      expect(parsed.reason).toContain('YEAR.MONTH.PATCH-rc.N');
    }
  });

  it('suggests the first RC when given a release version', () => {
    const parsed = parseRcVersion('2026.4.0');
    expect(parsed).toEqual({
      ok: false,
      reason: '`2026.4.0` is a release version, not an RC. Write the RC as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.1.',
    });
  });

  it('shortens very long input in the reason', () => {
    const parsed = parseRcVersion('x'.repeat(200));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeLessThan(150);
  });
});

describe('parseRcRef', () => {
  it.each([
    ['rc.3', { rc: 3 }],
    ['RC.3', { rc: 3 }],
    ['rc3', { rc: 3 }],
    [' Rc.12 ', { rc: 12 }],
    ['2026.4.0-rc.3', { release: '2026.4.0', rc: 3 }],
    ['2026.04.0-RC3', { release: '2026.4.0', rc: 3 }],
  ])('reads %p', (text, value) => {
    expect(parseRcRef(text)).toEqual({ ok: true, value });
  });

  it.each(['3', 'rc', 'rc.x', 'release 3', '2026.4.0', ''])('refuses %p, explaining both forms', (text) => {
    const parsed = parseRcRef(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toContain('rc.3');
      expect(parsed.reason).toContain('2026.4.0-rc.3');
    }
  });

  it('refuses rc.0', () => {
    expect(parseRcRef('rc.0')).toEqual({ ok: false, reason: '`rc.0` is not an RC: RC numbers run from rc.1 to rc.999.' });
  });

  it('keeps the full-version reason for a full but invalid RC', () => {
    const parsed = parseRcRef('2026.13.0-rc.1');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain('the month must be 1 to 12');
  });
});

describe('formatting', () => {
  it('formats an RC version and label', () => {
    expect(formatRc('2026.4.0', 3)).toBe('2026.4.0-rc.3');
    expect(rcLabel(3)).toBe('rc.3');
  });

  it('round-trips through the parser', () => {
    const parsed = parseRcVersion(formatRc('2026.12.1', 7));
    expect(parsed).toEqual({ ok: true, value: { release: '2026.12.1', rc: 7 } });
  });

  it('names the hotfix release after a release', () => {
    expect(nextPatchRelease('2026.4.0')).toBe('2026.4.1');
    expect(nextPatchRelease('2026.4.9')).toBe('2026.4.10');
    expect(nextPatchRelease('not a version')).toBeUndefined();
    expect(nextPatchRelease('2026.4.999')).toBeUndefined();
  });
});
