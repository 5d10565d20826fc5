import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { BotError, isBotError } from '../../src/errors';
import { BugReport, bugTrackerFromEnv, createGitHubBugTracker } from '../../src/integrations/bug-tracker';
import { LoopbackGitHub, startLoopbackGitHub } from '../helpers/loopback-github';
import { rejectionOf } from './fixtures';

// Post-deployment bugs as GitHub issues, through Octokit over HTTP to a loopback GitHub.

const report: BugReport = {
  title: 'Loan tape export times out after the 2026.4.0 deploy',
  details: 'Exporting the April loan tape spins for 60 s and fails with 504.\nSeen by two ops users.',
  release: '2026.4.0',
  environment: { key: 'bxci-production', name: 'BXCI Production' },
  deploymentUrl: 'https://teams.microsoft.com/l/message/19:abc@thread.tacv2/1712345678901?groupId=g&parentMessageId=1712345678901',
  reportedBy: { name: 'Luis Garcia' },
};

describe('GitHub bug tracker', () => {
  let github: LoopbackGitHub;

  beforeEach(async () => {
    github = await startLoopbackGitHub();
  });

  afterEach(async () => {
    expect(github.malformed).toEqual([]);
    await github.close();
  });

  const tracker = () => createGitHubBugTracker({ baseUrl: github.url, token: github.token, owner: github.owner, repo: github.repo });

  it('files an issue labelled with the release and environment, linking the deployment and naming the reporter', async () => {
    const filed = await tracker().fileBug(report);

    expect(filed).toEqual({ number: 101, url: 'https://github.com/lendos/lendos-platform/issues/101' });
    expect(github.requests).toHaveLength(1);
    const [request] = github.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/repos/lendos/lendos-platform/issues');
    expect(request!.headers.authorization).toBe(`token ${github.token}`);
    expect(request!.body.title).toBe('Loan tape export times out after the 2026.4.0 deploy');
    expect(request!.body.labels).toEqual(['bug', 'release:2026.4.0', 'env:bxci-production']);
    expect(request!.body.body).toBe(
      [
        'Reported by Luis Garcia in #production-support after Deploy 2026.4.0 to BXCI Production.',
        '',
        '- **Release:** 2026.4.0',
        '- **Environment:** BXCI Production (`bxci-production`)',
        `- **Deployment:** [Deploy 2026.4.0 to BXCI Production](${report.deploymentUrl})`,
        '- **Reported by:** Luis Garcia',
        '',
        '### What happened',
        '',
        'Exporting the April loan tape spins for 60 s and fails with 504.\nSeen by two ops users.',
        '',
        '<sub>Filed by the lendos release bot from Microsoft Teams.</sub>',
      ].join('\n'),
    );
  });

  it('names the deployment without a link when there is none', async () => {
    await tracker().fileBug({ ...report, deploymentUrl: undefined, details: '  ' });
    expect(github.issues[0]!.body).toContain('- **Deployment:** Deploy 2026.4.0 to BXCI Production\n');
    expect(github.issues[0]!.body).toContain('_No details given._');
  });

  it('refuses a report without a title before calling GitHub', async () => {
    const error = await rejectionOf(tracker().fileBug({ ...report, title: ' ' }));
    expect(error).toMatchObject({ code: 'invalid' });
    expect(github.requests).toEqual([]);
  });

  it.each([
    [403, 'Resource not accessible by personal access token', 'GITHUB_TOKEN needs Issues: read and write on that repository'],
    [410, 'Issues are disabled for this repo', 'Issues are turned off in lendos/lendos-platform'],
    [500, 'Server Error', 'try again shortly'],
  ] as const)('turns a %i into one clear error with the status', async (status, said, advice) => {
    github.failNext(1, status);
    const error = await rejectionOf(tracker().fileBug(report));
    expect(error).toBeInstanceOf(BotError);
    expect(error).toMatchObject({ code: 'integration', statusCode: status });
    expect(error.message).toContain(`(${status}: ${said})`);
    expect(error.message).toContain(advice);
    // Creating an issue is not idempotent: the tracker never repeats it itself.
    expect(github.requests).toHaveLength(1);
  });

  it('files the issue once GitHub recovers (the caller retries)', async () => {
    github.failNext(2, 502);
    const bugs = tracker();
    await rejectionOf(bugs.fileBug(report));
    await rejectionOf(bugs.fileBug(report));
    await expect(bugs.fileBug(report)).resolves.toEqual({ number: 101, url: 'https://github.com/lendos/lendos-platform/issues/101' });
    expect(github.requests.map((r) => r.status)).toEqual([502, 502, 201]);
  });

  it('says the token was refused on a 401', async () => {
    const error = await rejectionOf(createGitHubBugTracker({ baseUrl: github.url, token: 'wrong', owner: github.owner, repo: github.repo }).fileBug(report));
    expect(error).toMatchObject({ code: 'integration', statusCode: 401 });
    expect(error.message).toBe('GitHub did not accept GITHUB_TOKEN (401: Bad credentials); replace the token.');
  });

  it("says the repository can't be found on a 404", async () => {
    const error = await rejectionOf(createGitHubBugTracker({ baseUrl: github.url, token: github.token, owner: 'lendos', repo: 'nope' }).fileBug(report));
    expect(error).toMatchObject({ code: 'integration', statusCode: 404 });
    expect(error.message).toContain("GitHub can't find lendos/nope");
    github.malformed.length = 0; // the loopback lists the unknown path; that was the point
  });

  it('keeps a rate limit retryable: no 4xx status on the error', async () => {
    github.failNext(1, 403, { rateLimited: true });
    const error = await rejectionOf(tracker().fileBug(report));
    expect(error.code).toBe('integration');
    expect(error.statusCode).toBeUndefined();
    expect(error.message).toContain('rate-limiting');
  });

  it('says GitHub was unreachable when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await rejectionOf(createGitHubBugTracker({ baseUrl: `http://127.0.0.1:${port}`, token: 't', owner: 'o', repo: 'r' }).fileBug(report));
    expect(error).toMatchObject({ code: 'integration', statusCode: undefined });
    expect(error.message).toMatch(/^Couldn't reach GitHub at http:\/\/127\.0\.0\.1:\d+ to file the bug/);
  });
});

