import { KeyObject, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

// Bot Framework's token issuer, played on loopback: RSA keys generated at test time, published the
// way login.botframework.com publishes them (an OpenID configuration pointing at a JWKS whose keys
// carry the channels they endorse), and JWTs signed with them (RS256, built with node:crypto).
// botbuilder fetches the metadata and checks tokens against it exactly as it does in production.
// The key host can also misbehave: answer slowly, accept connections and never answer (a black
// hole), or be down (connection refused).

export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: { kty: string; n: string; e: string };
}

export function newSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { kid, privateKey, publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e } };
}

/** The same kid as `key`, but a different private key: a forged signature. */
export function impostorOf(key: SigningKey): SigningKey {
  return newSigningKey(key.kid);
}

export function signJwt(key: SigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}

export type KeyHostMode =
  | { readonly kind: 'serving' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'black-hole' }
  | { readonly kind: 'down' };

export interface LoopbackIdentity {
  /** OpenID metadata of the Bot Framework channel's keys (endorsing msteams). */
  readonly channelMetadataUrl: string;
  /** OpenID metadata of Entra's keys (no endorsements), botbuilder's "emulator" path. */
  readonly entraMetadataUrl: string;
  readonly channelKey: SigningKey;
  readonly entraKey: SigningKey;
  /** Requests received (answered or not), by path. */
  readonly requests: string[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Connections still open now (a client that gave up must have closed its own). */
  openSockets(): number;
  /** Changes how the host behaves from now on; `down` stops listening, any other mode listens again on the same port. */
  setMode(mode: KeyHostMode): Promise<void>;
  /** Publishes another key beside the current ones (a key rotation). */
  publishChannelKey(key: SigningKey): void;
  /** A channel token for the bot: iss api.botframework.com, aud = appId, serviceurl, nbf/exp around now. */
  channelToken(appId: string, serviceUrl: string, overrides?: Record<string, unknown>, key?: SigningKey): string;
  close(): Promise<void>;
}

export async function startLoopbackIdentity(): Promise<LoopbackIdentity> {
  const channelKey = newSigningKey();
  const entraKey = newSigningKey();
  const requests: string[] = [];
  let base = '';
  const documents: Record<string, unknown> = {};
  let mode: KeyHostMode = { kind: 'serving' };
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    requests.push(path);
    if (mode.kind === 'black-hole') return; // never answer
    const answer = () => {
      const body = documents[path];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    };
    if (mode.kind === 'slow') setTimeout(answer, mode.delayMs);
    else answer();
  });
  server.on('connection', (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  const publish = (name: string, issuer: string, key: SigningKey, endorsements?: string[]) => {
    documents[`/${name}/.well-known/openidconfiguration`] = {
      issuer,
      jwks_uri: `${base}/${name}/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
    documents[`/${name}/keys`] = { keys: [{ ...key.publicJwk, use: 'sig', kid: key.kid, ...(endorsements ? { endorsements } : {}) }] };
    return `${base}/${name}/.well-known/openidconfiguration`;
  };
  const channelMetadataUrl = publish('channel', CHANNEL_ISSUER, channelKey, ['msteams', 'skype', 'webchat', 'directline']);
  const entraMetadataUrl = publish('entra', 'https://login.microsoftonline.com/{tenantid}/v2.0', entraKey);

  return {
    channelMetadataUrl,
    entraMetadataUrl,
    channelKey,
    entraKey,
    requests,
    connections: () => accepted,
    openSockets: () => sockets.size,
    async setMode(next) {
      mode = next;
      if (next.kind === 'down') return stopListening();
      if (!server.listening) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    publishChannelKey(key) {
      const jwks = documents['/channel/keys'] as { keys: unknown[] };
      jwks.keys.push({ ...key.publicJwk, use: 'sig', kid: key.kid, endorsements: ['msteams', 'skype', 'webchat', 'directline'] });
    },
    channelToken(appId, serviceUrl, overrides = {}, key = channelKey) {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(key, { iss: CHANNEL_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, exp: now + 3600, ...overrides });
    },
    close: stopListening,
  };
}
