import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import type { ReleaseService } from '../app/release-service';
import type { DeploymentService } from '../app/deployment-service';
import type { FreezeService } from '../app/freeze-service';
import type { DeploymentRecord } from '../app/documents';
import type { AdaptiveCardJson, CardRenderer } from '../cards/render';
import type { BotConfig } from '../config/config';
import type { DeploymentDirectory, ReleaseState } from '../domain/types';
import type { Logger } from '../logger';
import type { ChannelDirectory } from '../app/channel-directory';
import type { ThreadLookup } from '../app/thread-lookup';
import type { AnsweredActivities } from '../app/answered-activities';
import type { Welcomes } from './welcome';
import type { EvidenceService } from '../app/evidence-service';
import type { EvidenceLinks } from '../app/evidence-links';
import type { MetricsService } from '../app/metrics-service';
import type { DeputyService } from '../app/deputy-service';

// What the routes and their handlers are built from. Its own module, so that routes.ts imports the
// handlers and no handler imports routes.ts back.

export interface RouteDependencies {
  readonly adapter: TeamsAdapter;
  readonly appId: string;
  readonly config: BotConfig;
  readonly directory: DeploymentDirectory;
  readonly service: ReleaseService;
  readonly channels: ChannelDirectory;
  readonly threads: ThreadLookup;
  /** Which activities were answered, shared by every instance: a redelivery is answered once. */
  readonly answered: AnsweredActivities;
  readonly render: CardRenderer;
  /** The RC card: the base card everyone sees, or `viewer`'s own view (their buttons only). */
  readonly renderRcCard: (state: ReleaseState, rc: number, options?: { readonly notice?: string; readonly viewer?: string }) => Promise<AdaptiveCardJson>;
  readonly deployments: DeploymentService;
  readonly freezes: FreezeService;
  readonly deploymentCards: {
    /** The tracker: the base card everyone sees, or `viewer`'s own view (their buttons only). */
    tracker(record: DeploymentRecord, notice?: string, viewer?: string): AdaptiveCardJson;
    notice(record: DeploymentRecord): AdaptiveCardJson;
    /** The on-call card: the base card everyone sees, or `viewer`'s own view (an IRC's Confirm and Override). */
    onCall(record: DeploymentRecord, notice?: string, viewer?: string): AdaptiveCardJson;
  };
  readonly welcomes: Welcomes;
  readonly logger: Logger;
  readonly now: () => Date;
  readonly evidence: EvidenceService;
  readonly evidenceLinks: EvidenceLinks;
  readonly metrics: MetricsService;
  readonly deputies: DeputyService;
}
