import type { IncomingHttpHeaders } from 'node:http';
import { GitHubRcCuts } from '../app/github-rc-cuts';
import { CutOn, readGitHubEvent } from '../integrations/github-webhooks';
import { Logger } from '../logger';

// POST /api/github, answered in the order GitHub's delivery log reads best: a bad or missing
// signature is 401 before anything is looked at; a signed delivery is 202 once recorded (the cut
// follows through the outbox), 200 when it is a redelivery or an event the bot ignores, 400 when a
// signed payload is not what GitHub sends. Nothing is written unless the answer is 202.

export interface GitHubWebhookOptions {
  readonly checkSignature: (rawBody: string, signature: string | undefined) => Promise<boolean>;
  readonly cutOn: CutOn;
  /** GITHUB_REPOSITORY, when set: deliveries from other repositories are ignored. */
  readonly repository?: string;
  readonly cuts: GitHubRcCuts;
  readonly logger: Logger;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const DELIVERY_ID = /^[A-Za-z0-9-]{1,64}$/;

export async function answerGitHubWebhook(
  request: { readonly headers: IncomingHttpHeaders; readonly rawBody: string },
  options: GitHubWebhookOptions,
): Promise<WebhookAnswer> {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const { logger } = options;
  if (!(await options.checkSignature(request.rawBody, header('x-hub-signature-256')))) {
    logger.warn({ delivery: clipHeader(header('x-github-delivery')) }, 'GitHub webhook refused: bad or missing signature');
    return { status: 401, body: { error: 'Unauthorized', message: 'X-Hub-Signature-256 is missing or does not match GITHUB_WEBHOOK_SECRET.' } };
  }
  const delivery = header('x-github-delivery') ?? '';
  const event = header('x-github-event') ?? '';
  if (!DELIVERY_ID.test(delivery) || event === '') {
    return { status: 400, body: { error: 'Bad Request', message: 'X-GitHub-Delivery and X-GitHub-Event are required.' } };
  }
  const type = header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return { status: 415, body: { error: 'Unsupported Media Type', message: 'Set the webhook\'s content type to application/json.' } };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody);
  } catch {
    return { status: 400, body: { error: 'Bad Request', message: 'The body is not JSON.' } };
  }
  const read = readGitHubEvent(event, payload, options.cutOn);
  if (read.kind === 'invalid') {
    logger.warn({ delivery, event, problem: read.problem }, 'GitHub webhook refused: malformed payload');
    return { status: 400, body: { error: 'Bad Request', message: read.problem } };
  }
  if (read.kind === 'ignored') {
    logger.info({ delivery, event, reason: read.reason }, 'GitHub webhook ignored');
    return { status: 200, body: { status: 'ignored', reason: read.reason } };
  }
  const { trigger } = read;
  if (options.repository && options.repository.toLowerCase() !== trigger.repository.toLowerCase()) {
    const reason = `${trigger.repository} is not the configured repository ${options.repository}`;
    logger.info({ delivery, event, reason }, 'GitHub webhook ignored');
    return { status: 200, body: { status: 'ignored', reason } };
  }
  const accepted = await options.cuts.accept(delivery, trigger);
  if (accepted === 'duplicate') {
    logger.info({ delivery, event }, 'GitHub redelivery ignored');
    return { status: 200, body: { status: 'duplicate', delivery } };
  }
  logger.info({ delivery, event, release: trigger.release, rc: trigger.rc, login: trigger.login }, 'GitHub RC cut queued');
  return { status: 202, body: { status: 'queued', release: trigger.release, rc: trigger.rc } };
}

function clipHeader(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.slice(0, 64);
}
