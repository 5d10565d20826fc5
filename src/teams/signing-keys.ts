import { createPublicKey } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { z } from 'zod';

// The keys that sign inbound Bot Framework tokens, fetched from their OpenID metadata the way
// botbuilder's OpenIdMetadata does (metadata document → jwks_uri → keys), with what it lacks: a
// deadline on every fetch (botbuilder's has none, so a black-holed key host held each request for
// minutes), one fetch in flight for all requests, and keys kept and used while a refresh fails
// (botbuilder throws away the request when its daily refresh fails, cached keys or not).

/** What botbuilder's token check asks its metadata object for (botframework-connector IOpenIdMetadataKey). */
export interface SigningKey {
  /** The public key, PEM. */
  readonly key: string;
  /** Channels the key may sign for (Bot Framework publishes them with each key). */
  readonly endorsements?: string[];
}

export interface SigningKeyPolicy {
  /** Deadline of one refresh (metadata and keys together); past it the request is aborted and its socket closed. */
  readonly timeoutMs: number;
  /** Keys older than this are refreshed in the background while still used (botbuilder: 24 h). */
  readonly refreshAfterMs: number;
  /** A key id not among the cached keys triggers a refresh at most this often (botbuilder: 1 h). */
  readonly unknownKeyRefreshMs: number;
  /** After a failed refresh, the next is tried no sooner than this; what callers are told to wait. */
  readonly retryAfterFailureMs: number;
  /** Milliseconds since the epoch; tests move it. */
  readonly now: () => number;
}

export const DEFAULT_SIGNING_KEY_POLICY: SigningKeyPolicy = {
  timeoutMs: 3_000,
  refreshAfterMs: 24 * 60 * 60_000,
  unknownKeyRefreshMs: 60 * 60_000,
  retryAfterFailureMs: 10_000,
  now: () => Date.now(),
};

/** No keys could be had: nobody's token can be checked until they can. */
export class SigningKeysUnavailable extends Error {
  constructor(
    message: string,
    /** When a fetch will next be tried. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'SigningKeysUnavailable';
  }
}

const metadataSchema = z.object({ jwks_uri: z.string().url() });
const jwksSchema = z.object({
  keys: z.array(
    z
      .object({ kid: z.string(), n: z.string().optional(), e: z.string().optional(), endorsements: z.array(z.string()).optional() })
      .passthrough(),
  ),
});

export class SigningKeys {
  private keys?: ReadonlyMap<string, SigningKey | null>;
  private fetchedAt = 0;
  private attemptedAt = 0;
  private failedAt = 0;
  private lastFailure = '';
  private inFlight?: Promise<void>;
  /** Refreshes started, for the logs and tests. */
  fetches = 0;

  constructor(
    readonly metadataUrl: string,
    private readonly policy: SigningKeyPolicy = DEFAULT_SIGNING_KEY_POLICY,
    private readonly onRefreshFailed: (error: Error) => void = () => undefined,
  ) {}

  /**
   * The key with this id: null when the keys are known and it is not among them (a forged or foreign
   * token); throws SigningKeysUnavailable when no keys could be fetched at all.
   */
  async getKey(keyId: string): Promise<SigningKey | null> {
    const now = this.policy.now();
    if (!this.keys) {
      await this.refresh();
      return this.find(keyId);
    }
    if (now - this.fetchedAt >= this.policy.refreshAfterMs) this.refreshInBackground();
    const found = this.find(keyId);
    if (found || now - Math.max(this.fetchedAt, this.attemptedAt) < this.policy.unknownKeyRefreshMs) return found;
    // A key we have not seen: maybe a rotation. Refreshing is bounded by the deadline and rate.
    await this.refresh().catch(() => undefined);
    return this.find(keyId);
  }

  /** Fetches the keys now unless they are fresh; true when keys are at hand afterwards. */
  async prefetch(): Promise<boolean> {
    if (this.keys && this.policy.now() - this.fetchedAt < this.policy.refreshAfterMs) return true;
    await this.refresh().catch(() => undefined);
    return this.keys !== undefined;
  }

  private find(keyId: string): SigningKey | null {
    return this.keys?.get(keyId) ?? null;
  }

  private refreshInBackground(): void {
    this.refresh().catch(() => undefined);
  }

  /** One refresh at a time for every caller; right after a failure, the failure again without a fetch. */
  private refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const wait = this.failedAt + this.policy.retryAfterFailureMs - this.policy.now();
    if (this.failedAt > 0 && wait > 0) {
      return this.keys ? Promise.resolve() : Promise.reject(this.unavailable(wait));
    }
    this.inFlight = this.fetchKeys()
      .then((keys) => {
        this.keys = keys;
        this.fetchedAt = this.policy.now();
        this.failedAt = 0;
      })
      .catch((error: unknown) => {
        this.failedAt = this.policy.now();
        this.lastFailure = error instanceof Error ? error.message : String(error);
        const failure = this.unavailable(this.policy.retryAfterFailureMs);
        this.onRefreshFailed(failure);
        // With keys in hand a failed refresh changes nothing for callers.
        if (!this.keys) throw failure;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    this.attemptedAt = this.policy.now();
    this.fetches += 1;
    return this.inFlight;
  }

  private unavailable(waitMs: number): SigningKeysUnavailable {
    return new SigningKeysUnavailable(
      `signing keys from ${this.metadataUrl} unavailable: ${this.lastFailure}`,
      Math.max(1, Math.ceil(waitMs / 1000)),
    );
  }

  private async fetchKeys(): Promise<ReadonlyMap<string, SigningKey | null>> {
    // One deadline for both requests and their bodies.
    const deadline = Date.now() + this.policy.timeoutMs;
    const late = `no answer within ${this.policy.timeoutMs} ms`;
    const metadata = metadataSchema.parse(await getJson(this.metadataUrl, deadline, late));
    const jwks = jwksSchema.parse(await getJson(metadata.jwks_uri, deadline, late));
    const keys = new Map<string, SigningKey | null>();
    // Converted once here, not on every request as botbuilder does; a non-RSA key signs nothing we accept.
    for (const jwk of jwks.keys) keys.set(jwk.kid, jwk.n && jwk.e ? publicKey(jwk.n, jwk.e, jwk.endorsements) : null);
    return keys;
  }
}

/** A published key set is a few KB; a host streaming more is not one. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * GET a JSON document by the deadline, on a connection of its own (no keep-alive pool) that is
 * destroyed when the deadline passes: nothing of a black-holed host is left open behind it.
 */
function getJson(url: string, deadline: number, late: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const client = new URL(url).protocol === 'https:' ? https : http;
    const request = client.get(url, { agent: false, headers: { accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) request.destroy(new Error(`${url} sent more than ${MAX_DOCUMENT_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        if (response.statusCode !== 200) return reject(new Error(`${url} answered ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error(`${url} did not answer JSON`));
        }
      });
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(new Error(late)), Math.max(0, deadline - Date.now()));
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** An RSA key from its JWK modulus and exponent; null for one that is not a valid key (it verifies nothing). */
function publicKey(n: string, e: string, endorsements: string[] | undefined): SigningKey | null {
  try {
    const key = createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    return { key, ...(endorsements ? { endorsements } : {}) };
  } catch {
    return null;
  }
}
