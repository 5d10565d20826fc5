const Module = require('module');
const orig = Module._load;
const lazy = new Set(process.env.LAZY.split(','));
Module._load = function (request, parent, isMain) {
  if (lazy.has(request) && parent && parent.filename.includes('@microsoft/teams-ai')) {
    let real;
    const load = () => (real ??= orig.call(this, request, parent, isMain));
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
const keys = Object.keys(require.cache);
const pk = new Map();
for (const k of keys) { const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(k.slice(k.lastIndexOf('node_modules'))); if (m) pk.set(m[1], (pk.get(m[1])||0)+1); }
console.log(JSON.stringify({botbuilder: t1-t0|0, app: t3-t1|0, rss: process.memoryUsage().rss>>20, heap: process.memoryUsage().heapUsed>>20, modules: keys.length}));
console.log([...pk].sort((a,b)=>b[1]-a[1]).slice(0,25).map(x=>x.join(':')).join(' '));
