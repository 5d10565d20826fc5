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

/** The example config with #engineering and #general bound to the loopback connector. */
export function configBoundTo(example: ExampleConfig, serviceUrl: string): Record<string, unknown> {
  return {
    ...example.raw,
    channels: {
      engineering: { id: ENGINEERING, teamId: TEAM, serviceUrl },
      general: { id: GENERAL, teamId: TEAM, serviceUrl },
    },
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
  const { person, conversationId, serviceUrl, tenantId } = input;
  return JSON.stringify({
    type: 'message',
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
    text: `<at>lendos</at> ${input.text}`,
    entities: [{ type: 'mention', text: '<at>lendos</at>', mentioned: { id: '28:lendos-bot', name: 'lendos' } }],
  });
}
