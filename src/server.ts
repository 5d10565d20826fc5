// First, before botbuilder and teams-ai load: defers the modules of theirs this bot never runs.
import './teams/deferred-modules';
import { randomBytes, randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { OUTBOX_LEASE_MS, OutboxDispatcher, OutboxOptions } from './app/outbox';
import { deploymentOutboxWorker } from './app/deployment-outbox';
import { DeploymentService } from './app/deployment-service';
import { FreezeService } from './app/freeze-service';
import { OnCallProvider, rotationOnCallProvider } from './app/on-call';
import { companyNoticeData } from './cards/company-notice-card';
import { onCallData } from './cards/on-call-card';
import { trackerData } from './cards/tracker-card';
import { BugTracker } from './integrations/bug-tracker';
import { MeetingScheduler } from './integrations/meeting-scheduler';
import { createLinkMeetingScheduler } from './integrations/link-meetings';
import { releaseOutboxWorker } from './app/release-outbox';
import { DocumentRepository } from './app/document-repository';
import { DeploymentRecord, EnvironmentDocument, ReleaseDocument, environmentKey, releaseKey } from './app/documents';
import { ReleaseService } from './app/release-service';
import { LeadReminders, reminderPolicy } from './app/lead-reminders';
import { DeputyService } from './app/deputy-service';
import { tellPlatformWhoIsMissing } from './app/deployment-missing';
import { withDeputies } from './domain/deputies';
import { actionsFor } from './domain/release-actions';
import { deploymentActionsFor } from './domain/deployment-actions';
import { AdaptiveCardJson, createCardRenderer } from './cards/render';
import { LruCache } from './app/lru-cache';
import { rcCardDataForEveryView } from './cards/rc-card';
import { rcCardView } from './cards/rc-views';
import { BotConfig, ConfigError, configuredFreezes } from './config/config';
import { createPagerDutyOnCall } from './integrations/pagerduty-on-call';
import { ReleaseState } from './domain/types';
import { configuredDeputies, directoryFromConfig, emailResolver, personIdResolver } from './config/directory-from-config';
import { Logger, clip, errorFields } from './logger';
import { DocumentStore } from './store/document-store';
import { createBotApplication } from './teams/routes';
import { ChannelDirectory } from './app/channel-directory';
import { ThreadLookup } from './app/thread-lookup';
import { AnsweredActivities } from './app/answered-activities';
import { createTeamsGateway } from './teams/teams-gateway';
import { pacedGateway } from './teams/paced-gateway';
import { SendPacer } from './teams/send-pacer';
import { createBotAdapter } from './teams/bot-adapter';
import { createWelcomes } from './teams/welcome';
import type { SigningKeyPolicy } from './teams/signing-keys';
import { InFlightTurns, delay, logTurn, turnLogFields } from './ops/turns';
import { GitHubDeliveryDocument, GitHubRcCuts, gitHubDeliveryKey } from './app/github-rc-cuts';
import { gitHubReleasePublisher } from './app/github-release-publisher';
import { GitHubRepository } from './integrations/github-repository';
import { createSignatureCheck } from './integrations/github-webhooks';
import { GitHubWebhookOptions, answerGitHubWebhook } from './http/github-webhook';
import { DeploymentLog } from './app/deployment-log';
import { EvidenceService } from './app/evidence-service';
import { createEvidenceLinks } from './app/evidence-links';
import { answerEvidenceDownload } from './http/evidence-download';
import { MetricsService } from './app/metrics-service';
import { createReadinessCheck } from './ops/readiness';
import { parseActivityBody, unsupportedContentType } from './ops/request-body';
import { WriteHealth, trackWrites } from './ops/write-health';

/** Largest request body accepted on /api/messages; a Teams activity is a few KB. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface BotServerOptions {
  readonly config: BotConfig;
  readonly store: DocumentStore;
  readonly logger: Logger;
  readonly port: number;
  readonly host?: string;
  /** Microsoft App (bot) id; empty runs unauthenticated, for local use only. */
  readonly appId?: string;
  readonly appPassword?: string;
  readonly appTenantId?: string;
  readonly appType?: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  readonly cardsDir: string;
  readonly now?: () => Date;
  /** Outbox retry pacing (tests shorten it). */
  readonly outboxBaseDelayMs?: number;
  /** How often pending outboxes left by crashed instances are looked for. */
  readonly outboxSweepMs?: number;
  /** How long an instance's claim on an outbox lasts before another instance may deliver it. */
  readonly outboxLeaseMs?: number;
  /** How long a delivered message's acknowledgement may wait to ride on the next write (FOLD_MS; at most a third of the lease). */
  readonly outboxFoldMs?: number;
  /** Paces outbound posts below Teams' rate limits (default: Teams' published limits, the real clock). */
  readonly pacer?: SendPacer;
  /** Called after each outbound message is delivered and before it is acknowledged (crash tests). */
  readonly onOutboxDelivered?: OutboxOptions['onDelivered'];
  /**
   * How long a command typed in a thread the bot doesn't know waits for a root being posted in that
   * channel right now to be recorded (default 3 s): the reply typed the instant the root appeared.
   */
  readonly threadWaitMs?: number;
  /** How often channel bindings are re-read (another instance may have handled `register`). */
  readonly channelRefreshMs?: number;
  /** Creates deployment meetings; default: a prefilled Teams link (no Graph). */
  readonly meetings?: MeetingScheduler;
  /** Files post-deployment bugs; default: none (bugs are recorded only). */
  readonly bugTracker?: BugTracker;
  readonly onCall?: OnCallProvider;
  /** PAGERDUTY_TOKEN, for `onCall.provider: "pagerduty"` (unless `onCall` is given). */
  readonly pagerDutyToken?: string;
  /** GITHUB_WEBHOOK_SECRET: with config `github`, POST /api/github cuts RCs from signed webhooks. */
  readonly gitHubWebhookSecret?: string;
  /** The repository (GITHUB_REPOSITORY): RC contents from pull requests, the final release on promotion. */
  readonly gitHubRepository?: GitHubRepository;
  /** How often overrunning windows are checked for the IRC reminder. */
  readonly reminderIntervalMs?: number;
  /** How often pending leads are checked for nudges (default: config reminders.checkEveryMinutes). */
  readonly leadReminderIntervalMs?: number;
  /** Where people reach the bot (PUBLIC_BASE_URL): evidence links start with it. Default: this server's loopback URL. */
  readonly publicBaseUrl?: string;
  /** EVIDENCE_LINK_KEY: signs evidence links. Unset: a random key per process (links then work only on this instance, until it restarts). */
  readonly evidenceLinkKey?: string;
  /**
   * Where Bot Framework publishes the keys that sign channel tokens. Unset: the public cloud's
   * (botbuilder's default). Tests serve their own keys on loopback.
   */
  readonly openIdMetadataUrl?: string;
  /** Same for tokens Entra issues to the bot's own app (botbuilder's emulator path). */
  readonly emulatorOpenIdMetadataUrl?: string;
  /** Credentials of outbound calls. Unset: Entra client credentials from the app id and password. */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  /** Deadline and pacing of signing-key fetches (default: 3 s deadline, 10 s between failed tries). */
  readonly signingKeys?: Partial<SigningKeyPolicy>;
  /** How long a successful /readyz store read is reused (default 1 s). */
  readonly readinessCacheMs?: number;
  /** close() waits this long for in-flight turns, then as long again for the outbox (default 10 s each). */
  readonly shutdownTimeoutMs?: number;
}

