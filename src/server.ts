// First, before botbuilder and teams-ai load: defers the modules of theirs this bot never runs.
import './teams/deferred-modules';
import { randomUUID } from 'node:crypto';
import { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { OUTBOX_LEASE_MS, OutboxDispatcher } from './app/outbox';
import { deploymentOutboxWorker } from './app/deployment-outbox';
import { DeploymentService } from './app/deployment-service';
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
import { AdaptiveCardJson, createCardRenderer } from './cards/render';
import { LruCache } from './app/lru-cache';
import { rcCardData } from './cards/rc-card';
import { BotConfig } from './config/config';
import { ReleaseState } from './domain/types';
import { directoryFromConfig, emailResolver, personIdResolver } from './config/directory-from-config';
import { Logger, clip, errorFields } from './logger';
import { DocumentStore } from './store/document-store';
import { createBotApplication } from './teams/routes';
import { ChannelDirectory } from './teams/channel-directory';
import { ThreadLookup } from './teams/thread-lookup';
import { createTeamsGateway } from './teams/teams-gateway';
import { createBotAdapter } from './teams/bot-adapter';
import { InFlightTurns, delay, logTurn, turnLogFields } from './ops/turns';
import { createReadinessCheck } from './ops/readiness';

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
  /** How often channel bindings are re-read (another instance may have handled `register`). */
  readonly channelRefreshMs?: number;
  /** Creates deployment meetings; default: a prefilled Teams link (no Graph). */
  readonly meetings?: MeetingScheduler;
  /** Files post-deployment bugs; default: none (bugs are recorded only). */
  readonly bugTracker?: BugTracker;
  readonly onCall?: OnCallProvider;
  /** How often overrunning windows are checked for the IRC reminder. */
  readonly reminderIntervalMs?: number;
  /**
   * Where Bot Framework publishes the keys that sign channel tokens. Unset: the public cloud's
   * (botbuilder's default). Tests serve their own keys on loopback.
   */
  readonly openIdMetadataUrl?: string;
  /** Same for tokens Entra issues to the bot's own app (botbuilder's emulator path). */
  readonly emulatorOpenIdMetadataUrl?: string;
  /** Credentials of outbound calls. Unset: Entra client credentials from the app id and password. */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
  /** How long a successful /readyz store read is reused (default 1 s). */
  readonly readinessCacheMs?: number;
  /** close() waits this long for in-flight turns, then as long again for the outbox (default 10 s each). */
  readonly shutdownTimeoutMs?: number;
}

export interface BotServer {
  readonly url: string;
  readonly port: number;
  readonly outbox: OutboxDispatcher;
  close(): Promise<void>;
}

