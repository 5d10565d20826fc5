import { TurnContext } from 'botbuilder';
import { AdaptiveCardJson } from '../cards/render';
import { rcLabel } from '../domain/version';
import { rcRefreshSchema, trackerRefreshSchema } from '../cards/card-actions';
import { readInbound } from './inbound';
import type { RouteDependencies } from './route-dependencies';

// A card's refresh (Adaptive Card Universal Actions): Teams sends it for each person in the card's
// `refresh.userIds` as the card comes into view, and anyone may send it with "Show my actions". The
// answer is that person's own view — their buttons and no others — shown to them alone. It reads
// the release (one point read) and writes nothing, so it is answered at once.

export function createRcRefreshHandler(deps: Pick<RouteDependencies, 'directory' | 'service' | 'render' | 'renderRcCard'>) {
  const refusal = (reason: string, hint: string) => deps.render('refusal', { title: "Can't show that", reason, hint });
  return async (context: TurnContext, rawData: unknown): Promise<AdaptiveCardJson> => {
    const data = rcRefreshSchema.safeParse(rawData);
    if (!data.success) return refusal("This card doesn't say which release it is about.", 'Type `status <version>` to get a fresh card.');
    const { release, rc } = data.data;
    const state = await deps.service.state(release);
    if (!state?.rcs.some((r) => r.number === rc)) {
      return refusal(`I have no record of ${release}-${rcLabel(rc)}.`, `Type \`status ${release}\` to see where it stands.`);
    }
    // Someone Teams doesn't name (no Entra object id) sees the base card, as everyone else does.
    const read = readInbound(context.activity, deps.directory);
    const viewer = read.ok ? read.inbound.actor?.id : undefined;
    return deps.renderRcCard(state, rc, viewer ? { viewer } : {});
  };
}

/** The tracker's or the on-call card's refresh: the same, from the deployment's record. */
export function createDeploymentRefreshHandler(deps: Pick<RouteDependencies, 'directory' | 'deployments' | 'render' | 'deploymentCards'>, card: 'tracker' | 'onCall') {
  const refusal = (reason: string, hint: string) => deps.render('refusal', { title: "Can't show that", reason, hint });
  return async (context: TurnContext, rawData: unknown): Promise<AdaptiveCardJson> => {
    const data = trackerRefreshSchema.safeParse(rawData);
    const deploymentId = data.success ? data.data.deploymentId : '';
    const environment = /@([a-z0-9][a-z0-9-]*)\.\d+$/.exec(deploymentId)?.[1];
    const record = environment ? await deps.deployments.record(environment, deploymentId) : undefined;
    if (!record) return refusal('This card is not about a deployment I know.', 'Type `status <version>` for a fresh card.');
    const read = readInbound(context.activity, deps.directory);
    return deps.deploymentCards[card](record, undefined, read.ok ? read.inbound.actor?.id : undefined);
  };
}
