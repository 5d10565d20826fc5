import { EvidencePack, verifyEvidence } from '../app/evidence';
import { EvidenceLink } from '../app/evidence-links';
import { EvidenceCardData } from './card-data';
import { formatClock, formatInstant } from './format-time';

// `evidence <version>`: what the pack holds, whether its history still matches the hash chains
// written with it, and links to the Markdown and JSON exports (which expire).

export interface EvidenceCardView {
  readonly timeZone: string;
  readonly markdown: EvidenceLink;
  readonly json: EvidenceLink;
  readonly now: Date;
}

export function evidenceCardData(pack: EvidencePack, view: EvidenceCardView): EvidenceCardData {
  const check = verifyEvidence(pack);
  const events = pack.streams.reduce((n, s) => n + s.events.length, 0);
  const decisions = pack.rcs.flatMap((rc) => rc.decisions);
  const count = (kind: string) => decisions.filter((d) => d.kind === kind).length;
  const deployments = pack.deployments;
  const outcome = (o: string) => deployments.filter((d) => d.outcome === o).length;
  const bugs = deployments.reduce((n, d) => n + d.bugs.length, 0);
  const current = pack.rcs[pack.rcs.length - 1];
  const minutes = Math.round((view.markdown.expiresAt.getTime() - view.now.getTime()) / 60_000);
  const unanchored = pack.streams.filter((s) => s.status === 'unanchored').length;
  return {
    title: `Evidence pack · ${pack.release}`,
    generatedText: `Built ${formatInstant(pack.generatedAt, view.timeZone)} from ${events} stored event${events === 1 ? '' : 's'}`,
    facts: [
      { title: 'RCs', value: pack.rcs.length === 0 ? 'none' : `${pack.rcs.length} (${pack.rcs.map((rc) => `rc.${rc.number}`).join(', ')})${current?.hotfix ? ' · hotfix' : ''}` },
      { title: 'Decisions', value: `${count('approved')} approvals, ${count('rejected')} rejections, ${count('revoked')} revocations` },
      { title: 'Promotion', value: pack.promotion ? `${pack.promotion.rc} by ${pack.promotion.by.name}, ${formatInstant(pack.promotion.at, view.timeZone)}` : 'not promoted' },
      {
        title: 'Deployments',
        value: deployments.length === 0 ? 'none' : `${deployments.length}: ${outcome('live')} live, ${outcome('aborted')} aborted, ${outcome('cancelled')} cancelled`,
      },
      { title: 'Bugs', value: bugs === 0 ? 'none reported' : `${bugs} reported` },
      { title: 'Locks, freezes', value: holdsText(pack) },
    ],
    integrityText: check.ok
      ? `✅ Every event matches the hash chain written with it${unanchored > 0 ? ` (${unanchored} older stream${unanchored === 1 ? '' : 's'} written before chains were kept)` : ''}.`
      : '❌ The stored history does not match its hash chains: it was changed outside the bot.',
    integrityStyle: check.ok ? 'good' : 'attention',
    problems: check.ok ? [] : [...check.problems],
    digest: pack.historyDigest,
    markdownUrl: view.markdown.url,
    jsonUrl: view.json.url,
    linksText: `The links expire at ${formatClock(view.markdown.expiresAt.toISOString(), view.timeZone)} (in ${minutes} minutes); ask again for new ones. Check a JSON export with npm run evidence:verify.`,
    fallbackText: `Evidence pack of ${pack.release}: ${check.ok ? 'history intact' : 'history changed outside the bot'}`,
  };
}

/** "1 lock, 1 freeze on BXCI Staging": what was declared on the release's environments while it was deployed. */
function holdsText(pack: EvidencePack): string {
  const events = (pack.holds ?? []).flatMap((h) => h.events);
  const locks = events.filter((e) => e.kind === 'environmentLocked').length;
  const freezes = events.filter((e) => e.kind === 'freezeDeclared').length;
  if (locks + freezes === 0) return 'none';
  const parts = [locks > 0 ? `${locks} lock${locks === 1 ? '' : 's'}` : '', freezes > 0 ? `${freezes} freeze${freezes === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${parts.join(', ')} on ${(pack.holds ?? []).map((h) => h.environment.name).join(', ')}`;
}
