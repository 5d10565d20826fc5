import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/bot-harness';

// teams-ai's AI and sign-in stacks (botbuilder-dialogs, the recognizers), @azure/identity and
// restify's spdy (whose http-deceiver printed DEP0111) and node-fetch's punycode (DEP0040 on
// Node 22) are not loaded by a bot that never uses them, and still load when something does.
// A real process: jest's own module loader does not go through Node's, which the deferral hooks.

const run = promisify(execFile);

describe('modules the bot never runs', () => {
  it('are not loaded at start, and load on first use', async () => {
    const { stdout } = await run(process.execPath, ['-r', join(ROOT, 'test', 'helpers', 'ts-register.js'), join(ROOT, 'test', 'teams', 'fixtures', 'loaded-modules.ts')], { cwd: ROOT, timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(result.atStart).toEqual({ dialogs: false, recognizers: false, teamsAiAuthentication: false, teamsAiPlanner: false, identity: false, spdy: false, httpDeceiver: false });
    // An application configured with sign-in gets teams-ai's real sign-in stack, dialogs and all.
    expect(result.constructed).toBe('yes');
    expect(result.afterSignInConfigured).toMatchObject({ dialogs: true, teamsAiAuthentication: true });
    // Nothing Node warns about at start (DEP0111 from spdy, DEP0040 from punycode on Node 22).
    expect(result.warningsAtStart).toEqual([]);
    // whatwg-url (node-fetch's, botbuilder's) still has punycode when it needs it.
    expect(result.internationalHost).toBe('xn--bcher-kva.example');
    // A restify server asked for spdy gets the real spdy.
    expect(result.spdyServer).toBe('yes');
    expect(result.afterSpdyServer).toMatchObject({ spdy: true, httpDeceiver: true });
  }, 90_000);
});
