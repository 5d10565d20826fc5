import { performance } from 'node:perf_hooks';
import { people } from '../test/helpers/bot-harness';
import { APP_ID, APP_PASSWORD, FixedTokenCredentialsFactory, HttpBot, startHttpBot } from '../test/helpers/http-bot';
import { LoopbackIdentity, impostorOf, startLoopbackIdentity } from '../test/helpers/loopback-identity';

// `npm run bench:auth`: how long token refusals take while the Bot Framework key host is unreachable.
//   node -r ./test/helpers/ts-register.js bench/auth-deadlines.ts [--quick]   (from the sources: it runs the
//   test helpers, whose paths are the source tree's)
// The bot (real HTTP, real botbuilder) with a loopback key host that is first serving (the keys get
// cached), then black-holed (accepts, never answers). Each kind of token is posted REQUESTS times in
// a row; the baseline is a valid token with the keys cached, in the same run. A second bot that
// never got its keys shows the 503 a token gets when no key can be had, bounded by the fetch deadline.
// Exits 1 when an offline-refused token's median is over CEILING_MS, or the 503 outlasts the deadline.

const QUICK = process.argv.includes('--quick');
const REQUESTS = QUICK ? 30 : 200;
const CEILING_MS = 100;
const DEADLINE_MS = 3_000;

interface Series {
  readonly name: string;
  readonly statuses: Map<number, number>;
  readonly ms: number[];
}

/** `count` requests carrying `token()`; the token and the activity are made outside the clock. */
async function series(name: string, bot: HttpBot, token: () => string, count = REQUESTS): Promise<Series> {
  const statuses = new Map<number, number>();
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const [activity, headers] = [bot.message(people.jake, 'help'), { authorization: `Bearer ${token()}` }];
    const started = performance.now();
    const { status } = await bot.post(activity, headers);
    ms.push(performance.now() - started);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  return { name, statuses, ms };
}

const quantile = (values: readonly number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];

async function startBot(identity: LoopbackIdentity): Promise<HttpBot> {
  return startHttpBot({
    server: {
      appId: APP_ID,
      appPassword: APP_PASSWORD,
      openIdMetadataUrl: identity.channelMetadataUrl,
      emulatorOpenIdMetadataUrl: identity.entraMetadataUrl,
      credentialsFactory: new FixedTokenCredentialsFactory(APP_ID, '00000000-0000-0000-0000-0000000000aa'),
      signingKeys: { timeoutMs: DEADLINE_MS },
    },
  });
}

async function main(): Promise<void> {
  console.error = () => undefined; // botbuilder's own diagnostics for refused tokens
  const identity = await startLoopbackIdentity();
  const h = await startBot(identity);
  const cold = await startLoopbackIdentity();
  let coldBot: HttpBot | undefined;
  const broken: string[] = [];
  try {
    const forger = impostorOf(identity.channelKey); // generating an RSA key takes longer than anything measured here
    const now = () => Math.floor(Date.now() / 1000);
    const url = h.connector.url;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = () => ({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: url, nbf: now() - 60, exp: now() + 3600 });

    const baseline = await series('valid token, keys cached (baseline)', h, () => identity.channelToken(APP_ID, url));
    await identity.setMode({ kind: 'black-hole' });
    const connectionsBefore = identity.connections();
    const refusals = [
      await series('expired', h, () => identity.channelToken(APP_ID, url, { nbf: now() - 7200, exp: now() - 600 })),
      await series('wrong audience', h, () => identity.channelToken('99999999-8888-7777-6666-555555555555', url)),
      await series('alg none', h, () => `${encode({ alg: 'none', typ: 'JWT', kid: identity.channelKey.kid })}.${encode(claims())}.`),
      await series('forged (same key id, other key)', h, () => identity.channelToken(APP_ID, url, {}, forger)),
    ];
    const afterwards = await series('valid token, key host black-holed', h, () => identity.channelToken(APP_ID, url));

    await cold.setMode({ kind: 'black-hole' });
    coldBot = await startBot(cold);
    const noKeys = await series('valid token, keys never fetched (503)', coldBot, () => cold.channelToken(APP_ID, coldBot!.connector.url), 3);

    console.log(`bench:auth — ${REQUESTS} requests per kind, one after another, over HTTP to the real bot; ms`);
    console.log(`${'token'.padEnd(40)}${'status'.padEnd(12)}${'min'.padStart(8)}${'median'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}   median ÷ baseline`);
    const base = quantile(baseline.ms, 0.5);
    for (const s of [baseline, ...refusals, afterwards, noKeys]) {
      const statuses = [...s.statuses].map(([status, n]) => `${status}×${n}`).join(' ');
      const median = quantile(s.ms, 0.5);
      console.log(
        `${s.name.padEnd(40)}${statuses.padEnd(12)}${Math.min(...s.ms).toFixed(1).padStart(8)}${median.toFixed(1).padStart(8)}` +
          `${quantile(s.ms, 0.99).toFixed(1).padStart(8)}${Math.max(...s.ms).toFixed(1).padStart(8)}   ${(median / base).toFixed(2)}`,
      );
    }
    for (const s of refusals) {
      if ([...s.statuses.keys()].some((status) => status !== 401)) broken.push(`${s.name}: statuses ${[...s.statuses.keys()].join(', ')}, expected 401 only`);
      if (quantile(s.ms, 0.5) > CEILING_MS) broken.push(`${s.name}: median ${quantile(s.ms, 0.5).toFixed(1)} ms (ceiling ${CEILING_MS} ms)`);
    }
    if (Math.max(...noKeys.ms) > DEADLINE_MS + 500) broken.push(`no keys: ${Math.max(...noKeys.ms).toFixed(0)} ms, past the ${DEADLINE_MS} ms deadline`);
    console.log(`key host connections: ${connectionsBefore} before it was black-holed (metadata and keys), ${identity.connections() - connectionsBefore} after`);
  } finally {
    await h.close();
    await coldBot?.close();
    await identity.close();
    await cold.close();
  }
  if (broken.length > 0) {
    console.log(`\nCEILING BROKEN:\n${broken.map((line) => `  ${line}`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nAll within the ceilings: offline-refused tokens ≤ ${CEILING_MS} ms (median), a token with no keys to check it ≤ the ${DEADLINE_MS} ms deadline.`);
  }
}

main().catch((error) => {
  console.log(error);
  process.exit(1);
});
