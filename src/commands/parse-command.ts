// Text commands, from a normalized Teams message to a typed command. Pure: no botbuilder, no I/O.
// A failure says exactly what was wrong and shows the usage of the command the person most likely meant.

import type { EnvironmentRef, RcContents } from '../domain/types';
import { parseRcRef, parseRcVersion, parseReleaseVersion } from '../domain/version';
import { isSpace, listWords, optional, quote, splitFirst, stripTrailingPunctuation, textAfter, TRAILING_PUNCTUATION, trimEndChars, wordsOf } from './command-text';
import type { DeploymentRefArg, PersonOption, WindowArg } from './deployment-args';
import { DEPLOYMENT_PARSERS, DeploymentCommandName } from './parse-deployment';
import { readEnvironment } from './deployment-args';
import { parseLocalDateTime } from '../domain/business-hours';
import { normalizeTeamsText } from './normalize-text';
import { DeputyParse, parseAway, parseBack } from './parse-deputy';
import { LockParse, parseLock, parseUnlock } from './parse-locks';
import { FreezeCommand, FreezeParse, UnfreezeCommand, parseFreeze, parseUnfreeze } from './parse-freezes';

export type { DeploymentRefArg, PersonOption, WindowArg } from './deployment-args';
export { DEFAULT_WINDOW_MINUTES, toWindowInput } from './deployment-args';

export type CommandName =
  | 'rc'
  | 'qa'
  | 'approve'
  | 'reject'
  | 'revoke'
  | 'promote'
  | DeploymentCommandName
  | 'status'
  | 'history'
  | 'evidence'
  | 'metrics'
  | 'lock'
  | 'unlock'
  | 'freeze'
  | 'unfreeze'
  | 'help'
  | 'register'
  | 'away'
  | 'back';

/** In the order help lists them (the runbook's); ties in typo suggestions go to the longer, then the earlier one. */
export const COMMAND_NAMES: readonly CommandName[] = [
  'rc', 'qa', 'approve', 'reject', 'revoke', 'promote',
  'schedule', 'reschedule', 'cancel', 'confirm', 'override', 'start', 'ready', 'stable', 'smoke', 'live', 'abort', 'bug',
  'away', 'back',
  'lock', 'unlock', 'freeze', 'unfreeze',
  'status', 'history', 'evidence', 'metrics', 'help', 'register',
];

/**
 * An RC as a command names it: in full (`2026.4.0-rc.3`, anywhere) or short (`rc.3`), which means
 * the release of the thread it was typed in — the caller resolves that.
 */
export type RcRefArg =
  | { readonly kind: 'full'; readonly release: string; readonly rc: number }
  | { readonly kind: 'short'; readonly rc: number };

/** What a channel is registered as; `register production-support` gives productionSupport. */
export type ChannelPurpose = 'engineering' | 'general' | 'productionSupport';

export type ParsedCommand =
  | { readonly name: 'rc'; readonly release: string; readonly rc: number; readonly hotfix: boolean; readonly contents: RcContents }
  | { readonly name: 'qa'; readonly result: 'pass' | 'fail'; readonly ref: RcRefArg; readonly summary: string }
  /** `comment`: free text after the command ("looks good 👍", a second line "thanks!"), recorded with the decision. */
  | { readonly name: 'approve'; readonly ref: RcRefArg; readonly area?: string; readonly comment?: string }
  | { readonly name: 'reject'; readonly ref: RcRefArg; readonly reason: string; readonly area?: string }
  | { readonly name: 'revoke'; readonly ref: RcRefArg; readonly area?: string; readonly comment?: string }
  /**
   * `lgtm`, `+1`, `approved`, a bare `approve` (or `-1`, a bare `reject`): someone means to decide
   * but wrote no command. Nothing is recorded; the caller answers with the exact command to type
   * (`ref` and `text` carried over when they were written).
   */
  | { readonly name: 'decisionHint'; readonly verb: 'approve' | 'reject'; readonly ref?: RcRefArg; readonly text?: string }
  | { readonly name: 'promote'; readonly ref: RcRefArg; readonly notesUrl?: string }
  /** `release` absent: the thread's release (or the latest); `rc` alone: that RC of the thread's release. */
  | { readonly name: 'status'; readonly release?: string; readonly rc?: number }
  /** `page` absent: page 1, the newest events. */
  | { readonly name: 'history'; readonly release?: string; readonly page?: number }
  /** `release` absent: the thread's release (or the latest). */
  | { readonly name: 'evidence'; readonly release?: string }
  /** All environments when `environment` is absent; the configured default period when `since` is. */
  | { readonly name: 'metrics'; readonly environment?: EnvironmentRef; readonly since?: Date }
  /** `until`: an instant, or how long from now (the caller adds it to its clock). */
  | { readonly name: 'lock'; readonly environment: EnvironmentRef; readonly reason: string; readonly until: Date | { readonly minutes: number } }
  | { readonly name: 'unlock'; readonly environment: EnvironmentRef }
  | FreezeCommand
  | UnfreezeCommand
  | { readonly name: 'help'; readonly topic?: string }
  | { readonly name: 'register'; readonly channel: ChannelPurpose }
  /** `lead` and `deputy` are people keys; `lead` absent: the person typing. */
  | { readonly name: 'away'; readonly lead?: string; readonly deputy: string; readonly until: Date }
  | { readonly name: 'back'; readonly lead?: string }
  // Deployments (runbook 3.1–5). People are config keys; `deployment` absent means the one of the
  // thread, meeting chat or tracker card the message was written in, which the caller resolves.
  | {
      readonly name: 'schedule';
      readonly deployment: DeploymentRefArg;
      readonly window: WindowArg;
      /** Absent when not written: the caller asks for it (the scheduling form). */
      readonly engineer?: string;
      readonly validators?: readonly string[];
      /** `… override freeze <reason>`: an IRC deploying inside a freeze, recorded. */
      readonly freezeOverride?: string;
    }
  /** `schedule deploy` alone, or with parts missing: the caller answers with the scheduling form, prefilled with what was written. */
  | { readonly name: 'scheduleForm'; readonly prefill?: SchedulePrefill }
  /** `window.minutes` absent: keep the deployment's current length. */
  | { readonly name: 'reschedule'; readonly deployment?: DeploymentRefArg; readonly window: WindowArg; readonly freezeOverride?: string }
  | { readonly name: 'cancel'; readonly deployment: DeploymentRefArg; readonly reason: string }
  /** `person` absent: the on-call engineer the card proposes. */
  | { readonly name: 'confirmOnCall'; readonly deployment?: DeploymentRefArg; readonly person?: string }
  | { readonly name: 'overrideOnCall'; readonly deployment?: DeploymentRefArg; readonly person: string; readonly reason: string }
  | { readonly name: 'start'; readonly deployment?: DeploymentRefArg; readonly freezeOverride?: string }
  | { readonly name: 'ready'; readonly deployment?: DeploymentRefArg }
  | { readonly name: 'stable'; readonly deployment?: DeploymentRefArg }
  /** `notes` is '' for a pass without notes; a fail always has them. */
  | { readonly name: 'smoke'; readonly deployment?: DeploymentRefArg; readonly result: 'pass' | 'fail'; readonly notes: string }
  | { readonly name: 'live'; readonly deployment?: DeploymentRefArg; readonly overrideReason?: string }
  | { readonly name: 'abort'; readonly deployment?: DeploymentRefArg; readonly reason: string }
  /** Filed from #production-support; `release`/`environment` when written, else the caller picks the latest live deployment. */
  | {
      readonly name: 'bug';
      readonly title: string;
      readonly details?: string;
      readonly release?: string;
      readonly environment?: EnvironmentRef;
    };

