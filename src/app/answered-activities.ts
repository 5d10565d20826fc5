import { createHash } from 'node:crypto';
import { isBotError } from '../errors';
import { Logger, errorFields } from '../logger';
import { DocumentStore, StoredDocument } from '../store/document-store';

/**
 * That an activity was answered, shared by every instance. A command that changes state is applied
 * once by its release or environment document; this is for answers that change nothing (`help`,
 * `status`, `history`, a refusal), so that Teams redelivering one to another instance is not
 * answered twice. Expires after a while: Teams redelivers within minutes.
 */
export interface AnsweredActivityDocument extends StoredDocument {
  readonly type: 'answered';
  readonly answeredAt: string;
}

/** How long an answered activity is remembered (Cosmos TTL / the embedded store's expiry). */
export const ANSWERED_TTL_SECONDS = 3_600;

export function answeredKey(conversationId: string, activityId: string): { pk: string; id: string } {
  const hash = createHash('sha256').update(`${conversationId}\u0000${activityId}`).digest('hex').slice(0, 40);
  return { pk: `answered:${hash}`, id: hash };
}

export class AnsweredActivities {
  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    private readonly ttlSeconds = ANSWERED_TTL_SECONDS,
  ) {}

  /**
   * Claims the answer to an activity: one conditional create, so of several instances handed the
   * same activity exactly one gets true. A store that fails otherwise does not silence the bot: the
   * caller answers (a possible second answer is better than none).
   */
  async claim(conversationId: string, activityId: string, now: Date): Promise<boolean> {
    const doc: AnsweredActivityDocument = { ...answeredKey(conversationId, activityId), type: 'answered', answeredAt: now.toISOString(), ttl: this.ttlSeconds };
    try {
      await this.store.create(doc);
      return true;
    } catch (error) {
      if (isBotError(error, 'conflict')) return false;
      this.logger.warn({ activityId, ...errorFields(error) }, 'could not record the answer as given; answering anyway');
      return true;
    }
  }
}
