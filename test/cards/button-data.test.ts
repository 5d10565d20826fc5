import { z } from 'zod';
import { deploymentCardActionSchema, rcCardActionSchema, rcRefreshSchema, scheduleFormSchema, trackerRefreshSchema } from '../../src/cards/card-actions';
import { DEPLOYMENT_CARD_VERBS, ON_CALL_REFRESH_VERB, RC_CARD_VERBS, RC_REFRESH_VERB, TRACKER_REFRESH_VERB } from '../../src/cards/card-data';
import { catalogue } from './card-catalogue';
import { nodes } from './card-query';

// The data a button carries is what its click is parsed with (src/cards/card-actions.ts): every
// button of every card in every state, refresh actions too, sends data its verb's schema accepts,
// and no field the schema does not read (a field renamed on one side only would be dropped silently).

type Schema = z.AnyZodObject;
const SCHEMA_OF: ReadonlyMap<string, Schema> = new Map<string, Schema>([
  ...RC_CARD_VERBS.map((verb) => [verb, rcCardActionSchema] as const),
  [RC_REFRESH_VERB, rcRefreshSchema],
  ...DEPLOYMENT_CARD_VERBS.map((verb) => [verb, verb === 'scheduleDeploy' ? scheduleFormSchema : deploymentCardActionSchema] as const),
  [TRACKER_REFRESH_VERB, trackerRefreshSchema],
  [ON_CALL_REFRESH_VERB, trackerRefreshSchema],
]);

interface Button {
  readonly card: string;
  readonly verb: string;
  readonly data: Record<string, unknown>;
}

/** Action.Execute buttons (and refresh actions) by their verb; the dialog's Action.Submit by `data.verb`. */
function buttons(): Button[] {
  return catalogue().flatMap(({ name, card }) =>
    nodes(card)
      .filter((n) => n.type === 'Action.Execute' || (n.type === 'Action.Submit' && typeof (n.data as { verb?: unknown } | undefined)?.verb === 'string'))
      .map((n) => {
        const data = (n.data ?? {}) as Record<string, unknown>;
        return { card: name, verb: String(n.verb ?? data.verb), data };
      }),
  );
}

describe('button data', () => {
  const all = buttons();

  test('the catalogue holds buttons of every verb the cards carry', () => {
    expect(new Set(all.map((b) => b.verb))).toEqual(new Set(SCHEMA_OF.keys()));
  });

  test("every button's data parses with its verb's schema, and carries no field the schema doesn't read", () => {
    const problems = all.flatMap(({ card, verb, data }) => {
      const schema = SCHEMA_OF.get(verb);
      if (!schema) return [`${card}: "${verb}" has no schema`];
      const { verb: _verb, ...fields } = data;
      const parsed = schema.strict().safeParse(fields);
      return parsed.success ? [] : [`${card} ${verb}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || issue.code}: ${issue.message}`).join('; ')}`];
    });
    expect(problems).toEqual([]);
  });
});
