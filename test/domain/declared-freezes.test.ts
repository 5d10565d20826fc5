import { FreezeEvent, declaredFreezes, decideFreeze, keepFreezeEvents } from '../../src/domain/declared-freezes';
import { isRefusal } from '../../src/domain/rule-helpers';
import { crew, jake, steven } from './fixtures';

// Freezes declared in Teams are a fold of their events; trimming the document's record keeps every
// event of a freeze still in force or ahead, so the fold of what is kept is the fold of everything.

const env = { key: 'demo', name: 'Demo' };
const context = { directory: crew, environment: env, timeZone: 'America/New_York', configured: [], deployments: [] };
const at = (iso: string) => new Date(iso);

function declare(events: FreezeEvent[], id: string, name: string, from: string, to: string, now = '2026-04-13T12:00:00Z'): FreezeEvent[] {
  const decided = decideFreeze(events, { type: 'freeze', id, name, from: at(from), to: at(to), hotfixes: false }, steven, at(now), context);
  if (isRefusal(decided)) throw new Error(decided.reason);
  return [...events, ...decided];
}

describe('declared freezes', () => {
  it('are the fold of declarations and lifts; a lift by environment ends every one not yet ended', () => {
    let events = declare([], 'f1', 'audit', '2026-04-14T00:00:00Z', '2026-04-15T00:00:00Z');
    events = declare(events, 'f2', 'close', '2026-04-20T00:00:00Z', '2026-04-21T00:00:00Z');
    expect(declaredFreezes(events, 'demo').map((f) => f.name)).toEqual(['audit', 'close']);
    const lifted = decideFreeze(events, { type: 'unfreeze' }, jake, at('2026-04-13T12:00:00Z'), context);
    expect(lifted).toEqual([
      { type: 'freezeLifted', id: 'f1', at: '2026-04-13T12:00:00.000Z', by: jake.id, name: 'audit' },
      { type: 'freezeLifted', id: 'f2', at: '2026-04-13T12:00:00.000Z', by: jake.id, name: 'close' },
    ]);
    expect(declaredFreezes([...events, ...(lifted as FreezeEvent[])], 'demo')).toEqual([]);
  });

  it('a declaration starting in the past starts now; one ending before it starts is refused', () => {
    const events = declare([], 'f1', 'audit', '2026-04-01T00:00:00Z', '2026-04-15T00:00:00Z');
    expect(declaredFreezes(events, 'demo')[0]!.from).toBe('2026-04-13T12:00:00.000Z');
    const backwards = decideFreeze([], { type: 'freeze', id: 'f2', name: 'x', from: at('2026-04-16T00:00:00Z'), to: at('2026-04-15T00:00:00Z'), hotfixes: false }, steven, at('2026-04-13T12:00:00Z'), context);
    expect(isRefusal(backwards) && backwards.reason).toBe('The freeze must end after it begins (Wed 15 Apr 2026, 20:00 EDT).');
  });

  it('trimming keeps what is in force or ahead, and a declaration with its lift, so the fold does not change', () => {
    let events: FreezeEvent[] = [];
    for (let i = 1; i <= 30; i++) events = declare(events, `old${i}`, `old ${i}`, '2026-04-13T12:00:00Z', '2026-04-13T13:00:00Z');
    events = declare(events, 'live', 'still ahead', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z');
    const lift = decideFreeze(events, { type: 'unfreeze', name: 'old 30' }, steven, at('2026-04-13T12:30:00Z'), context) as FreezeEvent[];
    events = [...events, ...lift];
    const kept = keepFreezeEvents(events, at('2026-04-14T00:00:00Z'), 5);
    expect(new Set(kept.map((e) => e.id))).toEqual(new Set(['old26', 'old27', 'old28', 'old29', 'old30', 'live']));
    expect(kept.filter((e) => e.id === 'old30').map((e) => e.type)).toEqual(['freezeDeclared', 'freezeLifted']);
    const now = Date.parse('2026-04-14T00:00:00Z');
    const inForceOrAhead = (list: FreezeEvent[]) => declaredFreezes(list, 'demo').filter((f) => now < Date.parse(f.to));
    expect(inForceOrAhead(kept)).toEqual(inForceOrAhead(events));
  });
});
