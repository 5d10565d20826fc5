import { deploymentDirectory } from '../../src/domain/deployment';
import { createDirectory } from '../../src/domain/directory';
import { decideRelease } from '../../src/domain/release';
import { Actor, DeploymentDirectory, DeploymentOutcome, Directory, Outcome, Refusal, ReleaseCommand, ReleaseState, RcContents } from '../../src/domain/types';

// The runbook's five leads with fake Entra ids, and a directory where one person leads two areas.

export const luis: Actor = { id: 'id-luis', name: 'Luis Garcia' };
export const rafaella: Actor = { id: 'id-rafaella', name: 'Rafaella Barrocas' };
export const steven: Actor = { id: 'id-steven', name: 'Steven Inouye' };
export const bosko: Actor = { id: 'id-bosko', name: 'Bosko Kocev' };
export const jake: Actor = { id: 'id-jake', name: 'Jake Edgington' };
export const outsider: Actor = { id: 'id-outsider', name: 'Olga Outsider' };

const everyone = [luis, rafaella, steven, bosko, jake, outsider];
const names = Object.fromEntries(everyone.map((person) => [person.id, person.name]));

export const leads: Directory = createDirectory({
  areas: [
    { key: 'product', name: 'Product', leadId: luis.id },
    { key: 'qa', name: 'QA', leadId: rafaella.id },
    { key: 'daml', name: 'DAML', leadId: steven.id },
    { key: 'stream', name: 'Stream', leadId: bosko.id },
    { key: 'platform', name: 'Platform', leadId: jake.id },
  ],
  platform: [jake.id],
  qaLead: rafaella.id,
  irc: [steven.id],
  names,
});

/**
 * `leads` plus what deployments ask, as in the example config: everyone above is a configured
 * person (Olga too, with no role) and the validator pool is Luis, Bosko and Rafaella.
 */
export const crew: DeploymentDirectory = deploymentDirectory(leads, {
  known: everyone.map((person) => person.id),
  validators: [luis.id, bosko.id, rafaella.id],
});

/** Luis leads both Product and QA. */
export const doubleHatted: Directory = createDirectory({
  areas: [
    { key: 'product', name: 'Product', leadId: luis.id },
    { key: 'qa', name: 'QA', leadId: luis.id },
    { key: 'platform', name: 'Platform', leadId: jake.id },
  ],
  platform: [jake.id],
  qaLead: rafaella.id,
  irc: [steven.id],
  names,
});

export const VERSION = '2026.4.0';
export const T0 = new Date('2026-04-10T14:00:00Z');

export function minutesAfter(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

export const contents: RcContents = {
  features: ['Loan book export'],
  fixes: ['Rounding in interest accrual'],
  notesUrl: 'https://github.com/lendos/lendos/releases/tag/2026.4.0-rc.1',
  knownIssues: [],
};

export const cut = (rc: number, extra: Partial<RcContents> = {}, hotfix = false): ReleaseCommand => ({
  type: 'cutRc',
  rc,
  hotfix,
  contents: { ...contents, ...extra },
});

/** Runs commands in order, each one minute after the last, and fails loudly if one is refused. */
export function given(
  steps: ReadonlyArray<readonly [Actor, ReleaseCommand]>,
  directory: Directory = leads,
): ReleaseState {
  return steps.reduce<ReleaseState | undefined>((state, [actor, command], i) => {
    const outcome = decideRelease(command, state, { actor, now: minutesAfter(i), directory, version: VERSION });
    if (outcome.kind === 'refusal') {
      throw new Error(`step ${i} (${command.type}) was refused: ${outcome.code} ${outcome.reason}`);
    }
    return outcome.state;
  }, undefined) as ReleaseState;
}

/** Works for release and deployment outcomes alike. */
export function accepted<O extends Outcome | DeploymentOutcome>(outcome: O): Exclude<O, Refusal> {
  if (outcome.kind !== 'accepted') throw new Error(`expected acceptance, got ${outcome.code}: ${outcome.reason}`);
  return outcome as Exclude<O, Refusal>;
}

export function refused(outcome: Outcome | DeploymentOutcome): Refusal {
  if (outcome.kind !== 'refusal') throw new Error(`expected a refusal, got events ${outcome.events.map((e) => e.type).join(', ')}`);
  return outcome;
}

export const allApprove = (rc: number): Array<readonly [Actor, ReleaseCommand]> =>
  [luis, rafaella, steven, bosko, jake].map((lead) => [lead, { type: 'approve', rc }] as const);