/** What a `schedule deploy` with parts missing did say, for the form. People are config keys. */
export interface SchedulePrefill {
  readonly version?: string;
  readonly environment?: EnvironmentRef;
  readonly start?: Date;
  readonly minutes?: number;
  readonly engineer?: string;
  readonly validators?: readonly string[];
}

export interface ParseFailure {
  readonly ok: false;
  /** The command the person wrote, when the command word itself was recognised. */
  readonly command?: CommandName;
  /** For an unknown command word: the command it is closest to, if any is close. */
  readonly suggestion?: CommandName;
  /** What exactly was wrong, to show as is. */
  readonly error: string;
  /** Usage and example of the command meant (or of help). */
  readonly usage: string;
}

export type ParseResult = { readonly ok: true; readonly command: ParsedCommand } | ParseFailure;

export interface ParseOptions {
  /**
   * The configured approval area keys. Pass them: with them, `reject rc.3 for qa <reason>` names the
   * area while `reject rc.3 for breaking login` keeps "for breaking login" as the reason, and
   * `approve rc.3 for <unknown>` is refused here with the list. Without them, approve/revoke take any
   * word after `for` as the area, and reject reads no area at all (its reason is everything after the RC).
   */
  readonly areas?: readonly string[];
  /**
   * The configured environments. Deployment commands name one by key or name, in any case, quoted
   * or not (unquoted, the longest configured key or name the text starts with); it comes back as
   * configured. Without them no environment can be read, and commands naming one are refused.
   */
  readonly environments?: readonly EnvironmentRef[];
  /**
   * The configured people. Commands name them by config key, first name, full name or a Teams
   * @mention (which arrives as the name); they come back as keys. Without them no person can be read.
   */
  readonly people?: readonly PersonOption[];
  /** IANA zone for times written without one (`at 2026-04-14 22:00`): the configured zone. Default UTC. */
  readonly timeZone?: string;
}

export type CommandRole = 'platform' | 'qa-lead' | 'lead-approver' | 'irc' | 'deployment-engineer' | 'validator' | 'anyone';

export const ROLE_LABELS: Readonly<Record<CommandRole, string>> = {
  platform: 'Platform team',
  'qa-lead': 'QA lead',
  'lead-approver': 'Lead approvers',
  irc: 'IRC (Incident Response Commander)',
  'deployment-engineer': 'Deployment engineer',
  validator: 'Validators',
  anyone: 'Anyone',
};

export interface CommandUsage {
  readonly name: CommandName;
  /** `<x>` is a value to fill in, `[x]` is optional, `a|b` is a choice. */
  readonly syntax: string;
  readonly example: string;
  readonly description: string;
  /** Who may use it; the domain enforces this, help uses it to show each person their commands. */
  readonly roles: readonly CommandRole[];
}

