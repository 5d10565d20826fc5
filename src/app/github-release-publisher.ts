import { Directory, ReleaseState } from '../domain/types';
import { formatRc } from '../domain/version';
import { GitHubRepository } from '../integrations/github-repository';
import { ReleasePublisher } from './release-outbox';

// After promotion (`github.publishOnPromotion`), the final release `2026.4.0` on GitHub, pointing
// at the commit the promoted RC's tag points at. Delivered by the release outbox: a retry after a
// crash finds the release there already and posts nothing twice.

export function gitHubReleasePublisher(repository: GitHubRepository, directory: Directory): ReleasePublisher {
  return {
    async publishFinal(state: ReleaseState, rcNumber: number) {
      const rc = state.rcs.find((r) => r.number === rcNumber);
      const promotion = state.promotion;
      if (!rc || !promotion) return undefined;
      const rcVersion = formatRc(state.version, rc.number);
      // A typed RC doesn't say how the repository writes its tags: try both spellings.
      const candidates = rc.contents.source ? [rc.contents.source.tag] : [rcVersion, `v${rcVersion}`];
      for (const [i, fromTag] of candidates.entries()) {
        try {
          return await repository.createRelease({
            tag: fromTag.startsWith('v') ? `v${state.version}` : state.version,
            fromTag,
            name: state.version,
            body: `Promoted from ${rcVersion} by ${directory.nameOf(promotion.by)}.\n\nRelease notes: ${promotion.notesUrl}`,
          });
        } catch (error) {
          const notFound = (error as { statusCode?: unknown }).statusCode === 404 || (error as { statusCode?: unknown }).statusCode === 422;
          if (!notFound || i === candidates.length - 1) throw error;
        }
      }
      return undefined;
    },
  };
}
