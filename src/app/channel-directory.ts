import { isBotError } from '../errors';
import { BotConfig } from '../config/config';
import { CHANNELS_ID, ChannelBindingsDocument, ChannelKey, ChannelTarget, SETTINGS_PARTITION } from './documents';
import { DocumentStore, Versioned } from '../store/document-store';

/**
 * Which Teams channel is #engineering, #general and #production-support: bound in config, or by
 * `@lendos register <channel>` typed in the channel (stored, and it wins over config).
 */
export class ChannelDirectory {
  private current?: Versioned<ChannelBindingsDocument>;
  private refresher?: NodeJS.Timeout;

  constructor(
    private readonly store: DocumentStore,
    private readonly config: BotConfig,
  ) {}

  async load(): Promise<void> {
    this.current = await this.store.read<ChannelBindingsDocument>(SETTINGS_PARTITION, CHANNELS_ID);
  }

  /** Re-reads the bindings now and then, so a `register` handled by another instance reaches this one. */
  startRefreshing(intervalMs: number, onError: (error: unknown) => void): void {
    this.refresher = setInterval(() => this.load().catch(onError), intervalMs);
    this.refresher.unref();
  }

  stopRefreshing(): void {
    if (this.refresher) clearInterval(this.refresher);
  }

  get(channel: ChannelKey): ChannelTarget | undefined {
    const bound = this.current?.doc.bindings[channel];
    if (bound) return bound;
    const configured = this.config.channels[channel];
    return configured
      ? { channelId: configured.id, serviceUrl: configured.serviceUrl, teamId: configured.teamId, tenantId: this.config.tenantId }
      : undefined;
  }

  /** Which of the bot's channels this Teams channel id is, if any. */
  nameOf(channelId: string): ChannelKey | undefined {
    const keys: ChannelKey[] = ['engineering', 'general', 'productionSupport'];
    return keys.find((key) => this.get(key)?.channelId === channelId);
  }

  async bind(channel: ChannelKey, target: ChannelTarget, boundBy: string, now: Date): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const existing = this.current ?? (await this.store.read<ChannelBindingsDocument>(SETTINGS_PARTITION, CHANNELS_ID));
      const next: ChannelBindingsDocument = {
        id: CHANNELS_ID,
        pk: SETTINGS_PARTITION,
        type: 'channels',
        bindings: { ...existing?.doc.bindings, [channel]: { ...target, boundBy, boundAt: now.toISOString() } },
      };
      try {
        this.current = existing ? await this.store.replace(next, existing.etag) : await this.store.create(next);
        return;
      } catch (error) {
        if (!isBotError(error, 'stale') && !isBotError(error, 'conflict')) throw error;
        this.current = await this.store.read<ChannelBindingsDocument>(SETTINGS_PARTITION, CHANNELS_ID);
      }
    }
    throw new Error('channel bindings kept changing; try again');
  }
}