describe('bugTrackerFromEnv', () => {
  it('is undefined without GITHUB_REPOSITORY, even with a GITHUB_TOKEN in the shell', () => {
    expect(bugTrackerFromEnv({})).toBeUndefined();
    expect(bugTrackerFromEnv({ GITHUB_TOKEN: 'ghp_x' })).toBeUndefined();
  });

  it('refuses a repository without a token, and a repository that is not owner/repo', () => {
    const messageOf = (env: Record<string, string>) => {
      try {
        bugTrackerFromEnv(env);
      } catch (error) {
        expect(isBotError(error, 'invalid')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected BotError invalid');
    };
    expect(messageOf({ GITHUB_REPOSITORY: 'lendos/lendos-platform' })).toContain('GITHUB_TOKEN is not set');
    expect(messageOf({ GITHUB_REPOSITORY: 'lendos', GITHUB_TOKEN: 't' })).toBe('GITHUB_REPOSITORY must look like "owner/repo", got "lendos"');
    expect(messageOf({ GITHUB_REPOSITORY: 'a/b', GITHUB_TOKEN: 't', GITHUB_API_URL: 'http://github.example.com/api/v3' })).toContain(
      'GITHUB_API_URL must be an https:// URL',
    );
  });

  it('files through GITHUB_API_URL (GitHub Enterprise style /api/v3 root) with GITHUB_TOKEN', async () => {
    const github = await startLoopbackGitHub({ owner: 'lendos-ghe', repo: 'platform', pathPrefix: '/api/v3' });
    try {
      const configured = bugTrackerFromEnv({ GITHUB_TOKEN: github.token, GITHUB_REPOSITORY: 'lendos-ghe/platform', GITHUB_API_URL: github.url });
      expect(configured!.description).toBe(`bugs become GitHub issues in lendos-ghe/platform through ${github.url}`);
      expect(configured!.description).not.toContain(github.token);
      await expect(configured!.tracker.fileBug(report)).resolves.toEqual({ number: 101, url: 'https://github.com/lendos-ghe/platform/issues/101' });
      expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v3/repos/lendos-ghe/platform/issues']);
      expect(github.malformed).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
