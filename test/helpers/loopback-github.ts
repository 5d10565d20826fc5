import { createServer, IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

// The GitHub REST API's "create an issue" on loopback: POST {prefix}/repos/{owner}/{repo}/issues.
// It checks what GitHub checks (the token, the repository, a JSON body with a title; labels and
// body of the right types), answers 201 with the issue like GitHub, records every request, and
// can fail the next N with 403/500/... as GitHub does when a token lacks access or it has an outage.

export interface GitHubRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: any;
  status: number;
}

export interface GitHubIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly html_url: string;
}

export interface LoopbackGitHub {
  /** API root to give the client: http://127.0.0.1:{port}{prefix}. */
  readonly url: string;
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly requests: GitHubRequest[];
  readonly issues: GitHubIssue[];
  readonly malformed: string[];
  /** The next `count` issue creations fail with `status` (and GitHub's message for it, or `message`). */
  failNext(count: number, status: 401 | 403 | 404 | 410 | 422 | 500 | 502 | 503, options?: { message?: string; rateLimited?: boolean }): void;
  close(): Promise<void>;
}

const MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by personal access token',
  404: 'Not Found',
  410: 'Issues are disabled for this repo',
  422: 'Validation Failed',
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
};

export async function startLoopbackGitHub(
  options: { readonly owner?: string; readonly repo?: string; readonly token?: string; readonly pathPrefix?: string } = {},
): Promise<LoopbackGitHub> {
  const owner = options.owner ?? 'lendos';
  const repo = options.repo ?? 'lendos-platform';
  const token = options.token ?? 'github_pat_loopback_0123456789';
  const prefix = options.pathPrefix ?? '';
  const requests: GitHubRequest[] = [];
  const issues: GitHubIssue[] = [];
  const malformed: string[] = [];
  let failures: { count: number; status: number; message?: string; rateLimited?: boolean } = { count: 0, status: 500 };
  let url = '';

  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const text = await readText(req);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const request: GitHubRequest = { method: req.method ?? '', path, headers: req.headers, body, status: 0 };
    requests.push(request);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      request.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const refuse = (status: number, message: string, headers?: Record<string, string>) =>
      answer(status, { message, documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue', status: String(status) }, headers);

    const authorization = String(req.headers.authorization ?? '');
    const presented = /^(?:token|Bearer) (.+)$/.exec(authorization)?.[1];
    if (presented !== token) return refuse(401, 'Bad credentials');

    if (req.method !== 'POST' || path !== `${prefix}/repos/${owner}/${repo}/issues`) {
      malformed.push(`${req.method} ${path}`);
      return refuse(404, 'Not Found');
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) {
      malformed.push(`content-type ${req.headers['content-type']}`);
      return refuse(415, 'Unsupported Media Type');
    }
    if (!String(req.headers.accept).includes('application/vnd.github')) malformed.push(`accept ${req.headers.accept}`);
    if (failures.count > 0) {
      failures.count -= 1;
      const headers: Record<string, string> = failures.rateLimited
        ? { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) }
        : {};
      const message = failures.message ?? (failures.rateLimited ? 'API rate limit exceeded for user ID 1.' : MESSAGES[failures.status]!);
      return refuse(failures.status, message, headers);
    }
    const problems: string[] = [];
    if (typeof body !== 'object' || body === null) problems.push('body must be a JSON object');
    else {
      if (typeof body.title !== 'string' || !body.title.trim()) problems.push('title is required');
      if (body.body !== undefined && typeof body.body !== 'string') problems.push('body must be a string');
      if (body.labels !== undefined && (!Array.isArray(body.labels) || body.labels.some((l: unknown) => typeof l !== 'string' || !l || l.length > 50))) {
        problems.push('labels must be strings of 1–50 characters');
      }
    }
    if (problems.length) {
      malformed.push(problems.join('; '));
      return answer(422, { message: 'Validation Failed', errors: problems.map((p) => ({ resource: 'Issue', code: 'invalid', message: p })) });
    }
    const number = 100 + issues.length + 1;
    const issue: GitHubIssue = {
      number,
      title: body.title,
      body: body.body ?? '',
      labels: body.labels ?? [],
      html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
    };
    issues.push(issue);
    return answer(201, {
      id: 2_000_000 + number,
      node_id: `I_kwDO${number}`,
      url: `${url}/repos/${owner}/${repo}/issues/${number}`,
      html_url: issue.html_url,
      number,
      state: 'open',
      title: issue.title,
      body: issue.body,
      labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: name === 'bug' })),
      user: { login: 'lendos-bot', id: 1, type: 'Bot' },
      created_at: new Date().toISOString(),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  return {
    url,
    token,
    owner,
    repo,
    requests,
    issues,
    malformed,
    failNext(count, status, failOptions = {}) {
      failures = { count, status, ...failOptions };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
