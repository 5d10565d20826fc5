import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

// What `npm prune --omit=dev` leaves in the deployed package must be what the bot loads: every
// package the bot's process imports is a dependency, and every dependency is one it imports.
// Test-only and build-time packages (adaptivecards: the tests' Adaptive Card validator; adm-zip
// and pngjs: src/dev's app packaging and icons) are devDependencies.

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; dev?: boolean }>;
};

/** What a file loads at run time (type-only imports stripped first: they cost nothing at run time). */
function runtimeImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/^import type [^;]+;$/gm, '');
  return ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName);
}

/** `@scope/name/deep/path` → `@scope/name`, `name/deep` → `name`. */
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Every package the bot's process loads: the import closure of src/main.ts (what `npm run serve` runs). */
function packagesLoadedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeImportsOf(file)) {
      if (specifier.startsWith('.')) {
        const base = path.resolve(path.dirname(file), specifier);
        const found = [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
        if (found) queue.push(found);
        else if (!specifier.endsWith('.json')) throw new Error(`${path.relative(ROOT, file)}: cannot resolve ${specifier}`);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        packages.add(packageName(specifier));
      }
    }
  }
  return packages;
}

const runtimePackages = packagesLoadedFrom(path.join(ROOT, 'src', 'main.ts'));

describe('dependencies where they belong', () => {
  test('every package the bot loads (the imports of src/main.ts, followed) is a production dependency', () => {
    expect([...runtimePackages].filter((name) => !(name in manifest.dependencies)).sort()).toEqual([]);
  });

  test('every production dependency is one the bot loads', () => {
    expect(Object.keys(manifest.dependencies).filter((name) => !runtimePackages.has(name)).sort()).toEqual([]);
  });

  test('adaptivecards is test-only: a devDependency, marked dev in the lockfile, and the bot never loads it', () => {
    expect(manifest.devDependencies.adaptivecards).toBeDefined();
    expect(manifest.dependencies.adaptivecards).toBeUndefined();
    expect(runtimePackages.has('adaptivecards')).toBe(false);
    expect(lock.packages['node_modules/adaptivecards']?.dev).toBe(true);
  });

  test("the lockfile's root entry lists the same dependencies as package.json", () => {
    expect(lock.packages['']?.dependencies).toEqual(manifest.dependencies);
    expect(lock.packages['']?.devDependencies).toEqual(manifest.devDependencies);
  });
});
