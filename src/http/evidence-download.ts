import { EvidenceFormat, EvidenceLinks } from '../app/evidence-links';
import { evidenceMarkdown } from '../app/evidence-markdown';
import { EvidenceService } from '../app/evidence-service';
import { formatZoned } from '../domain/business-hours';

// GET /evidence/<version>.<md|json>?expires=…&sig=…: the export behind the evidence card's links.
// The link is the credential (HMAC-signed, minutes long); without a valid one nothing is read.

export interface EvidenceDownloadOptions {
  readonly links: EvidenceLinks;
  readonly evidence: EvidenceService;
  readonly timeZone: string;
  readonly now: () => Date;
}

export interface Download {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** Set for a pack: the name the browser saves it under. */
  readonly filename?: string;
}

const FILE = /^(\d{4}\.\d{1,2}\.\d{1,3})\.(md|json)$/;

export async function answerEvidenceDownload(
  file: string,
  query: { readonly expires?: string; readonly sig?: string },
  options: EvidenceDownloadOptions,
): Promise<Download> {
  const text = (status: number, body: string): Download => ({ status, contentType: 'text/plain; charset=utf-8', body });
  const match = FILE.exec(file);
  if (!match) return text(404, 'No such evidence file.');
  const [, version, format] = match as unknown as [string, string, EvidenceFormat];
  const now = options.now();
  const check = options.links.check(version, format, query.expires, query.sig, now);
  if (check === 'forged') return text(403, 'This link is not one the bot made (or it was changed). Type `evidence ' + version + '` in Teams for a new one.');
  if (check === 'expired') {
    const at = formatZoned(new Date(Number(query.expires) * 1000), options.timeZone);
    return text(410, `This evidence link expired at ${at}. Type \`evidence ${version}\` in Teams for a new one.`);
  }
  const pack = await options.evidence.pack(version);
  if (!pack) return text(404, `No RC of ${version} has been cut, so there is no evidence.`);
  return format === 'json'
    ? { status: 200, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(pack, null, 2)}\n`, filename: `evidence-${version}.json` }
    : { status: 200, contentType: 'text/markdown; charset=utf-8', body: evidenceMarkdown(pack), filename: `evidence-${version}.md` };
}
