import type { Octokit as OctokitClass } from '@octokit/rest';
import { z } from 'zod';
import type { EnvironmentRef } from '../domain/types';
import { BotError } from '../errors';
import { Logger, silentLogger } from '../logger';
import { envText, serviceBaseUrl } from './service-url';

// Post-deployment bugs (runbook 5) become GitHub issues labelled with the release and the
// environment, linking the deployment and naming who reported them. Configured from:
//   GITHUB_TOKEN       token allowed to create issues in the repository (fine-grained: Issues read/write)
//   GITHUB_REPOSITORY  "owner/repo" the issues go to
//   GITHUB_API_URL     API root (default https://api.github.com; GitHub Enterprise: https://host/api/v3)
// Without GITHUB_REPOSITORY the bot records bugs only in its own history.

export interface BugReport {
  readonly title: string;
  readonly details: string;
  /** "2026.4.0" */
  readonly release: string;
  readonly environment: EnvironmentRef;
  /** Where the deployment can be seen (its tracker post in Teams). */
  readonly deploymentUrl?: string;
  readonly reportedBy: { readonly name: string };
}

export interface FiledIssue {
  readonly number: number;
  readonly url: string;
}

export interface BugTracker {
  fileBug(report: BugReport): Promise<FiledIssue>;
}

export interface GitHubBugTrackerOptions {
  /** Default https://api.github.com. */
  readonly baseUrl?: string;
  readonly token: string;
  readonly owner: string;
  readonly repo: string;
  readonly logger?: Logger;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
}

export interface ConfiguredBugTracker {
  readonly tracker: BugTracker;
  /** One line for the start-up log; never contains the token. */
  readonly description: string;
}

const reportSchema = z.object({
  title: z.string().trim().min(1, 'a bug needs a title'),
  details: z.string(),
  release: z.string().trim().min(1),
  environment: z.object({ key: z.string().trim().min(1), name: z.string().trim().min(1) }),
  deploymentUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) link')
    .optional(),
  reportedBy: z.object({ name: z.string().trim().min(1) }),
});

const createdIssue = z.object({ number: z.number().int().positive(), html_url: z.string().url() });

const REPOSITORY = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)$/;

export function createGitHubBugTracker(options: GitHubBugTrackerOptions): BugTracker {
  const baseUrl = serviceBaseUrl('The GitHub API URL', options.baseUrl ?? 'https://api.github.com');
  const logger = options.logger ?? silentLogger;
  const repository = `${options.owner}/${options.repo}`;
  // Loaded only when GitHub is configured, so a bot without it doesn't carry Octokit in memory.
  const { Octokit } = require('@octokit/rest') as { Octokit: typeof OctokitClass };
  const octokit = new Octokit({
    auth: options.token,
    baseUrl,
    userAgent: 'lendos-release-bot',
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => logger.warn({ repository }, message),
      error: (message: string) => logger.error({ repository }, message),
    },
  });

  return {
    async fileBug(report) {
      const parsed = reportSchema.safeParse(report);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'report'}: ${issue.message}`).join('; ');
        throw new BotError('invalid', `Can't file the bug "${report.title}": ${issues}`, parsed.error);
      }
      const valid = parsed.data;
      let data: unknown;
      try {
        const response = await octokit.issues.create({
          owner: options.owner,
          repo: options.repo,
          title: valid.title,
          body: issueBody(valid),
          labels: ['bug', `release:${valid.release}`, `env:${valid.environment.key}`],
          request: { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) },
        });
        data = response.data;
      } catch (error) {
        throw gitHubFailure(error, repository, baseUrl);
      }
      const issue = createdIssue.safeParse(data);
      if (!issue.success) {
        throw new BotError('integration', `GitHub answered the new issue in ${repository} without a number and link`, issue.error);
      }
      return { number: issue.data.number, url: issue.data.html_url };
    },
  };
}

/** GitHub when GITHUB_REPOSITORY is set (GITHUB_TOKEN then required); otherwise undefined. */
export function bugTrackerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly logger?: Logger } = {},
): ConfiguredBugTracker | undefined {
  const repository = envText(env, 'GITHUB_REPOSITORY');
  // A GITHUB_TOKEN alone is common in a developer's shell (gh and other tools read it): not a
  // request to file issues anywhere.
  if (!repository) return undefined;
  const match = REPOSITORY.exec(repository);
  if (!match) throw new BotError('invalid', `GITHUB_REPOSITORY must look like "owner/repo", got "${repository}"`);
  const token = envText(env, 'GITHUB_TOKEN');
  if (!token) throw new BotError('invalid', `GITHUB_REPOSITORY is ${repository} but GITHUB_TOKEN is not set: the bot needs a token to create issues there`);
  const baseUrl = serviceBaseUrl('GITHUB_API_URL', envText(env, 'GITHUB_API_URL') ?? 'https://api.github.com');
  return {
    tracker: createGitHubBugTracker({ baseUrl, token, owner: match[1]!, repo: match[2]!, logger: options.logger }),
    description: `bugs become GitHub issues in ${repository} through ${baseUrl}`,
  };
}

function issueBody(report: z.infer<typeof reportSchema>): string {
  const title = `Deploy ${report.release} to ${report.environment.name}`;
  const deployment = report.deploymentUrl ? `[${title}](${report.deploymentUrl.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : title;
  return [
    `Reported by ${report.reportedBy.name} in #production-support after ${title}.`,
    '',
    `- **Release:** ${report.release}`,
    `- **Environment:** ${report.environment.name} (\`${report.environment.key}\`)`,
    `- **Deployment:** ${deployment}`,
    `- **Reported by:** ${report.reportedBy.name}`,
    '',
    '### What happened',
    '',
    report.details.trim() || '_No details given._',
    '',
    '<sub>Filed by the lendos release bot from Microsoft Teams.</sub>',
  ].join('\n');
}

function gitHubFailure(error: unknown, repository: string, baseUrl: string): BotError {
  const status = (error as { status?: unknown }).status;
  const response = (error as { response?: { data?: unknown; headers?: Record<string, string | undefined> } }).response;
  if (typeof status !== 'number' || !response) {
    // Octokit reports an unreachable host as a 500 without a response: it is not GitHub's answer.
    return new BotError('integration', `Couldn't reach GitHub at ${baseUrl} to file the bug: ${(error as Error).message}`, error);
  }
  const said = (response.data as { message?: unknown } | undefined)?.message;
  const detail = `${status}${typeof said === 'string' && said ? `: ${said}` : ''}`;
  const rateLimited = (status === 403 || status === 429) && (response.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(String(said)));
  const message = rateLimited
    ? `GitHub is rate-limiting the bot's token (${detail}); the bug will be filed when the limit resets.`
    : status === 401
      ? `GitHub did not accept GITHUB_TOKEN (${detail}); replace the token.`
      : status === 403
        ? `GitHub refused to create an issue in ${repository} (${detail}); GITHUB_TOKEN needs Issues: read and write on that repository.`
        : status === 404
          ? `GitHub can't find ${repository} with GITHUB_TOKEN (${detail}); check GITHUB_REPOSITORY and that the token can see it.`
          : status === 410
            ? `Issues are turned off in ${repository} (${detail}).`
            : status >= 500
              ? `GitHub failed to create the issue in ${repository} (${detail}); try again shortly.`
              : `GitHub refused the issue for ${repository} (${detail}).`;
  // A rate limit is not the request's fault: no 4xx status, so the outbox keeps retrying.
  return new BotError('integration', message, error, rateLimited ? undefined : status);
}
