import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Actor, Directory } from '../domain/types';
import { ConversationTarget } from '../app/documents';

// The parts of a Teams activity the bot relies on, validated. Identity is the Entra object id of
// `from`, never a display name and never anything inside a card.

const inboundActivitySchema = z.object({
  id: z.string().min(1).optional(),
  serviceUrl: z.string().url(),
  from: z.object({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() }),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
  }),
  channelData: z
    .object({
      channel: z.object({ id: z.string() }).optional(),
      team: z.object({ id: z.string() }).optional(),
      tenant: z.object({ id: z.string() }).optional(),
    })
    .passthrough()
    .optional(),
});

export interface Inbound {
  readonly activityId: string;
  /** Undefined when Teams did not say who it is (no aadObjectId): such a person may only read. */
  readonly actor?: Actor;
  readonly origin: ConversationTarget;
  /** The Teams channel the message was posted in, if any. */
  readonly channelId?: string;
  readonly teamId?: string;
  readonly tenantId?: string;
  readonly isPersonal: boolean;
}

export type InboundResult = { readonly ok: true; readonly inbound: Inbound } | { readonly ok: false; readonly problem: string };

export function readInbound(activity: unknown, directory: Directory): InboundResult {
  const parsed = inboundActivitySchema.safeParse(activity);
  if (!parsed.success) {
    return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  const a = parsed.data;
  const tenantId = a.channelData?.tenant?.id ?? a.conversation.tenantId;
  const personId = a.from.aadObjectId?.toLowerCase();
  return {
    ok: true,
    inbound: {
      activityId: a.id ?? randomUUID(),
      actor: personId ? { id: personId, name: directory.nameOf(personId) === personId ? a.from.name ?? personId : directory.nameOf(personId) } : undefined,
      origin: { conversationId: a.conversation.id, serviceUrl: a.serviceUrl, tenantId },
      channelId: a.channelData?.channel?.id,
      teamId: a.channelData?.team?.id,
      tenantId,
      isPersonal: a.conversation.conversationType === 'personal',
    },
  };
}
