import { Actor, RcContents, RcSource } from '../domain/types';
import { formatRc } from '../domain/version';
import { GitHubRepository, TagChanges } from '../integrations/github-repository';
import { ContentLabels, contentsFromPullRequests, hasHotfixLabel, mentionsHotfix, releaseBodySections } from '../integrations/github-rc-contents';
import { RcCutTrigger } from '../integrations/github-webhooks';
import { Logger, errorFields } from '../logger';
import { StoredDocument } from '../store/document-store';
import { ChannelTarget } from './documents';
import { DocumentRepository } from './document-repository';
import { OutboxWorker } from './outbox';
import { ReleaseService } from './release-service';

// An RC cut from a GitHub webhook, the way the typed `rc` command cuts one (through
// ReleaseService.execute), attributed to the configured Platform person and naming the GitHub user.
//
// The webhook is answered as soon as the delivery is recorded: one document per X-GitHub-Delivery
// id, created only if absent (so a redelivery changes nothing), carrying one outbox message. The
// outbox then does the slow part — the pull requests from GitHub, the cut — and retries it after a
// crash or a GitHub outage. The cut itself uses `github:<delivery id>` as its activity id, so the
// release document refuses to apply it twice even if the delivery record were lost.

export interface GitHubDeliveryDocument extends StoredDocument {
  readonly type: 'githubDelivery';
  readonly receivedAt: string;
  readonly trigger: RcCutTrigger;
  readonly outbox: readonly GitHubDeliveryMessage[];
  readonly messageSeq: number;
  /** What came of it, once processed. */
  readonly outcome?: GitHubCutOutcome;
}

export interface GitHubDeliveryMessage {
  readonly id: string;
  readonly kind: 'cutRc';
}

export interface GitHubCutOutcome {
  readonly kind: 'cut' | 'refused' | 'duplicate';
  readonly detail: string;
  readonly at: string;
}

/** GitHub keeps deliveries for redelivery for days, not months; the record outlives that. */
const DELIVERY_TTL_SECONDS = 30 * 24 * 60 * 60;

export function gitHubDeliveryKey(deliveryId: string): { pk: string; id: string } {
  return { pk: `github-delivery:${deliveryId}`, id: deliveryId };
}

export interface GitHubRcCutsOptions {
  readonly deliveries: DocumentRepository<GitHubDeliveryDocument>;
  readonly releases: ReleaseService;
  /** Reads the pull requests and oldest commit; without it contents come from the release body only. */
  readonly repository?: GitHubRepository;
  readonly labels: ContentLabels;
  /** The Platform person the cut is attributed to. */
  readonly cutBy: Actor;
  readonly engineering: () => ChannelTarget | undefined;
  readonly now: () => Date;
  readonly logger: Logger;
  /** Called once a delivery is recorded, so the outbox picks it up. */
  readonly onQueued: (deliveryId: string) => void;
}

export type AcceptResult = 'queued' | 'duplicate';

export class GitHubRcCuts {
  constructor(private readonly options: GitHubRcCutsOptions) {}

  /** Records the delivery (once per id) and queues the cut. */
  async accept(deliveryId: string, trigger: RcCutTrigger): Promise<AcceptResult> {
    const result = await this.options.deliveries.mutate<AcceptResult>(deliveryId, (current) => {
      if (current) return { result: 'duplicate' };
      const doc: GitHubDeliveryDocument = {
        ...gitHubDeliveryKey(deliveryId),
        type: 'githubDelivery',
        ttl: DELIVERY_TTL_SECONDS,
        receivedAt: this.options.now().toISOString(),
        trigger,
        outbox: [{ id: 'm1', kind: 'cutRc' }],
        messageSeq: 1,
      };
      return { write: doc, result: 'queued' };
    });
    if (result === 'queued') this.options.onQueued(deliveryId);
    return result;
  }

