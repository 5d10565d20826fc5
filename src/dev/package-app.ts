import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE, RgbaImage, decodeIcon } from './app-icons';
import { wantsChannelMessages, withChannelMessageAccess } from './channel-messages';

// `npm run package`: the Teams app package (manifest.json, color.png, outline.png at the zip root)
// from manifest/manifest.template.json, with the bot's ids and host taken from the environment.
// The manifest is validated offline against the JSON schema @microsoft/app-manifest bundles for
// its manifestVersion, read from node_modules: never fetched from developer.microsoft.com.

export const PACKAGE_FILE_NAME = 'lendos-release-bot.zip';
export const TEMPLATE_FILE_NAME = 'manifest.template.json';

/** What the template may contain as `${{NAME}}`. */
export type Placeholder = 'APP_ID' | 'APP_VERSION' | 'BOT_ID' | 'BOT_DOMAIN';
export type ManifestValues = Readonly<Record<Placeholder, string>>;
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly string[] };

/** A manifest as JSON: what the template holds and what goes into the zip. */
export type ManifestJson = { readonly [key: string]: unknown };

/**
 * The bot command menu limits Teams documents (10 commands a list, titles of 32 characters,
 * descriptions of 128), which the schemas enforced up to 1.20 (titles, descriptions) and 1.23
 * (count). Schema 1.30 allows 12 / 128 / 4000 (for Copilot prompts); we keep to the menu limits.
 */
export const COMMAND_MENU_LIMITS = { commands: 10, title: 32, description: 128 } as const;

/** Namespace of the name-based (v5) UUIDs that give a bot its default Teams app id. */
const APP_ID_NAMESPACE = 'e33eed23-bb6c-497c-8204-13a8cd5df595';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export const ENVIRONMENT_HELP = [
  'MICROSOFT_APP_ID  the bot\'s Microsoft App ID (a GUID), the same the bot runs with',
  'BOT_DOMAIN        the bot\'s public host, e.g. lendos-bot.azurewebsites.net (its messaging endpoint is https://<host>/api/messages)',
  'TEAMS_APP_ID      optional: the Teams app id (a GUID); default: one derived from MICROSOFT_APP_ID, the same every time',
  'TEAMS_RSC=1       optional, or --rsc: ask for ChannelMessage.Read.Group, so commands work in channels without @lendos',
];

/** The template's placeholder values from the environment; every missing or malformed one is a problem. */
export function manifestValuesFromEnv(env: Readonly<Record<string, string | undefined>>, appVersion: string): Checked<ManifestValues> {
  const problems: string[] = [];
  const botId = env.MICROSOFT_APP_ID?.trim() ?? '';
  if (botId === '') problems.push("MICROSOFT_APP_ID is not set: it is the bot's Microsoft App ID (a GUID).");
  else if (!GUID.test(botId)) problems.push(`MICROSOFT_APP_ID "${botId}" is not a GUID.`);

  const domainWritten = env.BOT_DOMAIN?.trim() ?? '';
  const domain = domainWritten === '' ? undefined : hostOf(domainWritten);
  if (domainWritten === '') problems.push("BOT_DOMAIN is not set: it is the bot's public host, e.g. lendos-bot.azurewebsites.net.");
  else if (domain === undefined) problems.push(`BOT_DOMAIN "${domainWritten}" is not a host name; write it like lendos-bot.azurewebsites.net.`);

  const appIdWritten = env.TEAMS_APP_ID?.trim() ?? '';
  if (appIdWritten !== '' && !GUID.test(appIdWritten)) problems.push(`TEAMS_APP_ID "${appIdWritten}" is not a GUID.`);

  if (!SEMVER.test(appVersion)) problems.push(`The version in package.json, "${appVersion}", is not MAJOR.MINOR.PATCH, which Teams requires.`);

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      BOT_ID: botId.toLowerCase(),
      APP_ID: (appIdWritten || defaultAppId(botId)).toLowerCase(),
      BOT_DOMAIN: domain!,
      APP_VERSION: appVersion,
    },
  };
}

