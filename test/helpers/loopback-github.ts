import { createServer, IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

// The GitHub REST API on loopback, for the calls the bot makes:
//   POST {prefix}/repos/{owner}/{repo}/issues               create an issue (post-deployment bugs)
//   GET  {prefix}/repos/{owner}/{repo}/tags                 list tags
//   GET  {prefix}/repos/{owner}/{repo}/compare/{base}...{head}
//   GET  {prefix}/repos/{owner}/{repo}/pulls                list pull requests
//   GET  {prefix}/repos/{owner}/{repo}/commits/{ref}        get a commit (a tag resolves to its commit)
//   POST {prefix}/repos/{owner}/{repo}/releases             create a release
// It checks what GitHub checks (the token, the repository, the media type, query parameters and
// body fields of the right types), answers like GitHub, records every request, lists anything that
// did not look right in `malformed`, and can fail the next N requests with 403/500/... as GitHub
// does when a token lacks access or it has an outage. The repository is a linear history of
// commits, tags on them, and merged pull requests, which tests add.

export interface GitHubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
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

export interface LoopbackCommit {
  readonly sha: string;
  readonly message: string;
  /** ISO; when the change was written. */
  readonly authoredAt: string;
  /** ISO; when it landed on the branch. */
  readonly committedAt: string;
}

export interface LoopbackPull {
  readonly number: number;
  readonly title: string;
  readonly labels: readonly string[];
  /** The commit the merge left on the branch; undefined for a pull request closed unmerged. */
  readonly mergeCommitSha?: string;
  readonly mergedAt?: string;
  readonly updatedAt: string;
}

export interface GitHubRelease {
  readonly id: number;
  readonly tag_name: string;
  readonly target_commitish: string;
  readonly name: string;
  readonly body: string;
  readonly prerelease: boolean;
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
  readonly releases: GitHubRelease[];
  readonly malformed: string[];
  /** Appends a commit to the default branch (oldest first); returns its sha. */
  commit(message: string, at: string, authoredAt?: string): string;
  /** Points a tag at a commit. */
  tag(name: string, sha: string): void;
  /** A pull request merged as `sha` (or closed unmerged without one). */
  pull(pull: LoopbackPull): void;
  /** The next `count` requests fail with `status` (and GitHub's message for it, or `message`). */
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

/** Query parameters each read takes, with a check of the value; anything else is a mistake. */
const QUERY: Record<string, Record<string, (value: string) => boolean>> = {
  tags: { per_page: perPage, page: positive },
  compare: { per_page: perPage, page: positive },
  pulls: {
    state: (v) => ['open', 'closed', 'all'].includes(v),
    sort: (v) => ['created', 'updated', 'popularity', 'long-running'].includes(v),
    direction: (v) => ['asc', 'desc'].includes(v),
    base: (v) => v !== '',
    head: (v) => v !== '',
    per_page: perPage,
    page: positive,
  },
  commit: {},
};

function perPage(value: string): boolean {
  return /^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100;
}

function positive(value: string): boolean {
  return /^\d+$/.test(value) && Number(value) >= 1;
}

export async function startLoopbackGitHub(
  options: { readonly owner?: string; readonly repo?: string; readonly token?: string; readonly pathPrefix?: string } = {},
): Promise<LoopbackGitHub> {
  const owner = options.owner ?? 'lendos';
  const repo = options.repo ?? 'lendos-platform';
  const token = options.token ?? 'github_pat_loopback_0123456789';
  const prefix = options.pathPrefix ?? '';
  const requests: GitHubRequest[] = [];
  const issues: GitHubIssue[] = [];
  const releases: GitHubRelease[] = [];
  const malformed: string[] = [];
  const commits: LoopbackCommit[] = [];
  const tags = new Map<string, string>();
  const pulls: LoopbackPull[] = [];
  let failures: { count: number; status: number; message?: string; rateLimited?: boolean } = { count: 0, status: 500 };
  let url = '';
  const repoPath = `${prefix}/repos/${owner}/${repo}`;
  const htmlRepo = `https://github.com/${owner}/${repo}`;

  const resolve = (ref: string): LoopbackCommit | undefined => {
    const sha = tags.get(ref) ?? ref;
    return commits.find((c) => c.sha === sha);
  };
  const commitJson = (c: LoopbackCommit) => ({
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 8)}`,
    html_url: `${htmlRepo}/commit/${c.sha}`,
    commit: {
      message: c.message,
      author: { name: 'Dev', email: 'dev@lendos.example', date: c.authoredAt },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: c.committedAt },
    },
  });

  const server: Server = createServer(async (req, res) => {
    const parsedUrl = new URL(req.url ?? '/', 'http://loopback');
    const path = decodeURIComponent(parsedUrl.pathname);
    const text = await readText(req);
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const request: GitHubRequest = { method: req.method ?? '', path, query: parsedUrl.searchParams, headers: req.headers, body, status: 0 };
    requests.push(request);
    const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      request.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const refuse = (status: number, message: string, headers?: Record<string, string>) =>
      answer(status, { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }, headers);
    const validation = (resource: string, errors: Array<{ field?: string; code: string; message?: string }>) => {
      malformed.push(`${req.method} ${path}: ${errors.map((e) => e.message ?? `${e.field} ${e.code}`).join('; ')}`);
      return answer(422, { message: 'Validation Failed', errors: errors.map((e) => ({ resource, ...e })), documentation_url: 'https://docs.github.com/rest' });
    };

    const authorization = String(req.headers.authorization ?? '');
    const presented = /^(?:token|Bearer) (.+)$/.exec(authorization)?.[1];
    if (presented !== token) return refuse(401, 'Bad credentials');
    if (!String(req.headers.accept).includes('application/vnd.github')) malformed.push(`accept ${req.headers.accept}`);

    const route = routeOf(req.method ?? '', path, repoPath);
    if (!route) {
      malformed.push(`${req.method} ${path}`);
      return refuse(404, 'Not Found');
    }
    if (req.method === 'POST' && !String(req.headers['content-type']).startsWith('application/json')) {
      malformed.push(`content-type ${req.headers['content-type']}`);
      return refuse(415, 'Unsupported Media Type');
    }
    const allowed = QUERY[route.name];
    if (allowed) {
      for (const [key, value] of parsedUrl.searchParams) {
        const check = allowed[key];
        if (!check || !check(value)) malformed.push(`${req.method} ${path}: query ${key}=${value}`);
      }
    }
    if (failures.count > 0) {
      failures.count -= 1;
      const headers: Record<string, string> = failures.rateLimited
        ? { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 60) }
        : {};
      const message = failures.message ?? (failures.rateLimited ? 'API rate limit exceeded for user ID 1.' : MESSAGES[failures.status]!);
      return refuse(failures.status, message, headers);
    }
    const page = Number(parsedUrl.searchParams.get('page') ?? '1');
    const per = Number(parsedUrl.searchParams.get('per_page') ?? '30');
    const paged = <T>(items: readonly T[]) => items.slice((page - 1) * per, page * per);

    switch (route.name) {
      case 'issues':
        return createIssue();
      case 'tags': {
        // GitHub lists tags newest first by name; the bot must not rely on the order.
        const list = [...tags.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([name, sha]) => ({
          name,
          commit: { sha, url: `${url}/repos/${owner}/${repo}/commits/${sha}` },
          zipball_url: `${url}/repos/${owner}/${repo}/zipball/refs/tags/${name}`,
          tarball_url: `${url}/repos/${owner}/${repo}/tarball/refs/tags/${name}`,
          node_id: `REF_${name}`,
        }));
        return answer(200, paged(list));
      }
      case 'compare': {
        const [base, head] = route.arg.split('...');
        const from = base ? resolve(base) : undefined;
        const to = head ? resolve(head) : undefined;
        if (!from || !to) return refuse(404, 'Not Found');
        const range = commits.slice(commits.indexOf(from) + 1, commits.indexOf(to) + 1);
        return answer(200, {
          url: `${url}/repos/${owner}/${repo}/compare/${route.arg}`,
          html_url: `${htmlRepo}/compare/${route.arg}`,
          status: range.length > 0 ? 'ahead' : 'identical',
          ahead_by: range.length,
          behind_by: 0,
          total_commits: range.length,
          base_commit: commitJson(from),
          merge_base_commit: commitJson(from),
          commits: paged(range).map(commitJson),
          files: [],
        });
      }
      case 'pulls': {
        const state = parsedUrl.searchParams.get('state') ?? 'open';
        const list = state === 'open' ? [] : [...pulls].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
        return answer(
          200,
          paged(list).map((p) => ({
            number: p.number,
            state: 'closed',
            title: p.title,
            html_url: `${htmlRepo}/pull/${p.number}`,
            labels: p.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
            merged_at: p.mergedAt ?? null,
            merge_commit_sha: p.mergeCommitSha ?? null,
            updated_at: p.updatedAt,
            closed_at: p.mergedAt ?? p.updatedAt,
            user: { login: 'dev', id: 7, type: 'User' },
          })),
        );
      }
      case 'commit': {
        const commit = resolve(route.arg);
        if (!commit) return answer(422, { message: `No commit found for SHA: ${route.arg}`, documentation_url: 'https://docs.github.com/rest' });
        return answer(200, commitJson(commit));
      }
      case 'releases':
        return createRelease();
    }

    function createIssue() {
      const problems: string[] = [];
      if (typeof body !== 'object' || body === null) problems.push('body must be a JSON object');
      else {
        if (typeof body.title !== 'string' || !body.title.trim()) problems.push('title is required');
        if (body.body !== undefined && typeof body.body !== 'string') problems.push('body must be a string');
        if (body.labels !== undefined && (!Array.isArray(body.labels) || body.labels.some((l: unknown) => typeof l !== 'string' || !l || l.length > 50))) {
          problems.push('labels must be strings of 1–50 characters');
        }
      }
      if (problems.length) return validation('Issue', problems.map((message) => ({ code: 'invalid', message })));
      const number = 100 + issues.length + 1;
      const issue: GitHubIssue = {
        number,
        title: body.title,
        body: body.body ?? '',
        labels: body.labels ?? [],
        html_url: `${htmlRepo}/issues/${number}`,
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
    }

    function createRelease() {
      const problems: Array<{ field?: string; code: string; message?: string }> = [];
      if (typeof body !== 'object' || body === null) return validation('Release', [{ code: 'invalid', message: 'body must be a JSON object' }]);
      if (typeof body.tag_name !== 'string' || body.tag_name === '') problems.push({ field: 'tag_name', code: 'missing_field' });
      for (const field of ['target_commitish', 'name', 'body'] as const) {
        if (body[field] !== undefined && typeof body[field] !== 'string') problems.push({ field, code: 'invalid', message: `${field} must be a string` });
      }
      for (const field of ['draft', 'prerelease'] as const) {
        if (body[field] !== undefined && typeof body[field] !== 'boolean') problems.push({ field, code: 'invalid', message: `${field} must be a boolean` });
      }
      if (problems.length) return validation('Release', problems);
      if (releases.some((r) => r.tag_name === body.tag_name)) {
        // Not a malformed request: what GitHub answers a second creation of the same release.
        return answer(422, { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }], documentation_url: 'https://docs.github.com/rest' });
      }
      const target = body.target_commitish ? resolve(body.target_commitish) : commits[commits.length - 1];
      if (!tags.has(body.tag_name)) {
        if (!target) return validation('Release', [{ field: 'target_commitish', code: 'invalid', message: 'target_commitish is not a commit' }]);
        tags.set(body.tag_name, target.sha);
      }
      const id = 9_000 + releases.length + 1;
      const release: GitHubRelease = {
        id,
        tag_name: body.tag_name,
        target_commitish: body.target_commitish ?? 'main',
        name: body.name ?? body.tag_name,
        body: body.body ?? '',
        prerelease: Boolean(body.prerelease),
        html_url: `${htmlRepo}/releases/tag/${body.tag_name}`,
      };
      releases.push(release);
      return answer(201, { ...release, url: `${url}/repos/${owner}/${repo}/releases/${id}`, draft: false, author: { login: 'lendos-bot' } });
    }
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
  let seq = 0;
  return {
    url,
    token,
    owner,
    repo,
    requests,
    issues,
    releases,
    malformed,
    commit(message, at, authoredAt = at) {
      seq += 1;
      const sha = (seq.toString(16).padStart(8, '0') + 'c0ffee').padEnd(40, '0');
      commits.push({ sha, message, authoredAt, committedAt: at });
      return sha;
    },
    tag(name, sha) {
      tags.set(name, sha);
    },
    pull(pull) {
      pulls.push(pull);
    },
    failNext(count, status, failOptions = {}) {
      failures = { count, status, ...failOptions };
    },
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function routeOf(method: string, path: string, repoPath: string): { name: keyof typeof QUERY | 'issues' | 'releases'; arg: string } | undefined {
  if (!path.startsWith(`${repoPath}/`)) return undefined;
  const rest = path.slice(repoPath.length + 1);
  if (method === 'POST' && rest === 'issues') return { name: 'issues', arg: '' };
  if (method === 'POST' && rest === 'releases') return { name: 'releases', arg: '' };
  if (method !== 'GET') return undefined;
  if (rest === 'tags') return { name: 'tags', arg: '' };
  if (rest === 'pulls') return { name: 'pulls', arg: '' };
  const compare = /^compare\/(.+\.\.\..+)$/.exec(rest);
  if (compare) return { name: 'compare', arg: compare[1]! };
  const commit = /^commits\/([^/]+)$/.exec(rest);
  if (commit) return { name: 'commit', arg: commit[1]! };
  return undefined;
}

function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