export interface BotServer {
  readonly url: string;
  readonly port: number;
  readonly outbox: OutboxDispatcher;
  /** Runs the reminder check now, as the periodic timer does: pending leads, and who a scheduled deployment still waits for (resolves with how many were recorded). */
  checkLeadReminders(): Promise<number>;
  close(): Promise<void>;
}

/** Wires the bot: store → domain service → Teams routes → restify, and the outbox behind them. */
export async function startBotServer(options: BotServerOptions): Promise<BotServer> {
  const { config, logger } = options;
  // Every write the bot makes is recorded, so /readyz can tell a store that stopped taking writes.
  const writeHealth = new WriteHealth(logger);
  const store = trackWrites(options.store, writeHealth);
  const appId = options.appId ?? '';
  const directory = directoryFromConfig(config);
  const render = createCardRenderer(options.cardsDir);
  const adapter = createBotAdapter(
    {
      appId,
      appPassword: options.appPassword,
      appTenantId: options.appTenantId,
      appType: options.appType,
      tenantId: config.tenantId,
      openIdMetadataUrl: options.openIdMetadataUrl,
      emulatorOpenIdMetadataUrl: options.emulatorOpenIdMetadataUrl,
      credentialsFactory: options.credentialsFactory,
      signingKeys: options.signingKeys,
    },
    logger,
  );
  adapter.onTurnError = async (context, error) => {
    logger.error({ activityId: context.activity.id, type: context.activity.type, ...errorFields(error) }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity('Something went wrong on my side and nothing was changed. Please try again in a moment.').catch(() => undefined);
    }
  };

  const instanceId = randomUUID();
  const lease = { owner: instanceId, ttlMs: options.outboxLeaseMs ?? OUTBOX_LEASE_MS };
  const outbox = new OutboxDispatcher({ store, logger, instanceId, leaseMs: lease.ttlMs, baseDelayMs: options.outboxBaseDelayMs, sweepIntervalMs: options.outboxSweepMs, foldMs: options.outboxFoldMs, onDelivered: options.onOutboxDelivered });
  // A command waits (briefly) for the release's delivery in flight, so its write carries that delivery's acknowledgements.
  const releases = new DocumentRepository<ReleaseDocument>(store, releaseKey, { lease, deliveries: (version) => outbox.settled('release', version) });
  const now = options.now ?? (() => new Date());
  const deputies = new DeputyService({ store, directory, configured: configuredDeputies(config), timeZone: config.timeZone });
  const everyone = config.people.map((person) => personIdResolver(config)(person.key));
  // The RC card is a pure function of (release state, RC, notice, whom it is for, deputies in
  // force), and a click shows it twice from the same state: the clicker's view in the invoke's
  // answer, the base card in everyone's update. Each change is templated once, with every person's
  // parts in it, and each view is cut from that (src/cards/rc-views.ts); repeats (and every refresh
  // of an unchanged release) come from this small cache. A state's revision names it, since every
  // event bumps it.
  const rcCards = new LruCache<AdaptiveCardJson>(128);
  const renderRcCard = async (state: ReleaseState, rc: number, options: { notice?: string; viewer?: string } = {}) => {
    const at = now();
    const covers = await deputies.coversAt(at);
    const withCovers = withDeputies(directory, covers);
    const coverKey = covers.map((cover) => `${cover.area}>${cover.deputy}`).join(',');
    const key = [state.version, state.revision, rc, options.notice ?? '', coverKey].join('\u0000');
    let everyView = rcCards.get(key);
    if (!everyView) {
      everyView = render('rc', rcCardDataForEveryView(state, rc, { directory: withCovers, timeZone: config.timeZone, notice: options.notice, people: everyone, now: at }));
      rcCards.set(key, everyView);
    }
    return rcCardView(everyView, options.viewer === undefined ? undefined : { actions: actionsFor(state, rc, options.viewer, withCovers, at) });
  };
  // Outbound posts use the adapter's own settings and credentials, through botbuilder's public factory.
  const connector = createTeamsGateway(new ConfigurationBotFrameworkAuthentication(adapter.botFrameworkAuthConfig ?? {}, adapter.credentialsFactory), appId);
  // Below Teams' rate limits, per conversation and per tenant; a paced wait never outlasts a third of the outbox lease.
  const pacer = options.pacer ?? new SendPacer({ maxWaitMs: Math.min(10_000, lease.ttlMs / 3) });
  let posting = true; // false once the shutdown's drain is over: nothing held in the pacer goes out after it
  const gateway = pacedGateway(connector, pacer, config.tenantId, () => !posting);
  const publishOnPromotion = Boolean(config.github?.publishOnPromotion && options.gitHubRepository);
  const publisher = publishOnPromotion && options.gitHubRepository ? gitHubReleasePublisher(options.gitHubRepository, directory) : undefined;
  const threads = new ThreadLookup(store, { waitMs: options.threadWaitMs });
  outbox.register(
    'release',
    releaseOutboxWorker({
      store,
      releases,
      gateway,
      renderRcCard: (state, rc) => renderRcCard(state, rc),
      directory,
      now,
      publisher,
      tenantId: config.tenantId,
      onPersonalChatRefused: (version, message, reason) => service.recordUnreachable(version, message, reason, now()),
      onRepost: (repost) => logger.warn(repost, 'posting a release thread root again: an earlier try may have reached Teams before a crash; if it did, it is an orphan that points to this one'),
      onThreadIndexed: (thread, release, rc) => threads.remember(thread.conversationId, { release, rc }),
    }),
  );
  const service = new ReleaseService(
    store,
    releases,
    directory,
    config.timeZone,
    (version) => outbox.kick('release', version),
    (request, cost) => {
      // A warm command is one write and no read; more means a cold cache or a lost ETag race.
      const fields = { release: request.version, command: request.command.type, activityId: request.activityId, ...cost };
      if (cost.reads > 1 || cost.writes > 1) logger.info(fields, 'command store cost');
      else logger.debug?.(fields, 'command store cost');
    },
    publishOnPromotion,
    deputies,
  );
  const environments = new DocumentRepository<EnvironmentDocument>(store, (key) => environmentKey(key), { lease, deliveries: (key) => outbox.settled('environment', key) });
  const personId = personIdResolver(config);
  const deploymentLog = new DeploymentLog(store);
  const deploymentCards = {
    // The base tracker everyone sees, or `viewer`'s own view (their buttons only). Not cached: its clock moves.
    tracker: (record: DeploymentRecord, notice?: string, viewer?: string) =>
      render(
        'tracker',
        trackerData(record.state, {
          directory,
          timeZone: config.timeZone,
          now: now(),
          newMeetingUrl: record.meetingLink,
          notice,
          people: everyone,
          ...(viewer === undefined ? {} : { viewer: { actions: deploymentActionsFor(record.state, viewer, directory) } }),
        }),
      ),
    notice: (record: DeploymentRecord) =>
      render('company-notice', companyNoticeData(record.state, { directory, timeZone: config.timeZone, rescheduledFrom: rescheduledFrom(record) })),
    onCall: (record: DeploymentRecord, notice?: string, viewer?: string) =>
      render(
        'on-call',
        onCallData(record.state, {
          directory,
          timeZone: config.timeZone,
          rotaOnCall: record.proposedOnCall,
          onCallProblem: record.onCallProblem,
          people: everyone,
          notice,
          ...(viewer === undefined ? {} : { viewer: { actions: deploymentActionsFor(record.state, viewer, directory) } }),
        }),
      ),
  };
  outbox.register(
    'environment',
    deploymentOutboxWorker({
      environments,
      gateway,
      cards: deploymentCards,
      meetings: options.meetings ?? createLinkMeetingScheduler(),
      bugTracker: options.bugTracker,
      directory,
      emailOf: emailResolver(config),
      now,
      businessHours: config.businessHours,
      timeZone: config.timeZone,
      log: deploymentLog,
    }),
  );
  const deployments = new DeploymentService({
    environments,
    releases,
    directory,
    businessHours: config.businessHours,
    timeZone: config.timeZone,
    freezes: configuredFreezes(config),
    configuredEnvironments: config.environments,
    onCall: options.onCall ?? onCallFromConfig(config, options.pagerDutyToken, logger),
    bugTrackerConfigured: Boolean(options.bugTracker),
    onOutboxWritten: (environment) => outbox.kick('environment', environment),
  });
  const freezes = new FreezeService({
    environments,
    directory,
    timeZone: config.timeZone,
    configured: configuredFreezes(config),
    configuredEnvironments: config.environments,
    onOutboxWritten: (environment) => outbox.kick('environment', environment),
  });
  const reminders = setInterval(() => {
    deployments.remindOverruns(now()).catch((error) => logger.warn(errorFields(error), 'overrun reminders failed'));
  }, options.reminderIntervalMs ?? 30_000);
  reminders.unref();
  const policy = reminderPolicy(config.reminders, config.businessHours, config.timeZone);
  const leadReminders =
    policy && new LeadReminders({ store, releases: service, policy, logger, directoryAt: (at) => deputies.directoryAt(directory, at, true) });
  const checkLeadReminders = async () => {
    if (!policy || !leadReminders) return 0;
    const at = now();
    const reminded = await leadReminders.check(at);
    const told = await tellPlatformWhoIsMissing(at, {
      environments,
      configuredEnvironments: config.environments,
      directory,
      policy,
      beforeMs: config.reminders.beforeDeploymentHours * 3_600_000,
      onOutboxWritten: (environment) => outbox.kick('environment', environment),
    });
    return reminded + told;
  };
  const leadReminderTimer = setInterval(() => {
    checkLeadReminders().catch((error) => logger.warn(errorFields(error), 'lead reminders failed'));
  }, options.leadReminderIntervalMs ?? config.reminders.checkEveryMinutes * 60_000);
  leadReminderTimer.unref();
  const welcomes = createWelcomes({ store, lease, gateway, outbox, logger, now });
  const channels = new ChannelDirectory(store, config);
  const answered = new AnsweredActivities(store, logger);
  let baseUrl = options.publicBaseUrl?.replace(/\/+$/, '') ?? '';
  const evidence = new EvidenceService({ releases: service, deployments, log: deploymentLog, environments: config.environments, directory, timeZone: config.timeZone, now });
  const metrics = new MetricsService({
    releases: service,
    deployments,
    log: deploymentLog,
    environments: config.environments,
    failureWindowDays: config.metrics.failureWindowDays,
    defaultMonths: config.metrics.months,
    timeZone: config.timeZone,
    now,
  });
  const evidenceLinks = createEvidenceLinks({ key: options.evidenceLinkKey ?? randomBytes(32), baseUrl: () => baseUrl, minutes: config.evidence.linkMinutes });
  const gitHubWebhook = ((): GitHubWebhookOptions | undefined => {
    const github = config.github;
    if (!github) return undefined;
    const cutBy = config.people.find((person) => person.key === github.cutBy)!;
    const deliveries = new DocumentRepository<GitHubDeliveryDocument>(store, gitHubDeliveryKey, { lease });
    const cuts = new GitHubRcCuts({
      deliveries,
      releases: service,
      repository: options.gitHubRepository,
      labels: github.labels,
      cutBy: { id: personId(cutBy.key), name: cutBy.name },
      engineering: () => channels.get('engineering'),
      now,
      logger,
      onQueued: (delivery) => outbox.kick('github', delivery),
    });
    // Registered even without the secret: deliveries recorded before a restart are still cut.
    outbox.register('github', cuts.worker());
    if (!options.gitHubWebhookSecret) return undefined;
    return { checkSignature: createSignatureCheck(options.gitHubWebhookSecret), cutOn: github.cutOn, repository: options.gitHubRepository?.fullName, cuts, logger };
  })();
  const app = createBotApplication({
    adapter,
    appId,
    config,
    directory,
    service,
    channels,
    threads,
    answered,
    render,
    renderRcCard,
    deployments,
    freezes,
    deploymentCards,
    welcomes,
    logger,
    now,
    evidence,
    evidenceLinks,
    metrics,
    deputies,
  });

  const turns = new InFlightTurns();
  const readiness = createReadinessCheck(store, logger, { cacheMs: options.readinessCacheMs, writes: writeHealth });
  const server = restify.createServer({ name: 'lendos-release-bot', handleUncaughtExceptions: false });
  server.pre((req, res, next) => {
    // A compressed body would be inflated past the size limit, which counts bytes on the wire.
    const encoding = req.headers['content-encoding'];
    const refusal =
      encoding && encoding !== 'identity'
        ? { status: 415, error: 'Unsupported Media Type', message: 'Compressed request bodies are not accepted.' }
        : Number(req.headers['content-length']) > MAX_BODY_BYTES
          ? { status: 413, error: 'Payload Too Large', message: `The body may be at most ${MAX_BODY_BYTES} bytes.` }
          : undefined;
    if (!refusal) return next();
    logger.warn({ method: req.method, path: req.path(), status: refusal.status }, 'request refused');
    res.send(refusal.status, { error: refusal.error, message: refusal.message });
    return next(false);
  });
  // The raw body for every route (GitHub's signature covers its exact bytes); /api/messages parses it
  // itself, so a bad body gets our error, not restify's or botbuilder's. Restify's full bodyParser
  // would also stream multipart uploads to disk.
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.on('restifyError', (req, res, error, callback) => {
    logger.warn({ method: req.method, path: req.path(), status: error.statusCode ?? res.statusCode, error: error.message }, 'request refused');
    return callback();
  });
  server.post('/api/github', async (req, res) => {
    if (!turns.accepting) {
      res.send(503, { error: 'Service Unavailable', message: 'Shutting down; redeliver in a moment.' });
      return;
    }
    if (!gitHubWebhook) {
      res.send(404, { error: 'Not Found', message: 'GitHub webhooks are off: set GITHUB_WEBHOOK_SECRET and the config\'s github section.' });
      return;
    }
    try {
      const answer = await answerGitHubWebhook({ headers: req.headers, rawBody: rawBodyOf(req) }, gitHubWebhook);
      res.send(answer.status, answer.body);
    } catch (error) {
      logger.error(errorFields(error), 'GitHub webhook failed');
      res.send(503, { error: 'Service Unavailable', message: 'Nothing was recorded; redeliver it from the webhook settings.' });
    }
  });
  server.post('/api/messages', async (req, res) => {
    if (!turns.accepting) {
      res.header('Retry-After', '1');
      res.send(503, { error: 'Service Unavailable', message: 'Shutting down; try again.' });
      return;
    }
    const started = performance.now();
    try {
      const body = unsupportedContentType(req.getContentType()) ?? parseActivityBody(req.body);
      if ('status' in body || 'refusal' in body) {
        const refusal = 'refusal' in body ? body.refusal : body;
        logger.warn({ method: req.method, path: req.path(), status: refusal.status, reason: refusal.message }, 'request refused');
        res.send(refusal.status, { error: refusal.error, message: refusal.message });
        return;
      }
      req.body = body.activity;
      // Who may come in is settled before botbuilder sees the request, so a refusal carries its headers.
      const refusal = await adapter.admit(req.header('authorization') ?? '', req.body ?? {});
      if (refusal) {
        if (refusal.retryAfterSeconds !== undefined) res.header('Retry-After', String(refusal.retryAfterSeconds));
        res.send(refusal.status, refusal.body);
        return;
      }
      await turns.track(adapter.process(req, res, (context) => app.run(context).then(() => undefined)));
    } catch (error) {
      // botbuilder throws (rather than answers) only when the body is not an activity.
      logger.warn({ error: clip(errorFields(error).error) }, 'not a Bot Framework activity');
      if (!res.headersSent) res.send(400, { error: 'Bad Request', message: 'The body is not a Bot Framework activity.' });
    } finally {
      logTurn(logger, turnLogFields(req, res, performance.now() - started));
    }
  });
  // The evidence card's links: the signed link is the credential, so this route takes no Bot Framework token.
  server.get('/evidence/:file', async (req, res) => {
    const query = new URL(req.url ?? '/', 'http://bot').searchParams;
    try {
      const download = await answerEvidenceDownload(
        String(req.params?.file ?? ''),
        { expires: query.get('expires') ?? undefined, sig: query.get('sig') ?? undefined },
        { links: evidenceLinks, evidence, timeZone: config.timeZone, now },
      );
      res.writeHead(download.status, {
        'content-type': download.contentType,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(download.filename ? { 'content-disposition': `attachment; filename="${download.filename}"` } : {}),
      });
      res.end(download.body);
    } catch (error) {
      logger.error(errorFields(error), 'evidence download failed');
      res.send(503, { error: 'Service Unavailable', message: 'The store did not answer; try the link again in a moment.' });
    }
  });
  // Alive: answers without touching anything else.
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  // Ready: the store answers (and the instance is not shutting down).
  server.get('/readyz', async (_req, res) => {
    const result = turns.accepting ? await readiness() : ({ ready: false, reason: 'shutting down' } as const);
    if (result.ready) res.send(200, { status: 'ready' });
    else res.send(503, { status: 'unavailable', reason: result.reason });
  });

  await channels.load();
  channels.startRefreshing(options.channelRefreshMs ?? 60_000, (error) => logger.warn(errorFields(error), 'channel bindings refresh failed'));
  await deputies.load();
  deputies.startRefreshing(options.channelRefreshMs ?? 60_000, (error) => logger.warn(errorFields(error), 'deputies refresh failed'));
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  await outbox.start();
  // Not awaited: the first request waits for it (one fetch for all), within the fetch deadline.
  adapter.prefetchSigningKeys().catch(() => undefined);
  const port = (server.address() as AddressInfo).port;
  if (!baseUrl) baseUrl = `http://127.0.0.1:${port}`;
  // Templates not compiled by a render yet are compiled in the background, between requests, once
  // start-up is over (cards/render.ts): compiling them all takes longer than the rest of start-up.
  const compiling = new AbortController();
  const compileLater = setTimeout(() => {
    void render.compileAll(compiling.signal).catch((error) => logger.error(errorFields(error), 'compiling the card templates failed'));
  }, 1_000);
  compileLater.unref();
  if (appId) logger.info({ port, authenticated: true, tenant: config.tenantId }, 'bot listening');
  else logger.warn({ port, authenticated: false }, 'bot listening WITHOUT authentication (no app id configured; local use only)');

  // Stop accepting, let the turns in flight finish, let the outbox deliver what they queued (both
  // bounded: whatever is left stays in the store for the next start's sweep). The store belongs to
  // whoever opened it.
  const stop = async () => {
    const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
    compiling.abort();
    clearTimeout(compileLater);
    clearInterval(reminders);
    clearInterval(leadReminderTimer);
    channels.stopRefreshing();
    deputies.stopRefreshing();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.server.closeIdleConnections();
    const inFlight = turns.size;
    if (!(await turns.drain(timeoutMs))) logger.warn({ inFlight: turns.size, timeoutMs }, 'shutdown: turns still running; closing anyway');
    const drained = await Promise.race([outbox.stop().then(() => true), delay(timeoutMs).then(() => false)]);
    if (!drained) logger.warn({ timeoutMs }, 'shutdown: outbox still delivering; the rest is left for the next start');
    posting = false;
    connector.close();
    server.server.closeAllConnections();
    await closed;
    logger.info({ finishedTurns: inFlight }, 'bot stopped');
  };
  let stopping: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    outbox,
    checkLeadReminders,
    close() {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** The on-call source the config names: the rotation, or PagerDuty with its token. */
function onCallFromConfig(config: BotConfig, pagerDutyToken: string | undefined, logger: Logger): OnCallProvider {
  const onCall = config.onCall;
  const personId = personIdResolver(config);
  if (onCall?.provider === 'pagerduty' && onCall.pagerduty) {
    if (!pagerDutyToken) throw new ConfigError('config', ['onCall.provider is "pagerduty" but PAGERDUTY_TOKEN is not set']);
    const byEmail = new Map(config.people.map((person) => [person.email.toLowerCase(), personId(person.key)]));
    return createPagerDutyOnCall({
      baseUrl: onCall.pagerduty.baseUrl,
      token: pagerDutyToken,
      scheduleIds: onCall.pagerduty.scheduleIds,
      timeoutMs: onCall.pagerduty.timeoutMs,
      personByEmail: (email) => byEmail.get(email.toLowerCase()),
      logger,
    });
  }
  const rotation = onCall?.rotation && onCall.start ? { rotation: onCall.rotation.map(personId), start: onCall.start, days: onCall.days } : undefined;
  return rotationOnCallProvider(rotation);
}

function rawBodyOf(req: restify.Request): string {
  const body: unknown = (req as { rawBody?: unknown }).rawBody ?? req.body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : '';
}

/** The window before the last reschedule, while the notice should still say "Rescheduled". */
function rescheduledFrom(record: DeploymentRecord) {
  const last = [...record.events].reverse().find((event) => event.type === 'deploymentRescheduled');
  return last?.type === 'deploymentRescheduled' ? last.from : undefined;
}