/** The Teams app id a bot gets when none is given: stable across runs, so a new package updates the installed app. */
export function defaultAppId(botId: string): string {
  return uuidV5(botId.trim().toLowerCase(), APP_ID_NAMESPACE);
}

/** RFC 4122 name-based UUID (SHA-1, version 5). */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A host as written, or taken from a URL someone pasted (the messaging endpoint, say); undefined if neither. */
function hostOf(written: string): string | undefined {
  let host = written;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written)) {
    try {
      const url = new URL(written);
      if (url.port !== '') return undefined;
      host = url.hostname;
    } catch {
      return undefined;
    }
  }
  host = host.replace(/\/+$/, '');
  return HOST.test(host) ? host.toLowerCase() : undefined;
}

/** The template with every `${{NAME}}` replaced; a name without a value is a problem, not an empty string. */
export function fillTemplate(template: ManifestJson, values: ManifestValues): Checked<ManifestJson> {
  const unknown = new Set<string>();
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (written, name: string) => {
        if (Object.prototype.hasOwnProperty.call(values, name)) return values[name as Placeholder];
        unknown.add(name);
        return written;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fill(inner)]));
    }
    return value;
  };
  const filled = fill(template) as ManifestJson;
  if (unknown.size > 0) {
    return {
      ok: false,
      problems: [...unknown].map((name) => `The template uses \${{${name}}}, which has no value (known: ${Object.keys(values).sort().join(', ')}).`),
    };
  }
  return { ok: true, value: filled };
}

export interface ManifestValidator {
  readonly manifestVersion: string;
  /** The schema file it checks against, inside node_modules/@microsoft/app-manifest. */
  readonly schemaFile: string;
  /** Every way the manifest breaks the schema, as readable lines; [] when it conforms. */
  schemaErrors(manifest: ManifestJson): string[];
}

const SCHEMA_DIR = path.join('build', 'json-schemas', 'teams');

/** The folder holding the Teams manifest schemas @microsoft/app-manifest ships. */
export function bundledSchemaRoot(): string {
  return path.join(path.dirname(require.resolve('@microsoft/app-manifest/package.json')), SCHEMA_DIR);
}

/** The numbered Teams manifest schema versions the package ships, oldest first (vDevPreview is not one). */
export function bundledSchemaVersions(): readonly string[] {
  const root = bundledSchemaRoot();
  return readdirSync(root)
    .filter((entry) => /^v\d+\.\d+$/.test(entry) && existsSync(path.join(root, entry, 'MicrosoftTeams.schema.json')))
    .map((entry) => entry.slice(1))
    .sort((a, b) => compareVersions(a, b));
}

/**
 * A validator for one manifest version's bundled schema, or undefined when the package has none.
 * Compiled the way @microsoft/app-manifest's own AppManifestUtils.validateAgainstSchema does it
 * (Ajv for draft-04, all errors, the uri/email/regex formats); that function itself can't be used
 * here because the package's entry point requires an ES module (strip-bom 5), which jest can't load.
 */
export function createManifestValidator(manifestVersion: string): ManifestValidator | undefined {
  if (!/^\d+\.\d+$/.test(manifestVersion)) return undefined;
  const schemaFile = path.join(bundledSchemaRoot(), `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  if (!existsSync(schemaFile)) return undefined;
  // The same clean-up the package applies: "\a" and "\v" are not valid escapes in a unicode regex.
  const text = readFileSync(schemaFile, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(text) as { $schema?: string };
  if (!String(schema.$schema).includes('draft-04')) {
    throw new Error(`${schemaFile} is not a draft-04 JSON schema (it says ${schema.$schema}); teach package-app.ts its draft.`);
  }
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  return {
    manifestVersion,
    schemaFile,
    schemaErrors(manifest) {
      // A JSON round trip: what is checked is exactly what manifest.json will hold.
      if (validate(JSON.parse(JSON.stringify(manifest)))) return [];
      return (validate.errors ?? []).map(
        (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`,
      );
    },
  };
}

