import { DeliveryDeferred, TeamsGateway } from '../app/outbox';
import { BotError } from '../errors';
import { PacedRequest, SendPacer } from './send-pacer';

/**
 * The Teams gateway, paced below Teams' rate limits (src/teams/send-pacer.ts): each conversation's
 * posts, replies and card updates go out in their order, as fast as its windows and the tenant's
 * allow; new threads count against their channel. A card update asked to coalesce is deferred
 * (DeliveryDeferred) while sends are under pressure and the card changed less than a second ago,
 * so the outbox sends the rest first and the card's newest state once.
 *
 * `tenantId`: the bot's tenant, for targets that name none (the bot serves one tenant).
 * `stopped`: once it says so, a request whose turn comes is not sent (it fails and stays in the
 * outbox): a server that stopped, its drain over, must not post what the next process posts too.
 */
export function pacedGateway(inner: TeamsGateway, pacer: SendPacer, tenantId = '', stopped: () => boolean = () => false): TeamsGateway {
  const unlessStopped = <T>(send: () => Promise<T>) => () => {
    if (stopped()) return Promise.reject(new BotError('delivery', 'the bot stopped before its turn to post came; left in the outbox'));
    return send();
  };
  const inConversation = (target: { conversationId: string; tenantId?: string }): PacedRequest => ({ key: `send ${target.conversationId}`, tenantId: target.tenantId ?? tenantId });
  return {
    startThread: (channel, message) => pacer.run({ key: `create ${channel.channelId}`, tenantId: channel.tenantId ?? tenantId }, unlessStopped(() => inner.startThread(channel, message))),
    send: (to, message) => pacer.run(inConversation(to), unlessStopped(() => inner.send(to, message))),
    // Creating (or finding) the 1:1 chat and posting in it: two requests, paced as one pair. Reminders
    // are the only personal posts, a handful at a time.
    sendPersonal: (person, message) => pacer.run({ key: 'create personal chat', tenantId: person.tenantId ?? tenantId, requests: 2 }, unlessStopped(() => inner.sendPersonal(person, message))),
    async update(post, message, options) {
      const request = inConversation(post);
      const card = `${post.conversationId}\u0000${post.activityId}`;
      const wait = options?.coalesce ? pacer.deferCardUpdate(request, card) : undefined;
      if (wait !== undefined) throw new DeliveryDeferred(pacer.sleep(wait), wait);
      await pacer.run(request, unlessStopped(() => inner.update(post, message, options)));
      pacer.cardUpdated(card);
    },
  };
}
