import { ThreadRef } from '../app/documents';
import { channelOfThread } from '../app/thread-starts';
import { rcLabel } from '../domain/version';
import type { RouteDependencies } from './route-dependencies';

// A crash between Teams taking a thread's root post and the bot recording it leaves a second root
// behind once the post is retried (src/app/thread-starts.ts): an orphan the bot doesn't know. Nobody
// must be stranded in it. A command typed there that needs its thread's release is answered with a
// link to the release's live thread; a click on its card still acts (the card names its release)
// and the answer says where the live thread is.

/** A Teams link that opens a channel thread at its root post. */
export function threadLink(thread: ThreadRef): string {
  const channelId = channelOfThread(thread.conversationId) ?? thread.conversationId;
  const query = new URLSearchParams({ parentMessageId: thread.activityId, ...(thread.tenantId ? { tenantId: thread.tenantId } : {}) });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(thread.activityId)}?${query.toString()}`;
}

export interface LiveThread {
  readonly release: string;
  readonly rc: number;
  readonly thread: ThreadRef;
}

/**
 * The live thread of the release whose current RC is `rc`, for a command typed with `rc.N` in a
 * thread of #engineering the bot doesn't know; undefined elsewhere, or when no release fits.
 */
export async function liveThreadFor(conversationId: string, rc: number, deps: RouteDependencies): Promise<LiveThread | undefined> {
  const engineering = deps.channels.get('engineering');
  if (!engineering || channelOfThread(conversationId) !== engineering.channelId) return undefined;
  const entry = [...(await deps.service.releaseIndex())].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).find((r) => r.currentRc === rc);
  if (!entry) return undefined;
  const thread = (await deps.service.document(entry.version))?.threads[rc];
  if (!thread || thread.conversationId === conversationId) return undefined;
  return { release: entry.version, rc, thread };
}

/**
 * The answer to `<command> rc.N` in such a thread — a person's own post, or an orphan copy of a
 * release's root: where that RC's thread is, and the full version to type here.
 */
export function redirectToLiveThread(live: LiveThread, command: string): { problem: string; hint: string } {
  const rc = rcLabel(live.rc);
  return {
    problem: `\`${rc}\` alone only works inside a release thread, and this isn't one I keep up to date.`,
    hint: `The thread of ${live.release}-${rc} is [here](${threadLink(live.thread)}): type it there, or name the full version: \`${command} ${live.release}-${rc}\`.`,
  };
}

/** A notice for a card clicked in a thread that is not the release's live thread of that RC. */
export function elsewhereNotice(clickedIn: string, live: ThreadRef | undefined, release: string, rc: number): string | undefined {
  if (!live || live.conversationId === clickedIn) return undefined;
  // Only a copy of the root in the same channel is an orphan; the card may be shown elsewhere too.
  if (channelOfThread(clickedIn) === undefined || channelOfThread(clickedIn) !== channelOfThread(live.conversationId)) return undefined;
  return `This post is a copy; the live thread of ${release}-${rcLabel(rc)}, where the card stays up to date, is [here](${threadLink(live)}).`;
}
