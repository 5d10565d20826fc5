import { evidenceCardData } from '../cards/evidence-card';
import { Inbound } from './inbound';
import { noRelease, unknownRelease, whichRelease } from './release-queries';
import type { RouteDependencies } from './route-dependencies';

// `evidence [version]`: read-only, answered in place with the summary card and its two links.

export async function evidenceReply(inbound: Inbound, command: { readonly release?: string }, deps: RouteDependencies): Promise<object> {
  const version = await whichRelease(inbound, command, deps);
  if (!version) return noRelease(deps, 'evidence');
  const pack = await deps.evidence.pack(version);
  if (!pack) return unknownRelease(deps, version);
  const now = deps.now();
  return deps.render(
    'evidence',
    evidenceCardData(pack, {
      timeZone: deps.config.timeZone,
      now,
      markdown: deps.evidenceLinks.link(version, 'md', now),
      json: deps.evidenceLinks.link(version, 'json', now),
    }),
  );
}
