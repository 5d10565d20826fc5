import type { Octokit as OctokitClass } from '@octokit/rest';
import { z } from 'zod';
import { parseRcVersion, parseReleaseVersion } from '../domain/version';
import { BotError } from '../errors';
import { Logger, silentLogger } from '../logger';
import type { PullRequestSummary } from './github-rc-contents';
import { envText, serviceBaseUrl } from './service-url';

// The repository the releases are tagged in, read through the GitHub REST API (Octokit): what an
// RC tag holds (the pull requests merged since the previous release tag, its oldest commit) and,
// after promotion, the final release. Configured from the variables bug filing uses:
//   GITHUB_TOKEN       fine-grained token: Contents read (write to publish releases), Pull requests read
//   GITHUB_REPOSITORY  "owner/repo"
//   GITHUB_API_URL     API root (default https://api.github.com)

export interface TagChanges {
  /** The release tag the RC is compared with; undefined when the repository has none before it. */
  readonly previousTag?: string;
  readonly compareUrl?: string;
  readonly pulls: readonly PullRequestSummary[];
  /** Author date of the oldest commit since the previous tag. */
  readonly firstCommitAt?: string;
}

export interface NewRelease {
  /** "2026.4.0" (or "v2026.4.0", following the RC tag's style). */
  readonly tag: string;
  /** The RC tag whose commit the release points at. */
  readonly fromTag: string;
  readonly name: string;
  readonly body: string;
}

export interface GitHubRepository {
  /** "owner/repo". */
  readonly fullName: string;
  changesUpTo(tag: string): Promise<TagChanges>;
  /** The release's page; undefined when a release with that tag exists already. */
  createRelease(release: NewRelease): Promise<{ readonly url: string } | undefined>;
}

export interface GitHubRepositoryOptions {
  readonly baseUrl?: string;
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly logger?: Logger;
  readonly timeoutMs?: number;
}

const MAX_TAG_PAGES = 10;
const MAX_PULL_PAGES = 5;
const MAX_COMPARE_PAGES = 3;
const PER_PAGE = 100;
const DAY_MS = 86_400_000;

const tagList = z.array(z.object({ name: z.string() }));
const compared = z.object({
  html_url: z.string().optional(),
  total_commits: z.number().optional(),
  commits: z.array(
    z.object({
      sha: z.string(),
      commit: z.object({
        author: z.object({ date: z.string().optional() }).nullable().optional(),
        committer: z.object({ date: z.string().optional() }).nullable().optional(),
      }),
    }),
  ),
});
const pullList = z.array(
  z.object({
    number: z.number(),
    title: z.string(),
    merged_at: z.string().nullable().optional(),
    merge_commit_sha: z.string().nullable().optional(),
    updated_at: z.string(),
    labels: z.array(z.union([z.string(), z.object({ name: z.string().optional() })])).default([]),
  }),
);
const commitOf = z.object({ sha: z.string() });
const createdRelease = z.object({ html_url: z.string() });

/** A tag's place in release order: 2026.4.0-rc.3 < 2026.4.0 < 2026.4.1-rc.1. */
export interface TagVersion {
  readonly tag: string;
  readonly release: string;
  /** undefined for a final release. */
  readonly rc?: number;
}

/** Reads "2026.4.0-rc.3", "v2026.4.0" …; undefined for tags that are not release versions. */
export function readTagVersion(tag: string): TagVersion | undefined {
  const bare = tag.replace(/^v/i, '');
  const rc = parseRcVersion(bare);
  if (rc.ok) return { tag, release: rc.value.release, rc: rc.value.rc };
  const release = parseReleaseVersion(bare);
  return release.ok ? { tag, release: release.value.release } : undefined;
}

