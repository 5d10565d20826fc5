import { BotError } from '../errors';
import { ReleaseState } from '../domain/types';
import { formatRc } from '../domain/version';
import { PromotionCardData } from './card-data';
import { formatInstant } from './format-time';
import { CardView } from './release-view';

/**
 * The runbook's promotion line, "2026.4.0-rc.3 promoted to 2026.4.0. Release notes: [link]", as Teams
 * markdown: the link is named "Release notes" rather than a long URL spelled out.
 */
export function promotionText(version: string, rc: number, notesUrl: string): string {
  return `${formatRc(version, rc)} promoted to ${version}. [Release notes](${notesUrl})`;
}

/** The same line as plain text, for clients that show no markdown (notifications, fallback). */
export function promotionPlainText(version: string, rc: number, notesUrl: string): string {
  return `${formatRc(version, rc)} promoted to ${version}. Release notes: ${notesUrl}`;
}

/** The rich form of the promotion post; the plain `promotionText` is what the runbook asks for. */
export function promotionCardData(state: ReleaseState, view: CardView): PromotionCardData {
  const promotion = state.promotion;
  if (!promotion) throw new BotError('not-found', `${state.version} has not been promoted`);
  return {
    text: promotionText(state.version, promotion.rc, promotion.notesUrl),
    fallbackText: promotionPlainText(state.version, promotion.rc, promotion.notesUrl),
    rcVersion: formatRc(state.version, promotion.rc),
    version: state.version,
    notesUrl: promotion.notesUrl,
    promotedLine: `Promoted by ${view.directory.nameOf(promotion.by)} · ${formatInstant(promotion.at, view.timeZone)}`,
  };
}
