import { IncomingMessage, ServerResponse, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';

// Sits between the bot processes and the loopback Bot Connector and, on demand, holds one request
// instead of forwarding it: Teams slow to answer a post, long enough to kill the bot meanwhile. A
// held request never reaches the connector, so it never counts as posted; on release it is answered
// with an error (or its connection dropped), as Teams would treat a call from a process that died.
// It can also forward a request and hold only its answer: Teams took the post, the bot never heard.

export interface ConnectorRequest {
  readonly method: string;
  /** Path segments, decoded: ['v3', 'conversations', '<conversation id>', 'activities', ...]. */
  readonly parts: readonly string[];
}

export interface Hold {
  /** Resolves with the request once one matching it arrives. */
  readonly caught: Promise<ConnectorRequest>;
  /** Whether the sender's connection closed while held (the sending process died). */
  readonly senderGone: boolean;
  /** Answers the held request with 503, or drops its connection; it is never forwarded. */
  release(how: 'fail' | 'drop'): void;
}

/** A request forwarded to the connector (Teams took it) whose answer is kept from the sender. */
export interface HeldAnswer {
  /** Resolves once the connector has answered the matching request. */
  readonly answered: Promise<ConnectorRequest>;
  /** Whether the sender's connection closed while its answer was held (the sending process died). */
  readonly senderGone: boolean;
  /** Hands the connector's answer to the sender at last (if it is still there). */
  pass(): void;
}

export interface HoldingProxy {
  readonly url: string;
  /** Holds the next request that matches; every other request is forwarded as is. */
  holdNext(match: (request: ConnectorRequest) => boolean): Hold;
  /**
   * Forwards the next request that matches, then holds the connector's answer: Teams posted the
   * message, and the bot has not heard so. Kill the bot meanwhile for a crash in that window.
   */
  holdAnswerOfNext(match: (request: ConnectorRequest) => boolean): HeldAnswer;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  const rules: Array<{ match: (request: ConnectorRequest) => boolean; onCaught: (req: IncomingMessage, res: ServerResponse, seen: ConnectorRequest) => void }> = [];
  const held = new Set<ServerResponse>();
  const answerRules: Array<{ match: (request: ConnectorRequest) => boolean; onAnswer: (answer: IncomingMessage, res: ServerResponse, seen: ConnectorRequest) => void }> = [];

  const server = createServer((req, res) => {
    const seen: ConnectorRequest = {
      method: req.method ?? '',
      parts: (req.url ?? '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent),
    };
    const rule = rules.findIndex((r) => r.match(seen));
    if (rule >= 0) {
      const [{ onCaught }] = rules.splice(rule, 1) as [(typeof rules)[number]];
      held.add(res);
      req.resume();
      return onCaught(req, res, seen);
    }
    const answerRule = answerRules.findIndex((r) => r.match(seen));
    const onAnswer = answerRule >= 0 ? answerRules.splice(answerRule, 1)[0]!.onAnswer : undefined;
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (onAnswer) return onAnswer(answer, res, seen);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'BadGateway', message: error.message } }));
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    holdNext(match) {
      let senderGone = false;
      let response: ServerResponse | undefined;
      const caught = new Promise<ConnectorRequest>((resolve) => {
        rules.push({
          match,
          onCaught: (req, res, seen) => {
            response = res;
            res.on('close', () => {
              if (!res.writableEnded) senderGone = true;
            });
            req.socket.on('close', () => {
              if (!res.writableEnded) senderGone = true;
            });
            resolve(seen);
          },
        });
      });
      return {
        caught,
        get senderGone() {
          return senderGone;
        },
        release(how) {
          if (!response) throw new Error('nothing is held yet');
          held.delete(response);
          if (how === 'drop' || response.destroyed) {
            response.destroy();
            return;
          }
          response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
          response.end(JSON.stringify({ error: { code: 'ServiceUnavailable', message: 'held by the test, never delivered' } }));
        },
      };
    },
    holdAnswerOfNext(match) {
      let senderGone = false;
      let deliver: (() => void) | undefined;
      const answered = new Promise<ConnectorRequest>((resolve) => {
        answerRules.push({
          match,
          onAnswer: (answer, res, seen) => {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('end', () => {
              held.add(res);
              res.on('close', () => {
                if (!res.writableEnded) senderGone = true;
              });
              res.socket?.on('close', () => {
                if (!res.writableEnded) senderGone = true;
              });
              deliver = () => {
                held.delete(res);
                if (res.destroyed) return;
                res.writeHead(answer.statusCode ?? 502, answer.headers);
                res.end(Buffer.concat(chunks));
              };
              resolve(seen);
            });
          },
        });
      });
      return {
        answered,
        get senderGone() {
          return senderGone;
        },
        pass() {
          if (!deliver) throw new Error('no answer is held yet');
          deliver();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
