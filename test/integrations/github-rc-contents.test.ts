import { MAX_ITEMS, contentsFromPullRequests, hasHotfixLabel, mentionsHotfix, releaseBodySections } from '../../src/integrations/github-rc-contents';
import { compareTagVersions, previousReleaseTag, readTagVersion } from '../../src/integrations/github-repository';
import { readGitHubEvent } from '../../src/integrations/github-webhooks';
import { createPayload, releasePayload, tagPushPayload } from '../helpers/github-webhooks';

const LABELS = { features: ['feature', 'enhancement'], fixes: ['bug', 'fix'], hotfix: 'hotfix' };

describe('the contents of a GitHub release body', () => {
  test('reads the Features, Fixes and Known issues sections, bullet by bullet, and leaves the others out', () => {
    const body = [
      '<!-- written by release-drafter -->',
      'Intro paragraph, not a section.',
      '### New features',
      '- Loan export to CSV',
      '  * Nested bullets count too',
      '1. Numbered as well',
      '## Bug fixes ##',
      '+ Rounding in APR',
      '## Known Issues:',
      'None',
      '## Contributors',
      '- @octocat',
    ].join('\r\n');
    expect(releaseBodySections(body)).toEqual({
      features: ['Loan export to CSV', 'Nested bullets count too', 'Numbered as well'],
      fixes: ['Rounding in APR'],
      knownIssues: [],
    });
  });

  test('a body without any of those sections gives nothing, so the pull requests are read instead', () => {
    expect(releaseBodySections("## What's Changed\n* Loan export by @dev in #41")).toBeUndefined();
    expect(releaseBodySections('')).toBeUndefined();
    expect(releaseBodySections(null)).toBeUndefined();
  });

  test('comments spanning lines are skipped, long lists are cut with a count, long items clipped', () => {
    const many = Array.from({ length: 40 }, (_, i) => `- item ${i + 1}`);
    const sections = releaseBodySections(['## Fixes', '<!-- hidden', '- not shown', '-->', ...many, `- ${'x'.repeat(400)}`].join('\n'))!;
    expect(sections.fixes).toHaveLength(MAX_ITEMS);
    expect(sections.fixes[0]).toBe('item 1');
    expect(sections.fixes[MAX_ITEMS - 1]).toBe(`… and ${41 - MAX_ITEMS + 1} more (see the release notes)`);
  });
});

describe('the contents from pull requests', () => {
  test('a fix label makes a fix; a feature label, or none, a feature; in pull-request order', () => {
    const pulls = [
      { number: 43, title: 'Faster portfolio search', labels: [] },
      { number: 42, title: 'Rounding in APR', labels: ['Bug'] },
      { number: 41, title: 'Loan export', labels: ['enhancement'] },
    ];
    expect(contentsFromPullRequests(pulls, LABELS)).toEqual({
      features: ['Loan export (#41)', 'Faster portfolio search (#43)'],
      fixes: ['Rounding in APR (#42)'],
      knownIssues: [],
    });
    expect(hasHotfixLabel(pulls, LABELS)).toBe(false);
    expect(hasHotfixLabel([{ number: 1, title: 'x', labels: ['HotFix'] }], LABELS)).toBe(true);
  });

  test('"hotfix" counts as a word, not inside another', () => {
    expect(mentionsHotfix('2026.4.1-rc.1 hotfix')).toBe(true);
    expect(mentionsHotfix('Hot-fix for APR')).toBe(true);
    expect(mentionsHotfix('hotfixes-script cleanup')).toBe(false);
    expect(mentionsHotfix(undefined)).toBe(false);
  });
});

describe('the previous release tag', () => {
  const tags = ['2026.3.0', 'v2026.3.1', '2026.4.0-rc.1', '2026.4.0-rc.2', 'nightly', '2026.4.0', '2026.4.1-rc.1', 'v2026.5.0-rc.1'];

  test('is the newest final release before the RC’s release, whatever the tags’ order or prefix', () => {
    expect(previousReleaseTag(tags, '2026.4.0-rc.3')).toBe('v2026.3.1');
    expect(previousReleaseTag([...tags].reverse(), '2026.4.1-rc.2')).toBe('2026.4.0');
    expect(previousReleaseTag(tags, 'v2026.5.0-rc.2')).toBe('2026.4.0');
  });

  test('for a first release, the RC before it; none at all gives none', () => {
    expect(previousReleaseTag(['2026.1.0-rc.1', '2026.1.0-rc.2'], '2026.1.0-rc.3')).toBe('2026.1.0-rc.2');
    expect(previousReleaseTag(['nightly'], '2026.1.0-rc.1')).toBeUndefined();
  });

  test('orders RCs before their release and releases by number, not text', () => {
    const sorted = ['2026.10.0', '2026.4.0', '2026.4.0-rc.10', '2026.4.0-rc.9'].map((t) => readTagVersion(t)!).sort(compareTagVersions);
    expect(sorted.map((v) => v.tag)).toEqual(['2026.4.0-rc.9', '2026.4.0-rc.10', '2026.4.0', '2026.10.0']);
  });
});

describe('reading a signed webhook', () => {
  test('a published pre-release named like an RC (with or without v) asks for that cut', () => {
    const read = readGitHubEvent('release', releasePayload({ tag: 'v2026.4.0-rc.3', body: 'b', name: 'April' }), 'prerelease');
    expect(read).toEqual({
      kind: 'cut',
      trigger: expect.objectContaining({ event: 'release', tag: 'v2026.4.0-rc.3', release: '2026.4.0', rc: 3, login: 'octocat', body: 'b', name: 'April' }),
    });
  });

  test('tags cut only when configured, and only new RC tags', () => {
    const push = tagPushPayload({ tag: '2026.4.0-rc.3', sha: 'a'.repeat(40) });
    expect(readGitHubEvent('push', push, 'prerelease').kind).toBe('ignored');
    expect(readGitHubEvent('push', push, 'tag').kind).toBe('cut');
    expect(readGitHubEvent('push', { ...push, deleted: true, created: false }, 'tag')).toEqual({ kind: 'ignored', reason: 'refs/tags/2026.4.0-rc.3 was deleted, not created' });
    expect(readGitHubEvent('push', { ...push, ref: 'refs/heads/main' }, 'tag')).toEqual({ kind: 'ignored', reason: 'refs/heads/main is not a tag' });
    expect(readGitHubEvent('create', createPayload({ ref: '2026.4.0-rc.3' }), 'tag').kind).toBe('cut');
    expect(readGitHubEvent('release', releasePayload({ tag: '2026.4.0-rc.3' }), 'tag').kind).toBe('ignored');
  });

  test('a payload of the wrong shape for an event the bot acts on is invalid, naming what is wrong', () => {
    const read = readGitHubEvent('release', { action: 'published', release: { tag_name: 1 } }, 'prerelease');
    expect(read.kind).toBe('invalid');
    expect(read.kind === 'invalid' && read.problem).toContain('release.tag_name');
  });
});
