'use strict';
// `node -r ./test/helpers/ts-register.js some-file.ts`: runs TypeScript sources directly, without a
// build, for tests that start the bot as a real child process (test/helpers/bot-process.ts).
//
// Each .ts file is transpiled on its own with typescript.transpileModule (CommonJS, ES2022; the
// project sets isolatedModules, so per-file transpiling is exact). No type check: `tsc --noEmit`
// does that. Output is cached in os.tmpdir() by a hash of the source, the compiler version and the
// options, so a second process starts without even loading the compiler.

const { createHash } = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// module CommonJS and target ES2022 are added as the compiler's enums once it is loaded
const COMPILER_OPTIONS = { esModuleInterop: true, resolveJsonModule: true, inlineSourceMap: true };
const cacheDir = path.join(os.tmpdir(), 'lendos-ts-register');
const compilerVersion = require('typescript/package.json').version;
const salt = `${compilerVersion}:CommonJS:ES2022:${JSON.stringify(COMPILER_OPTIONS)}`;
let typescript; // loaded on the first cache miss only (it takes a few hundred ms)

function transpile(source, filename) {
  const key = createHash('sha256').update(salt).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  typescript ??= require('typescript');
  const { outputText, diagnostics } = typescript.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: {
      ...COMPILER_OPTIONS,
      module: typescript.ModuleKind.CommonJS,
      target: typescript.ScriptTarget.ES2022,
    },
  });
  const syntaxErrors = (diagnostics ?? []).filter((d) => d.category === typescript.DiagnosticCategory.Error);
  if (syntaxErrors.length > 0) {
    const text = syntaxErrors.map((d) => typescript.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n');
    throw new SyntaxError(`${filename}: ${text}`);
  }
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // write then rename, so a process starting concurrently never reads half a file
    const partial = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(partial, outputText);
    fs.renameSync(partial, cached);
  } catch {
    // a cache we cannot write only costs time
  }
  return outputText;
}

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
