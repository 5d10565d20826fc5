import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';

// Reading the Microsoft 365 Agents Toolkit project the way the toolkit does: the YAML files
// checked with its published schema (Ajv, as its own validator compiles it), env/.env.<name>
// files, `${{NAME}}` placeholders, and the variables the bot reads, found in its sources.

export const ROOT = path.resolve(__dirname, '..', '..');
export const SCHEMA_VERSION = 'v1.11';
export const SCHEMA_URL = `https://aka.ms/m365-agents-toolkits/${SCHEMA_VERSION}/yaml.schema.json`;

export function readRepoFile(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

/** The toolkit's YAML validator for SCHEMA_VERSION, set up as @microsoft/teamsfx-core's Validator does. */
export function toolkitYamlValidator(): ValidateFunction {
  const ajv = new Ajv({ allowUnionTypes: true });
  ajv.addKeyword('deprecationMessage');
  return ajv.compile(JSON.parse(readRepoFile(`test/agents-toolkit/schema/${SCHEMA_VERSION}/yaml.schema.json`)));
}

export interface ToolkitAction {
  readonly uses: string;
  readonly name?: string;
  readonly with?: Record<string, unknown>;
  readonly writeToEnvironmentFile?: Record<string, string>;
}

export interface ToolkitProject {
  readonly version: string;
  readonly environmentFolderPath?: string;
  readonly provision?: readonly ToolkitAction[];
  readonly deploy?: readonly ToolkitAction[];
  readonly publish?: readonly ToolkitAction[];
}

export function readToolkitYaml(relative: string): ToolkitProject {
  return parseYaml(readRepoFile(relative)) as ToolkitProject;
}

export interface EnvFile {
  /** `NAME=value` lines (value may be empty). */
  readonly assigned: ReadonlyMap<string, string>;
  /** Names written as `# NAME=…`: listed, not set. */
  readonly commented: ReadonlySet<string>;
}

/** An env/.env.<name> file as the toolkit (and dotenv) reads it, plus the names listed in comments. */
export function parseEnvFile(text: string): EnvFile {
  const assigned = new Map<string, string>();
  const commented = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const listed = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (listed) commented.add(listed[1]!);
    const set = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (set) assigned.set(set[1]!, set[2]!.trim());
  }
  return { assigned, commented };
}

export function readEnvFile(name: string): EnvFile {
  return parseEnvFile(readRepoFile(path.join('env', `.env.${name}`)));
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Every `${{NAME}}` in a value (strings anywhere inside objects and arrays). */
export function placeholdersIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') for (const match of v.matchAll(PLACEHOLDER)) found.push(match[1]!);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return found;
}

/** `value` with each `${{NAME}}` replaced from `values`; a name without one stays as written. */
export function fillPlaceholders(value: string, values: ReadonlyMap<string, string>): string {
  return value.replace(PLACEHOLDER, (written, name: string) => values.get(name) || written);
}

const ENV_READS = [
  /\benv\??\.([A-Z][A-Z0-9_]+)\b/g, // env.NAME, process.env.NAME, env?.NAME
  /\benv\[\s*['"]([A-Z][A-Z0-9_]+)['"]\s*\]/g, // env['NAME']
  /\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]+)['"]/g, // envText(env, 'NAME'), flag(env, 'NAME')
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * The environment variables the bot (`npm run serve`, dist/src/main.js) reads: every read in src/
 * outside src/dev/ (the developer tools: npm start, npm run package), plus the keys of the
 * startup schema in src/startup.ts, which zod reads from the environment.
 */
export function variablesTheBotReads(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    if (path.relative(path.join(ROOT, 'src'), file).split(path.sep)[0] === 'dev') continue;
    const text = readFileSync(file, 'utf8');
    for (const pattern of ENV_READS) for (const match of text.matchAll(pattern)) names.add(match[1]!);
  }
  const startup = readRepoFile('src/startup.ts');
  const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(startup);
  if (!schema) throw new Error('src/startup.ts: envSchema = z.object({ … }) not found');
  for (const match of schema[1]!.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)) names.add(match[1]!);
  return [...names].sort();
}

/** JSON with `//` line comments (VS Code's launch.json and tasks.json allow them). */
export function readJsonc<T>(relative: string): T {
  const text = readRepoFile(relative)
    .split('\n')
    .map((line) => line.replace(/^(\s*)\/\/.*$/, '$1'))
    .join('\n');
  return JSON.parse(text) as T;
}
