// Whether a message speaks to the bot. With the RSC permission Teams hands the bot channel messages
// that do not mention it; those are read only when they are commands (message-handler.ts), and a
// decision hint answers only a decider (routes/release-routes.ts).

interface MessageActivity {
  readonly recipient?: { readonly id?: string };
  readonly entities?: ReadonlyArray<{ readonly type?: string }>;
  readonly text?: string;
}

/** Whether the message @mentions the bot (Teams' mention entity), or starts with "@lendos" typed out. */
export function addressesBot(activity: MessageActivity): boolean {
  const bot = activity.recipient?.id;
  const mentioned = (activity.entities ?? []).some((entity) => entity.type === 'mention' && (entity as { mentioned?: { id?: string } }).mentioned?.id === bot);
  return mentioned || /^\s*(?:<p>\s*)?@lendos\b/i.test(activity.text ?? '');
}
