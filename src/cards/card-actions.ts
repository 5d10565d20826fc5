import { z } from 'zod';

// What a card's buttons send back (Action.Execute `data`, with the card's inputs merged in), as the
// schemas every click is parsed with. The types of button data are these schemas' types (z.infer),
// so what the handlers read is exactly what was checked.

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

export type RcCardAction = z.infer<typeof rcCardActionSchema>;

/** `data` of the tracker's (or the on-call card's) refresh: which deployment. */
export const trackerRefreshSchema = z.object({
  deploymentId: z.string().regex(/^\d{4}\.\d{1,2}\.\d+@[a-z0-9][a-z0-9-]*\.\d+$/),
  /** The revision the card was rendered from; a refresh answers from the deployment as it is now. */
  revision: z.coerce.number().int().nonnegative().optional(),
});

/** `data` of a card's refresh (Teams' automatic one, or the "Show my actions" button): which card. */
export const rcRefreshSchema = z.object({
  release: z.string().regex(/^\d{4}\.\d{1,2}\.\d+$/),
  rc: z.coerce.number().int().positive(),
  /** The revision the card was rendered from; a refresh answers from the release as it is now. */
  revision: z.coerce.number().int().nonnegative().optional(),
});

/** A typed-in card input as Teams sends it: absent, a string, or (Input.Number) a number. Trimmed, bounded. */
const cardInput = z.preprocess(
  (value) => (value === undefined || value === null ? '' : typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : value),
  z.string().max(CARD_TEXT_MAX),
);

/**
 * `data` of a tracker or on-call card button, plus the inputs its ShowCards hold: text typed into a
 * ShowCard arrives under the input's id, and every input id is unique across the deployment cards.
 * `confirmPerson` is the on-call person the card named, or the one picked in its Confirm form.
 */
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

/**
 * The scheduling form's inputs (chat card or message-extension dialog), every value a string: `date`
 * is "2026-04-14" and `time` "22:00", wall-clock time in the configured zone.
 */
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