  /** The outbox worker that does the cut. */
  worker(): OutboxWorker<GitHubDeliveryDocument, GitHubDeliveryMessage, GitHubCutOutcome> {
    return {
      repository: this.options.deliveries,
      nameOf: (pk, id) => (pk === gitHubDeliveryKey(id).pk ? id : undefined),
      acknowledgeAtOnce: () => true,
      preview: (doc, outcome) => ({ ...doc, outcome }),
      acknowledge: (current, done, outcomes) => ({
        ...current,
        outbox: current.outbox.filter((m) => !done.has(m.id)),
        ...(outcomes.length > 0 ? { outcome: outcomes[outcomes.length - 1] } : {}),
      }),
      deliver: (_message, doc) => this.cut(doc),
    };
  }

  private async cut(doc: GitHubDeliveryDocument): Promise<GitHubCutOutcome> {
    const { trigger } = doc;
    const { releases, cutBy, logger } = this.options;
    const { contents, hotfix } = await this.contentsOf(trigger, doc.id);
    const now = this.options.now();
    const result = await releases.execute({
      version: trigger.release,
      command: { type: 'cutRc', rc: trigger.rc, hotfix, contents },
      actor: cutBy,
      activityId: `github:${doc.id}`,
      engineering: this.options.engineering(),
      now,
    });
    const rcVersion = formatRc(trigger.release, trigger.rc);
    const fields = { delivery: doc.id, release: trigger.release, rc: trigger.rc, login: trigger.login };
    const at = now.toISOString();
    switch (result.kind) {
      case 'accepted':
        logger.info({ ...fields, hotfix }, 'RC cut from GitHub');
        return { kind: 'cut', detail: `cut ${rcVersion}${hotfix ? ' (hotfix)' : ''} for @${trigger.login}`, at };
      case 'duplicate':
        return { kind: 'duplicate', detail: `${rcVersion} was already cut from this delivery`, at };
      case 'refused': {
        // GitHub sends both `push` and `create` for one new tag: the second finds its RC cut by the first.
        const same = result.state?.rcs.find((rc) => rc.number === trigger.rc)?.contents.source?.tag === trigger.tag;
        if (result.refusal.code === 'rc-exists' && same) {
          logger.info(fields, 'RC already cut from this GitHub tag');
          return { kind: 'duplicate', detail: `${rcVersion} was already cut from ${trigger.tag}`, at };
        }
        // Nobody typed this, so there is no one to answer in Teams; the log and the delivery record say why.
        logger.warn({ ...fields, code: result.refusal.code, reason: result.refusal.reason }, 'RC cut from GitHub refused');
        return { kind: 'refused', detail: result.refusal.reason, at };
      }
    }
  }

  private async contentsOf(trigger: RcCutTrigger, deliveryId: string): Promise<{ contents: RcContents; hotfix: boolean }> {
    const { repository, labels, logger } = this.options;
    const sections = releaseBodySections(trigger.body);
    let changes: TagChanges | undefined;
    if (repository) {
      try {
        changes = await repository.changesUpTo(trigger.tag);
      } catch (error) {
        // 5xx and network failures are retried by the outbox; a refusal (token, repository) won't
        // heal by retrying, so the cut goes ahead with what the release itself says.
        if ((error as { statusCode?: unknown }).statusCode === undefined) throw error;
        logger.warn({ delivery: deliveryId, tag: trigger.tag, ...errorFields(error) }, 'could not read the RC tag from GitHub; cutting from the release body alone');
      }
    }
    const listed = sections ?? (changes ? contentsFromPullRequests(changes.pulls, labels) : { features: [], fixes: [], knownIssues: [] });
    const hotfix = mentionsHotfix(trigger.name) || mentionsHotfix(trigger.commitMessage) || (changes ? hasHotfixLabel(changes.pulls, labels) : false);
    const tagUrl = `${trigger.repositoryUrl}/tree/${encodeURIComponent(trigger.tag)}`;
    const source: RcSource = {
      system: 'github',
      login: trigger.login,
      tag: trigger.tag,
      repository: trigger.repository,
      url: trigger.htmlUrl ?? tagUrl,
      ...(changes?.firstCommitAt ? { firstCommitAt: changes.firstCommitAt } : {}),
    };
    return {
      hotfix,
      contents: { ...listed, notesUrl: trigger.htmlUrl ?? changes?.compareUrl ?? tagUrl, source },
    };
  }
}
