import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { MAX_BODY_BYTES } from '../../src/server';
import { people } from '../helpers/bot-harness';
import { HttpBot, collectingLogger, startHttpBot } from '../helpers/http-bot';

// What reaches /api/messages before any token is looked at: one JSON body of at most 256 KB, not
// compressed. Anything else is answered at once and nothing happens. The bot here runs without an
// app id, so a request within the limits would be handled: each refusal is the limit's doing.

describe('request limits on /api/messages', () => {
  let h: HttpBot;
  const logs = collectingLogger();
  let patch = 0;
  const nextRelease = () => `2032.2.${(patch += 1)}`;
  const cutOf = (release: string, padding = '') => h.message(people.jake, `rc ${release}-rc.1\nfeatures: Loan export\nnotes: https://notes.example/${release}`, { padding });

  beforeAll(async () => {
    h = await startHttpBot({ logger: logs.logger });
  });
  afterAll(() => h?.close());

  /** Sends `body` as is with `headers` (no Content-Length when `chunked`). */
  function rawPost(body: Buffer, headers: Record<string, string>, chunked = false): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(`${h.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      if (chunked) {
        for (let offset = 0; offset < body.length; offset += 16 * 1024) req.write(body.subarray(offset, offset + 16 * 1024));
        req.end();
      } else {
        req.setHeader('content-length', String(body.length));
        req.end(body);
      }
    });
  }

  async function expectNothingHappened(release: string, callsBefore: number) {
    await h.bot.outbox.idle();
    expect(await h.release(release)).toBeUndefined();
    expect(h.connector.calls.slice(callsBefore)).toEqual([]);
  }

  test('control: the same command within the limit is handled', async () => {
    const release = nextRelease();
    const body = Buffer.from(JSON.stringify(cutOf(release, 'x'.repeat(1000))));
    const response = await rawPost(body, {});
    await h.bot.outbox.idle();
    expect(response.status).toBe(200);
    expect(await h.release(release)).toBeDefined();
  });

  test('a body over 256 KB with its Content-Length: 413 before it is read, nothing happens', async () => {
    const release = nextRelease();
    const callsBefore = h.connector.calls.length;
    const body = Buffer.from(JSON.stringify(cutOf(release, 'x'.repeat(MAX_BODY_BYTES))));
    const response = await rawPost(body, {});
    expect(response.status).toBe(413);
    await expectNothingHappened(release, callsBefore);
  });

  test('a body over 256 KB sent chunked (no Content-Length): 413, nothing happens', async () => {
    const release = nextRelease();
    const callsBefore = h.connector.calls.length;
    const body = Buffer.from(JSON.stringify(cutOf(release, 'x'.repeat(MAX_BODY_BYTES))));
    const response = await rawPost(body, {}, true);
    expect(response.status).toBe(413);
    await expectNothingHappened(release, callsBefore);
  });

  test('a gzip body (which would inflate past the limit unseen): 415, nothing happens', async () => {
    const release = nextRelease();
    const callsBefore = h.connector.calls.length;
    const response = await rawPost(gzipSync(Buffer.from(JSON.stringify(cutOf(release)))), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(415);
    await expectNothingHappened(release, callsBefore);
  });

  test('a multipart upload is not parsed (nor written to disk): 415, nothing happens', async () => {
    const callsBefore = h.connector.calls.length;
    const boundary = 'lendos-boundary';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(1000)}\r\n--${boundary}--\r\n`,
    );
    const response = await rawPost(body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toEqual({
      error: 'Unsupported Media Type',
      message: 'The body must be a JSON Bot Framework activity sent as application/json, not multipart/form-data.',
    });
    await h.bot.outbox.idle();
    expect(h.connector.calls.slice(callsBefore)).toEqual([]);
  });

  test('JSON that is not an activity: 400 with our JSON error, not botbuilder\'s text; nothing happens', async () => {
    const callsBefore = h.connector.calls.length;
    const notAnActivity = { error: 'Bad Request', message: 'The body is not a Bot Framework activity (a JSON object with a type).' };
    for (const body of ['{"type": 42}', '[1,2]', '"message"', 'null', '{}', '{"type": ""}']) {
      const response = await rawPost(Buffer.from(body), {});
      expect({ body, status: response.status, answer: JSON.parse(response.body) }).toEqual({ body, status: 400, answer: notAnActivity });
    }
    await h.bot.outbox.idle();
    expect(h.connector.calls.slice(callsBefore)).toEqual([]);
  });

  test('unparsable or empty JSON: 400 saying so, as JSON; nothing happens', async () => {
    const release = nextRelease();
    const callsBefore = h.connector.calls.length;
    const cut = JSON.stringify(cutOf(release));
    for (const [body, message] of [
      ['not json', 'The body is not valid JSON.'],
      [cut.slice(0, -1), 'The body is not valid JSON.'],
      ['', 'The body is empty; send a JSON Bot Framework activity.'],
    ] as const) {
      const response = await rawPost(Buffer.from(body), { 'content-type': 'application/json; charset=utf-8' });
      expect({ body: body.slice(0, 20), status: response.status, answer: JSON.parse(response.body) }).toEqual({
        body: body.slice(0, 20),
        status: 400,
        answer: { error: 'Bad Request', message },
      });
    }
    await expectNothingHappened(release, callsBefore);
  });

  test('a body of another type, or with no Content-Type, is 415 as JSON even when it holds JSON; nothing happens', async () => {
    const release = nextRelease();
    const callsBefore = h.connector.calls.length;
    const cut = Buffer.from(JSON.stringify(cutOf(release)));
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', '']) {
      const response = await rawPost(cut, { 'content-type': type });
      expect({ type, status: response.status, error: JSON.parse(response.body).error }).toEqual({ type, status: 415, error: 'Unsupported Media Type' });
    }
    await expectNothingHappened(release, callsBefore);
  });

  test('each refusal is logged, without the body', () => {
    const refused = logs.entries().filter((entry) => entry.msg === 'request refused');
    expect(refused.map((entry) => entry.status)).toEqual(expect.arrayContaining([413, 415]));
    expect(logs.lines.join('\n')).not.toContain('xxxxxxxxxx');
    expect(logs.lines.join('\n')).not.toContain('Loan export');
  });
});
