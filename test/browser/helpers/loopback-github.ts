import http from 'node:http';
import { AddressInfo } from 'node:net';

// GitHub's "create an issue" endpoint on a loopback port, so the bot's real GitHub client
// (GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN) files a post-deployment bug over HTTP and the
// test can check the request. Every other request is a 404, as GitHub answers an unknown route.

export interface CreatedIssueRequest {
  readonly path: string;
  readonly authorization: string;
  readonly body: { title?: string; body?: string; labels?: string[] };
}

export interface LoopbackGitHub {
  /** What to put in GITHUB_API_URL. */
  readonly url: string;
  /** The "owner/repo" it accepts issues for. */
  readonly repository: string;
  readonly issues: CreatedIssueRequest[];
  close(): Promise<void>;
}

export async function startLoopbackGitHub(repository = 'lendos/lendos-platform', firstNumber = 101): Promise<LoopbackGitHub> {
  const issues: CreatedIssueRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const send = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(payload));
      };
      if (request.method !== 'POST' || request.url !== `/repos/${repository}/issues`) {
        send(404, { message: 'Not Found' });
        return;
      }
      let body: CreatedIssueRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        send(400, { message: 'Problems parsing JSON' });
        return;
      }
      issues.push({ path: request.url, authorization: String(request.headers.authorization ?? ''), body });
      const number = firstNumber + issues.length - 1;
      send(201, { number, html_url: `https://github.com/${repository}/issues/${number}`, title: body.title, labels: body.labels ?? [] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    repository,
    issues,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
