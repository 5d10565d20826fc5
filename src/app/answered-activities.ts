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
  /** Real time (ms) the answer was claimed; a claim never marked sent is taken over after a while. */
  readonly claimedAtMs: number;
  /** Whether the claimant's first reply went out. */
  readonly sent: boolean;
}

/** How long an answered activity is remembered (Cosmos TTL / the embedded store's expiry). */
export const ANSWERED_TTL_SECONDS = 3_600;

/**
 * How long a claim whose reply never went out holds: the claimant crashed, or its post failed. Longer
 * than an answer takes (a status reads one document; botbuilder's post retries take about 2 s), and
 * short enough that the redelivery's answer still comes within Teams' 15 s.
 */
export const UNSENT_CLAIM_MS = 5_000;

export function answeredKey(conversationId: string, activityId: string): { pk: string; id: string } {
  const hash = createHash('sha256').update(`${conversationId}\u0000${activityId}`).digest('hex').slice(0, 40);
  return { pk: `answered:${hash}`, id: hash };
}

/** The outcome of a claim: this instance answers (and says when its reply went out), or it stays silent. */
export type AnswerClaim = { readonly mine: true; sent(): Promise<void> } | { readonly mine: false };

export interface AnsweredActivitiesOptions {
  readonly ttlSeconds?: number;
  readonly unsentClaimMs?: number;
  /** Real time, ms (the hold is operational, like a lease). */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class AnsweredActivities {
  private readonly ttlSeconds: number;
  private readonly unsentClaimMs: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    options: AnsweredActivitiesOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? ANSWERED_TTL_SECONDS;
    this.unsentClaimMs = options.unsentClaimMs ?? UNSENT_CLAIM_MS;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Claims the answer to an activity with one conditional create, so of several instances handed the
   * same activity one answers. Another instance's claim silences this one once its reply went out;
   * while it hasn't, this one waits, and takes the claim over when it stays unsent past the hold —
   * its claimant crashed or could not post — so a crash repeats an answer at most once and never
   * loses it. A store that fails otherwise does not silence the bot: a possible second answer is
   * better than none.
   */
  async claim(conversationId: string, activityId: string, now: Date): Promise<AnswerClaim> {
    const key = answeredKey(conversationId, activityId);
    const fresh = (): AnsweredActivityDocument => ({ ...key, type: 'answered', answeredAt: now.toISOString(), claimedAtMs: this.clock(), sent: false, ttl: this.ttlSeconds });
    try {
      for (let pause = 25; ; pause = Math.min(pause * 2, 400)) {
        const created = await this.tryCreate(fresh());
        if (created) return this.mine(created.doc, created.etag);
        const existing = await this.store.read<AnsweredActivityDocument>(key.pk, key.id);
        if (!existing) continue; // expired between the two requests
        if (existing.doc.sent) return { mine: false };
        const heldFor = this.clock() - existing.doc.claimedAtMs;
        if (heldFor >= this.unsentClaimMs) {
          const taken = await this.tryReplace(fresh(), existing.etag);
          if (taken) {
            this.logger.warn({ activityId, heldForMs: heldFor }, 'an answer claimed elsewhere never went out; answering it here');
            return this.mine(taken.doc, taken.etag);
          }
          continue;
        }
        await this.sleep(Math.min(pause, this.unsentClaimMs - heldFor));
      }
    } catch (error) {
      this.logger.warn({ activityId, ...errorFields(error) }, 'could not record the answer as given; answering anyway');
      return { mine: true, sent: async () => undefined };
    }
  }

  private mine(doc: AnsweredActivityDocument, etag: string): AnswerClaim {
    return {
      mine: true,
      sent: async () => {
        try {
          await this.store.replace<AnsweredActivityDocument>({ ...doc, sent: true }, etag);
        } catch (error) {
          // Unmarked, the claim is taken over after the hold: at worst a redelivery is answered again.
          this.logger.warn({ ...errorFields(error) }, 'could not mark an answer as sent');
        }
      },
    };
  }

  private async tryCreate(doc: AnsweredActivityDocument) {
    try {
      return await this.store.create(doc);
    } catch (error) {
      if (isBotError(error, 'conflict')) return undefined;
      throw error;
    }
  }

  private async tryReplace(doc: AnsweredActivityDocument, etag: string) {
    try {
      return await this.store.replace(doc, etag);
    } catch (error) {
      if (isBotError(error, 'stale')) return undefined;
      throw error;
    }
  }
}
