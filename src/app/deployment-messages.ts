import { atMention } from '../cards/mention-text';
import { liveText, readyText } from '../cards/deployment-text';
import { formatWindow } from '../domain/business-hours';
import { deploymentTitle, isActiveDeployment, overrunBy, smokeProgress } from '../domain/deployment';
import { Actor, DeploymentDirectory, DeploymentEvent } from '../domain/types';
import { ChannelTarget, ConversationTarget, DeploymentOutboxMessage, DeploymentRecord } from './documents';

// What the bot posts when a deployment changes: written with the change, delivered by the outbox.

type PlanInput =
  | {
      readonly kind: 'events';
      readonly record: DeploymentRecord;
      readonly events: readonly DeploymentEvent[];
      readonly directory: DeploymentDirectory;
      /** Where the command was typed; absent for what the bot learned while delivering (a meeting, an issue). */
      readonly origin?: ConversationTarget;
      readonly general?: ChannelTarget;
      readonly bugTracker: boolean;
      readonly bugDetails?: string;
      /** Where the bug was reported, for a `bugFiled` event's link. */
      readonly bugReplyTo?: ConversationTarget;
      /** False when the answer itself tells the person (a form or dialog they submitted). */
      readonly acknowledge?: boolean;
      readonly actor: Actor;
      readonly timeZone: string;
      readonly nextId: () => string;
      readonly now: Date;
    }
  | {
      readonly kind: 'overrun';
      readonly record: DeploymentRecord;
      readonly directory: DeploymentDirectory;
      readonly timeZone: string;
      readonly nextId: () => string;
      readonly now: Date;
    };

