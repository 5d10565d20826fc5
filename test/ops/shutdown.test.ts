import { people } from '../helpers/bot-harness';
import { HttpResponse, collectingLogger, startHttpBot } from '../helpers/http-bot';
import { waitFor } from '../helpers/wait-for';
import { GatedWritesStore } from './store-faults';

// BotServer.close(): stop accepting, let the turns in flight finish (their writes land and their
// replies go out), then let the outbox deliver, each bounded.

const cutText = (release: string) => `rc ${release}-rc.1\nfeatures: Loan export\nnotes: https://notes.example/${release}`;

describe('graceful shutdown', () => {
  test('close() waits for a turn in flight: its write lands, its reply goes out, and only then does close resolve', async () => {
    let store!: GatedWritesStore;
    const logs = collectingLogger();
    const h = await startHttpBot({ logger: logs.logger, wrapStore: (inner) => (store = new GatedWritesStore(inner)) });
    try {
      store.hold();
      const answered: Promise<HttpResponse> = h.post(h.message(people.jake, cutText('2033.3.1')));
      await waitFor(() => store.waiting > 0, 'the RC cut to reach its write');

      let closed = false;
      const closing = h.bot.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(closed).toBe(false);
      // no new connections once close began
      await expect(fetch(`${h.bot.url}/healthz`)).rejects.toThrow();

      const callsBefore = h.connector.calls.length;
      store.release();
      await closing;
      expect((await answered).status).toBe(200);
      expect(await h.release('2033.3.1')).toBeDefined();
      // what the turn and its outbox sent went out before close resolved
      expect(h.connector.calls.length).toBeGreaterThan(callsBefore);
      expect(logs.entries()).toContainEqual(expect.objectContaining({ msg: 'bot stopped', finishedTurns: 1 }));
    } finally {
      store.release();
      await h.close();
    }
  });

  test('a turn that never finishes does not hold shutdown past its bound', async () => {
    let store!: GatedWritesStore;
    const logs = collectingLogger();
    const h = await startHttpBot({ logger: logs.logger, server: { shutdownTimeoutMs: 200 }, wrapStore: (inner) => (store = new GatedWritesStore(inner)) });
    try {
      store.hold();
      const answered = h.post(h.message(people.jake, cutText('2033.3.2'))).catch((error: unknown) => error);
      await waitFor(() => store.waiting > 0, 'the RC cut to reach its write');
      const started = performance.now();
      await h.bot.close();
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(logs.entries()).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'shutdown: turns still running; closing anyway', inFlight: 1 }));
      await answered; // the connection was closed under it
      // the abandoned turn goes on once its write is let through; let it end before the store closes
      store.release();
      for (let tries = 0; tries < 200 && !(await h.release('2033.3.2')); tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(await h.release('2033.3.2')).toBeDefined();
    } finally {
      store.release();
      await h.close();
    }
  });

  test('close() twice is one shutdown', async () => {
    const logs = collectingLogger();
    const h = await startHttpBot({ logger: logs.logger });
    await Promise.all([h.bot.close(), h.bot.close()]);
    await h.close();
    expect(logs.entries().filter((entry) => entry.msg === 'bot stopped')).toHaveLength(1);
  });
});
