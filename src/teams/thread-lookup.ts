import { ThreadIndexDocument, threadKey } from '../app/documents';
import { LruCache } from '../app/lru-cache';
import { DocumentStore } from '../store/document-store';

export interface ThreadRelease {
  readonly release: string;
  readonly rc: number;
}

/**
 * Which release an RC thread belongs to, so `approve rc.3` typed in it resolves. A thread never
 * changes release, so answers (and known misses for a short while) are cached.
 */
export class ThreadLookup {
  private readonly known = new LruCache<ThreadRelease>(2_000);
  private readonly misses = new LruCache<number>(2_000);

  constructor(private readonly store: DocumentStore) {}

  async releaseOf(conversationId: string): Promise<ThreadRelease | undefined> {
    if (!conversationId.includes(';messageid=')) return undefined;
    const hit = this.known.get(conversationId);
    if (hit) return hit;
    const missedAt = this.misses.get(conversationId);
    if (missedAt !== undefined && Date.now() - missedAt < 5_000) return undefined;
    const { pk, id } = threadKey(conversationId);
    const found = await this.store.read<ThreadIndexDocument>(pk, id);
    if (!found) {
      this.misses.set(conversationId, Date.now());
      return undefined;
    }
    const value = { release: found.doc.release, rc: found.doc.rc };
    this.known.set(conversationId, value);
    return value;
  }
}
