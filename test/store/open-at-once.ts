// A child process for embedded-store.test.ts: opens each of the given fresh store files at the
// instant the parent named for it (busy-waiting to that millisecond, so several processes open one
// file together, as instances started at once do), writes one document and closes it. Prints one
// line per file: "opened <path>" or "failed <path>: <message>".
import { openEmbeddedStore } from '../../src/store/embedded-store';

async function main(): Promise<void> {
  const [startAt, stepMs, name, ...paths] = process.argv.slice(2);
  for (const [index, path] of paths.entries()) {
    const at = Number(startAt) + index * Number(stepMs);
    while (Date.now() < at) {
      // Busy-wait: a timer would spread the processes' opens over milliseconds.
    }
    try {
      const store = openEmbeddedStore(path);
      await store.create({ pk: 'opened', id: name });
      await store.close();
      process.stdout.write(`opened ${path}\n`);
    } catch (error) {
      process.stdout.write(`failed ${path}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
}

void main();
