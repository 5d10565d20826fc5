import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// routes.ts imports the handlers; no handler imports routes.ts back (their dependencies are typed in
// route-dependencies.ts). Only the server wiring builds the application from routes.ts.

const ROOT = path.resolve(__dirname, '..', '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** The repository files a source file imports, as paths relative to the root without extension. */
function localImportsOf(file: string, text = readFileSync(path.join(ROOT, file), 'utf8')): string[] {
  return [...text.matchAll(IMPORT)]
    .map((match) => match[1] ?? match[2] ?? match[3]!)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.posix.normalize(path.posix.join(path.posix.dirname(file), name)).replace(/\.(ts|js)$/, ''));
}

const importersOfRoutes = sourceFiles('src')
  .filter((file) => localImportsOf(file).includes('src/teams/routes'))
  .sort();

// The documents the app keeps (channel bindings, the thread and release indexes, history chunks) are
// read and written behind src/app; src/teams asks its use cases. The welcome keeps its own record.
const DOCUMENT_ACCESS = /\b(SETTINGS_PARTITION|CHANNELS_ID|RELEASE_INDEX_ID|threadKey|releaseKey|releaseHistoryKey|environmentKey)\b|\.store\.(read|create|replace|upsert|query|delete)\b/;
const teamsFilesWithDocumentAccess = sourceFiles('src/teams')
  .filter((file) => file !== 'src/teams/welcome.ts')
  .filter((file) => DOCUMENT_ACCESS.test(readFileSync(path.join(ROOT, file), 'utf8')) || localImportsOf(file).some((name) => name.startsWith('src/store/')))
  .sort();

describe('nothing imports the routes back', () => {
  test('the import reader finds imports in every form and resolves them', () => {
    const text = "import { a } from './routes';\nimport type {\n  B,\n} from '../teams/routes';\nexport { c } from './x';\nconst d = require('./routes.js');\nvoid import('./y');\n";
    expect(localImportsOf('src/teams/z.ts', text)).toEqual(['src/teams/routes', 'src/teams/routes', 'src/teams/x', 'src/teams/routes', 'src/teams/y']);
  });

  test('only src/server.ts imports src/teams/routes.ts; no file in src/teams does', () => {
    expect(importersOfRoutes).toEqual(['src/server.ts']);
  });
});

describe('src/teams reads no documents itself', () => {
  test('the pattern finds a document read', () => {
    expect(DOCUMENT_ACCESS.test('const index = await deps.store.read<ReleaseIndexDocument>(SETTINGS_PARTITION, RELEASE_INDEX_ID);')).toBe(true);
    expect(DOCUMENT_ACCESS.test('const entries = await deps.service.releaseIndex();')).toBe(false);
  });

  test('no file in src/teams (but the welcome, which keeps its own record) reads or writes the store', () => {
    expect(teamsFilesWithDocumentAccess).toEqual([]);
  });
});
