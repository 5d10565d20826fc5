import Module from 'node:module';
import path from 'node:path';

// Libraries this bot must use load, at start, modules it never runs:
//  - teams-ai's Application requires its AI planner stack (./AI) and its sign-in stack
//    (./authentication/Authentication, which requires botbuilder-dialogs and, through it, the
//    @microsoft/recognizers-text-* packages), although it constructs them only when given `ai` or
//    `authentication` options, which this bot never passes: ~37 MB of RSS and ~0.3 s of start-up;
//  - botframework-connector requires @azure/identity for the one method that makes a managed
//    identity's token provider (used with MICROSOFT_APP_TYPE=UserAssignedMSI only);
//  - restify requires spdy (HTTP/2 over the long-gone SPDY protocol) for servers created with a
//    `spdy` option, which this bot never passes; spdy's http-deceiver reads
//    process.binding('http_parser') as it loads, which printed DEP0111 at every start;
//  - botframework-connector's OpenIdMetadata requires node-fetch 2, whose whatwg-url and tr46
//    require Node's punycode module as they load (DEP0040 at every start on Node 22), though they
//    call it only while parsing a URL for node-fetch, and the bot fetches signing keys itself
//    (signing-keys.ts).
// Those requires are deferred: each returns a stand-in that loads the real module on first use, so
// a bot that did use them still gets them, only later. Nothing else is touched: any other require,
// including these same modules required from elsewhere, loads as usual. (bench/README.md has the
// measurements.)
//
// Importing this file installs the deferral: src/main.ts and src/server.ts import it before
// anything else, so it is in place before botbuilder and teams-ai load.
// This hooks Node's CommonJS loader (Module._load), which jest replaces with its own: under jest
// everything loads eagerly, as before. test/teams/deferred-modules.test.ts checks a real process.

/** (the requiring file inside node_modules, the request it makes) pairs to defer. */
export const DEFERRED_REQUIRES: ReadonlyArray<{ readonly from: string; readonly request: string }> = [
  { from: '@microsoft/teams-ai/lib/Application.js', request: './AI' },
  { from: '@microsoft/teams-ai/lib/Application.js', request: './authentication/Authentication' },
  { from: '@microsoft/teams-ai/lib/authentication/BotAuthenticationBase.js', request: 'botbuilder-dialogs' },
  { from: '@microsoft/teams-ai/lib/authentication/BotAuthenticationBase.js', request: './Authentication' },
  { from: 'botframework-connector/lib/auth/jwtTokenProviderFactory.js', request: '@azure/identity' },
  { from: 'restify/lib/server.js', request: 'spdy' },
  { from: 'whatwg-url/lib/url-state-machine.js', request: 'punycode' },
  { from: 'tr46/index.js', request: 'punycode' },
];

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };
const INSTALLED = Symbol.for('lendos.deferred-modules');

/** Installs the deferral once per process; it must run before botbuilder and teams-ai are first required. */
export function deferUnusedModules(): void {
  const registry = globalThis as Record<symbol, unknown>;
  if (registry[INSTALLED]) return;
  registry[INSTALLED] = true;
  const load = loader._load;
  const requests = new Set(DEFERRED_REQUIRES.map((d) => d.request));
  loader._load = function deferringLoad(this: unknown, request, parent, isMain) {
    // Every require of the process passes here: the request is checked first, cheaply.
    const from = requests.has(request) ? parent?.filename?.split(path.sep).join('/') : undefined;
    if (from && DEFERRED_REQUIRES.some((d) => d.request === request && from.endsWith(`/node_modules/${d.from}`))) {
      return deferred(() => load.call(this, request, parent, isMain) as object);
    }
    return load.call(this, request, parent, isMain);
  } as Load;
}

/** A module object that loads the real one the first time anything is read from it. */
function deferred(loadReal: () => object): object {
  let real: object | undefined;
  const target = () => (real ??= loadReal());
  return new Proxy(
    {},
    {
      get: (_stub, key) => Reflect.get(target(), key),
      has: (_stub, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_stub, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
        // a proxy may not report a property as non-configurable that its stub target lacks
        return descriptor ? { ...descriptor, configurable: true } : undefined;
      },
    },
  );
}

deferUnusedModules();