export function compareTagVersions(a: TagVersion, b: TagVersion): number {
  const [x, y] = [a.release.split('.').map(Number), b.release.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return (a.rc ?? Infinity) - (b.rc ?? Infinity);
}

/**
 * The tag an RC's contents are counted from: the newest final release before the RC's release (so
 * rc.3 lists everything since the last release, not only since rc.2); else, for a first release,
 * the newest earlier RC tag.
 */
export function previousReleaseTag(tags: readonly string[], tag: string): string | undefined {
  const current = readTagVersion(tag);
  if (!current) return undefined;
  const versions = tags.map(readTagVersion).filter((v): v is TagVersion => v !== undefined && compareTagVersions(v, current) < 0);
  const newest = (candidates: TagVersion[]) => candidates.sort(compareTagVersions)[candidates.length - 1]?.tag;
  return newest(versions.filter((v) => v.rc === undefined && v.release !== current.release)) ?? newest(versions);
}

export function createGitHubRepository(options: GitHubRepositoryOptions): GitHubRepository {
  const baseUrl = serviceBaseUrl('The GitHub API URL', options.baseUrl ?? 'https://api.github.com');
  const logger = options.logger ?? silentLogger;
  const { owner, repo } = options;
  const fullName = `${owner}/${repo}`;
  // Loaded on first use: a bot that never hears from GitHub doesn't carry Octokit in memory.
  let client: OctokitClass | undefined;
  const octokit = (): OctokitClass => {
    if (client) return client;
    const { Octokit } = require('@octokit/rest') as { Octokit: typeof OctokitClass };
    client = new Octokit({
      auth: options.token,
      baseUrl,
      userAgent: 'lendos-release-bot',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => logger.warn({ repository: fullName }, message),
        error: (message: string) => logger.error({ repository: fullName }, message),
      },
    });
    return client;
  };
  const request = () => ({ signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  const call = async <T>(what: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>, run: () => Promise<{ data: unknown }>): Promise<T> => {
    let data: unknown;
    try {
      data = (await run()).data;
    } catch (error) {
      throw gitHubFailure(error, what, fullName, baseUrl);
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new BotError('integration', `GitHub answered ${what} in ${fullName} in a shape the bot doesn't know`, parsed.error);
    return parsed.data;
  };

  async function allTags(): Promise<string[]> {
    const names: string[] = [];
    for (let page = 1; page <= MAX_TAG_PAGES; page++) {
      const tags = await call('the tag list', tagList, () => octokit().repos.listTags({ owner, repo, per_page: PER_PAGE, page, request: request() }));
      names.push(...tags.map((t) => t.name));
      if (tags.length < PER_PAGE) break;
    }
    return names;
  }

  return {
    fullName,
    async changesUpTo(tag) {
      const previousTag = previousReleaseTag(await allTags(), tag);
      if (!previousTag) return { pulls: [] };
      const shas = new Set<string>();
      const authored: number[] = [];
      const committed: number[] = [];
      let compareUrl: string | undefined;
      for (let page = 1; page <= MAX_COMPARE_PAGES; page++) {
        const comparison = await call(`the comparison ${previousTag}...${tag}`, compared, () =>
          octokit().repos.compareCommitsWithBasehead({ owner, repo, basehead: `${previousTag}...${tag}`, per_page: PER_PAGE, page, request: request() }),
        );
        compareUrl ??= comparison.html_url;
        for (const commit of comparison.commits) {
          shas.add(commit.sha);
          const author = Date.parse(commit.commit.author?.date ?? '');
          const committer = Date.parse(commit.commit.committer?.date ?? '');
          if (Number.isFinite(author)) authored.push(author);
          if (Number.isFinite(committer)) committed.push(committer);
        }
        if (comparison.commits.length < PER_PAGE) break;
      }
      // A pull request merged into the range was updated at or after its merge commit; allow a day of clock skew.
      const oldest = committed.length > 0 ? Math.min(...committed) - DAY_MS : -Infinity;
      const pulls: PullRequestSummary[] = [];
      for (let page = 1; page <= MAX_PULL_PAGES; page++) {
        const batch = await call('the pull requests', pullList, () =>
          octokit().pulls.list({ owner, repo, state: 'closed', sort: 'updated', direction: 'desc', per_page: PER_PAGE, page, request: request() }),
        );
        for (const pull of batch) {
          if (!pull.merged_at || !pull.merge_commit_sha || !shas.has(pull.merge_commit_sha)) continue;
          pulls.push({ number: pull.number, title: pull.title, labels: pull.labels.map((l) => (typeof l === 'string' ? l : l.name ?? '')).filter(Boolean) });
        }
        const last = batch[batch.length - 1];
        if (batch.length < PER_PAGE || !last || Date.parse(last.updated_at) < oldest) break;
      }
      const first = authored.length > 0 ? new Date(Math.min(...authored)).toISOString() : undefined;
      return { previousTag, pulls, ...(compareUrl ? { compareUrl } : {}), ...(first ? { firstCommitAt: first } : {}) };
    },

    async createRelease(release) {
      const commit = await call(`the commit of ${release.fromTag}`, commitOf, () => octokit().repos.getCommit({ owner, repo, ref: release.fromTag, request: request() }));
      try {
        const created = await call(`the release ${release.tag}`, createdRelease, () =>
          octokit().repos.createRelease({
            owner,
            repo,
            tag_name: release.tag,
            target_commitish: commit.sha,
            name: release.name,
            body: release.body,
            draft: false,
            prerelease: false,
            request: request(),
          }),
        );
        return { url: created.html_url };
      } catch (error) {
        if (alreadyExists(error)) return undefined;
        throw error;
      }
    },
  };
}

/** GitHub when GITHUB_REPOSITORY and GITHUB_TOKEN are set; otherwise undefined (contents then come from the release body only). */
export function gitHubRepositoryFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly logger?: Logger } = {},
): GitHubRepository | undefined {
  const repository = envText(env, 'GITHUB_REPOSITORY');
  const token = envText(env, 'GITHUB_TOKEN');
  if (!repository || !token) return undefined;
  const match = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/.exec(repository);
  if (!match) throw new BotError('invalid', `GITHUB_REPOSITORY must look like "owner/repo", got "${repository}"`);
  const baseUrl = serviceBaseUrl('GITHUB_API_URL', envText(env, 'GITHUB_API_URL') ?? 'https://api.github.com');
  return createGitHubRepository({ baseUrl, token, owner: match[1]!, repo: match[2]!, logger: options.logger });
}

function alreadyExists(error: unknown): boolean {
  const cause = (error as { cause?: { status?: number; response?: { data?: { errors?: Array<{ code?: string }> } } } }).cause;
  return cause?.status === 422 && (cause.response?.data?.errors ?? []).some((e) => e.code === 'already_exists');
}

function gitHubFailure(error: unknown, what: string, repository: string, baseUrl: string): BotError {
  const status = (error as { status?: unknown }).status;
  const response = (error as { response?: { data?: unknown } }).response;
  if (typeof status !== 'number' || !response) {
    return new BotError('integration', `Couldn't reach GitHub at ${baseUrl} for ${what}: ${(error as Error).message}`, error);
  }
  const said = (response.data as { message?: unknown } | undefined)?.message;
  const detail = `${status}${typeof said === 'string' && said ? `: ${said}` : ''}`;
  // 5xx and rate limits are retried by the outbox; other 4xx mean the token or repository are wrong.
  const retry = status >= 500 || status === 429 || (status === 403 && /rate limit/i.test(String(said)));
  return new BotError('integration', `GitHub refused ${what} in ${repository} (${detail})`, error, retry ? undefined : status);
}
