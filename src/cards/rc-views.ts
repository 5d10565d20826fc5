import { ReleaseAction } from '../domain/release-actions';
import { RcButtons, buttonsOf } from './rc-card';
import { AdaptiveCardJson } from './render';

// Each person's view of the RC card, cut from one expansion of cards/rc.json with every person's
// parts in it (rcCardDataForEveryView): the views differ only in their buttons, "Show my actions"
// and the note to a viewer with nothing to do, so a change is templated once, not once per view.
// What each part's `$when` says in the template is said again here, element by element;
// test/cards/rc-views.test.ts checks every view against the template expanded for it.

/** Which of the person's buttons (or view) each top-level action of the card is shown for. */
const ACTION_SHOWN: Readonly<Record<string, (buttons: RcButtons, nothingToDo: boolean) => boolean>> = {
  approve: (b) => b.canApprove,
  reject: (b) => b.canReject,
  revoke: (b) => b.canRevoke,
  promote: (b) => b.canPromote,
  'promote-with-notes': (b) => b.canPromote,
  'qa-pass': (b) => b.canQa,
  'qa-fail': (b) => b.canQa,
  'my-actions': (_b, nothingToDo) => nothingToDo,
};

/** The actions whose `mode` depends on the person's other buttons: each steps back beside a more pressing one. */
const ACTION_MODE: Readonly<Record<string, (buttons: RcButtons) => 'primary' | 'secondary'>> = {
  revoke: (b) => (b.canPromote || b.canQa ? 'secondary' : 'primary'),
  'qa-pass': (b) => (b.canApprove ? 'secondary' : 'primary'),
  'qa-fail': (b) => (b.canApprove ? 'secondary' : 'primary'),
};

/**
 * The view of `everyView` (the card expanded from rcCardDataForEveryView) for a person with these
 * actions, or the base card everyone sees when `viewer` is absent. Shares the elements of
 * `everyView`, which must not be changed afterwards (both are cached).
 */
export function rcCardView(everyView: AdaptiveCardJson, viewer?: { readonly actions: readonly ReleaseAction[] }): AdaptiveCardJson {
  const actions = viewer?.actions ?? [];
  const buttons = buttonsOf(actions);
  const nothingToDo = actions.length === 0;
  const body = everyView.body?.filter((element) => idOf(element) !== 'viewer-note' || (viewer !== undefined && nothingToDo));
  const shown = everyView.actions?.filter((element) => ACTION_SHOWN[idOf(element)]?.(buttons, nothingToDo) ?? true);
  const cardActions = shown?.map((element) => {
    const mode = ACTION_MODE[idOf(element)];
    return mode ? { ...(element as object), mode: mode(buttons) } : element;
  });
  return { ...everyView, ...(body && { body }), ...(cardActions && { actions: cardActions }) };
}

function idOf(element: unknown): string {
  return typeof element === 'object' && element !== null && typeof (element as { id?: unknown }).id === 'string' ? (element as { id: string }).id : '';
}
