import { atMention } from './mention-text';
import { deploymentTitle } from '../domain/deployment';
import { DeploymentState, Directory } from '../domain/types';
import { roleHolders } from './deployment-view';

// The deployment's plain-text posts. Text, not cards: the runbook gives the live line word for
// word, and Teams only notifies people @mentioned in a message's text.

/** Runbook 4.5, word for word: "2026.4.0 live in BXCI Production." */
export function liveText(version: string, environmentName: string): string {
  return `${version} live in ${environmentName}.`;
}

/**
 * A Teams mention as the message's `entities` carry it, less `type: 'mention'`, which the Teams
 * layer adds. `text` appears verbatim in the message text; `mentioned.id` is the Entra object id.
 */
export interface MentionData {
  readonly text: string; // "<at>Luis Garcia</at>"
  readonly mentioned: { readonly id: string; readonly name: string };
}

export interface MentionedText {
  readonly text: string;
  readonly mentions: readonly MentionData[];
}

export interface ReadyTextView {
  readonly directory: Directory;
  /** The meeting to join; defaults to the deployment's recorded meeting. */
  readonly meetingUrl?: string;
}

/**
 * Runbook 4.2: on `ready` the IRC pulls the validators into the meeting. Each validator is
 * @mentioned, so Teams notifies them, with the meeting as a named link (its URL runs to 200 characters).
 */
export function readyText(state: DeploymentState, view: ReadyTextView): MentionedText {
  const { directory } = view;
  const mentions = [...new Set(state.validators)].map((id) => {
    const name = directory.nameOf(id);
    return { text: atMention(name), mentioned: { id, name } };
  });
  const meetingUrl = view.meetingUrl ?? state.meeting?.joinUrl ?? '';
  const who = mentions.map((m) => m.text).join(', ');
  const join = meetingUrl
    ? `Please join the deployment meeting to smoke-test ${state.environment.name} once it is confirmed stable: [Join the meeting](${meetingUrl})`
    : `Please join the deployment meeting to smoke-test ${state.environment.name} once it is confirmed stable; ` +
      `the bot has no link for it, ask ${roleHolders(directory, 'irc', 'the IRC')}.`;
  return { text: `${deploymentTitle(state)} is ready. ${who}: ${join}`, mentions };
}