export function planDeploymentMessages(input: PlanInput): DeploymentOutboxMessage[] {
  const { record, directory, nextId } = input;
  const state = record.state;
  const deploymentId = state.id;
  const title = deploymentTitle(state);
  const who = (id: string) => directory.nameOf(id);
  const messages: DeploymentOutboxMessage[] = [];
  const refreshed = new Set<string>();
  const refresh = (...posts: Array<'notice' | 'tracker' | 'onCall'>) => {
    for (const post of posts) {
      if (!refreshed.has(post)) messages.push({ id: nextId(), kind: 'refresh', deploymentId, post });
      refreshed.add(post);
    }
  };
  const say = (text: string, mentions?: Array<{ id: string; name: string }>) =>
    messages.push({ id: nextId(), kind: 'sayInReleaseThread', deploymentId, text, ...(mentions ? { mentions } : {}) });

  if (input.kind === 'overrun') {
    const minutes = Math.round(overrunBy(state, input.now) / 60_000);
    const irc = { id: state.scheduledBy, name: who(state.scheduledBy) };
    say(`${atMention(irc.name)} ${title} is running ${minutes} min past its ~${windowMinutes(record)} min estimate. Finish with \`live\`, or \`abort <reason>\`.`, [irc]);
    refresh('tracker');
    return messages;
  }

  const window = formatWindow(new Date(state.window.start), new Date(state.window.end), input.timeZone);
  // Runbook 3.3 is an IRC's: each is @mentioned where coverage awaits confirmation, so Teams tells them.
  const ircs = directory.peopleWith?.('irc') ?? [];
  const confirmers = (ircs.length > 0 ? ircs : [state.scheduledBy]).map((id) => ({ id, name: who(id) }));
  for (const event of input.events) {
    switch (event.type) {
      case 'deploymentScheduled': {
        messages.push({ id: nextId(), kind: 'createMeeting', deploymentId });
        if (input.general) messages.push({ id: nextId(), kind: 'postNotice', deploymentId, channel: input.general });
        messages.push({ id: nextId(), kind: 'postTracker', deploymentId });
        messages.push({ id: nextId(), kind: 'postOnCall', deploymentId });
        say(
          `📅 ${who(event.by)} scheduled ${title}${state.hotfix ? ' (hotfix)' : ''}: ${window}. ` +
            `Engineer: ${who(event.engineer)}. Validators: ${event.validators.map(who).join(', ')}. ` +
            `On-call coverage must be confirmed before it starts: ${confirmers.map((m) => atMention(m.name)).join(', ')}, ` +
            `confirm it with \`confirm on-call\` or the on-call card.`,
          confirmers,
        );
        break;
      }
      case 'deploymentRescheduled':
        messages.push({ id: nextId(), kind: 'updateMeeting', deploymentId });
        refresh('notice', 'tracker', 'onCall');
        if (event.voidedOnCall) {
          say(
            `🔁 ${who(event.by)} rescheduled ${title} to ${window}. On-call coverage must be confirmed again for the new window: ` +
              `${confirmers.map((m) => atMention(m.name)).join(', ')}, confirm it with \`confirm on-call\` or the on-call card.`,
            confirmers,
          );
        } else say(`🔁 ${who(event.by)} rescheduled ${title} to ${window}.`);
        break;
      case 'deploymentCancelled':
        messages.push({ id: nextId(), kind: 'cancelMeeting', deploymentId });
        refresh('notice', 'tracker', 'onCall');
        say(`🚫 ${who(event.by)} cancelled ${title}: ${event.reason}`);
        break;
      case 'onCallConfirmed':
        refresh('onCall', 'tracker');
        say(`📟 On-call coverage confirmed by ${who(event.by)}: ${who(event.person)} is on call.`);
        break;
      case 'onCallOverridden':
        refresh('onCall', 'tracker');
        say(`📟 On-call overridden by ${who(event.by)}: ${who(event.person)} is on call instead (${event.reason}).`);
        break;
      case 'deploymentStarted':
        // The #general notice says the deployment is under way.
        refresh('tracker', 'onCall', 'notice');
        say(`▶️ ${who(event.by)} started ${title}. IRC and engineer: coordinate in the meeting chat.`);
        break;
      case 'deploymentReady': {
        refresh('tracker');
        const ready = readyText(state, { directory, meetingUrl: state.meeting?.joinUrl ?? record.meetingLink });
        say(`🟢 ${ready.text}`, ready.mentions.map((m) => m.mentioned));
        break;
      }
      case 'deploymentStable':
        refresh('tracker');
        say(`🧪 ${who(event.by)} confirmed ${state.environment.name} is stable. Validators: smoke test now and report with \`smoke pass\` or \`smoke fail <notes>\`.`);
        break;
      case 'smokeRecorded': {
        refresh('tracker');
        const progress = smokeProgress(state);
        say(
          `${event.result === 'pass' ? '✅' : '❌'} ${who(event.by)}: smoke ${event.result}${event.notes ? ` — ${event.notes}` : ''} ` +
            `(${progress.passed.length} of ${state.validators.length} passed).`,
        );
        break;
      }
      case 'deploymentLive':
        refresh('tracker', 'notice');
        say(liveText(state.version, state.environment.name));
        if (event.override) say(`Taken live by ${who(event.by)} without every validator's pass: ${event.override.reason}`);
        break;
      case 'deploymentAborted':
        refresh('tracker', 'notice');
        say(`🛑 ${who(event.by)} aborted ${title}: ${event.reason}. Follow the Incident Response runbook.`);
        break;
      case 'meetingRecorded':
        refresh('tracker');
        break;
      case 'bugFiled': {
        // The tracker links the issue; whoever reported it gets the link where they typed.
        refresh('tracker');
        const bug = state.bugs[event.bug];
        if (input.bugReplyTo) messages.push({ id: nextId(), kind: 'reply', to: input.bugReplyTo, text: `Filed #${event.issue} "${bug?.title ?? ''}": ${event.url}` });
        break;
      }
      case 'freezeOverridden':
        refresh('tracker');
        say(`❄️ ${who(event.by)} overrode the freeze “${event.freeze}” to ${event.during} ${title}: ${event.reason}`);
        break;
      case 'bugRecorded': {
        refresh('tracker');
        if (!input.origin) break;
        const origin = input.origin;
        const bugIndex = state.bugs.length - 1;
        if (input.bugTracker) {
          messages.push({
            id: nextId(),
            kind: 'fileBug',
            deploymentId,
            bugIndex,
            title: event.title,
            details: input.bugDetails ?? '',
            // The directory's name, never the display name an unknown person's Teams client sent.
            reportedBy: directory.isKnown(input.actor.id) ? who(input.actor.id) : `an unknown person (aadObjectId ${input.actor.id})`,
            replyTo: origin,
          });
        } else {
          messages.push({ id: nextId(), kind: 'reply', to: origin, text: `Recorded on ${title}: "${event.title}". GitHub isn't configured, so no issue was filed.` });
        }
        break;
      }
    }
  }
  // Finished (or a bug on a finished one): kept for good in the deployment log, for metrics and evidence.
  if (input.events.length > 0 && !isActiveDeployment(state)) messages.push({ id: nextId(), kind: 'logDeployment', deploymentId });
  const firstEvent = input.events[0];
  const origin = input.origin;
  const fromReleaseThread = record.releaseThread?.conversationId === origin?.conversationId;
  if (origin && firstEvent && input.acknowledge !== false && firstEvent.type !== 'bugRecorded' && !fromReleaseThread && !isCardRefresh(input.events)) {
    messages.push({ id: nextId(), kind: 'reply', to: origin, text: `Done: ${describe(firstEvent, title, who)} — posted in the release thread.` });
  }
  return messages;
}

function isCardRefresh(events: readonly DeploymentEvent[]): boolean {
  return events.every((e) => e.type === 'meetingRecorded' || e.type === 'bugFiled');
}

function describe(event: DeploymentEvent, title: string, who: (id: string) => string): string {
  switch (event.type) {
    case 'deploymentScheduled':
      return `scheduled ${title}`;
    case 'deploymentRescheduled':
      return `rescheduled ${title}`;
    case 'deploymentCancelled':
      return `cancelled ${title}`;
    case 'onCallConfirmed':
      return `${who(event.person)} confirmed on call for ${title}`;
    case 'onCallOverridden':
      return `${who(event.person)} is on call for ${title}`;
    case 'deploymentStarted':
      return `started ${title}`;
    case 'deploymentReady':
      return `${title} is ready`;
    case 'deploymentStable':
      return `${title} is stable`;
    case 'smokeRecorded':
      return `recorded your smoke ${event.result} on ${title}`;
    case 'deploymentLive':
      return `${title} is live`;
    case 'deploymentAborted':
      return `aborted ${title}`;
    case 'freezeOverridden':
      return `overrode the freeze “${event.freeze}” for ${title}`;
    case 'meetingRecorded':
    case 'bugRecorded':
    case 'bugFiled':
      return title;
  }
}

function windowMinutes(record: DeploymentRecord): number {
  return Math.round((Date.parse(record.state.window.end) - Date.parse(record.state.window.start)) / 60_000);
}