/** One source of truth for command syntax: parse errors and the help card both read it. */
export const USAGE: Readonly<Record<CommandName, CommandUsage>> = {
  rc: {
    name: 'rc',
    syntax:
      'rc <YEAR.MONTH.PATCH-rc.N> [hotfix]\n' +
      'then, optionally, on the same line or the next ones:\n' +
      'features: <item>; <item>\nfixes: <item>; <item>\nnotes: <release notes link>\nknown issues: <item>; <item> (or none)',
    example:
      'rc 2026.4.0-rc.3\nfeatures: Loan export to CSV; Faster portfolio search\nfixes: Login loop on Safari\n' +
      'notes: https://wiki.lendos.example/releases/2026.4.0\nknown issues: none',
    description:
      'Cut a release candidate: posts its card as a new thread in #engineering; a new RC supersedes the previous one. ' +
      'A pre-release (or tag) like 2026.4.0-rc.3 on GitHub cuts it the same way when the webhook is set up.',
    roles: ['platform'],
  },
  qa: {
    name: 'qa',
    syntax: 'qa pass|fail <rc> <summary or link>',
    example: 'qa pass rc.3 https://ci.lendos.example/regression/812',
    description: 'Record the QA regression result for an RC.',
    roles: ['qa-lead'],
  },
  approve: {
    name: 'approve',
    syntax: 'approve <rc> [for <area>] [<comment>]',
    example: 'approve rc.3 looks good 👍',
    description: 'Approve an RC for the area you lead; a comment after it is recorded with the approval.',
    roles: ['lead-approver'],
  },
  reject: {
    name: 'reject',
    syntax: 'reject <rc> [for <area>] <reason>',
    example: 'reject rc.3 loan export times out on large portfolios',
    description: 'Reject an RC for the area you lead; it blocks promotion until you revoke it or a new RC is cut.',
    roles: ['lead-approver'],
  },
  revoke: {
    name: 'revoke',
    syntax: 'revoke <rc> [for <area>] [<comment>]',
    example: 'revoke rc.3 found a data issue, re-checking',
    description: 'Withdraw your approval or rejection of an RC.',
    roles: ['lead-approver'],
  },
  promote: {
    name: 'promote',
    syntax: 'promote <rc> [<release notes link>]',
    example: 'promote rc.3 https://wiki.lendos.example/releases/2026.4.0',
    description: 'Promote an RC to a release once every lead has approved it.',
    roles: ['platform'],
  },
  schedule: {
    name: 'schedule',
    syntax:
      'schedule deploy <version> to <environment> at <YYYY-MM-DD HH:MM> [<zone>] [for <duration>] [engineer <person>] [validators <person>, <person>…] [override freeze <reason>]\n' +
      'schedule deploy alone opens the scheduling form.',
    example: 'schedule deploy 2026.4.0 to "BXCI Production" at 2026-04-14 22:00 for 90m engineer Jake validators Luis, Bosko',
    description:
      'Schedule a deployment of a promoted release: creates its meeting and tells the company in #general. ' +
      'Outside business hours unless it is a hotfix, and outside freezes unless you override one with a reason; 90 minutes unless you say otherwise.',
    roles: ['irc'],
  },
  reschedule: {
    name: 'reschedule',
    syntax: 'reschedule [<deployment>] at <YYYY-MM-DD HH:MM> [<zone>] [for <duration>] [override freeze <reason>]',
    example: 'reschedule deploy 2026.4.0 to "BXCI Production" at 2026-04-15 22:00',
    description: 'Move a deployment that has not started to a new window; it keeps its length unless you give one, and on-call is confirmed again.',
    roles: ['irc'],
  },
  cancel: {
    name: 'cancel',
    syntax: 'cancel deploy <version> to <environment> <reason>',
    example: 'cancel deploy 2026.4.0 to "BXCI Production" month-end close moved to Tuesday',
    description: 'Cancel a deployment that has not started; the company hears why.',
    roles: ['irc'],
  },
  confirm: {
    name: 'confirm',
    syntax: 'confirm on-call [<person>] [<deployment>]',
    example: 'confirm on-call Bosko',
    description:
      "Confirm on-call coverage for a deployment's window; it can't start without it. Without a person: the one the on-call card proposes (from the rotation, or PagerDuty when configured).",
    roles: ['irc'],
  },
  override: {
    name: 'override',
    syntax: 'override on-call <person> [<deployment>] <reason>',
    example: 'override on-call Rafaella Bosko is out sick',
    description: "Put someone else on call for a deployment's window when the scheduled engineer can't cover.",
    roles: ['irc'],
  },
  start: {
    name: 'start',
    syntax: 'start [<deployment>] [override freeze <reason>]',
    example: 'start 2026.4.0 to "BXCI Production"',
    description: 'Open the deployment window once on-call coverage is confirmed.',
    roles: ['irc'],
  },
  ready: {
    name: 'ready',
    syntax: 'ready [<deployment>]',
    example: 'ready',
    description: 'Signal that the deployment is done and the validators can be pulled in.',
    roles: ['deployment-engineer', 'platform'],
  },
  stable: {
    name: 'stable',
    syntax: 'stable [<deployment>]',
    example: 'stable',
    description: 'Confirm the environment is stable, so the validators can smoke-test it.',
    roles: ['deployment-engineer', 'platform'],
  },
  smoke: {
    name: 'smoke',
    syntax: 'smoke pass [<deployment>] [<notes>]\nsmoke fail [<deployment>] <what failed>',
    example: 'smoke pass loans, payments and statements checked',
    description: 'Record your smoke-test result; a deployment goes live on every validator\'s pass.',
    roles: ['validator'],
  },
  live: {
    name: 'live',
    syntax: 'live [<deployment>]\nlive override [<deployment>] <reason>',
    example: 'live',
    description:
      'Declare the deployment live once it is stable and every validator passed; an IRC may override missing passes with a reason.',
    roles: ['platform', 'irc'],
  },
  abort: {
    name: 'abort',
    syntax: 'abort [<deployment>] <reason>',
    example: 'abort DAML upgrade failed on the ledger, rolling back',
    description: 'Stop a deployment for good, with the reason on record.',
    roles: ['irc'],
  },
  bug: {
    name: 'bug',
    syntax: 'bug <title> [in <version> [on <environment>]]\nthen, optionally, details after -- or on the next lines',
    example: 'bug Export to CSV times out in 2026.4.0 on "BXCI Production" -- portfolios over 10k loans',
    description: 'File a post-deployment bug as a GitHub issue, labelled with its release and environment.',
    roles: ['anyone'],
  },
  lock: {
    name: 'lock',
    syntax: 'lock <environment> <reason> [for <duration> | until <YYYY-MM-DD HH:MM> [<zone>]]',
    example: 'lock "BXCI Production" database migration dry run for 2h',
    description:
      'Hold an environment: until the lock ends (2 hours unless you say, at most 7 days) nobody else schedules into it or starts a deployment in it.',
    roles: ['irc', 'platform'],
  },
  unlock: {
    name: 'unlock',
    syntax: 'unlock <environment>',
    example: 'unlock "BXCI Production"',
    description: 'End a lock before its time: the holder, an IRC or the Platform team.',
    roles: ['irc', 'platform'],
  },
  freeze: {
    name: 'freeze',
    syntax:
      'freeze <environment>|all [from <YYYY-MM-DD> [HH:MM]] until <YYYY-MM-DD> [HH:MM] [<zone>] [reason:] <reason> [hotfixes allowed]\n' +
      'or for <duration> (like 3d or 12h) instead of until',
    example: 'freeze "BXCI Production" until 2026-04-20 09:00 reason: quarter close hotfixes allowed',
    description:
      'Declare a freeze: nothing is scheduled or started in the environment until it ends (a date alone includes that day), unless an IRC overrides it with a reason; the reason is its name.',
    roles: ['irc', 'platform'],
  },
  unfreeze: {
    name: 'unfreeze',
    syntax: 'unfreeze <environment>|all|<freeze name>',
    example: 'unfreeze "quarter close"',
    description: 'Lift a freeze declared in Teams, by its name or every one on an environment; freezes from the config are lifted in the config.',
    roles: ['irc', 'platform'],
  },
  status: {
    name: 'status',
    syntax: 'status [<version or rc>]',
    example: 'status 2026.4.0',
    description: 'Where a release stands, what it waits for and on whom.',
    roles: ['anyone'],
  },
  history: {
    name: 'history',
    syntax: 'history [<version>] [page <n>]',
    example: 'history 2026.4.0',
    description: "A release's audit trail, newest events first; `page 2` shows the ones before.",
    roles: ['anyone'],
  },
  evidence: {
    name: 'evidence',
    syntax: 'evidence [<version>]',
    example: 'evidence 2026.4.0',
    description:
      "A release's evidence pack for auditors: every RC, approval, deployment and bug, with a hash chain that shows any edit; links to Markdown and JSON exports.",
    roles: ['anyone'],
  },
  metrics: {
    name: 'metrics',
    syntax: 'metrics [<environment>] [since <YYYY-MM-DD>]',
    example: 'metrics "BXCI Production" since 2026-01-01',
    description:
      'Delivery figures from the bot\'s records: deployment frequency, lead time, change failure rate and time to restore, with a chart per month.',
    roles: ['anyone'],
  },
  help: {
    name: 'help',
    syntax: 'help [<topic>]',
    example: 'help approve',
    description: 'What you can do here, with examples.',
    roles: ['anyone'],
  },
  away: {
    name: 'away',
    syntax: 'away [<lead>] until <YYYY-MM-DD> [<HH:MM>] deputy <person>',
    example: 'away until 2026-04-20 deputy Bosko',
    description:
      'Name a deputy who decides your area while you are away (through that day, or until that time); the Platform team can name one for a lead.',
    roles: ['lead-approver', 'platform'],
  },
  back: {
    name: 'back',
    syntax: 'back [<lead>]',
    example: 'back',
    description: 'End your deputy\'s stand-in early; the Platform team can end one for a lead.',
    roles: ['lead-approver', 'platform'],
  },
  register: {
    name: 'register',
    syntax: 'register engineering|general|production-support',
    example: 'register engineering',
    description: "Make this channel the bot's #engineering, #general or #production-support channel.",
    roles: ['platform'],
  },
};

