const Module = require('module');
const orig = Module._load;
const LAZY = process.env.LAZY === '1';
const rules = [['@microsoft/teams-ai/lib/Application.js', './AI'], ['@microsoft/teams-ai/lib/Application.js', './authentication/Authentication'], ['@microsoft/teams-ai/lib/authentication/BotAuthenticationBase.js', 'botbuilder-dialogs'], ['@microsoft/teams-ai/lib/authentication/BotAuthenticationBase.js', './Authentication']];
const loaded = [];
Module._load = function (request, parent, isMain) {
  if (LAZY && parent && rules.some(([p, r]) => parent.filename.endsWith(p) && r === request)) {
    let real;
    const load = () => { if (!real) { loaded.push(request); real = orig.call(this, request, parent, isMain); } return real; };
    return new Proxy({}, { get: (_t, p) => load()[p], has: (_t, p) => p in load(), ownKeys: () => Reflect.ownKeys(load()), getOwnPropertyDescriptor: (_t, p) => Object.getOwnPropertyDescriptor(load(), p) });
  }
  return orig.apply(this, arguments);
};
const t0 = performance.now();
require('botbuilder');
const t1 = performance.now();
require('@microsoft/teams-ai/lib/Application');
const t3 = performance.now();
global.gc && gc();
console.log(JSON.stringify({botbuilder: t1-t0|0, app: t3-t1|0, rss: process.memoryUsage().rss>>20, heap: process.memoryUsage().heapUsed>>20, modules: Object.keys(require.cache).length, loaded}));