/** Wires the bot: store → domain service → Teams routes → restify, and the outbox behind them. */
export async function startBotServer(options: BotServerOptions): Promise<BotServer> {
  const { config, store, logger } = options;
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
  const releases = new DocumentRepository<ReleaseDocument>(store, releaseKey, lease);
  // The RC card is a pure function of (release state, RC, notice), and a click renders it twice
  // from the same state: once for the invoke's answer, once for everyone's card update. The
  // second (and any refresh of an unchanged release) comes from this small cache; a state's
  // revision names it, since every event bumps it.
  const rcCards = new LruCache<AdaptiveCardJson>(64);
  const renderRcCard = (state: ReleaseState, rc: number, notice?: string) => {
    const key = `${state.version}\u0000${state.revision}\u0000${rc}\u0000${notice ?? ''}`;
    let card = rcCards.get(key);
    if (!card) {
      card = render('rc', rcCardData(state, rc, { directory, timeZone: config.timeZone, notice }));
      rcCards.set(key, card);
    }
    return card;
  };
  // Outbound posts use the adapter's own settings and credentials, through botbuilder's public factory.
  const gateway = createTeamsGateway(new ConfigurationBotFrameworkAuthentication(adapter.botFrameworkAuthConfig ?? {}, adapter.credentialsFactory), appId);
  const outbox = new OutboxDispatcher({ store, logger, instanceId, leaseMs: lease.ttlMs, baseDelayMs: options.outboxBaseDelayMs, sweepIntervalMs: options.outboxSweepMs });
  outbox.register('release', releaseOutboxWorker({ store, releases, gateway, renderRcCard: (state, rc) => renderRcCard(state, rc) }));
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
  );
  const now = options.now ?? (() => new Date());
  const environments = new DocumentRepository<EnvironmentDocument>(store, (key) => environmentKey(key), lease);
  const personId = personIdResolver(config);
  const everyone = config.people.map((person) => personId(person.key));
  const deploymentCards = {
    tracker: (record: DeploymentRecord, notice?: string) =>
      render('tracker', trackerData(record.state, { directory, timeZone: config.timeZone, now: now(), newMeetingUrl: record.meetingLink, notice })),
    notice: (record: DeploymentRecord) =>
      render('company-notice', companyNoticeData(record.state, { directory, timeZone: config.timeZone, rescheduledFrom: rescheduledFrom(record) })),
    onCall: (record: DeploymentRecord, notice?: string) =>
      render('on-call', onCallData(record.state, { directory, timeZone: config.timeZone, rotaOnCall: record.proposedOnCall, people: everyone, notice })),
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
    }),
  );
  const deployments = new DeploymentService({
    environments,
    releases,
    directory,
    businessHours: config.businessHours,
    timeZone: config.timeZone,
    configuredEnvironments: config.environments,
    onCall: options.onCall ?? rotationOnCallProvider(config.onCall && { ...config.onCall, rotation: config.onCall.rotation.map(personId) }),
    bugTrackerConfigured: Boolean(options.bugTracker),
    onOutboxWritten: (environment) => outbox.kick('environment', environment),
  });
  const reminders = setInterval(() => {
    deployments.remindOverruns(now()).catch((error) => logger.warn(errorFields(error), 'overrun reminders failed'));
  }, options.reminderIntervalMs ?? 30_000);
  reminders.unref();
  const channels = new ChannelDirectory(store, config);
  const threads = new ThreadLookup(store);
  const app = createBotApplication({
    adapter,
    appId,
    config,
    directory,
    service,
    channels,
    threads,
    store,
    render,
    renderRcCard,
    deployments,
    deploymentCards,
    logger,
    now,
  });

  const turns = new InFlightTurns();
  const readiness = createReadinessCheck(store, logger, { cacheMs: options.readinessCacheMs });
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
  // JSON only: restify's full bodyParser would also stream multipart uploads to disk.
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.use(restify.plugins.jsonBodyParser({ bodyReader: true, mapParams: false }));
  server.on('restifyError', (req, res, error, callback) => {
    logger.warn({ method: req.method, path: req.path(), status: error.statusCode ?? res.statusCode, error: error.message }, 'request refused');
    return callback();
  });
  server.post('/api/messages', async (req, res) => {
    if (!turns.accepting) {
      res.header('Retry-After', '1');
      res.send(503, { error: 'Service Unavailable', message: 'Shutting down; try again.' });
      return;
    }
    const started = performance.now();
    try {
      await turns.track(adapter.process(req, res, (context) => app.run(context).then(() => undefined)));
    } catch (error) {
      // botbuilder throws (rather than answers) only when the body is not an activity.
      logger.warn({ error: clip(errorFields(error).error) }, 'not a Bot Framework activity');
      if (!res.headersSent) res.send(400, { error: 'Bad Request', message: 'The body is not a Bot Framework activity.' });
    } finally {
      logTurn(logger, turnLogFields(req, res, performance.now() - started));
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
  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  await outbox.start();
  const port = (server.address() as AddressInfo).port;
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
    channels.stopRefreshing();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.server.closeIdleConnections();
    const inFlight = turns.size;
    if (!(await turns.drain(timeoutMs))) logger.warn({ inFlight: turns.size, timeoutMs }, 'shutdown: turns still running; closing anyway');
    const drained = await Promise.race([outbox.stop().then(() => true), delay(timeoutMs).then(() => false)]);
    if (!drained) logger.warn({ timeoutMs }, 'shutdown: outbox still delivering; the rest is left for the next start');
    gateway.close();
    server.server.closeAllConnections();
    await closed;
    logger.info({ finishedTurns: inFlight }, 'bot stopped');
  };
  let stopping: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    outbox,
    close() {
      stopping ??= stop();
      return stopping;
    },
  };
}

/** The window before the last reschedule, while the notice should still say "Rescheduled". */
function rescheduledFrom(record: DeploymentRecord) {
  const last = [...record.events].reverse().find((event) => event.type === 'deploymentRescheduled');
  return last?.type === 'deploymentRescheduled' ? last.from : undefined;
}