const RC_ARG_NOTE = '<rc> is rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).';
const USAGE_NOTES: readonly (readonly [placeholder: string, note: string])[] = [
  ['<rc>', RC_ARG_NOTE],
  [
    '<deployment>',
    '<deployment> is <version> to <environment> (for example 2026.4.0 to "BXCI Production"); leave it out in the deployment\'s thread or meeting chat.',
  ],
  ['<zone>', '<zone> is UTC, Z or a place like America/New_York; without it, the time is in the bot\'s time zone.'],
  ['<duration>', '<duration> is like 90m, 1h30m, 2h or 1.5h.'],
  ['<person>', '<person> is a config key, first name, full name or @mention.'],
  ['<lead>', '<lead> names the away lead (Platform team only), as a person is named; leave it out for yourself.'],
];

/** The usage lines shown under a parse error. */
export function formatUsage(name: CommandName): string {
  const usage = USAGE[name];
  const lines = [`Usage: ${usage.syntax}`, usage.example.includes('\n') ? `Example:\n${usage.example}` : `Example: ${usage.example}`];
  for (const [placeholder, note] of USAGE_NOTES) if (usage.syntax.includes(placeholder)) lines.push(note);
  return lines.join('\n');
}

/** The command word a parsed command was written with, for its usage: confirmOnCall → confirm. */
export function commandNameOf(command: ParsedCommand): CommandName {
  switch (command.name) {
    case 'scheduleForm':
      return 'schedule';
    case 'confirmOnCall':
      return 'confirm';
    case 'decisionHint':
      return command.verb;
    case 'overrideOnCall':
      return 'override';
    default:
      return command.name;
  }
}

/**
 * The longest message text read, in characters as Teams sends it (HTML included). Teams itself
 * sends at most about 28 KB of message; anything longer did not come from someone typing in Teams.
 */
export const MAX_MESSAGE_LENGTH = 32_000;

/** Normalize what Teams sent, then parse it; a text over MAX_MESSAGE_LENGTH is refused unread. */
export function parseTeamsMessage(raw: string, options: ParseOptions = {}): ParseResult {
  if (typeof raw === 'string' && raw.length > MAX_MESSAGE_LENGTH) return tooLong(raw.length);
  return parseCommand(normalizeTeamsText(raw), options);
}

function tooLong(length: number): ParseFailure {
  const count = (n: number) => n.toLocaleString('en-US');
  return {
    ok: false,
    error: `That message is ${count(length)} characters long; I read commands of at most ${count(MAX_MESSAGE_LENGTH)} characters, so I did not read it.`,
    usage:
      'Send the command on its own and put long text behind a link, for example ' +
      '`rc 2026.4.0-rc.3 notes: https://wiki.lendos.example/releases/2026.4.0`. Say help to see every command.',
  };
}

export function parseCommand(text: string, options: ParseOptions = {}): ParseResult {
  const input = typeof text === 'string' ? text.trim() : '';
  if (input === '') return failure(undefined, 'There is no command here. Say help to see what I can do.', 'help');

  const { head, tail } = splitFirst(input);
  const word = commandWord(head);
  const name = COMMAND_NAMES.find((candidate) => candidate === word);
  if (name) return PARSERS[name](tail, options);
  const hint = decisionWords(input);
  if (hint) return success(hint);
  return unknownCommand(head, tail);
}

/** A whole message, or how it starts, that means "I approve" or "I reject" the way people write it in a thread. */
const APPROVING = ['lgtm', '+1', '👍', 'approved', 'sgtm', 'looks good', 'looks good to me', 'ship it'];
const REJECTING = ['-1', '👎', 'rejected'];

/**
 * `lgtm`, `+1 thanks`, `approved rc.3`, `looks good!`: a decision meant but not typed as a command.
 * Read from the first two words only, so a long message costs no more than a short one.
 */
