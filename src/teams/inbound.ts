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

/** The longest text a card input may send back; the cards' own inputs allow far less. */
export const CARD_TEXT_MAX = 2_000;

/** `data` of an RC card's Action.Execute button, plus the Reject reason input. */
export const rcCardActionSchema = z.object({
  release: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/),
  rc: z.coerce.number().int().positive(),
  revision: z.coerce.number().int().nonnegative(),
  reason: z.string().max(CARD_TEXT_MAX).optional(),
  /** Promote's release-notes input, when the RC was cut without a notes link. */
  notesUrl: z.string().max(CARD_TEXT_MAX).optional(),
  /** QA pass / QA fail: the link or summary typed into the card. */
  qaPassSummary: z.string().max(CARD_TEXT_MAX).optional(),
  qaFailSummary: z.string().max(CARD_TEXT_MAX).optional(),
});

/** `data` of the tracker's refresh: which deployment. */
export const trackerRefreshSchema = z.object({
  deploymentId: z.string().regex(/^\d{4}\.\d{1,2}\.\d+@[a-z0-9][a-z0-9-]*\.\d+$/),
});

/** `data` of a card's refresh (Teams' automatic one, or the "Show my actions" button): which card. */
export const rcRefreshSchema = z.object({
  release: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/),
  rc: z.coerce.number().int().positive(),
});
export type RcCardAction = z.infer<typeof rcCardActionSchema>;

/** A typed-in card input as Teams sends it: absent, a string, or (Input.Number) a number. Trimmed, bounded. */
const cardInput = z.preprocess(
  (value) => (value === undefined || value === null ? '' : typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : value),
  z.string().max(CARD_TEXT_MAX),
);

/** `data` of a tracker or on-call card button, plus the inputs its ShowCards hold. */
export const deploymentCardActionSchema = z.object({
  deploymentId: z.string().regex(/^\d{4}\.\d{1,2}\.\d+@[a-z0-9][a-z0-9-]*\.\d+$/),
  revision: z.coerce.number().int().nonnegative().optional(),
  confirmPerson: cardInput,
  overridePerson: cardInput,
  overrideReason: cardInput,
  smokePassNotes: cardInput,
  smokeFailNotes: cardInput,
  liveOverrideReason: cardInput,
  abortReason: cardInput,
  date: cardInput,
  time: cardInput,
  durationMinutes: cardInput,
});
export type DeploymentCardAction = z.infer<typeof deploymentCardActionSchema>;

/** The scheduling form's inputs (chat card or message-extension dialog). */
export const scheduleFormSchema = z.object({
  version: cardInput,
  environment: cardInput,
  date: cardInput,
  time: cardInput,
  durationMinutes: cardInput,
  engineer: cardInput,
  /** Comma-separated person ids, as a multi-select ChoiceSet sends them. */
  validators: cardInput,
});
export type ScheduleFormInput = z.infer<typeof scheduleFormSchema>;
