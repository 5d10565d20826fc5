// What can be checked of an inbound Bot Framework token without the network: its shape, algorithm,
// issuer, audience, validity period (with botbuilder's clock skew), tenant and serviceurl claim. A
// token failing any of these is refused at once, before a signing key is looked up, so forged,
// expired or foreign tokens cost nothing and get 401 even when the key host is unreachable.
// botbuilder then checks everything again, and the signature, on the tokens that pass.

export interface TokenExpectations {
  /** Our app id: a token must be issued for it (`aud`). */
  readonly appId: string;
  /** Bot Framework's channel token issuer (https://api.botframework.com in the public cloud). */
  readonly channelIssuer: string;
  /** Issuers of the Entra tokens botbuilder accepts for the bot's own app (its "emulator" path). */
  readonly entraIssuers: ReadonlySet<string>;
  /** Tenants a token may name (`tid`); see bot-adapter for why others are refused. */
  readonly knownTenants: ReadonlySet<string>;
  /** botbuilder's clockTolerance around `nbf` and `exp`: 5 minutes. */
  readonly clockSkewSeconds: number;
}

/** Which of botbuilder's paths the token takes, so the right keys are looked up. */
export type TokenPath = 'channel' | 'entra';

export type Precheck =
  | { readonly ok: true; readonly path: TokenPath; readonly keyId: string }
  | { readonly ok: false; readonly reason: string };

// Three base64url parts; only RS256 tokens are signed with a key we can fetch, so the signature part
// must be there. One character class per part, no nesting: linear on a 16 KB header.
const BEARER_JWT = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

export function precheckToken(authorization: string, activityServiceUrl: string | undefined, expected: TokenExpectations, nowSeconds: number): Precheck {
  const parts = BEARER_JWT.exec(authorization);
  if (!parts) return refuse(authorization.trim() === '' ? 'no bearer token' : 'not a bearer JWT');
  const header = decodePart(parts[1]);
  const claims = decodePart(parts[2]);
  if (!header || !claims) return refuse('the token is not JSON');

  // botbuilder would accept RS384 and RS512 too; Bot Framework and Entra sign with RS256 only.
  if (header.alg !== 'RS256') return refuse(`signing algorithm ${describe(header.alg)} is not RS256`);
  if (typeof header.kid !== 'string' || header.kid === '') return refuse('the token names no signing key');

  if (claims.tid !== undefined && !expected.knownTenants.has(String(claims.tid))) return refuse('the token names a tenant this bot does not serve');
  const path: TokenPath | undefined =
    claims.iss === expected.channelIssuer ? 'channel' : typeof claims.iss === 'string' && expected.entraIssuers.has(claims.iss) ? 'entra' : undefined;
  if (!path) return refuse(`issuer ${describe(claims.iss)} is not trusted`);
  if (claims.aud !== expected.appId) return refuse(`the token is for ${describe(claims.aud)}, not this bot`);

  if (typeof claims.exp !== 'number') return refuse('the token has no expiry');
  // The same comparisons as jsonwebtoken's, with botbuilder's tolerance.
  if (nowSeconds >= claims.exp + expected.clockSkewSeconds) return refuse('the token has expired');
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds + expected.clockSkewSeconds)) {
    return refuse('the token is not valid yet');
  }
  if (path === 'channel' && activityServiceUrl && claims.serviceurl !== activityServiceUrl) {
    return refuse('the token was issued for another service URL than the activity names');
  }
  return { ok: true, path, keyId: header.kid };
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A claim shown in a log line: short, and never more than a claim's worth. */
function describe(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : value === undefined ? 'none' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

function refuse(reason: string): Precheck {
  return { ok: false, reason };
}
