import { formatWindow, formatZoned } from '../domain/business-hours';
import { EvidencePack, EvidencePerson, verifyEvidence } from './evidence';

// The evidence pack as a Markdown document for people: the same facts as the JSON, times in the
// configured zone (with the ISO instant the JSON holds), and the digests last. The JSON is what
// `npm run evidence:verify` checks; the Markdown names its digest so the two can be matched.

export function evidenceMarkdown(pack: EvidencePack): string {
  const zone = pack.timeZone;
  const time = (iso: string) => (iso ? `${formatZoned(new Date(iso), zone)} (${iso})` : '—');
  const who = (p: EvidencePerson) => `${p.name} (${p.entraId})`;
  const check = verifyEvidence(pack);
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);

  add(`# Evidence pack: release ${pack.release}`, '');
  add(`Generated ${time(pack.generatedAt)} by the lendos release bot. Times are shown in ${zone}.`, '');
  add(
    check.ok
      ? `**Integrity:** every event matches the hash chain written with it (${pack.streams.reduce((n, s) => n + s.events.length, 0)} events in ${pack.streams.length} streams).`
      : `**Integrity: FAILED.** ${check.problems.join(' ')}`,
    '',
    `History digest (SHA-256 over every stream's chain head; the same for every export of the same history): \`${pack.historyDigest}\``,
    '',
    `Pack digest (SHA-256 over the canonical JSON export): \`${pack.digest}\``,
    '',
  );

  add('## Release candidates', '');
  for (const rc of pack.rcs) {
    add(`### ${rc.version}${rc.hotfix ? ' (hotfix)' : ''} — ${rc.status}${rc.supersededBy ? ` by rc.${rc.supersededBy}` : ''}`, '');
    add(`- Cut by ${who(rc.cutBy)} at ${time(rc.cutAt)}${rc.source ? `, from GitHub ${rc.source.repository} tag \`${rc.source.tag}\` published by @${rc.source.login} (${rc.source.url})` : ''}`);
    add(`- Release notes: ${rc.notesUrl ?? 'not linked'}`);
    add(`- Features: ${list(rc.features)}`, `- Fixes: ${list(rc.fixes)}`, `- Known issues: ${list(rc.knownIssues)}`);
    add(rc.qa.length === 0 ? '- QA regression: no result posted' : `- QA regression: ${rc.qa.map((q) => `${q.result.toUpperCase()} by ${who(q.by)} at ${time(q.at)} — ${cell(q.summary)}`).join('; ')}`, '');
    if (rc.decisions.length === 0) {
      add('No approvals or rejections were recorded.', '');
      continue;
    }
    add('| decision | area | person (Entra id) | time | deputy for | comment |', '|---|---|---|---|---|---|');
    for (const d of rc.decisions) {
      add(`| ${d.kind}${d.detail ? ` (${cell(d.detail)})` : ''} | ${cell(d.area.name)} | ${cell(who(d.person))} | ${time(d.at)} | ${d.deputyFor ? cell(who(d.deputyFor)) : '—'} | ${d.comment ? cell(d.comment) : '—'} |`);
    }
    add('');
  }

  add('## Promotion', '');
  add(pack.promotion ? `${pack.promotion.rc} promoted to ${pack.release} by ${who(pack.promotion.by)} at ${time(pack.promotion.at)}. Release notes: ${pack.promotion.notesUrl}` : 'Not promoted.', '');

  add('## Deployments', '');
  if (pack.deployments.length === 0) add('None scheduled.', '');
  for (const d of pack.deployments) {
    add(`### ${d.title}${d.hotfix ? ' (hotfix)' : ''} — ${d.outcome}`, '');
    add(`- Window: ${formatWindow(new Date(d.window.start), new Date(d.window.end), zone)}`);
    add(`- Scheduled by ${who(d.scheduledBy)} at ${time(d.scheduledAt)}; engineer ${who(d.engineer)}; validators ${d.validators.map(who).join(', ') || 'none'}`);
    add(`- Meeting: ${d.meeting.link ?? 'none recorded'}; recording: ${d.meeting.recording}`);
    add(`- Company notice in #general: ${d.notice.posted ? `posted (activity ${d.notice.activityId})` : 'not posted'}`);
    add(`- On call proposed by the on-call source: ${d.proposedOnCall ? who(d.proposedOnCall) : 'nobody'}`);
    for (const c of d.onCall) add(`- On-call ${c.kind}: ${who(c.person)}, by ${who(c.by)} at ${time(c.at)}${c.reason ? ` — reason: ${c.reason}` : ''}`);
    add('', '| time | who | what |', '|---|---|---|');
    for (const step of d.steps) add(`| ${time(step.at)} | ${cell(who(step.by))} | ${cell(step.what)} |`);
    add('');
    add(d.smoke.length === 0 ? '- Smoke tests: none recorded' : `- Smoke tests: ${d.smoke.map((s) => `${who(s.validator)} ${s.result.toUpperCase()} at ${time(s.at)}${s.notes ? ` — ${s.notes}` : ''}`).join('; ')}`);
    add(`- Live post: ${d.live ? `"${d.live.post}" by ${who(d.live.by)} at ${time(d.live.at)}` : 'none'}`);
    for (const o of d.overrides) add(`- Override (${o.what}) by ${who(o.by)} at ${time(o.at)} — reason: ${o.reason}`);
    if (d.abort) add(`- Aborted by ${who(d.abort.by)} at ${time(d.abort.at)} during ${d.abort.during} — reason: ${d.abort.reason}`);
    if (d.cancellation) add(`- Cancelled by ${who(d.cancellation.by)} at ${time(d.cancellation.at)} — reason: ${d.cancellation.reason}`);
    add(d.bugs.length === 0 ? '- Bugs: none reported' : `- Bugs: ${d.bugs.map((b) => `${b.url ? `[${b.title}](${b.url})` : b.title} (${who(b.by)}, ${time(b.at)})`).join('; ')}`, '');
  }

  add('## Environment locks and freezes', '');
  if ((pack.holds ?? []).length === 0) add('None on the environments of this release while it was deployed.', '');
  for (const h of pack.holds ?? []) {
    add(`### ${h.environment.name}`, '', '| time | who | what | reason or name |', '|---|---|---|---|');
    for (const e of h.events) add(`| ${time(e.at)} | ${cell(who(e.by))} | ${cell(e.what)} | ${cell(e.reason)} |`);
    add('');
  }

  add('## Hash chains', '');
  add('Each event\'s digest is SHA-256 over the previous digest, a line break and the event\'s canonical JSON (keys sorted, no spaces); each stream starts from SHA-256 of "lendos-evidence-chain", a line break and the stream id. The JSON export holds the events themselves.', '');
  for (const s of pack.streams) {
    add(`### ${s.kind} ${s.id}: ${s.status}`, '');
    add(`Head written with the events: ${s.recorded ? `\`${s.recorded.head}\` over ${s.recorded.length} events` : 'none (written before chains were kept)'}`, '');
    if (s.base && s.base.dropped > 0) add(`The ${s.base.dropped} oldest events are no longer kept; the ones below chain on from \`${s.base.digest}\`.`, '');
    for (const entry of s.events) add(`${entry.seq}. \`${entry.digest}\` ${entry.event.type} · ${entry.event.at}`);
    add('');
  }
  return lines.join('\n');
}

function list(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.map(cell).join('; ');
}

/** Text that stays on one line and inside its table cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