function decisionWords(input: string): Extract<ParsedCommand, { name: 'decisionHint' }> | undefined {
  const words = wordsOf(input, 4);
  const plain = (count: number) => words.slice(0, count).map((w) => commandWord(w.text)).join(' ');
  for (const count of [4, 3, 2, 1]) {
    if (words.length < count) continue;
    const said = plain(count);
    const verb = APPROVING.includes(said) ? 'approve' : REJECTING.includes(said) ? 'reject' : undefined;
    if (!verb) continue;
    const rest = textAfter(input, words, count - 1);
    const { head, tail } = splitFirst(rest);
    const ref = parseRcRef(stripTrailingPunctuation(head));
    // Approving, what they wrote is a fine comment as is ("approve rc.3 lgtm"); rejecting, the words after "-1" are the reason.
    const text = ref.ok ? tail.trim() : verb === 'approve' ? input : rest.trim();
    return { name: 'decisionHint', verb, ...(ref.ok ? { ref: toRefArg(ref.value) } : {}), ...optional('text', commentText(text)) };
  }
  return undefined;
}

/** The command word as written: `/schedule`, `approve:` and `Help!` are schedule, approve and help. */
function commandWord(head: string): string {
  return trimEndChars(head.replace(/^\//, ''), ':,.!?').toLowerCase();
}

type CommandParser = (args: string, options: ParseOptions) => ParseResult;

const PARSERS: Readonly<Record<CommandName, CommandParser>> = {
  rc: parseRcCut,
  qa: parseQa,
  approve: (args, options) => parseDecision('approve', args, options),
  revoke: (args, options) => parseDecision('revoke', args, options),
  reject: parseReject,
  promote: parsePromote,
  status: parseStatus,
  history: parseHistory,
  evidence: parseEvidence,
  metrics: parseMetrics,
  help: (args) => success({ name: 'help', ...optional('topic', args.replace(/\s+/g, ' ').trim().toLowerCase()) }),
  register: parseRegister,
  away: (args, options) => fromDeputyParse('away', parseAway(args, options)),
  back: (args, options) => fromDeputyParse('back', parseBack(args, options)),
  lock: (args, options) => wrapLock('lock', parseLock(args, options)),
  unlock: (args, options) => wrapLock('unlock', parseUnlock(args, options)),
  freeze: (args, options) => wrapFreeze('freeze', parseFreeze(args, options)),
  unfreeze: (args, options) => wrapFreeze('unfreeze', parseUnfreeze(args, options)),
  ...deploymentParsers(),
};

function deploymentParsers(): Record<DeploymentCommandName, CommandParser> {
  const entries = Object.entries(DEPLOYMENT_PARSERS).map(([name, parse]) => {
    const command = name as DeploymentCommandName;
    const wrapped: CommandParser = (args, options) => {
      const result = parse(args, options);
      return result.ok ? result : failure(command, result.error);
    };
    return [command, wrapped] as const;
  });
  return Object.fromEntries(entries) as Record<DeploymentCommandName, CommandParser>;
}

function wrapLock(name: 'lock' | 'unlock', result: LockParse): ParseResult {
  return result.ok ? success(result.command) : failure(name, result.error);
}

function wrapFreeze(name: 'freeze' | 'unfreeze', result: FreezeParse): ParseResult {
  return result.ok ? success(result.command) : failure(name, result.error);
}

function parseRcCut(args: string): ParseResult {
  const { head, tail } = splitFirst(args);
  const token = stripTrailingPunctuation(head);
  if (token === '') return failure('rc', 'rc needs the RC version, for example rc 2026.4.0-rc.3.');

  if (token.toLowerCase() === 'hotfix') {
    const next = stripTrailingPunctuation(splitFirst(tail).head);
    const version = parseRcVersion(next);
    const shown = version.ok ? `${version.value.release}-rc.${version.value.rc}` : '2026.4.1-rc.1';
    return failure('rc', `Write hotfix after the version: rc ${shown} hotfix.`);
  }

  const short = parseRcRef(token);
  if (short.ok && short.value.release === undefined) {
    return failure(
      'rc',
      `rc needs the full RC version: ${quote(token)} doesn't say which release. ` +
        `Write it as YEAR.MONTH.PATCH-rc.N, for example 2026.4.0-rc.${short.value.rc}.`,
    );
  }
  const version = parseRcVersion(token);
  if (!version.ok) return failure('rc', version.reason);

  let rest = tail;
  let hotfix = false;
  const afterVersion = splitFirst(rest);
  if (stripTrailingPunctuation(afterVersion.head).toLowerCase() === 'hotfix') {
    hotfix = true;
    rest = afterVersion.tail;
  }

  const contents = parseRcFields(rest);
  if (!contents.ok) return failure('rc', contents.error);
  return success({ name: 'rc', release: version.value.release, rc: version.value.rc, hotfix, contents: contents.value });
}

type FieldKey = 'features' | 'fixes' | 'notes' | 'knownIssues';

// A label starts the text or follows a space, `;` or `,`, so "quick-fix:" inside an item is no label.
const FIELD_LABEL = /(?<=^|[\s;,])(features?|fix(?:es)?|release[ \t]*notes|notes|known[ \t]*issues?|known)[ \t]*:/gi;
const NONE_ITEM = /^(?:none|n\/a|nothing)\.?$/i;

function fieldKey(label: string): FieldKey {
  const word = label.toLowerCase().replace(/[ \t]+/g, '');
  if (word.startsWith('feature')) return 'features';
  if (word.startsWith('fix')) return 'fixes';
  if (word.endsWith('notes')) return 'notes';
  return 'knownIssues';
}

function parseRcFields(text: string): { ok: true; value: RcContents } | { ok: false; error: string } {
  const labels = [...text.matchAll(FIELD_LABEL)];
  const before = (labels.length > 0 ? text.slice(0, labels[0].index) : text).trim();
  if (before !== '') {
    return {
      ok: false,
      error: `I don't know what ${quote(before)} is in an RC cut. Start each part with features:, fixes:, notes: or known issues:.`,
    };
  }

  const lists: Record<Exclude<FieldKey, 'notes'>, string[]> = { features: [], fixes: [], knownIssues: [] };
  let notesUrl: string | undefined;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const start = label.index + label[0].length;
    const end = i + 1 < labels.length ? labels[i + 1].index : text.length;
    const value = text.slice(start, end);
    const key = fieldKey(label[1]);
    if (key !== 'notes') {
      for (const item of splitItems(value)) lists[key].push(item); // not push(...items): a long list would overflow the stack
      continue;
    }
    if (notesUrl !== undefined) return { ok: false, error: 'notes: is given twice. Give one release notes link.' };
    const written = value.trim();
    if (written === '') return { ok: false, error: 'notes: is empty. Write the release notes link after it, or leave notes: out.' };
    const url = findUrl(written);
    if (url === undefined) {
      return { ok: false, error: `${quote(written)} is not a link. Write notes: and the release notes link, for example notes: https://wiki.lendos.example/releases/2026.4.0.` };
    }
    notesUrl = url;
  }
  return {
    ok: true,
    value: { features: lists.features, fixes: lists.fixes, ...optional('notesUrl', notesUrl), knownIssues: lists.knownIssues },
  };
}

/** Items are separated by `;`, by line breaks, by `•` anywhere, and start with an optional `- `/`* `/`1. ` bullet. */
function splitItems(value: string): string[] {
  const items = value
    .split(/[;\n•]/)
    .map((item) => item.trim().replace(/^(?:[-*–]|\d{1,2}[.)])[ \t]+/, '').trim())
    .filter((item) => item !== '');
  return items.length === 1 && NONE_ITEM.test(items[0]) ? [] : items;
}

