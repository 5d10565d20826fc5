/** Unit and HTTP tests run by `npm test`; the browser project needs Chromium and the Agents Playground. */
const base = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  // The Agents Toolkit's deploy stages the production package there (a second package.json).
  modulePathIgnorePatterns: ['<rootDir>/.deploy/'],
};
module.exports = {
  // Generous: the HTTP and multi-process tests share two cores with whatever else the machine runs.
  testTimeout: 30000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/test/browser/'] },
    { ...base, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'], testTimeout: 180000 },
  ],
};
