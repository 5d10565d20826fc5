import { withDeputies } from '../../src/domain/deputies';
import { actionsFor, whoCanAct } from '../../src/domain/release-actions';
import { Actor } from '../../src/domain/types';
import { allApprove, bosko, cut, given, jake, leads, luis, minutesAfter, outsider, rafaella, steven } from './fixtures';

// Each person's actions on an RC are the commands the rules would accept from them now: a pending
// lead may approve or reject, a lead who decided may revoke, the QA lead records QA, Platform
// promotes at five of five, nobody does anything on an older RC or a promoted release.

const NOW = minutesAfter(60);
const everyone: readonly Actor[] = [luis, rafaella, steven, bosko, jake, outsider];
const viewOf = (state: Parameters<typeof actionsFor>[0], rc: number, directory = leads) =>
  Object.fromEntries(everyone.map((person) => [person.name, actionsFor(state, rc, person.id, directory, NOW)]));

describe('actionsFor', () => {
  test('a fresh RC: every lead may approve or reject, the QA lead also records QA, nobody else does anything', () => {
    const state = given([[jake, cut(1)]]);
    expect(viewOf(state, 1)).toEqual({
      'Luis Garcia': ['approve', 'reject'],
      'Rafaella Barrocas': ['approve', 'reject', 'qaPass', 'qaFail'],
      'Steven Inouye': ['approve', 'reject'],
      'Bosko Kocev': ['approve', 'reject'],
      'Jake Edgington': ['approve', 'reject'],
      'Olga Outsider': [],
    });
  });

  test('a lead who approved or rejected may only revoke; promotion waits for five of five', () => {
    const state = given([
      [jake, cut(1)],
      [luis, { type: 'approve', rc: 1 }],
      [steven, { type: 'reject', rc: 1, reason: 'migration not rehearsed' }],
    ]);
    const view = viewOf(state, 1);
    expect(view['Luis Garcia']).toEqual(['revoke']);
    expect(view['Steven Inouye']).toEqual(['revoke']);
    expect(view['Bosko Kocev']).toEqual(['approve', 'reject']);
    expect(view['Jake Edgington']).toEqual(['approve', 'reject']);
  });

  test('at five of five Platform may promote (and revoke its own approval); the others may revoke', () => {
    const state = given([[jake, cut(1)], ...allApprove(1)]);
    expect(viewOf(state, 1)).toEqual({
      'Luis Garcia': ['revoke'],
      'Rafaella Barrocas': ['revoke', 'qaPass', 'qaFail'],
      'Steven Inouye': ['revoke'],
      'Bosko Kocev': ['revoke'],
      'Jake Edgington': ['revoke', 'promote'],
      'Olga Outsider': [],
    });
  });

  test('an RC cut without a notes link still offers Promote (its button asks for the link)', () => {
    const state = given([[jake, cut(1, { notesUrl: undefined })], ...allApprove(1)]);
    expect(actionsFor(state, 1, jake.id, leads, NOW)).toContain('promote');
  });

  test('nothing on a superseded RC, nothing once promoted', () => {
    const superseded = given([[jake, cut(1)], [luis, { type: 'approve', rc: 1 }], [jake, cut(2)]]);
    expect(Object.values(viewOf(superseded, 1)).flat()).toEqual([]);
    expect(viewOf(superseded, 2)['Luis Garcia']).toEqual(['approve', 'reject']);

    const promoted = given([[jake, cut(1)], ...allApprove(1), [jake, { type: 'promote', rc: 1 }]]);
    expect(Object.values(viewOf(promoted, 1)).flat()).toEqual([]);
    expect(actionsFor(undefined, 1, jake.id, leads, NOW)).toEqual([]);
  });

  test("a deputy may decide the away lead's area; one who leads an area too must type which (a click carries no area)", () => {
    const state = given([[jake, cut(1)]]);
    const outsiderCoversDaml = withDeputies(leads, [{ area: 'daml', lead: steven.id, deputy: outsider.id, until: '2026-04-20T00:00:00Z', source: 'config' }]);
    expect(actionsFor(state, 1, outsider.id, outsiderCoversDaml, NOW)).toEqual(['approve', 'reject']);

    const boskoCoversDaml = withDeputies(leads, [{ area: 'daml', lead: steven.id, deputy: bosko.id, until: '2026-04-20T00:00:00Z', source: 'config' }]);
    expect(actionsFor(state, 1, bosko.id, boskoCoversDaml, NOW)).toEqual([]);
    // Once Bosko decided one of his areas, a click means that one again.
    const decided = given([[jake, cut(1)], [bosko, { type: 'approve', rc: 1, area: 'stream' }]], boskoCoversDaml);
    expect(actionsFor(decided, 1, bosko.id, boskoCoversDaml, NOW)).toEqual(['revoke']);
  });
});

describe('whoCanAct', () => {
  test('the most pressing first: whoever can promote, then approve or reject, record QA, then only revoke', () => {
    const state = given([[jake, cut(1)], [luis, { type: 'approve', rc: 1 }], [bosko, { type: 'approve', rc: 1 }]]);
    const ids = everyone.map((person) => person.id);
    expect(whoCanAct(state, 1, ids, leads, NOW)).toEqual([rafaella.id, steven.id, jake.id, luis.id, bosko.id]);
    expect(whoCanAct(state, 1, [...ids, ...ids], leads, NOW)).toHaveLength(5);
    const ready = given([[jake, cut(1)], ...allApprove(1)]);
    expect(whoCanAct(ready, 1, ids, leads, NOW)).toEqual([jake.id, rafaella.id, luis.id, steven.id, bosko.id]);
  });

  test('nobody on a promoted release', () => {
    const promoted = given([[jake, cut(1)], ...allApprove(1), [jake, { type: 'promote', rc: 1 }]]);
    expect(whoCanAct(promoted, 1, everyone.map((p) => p.id), leads, NOW)).toEqual([]);
  });
});
