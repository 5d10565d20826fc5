import { ReleaseDocument, ThreadIndexDocument, threadKey } from '../../src/app/documents';
import { ThreadStartsDocument } from '../../src/app/thread-starts';
import { DocumentStore, StoredDocument, Versioned } from '../../src/store/document-store';
import { Harness, people, startHarness } from '../helpers/bot-harness';
import { RecordedCall } from '../helpers/loopback-connector';
import { eventually } from '../instances/fleet';
import { NOW, awaitedText, postedTexts, rcCutText, refusalsIn, textOf } from './teams-view';

// A release thread's root post is posted once however the writes around it fail, and a reply typed
// the instant the root appears — before the bot has recorded it — is taken, not refused.

const roots = (calls: readonly RecordedCall[], rcVersion: string) =>
  calls.filter((call) => call.kind === 'createConversation' && JSON.stringify(call.activity).includes(`Release ${rcVersion}`));
const isIndex = (doc: StoredDocument) => doc.pk.startsWith('thread:');
const isPostedRecord = (doc: StoredDocument) => doc.pk.startsWith('thread-starts:') && (doc as unknown as ThreadStartsDocument).starts.some((s) => s.posted);
const diskFull = () => Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));

/** The bot's store, failing or holding the writes a test picks. */
class PickyStore implements DocumentStore {
  /** Writes that fail while this says so. */
  fail: (doc: StoredDocument) => boolean = () => false;
  /** Writes that wait until `open()` while this says so. */
  hold: (doc: StoredDocument) => boolean = () => false;
  failed = 0;
  held = 0;
  private opened?: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));

  constructor(private readonly inner: DocumentStore) {}
  get stats() {
    return this.inner.stats;
  }
  open(): void {
    this.opened!();
  }
  read<T extends StoredDocument>(pk: string, id: string): Promise<Versioned<T> | undefined> {
    return this.inner.read<T>(pk, id);
  }
  async create<T extends StoredDocument>(doc: T): Promise<Versioned<T>> {
    await this.pass(doc);
    return this.inner.create(doc);
  }
  async replace<T extends StoredDocument>(doc: T, etag: string): Promise<Versioned<T>> {
    await this.pass(doc);
    return this.inner.replace(doc, etag);
  }
  listPendingOutbox() {
    return this.inner.listPendingOutbox();
  }
  close() {
    return this.inner.close();
  }
  private async pass(doc: StoredDocument): Promise<void> {
    if (this.fail(doc)) {
      this.failed += 1;
      return diskFull();
    }
    if (this.hold(doc)) {
      this.held += 1;
      await this.gate;
    }
  }
}

describe('a release thread root', () => {
  let h: Harness;
  let store: PickyStore;
  const start = async (threadWaitMs?: number) => {
    h = await startHarness({ now: () => NOW, server: { threadWaitMs }, wrapStore: (inner) => (store = new PickyStore(inner)) });
  };
  afterEach(async () => {
    expect(h.connector.malformed).toEqual([]);
    await h.close();
  });

  test('a thread index that cannot be written (full disk) never re-posts the root, and the thread works meanwhile', async () => {
    await start();
    store.fail = isIndex;
    const rc = '2026.4.0-rc.1';
    const cut = h.say(people.jake, rcCutText(rc));
    await eventually(() => store.failed >= 5, 'five failed index writes, retried'); // the outbox retries every 20–40 ms
    expect(roots(h.connector.calls, rc)).toHaveLength(1);

    // People use the thread while its index is still missing: the root's record finds it.
    await cut;
    const root = h.thread(rc);
    const approve = await h.say(people.luis, 'approve rc.1', { conversationId: root.conversationId });
    expect(refusalsIn(approve.calls)).toEqual([]);
    expect((await h.store.read<ReleaseDocument>('2026.4.0', '2026.4.0'))?.doc.state.rcs[0]?.decisions.product?.decision).toBe('approved');

    // Once the index can be written, everything pending goes out, in order, and the root still once.
    store.fail = () => false;
    await eventually(async () => (await h.store.listPendingOutbox()).length === 0, 'the outbox to finish');
    expect(postedTexts(h.connector.calls, root.conversationId)).toEqual([awaitedText('rc.1'), '✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
    const { pk, id } = threadKey(root.conversationId);
    expect((await h.store.read<ThreadIndexDocument>(pk, id))?.doc).toMatchObject({ release: '2026.4.0', rc: 1 });
    expect(roots(h.connector.calls, rc)).toHaveLength(1);
  }, 20_000);

  test('a disk that fills the moment the root went out (its record, the index and the acknowledgement all failing) never re-posts it', async () => {
    await start();
    let full = false;
    store.fail = (doc) => (full ||= isPostedRecord(doc)) && store.failed < 12;
    const rc = '2026.5.0-rc.1';
    await h.say(people.jake, rcCutText(rc));
    await eventually(async () => store.failed >= 12 && (await h.store.listPendingOutbox()).length === 0, 'the disk to empty and the outbox to finish');
    expect(roots(h.connector.calls, rc)).toHaveLength(1);
    const root = h.thread(rc);
    const approve = await h.say(people.rafaella, 'approve rc.1', { conversationId: root.conversationId });
    expect(postedTexts(approve.calls, root.conversationId)).toEqual(['✅ Rafaella Barrocas approved rc.1 for QA — 1 of 5 approved.']);
    expect(textOf(h.latestCard(rc), 'approvals-title')).toBe('Approvals — 1 of 5');
  }, 20_000);

  test('a reply typed 10 ms after the root appeared, before the bot recorded it, waits for the record and counts', async () => {
    await start();
    store.hold = isPostedRecord; // the root is out; its record is slow to be written
    const rc = '2026.6.0-rc.1';
    const cut = h.say(people.jake, rcCutText(rc));
    const root = await eventually(() => roots(h.connector.calls, rc)[0], 'the root post');
    await new Promise((resolve) => setTimeout(resolve, 10));
    const reply = h.say(people.luis, 'approve rc.1', { conversationId: root.conversationId });
    await eventually(() => store.held > 0, 'the root record to be held');
    const heldAt = h.connector.calls.length;
    setTimeout(() => store.open(), 200);
    await Promise.all([cut, reply]);
    const after = h.connector.calls.slice(heldAt);
    expect(refusalsIn(after)).toEqual([]);
    expect(postedTexts(after, root.conversationId)).toEqual([awaitedText('rc.1'), '✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
  }, 20_000);

  test('the wait is bounded: when the record takes longer than threadWaitMs, the reply is answered, not left hanging', async () => {
    await start(300);
    store.hold = isPostedRecord;
    const rc = '2026.7.0-rc.1';
    const cut = h.say(people.jake, rcCutText(rc));
    const root = await eventually(() => roots(h.connector.calls, rc)[0], 'the root post');
    await eventually(() => store.held > 0, 'the root record to be held');
    const before = h.connector.calls.length;
    const started = Date.now();
    const reply = h.say(people.luis, 'approve rc.1', { conversationId: root.conversationId });
    const answer = await eventually(() => h.connector.calls.slice(before).find((call) => call.kind === 'reply'), 'the answer', 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(refusalsIn([answer])).toEqual([expect.stringContaining('`rc.1` alone only works inside a release thread')]);
    store.open();
    await Promise.all([cut, reply]);
    // Typed again once the root is recorded, it counts.
    const again = await h.say(people.luis, 'approve rc.1', { conversationId: root.conversationId });
    expect(postedTexts(again.calls, root.conversationId)).toEqual(['✅ Luis Garcia approved rc.1 for Product — 1 of 5 approved.']);
  }, 20_000);
});
