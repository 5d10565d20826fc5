import { FreezeEvent, declaredFreezes, decideFreeze, freezeEventsToDrop } from '../../src/domain/declared-freezes';
import { isRefusal } from '../../src/domain/rule-helpers';
import { Actor } from '../../src/domain/types';
import { crew, jake, steven } from './fixtures';

// Freezes declared in Teams are a fold of their events; trimming the document's record keeps every
// event of a freeze still in force or ahead, so the fold of what is kept is the fold of everything.

const env = { key: 'demo', name: 'Demo' };
const base = { directory: crew, environment: env, timeZone: 'America/New_York', configured: [], deployments: [] };
const context = (actor: Actor, now: Date) => ({ ...base, actor, now });
const at = (iso: string) => new Date(iso);

function declare(events: FreezeEvent[], id: string, name: string, from: string, to: string, now = '2026-04-13T12:00:00Z'): FreezeEvent[] {
  const decided = decideFreeze({ type: 'freeze', id, name, from: at(from), to: at(to), hotfixes: false }, events, context(steven, at(now)));
  if (isRefusal(decided)) throw new Error(decided.reason);
  return [...events, ...decided];
}

describe('declared freezes', () => {
  it('are the fold of declarations and lifts; a lift by environment ends every one not yet ended', () => {
    let events = declare([], 'f1', 'audit', '2026-04-14T00:00:00Z', '2026-04-15T00:00:00Z');
    events = declare(events, 'f2', 'close', '2026-04-20T00:00:00Z', '2026-04-21T00:00:00Z');
    expect(declaredFreezes(events, 'demo').map((f) => f.name)).toEqual(['audit', 'close']);
    const lifted = decideFreeze({ type: 'unfreeze' }, events, context(jake, at('2026-04-13T12:00:00Z')));
    expect(lifted).toEqual([
      { type: 'freezeLifted', id: 'f1', at: '2026-04-13T12:00:00.000Z', by: jake.id, name: 'audit' },
      { type: 'freezeLifted', id: 'f2', at: '2026-04-13T12:00:00.000Z', by: jake.id, name: 'close' },
    ]);
    expect(declaredFreezes([...events, ...(lifted as FreezeEvent[])], 'demo')).toEqual([]);
  });

  it('a declaration starting in the past starts now; one ending before it starts is refused', () => {
    const events = declare([], 'f1', 'audit', '2026-04-01T00:00:00Z', '2026-04-15T00:00:00Z');
    expect(declaredFreezes(events, 'demo')[0]!.from).toBe('2026-04-13T12:00:00.000Z');
    const backwards = decideFreeze({ type: 'freeze', id: 'f2', name: 'x', from: at('2026-04-16T00:00:00Z'), to: at('2026-04-15T00:00:00Z'), hotfixes: false }, [], context(steven, at('2026-04-13T12:00:00Z')));
    expect(isRefusal(backwards) && backwards.reason).toBe('The freeze must end after it begins (Wed 15 Apr 2026, 20:00 EDT).');
    const long = decideFreeze({ type: 'freeze', id: 'f3', name: 'x'.repeat(201), from: at('2026-04-14T00:00:00Z'), to: at('2026-04-15T00:00:00Z'), hotfixes: false }, [], context(steven, at('2026-04-13T12:00:00Z')));
    expect(isRefusal(long) && long.reason).toContain('keep it to 200 characters');
  });

  it('trimming drops only the oldest finished events, never one of a freeze in force or ahead, so the fold does not change', () => {
    let events: FreezeEvent[] = [];
    for (let i = 1; i <= 10; i++) events = declare(events, `old${i}`, `old ${i}`, '2026-04-13T12:00:00Z', '2026-04-13T13:00:00Z');
    events = declare(events, 'live', 'still ahead', '2026-05-01T00:00:00Z', '2026-05-02T00:00:00Z');
    for (let i = 11; i <= 30; i++) events = declare(events, `old${i}`, `old ${i}`, '2026-04-13T12:00:00Z', '2026-04-13T13:00:00Z');
    const lift = decideFreeze({ type: 'unfreeze', name: 'old 30' }, events, context(steven, at('2026-04-13T12:30:00Z'))) as FreezeEvent[];
    events = [...events, ...lift];
    const now = at('2026-04-14T00:00:00Z');
    // 32 events, keep 5: the ten before the live one go; the live one stops the drop.
    expect(freezeEventsToDrop(events, now, 5)).toBe(10);
    const kept = events.slice(freezeEventsToDrop(events, now, 5));
    expect(kept[0]!.id).toBe('live');
    const later = at('2026-05-03T00:00:00Z'); // the live one has ended too
    expect(freezeEventsToDrop(events, later, 5)).toBe(27);
    expect(events.slice(27).map((e) => e.id)).toEqual(['old27', 'old28', 'old29', 'old30', 'old30']);
    const inForceOrAhead = (list: FreezeEvent[]) => declaredFreezes(list, 'demo').filter((f) => now.getTime() < Date.parse(f.to));
    expect(inForceOrAhead(kept)).toEqual(inForceOrAhead(events));
  });
});
