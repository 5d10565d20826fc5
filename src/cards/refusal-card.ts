import { Refusal } from '../domain/types';
import { RefusalCardData } from './card-data';

/** The "Can't do that" card for a refusal from the domain, or any reason/hint pair. */
export function refusalCardData(refusal: Pick<Refusal, 'reason' | 'hint'>): RefusalCardData {
  return { title: "Can't do that", reason: refusal.reason, hint: refusal.hint ?? '' };
}
