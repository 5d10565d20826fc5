/** Who is on call for a window. Config's rotation by default; PagerDuty (integrations/pagerduty-on-call.ts) when configured. */
export interface OnCallProvider {
  /**
   * Person id (Entra object id) on call when the window starts, if anyone is known. A provider that
   * can't tell (a timeout, an error, someone it names whom the bot doesn't know) throws an Error
   * whose message says so in words the on-call card can show.
   */
  onCallAt(start: Date, end?: Date): Promise<string | undefined>;
}

/** What the on-call card proposes for a window: the person, or why the source couldn't say. */
export interface OnCallLookup {
  readonly proposedOnCall?: string;
  readonly onCallProblem?: string;
}

/** Asks the provider, and turns its failure into a problem to show rather than a failed command. */
export async function lookUpOnCall(provider: OnCallProvider, window: { readonly start: Date; readonly end: Date }): Promise<OnCallLookup> {
  try {
    const person = await provider.onCallAt(window.start, window.end);
    return person ? { proposedOnCall: person } : {};
  } catch (error) {
    return { onCallProblem: error instanceof Error && error.message ? error.message : 'The on-call source failed without saying why.' };
  }
}

export interface RotationSpec {
  /** Person ids in rotation order. */
  readonly rotation: readonly string[];
  /** First day of the first shift, "2026-01-05" (taken as 00:00 UTC). */
  readonly start: string;
  readonly days: number;
}

export function rotationOnCallProvider(spec: RotationSpec | undefined): OnCallProvider {
  return {
    async onCallAt(start: Date) {
      if (!spec || spec.rotation.length === 0) return undefined;
      const shiftMs = spec.days * 24 * 60 * 60 * 1000;
      const elapsed = start.getTime() - Date.parse(`${spec.start}T00:00:00Z`);
      const shift = Math.floor(elapsed / shiftMs);
      const index = ((shift % spec.rotation.length) + spec.rotation.length) % spec.rotation.length;
      return spec.rotation[index];
    },
  };
}
