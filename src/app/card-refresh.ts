import { QueuedMessage, TeamsGateway } from './outbox';
import { ThreadRef } from './documents';

/**
 * Delivers one refresh of a posted card (the RC card, a deployment's tracker, on-call card or
 * notice), coalesced with the refreshes of the same card behind it: the card is rendered from the
 * state current at delivery, so when a later refresh of it is still queued this one shows nothing
 * new and sends nothing. The last one always sends: never skipped, only replaced by a newer one.
 *
 * Asked with `coalesce`, the gateway may hold the update back while sends are under pressure
 * (DeliveryDeferred): the outbox then delivers what follows first and tries this refresh again
 * later — the message stays in the outbox meanwhile, so a restart delivers it too.
 *
 * `sameCard`: whether a queued message refreshes the same card. `post`: where the card was posted
 * (undefined: not posted yet, nothing to update). `render`: the card as it is now.
 */
export async function deliverCardRefresh<M extends QueuedMessage>(
  gateway: TeamsGateway,
  outbox: readonly M[],
  message: M,
  sameCard: (queued: M) => boolean,
  post: () => ThreadRef | undefined,
  render: () => object | Promise<object>,
): Promise<void> {
  if (supersededByLaterRefresh(outbox, message, sameCard)) return;
  const ref = post();
  if (!ref) return;
  await gateway.update(ref, { card: await render() }, { coalesce: true });
}

/** Whether a refresh of the same card is queued after this one (it will show the same, newer state). */
export function supersededByLaterRefresh<M extends QueuedMessage>(outbox: readonly M[], message: M, sameCard: (queued: M) => boolean): boolean {
  const position = outbox.indexOf(message);
  return outbox.some((queued, i) => i > position && sameCard(queued));
}
