import { DeploymentContext, deploymentDecider, deploymentTitle } from '../domain/deployment';
import { DeploymentLog } from './deployment-log';
import { BusinessHours } from '../domain/business-hours';
import { BOT_ACTOR } from '../domain/reminders';
import { Actor, DeploymentCommand, DeploymentDirectory, DeploymentEvent, DeploymentState } from '../domain/types';
import { CommandPlan, applyCommand } from './command-runner';
import { recordDeploymentEvents } from './environment-records';
import { planDeploymentMessages } from './deployment-messages';
import { BugTracker } from '../integrations/bug-tracker';
import { MeetingRequest, MeetingScheduler } from '../integrations/meeting-scheduler';
import {
  ConversationTarget,
  DeploymentOutboxMessage,
  DeploymentPostKind,
  DeploymentRecord,
  EnvironmentDocument,
  ThreadRef,
  environmentKey,
} from './documents';
import { DocumentRepository } from './document-repository';
import { OutboxWorker, TeamsGateway } from './outbox';
import { deliverCardRefresh } from './card-refresh';

/** What a delivered deployment message leaves behind, recorded at acknowledgement. */
export type DeploymentEffect =
  | { readonly kind: 'posted'; readonly deploymentId: string; readonly post: DeploymentPostKind; readonly ref: ThreadRef }
  | {
      readonly kind: 'meeting';
      readonly deploymentId: string;
      readonly joinUrl: string;
      readonly meetingId: string;
      readonly scheduled: boolean; // false: only a link that opens Teams' new-meeting form
      readonly at: string;
    }
  | {
      readonly kind: 'bugFiled';
      readonly deploymentId: string;
      readonly bugIndex: number;
      readonly url: string;
      readonly number: number;
      readonly replyTo: ConversationTarget;
      readonly title: string;
      readonly at: string;
    };

export interface DeploymentCards {
  notice(record: DeploymentRecord): object;
  tracker(record: DeploymentRecord): object;
  onCall(record: DeploymentRecord): object;
}

export interface DeploymentOutboxOptions {
  readonly environments: DocumentRepository<EnvironmentDocument>;
  readonly gateway: TeamsGateway;
  readonly cards: DeploymentCards;
  readonly meetings: MeetingScheduler;
  readonly bugTracker?: BugTracker;
  readonly directory: DeploymentDirectory;
  /** Email of a person id, for meeting invitations. */
  readonly emailOf: (personId: string) => string | undefined;
  readonly now: () => Date;
  readonly businessHours: BusinessHours;
  readonly timeZone: string;
  /** Where finished deployments are kept for good (metrics, evidence). */
  readonly log?: DeploymentLog;
}