function compareVersions(a: string, b: string): number {
  const [aMajor, aMinor] = a.split('.').map(Number);
  const [bMajor, bMinor] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * Every problem with a filled manifest, [] when Teams will take it: its bundled JSON schema,
 * the command menu limits, and the ties between its parts (one bot id, icons at the zip root).
 * Pass a validator to check many manifests without compiling the schema each time.
 */
export function validateManifest(manifest: ManifestJson, validator?: ManifestValidator): string[] {
  const manifestVersion = String(manifest.manifestVersion ?? '');
  const schema = validator?.manifestVersion === manifestVersion ? validator : createManifestValidator(manifestVersion);
  if (!schema) {
    return [
      `manifestVersion "${manifestVersion}" has no schema in @microsoft/app-manifest ` +
        `(it ships ${bundledSchemaVersions().join(', ')}), so it can't be checked offline.`,
    ];
  }
  const problems: string[] = [];
  const expectedSchemaUrl = `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
  if (manifest.$schema !== expectedSchemaUrl) problems.push(`$schema should be ${expectedSchemaUrl} to match manifestVersion ${manifestVersion}.`);
  problems.push(...schema.schemaErrors(manifest).map((error) => `schema ${manifestVersion}: ${error}`));

  const bots = asArray(manifest.bots);
  bots.forEach((bot, b) => {
    asArray(asObject(bot).commandLists).forEach((list, l) => {
      const commands = asArray(asObject(list).commands);
      const where = `/bots/${b}/commandLists/${l}`;
      if (commands.length > COMMAND_MENU_LIMITS.commands) {
        problems.push(`${where} has ${commands.length} commands; a Teams command menu shows at most ${COMMAND_MENU_LIMITS.commands}.`);
      }
      commands.forEach((command, c) => {
        const { title, description } = asObject(command);
        if (typeof title === 'string' && title.length > COMMAND_MENU_LIMITS.title) {
          problems.push(`${where}/commands/${c}/title "${title}" is ${title.length} characters; the limit is ${COMMAND_MENU_LIMITS.title}.`);
        }
        if (typeof description === 'string' && description.length > COMMAND_MENU_LIMITS.description) {
          problems.push(`${where}/commands/${c}/description is ${description.length} characters; the limit is ${COMMAND_MENU_LIMITS.description}.`);
        }
      });
    });
  });

  const botIds = new Set(
    [...bots, ...asArray(manifest.composeExtensions)].map((part) => asObject(part).botId).filter((id) => typeof id === 'string'),
  );
  if (botIds.size > 1) problems.push("The bot and the message extension name different bot ids; both must be the bot's Microsoft App ID.");
  for (const icon of Object.values(asObject(manifest.icons))) {
    if (typeof icon === 'string' && (icon.includes('/') || icon.includes('\\'))) {
      problems.push(`Icon "${icon}" must be a file name: the package keeps its files at the zip root.`);
    }
  }
  return problems;
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export interface IconCheck {
  readonly problems: readonly string[];
  /** File name in the manifest → its bytes, for the icons that passed. */
  readonly files: ReadonlyMap<string, Buffer>;
}

/** The icons the manifest names: present, PNG, the size Teams wants; the outline icon white on transparent. */
export function checkIcons(manifest: ManifestJson, manifestDir: string): IconCheck {
  const icons = asObject(manifest.icons);
  const problems: string[] = [];
  const files = new Map<string, Buffer>();
  const wanted = [
    { key: 'color', size: COLOR_ICON_SIZE, outline: false },
    { key: 'outline', size: OUTLINE_ICON_SIZE, outline: true },
  ];
  for (const { key, size, outline } of wanted) {
    const name = icons[key];
    if (typeof name !== 'string') {
      problems.push(`icons.${key} is missing.`);
      continue;
    }
    const file = path.join(manifestDir, name);
    if (!existsSync(file)) {
      problems.push(`The ${key} icon ${file} does not exist.`);
      continue;
    }
    const bytes = readFileSync(file);
    const decoded = decodeIcon(bytes);
    if (!decoded.ok) {
      problems.push(`The ${key} icon ${name} ${decoded.problem}.`);
      continue;
    }
    const { width, height } = decoded.image;
    const before = problems.length;
    if (width !== size || height !== size) problems.push(`The ${key} icon ${name} is ${width}×${height}; Teams wants ${size}×${size}.`);
    if (outline) problems.push(...outlineProblems(decoded.image).map((problem) => `The outline icon ${name} ${problem}.`));
    if (problems.length === before) files.set(name, bytes);
  }
  return { problems, files };
}

/** Teams tints the outline icon itself: only white, on a transparent background. */
export function outlineProblems(image: RgbaImage): string[] {
  let coloured = 0;
  let transparent = 0;
  let visible = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    const [red, green, blue, alpha] = image.data.subarray(i, i + 4);
    if (alpha === 0) transparent++;
    else {
      visible++;
      if (red !== 255 || green !== 255 || blue !== 255) coloured++;
    }
  }
  const problems: string[] = [];
  if (coloured > 0) problems.push(`has ${coloured} pixel(s) that are not white; draw it in white only`);
  if (transparent === 0) problems.push('has no transparent pixels; its background must be transparent');
  if (visible === 0) problems.push('is fully transparent; draw the glyph in white');
  return problems;
}

export interface PackageOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where package.json and manifest/ are. Default: this repository. */
  readonly root?: string;
  /** Default: <root>/manifest. */
  readonly manifestDir?: string;
  /** Default: <root>/appPackage. */
  readonly outDir?: string;
  /** Default: the version in <root>/package.json. */
  readonly appVersion?: string;
  /** Ask for the RSC permission ChannelMessage.Read.Group (src/dev/channel-messages.ts). Default: off. */
  readonly channelMessages?: boolean;
}

export interface AppPackage {
  readonly zipPath: string;
  readonly manifest: ManifestJson;
  readonly values: ManifestValues;
}

/** Fill, validate, check the icons, zip. Nothing is written unless everything passed. */
export function packageApp(options: PackageOptions): Checked<AppPackage> {
  const root = options.root ?? defaultProjectRoot();
  const manifestDir = options.manifestDir ?? path.join(root, 'manifest');
  const outDir = options.outDir ?? path.join(root, 'appPackage');
  const appVersion = options.appVersion ?? readPackageVersion(root);

  const values = manifestValuesFromEnv(options.env, appVersion);
  if (!values.ok) return values;
  const template = JSON.parse(readFileSync(path.join(manifestDir, TEMPLATE_FILE_NAME), 'utf8')) as ManifestJson;
  const filled = fillTemplate(template, values.value);
  if (!filled.ok) return filled;
  const manifest = options.channelMessages ? withChannelMessageAccess(filled.value, values.value.BOT_ID) : filled.value;

  const icons = checkIcons(manifest, manifestDir);
  const problems = [...validateManifest(manifest), ...icons.problems];
  if (problems.length > 0) return { ok: false, problems };

  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
  for (const [name, bytes] of icons.files) zip.addFile(name, bytes);
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, PACKAGE_FILE_NAME);
  zip.writeZip(zipPath);
  return { ok: true, value: { zipPath, manifest, values: values.value } };
}

/** The repository root, whether running from src/ (jest) or dist/src/ (npm run package). */
export function defaultProjectRoot(): string {
  const candidates = [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..', '..', '..')];
  return candidates.find((dir) => existsSync(path.join(dir, 'manifest', TEMPLATE_FILE_NAME))) ?? candidates[0];
}

function readPackageVersion(root: string): string {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '';
}

function main(): void {
  const channelMessages = wantsChannelMessages(process.argv.slice(2), process.env);
  const result = packageApp({ env: process.env, channelMessages });
  if (!result.ok) {
    process.stderr.write(
      `Can't package the Teams app:\n${result.problems.map((problem) => `  - ${problem}`).join('\n')}\n\n` +
        `Environment:\n${ENVIRONMENT_HELP.map((line) => `  ${line}`).join('\n')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const { zipPath, values } = result.value;
  process.stdout.write(
    `${zipPath}\n` +
      `  Teams app ${values.APP_ID} v${values.APP_VERSION}, bot ${values.BOT_ID}, domain ${values.BOT_DOMAIN}\n` +
      (channelMessages ? '  With ChannelMessage.Read.Group: in channels, commands work without @lendos.\n' : '') +
      `  Upload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center.\n`,
  );
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
