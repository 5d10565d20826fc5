import { validateAdaptiveCard } from '../helpers/validate-card';

// The validator used by every card test must be able to fail, or its "no problems" means nothing.

const card = (body: unknown[], actions: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  type: 'AdaptiveCard',
  version: '1.5',
  body,
  actions,
  ...extra,
});

describe('validateAdaptiveCard', () => {
  it('accepts a valid 1.5 card with a Teams extension, a table, a required input and Action.Execute', () => {
    const valid = card(
      [
        { type: 'TextBlock', text: 'Release 2026.4.0-rc.3', style: 'heading', wrap: false },
        {
          type: 'Table',
          columns: [{ width: 1 }, { width: 2 }],
          rows: [{ type: 'TableRow', cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'QA' }] }, { type: 'TableCell', items: [{ type: 'TextBlock', text: '✅' }] }] }],
        },
        { type: 'Input.Text', id: 'reason', label: 'Reason', isRequired: true, errorMessage: 'Say why' },
      ],
      [{ type: 'Action.Execute', title: 'Approve', verb: 'approve', data: { rc: 3 } }],
      { msteams: { width: 'Full' } },
    );
    expect(validateAdaptiveCard(valid)).toEqual([]);
  });

  it.each([
    ['an unknown element type', card([{ type: 'Bogus', text: 'x' }]), 'Unknown element type "Bogus"'],
    ['an unknown action type', card([], [{ type: 'Action.Bogus', title: 'x' }]), 'Unknown action type "Action.Bogus"'],
    ['a misspelled property', card([{ type: 'TextBlock', text: 'x', wieght: 'Bolder' }]), '$.body[0].wieght: not understood'],
    ['a property newer than 1.5', card([{ type: 'Image', url: 'https://x.example/a.png', forceLoad: true }]), 'supported in version 1.6'],
    ['a required input without label and error message', card([{ type: 'Input.Text', id: 'r', isRequired: true }]), 'Required inputs should have a label'],
    ['duplicate ids', card([{ type: 'TextBlock', id: 'a', text: 'x' }, { type: 'TextBlock', id: 'a', text: 'y' }]), 'Duplicate Id "a"'],
    ['a card newer than the host', { ...card([]), version: '1.6' }, 'newer than the host'],
    ['a missing version', { type: 'AdaptiveCard', body: [] }, '"version" must be set'],
    ['something that is not a card', { type: 'Message', text: 'hi' }, 'not an AdaptiveCard'],
  ])('reports %s', (_what, json, expected) => {
    const problems = validateAdaptiveCard(json);
    expect(problems.join('\n')).toContain(expected);
  });

  it('checks inside an Action.ShowCard card', () => {
    const json = card([], [{ type: 'Action.ShowCard', title: 'Reject', card: { type: 'AdaptiveCard', body: [{ type: 'Nope' }] } }]);
    expect(validateAdaptiveCard(json).join('\n')).toContain('Unknown element type "Nope"');
  });
});
