import { readFileSync } from 'node:fs';
import { EvidencePack, verifyEvidence } from '../app/evidence';

// `npm run evidence:verify -- evidence-2026.4.0.json`: checks a downloaded JSON evidence pack
// offline — every stream's hash chain, each against the head the bot recorded with the events, and
// the pack's digest. Exit code 0 when intact, 1 when anything was changed, 2 when it can't be read.

export function verifyEvidenceFile(path: string): { readonly code: 0 | 1 | 2; readonly lines: readonly string[] } {
  let pack: EvidencePack;
  try {
    pack = JSON.parse(readFileSync(path, 'utf8')) as EvidencePack;
  } catch (error) {
    return { code: 2, lines: [`Can't read ${path} as JSON: ${(error as Error).message}`] };
  }
  if (typeof pack !== 'object' || pack === null || !Array.isArray(pack.streams)) {
    return { code: 2, lines: [`${path} is not an evidence pack (no streams).`] };
  }
  const check = verifyEvidence(pack);
  const events = pack.streams.reduce((n, s) => n + (Array.isArray(s.events) ? s.events.length : 0), 0);
  if (check.ok) return { code: 0, lines: [`OK: ${pack.release}, ${events} events in ${pack.streams.length} streams, digest ${pack.digest}`] };
  return { code: 1, lines: [`CHANGED: ${pack.release} does not verify:`, ...check.problems.map((p) => `  - ${p}`)] };
}

if (require.main === module) {
  const path = process.argv[2];
  if (!path) {
    process.stderr.write('Usage: npm run evidence:verify -- <evidence-<version>.json>\n');
    process.exit(2);
  }
  const result = verifyEvidenceFile(path);
  (result.code === 0 ? process.stdout : process.stderr).write(`${result.lines.join('\n')}\n`);
  process.exit(result.code);
}
