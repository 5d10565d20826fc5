import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CARD_ROUTE_TABLES, COMMAND_ROUTE_TABLES, DIALOG_ROUTE_TABLES, cardRoute, dialogRoutes } from '../../src/teams/routes/all-routes';

// The routing tables apart from their handlers (none runs here): every command kind the parser
// produces, every verb a card carries and every message-extension command of the manifest is routed
// by exactly one feature's table, and nothing else is. What a click on an unknown verb gets over HTTP
// is in test/teams/malformed-invokes.test.ts.

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * The `name`s of the ParsedCommand union, read from its source: the members written out in the union,
 * and those it names (`| FreezeCommand`), each read from the interface of that name in src/commands.
 */
function parsedCommandKinds(): string[] {
  const source = read('src/commands/parse-command.ts');
  const start = source.indexOf('export type ParsedCommand =');
  const end = source.indexOf('\nexport ', start + 1);
  expect(start).toBeGreaterThan(-1);
  const union = source.slice(start, end);
  const written = [...union.matchAll(/readonly name: '(\w+)'/g)].map((match) => match[1]!);
  const commandSources = readdirSync(path.join(ROOT, 'src', 'commands')).filter((file) => file.endsWith('.ts')).map((file) => read(`src/commands/${file}`));
  const named = [...union.matchAll(/^\s*\|\s*([A-Z]\w*)\s*$/gm)].map((match) => {
    const declaration = commandSources.map((text) => new RegExp(`export interface ${match[1]} \\{[^}]*?readonly name: '(\\w+)'`).exec(text)).find(Boolean);
    expect(declaration).toBeTruthy();
    return declaration![1]!;
  });
  return [...new Set([...written, ...named])].sort();
}

/** Verbs written into the card templates, and those the card builders in src/cards put into a button's data. */
function cardVerbs(): string[] {
  const templates = readdirSync(path.join(ROOT, 'cards')).filter((file) => file.endsWith('.json'));
  const fromTemplates = templates.flatMap((file) => [...read(`cards/${file}`).matchAll(/"verb"\s*:\s*"(\w+)"/g)].map((match) => match[1]!));
  const builders = readdirSync(path.join(ROOT, 'src', 'cards')).filter((file) => file.endsWith('.ts') && file !== 'card-data.ts');
  const fromBuilders = builders.flatMap((file) => [...read(`src/cards/${file}`).matchAll(/\bverb: '(\w+)'/g)].map((match) => match[1]!));
  return [...new Set([...fromTemplates, ...fromBuilders])].sort();
}

/** Each key of the tables with the tables (features) that route it. */
function routedBy(tables: Readonly<Record<string, object>>): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const [feature, table] of Object.entries(tables)) for (const key of Object.keys(table)) by.set(key, [...(by.get(key) ?? []), feature]);
  return by;
}

const routedMoreThanOnce = (by: Map<string, string[]>) => [...by].filter(([, features]) => features.length > 1);

describe('routing tables', () => {
  test('every parsed command kind is routed by exactly one feature, and no table routes a kind the parser never produces', () => {
    const kinds = parsedCommandKinds();
    expect(kinds).toEqual(expect.arrayContaining(['approve', 'schedule', 'scheduleForm', 'confirmOnCall', 'lock', 'freeze', 'away', 'register', 'status', 'help']));
    const by = routedBy(COMMAND_ROUTE_TABLES);
    expect(routedMoreThanOnce(by)).toEqual([]);
    expect([...by.keys()].sort()).toEqual(kinds);
  });

  test('every verb the cards carry is routed by exactly one feature, and every routed verb is one a card carries', () => {
    const verbs = cardVerbs();
    expect(verbs).toEqual(expect.arrayContaining(['approve', 'promote', 'startDeploy', 'confirmOnCall', 'scheduleDeploy', 'rescheduleDeploy']));
    const by = routedBy(CARD_ROUTE_TABLES);
    expect(routedMoreThanOnce(by)).toEqual([]);
    expect([...by.keys()].sort()).toEqual(verbs);
    for (const verb of verbs) expect(cardRoute(verb)).toBe(CARD_ROUTE_TABLES[by.get(verb)![0]!]![verb]);
  });

  test('a verb no card carries finds no route, not even a name every object has', () => {
    for (const verb of ['approveAll', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(cardRoute(verb)).toBeUndefined();
  });

  test("every message-extension command of the manifest opens a dialog routed by exactly one feature", () => {
    const manifest = JSON.parse(read('manifest/manifest.template.json')) as { composeExtensions?: Array<{ commands?: Array<{ id: string }> }> };
    const ids = (manifest.composeExtensions ?? []).flatMap((extension) => (extension.commands ?? []).map((command) => command.id)).sort();
    expect(ids).toEqual(['scheduleDeploy']);
    const by = routedBy(DIALOG_ROUTE_TABLES);
    expect(routedMoreThanOnce(by)).toEqual([]);
    expect([...by.keys()].sort()).toEqual(ids);
    expect([...dialogRoutes().keys()].sort()).toEqual(ids);
  });
});