function parseQa(args: string): ParseResult {
  const { head, tail } = splitFirst(args);
  const word = stripTrailingPunctuation(head).toLowerCase();
  if (word === '') return failure('qa', 'qa needs pass or fail, then the RC and a summary or link.');
  const result = word === 'pass' || word === 'passed' ? 'pass' : word === 'fail' || word === 'failed' ? 'fail' : undefined;
  if (result === undefined) {
    if (parseRcRef(stripTrailingPunctuation(head)).ok) {
      return failure('qa', `Write pass or fail before the RC, for example qa pass ${stripTrailingPunctuation(head)} <summary or link>.`);
    }
    return failure('qa', `${quote(head)} is neither pass nor fail.`);
  }
  const ref = takeRcRef(`qa ${result}`, tail);
  if (!ref.ok) return failure('qa', ref.error);
  const summary = ref.rest.trim();
  if (summary === '') return failure('qa', `qa ${result} needs a summary or a link to the results.`);
  return success({ name: 'qa', result, ref: ref.value, summary });
}

/** The longest comment recorded with a decision; a longer one belongs behind a link. */
export const MAX_COMMENT_LENGTH = 1_000;

function parseDecision(name: 'approve' | 'revoke', args: string, options: ParseOptions): ParseResult {
  // A bare `approve`: the caller answers with the exact command (the thread's RC), nothing is recorded.
  if (name === 'approve' && args.trim() === '') return success({ name: 'decisionHint', verb: 'approve' });
  const ref = takeRcRef(name, args);
  if (!ref.ok) return failure(name, ref.error);
  // With the areas known, `for <word>` names an area only when the word is one; "for the team" is
  // part of the comment. A lone unknown word, or one a typo away from an area, is refused (ambiguous).
  const area = takeArea(`${name} ${ref.written}`, ref.rest, options, options.areas ? 'or-comment' : 'strict');
  if (!area.ok) return failure(name, area.error);
  const comment = readComment(name, ref.written, area.rest);
  if (!comment.ok) return failure(name, comment.error);
  return success({ name, ref: ref.value, ...optional('area', area.value), ...optional('comment', comment.value) });
}

/** Words that make what follows a decision a condition or a "no", which a record of "approved" would misread. */
const HEDGES = ['not', "don't", 'dont', 'cannot', "can't", 'cant', "won't", 'wont', 'if', 'unless', 'until', 'once', 'pending', 'wait', 'hold'];
/** A whole comment that says no ("approve rc.3 no"), while "no issues found" is a fine comment. */
const NO_WORDS = ['no', 'nope', 'nah'];

/**
 * The free comment after `approve rc.3 [for qa]`, without the separator people put before it
 * (`approve rc.3 — looks good`, `approve rc.3: thanks`). Refused only when it is ambiguous: a second
 * RC, or a condition or "no" ("approve rc.3 if QA passes", "approve rc.3 not yet").
 */
function readComment(name: 'approve' | 'revoke', written: string, rest: string): { ok: true; value?: string } | { ok: false; error: string } {
  const value = commentText(rest);
  if (value === undefined) return { ok: true };
  if (value.length > MAX_COMMENT_LENGTH) {
    return {
      ok: false,
      error: `That comment is ${value.length.toLocaleString('en-US')} characters long; a comment with ${name} ${written} is at most ${MAX_COMMENT_LENGTH.toLocaleString('en-US')}. Put the long text behind a link, for example ${name} ${written} notes in https://wiki.lendos.example/reviews/2026.4.0.`,
    };
  }
  const [first, second] = wordsOf(value, 2).map((w) => commandWord(w.text));
  const another = [first, first === 'and' || first === '&' ? second : undefined].find((word) => word !== undefined && parseRcRef(word).ok);
  if (another) {
    return { ok: false, error: `${name} takes one RC, and ${quote(value)} names ${another} too. Write one command per RC: ${name} ${written}, then ${name} ${another}.` };
  }
  if (first !== undefined && (HEDGES.includes(first) || (second === undefined && NO_WORDS.includes(first)))) {
    return {
      ok: false,
      error:
        `${quote(value)} after ${name} ${written} reads as a condition or a "no", so I recorded nothing. ` +
        (name === 'approve'
          ? `Approve once it holds (${name} ${written}), or block it meanwhile: reject ${written} <reason>.`
          : `Revoke without it (${name} ${written}), or say why after it: ${name} ${written} waiting for the DAML fix.`),
    };
  }
  return { ok: true, value };
}

/** Free text as a comment: trimmed, without leading separators (`—`, `-`, `:`, `,`, `;`); undefined when nothing is left. */
function commentText(text: string): string | undefined {
  let start = 0;
  while (start < text.length && (isSpace(text[start]!) || COMMENT_SEPARATORS.includes(text[start]!))) start += 1;
  const value = text.slice(start).trim();
  return value === '' ? undefined : value;
}

const COMMENT_SEPARATORS = '-–—:,;';

