import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { CommandName, formatUsage, parseCommand } from '../../src/commands/parse-command';
import { dialogRoutes } from '../../src/teams/routes/all-routes';
import { PNG } from 'pngjs';
import { ACCENT_COLOR, RgbaImage, drawColorIcon, drawOutlineIcon, encodeIcon } from '../../src/dev/app-icons';
import {
  COMMAND_MENU_LIMITS,
  ManifestJson,
  ManifestValues,
  PACKAGE_FILE_NAME,
  bundledSchemaVersions,
  checkIcons,
  defaultAppId,
  fillTemplate,
  createManifestValidator,
  manifestValuesFromEnv,
  outlineProblems,
  packageApp,
  uuidV5,
  validateManifest,
} from '../../src/dev/package-app';
import { wantsChannelMessages } from '../../src/dev/channel-messages';
import { OPTIONS } from '../commands/fixtures';

// The Teams app package: the manifest checked offline against the schema @microsoft/app-manifest
// bundles, its command menu against the parser people's messages go through, the icons by their
// pixels, and `npm run package` run in-process into a temporary folder.

const ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST_DIR = path.join(ROOT, 'manifest');
const TEMPLATE: ManifestJson = JSON.parse(readFileSync(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'));
const BOT_ID = '0b8f3c1e-5a4d-4e7b-9c2a-6d1f0e3b7a95';
const ENV = { MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: 'lendos-bot.azurewebsites.net' };

function values(): ManifestValues {
  const result = manifestValuesFromEnv(ENV, '0.1.0');
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.value;
}

function filled(): ManifestJson {
  const result = fillTemplate(TEMPLATE, values());
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.value;
}

/** A deep copy to break on purpose. */
function editable(): any {
  return JSON.parse(JSON.stringify(filled()));
}

interface MenuCommand {
  readonly title: string;
  readonly description?: string;
}
interface CommandList {
  readonly scopes: readonly string[];
  readonly commands: readonly MenuCommand[];
}
const bot = (manifest: ManifestJson) => (manifest.bots as any[])[0] as { scopes: string[]; botId: string; commandLists: CommandList[] };

/** Compiled once: each compile of the 127 KB schema takes about half a second. */
const validator = createManifestValidator('1.30')!;
const check = (manifest: ManifestJson) => validateManifest(manifest, validator);

let fetchSpy: jest.SpyInstance;
beforeEach(() => {
  // Validation is offline: nothing may reach for developer.microsoft.com.
  fetchSpy = jest.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in this test'));
});
afterEach(() => fetchSpy.mockRestore());

describe('the manifest template', () => {
  it('targets the newest Teams manifest schema @microsoft/app-manifest bundles, and that schema is on disk', () => {
    const versions = bundledSchemaVersions();
    expect(TEMPLATE.manifestVersion).toBe(versions[versions.length - 1]);
    expect(TEMPLATE.manifestVersion).toBe('1.30');
    expect(createManifestValidator('1.30')?.schemaFile).toMatch(/node_modules[\\/]@microsoft[\\/]app-manifest[\\/]build[\\/]json-schemas[\\/]teams[\\/]v1\.30[\\/]MicrosoftTeams\.schema\.json$/);
    expect(TEMPLATE.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
  });

  it('filled from the environment, passes the bundled schema and the command menu limits, offline', () => {
    expect(check(filled())).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('leaves no placeholder behind and puts every value where it belongs', () => {
    const manifest = filled();
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest).toMatchObject({
      id: defaultAppId(BOT_ID),
      version: '0.1.0',
      validDomains: ['lendos-bot.azurewebsites.net'],
      name: { short: 'LendOS Release Bot' },
      accentColor: ACCENT_COLOR,
      icons: { color: 'color.png', outline: 'outline.png' },
    });
    expect(bot(manifest).botId).toBe(BOT_ID);
    expect((manifest.composeExtensions as any[])[0].botId).toBe(BOT_ID);
  });

  it('offers the bot in channels, group chats and personal chat, with one command list per scope', () => {
    const manifest = filled();
    expect([...bot(manifest).scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    const listScopes = bot(manifest).commandLists.flatMap((list) => list.scopes);
    expect([...listScopes].sort()).toEqual(['groupChat', 'personal', 'team']);
  });

  it('has the "Schedule deploy" action the bot answers with a dialog (routes.ts registers its fetchTask and submitAction)', () => {
    const commands = (filled().composeExtensions as any[])[0].commands;
    expect(commands).toEqual([
      expect.objectContaining({ id: 'scheduleDeploy', type: 'action', title: 'Schedule deploy', fetchTask: true }),
    ]);
    expect(commands[0].context).toEqual(expect.arrayContaining(['compose', 'commandBox', 'message']));
    // routes.ts registers fetchTask and submitAction for every dialog of the routing tables.
    expect([...dialogRoutes().keys()].sort()).toEqual(commands.map((command: { id: string }) => command.id).sort());
  });
});

describe('the command menu against the parser', () => {
  const lists = bot(filled()).commandLists;
  const entries = lists.flatMap((list) => list.commands.map((command) => [list.scopes.join('+'), command.title, command] as const));

  it.each(entries)('%s: "%s" is a command the parser knows (complete, or asking for its own arguments)', (_scope, title) => {
    const word = title.split(' ')[0] as CommandName;
    const result = parseCommand(title, OPTIONS);
    if (result.ok) return;
    // "approve" alone: the approve usage, not "unknown command" or a typo suggestion.
    expect(result).toMatchObject({ command: word, usage: formatUsage(word) });
    expect(result.suggestion).toBeUndefined();
  });

  const examples = entries
    .filter(([, , command]) => command.description?.includes('Example: '))
    .map(([scope, title, command]) => [scope, title, command.description!.split('Example: ')[1]] as const);

  it.each(examples)('%s: the example under "%s" parses: %s', (_scope, title, example) => {
    expect(example.split(' ')[0]).toBe(title.split(' ')[0]);
    const result = parseCommand(example, OPTIONS);
    expect(result.ok ? 'ok' : result.error).toBe('ok');
  });

  it('covers every command of the runbook somewhere', () => {
    const words = new Set(entries.map(([, title]) => title.split(' ')[0]));
    for (const name of ['rc', 'qa', 'approve', 'reject', 'revoke', 'promote', 'schedule', 'confirm', 'start', 'ready', 'stable', 'smoke', 'live', 'abort', 'bug', 'lock', 'freeze', 'status', 'history', 'evidence', 'metrics', 'help', 'away']) {
      expect(words).toContain(name);
    }
  });

  it('offers in channels the window commands typed in the release thread, beside approve, lock, freeze, bug, status and help', () => {
    const team = lists.find((list) => list.scopes.includes('team'))!;
    // ready and stable are the tracker's buttons (and in the group-chat menu); lock and freeze are typed in channels.
    expect(team.commands.map((command) => command.title)).toEqual(['approve', 'start', 'smoke', 'live', 'abort', 'lock', 'freeze', 'bug', 'status', 'help']);
    // What is left out of the channel menu is a button on the card or the message extension, and in help.
    const rc = readFileSync(path.join(ROOT, 'cards', 'rc.json'), 'utf8');
    for (const verb of ['reject', 'revoke', 'promote']) expect(rc).toContain(`"verb": "${verb}"`);
    for (const verb of ['readyDeploy', 'stableDeploy']) expect(readFileSync(path.join(ROOT, 'cards', 'tracker.json'), 'utf8')).toContain(`"verb": "${verb}"`);
    expect((filled().composeExtensions as any[])[0].commands[0].id).toBe('scheduleDeploy');
  });

  it('keeps within the menu limits Teams documents (10 commands, 32-character titles, 128-character descriptions)', () => {
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(COMMAND_MENU_LIMITS.commands);
      for (const command of list.commands) {
        expect(command.title.length).toBeLessThanOrEqual(COMMAND_MENU_LIMITS.title);
        expect((command.description ?? '').length).toBeLessThanOrEqual(COMMAND_MENU_LIMITS.description);
      }
      expect(new Set(list.commands.map((command) => command.title)).size).toBe(list.commands.length);
    }
  });
});

describe('a broken manifest fails validation', () => {
  const commands = (count: number) => Array.from({ length: count }, (_, i) => ({ title: `status`, description: `status ${i}` }));

  it('without a bot id: the schema wants botId', () => {
    const manifest = editable();
    delete manifest.bots[0].botId;
    expect(check(manifest)).toEqual([expect.stringMatching(/^schema 1\.30: \/bots\/0 must have required property 'botId'/)]);
  });

  it('with a bot id that is not a GUID', () => {
    const manifest = editable();
    manifest.bots[0].botId = 'lendos';
    expect(check(manifest)).toContainEqual(expect.stringMatching(/^schema 1\.30: \/bots\/0\/botId must match pattern/));
  });

  it('with 11 commands in a list: schema 1.30 allows 12, the Teams command menu 10', () => {
    const manifest = editable();
    manifest.bots[0].commandLists[0].commands = commands(11);
    expect(check(manifest)).toEqual(['/bots/0/commandLists/0 has 11 commands; a Teams command menu shows at most 10.']);
  });

  it('with 13 commands in a list: past the schema too', () => {
    const manifest = editable();
    manifest.bots[0].commandLists[0].commands = commands(13);
    const problems = check(manifest);
    expect(problems).toContainEqual(expect.stringMatching(/^schema 1\.30: \/bots\/0\/commandLists\/0\/commands must NOT have more than 12 items/));
    expect(problems).toContain('/bots/0/commandLists/0 has 13 commands; a Teams command menu shows at most 10.');
  });

  it('with a title too long for the menu', () => {
    const manifest = editable();
    manifest.bots[0].commandLists[1].commands[0].title = 'confirm on-call for the deployment';
    expect(check(manifest)).toEqual([
      '/bots/0/commandLists/1/commands/0/title "confirm on-call for the deployment" is 34 characters; the limit is 32.',
    ]);
  });

  it('with a property the schema does not know, a bad accent colour, or a manifestVersion nothing bundles', () => {
    const manifest = editable();
    manifest.bots[0].commandList = [];
    manifest.accentColor = 'navy';
    const problems = check(manifest);
    expect(problems).toContainEqual(expect.stringMatching(/^schema 1\.30: \/bots\/0 must NOT have additional properties.*commandList"/));
    expect(problems).toContainEqual(expect.stringMatching(/^schema 1\.30: \/accentColor must match pattern/));

    expect(check({ ...filled(), manifestVersion: '9.9' })).toEqual([
      expect.stringMatching(/^manifestVersion "9\.9" has no schema in @microsoft\/app-manifest \(it ships 1\.0, 1\.1, .*1\.30\)/),
    ]);
  });

  it('with the message extension on another bot id', () => {
    const manifest = editable();
    manifest.composeExtensions[0].botId = '11111111-2222-4333-8444-555555555555';
    expect(check(manifest)).toEqual([
      "The bot and the message extension name different bot ids; both must be the bot's Microsoft App ID.",
    ]);
  });
});

describe('placeholder values from the environment', () => {
  it('refuses without MICROSOFT_APP_ID and BOT_DOMAIN, naming both', () => {
    expect(manifestValuesFromEnv({}, '0.1.0')).toEqual({
      ok: false,
      problems: [
        "MICROSOFT_APP_ID is not set: it is the bot's Microsoft App ID (a GUID).",
        "BOT_DOMAIN is not set: it is the bot's public host, e.g. lendos-bot.azurewebsites.net.",
      ],
    });
  });

  it('refuses malformed values and a version Teams would not take', () => {
    const result = manifestValuesFromEnv({ MICROSOFT_APP_ID: 'lendos', BOT_DOMAIN: 'not a host', TEAMS_APP_ID: '42' }, '0.1.0-beta.1');
    expect(result.ok ? [] : result.problems).toEqual([
      'MICROSOFT_APP_ID "lendos" is not a GUID.',
      'BOT_DOMAIN "not a host" is not a host name; write it like lendos-bot.azurewebsites.net.',
      'TEAMS_APP_ID "42" is not a GUID.',
      'The version in package.json, "0.1.0-beta.1", is not MAJOR.MINOR.PATCH, which Teams requires.',
    ]);
  });

  it('takes the host out of a pasted URL', () => {
    const result = manifestValuesFromEnv({ ...ENV, BOT_DOMAIN: 'https://Lendos-Bot.azurewebsites.net/api/messages' }, '0.1.0');
    expect(result.ok && result.value.BOT_DOMAIN).toBe('lendos-bot.azurewebsites.net');
    expect(manifestValuesFromEnv({ ...ENV, BOT_DOMAIN: 'https://localhost:3978/' }, '0.1.0').ok).toBe(false);
  });

  it('derives the Teams app id from the bot id: a stable v5 UUID, not the bot id itself; TEAMS_APP_ID wins', () => {
    const appId = values().APP_ID;
    expect(appId).toBe(defaultAppId(BOT_ID.toUpperCase()));
    expect(appId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(appId).not.toBe(BOT_ID);
    expect(defaultAppId('1b8f3c1e-5a4d-4e7b-9c2a-6d1f0e3b7a95')).not.toBe(appId);
    const given = manifestValuesFromEnv({ ...ENV, TEAMS_APP_ID: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' }, '0.1.0');
    expect(given.ok && given.value.APP_ID).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  it('computes RFC 4122 version 5 UUIDs (the RFC namespace test vector)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('refuses a template placeholder that has no value', () => {
    expect(fillTemplate({ id: '${{APP_ID}}', name: { short: '${{APP_NAME}}' } }, values())).toEqual({
      ok: false,
      problems: ['The template uses ${{APP_NAME}}, which has no value (known: APP_ID, APP_VERSION, BOT_DOMAIN, BOT_ID).'],
    });
  });
});

describe('icons', () => {
  // Read with pngjs directly, not through the code under test, so a decoder bug cannot hide an icon's.
  const read = (name: string): RgbaImage => PNG.sync.read(readFileSync(path.join(MANIFEST_DIR, name)));
  const pixel = (image: RgbaImage, x: number, y: number) => [...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)];
  const share = (image: RgbaImage, rgba: readonly number[]) =>
    Array.from({ length: image.width * image.height }, (_, i) => pixel(image, i % image.width, Math.floor(i / image.width))).filter(
      (value) => value.every((channel, c) => channel === rgba[c]),
    ).length /
    (image.width * image.height);

  it('color.png is 192×192 and opaque: a white rocket with an amber flame on the accent colour', () => {
    const color = read('color.png');
    expect([color.width, color.height]).toEqual([192, 192]);
    for (let i = 3; i < color.data.length; i += 4) if (color.data[i] !== 255) throw new Error(`pixel ${(i - 3) / 4} is not opaque`);
    const accent = [0x1b, 0x4f, 0x8a, 255];
    for (const [x, y] of [[0, 0], [191, 0], [0, 191], [191, 191]]) expect(pixel(color, x, y)).toEqual(accent);
    expect(pixel(color, 96, 105)).toEqual([255, 255, 255, 255]); // the hull
    expect(pixel(color, 96, 77)).toEqual(accent); // the porthole shows the background
    expect(pixel(color, 96, 153)).toEqual([0xf5, 0xa6, 0x23, 255]); // the flame
    expect(share(color, [255, 255, 255, 255])).toBeGreaterThan(0.1);
    expect(share(color, [0xf5, 0xa6, 0x23, 255])).toBeGreaterThan(0.005);
  });

  it('outline.png is 32×32, white only, on a fully transparent background', () => {
    const outline = read('outline.png');
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outlineProblems(outline)).toEqual([]);
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31], [16, 1]]) expect(pixel(outline, x, y)[3]).toBe(0);
    expect(pixel(outline, 16, 16)).toEqual([255, 255, 255, 255]); // the rocket's body
    const visible = Array.from({ length: 32 * 32 }, (_, i) => outline.data[i * 4 + 3]).filter((alpha) => alpha > 0).length;
    expect(visible).toBeGreaterThan(32 * 32 * 0.1);
  });

  it('the committed PNGs are the drawing in src/dev/app-icons.ts (regenerate: npm run build && node dist/src/dev/app-icons.js)', () => {
    const same = (a: RgbaImage, b: RgbaImage) => a.width === b.width && a.height === b.height && Buffer.from(a.data).equals(Buffer.from(b.data));
    expect(same(read('color.png'), drawColorIcon())).toBe(true);
    expect(same(read('outline.png'), drawOutlineIcon())).toBe(true);
  });

  it('the outline check catches a coloured glyph and an opaque background', () => {
    const image = drawOutlineIcon();
    const tinted = { ...image, data: Uint8Array.from(image.data) };
    tinted.data.set([0x1b, 0x4f, 0x8a, 255], (16 * 32 + 16) * 4);
    expect(outlineProblems(tinted)).toEqual(['has 1 pixel(s) that are not white; draw it in white only']);
    const opaque = { ...image, data: image.data.map((value, i) => (i % 4 === 3 ? 255 : value)) };
    expect(outlineProblems(opaque)).toEqual(['has no transparent pixels; its background must be transparent']);
  });

  it('checkIcons refuses swapped, missing and non-PNG icons', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-icons-'));
    try {
      copyFileSync(path.join(MANIFEST_DIR, 'outline.png'), path.join(dir, 'color.png'));
      copyFileSync(path.join(MANIFEST_DIR, 'color.png'), path.join(dir, 'outline.png'));
      expect(checkIcons(filled(), dir).problems).toEqual([
        'The color icon color.png is 32×32; Teams wants 192×192.',
        'The outline icon outline.png is 192×192; Teams wants 32×32.',
        expect.stringMatching(/^The outline icon outline\.png has \d+ pixel\(s\) that are not white; draw it in white only\.$/),
        'The outline icon outline.png has no transparent pixels; its background must be transparent.',
      ]);
      writeFileSync(path.join(dir, 'color.png'), 'not a png');
      rmSync(path.join(dir, 'outline.png'));
      expect(checkIcons(filled(), dir).problems).toEqual([
        'The color icon color.png is not a PNG file.',
        `The outline icon ${path.join(dir, 'outline.png')} does not exist.`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checkIcons refuses a corrupt or cut-off icon', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-icons-'));
    try {
      const corrupt = readFileSync(path.join(MANIFEST_DIR, 'color.png'));
      corrupt[40] ^= 0xff;
      writeFileSync(path.join(dir, 'color.png'), corrupt);
      writeFileSync(path.join(dir, 'outline.png'), readFileSync(path.join(MANIFEST_DIR, 'outline.png')).subarray(0, 100));
      expect(checkIcons(filled(), dir)).toEqual({
        problems: ['color.png', 'outline.png'].map(
          (name, i) =>
            `The ${i === 0 ? 'color' : 'outline'} icon ${name} cannot be read: it is truncated or corrupt, or uses a PNG feature pngjs does not support; export it again as 8-bit RGBA.`,
        ),
        files: new Map(),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checkIcons takes a designer's PNG in another flavour (RGB without alpha, 16-bit gray with alpha) and packages it as is", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lendos-icons-'));
    try {
      const rgb = new PNG({ width: 192, height: 192 });
      rgb.data.set(drawColorIcon().data);
      const color = PNG.sync.write(rgb, { colorType: 2, inputColorType: 6, bitDepth: 8 });
      const gray16 = new PNG({ width: 32, height: 32 }); // 2 samples of 16 bits a pixel fill its 4 bytes
      const samples = new Uint16Array(gray16.data.buffer, gray16.data.byteOffset, 32 * 32 * 2);
      drawOutlineIcon().data.forEach((value, i) => {
        if (i % 4 === 3) samples.set([65535, value * 257], ((i - 3) / 4) * 2);
      });
      const outline = PNG.sync.write(gray16, { colorType: 4, inputColorType: 4, bitDepth: 16 });
      expect(PNG.sync.read(outline)).toMatchObject({ colorType: 4, depth: 16 });
      expect(PNG.sync.read(color)).toMatchObject({ colorType: 2, depth: 8 });
      writeFileSync(path.join(dir, 'color.png'), color);
      writeFileSync(path.join(dir, 'outline.png'), outline);
      expect(checkIcons(filled(), dir)).toEqual({ problems: [], files: new Map([['color.png', color], ['outline.png', outline]]) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Pixels, not bytes: zlib's output may differ between machines (its SIMD paths hash differently).
  it('encodeIcon writes 8-bit RGBA, not interlaced, that reads back as the same pixels', () => {
    for (const image of [drawColorIcon(), drawOutlineIcon()]) {
      const decoded = PNG.sync.read(encodeIcon(image));
      expect([decoded.width, decoded.height, decoded.colorType, decoded.depth, decoded.interlace]).toEqual([image.width, image.height, 6, 8, false]);
      expect(Buffer.from(decoded.data).equals(Buffer.from(image.data))).toBe(true);
    }
  });
});

describe('npm run package (in-process)', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'lendos-package-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  it('writes a zip with manifest.json, color.png and outline.png at its root', () => {
    const result = packageApp({ env: ENV, outDir });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.value.zipPath).toBe(path.join(outDir, PACKAGE_FILE_NAME));

    const zip = new AdmZip(result.value.zipPath);
    expect(zip.getEntries().map((entry) => entry.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(zip.readAsText('manifest.json'));
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ version, id: defaultAppId(BOT_ID), validDomains: [ENV.BOT_DOMAIN] });
    expect(check(manifest)).toEqual([]);
    expect(zip.readFile('color.png')).toEqual(readFileSync(path.join(MANIFEST_DIR, 'color.png')));
    expect(zip.readFile('outline.png')).toEqual(readFileSync(path.join(MANIFEST_DIR, 'outline.png')));
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('refuses without the environment and writes nothing', () => {
    const result = packageApp({ env: { BOT_DOMAIN: ENV.BOT_DOMAIN }, outDir });
    expect(result).toEqual({ ok: false, problems: ["MICROSOFT_APP_ID is not set: it is the bot's Microsoft App ID (a GUID)."] });
    expect(existsSync(path.join(outDir, PACKAGE_FILE_NAME))).toBe(false);
  });
});

describe('channel messages without @lendos (RSC, a packaging option)', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'lendos-package-'));
  });
  afterEach(() => rmSync(outDir, { recursive: true, force: true }));

  const packaged = (channelMessages?: boolean) => {
    const result = packageApp({ env: ENV, outDir, ...(channelMessages === undefined ? {} : { channelMessages }) });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    return JSON.parse(new AdmZip(result.value.zipPath).readAsText('manifest.json'));
  };

  it('is off by default: the package asks for no permission, so Teams delivers only messages that mention the bot', () => {
    const manifest = packaged();
    expect(manifest.authorization).toBeUndefined();
    expect(manifest.webApplicationInfo).toBeUndefined();
  });

  it('on, asks for ChannelMessage.Read.Group for the bot\'s own Entra app, and still passes the schema', () => {
    const manifest = packaged(true);
    expect(manifest.authorization).toEqual({ permissions: { resourceSpecific: [{ name: 'ChannelMessage.Read.Group', type: 'Application' }] } });
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://botid-${BOT_ID}` });
    expect(check(manifest)).toEqual([]);
  });

  it('is turned on by `npm run package -- --rsc` or TEAMS_RSC=1, and by nothing else', () => {
    expect(wantsChannelMessages(['--rsc'], {})).toBe(true);
    expect(wantsChannelMessages([], { TEAMS_RSC: '1' })).toBe(true);
    expect(wantsChannelMessages([], { TEAMS_RSC: 'true' })).toBe(true);
    expect(wantsChannelMessages([], {})).toBe(false);
    expect(wantsChannelMessages([], { TEAMS_RSC: '0' })).toBe(false);
    expect(wantsChannelMessages(['--rsc=no'], {})).toBe(false);
  });
});

