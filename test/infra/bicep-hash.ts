import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The hash infra/main.json carries in metadata.bicepSourceHash, computed here independently of
// infra/update-hash.js (the tests check both agree). Order: main.bicep, then every other *.bicep
// under infra/ by relative path (forward slashes, UTF-16 code unit order). Each file contributes
// `<relative path>\0<content>\0`, the content without a leading BOM and with CRLF turned into LF.

export const INFRA_DIR = path.resolve(__dirname, '..', '..', 'infra');

const MAIN_BICEP = 'main.bicep';

export function bicepSourceFiles(infraDir: string = INFRA_DIR): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(infraDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git') walk(child);
      else if (entry.isFile() && entry.name.endsWith('.bicep')) found.push(child);
    }
  };
  walk('');
  if (!found.includes(MAIN_BICEP)) throw new Error(`no ${MAIN_BICEP} in ${infraDir}`);
  const others = found.filter((file) => file !== MAIN_BICEP).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [MAIN_BICEP, ...others];
}

export function bicepSourceHash(infraDir: string = INFRA_DIR, files: readonly string[] = bicepSourceFiles(infraDir)): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const content = readFileSync(path.join(infraDir, ...file.split('/')), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    hash.update(`${file}\0${content}\0`, 'utf8');
  }
  return hash.digest('hex');
}
