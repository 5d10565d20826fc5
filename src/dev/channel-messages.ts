import type { ManifestJson } from './package-app';

// The packaging option that lets people leave out @lendos in channels: the resource-specific consent
// (RSC) permission ChannelMessage.Read.Group, which a team owner grants when adding the app, makes
// Teams deliver every channel message to the bot, not only those that mention it. Off by default:
// the bot then sees nothing but what is addressed to it. On, it still answers only commands (see
// src/teams/message-handler.ts); the rest is dropped without a reply or a log of its text.

export const CHANNEL_MESSAGE_PERMISSION = 'ChannelMessage.Read.Group';

/** `npm run package -- --rsc`, or TEAMS_RSC=1 (also true/yes) in the environment. */
export function wantsChannelMessages(args: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  return args.includes('--rsc') || /^(1|true|yes)$/i.test(env.TEAMS_RSC?.trim() ?? '');
}

/**
 * The manifest asking for channel messages: the RSC permission, and the Entra app it is granted to
 * (webApplicationInfo.id: the bot's own app; its `resource` is required but unused by RSC).
 */
export function withChannelMessageAccess(manifest: ManifestJson, botId: string): ManifestJson {
  return {
    ...manifest,
    webApplicationInfo: { id: botId, resource: `api://botid-${botId}` },
    authorization: { permissions: { resourceSpecific: [{ name: CHANNEL_MESSAGE_PERMISSION, type: 'Application' }] } },
  };
}
