import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Teams-shaped activities for the benchmark, the same shapes the HTTP tests send: a channel
// message with an `<at>lendos</at>` mention, from a person identified by their Entra object id.

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLE_CONFIG = join(ROOT, 'config', 'lendos.example.json');
export const ENGINEERING = '19:engineering0001@thread.tacv2';
export const GENERAL = '19:general0001@thread.tacv2';
export const ECHO_CHANNEL = '19:echo0001@thread.tacv2';
export const TEAM = '19:team0001@thread.tacv2';

export interface Person {
  readonly key: string;
  readonly name: string;
  readonly aadObjectId: string;
}

export interface ExampleConfig {
  readonly raw: Record<string, unknown> & { tenantId: string; people: Person[] };
  readonly tenantId: string;
  person(key: string): Person;
}

export function readExampleConfig(): ExampleConfig {
  const raw = JSON.parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
  return {
    raw,
    tenantId: raw.tenantId,
    person(key) {
      const found = (raw.people as Person[]).find((p) => p.key === key);
      if (!found) throw new Error(`config/lendos.example.json has no person "${key}"`);
      return { key: found.key, name: found.name, aadObjectId: found.aadObjectId };
    },
  };
}

/**
 * Environments the lifecycle unit deploys to: one per worker (up to 10), since two windows to one
 * environment may not overlap. The example's two, then eight added for the bench. (`status` reads
 * each environment's document, so it costs more here than with the example's two.)
 */
export const BENCH_ENVIRONMENTS = 8;

export function benchEnvironment(example: ExampleConfig, worker: number): { key: string; name: string } {
  const own = (example.raw.environments as Array<{ key: string; name: string }> | undefined) ?? [];
  const all = [...own, ...Array.from({ length: BENCH_ENVIRONMENTS }, (_, i) => ({ key: `bench-${i + 1}`, name: `Bench ${i + 1}` }))];
  return all[worker % all.length]!;
}

/** The example config with #engineering and #general bound to the loopback connector, plus the bench environments. */
export function configBoundTo(example: ExampleConfig, serviceUrl: string): Record<string, unknown> {
  const environments = (example.raw.environments as unknown[] | undefined) ?? [];
  return {
    ...example.raw,
    channels: {
      engineering: { id: ENGINEERING, teamId: TEAM, serviceUrl },
      general: { id: GENERAL, teamId: TEAM, serviceUrl },
    },
    environments: [...environments, ...Array.from({ length: BENCH_ENVIRONMENTS }, (_, i) => ({ key: `bench-${i + 1}`, name: `Bench ${i + 1}` }))],
  };
}

export interface MessageInput {
  readonly person: Person;
  /** A thread's conversation id ("19:…@thread.tacv2;messageid=…"). */
  readonly conversationId: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  /** Command text without the mention; the mention is prepended as Teams does. */
  readonly text: string;
}

/** A message typed in a channel thread, mentioning the bot; serialised, ready to POST. */
export function channelMessage(input: MessageInput): string {
  return JSON.stringify({
    ...channelActivity(input),
    type: 'message',
    text: `<at>lendos</at> ${input.text}`,
    entities: [{ type: 'mention', text: '<at>lendos</at>', mentioned: { id: '28:lendos-bot', name: 'lendos' } }],
  });
}

/** An Action.Execute click on the card of post `replyToId`, as Teams sends it; serialised. */
export function cardClick(input: Omit<MessageInput, 'text'> & { readonly replyToId: string; readonly verb: string; readonly data: Record<string, unknown> }): string {
  return JSON.stringify({
    ...channelActivity(input),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: input.replyToId,
    value: { action: { type: 'Action.Execute', verb: input.verb, data: { verb: input.verb, ...input.data } }, trigger: 'manual' },
  });
}

function channelActivity(input: Omit<MessageInput, 'text'>) {
  const { person, conversationId, serviceUrl, tenantId } = input;
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: `29:${person.key}`, name: person.name, aadObjectId: person.aadObjectId },
    recipient: { id: '28:lendos-bot', name: 'lendos' },
    conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId },
    channelData: {
      teamsChannelId: conversationId.split(';')[0],
      teamsTeamId: TEAM,
      channel: { id: conversationId.split(';')[0] },
      team: { id: TEAM },
      tenant: { id: tenantId },
    },
    locale: 'en-US',
  };
}
