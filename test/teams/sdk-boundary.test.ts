import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// Every import of botbuilder, teams-ai (or a successor SDK) stays in the files docs/sdk-migration.md
// lists, all of them src/server.ts or under src/teams/, so a migration to the Microsoft 365 Agents
// SDK touches those files only. The page also names every deep import (a path inside a package)
// and every overridden SDK method, the things that break first on an upgrade.

const ROOT = path.resolve(__dirname, '..', '..');
const SDK = /^(botbuilder|botbuilder-[\w-]+|botframework-[\w-]+|@microsoft\/teams-ai|@microsoft\/agents-[\w-]+|@microsoft\/teams\.[\w-]+)(\/.*)?$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** SDK modules a file imports: import/export from, import(), require(), import x = require(). */
function sdkImportsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName).filter((name) => SDK.test(name));
}

const doc = readFileSync(path.join(ROOT, 'docs', 'sdk-migration.md'), 'utf8');
const section = (heading: string) => {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/sdk-migration.md has no "## ${heading}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
};
/** First column of the section's tables: `src/...` files. */
const listedFiles = [...section('Files that import the SDK').matchAll(/^\| `(src\/[^`]+)` \|/gm)].map((match) => match[1]!);
const breaksFirst = section('What breaks first');

const importing = new Map(sourceFiles('src').map((file) => [file, sdkImportsOf(file)] as const).filter(([, modules]) => modules.length > 0));

describe('SDK imports stay inside the files docs/sdk-migration.md lists', () => {
  test('the import reader finds imports in every form', () => {
    const found = ts
      .preProcessFile("import { A } from 'botbuilder';\nimport type {\n  B,\n} from 'botframework-connector';\nconst c = require('@microsoft/teams-ai/lib/Application');\nexport { D } from '@microsoft/agents-hosting';\nvoid import('botbuilder-stdlib/lib/x');\n", true, true)
      .importedFiles.map((imported) => imported.fileName)
      .filter((name) => SDK.test(name));
    expect(found).toEqual(['botbuilder', 'botframework-connector', '@microsoft/teams-ai/lib/Application', '@microsoft/agents-hosting', 'botbuilder-stdlib/lib/x']);
    expect(importing.size).toBeGreaterThan(0);
  });

  test('every file in src/ that imports an SDK package is listed, and every listed file still imports one', () => {
    expect([...importing.keys()].sort()).toEqual([...listedFiles].sort());
  });

  test('the listed files are src/server.ts and files under src/teams/', () => {
    expect(listedFiles.filter((file) => file !== 'src/server.ts' && !file.startsWith('src/teams/'))).toEqual([]);
  });

  test('every deep import (a path inside an SDK package) is named under "What breaks first"', () => {
    const deep = [...new Set([...importing.values()].flat().filter((name) => SDK.exec(name)?.[2]))];
    expect(deep.length).toBeGreaterThan(0);
    expect(deep.filter((name) => !breaksFirst.includes(`\`${name}\``))).toEqual([]);
  });

  test('every method a listed file overrides is named under "What breaks first"', () => {
    const overrides = [...importing.keys()].flatMap((file) =>
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/\boverride\s+(?:async\s+)?(\w+)\s*\(/g)].map((match) => match[1]!),
    );
    expect(overrides).toContain('processActivity');
    expect(overrides.filter((name) => !breaksFirst.includes(`override ${name}(`))).toEqual([]);
  });

  test('every module path deferred-modules.ts names inside an SDK package is named under "What breaks first"', () => {
    const deferred = readFileSync(path.join(ROOT, 'src', 'teams', 'deferred-modules.ts'), 'utf8');
    const names = [...deferred.matchAll(/from: '([^']+)'/g)].map((match) => match[1]!).filter((name) => SDK.test(name));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !breaksFirst.includes(`\`${name}\``))).toEqual([]);
  });
});