/** Posts an environment's deployment messages and does the slow work: meetings and GitHub issues. */
export function deploymentOutboxWorker(
  options: DeploymentOutboxOptions,
): OutboxWorker<EnvironmentDocument, DeploymentOutboxMessage, DeploymentEffect> {
  const { gateway, cards } = options;
  const find = (doc: EnvironmentDocument, id: string) => doc.deployments.find((d) => d.state.id === id);

  /**
   * What a delivery learned, on the document: a meeting Graph created and an issue GitHub filed are
   * events of the deployment (meetingRecorded, bugFiled), recorded through the command runner like
   * any command, with the messages they cause (the tracker refreshed, the reporter told the link).
   * Where a card was posted, and a prefilled meeting link, are delivery bookkeeping on the record.
   */
  const recordEffect = (doc: EnvironmentDocument, effect: DeploymentEffect): EnvironmentDocument => {
    const record = find(doc, effect.deploymentId);
    if (!record) return doc; // dropped from the document since
    const nextId = () => `m${(seq += 1)}`;
    let seq = doc.messageSeq;
    switch (effect.kind) {
      case 'posted':
        return withRecord(doc, { ...record, posts: { ...record.posts, [effect.post]: effect.ref } });
      case 'meeting':
        if (!effect.scheduled) {
          const linked = withRecord(doc, { ...record, meetingLink: effect.joinUrl });
          return { ...linked, outbox: [...doc.outbox, { id: nextId(), kind: 'refresh', deploymentId: record.state.id, post: 'tracker' }], messageSeq: seq };
        }
        return runEffect(doc, record, { type: 'recordMeeting', joinUrl: effect.joinUrl, meetingId: effect.meetingId }, { id: record.state.scheduledBy, name: options.directory.nameOf(record.state.scheduledBy) }, effect.at);
      case 'bugFiled':
        return runEffect(doc, record, { type: 'recordIssue', bug: effect.bugIndex, url: effect.url, issue: effect.number }, BOT, effect.at, effect.replyTo);
    }
  };

  const runEffect = (doc: EnvironmentDocument, record: DeploymentRecord, command: DeploymentCommand, actor: Actor, at: string, bugReplyTo?: ConversationTarget): EnvironmentDocument => {
    const context = { actor, now: new Date(at), directory: options.directory, businessHours: options.businessHours, timeZone: options.timeZone };
    const plan: CommandPlan<EnvironmentDocument, DeploymentOutboxMessage, DeploymentCommand, DeploymentState | undefined, DeploymentEvent, DeploymentContext> = {
      decider: deploymentDecider,
      command,
      select: (current) => ({ state: (current && find(current, record.state.id))?.state ?? record.state, context }),
      record: (current, state, events) => ({ doc: recordDeploymentEvents(current ?? doc, state!, events) }),
      messages: ({ after, state, events, nextId }) =>
        planDeploymentMessages({
          kind: 'events',
          record: find(after, state!.id)!,
          events,
          directory: options.directory,
          bugTracker: true,
          bugReplyTo,
          actor,
          timeZone: options.timeZone,
          nextId,
          now: new Date(at),
        }),
    };
    return applyCommand(doc, undefined, plan).write ?? doc;
  };

  return {
    repository: options.environments,
    nameOf: (pk, id) => (pk === environmentKey(id).pk ? id : undefined),
    acknowledgeAtOnce: (message) =>
      ['createMeeting', 'postNotice', 'postTracker', 'postOnCall', 'fileBug'].includes(message.kind), // never twice
    // A card update shows the record current at delivery; the log keeps one copy per deployment.
    repeatable: (message) => message.kind === 'refresh' || message.kind === 'logDeployment',
    preview: (doc, effect) => recordEffect(doc, effect),
    acknowledge(current, done, effects) {
      const recorded = effects.reduce(recordEffect, current);
      return { ...recorded, outbox: recorded.outbox.filter((m) => !done.has(m.id)) };
    },
    async deliver(message, doc) {
      if (message.kind === 'reply') {
        await gateway.send(message.to, { text: message.text });
        return undefined;
      }
      const record = find(doc, message.deploymentId);
      if (!record) return undefined; // dropped from the document since; nothing left to show
      switch (message.kind) {
        case 'createMeeting': {
          if (record.state.meeting || record.meetingLink) return undefined;
          const meeting = await options.meetings.create(meetingRequest(record.state, options));
          return {
            kind: 'meeting',
            deploymentId: record.state.id,
            joinUrl: meeting.joinUrl,
            meetingId: meeting.id,
            scheduled: meeting.kind === 'teams-meeting',
            at: options.now().toISOString(),
          };
        }
        case 'updateMeeting': {
          if (record.state.meeting) {
            await options.meetings.update(record.state.meeting.meetingId, meetingRequest(record.state, options));
            return undefined;
          }
          const meeting = await options.meetings.create(meetingRequest(record.state, options));
          return { kind: 'meeting', deploymentId: record.state.id, joinUrl: meeting.joinUrl, meetingId: meeting.id, scheduled: meeting.kind === 'teams-meeting', at: options.now().toISOString() };
        }
        case 'cancelMeeting':
          if (record.state.meeting) await options.meetings.cancel(record.state.meeting.meetingId, record.state.cancelled?.reason);
          return undefined;
        case 'postNotice': {
          if (record.posts.notice) return undefined;
          const ref = await gateway.startThread(message.channel, { card: cards.notice(record) });
          return { kind: 'posted', deploymentId: record.state.id, post: 'notice', ref };
        }
        case 'postTracker':
        case 'postOnCall': {
          const post = message.kind === 'postTracker' ? 'tracker' : 'onCall';
          if (record.posts[post] || !record.releaseThread) return undefined;
          const card = post === 'tracker' ? cards.tracker(record) : cards.onCall(record);
          const activityId = await gateway.send(record.releaseThread, { card });
          return { kind: 'posted', deploymentId: record.state.id, post, ref: { ...record.releaseThread, activityId } };
        }
        case 'refresh':
          // Coalesced like the RC card's (src/app/card-refresh.ts): under pressure a burst of
          // commands updates the tracker (on-call card, notice) with its newest state, once.
          await deliverCardRefresh(
            gateway,
            doc.outbox,
            message,
            (queued) => queued.kind === 'refresh' && queued.deploymentId === message.deploymentId && queued.post === message.post,
            () => record.posts[message.post],
            () => (message.post === 'notice' ? cards.notice(record) : message.post === 'tracker' ? cards.tracker(record) : cards.onCall(record)),
          );
          return undefined;
        case 'logDeployment':
          await options.log?.record(record);
          return undefined;
        case 'sayInReleaseThread':
          if (!record.releaseThread) return undefined;
          await gateway.send(record.releaseThread, { text: message.text, mentions: message.mentions });
          return undefined;
        case 'fileBug': {
          const bug = record.state.bugs[message.bugIndex];
          if (!options.bugTracker || !bug || bug.url) return undefined;
          const issue = await options.bugTracker.fileBug({
            title: message.title,
            details: message.details,
            release: record.state.version,
            environment: record.state.environment,
            reportedBy: { name: message.reportedBy },
          });
          return {
            kind: 'bugFiled',
            deploymentId: record.state.id,
            bugIndex: message.bugIndex,
            url: issue.url,
            number: issue.number,
            replyTo: message.replyTo,
            title: message.title,
            at: options.now().toISOString(),
          };
        }
      }
    },
  };
}

const BOT: Actor = { id: BOT_ACTOR, name: 'LendOS' };

function withRecord(doc: EnvironmentDocument, record: DeploymentRecord): EnvironmentDocument {
  return { ...doc, deployments: doc.deployments.map((d) => (d.state.id === record.state.id ? record : d)) };
}

function meetingRequest(state: DeploymentState, options: DeploymentOutboxOptions): MeetingRequest {
  const { directory, emailOf } = options;
  const invitees = [state.engineer, ...state.validators].filter((id, i, all) => all.indexOf(id) === i);
  return {
    subject: deploymentTitle(state),
    start: new Date(state.window.start),
    end: new Date(state.window.end),
    organizer: { email: emailOf(state.scheduledBy) ?? '', aadObjectId: state.scheduledBy },
    attendees: invitees.flatMap((id) => {
      const email = emailOf(id);
      return email ? [{ email, name: directory.nameOf(id) }] : [];
    }),
    details: `${deploymentTitle(state)}. Follow the Release Execution Runbook; coordinate in this meeting's chat.`,
    idempotencyKey: state.id,
  };
}
