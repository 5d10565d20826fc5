import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { readUntil } from '../commands/parse-deputy';
import { Freeze, resolveFreeze } from '../domain/freezes';

// The bot's configuration file: who is who, which channels, which environments, and when business
// hours are. Read and validated once at start; every mistake is reported on its own line.

const timeZone = z.string().refine(isValidTimeZone, (zone) => ({
  message: `"${zone}" is not an IANA time zone (for example "America/New_York" or "Europe/Lisbon")`,
}));
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like "09:00"');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const key = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes, like "bxci-production"');
const entraObjectId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an Entra object id (a GUID)');

/** A freeze edge: a local date, or a date and time. */
const FREEZE_DATE = /^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?$/;

const channelBinding = z.object({
  /** Teams channel id, e.g. "19:abc@thread.tacv2" (from the channel's link). */
  id: z.string().min(1),
  /** The team's id (channelData.team.id), optional. */
  teamId: z.string().optional(),
  /** Bot Connector service URL for the tenant, e.g. "https://smba.trafficmanager.net/amer/". */
  serviceUrl: z.string().url(),
});

export const configSchema = z
  .object({
    $comment: z.string().optional(),
    /** Entra tenant the bot serves; activities from other tenants are refused. */
    tenantId: z.string().min(1),
    /** IANA time zone for business hours and for every time the bot shows. */
    timeZone,
    businessHours: z.object({
      days: z.array(weekday).min(1),
      start: clockTime,
      end: clockTime,
    }),
    /** Everyone the bot knows, by Entra object id. */
    people: z
      .array(
        z.object({
          key,
          name: z.string().min(1),
          aadObjectId: entraObjectId,
          email: z.string().email(),
        }),
      )
      .min(1),
    /** Approval areas, each with exactly one lead; the default config has the runbook's five. */
    areas: z.array(z.object({ key, name: z.string().min(1), lead: key })).min(1),
    roles: z.object({
      /** Cut RCs, promote, signal ready / stable / live. */
      platform: z.array(key).min(1),
      /** Posts QA regression results. */
      qa: key,
      /** Incident Response Commanders: schedule and run deployments. */
      irc: z.array(key).min(1),
      /** Pool of people who may be picked as validators. */
      validators: z.array(key).default([]),
    }),
    /** Channels bound up front; `@lendos register <channel>` typed in a channel binds it too. */
    channels: z
      .object({
        engineering: channelBinding.optional(),
        general: channelBinding.optional(),
        productionSupport: channelBinding.optional(),
      })
      .default({}),
    environments: z.array(z.object({ key, name: z.string().min(1) })).min(1),
    /**
     * Who the on-call card proposes for a window. `provider` "rotation" (the default): `rotation`
     * people take `days`-long shifts from `start`. "pagerduty": whoever PagerDuty has on call in
     * `pagerduty.scheduleIds` (token in PAGERDUTY_TOKEN), matched to people by email.
     */
    onCall: z
      .object({
        provider: z.enum(['rotation', 'pagerduty']).default('rotation'),
        rotation: z.array(key).min(1).optional(),
        start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-01-05"').optional(),
        days: z.number().int().positive().default(7),
        pagerduty: z
          .object({
            /** Schedule ids as in the schedule's URL (https://<you>.pagerduty.com/schedules/PABC123); the first listed wins a tie. */
            scheduleIds: z.array(z.string().regex(/^[A-Z0-9]{4,20}$/, 'must be a PagerDuty schedule id like "PABC123"')).min(1),
            /** REST API root; the EU service region is https://api.eu.pagerduty.com. */
            baseUrl: z.string().url().default('https://api.pagerduty.com'),
            /** How long a lookup may take before the card says PagerDuty didn't answer (scheduling waits for it). */
            timeoutMs: z.number().int().min(200).max(4000).default(2500),
          })
          .optional(),
      })
      .superRefine((onCall, ctx) => {
        if (onCall.provider === 'rotation' && (!onCall.rotation || !onCall.start)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'the rotation provider needs rotation (people keys) and start (a date like "2026-01-05")' });
        }
        if (onCall.provider === 'pagerduty' && !onCall.pagerduty) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pagerduty'], message: 'provider "pagerduty" needs pagerduty.scheduleIds' });
        }
      })
      .optional(),
    /** `metrics`: a bug reported within `failureWindowDays` of going live counts the deployment as failed; `months` shown by default. */
    metrics: z
      .object({
        failureWindowDays: z.number().int().min(1).max(90).default(7),
        months: z.number().int().min(1).max(24).default(6),
      })
      .default({}),
    /**
     * Deputies known ahead (holidays): `{ area, deputy, until: "2026-04-20" (through that day) or
     * "2026-04-20 12:00", from?: same forms }`, in `timeZone`. `away … deputy …` typed in Teams adds more.
     */
    deputies: z
      .array(
        z.object({
          area: key,
          deputy: key,
          until: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/, 'must be a date like "2026-04-20" or a date and time like "2026-04-20 12:00"'),
          from: z.string().regex(/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$/, 'must be a date like "2026-04-13" or a date and time like "2026-04-13 09:00"').optional(),
        }),
      )
      .default([]),
    /**
     * Freeze periods: no deployment is scheduled or started inside one (an IRC may override). `from`
     * and `to` are local dates ("2026-12-24", `to` inclusive) or dates and times ("2026-12-24 18:00")
     * in `timeZone`; `environments` (keys) defaults to all; `hotfixes: true` lets hotfixes pass.
     */
    freezes: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(80),
          from: z.string().regex(FREEZE_DATE, 'must be a date like "2026-12-24" or a date and time like "2026-12-24 18:00"'),
          to: z.string().regex(FREEZE_DATE, 'must be a date like "2027-01-03" or a date and time like "2027-01-03 18:00"'),
          environments: z.array(key).default([]),
          hotfixes: z.boolean().default(false),
        }),
      )
      .default([]),
    /**
     * Nudges for leads who have not decided the current RC, only ever sent inside business hours:
     * first a reply in the RC thread that @mentions them, then a personal chat; and a word to the
     * Platform team about who is still missing before a scheduled deployment. `enabled: false` turns them all off.
     */
    reminders: z
      .object({
        enabled: z.boolean().default(true),
        /** Business hours after the RC was cut before a pending lead is @mentioned in its thread. */
        threadAfterBusinessHours: z.number().min(0.25).max(200).default(8),
        /** Further business hours before the same lead gets a personal chat; 0 turns the personal step off. */
        personalAfterBusinessHours: z.number().min(0).max(200).default(8),
        /** How many hours before a scheduled deployment's window the Platform team hears who is still missing (sent in the last business hours before then). 0 turns it off. */
        beforeDeploymentHours: z.number().min(0).max(14 * 24).default(24),
        /** How often each instance looks for reminders that are due. */
        checkEveryMinutes: z.number().min(1).max(60).default(5),
      })
      .default({}),
    /**
     * Who runs and who validates a deployment when `schedule deploy …` names nobody: people keys.
     * Absent (the default): the scheduling form opens prefilled with what was typed and asks.
     */
    scheduling: z
      .object({
        engineer: key.optional(),
        validators: z.array(key).min(1).optional(),
      })
      .default({}),
    /** `evidence <version>`: how long the links to the Markdown and JSON exports work. */
    evidence: z.object({ linkMinutes: z.number().int().min(1).max(1440).default(15) }).default({}),
    /**
     * RC cuts from GitHub webhooks (POST /api/github, signed with GITHUB_WEBHOOK_SECRET). The cut is
     * the Platform team's, attributed to `cutBy`; the GitHub user who published is named beside.
     */
    github: z
      .object({
        /** What cuts an RC: a published pre-release ("prerelease") or a pushed tag ("tag"), named like 2026.4.0-rc.3 or v2026.4.0-rc.3. */
        cutOn: z.enum(['prerelease', 'tag']).default('prerelease'),
        /** The Platform person (a `people` key in roles.platform) a webhook cut is attributed to. */
        cutBy: key,
        /** Pull-request labels: which make a feature, which a fix, which mark the RC a hotfix. Unlabelled pull requests count as features. */
        labels: z
          .object({
            features: z.array(z.string().min(1)).default(['feature', 'enhancement']),
            fixes: z.array(z.string().min(1)).default(['bug', 'fix']),
            hotfix: z.string().min(1).default('hotfix'),
          })
          .default({}),
        /** Promotion also creates the final release and tag (2026.4.0) on GitHub at the RC's commit (needs GITHUB_TOKEN and GITHUB_REPOSITORY). */
        publishOnPromotion: z.boolean().default(false),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    const personKeys = new Set(config.people.map((p) => p.key));
    const mustBePerson = (ref: string, path: (string | number)[]) => {
      if (!personKeys.has(ref)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `"${ref}" is not a key in people` });
      }
    };
    config.areas.forEach((area, i) => mustBePerson(area.lead, ['areas', i, 'lead']));
    config.roles.platform.forEach((p, i) => mustBePerson(p, ['roles', 'platform', i]));
    config.roles.irc.forEach((p, i) => mustBePerson(p, ['roles', 'irc', i]));
    config.roles.validators.forEach((p, i) => mustBePerson(p, ['roles', 'validators', i]));
    mustBePerson(config.roles.qa, ['roles', 'qa']);
    config.onCall?.rotation?.forEach((p, i) => mustBePerson(p, ['onCall', 'rotation', i]));
    if (config.github) {
      mustBePerson(config.github.cutBy, ['github', 'cutBy']);
      if (personKeys.has(config.github.cutBy) && !config.roles.platform.includes(config.github.cutBy)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['github', 'cutBy'],
          message: `"${config.github.cutBy}" is not in roles.platform; RCs are cut by the Platform team, so webhook cuts are attributed to one of them`,
        });
      }
    }
    config.deputies.forEach((cover, i) => {
      mustBePerson(cover.deputy, ['deputies', i, 'deputy']);
      const area = config.areas.find((a) => a.key === cover.area);
      if (!area) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['deputies', i, 'area'], message: `"${cover.area}" is not a key in areas` });
      else if (!readUntil(cover.until, config.timeZone).ok || (cover.from !== undefined && !readUntil(`${cover.from}${cover.from.length === 10 ? ' 00:00' : ''}`, config.timeZone).ok))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['deputies', i], message: `until/from is not a date and time that exists in ${config.timeZone}` });
      else if (area.lead === cover.deputy) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['deputies', i, 'deputy'], message: `"${cover.deputy}" leads ${cover.area} already; a deputy is someone else` });
    });
    const { engineer, validators } = config.scheduling;
    if (engineer) mustBePerson(engineer, ['scheduling', 'engineer']);
    validators?.forEach((person, i) => {
      mustBePerson(person, ['scheduling', 'validators', i]);
      if (personKeys.has(person) && !config.roles.validators.includes(person))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scheduling', 'validators', i], message: `"${person}" is not in roles.validators, the validator pool` });
      if (person === engineer)
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scheduling', 'validators', i], message: `"${person}" is the default engineer; the engineer cannot also validate` });
    });
    reportDuplicates(config.people.map((p) => p.key), ['people'], 'person key', ctx);
    reportDuplicates(config.people.map((p) => p.aadObjectId.toLowerCase()), ['people'], 'aadObjectId', ctx);
    reportDuplicates(config.areas.map((a) => a.key), ['areas'], 'area key', ctx);
    reportDuplicates(config.environments.map((e) => e.key), ['environments'], 'environment key', ctx);
    const areasByLead = new Map<string, string[]>();
    config.areas.forEach((area) => areasByLead.set(area.lead, [...(areasByLead.get(area.lead) ?? []), area.key]));
    for (const [lead, areas] of areasByLead) {
      if (areas.length > 1) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['areas'],
          message: `"${lead}" leads ${areas.join(' and ')}, but one person fills at most one area per RC, so that release could never be promoted: give each area its own lead`,
        });
      }
    }
    const environmentKeys = new Set(config.environments.map((e) => e.key));
    config.freezes.forEach((freeze, i) => {
      freeze.environments.forEach((env, j) => {
        if (!environmentKeys.has(env)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['freezes', i, 'environments', j], message: `"${env}" is not a key in environments` });
      });
      // A badly written date is already reported by its pattern; the zone check needs both readable.
      if (isValidTimeZone(config.timeZone) && FREEZE_DATE.test(freeze.from) && FREEZE_DATE.test(freeze.to)) {
        const resolved = resolveFreeze(freeze, config.timeZone);
        if (!resolved.ok) resolved.problems.forEach((message) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['freezes', i], message }));
      }
    });
    reportDuplicates(config.freezes.map((f) => f.name.toLowerCase()), ['freezes'], 'freeze name', ctx);
    const { start, end } = config.businessHours;
    if (clockTime.safeParse(start).success && clockTime.safeParse(end).success && start >= end) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['businessHours'],
        message: `start (${config.businessHours.start}) must be before end (${config.businessHours.end})`,
      });
    }
  });

export type BotConfig = z.infer<typeof configSchema>;
export type ChannelName = keyof BotConfig['channels'];

/** The configured freezes as instants; the config check has already refused any that don't resolve. */
export function configuredFreezes(config: BotConfig): Freeze[] {
  return config.freezes.flatMap((spec) => {
    const resolved = resolveFreeze(spec, config.timeZone);
    return resolved.ok ? [resolved.freeze] : [];
  });
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates a parsed config object; throws ConfigError listing every problem, one per line. */
export function parseConfig(raw: unknown, source = 'config'): BotConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      source,
      result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

export function loadConfigFile(path: string): BotConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [`is not valid JSON: ${(error as Error).message}`]);
  }
  return parseConfig(raw, path);
}

function reportDuplicates(values: string[], path: string[], what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `${what} "${value}" appears more than once` });
    }
    seen.add(value);
  }
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