function parseReject(args: string, options: ParseOptions): ParseResult {
  if (args.trim() === '') return success({ name: 'decisionHint', verb: 'reject' });
  const ref = takeRcRef('reject', args);
  if (!ref.ok) return failure('reject', ref.error);
  const area = takeArea(`reject ${ref.written}`, ref.rest, options, 'if-known');
  if (!area.ok) return failure('reject', area.error);
  const reason = area.rest.trim();
  if (reason === '') return failure('reject', 'reject needs a reason.');
  return success({ name: 'reject', ref: ref.value, reason, ...optional('area', area.value) });
}

function parsePromote(args: string): ParseResult {
  const ref = takeRcRef('promote', args);
  if (!ref.ok) return failure('promote', ref.error);
  const written = ref.rest.trim().replace(/^(?:release[ \t]*)?notes(?:[ \t]*:|(?=\s))/i, '').trim();
  if (written === '') return success({ name: 'promote', ref: ref.value });
  const notesUrl = findUrl(written);
  if (notesUrl === undefined) {
    return failure('promote', `${quote(written)} is not a link. promote takes the RC and optionally the release notes link.`);
  }
  return success({ name: 'promote', ref: ref.value, notesUrl });
}

function parseStatus(args: string): ParseResult {
  const { head, tail } = splitFirst(args);
  if (tail.trim() !== '') {
    return failure('status', `status takes at most one version; I don't understand ${quote(tail.trim())}.`);
  }
  const token = stripTrailingPunctuation(head);
  if (token === '') return success({ name: 'status' });
  const release = parseReleaseVersion(token);
  if (release.ok) return success({ name: 'status', release: release.value.release });
  const ref = parseRcRef(token);
  if (ref.ok) return success({ name: 'status', ...optional('release', ref.value.release), rc: ref.value.rc });
  if (/^\d/.test(token)) return failure('status', reasonOf(token.includes('-') ? parseRcVersion(token) : release) ?? release.reason);
  if (/^rc/i.test(token)) return failure('status', ref.reason);
  return failure(
    'status',
    `${quote(token)} is not a version. Write a release (for example 2026.4.0), an RC (for example 2026.4.0-rc.3), or rc.N inside the release thread.`,
  );
}

function parseHistory(args: string): ParseResult {
  // `… page 2` at the end: which page of the trail (1, the newest events, when absent).
  const paged = /(?:^|\s)page(?:\s+(\S+))?\s*$/i.exec(args.trim());
  const pageText = paged ? stripTrailingPunctuation(paged[1] ?? '') : undefined;
  if (pageText !== undefined && !/^[1-9]\d{0,5}$/.test(pageText)) {
    return failure('history', `page needs a page number, for example history 2026.4.0 page 2${pageText ? `; ${quote(pageText)} is not one` : ''}.`);
  }
  const page = pageText === undefined ? {} : { page: Number(pageText) };
  const { head, tail } = splitFirst(paged ? args.trim().slice(0, paged.index) : args);
  if (tail.trim() !== '') {
    return failure('history', `history takes at most one version and a page; I don't understand ${quote(tail.trim())}.`);
  }
  const token = stripTrailingPunctuation(head);
  if (token === '') return success({ name: 'history', ...page });
  const release = parseReleaseVersion(token);
  if (release.ok) return success({ name: 'history', release: release.value.release, ...page });
  // An RC's history is its release's history.
  const rc = parseRcVersion(token);
  if (rc.ok) return success({ name: 'history', release: rc.value.release, ...page });
  const short = parseRcRef(token);
  if (short.ok) {
    return failure('history', `history takes a release version, for example history 2026.4.0. Inside a release thread, history alone shows that release.`);
  }
  return failure('history', release.reason);
}

function parseEvidence(args: string): ParseResult {
  const { head, tail } = splitFirst(args);
  if (tail.trim() !== '') return failure('evidence', `evidence takes at most one version; I don't understand ${quote(tail.trim())}.`);
  const token = stripTrailingPunctuation(head);
  if (token === '') return success({ name: 'evidence' });
  const release = parseReleaseVersion(token);
  if (release.ok) return success({ name: 'evidence', release: release.value.release });
  const rc = parseRcVersion(token);
  if (rc.ok) return success({ name: 'evidence', release: rc.value.release }); // an RC's evidence is its release's
  return failure('evidence', release.reason);
}

function parseMetrics(args: string, options: ParseOptions): ParseResult {
  const text = args.replace(/\s+/g, ' ').trim();
  const since = /(?:^| )since(?: (.*))?$/i.exec(text);
  const environmentText = (since ? text.slice(0, since.index) : text).trim();
  let environment: EnvironmentRef | undefined;
  if (environmentText !== '') {
    const read = readEnvironment(environmentText, options, 'all');
    if (!read.ok) return failure('metrics', read.error);
    if (read.rest.trim() !== '') return failure('metrics', `I don't understand ${quote(read.rest.trim())} after the environment; write since and a date, or nothing.`);
    environment = read.value;
  }
  if (!since) return success({ name: 'metrics', ...optional('environment', environment) });
  const date = stripTrailingPunctuation((since[1] ?? '').trim());
  if (!/^\d{4}-\d{1,2}-\d{1,2}$/.test(date)) {
    return failure('metrics', `since needs a date like 2026-01-01${date ? `, not ${quote(date)}` : ''}.`);
  }
  const start = parseLocalDateTime(`${date} 00:00`, options.timeZone ?? 'UTC');
  if (!start.ok) return failure('metrics', start.reason);
  return success({ name: 'metrics', ...optional('environment', environment), since: start.value.instant });
}

const CHANNEL_WORDS: Readonly<Record<string, ChannelPurpose>> = {
  engineering: 'engineering',
  general: 'general',
  'production-support': 'productionSupport',
  'production support': 'productionSupport',
  'prod-support': 'productionSupport',
  'prod support': 'productionSupport',
};

