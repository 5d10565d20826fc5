import { DeputiesState, DeputyCommand, DeputyCover, DeputyEvent, NO_DEPUTIES, activeCovers, deputiesDecider, withDeputies } from '../domain/deputies';
import { Actor, Directory, Refusal } from '../domain/types';
import { DocumentStore, StoredDocument } from '../store/document-store';
import { SETTINGS_PARTITION } from './documents';
import { DocumentRepository } from './document-repository';
import { CommandRunner } from './command-runner';

// Deputies named in Teams: one settings document holding their events and the state folded from
// them, changed by one conditional write per command. Every instance keeps a copy, re-read now and
// then (a cover named on another instance reaches this one within the refresh interval) and at
// once when a decision was refused on it (ReleaseService asks again with a fresh copy).

export const DEPUTIES_ID = 'deputies';

export interface DeputiesDocument extends StoredDocument {
  readonly type: 'deputies';
  readonly state: DeputiesState;
  /** Every deputy named and ended, oldest first (a few a month: kept whole, the audit of who stood in). */
  readonly events: readonly DeputyEvent[];
  readonly recentActivityIds: readonly string[];
  /** Nothing is posted from it: the handler answers the command itself. */
  readonly outbox?: readonly never[];
}

export type DeputyResult =
  | { readonly kind: 'accepted'; readonly events: readonly DeputyEvent[]; readonly state: DeputiesState }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'duplicate' };

export interface DeputyServiceOptions {
  readonly store: DocumentStore;
  readonly directory: Directory;
  /** Covers from config (`deputies[]`). */
  readonly configured: readonly DeputyCover[];
  readonly timeZone: string;
}

export class DeputyService {
  private readonly documents: DocumentRepository<DeputiesDocument>;
  private readonly runner: CommandRunner<DeputiesDocument, never>;
  private state: DeputiesState = NO_DEPUTIES;
  private refresher?: NodeJS.Timeout;

  constructor(private readonly options: DeputyServiceOptions) {
    this.documents = new DocumentRepository<DeputiesDocument>(options.store, () => ({ pk: SETTINGS_PARTITION, id: DEPUTIES_ID }), { cacheSize: 1 });
    this.runner = new CommandRunner(this.documents, () => undefined); // no outbox: the handler answers
  }

  /** Reads the stored covers; the copy commands use until the next load. */
  async load(): Promise<DeputiesState> {
    this.state = (await this.documents.get(DEPUTIES_ID, true))?.state ?? NO_DEPUTIES;
    return this.state;
  }

  startRefreshing(intervalMs: number, onError: (error: unknown) => void): void {
    this.refresher = setInterval(() => this.load().catch(onError), intervalMs);
    this.refresher.unref();
  }

  stopRefreshing(): void {
    if (this.refresher) clearInterval(this.refresher);
  }

  /** The covers in force at `now` (config and Teams), from this instance's copy or, with `fresh`, the store. */
  async coversAt(now: Date, fresh = false): Promise<DeputyCover[]> {
    const state = fresh ? await this.load() : this.state;
    return activeCovers(state, this.options.configured, now, this.options.directory);
  }

  /** The release domain's directory at `now`: the configured one plus whoever stands in for an away lead. */
  async directoryAt<D extends Directory>(directory: D, now: Date, fresh = false): Promise<D> {
    return withDeputies(directory, await this.coversAt(now, fresh));
  }

  async execute(request: { readonly command: DeputyCommand; readonly actor: Actor; readonly activityId: string; readonly now: Date }): Promise<DeputyResult> {
    const { result } = await this.runner.run(DEPUTIES_ID, request.activityId, {
      decider: deputiesDecider,
      command: request.command,
      select: (current) => ({
        state: current?.state ?? NO_DEPUTIES,
        context: { actor: request.actor, now: request.now, directory: this.options.directory, timeZone: this.options.timeZone },
      }),
      record: (current, state, events) => ({
        doc: {
          pk: SETTINGS_PARTITION,
          id: DEPUTIES_ID,
          type: 'deputies',
          state,
          events: [...(current?.events ?? []), ...events],
          recentActivityIds: current?.recentActivityIds ?? [],
        },
      }),
    });
    if (result.kind === 'refused') return { kind: 'refused', refusal: result.refusal };
    if (result.kind === 'duplicate' || result.kind === 'unchanged') return { kind: 'duplicate' };
    if (result.kind === 'accepted') this.state = result.state;
    return result;
  }
}
