import type { DatabaseHandle } from '@promptlog/db';
import { sha256 } from '../../lib/secrets';
import { type ActiveApiKey, findActiveApiKeyByHash } from './service';

/** Where migration 0025's triggers announce a change to a key, its project's storage settings or custom prices. */
export const API_KEY_CHANGES_CHANNEL = 'promptlog_api_key_changes';

export interface ApiKeyCacheOptions {
  /** How long an entry is trusted at most: the bound for a listening connection that died without a word. */
  ttlMs: number;
  maxEntries: number;
}

const DEFAULTS: ApiKeyCacheOptions = { ttlMs: 30_000, maxEntries: 10_000 };

interface Entry {
  key: ActiveApiKey;
  cachedAt: number;
  expiresAt: number;
}

/**
 * Active API keys by hash, with what every request of their project needs (storage settings, custom prices), so that
 * ingestion does not read them on each request. Triggers on api_keys, projects and custom_prices notify every process
 * at commit when any of that changes; the cache then forgets everything, as it does when its listening connection
 * comes back after a loss. This process's own changes are forgotten before they are answered (`forget`). Only found
 * keys are kept, so a key is refused without a cache of refusals.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts `forget` calls: a lookup that started before one must not fill the cache with what it read. */
  private generation = 0;
  private listening = false;
  private stopListening: (() => Promise<void>) | null = null;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly options: ApiKeyCacheOptions = DEFAULTS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts listening for changes; until it does (or if it cannot), every lookup reads the database. */
  async start(): Promise<void> {
    this.stopListening = await this.handle.listen(
      API_KEY_CHANGES_CHANNEL,
      () => this.forget(),
      () => this.forget(),
    );
    this.listening = true;
  }

  async stop(): Promise<void> {
    this.listening = false;
    this.forget();
    await this.stopListening?.();
  }

  forget(): void {
    this.generation += 1;
    this.entries.clear();
  }

  /** The active key for `token`, or null when it is unknown, expired or revoked. */
  async find(token: string): Promise<ActiveApiKey | null> {
    const hash = sha256(token);
    const now = this.now();
    const entry = this.entries.get(hash);
    if (entry && now < entry.expiresAt && now - entry.cachedAt < this.options.ttlMs) return entry.key;
    if (entry) this.entries.delete(hash);
    const generation = this.generation;
    const key = await findActiveApiKeyByHash(this.handle, hash);
    if (key && this.listening && generation === this.generation) {
      if (this.entries.size >= this.options.maxEntries) this.entries.clear();
      const expiresAt = key.expiresAt === null ? Number.POSITIVE_INFINITY : Date.parse(key.expiresAt);
      this.entries.set(hash, { key, cachedAt: now, expiresAt });
    }
    return key;
  }
}