function parseRegister(args: string): ParseResult {
  const written = args.replace(/\s+/g, ' ').trim();
  if (written === '') return failure('register', 'register needs the channel: engineering, general or production-support.');
  const channel = CHANNEL_WORDS[trimEndChars(written.toLowerCase().replace(/^#/, ''), '.!')];
  if (channel === undefined) {
    return failure('register', `${quote(written)} is not a channel I run. Write register engineering, register general or register production-support.`);
  }
  return success({ name: 'register', channel });
}

type Taken<T> = { ok: true; value: T; rest: string; written: string } | { ok: false; error: string };

function takeRcRef(commandText: string, args: string): Taken<RcRefArg> {
  const { head, tail } = splitFirst(args);
  const token = stripTrailingPunctuation(head);
  if (token === '') {
    return {
      ok: false,
      error: `${commandText} needs the RC: rc.N inside the release thread (for example rc.3), or the full version anywhere (for example 2026.4.0-rc.3).`,
    };
  }
  const ref = parseRcRef(token);
  if (ref.ok) return { ok: true, value: toRefArg(ref.value), rest: tail, written: token };
  // Something that starts like a version gets the version parser's precise reason (release, not RC; bad month...).
  return { ok: false, error: /^\d/.test(token) ? reasonOf(parseRcVersion(token)) ?? ref.reason : ref.reason };
}

function takeArea(
  commandText: string,
  args: string,
  options: ParseOptions,
  mode: 'strict' | 'if-known' | 'or-comment',
): Taken<string | undefined> {
  const none = { ok: true as const, value: undefined, rest: args, written: '' };
  // Without the area list, "reject rc.3 for breaking login" can't be told from an area: it is all reason.
  if (mode === 'if-known' && !options.areas) return none;
  const first = splitFirst(args);
  if (first.head.toLowerCase() !== 'for') return none;
  const second = splitFirst(first.tail);
  const written = stripTrailingPunctuation(second.head);
  if (written === '') {
    if (mode === 'if-known') return none;
    return { ok: false, error: `for needs an area, for example ${commandText} for qa.` };
  }
  if (options.areas) {
    const known = options.areas.find((area) => area.toLowerCase() === written.toLowerCase());
    if (known !== undefined) return { ok: true, value: known, rest: second.tail, written };
    if (mode === 'if-known') return none;
    if (mode === 'or-comment') {
      const near = options.areas.find((area) => isTypoOf(written.toLowerCase(), area.toLowerCase()));
      if (near !== undefined) {
        return { ok: false, error: `${quote(written)} is not an approval area. Did you mean ${commandText} for ${near}? The areas are ${listWords(options.areas)}.` };
      }
      if (second.tail.trim() !== '') return none; // "for the team …": a comment
    }
    return { ok: false, error: `${quote(written)} is not an approval area. The areas are ${listWords(options.areas)}.` };
  }
  if (!/^[a-z][a-z0-9_-]*$/i.test(written)) {
    return { ok: false, error: `${quote(written)} is not an area name. Write for and the area, for example ${commandText} for qa.` };
  }
  return { ok: true, value: written.toLowerCase(), rest: second.tail, written };
}

function toRefArg(ref: { readonly rc: number; readonly release?: string }): RcRefArg {
  return ref.release === undefined ? { kind: 'short', rc: ref.rc } : { kind: 'full', release: ref.release, rc: ref.rc };
}

function reasonOf(result: { ok: boolean; reason?: string }): string | undefined {
  return result.ok ? undefined : result.reason;
}

function unknownCommand(head: string, tail: string): ParseResult {
  // "rc.3 approve": the RC came first.
  const second = splitFirst(tail).head.toLowerCase();
  const misplaced = COMMAND_NAMES.find((candidate) => candidate === second);
  if (misplaced && parseRcRef(stripTrailingPunctuation(head)).ok) {
    return failure(misplaced, `Write the command first, for example ${misplaced} ${stripTrailingPunctuation(head)}.`);
  }
  const nearest = nearestCommand(commandWord(head));
  if (nearest === undefined) return failure(undefined, `${quote(head)} is not a command. Say help to see what I can do.`, 'help');
  return { ok: false, suggestion: nearest, error: `${quote(head)} is not a command. Did you mean ${nearest}?`, usage: formatUsage(nearest) };
}

const LONGEST_COMMAND = Math.max(...COMMAND_NAMES.map((name) => name.length));

/** Whether `word` is within a typo's reach of `target` (as for commands), measured only when the lengths allow it. */
function isTypoOf(word: string, target: string): boolean {
  const reach = target.length <= 3 ? 1 : target.length <= 6 ? 2 : 3;
  return Math.abs(word.length - target.length) <= reach && editDistance(word, target) <= reach;
}

/** The command within a typo's reach: one edit for short words, two up to six letters, three beyond. */
function nearestCommand(word: string): CommandName | undefined {
  const reach = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  // Every edit distance is at least the difference in length; a longer word is no typo of a command,
  // and measuring it would cost its length times every command.
  if (word.length - LONGEST_COMMAND > reach) return undefined;
  let best: CommandName | undefined;
  let bestDistance = Infinity;
  for (const candidate of COMMAND_NAMES) {
    const distance = editDistance(word, candidate);
    // A tie goes to the longer command: a dropped letter is the likelier typo ("eschedule" is reschedule).
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate.length > best.length)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= reach ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps ("hlep"). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
      rows[i].push(value);
    }
  }
  return rows[a.length][b.length];
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'`]+/i;

/** The first http(s) link in the text, without punctuation that ends the sentence around it. */
function findUrl(text: string): string | undefined {
  const match = URL_IN_TEXT.exec(text);
  if (!match) return undefined;
  const found = match[0];
  // Counted once: a closing parenthesis is the link's own only while the link opened one for it.
  let [opened, closed] = [0, 0];
  for (const char of found) {
    if (char === '(') opened += 1;
    else if (char === ')') closed += 1;
  }
  let end = found.length;
  for (;;) {
    const last = found[end - 1];
    if (last !== undefined && TRAILING_PUNCTUATION.includes(last)) end -= 1;
    else if (last === ')' && opened < closed) [end, closed] = [end - 1, closed - 1];
    else break;
  }
  const url = found.slice(0, end);
  try {
    const parsed = new URL(url);
    return parsed.hostname === '' ? undefined : url;
  } catch {
    return undefined;
  }
}

function fromDeputyParse(name: 'away' | 'back', parsed: DeputyParse): ParseResult {
  return parsed.ok ? success(parsed.command) : failure(name, parsed.error);
}

function success(command: ParsedCommand): ParseResult {
  return { ok: true, command };
}

function failure(command: CommandName | undefined, error: string, usageOf: CommandName = command ?? 'help'): ParseFailure {
  return { ok: false, ...optional('command', command), error, usage: formatUsage(usageOf) };
}
