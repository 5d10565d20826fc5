import type * as AdaptiveCards from 'adaptivecards';

// Validates a card the way the Adaptive Cards renderer reads it. The package's main entry (lib/, ES
// modules without extensions) does not load in Node; its UMD bundle does, and needs no DOM to parse
// and validate. Three kinds of problem are reported:
//  - what the parser reports: unknown element/action types, properties newer than the target version;
//  - what validateProperties() reports: duplicate ids, required inputs without label/errorMessage, …;
//  - properties the parser silently drops (a typo like "wieght"), found by a parse → toJSON round trip.

const AC: typeof AdaptiveCards = require('adaptivecards/dist/adaptivecards.js');

/** Host extensions the renderer ignores on purpose. */
const HOST_PROPERTIES = new Set(['msteams']);

export interface ValidateOptions {
  /** Highest schema version the host supports; Teams: 1.5. */
  readonly version?: '1.2' | '1.3' | '1.4' | '1.5' | '1.6';
}

/** Every problem found, as readable lines; [] when the card is valid. */
export function validateAdaptiveCard(json: unknown, options: ValidateOptions = {}): string[] {
  const versionText = options.version ?? '1.5';
  const target = AC.Version.parse(versionText, new AC.SerializationContext());
  if (!target) throw new Error(`unknown Adaptive Card version ${versionText}`);
  if (typeof json !== 'object' || json === null || (json as { type?: unknown }).type !== 'AdaptiveCard') {
    return ['not an AdaptiveCard: its "type" must be "AdaptiveCard"'];
  }

  const problems: string[] = [];
  const declared = (json as { version?: unknown }).version;
  const declaredVersion = typeof declared === 'string' ? AC.Version.parse(declared, new AC.SerializationContext()) : undefined;
  if (!declaredVersion || !declaredVersion.isValid) {
    problems.push(`"version" must be set, e.g. "${versionText}"`);
  } else if (declaredVersion.compareTo(target) > 0) {
    problems.push(`declares version ${declared}, newer than the host's ${versionText}`);
  }

  const context = new AC.SerializationContext(target);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(`parse: ${context.getEventAt(i).message}`);
  }
  for (const event of card.validateProperties().validationEvents) {
    problems.push(`validate: ${event.message}${describeSource(event.source)}`);
  }
  droppedProperties(json, card.toJSON(context), '$', problems);
  return problems;
}

function describeSource(source: AdaptiveCards.SerializableObject | undefined): string {
  if (!(source instanceof AC.CardObject)) return '';
  const id = source.id ? ` "${source.id}"` : '';
  return ` (${source.getJsonTypeName()}${id})`;
}

/** Input properties absent after parse → toJSON: unknown to the parser, unless they are defaults it omits. */
function droppedProperties(input: unknown, output: unknown, path: string, problems: string[]): void {
  if (Array.isArray(input)) {
    if (!Array.isArray(output) || output.length !== input.length) {
      problems.push(`${path}: ${input.length} items in, ${Array.isArray(output) ? output.length : 0} understood`);
      return;
    }
    input.forEach((item, i) => droppedProperties(item, output[i], `${path}[${i}]`, problems));
    return;
  }
  if (typeof input !== 'object' || input === null) return;
  const inObject = input as Record<string, unknown>;
  const outObject = (typeof output === 'object' && output !== null ? output : {}) as Record<string, unknown>;
  const known = knownProperties(inObject.type);
  for (const [key, value] of Object.entries(inObject)) {
    if (HOST_PROPERTIES.has(key)) continue;
    if (!(key in outObject)) {
      const emptyCollection = Array.isArray(value) && value.length === 0;
      if (!emptyCollection && !known.has(key)) {
        problems.push(`${path}.${key}: not understood by the Adaptive Cards parser (unknown property?)`);
      }
      continue;
    }
    droppedProperties(value, outObject[key], `${path}.${key}`, problems);
  }
}

/** Schema property names of a typed card object; the parser omits these when they hold their default. */
function knownProperties(type: unknown): ReadonlySet<string> {
  if (typeof type !== 'string') return new Set();
  const instance: AdaptiveCards.SerializableObject | undefined =
    type === 'AdaptiveCard'
      ? new AC.AdaptiveCard()
      : type === 'Column'
        ? new AC.Column()
        : type === 'TableRow'
          ? new AC.TableRow()
          : type === 'TableCell'
            ? new AC.TableCell()
            : (AC.GlobalRegistry.elements.createInstance(type, AC.Versions.latest) ??
              AC.GlobalRegistry.actions.createInstance(type, AC.Versions.latest));
  if (!instance) return new Set();
  const schema = instance.getSchema();
  const names = new Set<string>();
  for (let i = 0; i < schema.getCount(); i++) names.add(schema.getItemAt(i).name);
  return names;
}
