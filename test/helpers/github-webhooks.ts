import { createHmac, randomUUID } from 'node:crypto';

// GitHub webhook deliveries as GitHub sends them: the documented payload shapes of `release`,
// `push` and `create`, the headers of a delivery (X-GitHub-Event, X-GitHub-Delivery,
// X-Hub-Signature-256 = "sha256=" + HMAC-SHA256 of the raw body with the webhook secret), posted
// over HTTP to the bot. https://docs.github.com/webhooks/webhook-events-and-payloads

export const WEBHOOK_SECRET = 'loopback-webhook-secret-3f9a0c';
export const OWNER = 'lendos';
export const REPO = 'lendos-platform';

export function signature256(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function repository(owner = OWNER, repo = REPO) {
  return {
    id: 1296269,
    node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
    name: repo,
    full_name: `${owner}/${repo}`,
    private: true,
    owner: { login: owner, id: 1, node_id: 'MDQ6VXNlcjE=', type: 'Organization', html_url: `https://github.com/${owner}` },
    html_url: `https://github.com/${owner}/${repo}`,
    description: 'LendOS',
    fork: false,
    url: `https://api.github.com/repos/${owner}/${repo}`,
    default_branch: 'main',
  };
}

function sender(login: string) {
  return { login, id: 583231, node_id: 'MDQ6VXNlcjU4MzIzMQ==', type: 'User', site_admin: false, html_url: `https://github.com/${login}` };
}

export interface ReleasePayloadOptions {
  readonly tag: string;
  readonly body?: string | null;
  readonly name?: string | null;
  readonly login?: string;
  readonly action?: string;
  readonly prerelease?: boolean;
  readonly owner?: string;
  readonly repo?: string;
}

/** `release` with action `published` (a pre-release unless said otherwise). */
export function releasePayload(options: ReleasePayloadOptions): Record<string, unknown> {
  const { owner = OWNER, repo = REPO, login = 'octocat' } = options;
  const id = 1_000_000 + Math.floor(Math.random() * 1000);
  return {
    action: options.action ?? 'published',
    release: {
      url: `https://api.github.com/repos/${owner}/${repo}/releases/${id}`,
      assets_url: `https://api.github.com/repos/${owner}/${repo}/releases/${id}/assets`,
      upload_url: `https://uploads.github.com/repos/${owner}/${repo}/releases/${id}/assets{?name,label}`,
      html_url: `https://github.com/${owner}/${repo}/releases/tag/${options.tag}`,
      id,
      author: sender(login),
      node_id: 'RE_kwDOAAABBB',
      tag_name: options.tag,
      target_commitish: 'main',
      name: options.name === undefined ? options.tag : options.name,
      draft: false,
      prerelease: options.prerelease ?? true,
      created_at: '2026-04-09T14:00:00Z',
      published_at: '2026-04-09T14:02:00Z',
      assets: [],
      tarball_url: `https://api.github.com/repos/${owner}/${repo}/tarball/${options.tag}`,
      zipball_url: `https://api.github.com/repos/${owner}/${repo}/zipball/${options.tag}`,
      body: options.body === undefined ? null : options.body,
    },
    repository: repository(owner, repo),
    sender: sender(login),
  };
}

/** `push` of a new tag: GitHub sends no commits for it, and the tagged commit as head_commit. */
export function tagPushPayload(options: { tag: string; sha: string; message?: string; login?: string }): Record<string, unknown> {
  const login = options.login ?? 'octocat';
  return {
    ref: `refs/tags/${options.tag}`,
    before: '0000000000000000000000000000000000000000',
    after: options.sha,
    repository: repository(),
    pusher: { name: login, email: `${login}@users.noreply.github.com` },
    sender: sender(login),
    created: true,
    deleted: false,
    forced: false,
    base_ref: 'refs/heads/main',
    compare: `https://github.com/${OWNER}/${REPO}/compare/${options.tag}`,
    commits: [],
    head_commit: {
      id: options.sha,
      tree_id: 'f9d2a07e9488b91af2641b26b9407fe22a451433',
      distinct: true,
      message: options.message ?? 'Merge pull request #42',
      timestamp: '2026-04-09T10:00:00-04:00',
      url: `https://github.com/${OWNER}/${REPO}/commit/${options.sha}`,
      author: { name: 'Dev', email: 'dev@lendos.example', username: 'dev' },
      committer: { name: 'GitHub', email: 'noreply@github.com', username: 'web-flow' },
    },
  };
}

/** `create` of a tag (or branch). */
export function createPayload(options: { ref: string; refType?: 'tag' | 'branch'; login?: string }): Record<string, unknown> {
  return {
    ref: options.ref,
    ref_type: options.refType ?? 'tag',
    master_branch: 'main',
    description: 'LendOS',
    pusher_type: 'user',
    repository: repository(),
    sender: sender(options.login ?? 'octocat'),
  };
}

export interface Delivery {
  readonly event: string;
  readonly payload: unknown;
  /** Default: a fresh GUID. Reuse one to play GitHub's "Redeliver". */
  readonly delivery?: string;
  /** Default: WEBHOOK_SECRET. */
  readonly secret?: string;
  /** Replace the signature header (or `null` to leave it out). */
  readonly signature?: string | null;
  readonly headers?: Record<string, string>;
}

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: any;
  readonly delivery: string;
}

/** POSTs one delivery to the bot's /api/github, with the headers GitHub sends. */
export async function deliver(botUrl: string, options: Delivery): Promise<DeliveryAnswer> {
  const delivery = options.delivery ?? randomUUID();
  const raw = JSON.stringify(options.payload);
  const secret = options.secret ?? WEBHOOK_SECRET;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/9f1c2e7',
    'x-github-event': options.event,
    'x-github-delivery': delivery,
    'x-github-hook-id': '292430182',
    'x-github-hook-installation-target-type': 'repository',
    'x-github-hook-installation-target-id': '79929171',
    'x-hub-signature': `sha1=${createHmac('sha1', secret).update(raw).digest('hex')}`,
    ...(options.signature === null ? {} : { 'x-hub-signature-256': options.signature ?? signature256(secret, raw) }),
    ...options.headers,
  };
  const response = await fetch(`${botUrl}/api/github`, { method: 'POST', headers, body: raw });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, delivery };
}
