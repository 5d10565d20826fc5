import { TokenExpectations, precheckToken } from '../../src/teams/token-precheck';

// The validity-period edges of the offline check, on a fixed clock: botbuilder allows 5 minutes of
// skew either side, and the precheck must refuse exactly what botbuilder would, no more.

const APP_ID = '00000000-1111-2222-3333-444444444444';
const SERVICE_URL = 'https://smba.example/teams/';
const NOW = 1_800_000_000;

const expected: TokenExpectations = {
  appId: APP_ID,
  channelIssuer: 'https://api.botframework.com',
  entraIssuers: new Set(),
  knownTenants: new Set(),
  clockSkewSeconds: 300,
};

function bearer(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const base = { iss: expected.channelIssuer, aud: APP_ID, serviceurl: SERVICE_URL };
  return `Bearer ${encode({ alg: 'RS256', typ: 'JWT', kid: 'key-1' })}.${encode({ ...base, ...claims })}.c2ln`;
}

const check = (claims: Record<string, unknown>) => precheckToken(bearer(claims), SERVICE_URL, expected, NOW);

test('a token starting within the tolerance passes to the signature check; one second later it is refused', () => {
  expect(check({ nbf: NOW + 300, exp: NOW + 3600 })).toEqual({ ok: true, path: 'channel', keyId: 'key-1' });
  expect(check({ nbf: NOW + 301, exp: NOW + 3600 })).toEqual({ ok: false, reason: 'the token is not valid yet' });
});

test('a token expired within the tolerance passes; at the tolerance it is refused', () => {
  expect(check({ nbf: NOW - 3600, exp: NOW - 299 })).toMatchObject({ ok: true });
  expect(check({ nbf: NOW - 3600, exp: NOW - 300 })).toEqual({ ok: false, reason: 'the token has expired' });
});
