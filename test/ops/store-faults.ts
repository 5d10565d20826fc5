import { CHANNELS_ID, SETTINGS_PARTITION } from '../../src/app/documents';
import { DocumentStore, StoredDocument, Versioned } from '../../src/store/document-store';

// Failure injection around a real store: the bot under test is the real one, only the store
// misbehaves, and only where the test says.

/** The store, whose point read of the settings document (what /readyz reads) fails while `failing`. */
export class UnreachableSettingsStore implements DocumentStore {
  failing = false;

  constructor(private readonly inner: DocumentStore) {}

  get stats() {
    return this.inner.stats;
  }

  read<T extends StoredDocument>(pk: string, id: string): Promise<Versioned<T> | undefined> {
    if (this.failing && pk === SETTINGS_PARTITION && id === CHANNELS_ID) {
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:443 (account lendos-prod, key …)'), { code: 'ECONNREFUSED' }));
    }
    return this.inner.read<T>(pk, id);
  }

  create<T extends StoredDocument>(doc: T) {
    return this.inner.create(doc);
  }

  replace<T extends StoredDocument>(doc: T, etag: string) {
    return this.inner.replace(doc, etag);
  }

  listPendingOutbox() {
    return this.inner.listPendingOutbox();
  }

  close() {
    return this.inner.close();
  }
}

/** The store, whose writes (create and replace) fail while `failing`, as on a full disk; reads still work. */
export class FailingWritesStore implements DocumentStore {
  failing = false;
  /** Writes refused so far. */
  refused = 0;

  constructor(private readonly inner: DocumentStore) {}

  get stats() {
    return this.inner.stats;
  }

  read<T extends StoredDocument>(pk: string, id: string) {
    return this.inner.read<T>(pk, id);
  }

  create<T extends StoredDocument>(doc: T) {
    return this.failing ? this.refuse<Versioned<T>>() : this.inner.create(doc);
  }

  replace<T extends StoredDocument>(doc: T, etag: string) {
    return this.failing ? this.refuse<Versioned<T>>() : this.inner.replace(doc, etag);
  }

  listPendingOutbox() {
    return this.inner.listPendingOutbox();
  }

  close() {
    return this.inner.close();
  }

  private refuse<T>(): Promise<T> {
    this.refused += 1;
    return Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
  }
}

/** The store, whose writes wait at a gate while it is held: a turn caught mid-command. */
export class GatedWritesStore implements DocumentStore {
  private gate?: { opened: Promise<void>; open: () => void };
  /** Writes currently waiting at the gate. */
  waiting = 0;

  constructor(private readonly inner: DocumentStore) {}

  hold(): void {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { opened, open };
  }

  release(): void {
    this.gate?.open();
    this.gate = undefined;
  }

  get stats() {
    return this.inner.stats;
  }

  read<T extends StoredDocument>(pk: string, id: string) {
    return this.inner.read<T>(pk, id);
  }

  async create<T extends StoredDocument>(doc: T) {
    await this.pass();
    return this.inner.create(doc);
  }

  async replace<T extends StoredDocument>(doc: T, etag: string) {
    await this.pass();
    return this.inner.replace(doc, etag);
  }

  listPendingOutbox() {
    return this.inner.listPendingOutbox();
  }

  close() {
    return this.inner.close();
  }

  private async pass(): Promise<void> {
    const gate = this.gate;
    if (!gate) return;
    this.waiting += 1;
    try {
      await gate.opened;
    } finally {
      this.waiting -= 1;
    }
  }
}
