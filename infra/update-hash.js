#!/usr/bin/env node
'use strict';
// Stamps infra/main.json with the hash of the Bicep it was compiled from, so test/infra fails when
// the Bicep changes and main.json is not regenerated. Plain Node, no dependencies.
//
//   node infra/update-hash.js            rewrite metadata.bicepSourceHash / bicepSourceFiles
//   node infra/update-hash.js --check    exit 1 if main.json is stale
//   (an infra directory may follow, default: the directory of this script)
//
// The hash: sha256 over the Bicep files in this order: main.bicep first, then every other *.bicep
// under infra/ by relative path (forward slashes, sorted by UTF-16 code unit). Each file adds
// `<relative path>\0<content>\0`, content read as UTF-8 with a leading BOM dropped and CRLF turned
// into LF, so a Windows checkout hashes the same. test/infra/bicep-hash.ts computes the same thing
// on its own; the tests check the two agree.

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const MAIN = 'main.bicep';
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** Relative paths of the Bicep sources, in hash order. */
function bicepSourceFiles(infraDir) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.bicep')) {
        found.push(path.relative(infraDir, full).split(path.sep).join('/'));
      }
    }
  };
  walk(infraDir);
  if (!found.includes(MAIN)) throw new Error(`${path.join(infraDir, MAIN)} not found`);
  const others = found.filter((file) => file !== MAIN).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [MAIN, ...others];
}

function bicepSourceHash(infraDir, files = bicepSourceFiles(infraDir)) {
  const hash = createHash('sha256');
  for (const file of files) {
    const content = fs
      .readFileSync(path.join(infraDir, ...file.split('/')), 'utf8')
      .replace(/^\uFEFF/, '')
      .replace(/\r\n/g, '\n');
    hash.update(`${file}\0${content}\0`, 'utf8');
  }
  return hash.digest('hex');
}

/** The template with the stamp in `metadata`, placed after contentVersion when metadata is new. */
function stamp(template, files, hash) {
  const metadata = { ...(template.metadata || {}), bicepSourceFiles: files, bicepSourceHash: hash };
  if (template.metadata) return { ...template, metadata };
  const out = {};
  for (const [key, value] of Object.entries(template)) {
    out[key] = value;
    if (key === 'contentVersion') out.metadata = metadata;
  }
  if (!out.metadata) out.metadata = metadata;
  return out;
}

function main(argv) {
  const check = argv.includes('--check');
  const infraDir = path.resolve(argv.find((arg) => !arg.startsWith('--')) || __dirname);
  const templatePath = path.join(infraDir, 'main.json');
  const template = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  const files = bicepSourceFiles(infraDir);
  const hash = bicepSourceHash(infraDir, files);
  const metadata = template.metadata || {};
  const current = metadata.bicepSourceHash === hash && JSON.stringify(metadata.bicepSourceFiles) === JSON.stringify(files);

  if (check) {
    if (current) {
      process.stdout.write(`${templatePath} matches ${files.join(', ')} (sha256 ${hash})\n`);
      return 0;
    }
    process.stderr.write(
      `${templatePath} is stale: the Bicep (${files.join(', ')}) hashes to ${hash}, main.json says ` +
        `${metadata.bicepSourceHash || '(none)'}. Regenerate main.json (infra/README.md), then run node infra/update-hash.js.\n`,
    );
    return 1;
  }
  fs.writeFileSync(templatePath, `${JSON.stringify(stamp(template, files, hash), null, 2)}\n`);
  process.stdout.write(`${templatePath}: bicepSourceHash ${hash} (${files.join(', ')})\n`);
  return 0;
}

module.exports = { bicepSourceFiles, bicepSourceHash };

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`update-hash: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
