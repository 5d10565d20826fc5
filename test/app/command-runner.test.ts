import { CommandPlan, RunnableDocument, applyCommand } from '../../src/app/command-runner';
import { RECENT_ACTIVITY_LIMIT } from '../../src/app/documents';
import { Decider } from '../../src/domain/decider';
import { refuse } from '../../src/domain/rule-helpers';

// The runner's pure step on a small document kind: a tally whose `add n` command is refused below 1
// and causes one event and one message per unit added.

type Added = { readonly type: 'added'; readonly n: number };
interface Tally extends RunnableDocument<{ id: string; kind: 'say'; text: string }> {
  readonly outbox: readonly { id: string; kind: 'say'; text: string }[];
  readonly total: number;
  readonly events: readonly Added[];
}

const tally: Decider<{ add: number }, number, Added, { max: number }> = {
  decide: (command, total, context) => {
    if (command.add < 0) return refuse('invalid-input', 'only adds');
    if (total + command.add > context.max) return refuse('invalid-input', 'too much');
    return Array.from({ length: command.add }, () => ({ type: 'added' as const, n: 1 }));
  },
  evolve: (total, event) => total + event.n,
};

type Say = { id: string; kind: 'say'; text: string };

const plan = (add: number, max = 10): CommandPlan<Tally, Say, { add: number }, number, Added, { max: number }> => ({
  decider: tally,
  command: { add },
  select: (doc) => ({ state: doc?.total ?? 0, context: { max } }),
  record: (doc, total, events) => ({
    doc: { pk: 't', id: 't', total, events: [...(doc?.events ?? []), ...events], outbox: doc?.outbox ?? [], messageSeq: doc?.messageSeq ?? 0, recentActivityIds: doc?.recentActivityIds ?? [] },
  }),
  messages: ({ events, nextId }) => events.map(() => ({ id: nextId(), kind: 'say' as const, text: 'one more' })),
});

describe('applyCommand', () => {
  it('records the events, the state folded from them, the messages they cause (numbered on) and the activity, in one write', () => {
    const first = applyCommand(undefined, 'a1', plan(2));
    expect(first.result).toEqual({ kind: 'accepted', state: 2, events: [{ type: 'added', n: 1 }, { type: 'added', n: 1 }] });
    const second = applyCommand(first.write!, 'a2', plan(1));
    expect(second.write).toMatchObject({ total: 3, messageSeq: 3, recentActivityIds: ['a1', 'a2'] });
    expect(second.write!.outbox.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    expect(second.write!.events.reduce(tally.evolve, 0)).toBe(second.write!.total);
  });

  it('a redelivered activity, a refusal and a command with no events write nothing', () => {
    const { write } = applyCommand(undefined, 'a1', plan(2));
    expect(applyCommand(write!, 'a1', plan(2))).toEqual({ result: { kind: 'duplicate', state: 2 } });
    expect(applyCommand(write!, 'a2', plan(20))).toEqual({ result: { kind: 'refused', refusal: refuse('invalid-input', 'too much'), state: 2 } });
    expect(applyCommand(write!, 'a3', plan(0))).toEqual({ result: { kind: 'unchanged', state: 2 } });
  });

  it('remembers the most recent activities only, and the bot’s own commands (no activity) are not remembered', () => {
    const own = applyCommand(undefined, undefined, plan(1));
    expect(own.write!.recentActivityIds).toEqual([]);
    let doc: Tally = own.write!;
    for (let i = 0; i < RECENT_ACTIVITY_LIMIT + 5; i += 1) doc = applyCommand(doc, `a${i}`, plan(1, 1000)).write!;
    expect(doc.recentActivityIds).toHaveLength(RECENT_ACTIVITY_LIMIT);
    expect(doc.recentActivityIds[RECENT_ACTIVITY_LIMIT - 1]).toBe(`a${RECENT_ACTIVITY_LIMIT + 4}`);
    expect(applyCommand(doc, 'a0', plan(1, 1000)).result.kind).toBe('accepted'); // long forgotten
  });
});
