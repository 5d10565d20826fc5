import type { Webhooks as WebhooksClass } from '@octokit/webhooks';
import { z } from 'zod';
import { parseRcVersion } from '../domain/version';

// POST /api/github: GitHub webhooks, checked with @octokit/webhooks against GITHUB_WEBHOOK_SECRET
// (X-Hub-Signature-256, HMAC-SHA256 of the raw body), then read into what the bot acts on: an RC
// cut from a published pre-release (`release`, action `published`, `prerelease: true`) or, when
// configured, from a pushed tag (`push` of refs/tags/…, or `create` of a tag). Everything else is
// acknowledged and ignored. Payload shapes: https://docs.github.com/webhooks/webhook-events-and-payloads

export type CutOn = 'prerelease' | 'tag';

/** What a webhook asks of the bot: cut this RC, with what GitHub says about it. */
export interface RcCutTrigger {
  readonly event: 'release' | 'push' | 'create';
  /** The tag as written, "v2026.4.0-rc.3". */
  readonly tag: string;
  readonly release: string; // "2026.4.0"
  readonly rc: number; // 3
  /** "owner/repo" and its page. */
  readonly repository: string;
  readonly repositoryUrl: string;
  /** The GitHub user who published the release or pushed the tag. */
  readonly login: string;
  /** The release's page (pre-releases only). */
  readonly htmlUrl?: string;
  readonly name?: string;
  readonly body?: string;
  /** The tagged commit's message (tag pushes only). */
  readonly commitMessage?: string;
}

export type ReadEvent =
  | { readonly kind: 'cut'; readonly trigger: RcCutTrigger }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'invalid'; readonly problem: string };

const repository = z.object({ full_name: z.string().min(1), html_url: z.string().url() });
const sender = z.object({ login: z.string().min(1) });

const releaseEvent = z.object({
  action: z.string(),
  release: z.object({
    tag_name: z.string().min(1),
    name: z.string().nullable().optional(),
    body: z.string().nullable().optional(),
    html_url: z.string().url(),
    target_commitish: z.string().optional(),
    prerelease: z.boolean(),
    draft: z.boolean().optional(),
  }),
  repository,
  sender,
});

const pushEvent = z.object({
  ref: z.string(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  after: z.string().optional(),
  head_commit: z.object({ id: z.string(), message: z.string().optional() }).nullable().optional(),
  repository,
  sender,
});

const createEvent = z.object({ ref: z.string(), ref_type: z.string(), repository, sender });

/** Checks X-Hub-Signature-256 with @octokit/webhooks, loaded on the first delivery so start-up stays light. */
export function createSignatureCheck(secret: string): (rawBody: string, signature: string | undefined) => Promise<boolean> {
  let webhooks: WebhooksClass | undefined;
  return async (rawBody, signature) => {
    // Only the SHA-256 header counts: @octokit/webhooks would fall back to SHA-1 for anything else.
    if (!signature || !/^sha256=[0-9a-f]{64}$/i.test(signature) || rawBody === '') return false;
    if (!webhooks) {
      const { Webhooks } = require('@octokit/webhooks') as { Webhooks: typeof WebhooksClass };
      webhooks = new Webhooks({ secret });
    }
    try {
      return await webhooks.verify(rawBody, signature);
    } catch {
      return false;
    }
  };
}

/** What a signed delivery asks for; `cutOn` says whether pre-releases or tags cut RCs. */
export function readGitHubEvent(eventName: string, payload: unknown, cutOn: CutOn): ReadEvent {
  switch (eventName) {
    case 'ping':
      return ignored('ping: the webhook is set up');
    case 'release':
      return cutOn === 'prerelease' ? readRelease(payload) : ignored('RCs are cut from tags (github.cutOn is "tag"), not releases');
    case 'push':
      return cutOn === 'tag' ? readPush(payload) : ignored('RCs are cut from pre-releases (github.cutOn is "prerelease"), not pushes');
    case 'create':
      return cutOn === 'tag' ? readCreate(payload) : ignored('RCs are cut from pre-releases (github.cutOn is "prerelease"), not tags');
    default:
      return ignored(`the bot does not act on "${eventName}" events`);
  }
}

function readRelease(payload: unknown): ReadEvent {
  const parsed = releaseEvent.safeParse(payload);
  if (!parsed.success) return invalid('release', parsed.error);
  const { action, release } = parsed.data;
  if (action !== 'published') return ignored(`release action "${action}" (only "published" cuts an RC)`);
  if (!release.prerelease) return ignored(`${release.tag_name} is a full release, not a pre-release`);
  return cutFrom('release', release.tag_name, parsed.data, {
    htmlUrl: release.html_url,
    ...(release.name ? { name: release.name } : {}),
    ...(release.body ? { body: release.body } : {}),
  });
}

function readPush(payload: unknown): ReadEvent {
  const parsed = pushEvent.safeParse(payload);
  if (!parsed.success) return invalid('push', parsed.error);
  const { ref, created, deleted, head_commit } = parsed.data;
  if (!ref.startsWith('refs/tags/')) return ignored(`${ref} is not a tag`);
  if (deleted || created === false) return ignored(`${ref} was ${deleted ? 'deleted' : 'moved'}, not created`);
  return cutFrom('push', ref.slice('refs/tags/'.length), parsed.data, head_commit?.message ? { commitMessage: head_commit.message } : {});
}

function readCreate(payload: unknown): ReadEvent {
  const parsed = createEvent.safeParse(payload);
  if (!parsed.success) return invalid('create', parsed.error);
  if (parsed.data.ref_type !== 'tag') return ignored(`a ${parsed.data.ref_type} was created, not a tag`);
  return cutFrom('create', parsed.data.ref, parsed.data, {});
}

function cutFrom(
  event: RcCutTrigger['event'],
  tag: string,
  data: { repository: z.infer<typeof repository>; sender: z.infer<typeof sender> },
  extra: Partial<RcCutTrigger>,
): ReadEvent {
  const version = parseRcVersion(tag.replace(/^v/i, ''));
  if (!version.ok) return ignored(`${tag} is not an RC tag like 2026.4.0-rc.3`);
  return {
    kind: 'cut',
    trigger: {
      event,
      tag,
      release: version.value.release,
      rc: version.value.rc,
      repository: data.repository.full_name,
      repositoryUrl: data.repository.html_url,
      login: data.sender.login,
      ...extra,
    },
  };
}

function ignored(reason: string): ReadEvent {
  return { kind: 'ignored', reason };
}

function invalid(event: string, error: z.ZodError): ReadEvent {
  const where = error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).slice(0, 5).join('; ');
  return { kind: 'invalid', problem: `not a ${event} event payload GitHub sends (${where})` };
}
