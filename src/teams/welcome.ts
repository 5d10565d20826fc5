import { createHash } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import { ConversationTarget } from '../app/documents';
import { DocumentRepository } from '../app/document-repository';
import { OutboxDispatcher, OutboxDocument, OutboxWorker, TeamsGateway } from '../app/outbox';
import { WelcomeScope, welcomeText } from '../cards/welcome-text';
import { Logger } from '../logger';
import { DocumentStore } from '../store/document-store';

// One welcome per conversation the bot is added to (a team, a group chat, a personal chat). Teams
// says so twice for one install (conversationUpdate with the bot in membersAdded, and
// installationUpdate "add"), redelivers, and may install again after an uninstall: a document per
// conversation, created once, records that it was welcomed and holds the welcome in its outbox, so
// the welcome is posted once, after a crash too, and never again.

export const WELCOME_OUTBOX = 'welcome';

export interface WelcomeMessage {
  readonly id: string;
  readonly kind: 'welcome';
  readonly to: ConversationTarget;
  readonly scope: WelcomeScope;
}

export interface WelcomeDocument extends OutboxDocument<WelcomeMessage> {
  readonly type: 'welcome';
  readonly scope: WelcomeScope;
  /** When the bot was first added here; the activity that said so. */
  readonly addedAt: string;
  readonly activityId: string;
}

/** Partition and id of a conversation's welcome record: a hash, as conversation ids are long and free-form. */
export function welcomeKey(conversationId: string): { pk: string; id: string } {
  const hash = createHash('sha256').update(conversationId).digest('hex').slice(0, 40);
  return { pk: `welcome:${hash}`, id: hash };
}

const byHash = (hash: string) => ({ pk: `welcome:${hash}`, id: hash });

export interface Welcomes {
  /** Queues the welcome unless this conversation already had one; true when it did now. */
  welcome(context: TurnContext): Promise<boolean>;
}

export interface WelcomeOptions {
  readonly store: DocumentStore;
  readonly lease: { readonly owner: string; readonly ttlMs: number };
  readonly gateway: TeamsGateway;
  readonly outbox: OutboxDispatcher;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Registers the welcome outbox worker and answers "the bot was added here". */
export function createWelcomes(options: WelcomeOptions): Welcomes {
  const { gateway, outbox, logger } = options;
  const repository = new DocumentRepository<WelcomeDocument>(options.store, byHash, { lease: options.lease, cacheSize: 64 });
  const worker: OutboxWorker<WelcomeDocument, WelcomeMessage, never> = {
    repository,
    nameOf: (pk, id) => (pk === `welcome:${id}` ? id : undefined),
    acknowledgeAtOnce: () => false,
    preview: (doc) => doc,
    acknowledge: (current, done) => ({ ...current, outbox: current.outbox.filter((m) => !done.has(m.id)) }),
    async deliver(message) {
      await gateway.send(message.to, { text: welcomeText(message.scope) });
      return undefined;
    },
  };
  outbox.register(WELCOME_OUTBOX, worker);

  return {
    async welcome(context) {
      const activity = context.activity;
      const conversationId = activity.conversation?.id;
      if (!conversationId || !activity.serviceUrl) return false;
      const { id: hash } = welcomeKey(conversationId);
      const scope = scopeOf(activity.conversation.conversationType);
      const tenantId = activity.channelData?.tenant?.id ?? activity.conversation.tenantId;
      const queued = await repository.mutate(hash, (current) => {
        if (current) return { result: false };
        const doc: WelcomeDocument = {
          id: hash,
          pk: `welcome:${hash}`,
          type: 'welcome',
          scope,
          addedAt: options.now().toISOString(),
          activityId: activity.id ?? '',
          messageSeq: 1,
          outbox: [{ id: 'welcome-1', kind: 'welcome', scope, to: { conversationId, serviceUrl: activity.serviceUrl, tenantId } }],
        };
        return { write: doc, result: true };
      });
      logger.info({ activityId: activity.id, scope, welcomed: queued }, queued ? 'added to a conversation: welcome queued' : 'added again: already welcomed');
      if (queued) outbox.kick(WELCOME_OUTBOX, hash);
      return queued;
    },
  };
}

function scopeOf(conversationType: string | undefined): WelcomeScope {
  if (conversationType === 'personal') return 'personal';
  if (conversationType === 'groupChat') return 'groupChat';
  return 'team';
}
