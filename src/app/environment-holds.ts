import { FreezeEvent } from '../domain/declared-freezes';
import { LockEvent } from '../domain/locks';
import { TrimmedChain } from '../domain/trimmed-chain';
import { DeploymentState, EnvironmentRef } from '../domain/types';
import { EnvironmentDocument } from './documents';

// What an environment's document records of its locks and freezes (each with its hash chain), and
// which of those events belong to a release's audit trail: those of the environments it was
// deployed to (or scheduled for), from its first RC cut until its last deployment finished, with
// locks and freezes declared earlier that still held then.

export type HoldEvent = LockEvent | FreezeEvent;

export interface EnvironmentHolds {
  readonly environment: EnvironmentRef;
  readonly locks: { readonly events: readonly LockEvent[]; readonly chain?: TrimmedChain };
  readonly freezes: { readonly events: readonly FreezeEvent[]; readonly chain?: TrimmedChain };
}

export function holdsOf(doc: EnvironmentDocument): EnvironmentHolds {
  return {
    environment: doc.environment,
    locks: { events: doc.lockEvents ?? [], ...(doc.lockChain ? { chain: doc.lockChain } : {}) },
    freezes: { events: doc.freezeEvents ?? [], ...(doc.freezeChain ? { chain: doc.freezeChain } : {}) },
  };
}

/** From the first RC cut until the last of these deployments finished; open (no `to`) while one is active. */
export interface ReleaseSpan {
  readonly from: string;
  readonly to?: string;
}

export function releaseSpan(firstCut: string, deployments: readonly DeploymentState[]): ReleaseSpan {
  let to = firstCut;
  for (const d of deployments) {
    const finished = d.phaseAt.live ?? d.phaseAt.aborted ?? d.phaseAt.cancelled;
    if (!finished) return { from: firstCut };
    if (finished > to) to = finished;
  }
  return { from: firstCut, to };
}

/** The lock and freeze events of the release's environments that fall in (or hold during) its span, oldest first. */
export function holdEventsDuring(holds: readonly EnvironmentHolds[], deployments: readonly DeploymentState[], span: ReleaseSpan): Array<{ environment: EnvironmentRef; events: HoldEvent[] }> {
  const environments = new Set(deployments.map((d) => d.environment.key));
  const inSpan = (at: string) => span.from <= at && (span.to === undefined || at <= span.to);
  const heldInSpan = (at: string, until: string) => (span.to === undefined || at <= span.to) && until > span.from;
  return holds
    .filter((h) => environments.has(h.environment.key))
    .map((h) => {
      const events: HoldEvent[] = [
        ...h.locks.events.filter((e) => (e.type === 'environmentLocked' ? heldInSpan(e.at, e.until) : inSpan(e.at))),
        ...h.freezes.events.filter((e) => (e.type === 'freezeDeclared' ? heldInSpan(e.at, e.to) : inSpan(e.at))),
      ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      return { environment: h.environment, events };
    })
    .filter((h) => h.events.length > 0);
}
