import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INFRA_DIR } from './bicep-hash';

// Reading infra/main.json (ARM) and infra/main.bicep for the infra tests, plus the few pieces of
// ARM expression handling they need: split call arguments, find calls, and name a resource by the
// `resourceId(...)` expression other resources use to point at it.

export const REPO_DIR = path.resolve(INFRA_DIR, '..');

export interface ArmParameter {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly allowedValues?: readonly unknown[];
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minValue?: number;
  readonly maxValue?: number;
}

export interface ArmResource {
  readonly type: string;
  readonly apiVersion: string;
  readonly name: string;
  readonly scope?: string;
  readonly location?: string;
  readonly kind?: string;
  readonly sku?: { readonly name: string };
  readonly identity?: { readonly type: string; readonly userAssignedIdentities?: Record<string, unknown> };
  readonly properties?: Record<string, any>;
  readonly dependsOn?: readonly string[];
}

export interface ArmTemplate {
  readonly $schema: string;
  readonly contentVersion: string;
  readonly metadata?: Record<string, unknown>;
  readonly parameters: Record<string, ArmParameter>;
  readonly variables?: Record<string, unknown>;
  readonly resources: readonly ArmResource[];
  readonly outputs: Record<string, { readonly type: string; readonly value: unknown }>;
}

export function readRepoFile(relative: string): string {
  return readFileSync(path.join(REPO_DIR, relative), 'utf8');
}

export function loadTemplate(): ArmTemplate {
  return JSON.parse(readFileSync(path.join(INFRA_DIR, 'main.json'), 'utf8')) as ArmTemplate;
}

export function loadParametersFile(): { $schema: string; parameters: Record<string, { value: unknown }> } {
  return JSON.parse(readFileSync(path.join(INFRA_DIR, 'main.parameters.json'), 'utf8'));
}

export function loadBicep(): string {
  return readFileSync(path.join(INFRA_DIR, 'main.bicep'), 'utf8');
}

/** `[expr]` → `expr`; a literal → the ARM string literal for it. */
export function expressionOf(value: string): string {
  if (value.startsWith('[') && value.endsWith(']') && !value.startsWith('[[')) return value.slice(1, -1);
  return `'${value.replace(/'/g, "''")}'`;
}

/** Top-level arguments of `fn(a, b(c, d), 'e, f')`. */
export function splitArgs(call: string): string[] {
  const open = call.indexOf('(');
  if (open < 0 || !call.endsWith(')')) throw new Error(`not a call: ${call}`);
  const args: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = open + 1;
  for (let i = open + 1; i < call.length - 1; i += 1) {
    const ch = call[i];
    if (quoted) {
      if (ch === "'" && call[i + 1] === "'") i += 1;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if (ch === '(' || ch === '[') depth += 1;
    else if (ch === ')' || ch === ']') depth -= 1;
    else if (ch === ',' && depth === 0) {
      args.push(call.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = call.slice(start, call.length - 1).trim();
  if (last || args.length > 0) args.push(last);
  return args;
}

/** Every complete `fn(...)` call in an expression, outside string literals. */
export function findCalls(expression: string, fn: string): string[] {
  const calls: string[] = [];
  let quoted = false;
  for (let i = 0; i < expression.length; i += 1) {
    const ch = expression[i];
    if (quoted) {
      if (ch === "'" && expression[i + 1] === "'") i += 1;
      else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") {
      quoted = true;
      continue;
    }
    const before = i === 0 ? '' : expression[i - 1]!;
    if (expression.startsWith(`${fn}(`, i) && !/[A-Za-z0-9_.]/.test(before)) {
      let depth = 0;
      let inner = false;
      for (let j = i + fn.length; j < expression.length; j += 1) {
        const c = expression[j];
        if (inner) {
          if (c === "'" && expression[j + 1] === "'") j += 1;
          else if (c === "'") inner = false;
        } else if (c === "'") inner = true;
        else if (c === '(') depth += 1;
        else if (c === ')') {
          depth -= 1;
          if (depth === 0) {
            calls.push(expression.slice(i, j + 1));
            break;
          }
        }
      }
    }
  }
  return calls;
}

/** Name segments of a resource as ARM expressions: `format('{0}/{1}', a, b)` → [a, b]. */
export function nameSegments(resource: ArmResource): string[] {
  const name = expressionOf(resource.name);
  if (name.startsWith("format('")) {
    const [pattern, ...args] = splitArgs(name);
    if (pattern && /^'\{0\}(\/\{\d+\})*'$/.test(pattern)) return args;
  }
  if (name.startsWith("'")) return name.slice(1, -1).split('/').map((part) => `'${part}'`);
  return [name];
}

/**
 * The expression that points at a resource declared in the template: `resourceId(...)`, or for an
 * extension resource on another (`scope: format('Microsoft.KeyVault/vaults/{0}', name)`, what
 * Bicep writes for `scope: keyVault`) `extensionResourceId(resourceId(<scope>), type, name...)`.
 */
export function resourceIdOf(resource: ArmResource): string {
  const own = `'${resource.type}', ${nameSegments(resource).join(', ')}`;
  if (resource.scope === undefined) return normalise(`resourceId(${own})`);
  const scope = expressionOf(resource.scope);
  const [pattern, ...args] = scope.startsWith("format('") ? splitArgs(scope) : [];
  const scopeType = pattern ? /^'([A-Za-z.]+\/[A-Za-z/]+?)(\/\{\d+\})+'$/.exec(pattern)?.[1] : undefined;
  if (!scopeType) throw new Error(`scope ${resource.scope} of ${resource.type} is not format('<type>/{0}', <name>)`);
  return normalise(`extensionResourceId(resourceId('${scopeType}', ${args.join(', ')}), ${own})`);
}

/** Whitespace inside expressions does not matter to ARM; compare without it (outside literals). */
export function normalise(expression: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < expression.length; i += 1) {
    const ch = expression[i]!;
    if (quoted) {
      out += ch;
      if (ch === "'" && expression[i + 1] === "'") {
        out += "'";
        i += 1;
      } else if (ch === "'") quoted = false;
    } else if (ch === "'") {
      quoted = true;
      out += ch;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}

/** Visits every string in a JSON value, object keys included, with its path. */
export function eachString(value: unknown, visit: (text: string, where: string) => void, where = '$'): void {
  if (typeof value === 'string') visit(value, where);
  else if (Array.isArray(value)) value.forEach((item, index) => eachString(item, visit, `${where}[${index}]`));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      visit(key, `${where}.<key ${key}>`);
      eachString(item, visit, `${where}.${key}`);
    }
  }
}

/** Every ARM expression in a JSON value (strings in `[...]`, object keys included). */
export function expressionsIn(value: unknown): string[] {
  const found: string[] = [];
  eachString(value, (text) => {
    if (text.startsWith('[') && text.endsWith(']') && !text.startsWith('[[')) found.push(text.slice(1, -1));
  });
  return found;
}

/** Names passed to `fn('name')` (parameters, variables) anywhere in a JSON value. */
export function namesUsed(value: unknown, fn: 'parameters' | 'variables'): Set<string> {
  const names = new Set<string>();
  for (const expression of expressionsIn(value)) {
    for (const call of findCalls(expression, fn)) {
      const [arg] = splitArgs(call);
      if (arg && /^'[^']*'$/.test(arg)) names.add(arg.slice(1, -1));
    }
  }
  return names;
}
